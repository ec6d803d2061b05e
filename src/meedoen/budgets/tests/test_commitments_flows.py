"""Commitments follow the work: accept commits the right amount per pricing variant, ending early releases,
extending adds, re-attribution keeps the totals, and a refused accept leaves nothing behind."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from meedoen.audit.models import ProcessingLogEntry, Purpose
from meedoen.budgets import actions, ledger
from meedoen.budgets.models import Commitment, FundingRule, FundingSource, LedgerEntry, OverspendApproval
from meedoen.budgets.tests.commitment_helpers import (
    FOUR_WEEKS_END,
    START,
    act,
    free,
    open_year,
    propose,
    sums,
)
from meedoen.budgets.tests.factories import FundingSourceFactory, ProjectFactory
from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.models import Contract, Proposal, Seat
from meedoen.catalogue.tests.factories import PlacementFactory
from meedoen.errors import RuleError

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_weeks(groene_schakel):
    """The provider's contract ends after exactly four weeks of a placement starting on START."""
    Contract.objects.filter(provider=groene_schakel).update(ends_on=FOUR_WEEKS_END)
    return groene_schakel


def accept(proposal, paula):
    return catalogue_actions.do_accept_proposal(proposal, actor=act(paula))


@pytest.mark.parametrize(
    ("pricing", "unit", "price", "hours", "expected"),
    [
        ("inspanningsgericht", "week", "120.00", 12, "480.00"),  # 4 weeks x 120
        ("inspanningsgericht", "uur", "10.00", 12, "480.00"),  # 12 h x 4 weeks x 10
        ("inspanningsgericht", "dagdeel", "30.00", 12, "360.00"),  # 3 days x 1 dagdeel x 4 weeks x 30
        ("inspanningsgericht", "dagdeel", "30.00", 15, "720.00"),  # 5 h a day: 2 dagdelen a day
        ("inspanningsgericht", "etmaal", "50.00", 12, "600.00"),  # 3 a week x 4 weeks x 50
        ("outputgericht", "traject", "900.00", 12, "900.00"),  # once
        ("outputgericht", "maand", "1000.00", 12, "903.23"),  # 28 of March's 31 days
    ],
)
def test_accept_commits_the_price_of_the_planned_period(
    pricing, unit, price, hours, expected, four_weeks, alice, paula, carla
):
    budget_year, source = open_year(alice.municipality, carla)
    placement = PlacementFactory(provider=four_weeks, pricing=pricing, price_unit=unit, price=Decimal(price))
    proposal = propose(placement, alice, hours=hours)

    seat = accept(proposal, paula)

    commitment = Commitment.objects.get(seat=seat)
    assert (commitment.starts_on, commitment.ends_on) == (START, FOUR_WEEKS_END)
    assert commitment.source == source and commitment.budget_year == budget_year
    assert sums(commitment=commitment) == {"verplichting": Decimal(expected)}
    assert free(source) == Decimal("100000.00") - Decimal(expected)
    logged = ProcessingLogEntry.objects.filter(purpose=Purpose.BUDGET, subjects__resident_id=seat.resident_id)
    assert logged.exists()


def test_the_period_runs_to_the_end_of_the_year_without_a_contract_end(moestuin, alice, paula, carla):
    _, _source = open_year(alice.municipality, carla)
    seat = accept(propose(moestuin, alice, start=dt.date(2026, 12, 21)), paula)  # 11 days, 120 a week
    commitment = Commitment.objects.get(seat=seat)
    assert commitment.ends_on == dt.date(2026, 12, 31)
    assert sums(commitment=commitment) == {"verplichting": Decimal("188.57")}  # 120 x 11 / 7


def test_taakgericht_commits_the_contracts_yearly_amount_once(groene_schakel, alice, paula, carla):
    _, source = open_year(alice.municipality, carla)
    Contract.objects.filter(provider=groene_schakel).update(task_budget=Decimal("50000.00"))
    first = PlacementFactory(provider=groene_schakel, pricing="taakgericht", price_unit="", price=0)
    second = PlacementFactory(provider=groene_schakel, pricing="taakgericht", price_unit="", price=0)

    accept(propose(first, alice), paula)
    accept(propose(second, alice), paula)
    accept(propose(first, alice, start=dt.date(2026, 5, 4)), paula)

    commitment = Commitment.objects.get(contract__provider=groene_schakel)
    assert commitment.seat is None and commitment.resident is None
    assert sums(source=source)["verplichting"] == Decimal("50000.00")
    assert Commitment.objects.count() == 1


