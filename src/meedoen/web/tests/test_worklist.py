"""A caseworker's start page is their worklist: reviews due, agreements over time, providers' answers and
open proposals, legal bases ending soon and new progress reports; each line one click from the work, and only
of residents in their own caseload and domain."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.audit.models import ProcessingLogEntry
from meedoen.catalogue.models import ProgressReport, Proposal, Seat
from meedoen.catalogue.tests.factories import PlacementFactory
from meedoen.residents.models import LegalBasis, Plan, PlanAction
from meedoen.residents.tests.factories import ResidentFactory
from meedoen.routes import actions as route_actions
from meedoen.routes.selectors import caseworker_worklist

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _act(membership):
    return Actor(membership.user, membership, "test")


def _proposal(resident, placement, worker, domain, status, *, days_ago=2):
    now = timezone.now()
    return Proposal.objects.create(
        municipality=resident.municipality,
        resident=resident,
        placement=placement,
        domain=domain,
        start_date=TODAY(),
        hours_per_week=12,
        status=status,
        decline_reason="vol" if status == Proposal.Status.DECLINED else "",
        proposed_by=worker.user,
        proposed_at=now - dt.timedelta(days=days_ago + 5),
        decided_at=None if status == Proposal.Status.SENT else now - dt.timedelta(days=days_ago),
    )


def _with_all_work(resident, worker, placement, domain, *, number):
    """One line in every section for this resident."""
    route_actions.do_open_route(resident, starts_on=TODAY() - dt.timedelta(days=400), actor=_act(worker))
    plan, _ = Plan.objects.get_or_create(resident=resident)  # opening the route set its review date
    PlanAction.objects.create(
        plan=plan, description="Cv bijwerken", owner="inwoner", due_on=TODAY() - dt.timedelta(days=3)
    )
    kind = LegalBasis.Kind.BIJSTAND if domain == "participatiewet" else LegalBasis.Kind.WMO_BEGELEIDING
    LegalBasis.objects.create(
        resident=resident, domain=domain, kind=kind, start_date=dt.date(2023, 1, 1),
        end_date=TODAY() + dt.timedelta(days=30),
    )  # fmt: skip
    accepted = _proposal(resident, placement, worker, domain, Proposal.Status.ACCEPTED)
    _proposal(resident, placement, worker, domain, Proposal.Status.SENT)
    seat = Seat.objects.create(
        municipality=resident.municipality, placement=placement, proposal=accepted, resident=resident,
        number=number, starts_on=TODAY() - dt.timedelta(days=40),
    )  # fmt: skip
    ProgressReport.objects.create(
        seat=seat, month=TODAY().replace(day=1), went_well="Op tijd.", next_steps="Meer uren.",
        recorded_by=worker.user, recorded_at=timezone.now() - dt.timedelta(days=1),
    )  # fmt: skip


@pytest.fixture
def place(groene_schakel):
    return PlacementFactory(provider=groene_schakel, title="Moestuin De Maten", capacity=20)


def caseload_with_work(municipality, worker, place, n, *, domain="participatiewet", prefix="Visser"):
    field = "caseworker_work" if domain == "participatiewet" else "caseworker_care"
    residents = []
    for i in range(n):
        resident = ResidentFactory(
            municipality=municipality,
            given_names=f"Inwoner{i}",
            family_name=f"{prefix}{i}",
            **{field: worker.user},
        )
        _with_all_work(
            resident, worker, place, domain, number=len(residents) + 1 + (10 if prefix != "Visser" else 0)
        )
        residents.append(resident)
    return residents


def _home(client) -> str:
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, heading: str) -> str:
    return page.split(heading, 1)[1].split("<h2", 1)[0]


def test_alice_sees_each_kind_of_work_with_its_count_and_a_link_to_it(alice, apeldoorn, place, login_as):
    residents = caseload_with_work(apeldoorn, alice, place, 3)
    page = _home(login_as(alice))
    first = residents[0]
    for heading, link in [
        ("Besprekingen", reverse("routes:route", args=[first.pk])),
        ("Afspraken over tijd", reverse("residents:detail", args=[first.pk]) + "#plan"),
        ("Antwoorden van aanbieders", reverse("residents:detail", args=[first.pk]) + "#plaatsingen"),
        ("Voorstellen zonder antwoord", reverse("residents:detail", args=[first.pk]) + "#plaatsingen"),
        ("Grondslagen die aflopen", reverse("residents:detail", args=[first.pk]) + "#grondslag"),
        ("Nieuwe voortgangsverslagen", reverse("residents:detail", args=[first.pk]) + "#tijdlijn"),
    ]:
        section = _section(page, f">{heading} ")
        assert '<span class="meedoen-count">3</span>' in section, heading
        assert f'href="{link}"' in section, heading
        assert all(r.full_name in section for r in residents), heading
    assert "te laat" in _section(page, ">Besprekingen ")
    assert "geaccepteerd" in _section(page, ">Antwoorden van aanbieders ")
    assert "U begeleidt 3 inwoners." in page


def test_empty_sections_say_so_in_one_line(alice, login_as):
    page = _home(login_as(alice))
    for line in [
        "Geen besprekingen binnen twee weken.",
        "Geen afspraken over tijd.",
        "Geen antwoorden in de afgelopen 14 dagen.",
        "Alle voorstellen zijn beantwoord.",
        "Geen grondslagen die binnen 8 weken aflopen.",
        "Geen nieuwe verslagen in de afgelopen 14 dagen.",
    ]:
        assert line in page


def test_done_old_and_far_away_work_is_not_on_the_list(alice, apeldoorn, place, login_as):
    resident = ResidentFactory(
        municipality=apeldoorn, given_names="Oud", family_name="Werk", caseworker_work=alice.user
    )
    plan, _ = Plan.objects.get_or_create(resident=resident)  # opening the route set its review date
    PlanAction.objects.create(
        plan=plan,
        description="Gedaan",
        owner="inwoner",
        due_on=TODAY() - dt.timedelta(days=9),
        done_on=TODAY(),
    )
    PlanAction.objects.create(
        plan=plan, description="Later", owner="inwoner", due_on=TODAY() + dt.timedelta(days=9)
    )
    _proposal(resident, place, alice, "participatiewet", Proposal.Status.DECLINED, days_ago=30)
    LegalBasis.objects.create(
        resident=resident,
        domain="participatiewet",
        kind=LegalBasis.Kind.BIJSTAND,
        start_date=dt.date(2023, 1, 1),
        end_date=TODAY() + dt.timedelta(weeks=12),
    )
    page = _home(login_as(alice))
    assert str(resident.pk) not in page and "Oud Werk" not in page


def test_a_colleagues_caseload_is_not_on_alices_list(alice, apeldoorn, place, login_as):
    from meedoen.accounts.tests.factories import MembershipFactory

    bob = MembershipFactory(municipality=apeldoorn, role="klantmanager", user__username="bob")
    caseload_with_work(apeldoorn, bob, place, 1, prefix="Collega")
    assert "Collega0" not in _home(login_as(alice))


def test_wendy_sees_the_care_work_of_her_caseload_not_the_work_domain(
    alice, wendy, apeldoorn, place, login_as
):
    shared = ResidentFactory(
        municipality=apeldoorn, given_names="Sam", family_name="Gedeeld",
        caseworker_work=alice.user, caseworker_care=wendy.user,
    )  # fmt: skip
    _proposal(shared, place, alice, "participatiewet", Proposal.Status.SENT)  # alice's, work domain
    LegalBasis.objects.create(
        resident=shared,
        domain="participatiewet",
        kind=LegalBasis.Kind.BIJSTAND,
        start_date=dt.date(2023, 1, 1),
        end_date=TODAY() + dt.timedelta(days=20),
    )
    care = caseload_with_work(apeldoorn, wendy, place, 2, domain="wmo", prefix="Zorg")

    wendy_page = _home(login_as(wendy))
    assert "Sam Gedeeld" not in _section(wendy_page, ">Voorstellen zonder antwoord ")
    assert "Sam Gedeeld" not in _section(wendy_page, ">Grondslagen die aflopen ")
    assert all(r.full_name in _section(wendy_page, ">Nieuwe voortgangsverslagen ") for r in care)
    assert "Wmo: begeleiding" in _section(wendy_page, ">Grondslagen die aflopen ")

    alice_page = _home(login_as(alice))
    assert "Sam Gedeeld" in _section(alice_page, ">Voorstellen zonder antwoord ")
    assert "Zorg0" not in alice_page


def test_charlie_of_epe_sees_none_of_apeldoorns_work(alice, charlie, apeldoorn, place, login_as):
    residents = caseload_with_work(apeldoorn, alice, place, 2)
    page = _home(login_as(charlie))
    assert not any(r.family_name in page for r in residents)
    assert "Geen afspraken over tijd." in page


def test_other_roles_get_no_worklist(pim, fred, alice, apeldoorn, place, login_as):
    residents = caseload_with_work(apeldoorn, alice, place, 1)
    for persona in (pim, fred):
        page = _home(login_as(persona))
        assert residents[0].family_name not in page and "Afspraken over tijd" not in page
        with pytest.raises(PermissionDenied):
            caseworker_worklist(_act(persona))


def test_the_worklist_is_logged_as_one_search_with_the_residents_shown(alice, apeldoorn, place, login_as):
    residents = caseload_with_work(apeldoorn, alice, place, 2)
    before = set(ProcessingLogEntry.objects.values_list("pk", flat=True))
    _home(login_as(alice))
    searches = ProcessingLogEntry.objects.exclude(pk__in=before).filter(action="search", endpoint="web:home")
    assert searches.count() == 1  # one look at the start page is one processing, reviews included
    assert {s for entry in searches for s in entry.subjects.values_list("resident_id", flat=True)} == {
        r.pk for r in residents
    }


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("web:home")).status_code == 200
    return len(captured.captured_queries)


def test_the_start_page_runs_the_same_queries_for_two_or_five_residents_per_section(
    alice, apeldoorn, place, login_as
):
    client = login_as(alice)
    caseload_with_work(apeldoorn, alice, place, 2)
    two = _queries(client)
    caseload_with_work(apeldoorn, alice, place, 3, prefix="Meer")
    five = _queries(client)
    # One processing-log row (the worklist, its reviews included): one statement on PostgreSQL (a
    # data-modifying WITH), two on SQLite.
    log_statements = 1 if connection.vendor == "postgresql" else 2
    # Two of the queries are the residents' questions from Mijn Meedoen (portal.selectors).
    assert two == five == 15 + log_statements
