"""Need-to-know between the two laws: a matrix of roles × sections, with and without consent."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.residents.models import Consent, TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

WORK_SECRET = "Bijstandsuitkering"
CARE_SECRET = "Wmo: begeleiding"
WORK_NOTE = "Notitie werk: sollicitatie besproken"
CARE_NOTE = "Notitie zorg: gesprek over thuissituatie"


@pytest.fixture
def shared_resident(alice, wendy, apeldoorn):
    resident = ResidentFactory(
        municipality=apeldoorn, caseworker_work=alice.user, caseworker_care=wendy.user, both=True
    )
    now = timezone.now()
    TimelineEvent.objects.create(
        resident=resident, kind="notitie", domain="participatiewet", occurred_at=now, text=WORK_NOTE
    )
    TimelineEvent.objects.create(
        resident=resident, kind="notitie", domain="wmo", occurred_at=now, text=CARE_NOTE
    )
    TimelineEvent.objects.create(
        resident=resident, kind="notitie", domain="", occurred_at=now, text="Gedeelde notitie"
    )
    return resident


def give_consent(resident, domain, recorder, withdrawn=None):
    return Consent.objects.create(
        resident=resident,
        shared_domain=domain,
        given_on=dt.date(2026, 1, 2),
        withdrawn_on=withdrawn,
        recorded_by=recorder,
    )


# (persona, consent given for, sees in the file)
MATRIX = [
    ("alice", None, {WORK_SECRET, WORK_NOTE}),
    ("alice", "wmo", {WORK_SECRET, WORK_NOTE, CARE_SECRET, CARE_NOTE}),
    ("alice", "participatiewet", {WORK_SECRET, WORK_NOTE}),
    ("wendy", None, {CARE_SECRET, CARE_NOTE}),
    ("wendy", "participatiewet", {CARE_SECRET, CARE_NOTE, WORK_SECRET, WORK_NOTE}),
    ("wendy", "wmo", {CARE_SECRET, CARE_NOTE}),
]


@pytest.mark.parametrize(("persona", "consent", "visible"), MATRIX)
def test_sections_follow_domain_and_consent(
    persona, consent, visible, shared_resident, alice, request, login_as
):
    if consent:
        give_consent(shared_resident, consent, alice.user)
    html = (
        login_as(request.getfixturevalue(persona))
        .get(reverse("residents:detail", args=[shared_resident.pk]))
        .content.decode()
    )
    for text in (WORK_SECRET, CARE_SECRET, WORK_NOTE, CARE_NOTE):
        assert (text in html) == (text in visible), text
    assert "Gedeelde notitie" in html  # the shared file is always there
    assert ("niet met u gedeeld" in html) == (len(visible) == 2)


@pytest.mark.parametrize("persona", ["alice", "wendy"])
def test_withdrawn_consent_hides_the_section_again(persona, shared_resident, alice, request, login_as):
    give_consent(shared_resident, "wmo", alice.user, withdrawn=dt.date(2026, 2, 1))
    give_consent(shared_resident, "participatiewet", alice.user, withdrawn=dt.date(2026, 2, 1))
    html = (
        login_as(request.getfixturevalue(persona))
        .get(reverse("residents:detail", args=[shared_resident.pk]))
        .content.decode()
    )
    assert "niet meer met u gedeeld: de inwoner heeft de toestemming op 1 februari 2026 ingetrokken" in html


def test_api_follows_the_same_rule(shared_resident, alice, login_as):
    client = login_as(alice)
    data = client.get(reverse("api:resident-detail", args=[shared_resident.pk])).json()
    assert [b["domain"] for b in data["legal_bases"]] == ["participatiewet"]
    assert data["other_domain_exists"] and not data["other_domain_shared"]
    timeline = client.get(reverse("api:resident-timeline", args=[shared_resident.pk])).json()
    assert CARE_NOTE not in {event["text"] for event in timeline}
    give_consent(shared_resident, "wmo", alice.user)
    data = client.get(reverse("api:resident-detail", args=[shared_resident.pk])).json()
    assert sorted(b["domain"] for b in data["legal_bases"]) == ["participatiewet", "wmo"]


def test_recording_and_withdrawing_consent_through_the_screens(shared_resident, alice, wendy, login_as):
    alice_client = login_as(alice)
    response = alice_client.post(
        reverse("residents:consent", args=[shared_resident.pk]),
        {"shared_domain": "participatiewet", "given_on": "2026-03-01"},
    )
    assert response.status_code == 302
    assert (
        WORK_NOTE
        in login_as(wendy).get(reverse("residents:detail", args=[shared_resident.pk])).content.decode()
    )
    consent = Consent.objects.get()
    alice_client.post(
        reverse("residents:withdraw-consent", args=[shared_resident.pk, consent.pk]),
        {"withdrawn_on": "2026-04-01"},
    )
    assert (
        WORK_NOTE
        not in login_as(wendy).get(reverse("residents:detail", args=[shared_resident.pk])).content.decode()
    )
    assert TimelineEvent.objects.filter(resident=shared_resident, kind="toestemming").count() == 2


def test_consent_in_the_future_is_refused(shared_resident, alice, login_as):
    response = login_as(alice).post(
        reverse("residents:consent", args=[shared_resident.pk]),
        {"shared_domain": "wmo", "given_on": "2199-01-01"},
    )
    assert "Deze datum ligt in de toekomst." in response.content.decode()
    assert not Consent.objects.exists()


def test_a_second_open_consent_for_the_same_part_is_refused(shared_resident, alice, login_as):
    give_consent(shared_resident, "wmo", alice.user)
    response = login_as(alice).post(
        reverse("residents:consent", args=[shared_resident.pk]),
        {"shared_domain": "wmo", "given_on": "2026-03-01"},
    )
    assert "Voor dit deel is al toestemming gegeven." in response.content.decode()
    assert Consent.objects.count() == 1


def test_a_consent_counts_until_the_day_it_is_withdrawn():
    from meedoen.residents.rules import consented_domains

    today = dt.date(2026, 11, 23)
    assert consented_domains([("wmo", None)], today) == {"wmo"}
    assert consented_domains([("wmo", today)], today) == set()
    assert consented_domains([("wmo", today + dt.timedelta(days=1)), ("participatiewet", today)], today) == {
        "wmo"
    }


def test_a_withdrawn_consent_says_when_it_was_withdrawn(shared_resident, alice, login_as):
    give_consent(shared_resident, "wmo", alice.user, withdrawn=dt.date(2026, 2, 1))
    html = login_as(alice).get(reverse("residents:detail", args=[shared_resident.pk])).content.decode()
    assert "de inwoner heeft de toestemming op 1 februari 2026 ingetrokken" in html
    timeline = "Dat deel is niet meer met u gedeeld: de inwoner heeft de toestemming ingetrokken."
    assert timeline in html
    banner = "Dit dossier heeft ook een deel onder de Wmo. Dat deel is niet met u gedeeld: de inwoner"
    assert banner not in html


def test_without_any_consent_the_file_says_none_was_given(shared_resident, alice, login_as):
    html = login_as(alice).get(reverse("residents:detail", args=[shared_resident.pk])).content.decode()
    assert "de inwoner heeft daar geen toestemming voor gegeven" in html
    assert "ingetrokken" not in html