def test_a_taakgericht_contract_without_yearly_amount_refuses_the_accept(groene_schakel, alice, paula, carla):
    open_year(alice.municipality, carla)
    placement = PlacementFactory(provider=groene_schakel, pricing="taakgericht", price_unit="", price=0)
    proposal = propose(placement, alice)
    with pytest.raises(RuleError, match="geen vast bedrag per jaar"):
        accept(proposal, paula)
    assert not Seat.objects.filter(proposal=proposal).exists()


def test_no_budget_year_commits_nothing_and_the_accept_goes_on(moestuin, alice, paula):
    seat = accept(propose(moestuin, alice), paula)
    assert seat.pk and not Commitment.objects.exists() and not LedgerEntry.objects.exists()


def test_an_accept_that_does_not_fit_is_refused_and_leaves_no_seat_and_no_entry(
    four_weeks, alice, paula, carla
):
    _, _source = open_year(alice.municipality, carla, amount=Decimal("479.99"))
    proposal = propose(PlacementFactory(provider=four_weeks), alice)
    with pytest.raises(RuleError) as refused:
        accept(proposal, paula)
    assert "nog €\u00a0479,99 vrij" in refused.value.message and "€\u00a0480,00" in refused.value.message
    assert not Seat.objects.exists()
    assert not Commitment.objects.exists()
    assert list(LedgerEntry.objects.values_list("kind", flat=True)) == ["budget"]
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SENT


def test_an_approved_overspend_is_accepted(four_weeks, alice, paula, carla):
    _, source = open_year(alice.municipality, carla, amount=Decimal("100.00"))
    proposal = propose(PlacementFactory(provider=four_weeks), alice)
    with pytest.raises(RuleError, match="waarom"):
        actions.do_approve_overspend(proposal, "  ", actor=act(carla))
    with pytest.raises(PermissionDenied):
        actions.do_approve_overspend(proposal, "Wethouder akkoord", actor=act(alice))
    actions.do_approve_overspend(proposal, "Wethouder akkoord", actor=act(carla))
    assert OverspendApproval.objects.get(proposal=proposal).source == source
    accept(proposal, paula)
    assert free(source) == Decimal("-380.00")


def test_without_a_source_for_the_law_the_accept_says_which_is_missing(four_weeks, alice, paula, carla):
    _budget_year, source = open_year(alice.municipality, carla)
    FundingSource.objects.filter(pk=source.pk).update(legal_basis="wmo")
    with pytest.raises(RuleError, match="geen geldbron voor de Participatiewet"):
        accept(propose(PlacementFactory(provider=four_weeks), alice), paula)


def test_the_most_specific_rule_chooses_the_source_and_project(four_weeks, alice, paula, carla):
    budget_year, general = open_year(alice.municipality, carla)
    special = FundingSourceFactory(budget_year=budget_year, name="Programmageld", legal_basis="programma")
    project = ProjectFactory(municipality=alice.municipality)
    FundingRule.objects.create(
        municipality=alice.municipality, budget_year=budget_year, domain="participatiewet", source=general
    )
    FundingRule.objects.create(
        municipality=alice.municipality,
        budget_year=budget_year,
        domain="participatiewet",
        placement_kind="leerwerkplek",
        source=special,
        project=project,
    )
    seat = accept(propose(PlacementFactory(provider=four_weeks, kind="leerwerkplek"), alice), paula)
    commitment = Commitment.objects.get(seat=seat)
    assert (commitment.source, commitment.project) == (special, project)
    other = accept(propose(PlacementFactory(provider=four_weeks), alice), paula)
    assert Commitment.objects.get(seat=other).source == general


def test_ending_early_releases_the_rest(moestuin, alice, paula, carla):
    _, source = open_year(alice.municipality, carla)
    seat = accept(propose(moestuin, alice), paula)  # 2 March to 31 December: 305 days at 120 a week
    committed = sums(source=source)["verplichting"]
    assert committed == Decimal("5228.57")

    catalogue_actions.do_end_seat(seat, ended_on=dt.date(2026, 3, 29), reason="Verhuisd", actor=act(paula))

    commitment = Commitment.objects.get(seat=seat)
    assert commitment.status == Commitment.Status.ENDED
    assert commitment.ends_on == dt.date(2026, 3, 29)
    assert sums(commitment=commitment)["vrijval"] == Decimal("4748.57")  # all but the four weeks' 480.00
    assert free(source) == Decimal("100000.00") - Decimal("480.00")


def test_a_started_traject_releases_nothing(moestuin, alice, paula, carla):
    _, source = open_year(alice.municipality, carla)
    moestuin.pricing, moestuin.price_unit, moestuin.price = "outputgericht", "traject", Decimal("900.00")
    moestuin.save()
    seat = accept(propose(moestuin, alice), paula)
    catalogue_actions.do_end_seat(seat, ended_on=dt.date(2026, 3, 10), reason="Klaar", actor=act(paula))
    assert "vrijval" not in sums(source=source)


