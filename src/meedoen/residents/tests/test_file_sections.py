"""Ladder, profile, plan, timeline and transfer: what a caseworker records, and what the rules refuse."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogEntry
from meedoen.municipalities.models import InterestTag
from meedoen.residents.models import LadderScore, Plan, PlanAction, Profile, Resident, TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(alice, apeldoorn):
    return ResidentFactory(
        municipality=apeldoorn, caseworker_work=alice.user, work=True, date_of_birth=dt.date(1975, 6, 1)
    )


def test_ladder_scores_build_a_history_with_a_chart(resident, alice, login_as):
    client = login_as(alice)
    url = reverse("residents:ladder", args=[resident.pk])
    client.post(url, {"rung": "2", "scored_on": "2025-01-10", "rationale": "Komt weinig buiten."})
    client.post(url, {"rung": "4", "scored_on": "2026-01-10", "rationale": "Doet vrijwilligerswerk."})
    html = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "Trede 4: Onbetaald werk" in html
    assert "2 treden hoger dan de vorige score." in html
    assert "<svg" in html and "<polyline" in html
    assert "Komt weinig buiten." in html
    assert LadderScore.objects.filter(resident=resident).count() == 2
    assert TimelineEvent.objects.filter(resident=resident, kind="ladder").count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rung": "7", "scored_on": "2026-01-10", "rationale": "x"}, "Selecteer een geldige keuze"),
        (
            {"rung": "3", "scored_on": "2199-01-10", "rationale": "x"},
            "Een score kan niet in de toekomst liggen.",
        ),
        (
            {"rung": "3", "scored_on": "1970-01-10", "rationale": "x"},
            "Deze datum ligt voor de geboortedatum.",
        ),
        ({"rung": "3", "scored_on": "2026-01-10", "rationale": ""}, "Dit veld is vereist."),
    ],
)
def test_ladder_input_is_checked(data, message, resident, alice, login_as):
    response = login_as(alice).post(reverse("residents:ladder", args=[resident.pk]), data)
    assert message in response.content.decode()
    assert not LadderScore.objects.exists()


def test_profile_is_saved_with_interests_from_the_shared_vocabulary(resident, alice, apeldoorn, login_as):
    green = InterestTag.objects.create(municipality=apeldoorn, code="groen", name="Groen en tuin")
    client = login_as(alice)
    response = client.post(
        reverse("residents:profile", args=[resident.pk]),
        {
            "interests": [str(green.pk)],
            "hours_per_week": "12",
            "workload": "laag",
            "travel_radius_km": "5",
            "travel_mode": "fiets",
            "physical_needs": ["geen_zwaar_tillen"],
            "preferred_days": ["di", "do"],
            "version": "1",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    for text in ("Groen en tuin", "tot 5 km", "fiets", "Geen zwaar tillen", "dinsdag, donderdag", "Laag"):
        assert text in html, text


def test_profile_hours_above_40_is_a_field_error(resident, alice, login_as):
    response = login_as(alice).post(
        reverse("residents:profile", args=[resident.pk]), {"hours_per_week": "60", "version": "1"}
    )
    assert "Vul een aantal uren van 0 tot en met 40 in." in response.content.decode()


def test_two_people_editing_the_plan_do_not_overwrite_each_other(resident, alice, apeldoorn, login_as):
    colleague = MembershipFactory(municipality=apeldoorn, role="klantmanager")
    first, second = login_as(alice), login_as(colleague)
    url = reverse("residents:plan", args=[resident.pk])
    # Both open the form at version 1.
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()
    first.post(url, {"goals": "Ik wil weer onder de mensen zijn.", "review_on": "2026-12-01", "version": "1"})
    response = second.post(url, {"goals": "Iets anders.", "review_on": "", "version": "1"})
    assert "Iemand anders heeft dit deel van het dossier net gewijzigd" in response.content.decode()
    plan = Plan.objects.get(resident=resident)
    assert plan.goals == "Ik wil weer onder de mensen zijn."
    assert plan.version == 2


def test_two_people_editing_personal_details_clash_too(resident, alice, login_as):
    url = reverse("residents:edit-personal", args=[resident.pk])
    base = {
        "given_names": resident.given_names,
        "family_name": resident.family_name,
        "date_of_birth": "1975-06-01",
        "version": "1",
    }
    client = login_as(alice)
    assert client.post(url, {**base, "phone": "0612345678"}).status_code == 302
    response = client.post(url, {**base, "phone": "0687654321"})
    assert "Iemand anders heeft dit deel" in response.content.decode()
    assert Resident.objects.get(pk=resident.pk).phone == "0612345678"


def test_plan_actions_are_agreed_and_done(resident, alice, login_as):
    client = login_as(alice)
    client.post(
        reverse("residents:plan-action", args=[resident.pk]),
        {"description": "Kennismaken bij de kringloop", "owner": "inwoner", "due_on": "2026-12-15"},
    )
    action = PlanAction.objects.get()
    client.post(reverse("residents:plan-action-done", args=[resident.pk, action.pk]))
    action.refresh_from_db()
    assert action.done_on is not None
    html = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "Kennismaken bij de kringloop" in html and "gedaan op" in html


def test_a_note_with_an_attachment_is_on_the_timeline_and_downloads_with_a_log_row(resident, alice, login_as):
    client = login_as(alice)
    upload = SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 verslag", content_type="application/pdf")
    response = client.post(
        reverse("residents:note", args=[resident.pk]),
        {
            "kind": "contact",
            "occurred_at": "2026-11-02T10:30",
            "text": "Huisbezoek gehad.",
            "attachment": upload,
        },
    )
    assert response.status_code == 302
    event = TimelineEvent.objects.get(kind="contact")
    html = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert "Huisbezoek gehad." in html
    download = client.get(reverse("residents:attachment", args=[resident.pk, event.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 verslag"
    assert download["Cache-Control"] == "private, no-store"
    assert ProcessingLogEntry.objects.filter(action="export").count() == 1


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [("virus.exe", 10, "Dit soort bestand kan niet."), ("groot.pdf", 11 * 1024 * 1024, "groter dan 10 MB")],
)
def test_attachments_are_checked(name, size, message, resident, alice, login_as):
    upload = SimpleUploadedFile(name, b"x" * size)
    response = login_as(alice).post(
        reverse("residents:note", args=[resident.pk]),
        {"kind": "notitie", "occurred_at": "2026-11-02T10:30", "text": "Bijlage", "attachment": upload},
    )
    assert message in response.content.decode()
    assert not TimelineEvent.objects.filter(kind="notitie").exists()


def test_a_note_in_the_future_is_refused(resident, alice, login_as):
    response = login_as(alice).post(
        reverse("residents:note", args=[resident.pk]),
        {"kind": "notitie", "occurred_at": "2199-01-01T10:00", "text": "x"},
    )
    assert "Dit moment ligt in de toekomst." in response.content.decode()


def test_timeline_is_newest_first_and_pages(resident, alice, login_as):
    from django.utils import timezone

    start = timezone.now() - dt.timedelta(days=100)
    TimelineEvent.objects.bulk_create(
        [
            TimelineEvent(
                resident=resident,
                kind="notitie",
                occurred_at=start + dt.timedelta(days=i),
                text=f"regel {i:02d}",
            )
            for i in range(40)
        ]
    )
    client = login_as(alice)
    html = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    assert html.index("regel 39") < html.index("regel 38")
    assert "regel 05" not in html and "Hele tijdlijn tonen" in html
    assert (
        "regel 05"
        in client.get(reverse("residents:detail", args=[resident.pk]), {"tijdlijn": "alles"}).content.decode()
    )


def test_caseload_transfer_moves_everyone_and_leaves_a_trace(alice, apeldoorn, login_as):
    colleague = MembershipFactory(municipality=apeldoorn, role="klantmanager", user__first_name="Bart")
    residents = ResidentFactory.create_batch(3, municipality=apeldoorn, caseworker_work=alice.user, work=True)
    response = login_as(alice).post(
        reverse("residents:transfer"),
        {"from_user": str(alice.user.pk), "to_user": str(colleague.user.pk)},
        follow=True,
    )
    assert "3 inwoners zijn overgedragen" in response.content.decode()
    assert Resident.objects.filter(caseworker_work=colleague.user).count() == 3
    assert TimelineEvent.objects.filter(kind="overdracht").count() == 3
    entry = ProcessingLogEntry.objects.get(action="update")
    assert set(entry.subjects.values_list("resident_id", flat=True)) == {r.pk for r in residents}


def test_transfer_to_another_municipality_or_domain_is_refused(alice, wendy, epe, login_as):
    outsider = MembershipFactory(municipality=epe, role="klantmanager")
    ResidentFactory(municipality=alice.municipality, caseworker_work=alice.user, work=True)
    client = login_as(alice)
    for target in (outsider.user, wendy.user):
        response = client.post(
            reverse("residents:transfer"), {"from_user": str(alice.user.pk), "to_user": str(target.pk)}
        )
        assert "Selecteer een geldige keuze" in response.content.decode()
    assert Resident.objects.get().caseworker_work == alice.user


def test_caseload_filters(alice, apeldoorn, login_as):
    from django.utils import timezone

    quiet = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True, family_name="Stil")
    busy = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True, family_name="Druk")
    Resident.objects.filter(pk=quiet.pk).update(last_activity_at=timezone.now() - dt.timedelta(weeks=10))
    Resident.objects.filter(pk=busy.pk).update(last_activity_at=timezone.now())
    Plan.objects.create(resident=busy, review_on=timezone.localdate() + dt.timedelta(days=3))
    client = login_as(alice)
    silent = client.get(reverse("residents:caseload"), {"stil": "8"}).content.decode()
    assert "Stil" in silent and "Druk" not in silent
    due = client.get(reverse("residents:caseload"), {"bespreken": "1"}).content.decode()
    assert "Druk" in due and "Stil" not in due
    by_activity = client.get(reverse("residents:caseload"), {"sorteer": "activiteit"}).content.decode()
    assert by_activity.index("Stil") < by_activity.index("Druk")


def test_profile_of_a_file_without_one_yet_shows_empty_and_saves(resident, alice, login_as):
    Profile.objects.filter(resident=resident).delete()
    client = login_as(alice)
    assert client.get(reverse("residents:detail", args=[resident.pk])).status_code == 200
    response = client.post(
        reverse("residents:profile", args=[resident.pk]), {"hours_per_week": "8", "version": "1"}
    )
    assert response.status_code == 302
    assert Profile.objects.get(resident=resident).hours_per_week == 8


def test_a_caseworker_ends_a_basis_of_their_domain_only(alice, wendy, apeldoorn, login_as):
    resident = ResidentFactory(
        municipality=apeldoorn, caseworker_work=alice.user, caseworker_care=wendy.user, both=True
    )
    work = resident.legal_bases.get(domain="participatiewet")
    care = resident.legal_bases.get(domain="wmo")
    assert (
        login_as(wendy)
        .post(reverse("residents:end-legal-basis", args=[resident.pk, work.pk]), {"end_date": "2026-06-30"})
        .status_code
        == 404
    )
    early = login_as(alice).post(
        reverse("residents:end-legal-basis", args=[resident.pk, work.pk]), {"end_date": "2020-01-01"}
    )
    assert "De einddatum ligt voor de begindatum." in early.content.decode()
    login_as(alice).post(
        reverse("residents:end-legal-basis", args=[resident.pk, work.pk]), {"end_date": "2026-06-30"}
    )
    work.refresh_from_db()
    care.refresh_from_db()
    assert work.end_date == dt.date(2026, 6, 30) and care.end_date is None


def test_a_caseworker_can_be_assigned_on_the_file(alice, apeldoorn, login_as):
    colleague = MembershipFactory(municipality=apeldoorn, role="wmo_consulent")
    resident = ResidentFactory(
        municipality=apeldoorn, caseworker_work=alice.user, work=True, date_of_birth=dt.date(1980, 1, 1)
    )
    response = login_as(alice).post(
        reverse("residents:edit-personal", args=[resident.pk]),
        {
            "given_names": resident.given_names,
            "family_name": resident.family_name,
            "date_of_birth": "1980-01-01",
            "caseworker_work": str(alice.user.pk),
            "caseworker_care": str(colleague.user.pk),
            "version": "1",
        },
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.caseworker_care == colleague.user


def test_a_timeline_line_says_when_what_who_and_which_domain(resident, alice, login_as):
    occurred = dt.datetime(2026, 3, 12, 14, 5, tzinfo=ZoneInfo("Europe/Amsterdam"))
    TimelineEvent.objects.create(
        resident=resident, kind="contact", domain="participatiewet", author=alice.user, occurred_at=occurred,
        text="Gebeld <over> werk\nTweede regel",
    )  # fmt: skip
    html = login_as(alice).get(reverse("residents:detail", args=[resident.pk])).content.decode()
    who = alice.user.display_name()
    assert f"12 maart 2026 14:05 · Contact · {who} · alleen Participatiewet</p>" in html
    assert "Gebeld &lt;over&gt; werk<br>Tweede regel" in html