def test_extending_adds_and_shortening_releases(four_weeks, alice, paula, carla):
    _, source = open_year(alice.municipality, carla, amount=Decimal("600.00"))
    seat = accept(propose(PlacementFactory(provider=four_weeks), alice), paula)
    commitment = Commitment.objects.get(seat=seat)

    actions.do_extend_commitment(commitment, ends_on=dt.date(2026, 4, 5), actor=act(carla))  # one week more
    assert sums(commitment=commitment) == {"verplichting": Decimal("600.00")}
    with pytest.raises(RuleError, match="niet genoeg budget"):
        actions.do_extend_commitment(commitment, ends_on=dt.date(2026, 4, 12), actor=act(carla))
    actions.do_extend_commitment(commitment, ends_on=dt.date(2026, 3, 15), actor=act(carla))  # two weeks

    commitment.refresh_from_db()
    assert commitment.ends_on == dt.date(2026, 3, 15)
    s = sums(commitment=commitment)
    assert s["verplichting"] - s["vrijval"] == Decimal("240.00")
    assert free(source) == Decimal("360.00")
    with pytest.raises(RuleError):
        actions.do_extend_commitment(commitment, ends_on=dt.date(2027, 1, 5), actor=act(carla))
    with pytest.raises(PermissionDenied):
        actions.do_extend_commitment(commitment, ends_on=dt.date(2026, 3, 22), actor=act(paula))


def test_reattribution_moves_every_entry_and_keeps_the_totals(moestuin, alice, paula, carla):
    budget_year, old = open_year(alice.municipality, carla)
    new = FundingSourceFactory(budget_year=budget_year, name="Programmageld", legal_basis="programma")
    project = ProjectFactory(municipality=alice.municipality)
    seat = accept(propose(moestuin, alice), paula)
    catalogue_actions.do_end_seat(seat, ended_on=dt.date(2026, 3, 29), reason="Verhuisd", actor=act(paula))
    commitment = Commitment.objects.get(seat=seat)
    before = sums(commitment=commitment)

    with pytest.raises(RuleError, match="waarom"):
        actions.do_reattribute_commitment(commitment, new, project, "", actor=act(carla))
    actions.do_reattribute_commitment(commitment, new, project, "Valt onder het programma", actor=act(carla))

    commitment.refresh_from_db()
    assert (commitment.source, commitment.project, commitment.attributed_by_rule) == (new, project, False)
    assert sums(commitment=commitment) == before
    assert sums(source=old).get("verplichting") == 0 and sums(source=old).get("vrijval") == 0
    assert {k: v for k, v in sums(source=new).items() if k != "budget"} == before
    assert sums(project=project) == before
    assert free(old) == Decimal("100000.00")
    assert LedgerEntry.objects.filter(corrects__isnull=False).count() == 2
    entries = [
        ledger.Entry(ledger.Kind(e.kind), e.amount, e.source_id, e.project_id, e.commitment_id)
        for e in LedgerEntry.objects.all()
    ]
    assert ledger.check(entries) == []


def test_commit_running_seats_when_a_year_opens_later_is_idempotent(moestuin, alice, paula, carla):
    first = accept(propose(moestuin, alice, start=dt.date(2025, 11, 3)), paula)
    second = accept(propose(moestuin, alice, start=dt.date(2025, 12, 1)), paula)
    catalogue_actions.do_end_seat(second, ended_on=dt.date(2026, 1, 11), reason="Klaar", actor=act(paula))
    budget_year, _source = open_year(alice.municipality, carla)

    made = actions.do_commit_running_seats(budget_year, actor=act(carla))
    again = actions.do_commit_running_seats(budget_year, actor=act(carla))

    assert {c.seat_id for c in made} == {first.pk, second.pk} and again == []
    running = Commitment.objects.get(seat=first)
    assert (running.starts_on, running.ends_on, running.status) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        Commitment.Status.RUNNING,
    )
    ended = Commitment.objects.get(seat=second)
    assert (ended.ends_on, ended.status) == (dt.date(2026, 1, 11), Commitment.Status.ENDED)
    assert sums(commitment=ended) == {"verplichting": Decimal("188.57")}  # 11 days at 120 a week
    with pytest.raises(PermissionDenied):
        actions.do_commit_running_seats(budget_year, actor=act(alice))


def test_another_municipalitys_objects_are_refused(four_weeks, alice, paula, carla, charlie):
    open_year(alice.municipality, carla)
    seat = accept(propose(PlacementFactory(provider=four_weeks), alice), paula)
    commitment = Commitment.objects.get(seat=seat)
    with pytest.raises(PermissionDenied):
        actions.do_extend_commitment(commitment, ends_on=dt.date(2026, 3, 22), actor=act(charlie))
