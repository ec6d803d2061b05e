"""Each default indicator against figures worked out by hand on a small constructed world (March 2026).

The expected numbers are counted from the story each test tells, not from the formula."""

import datetime as dt
from decimal import Decimal

import pytest

from meedoen.budgets import ledger
from meedoen.budgets.models import LedgerEntry
from meedoen.budgets.tests.factories import (
    BudgetYearFactory,
    CommitmentFactory,
    FundingSourceFactory,
    ProjectFactory,
)
from meedoen.catalogue.tests.factories import ContractFactory, PlacementFactory, ProviderFactory
from meedoen.municipalities.actions import do_ensure_vocabularies
from meedoen.municipalities.models import District, TargetGroup
from meedoen.programmes.models import Programme, ProjectMember, ProjectProfile
from meedoen.programmes.tests.helpers import figures, route, score, seat, step
from meedoen.residents.tests.factories import LegalBasisFactory, ResidentFactory

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def user(alice):
    return alice.user


def _resident(apeldoorn, **kwargs):
    return ResidentFactory(municipality=apeldoorn, **kwargs)


def test_residents_in_the_programme_at_the_end_of_the_month_by_phase_district_group_and_basis(
    apeldoorn, user
):
    do_ensure_vocabularies(apeldoorn)
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    statushouder = TargetGroup.objects.get(municipality=apeldoorn, code="statushouder")
    # Three explore, two do activating work, one works paid: six with an open route on 31 March.
    exploring = [_resident(apeldoorn, work=True, district=maten) for _ in range(3)]
    for resident in exploring:
        route(resident, user, D(2026, 1, 5), [("verkennen", D(2026, 2, 1))])
    activating = [_resident(apeldoorn, care=True) for _ in range(2)]
    for resident in activating:
        route(
            resident,
            user,
            D(2025, 11, 1),
            [("verkennen", D(2025, 12, 1)), ("activerend_werk", D(2026, 3, 31))],
        )
        resident.target_groups.add(statushouder)
    working = _resident(apeldoorn, both=True)
    route(working, user, D(2025, 6, 1), [("betaald_werk", D(2026, 3, 10))])
    # Not counted: a route that ended in March, one that starts in April, and a resident without a route.
    route(_resident(apeldoorn, work=True), user, D(2025, 1, 1), closed=D(2026, 3, 15))
    route(_resident(apeldoorn, work=True), user, D(2026, 4, 2))
    _resident(apeldoorn, work=True)

    assert figures(apeldoorn, "in-programma") == (6, None)
    assert figures(apeldoorn, "in-programma", dimension="fase", key="verkennen") == (3, None)
    assert figures(apeldoorn, "in-programma", dimension="fase", key="activerend_werk") == (2, None)
    assert figures(apeldoorn, "in-programma", dimension="fase", key="betaald_werk") == (1, None)
    assert figures(apeldoorn, "in-programma", dimension="wijk", key=str(maten.pk)) == (3, None)
    assert figures(apeldoorn, "in-programma", dimension="doelgroep", key=str(statushouder.pk)) == (2, None)
    # Bijstand: the three explorers and the one working (both bases); Wmo begeleiding: two plus the one.
    assert figures(apeldoorn, "in-programma", dimension="grondslag", key="bijstand") == (4, None)
    assert figures(apeldoorn, "in-programma", dimension="grondslag", key="wmo_begeleiding") == (3, None)


def test_outflow_to_paid_work_counts_steps_in_the_month_and_not_a_corrected_one(apeldoorn, user):
    for day in (D(2026, 3, 5), D(2026, 3, 20)):
        route(_resident(apeldoorn, work=True), user, D(2025, 9, 1), [("betaald_werk", day)])
    route(
        _resident(apeldoorn, work=True), user, D(2025, 9, 1), [("betaald_werk", D(2026, 2, 27))]
    )  # February
    wrong = route(_resident(apeldoorn, work=True), user, D(2025, 9, 1))
    mistake = step(wrong, "betaald_werk", D(2026, 3, 12), user)
    step(wrong, "leerwerken", D(2026, 3, 12), user, reason="correctie", corrects=mistake)

    assert figures(apeldoorn, "uitstroom-werk") == (2, None)


def test_paid_work_that_lasted_six_months_is_the_share_of_septembers_outflow_without_a_later_step(
    apeldoorn, user
):
    # September 2025: two residents start paid work. One still works; the other falls back in January.
    route(_resident(apeldoorn, work=True), user, D(2025, 1, 1), [("betaald_werk", D(2025, 9, 10))])
    back = _resident(apeldoorn, work=True)
    old = route(back, user, D(2025, 1, 1), [("betaald_werk", D(2025, 9, 15))], closed=D(2025, 10, 1))
    route(back, user, D(2026, 1, 5), fall_back=True)  # a new route starts with kennismaken
    # August and October outflows are not in the cohort.
    route(_resident(apeldoorn, work=True), user, D(2025, 1, 1), [("betaald_werk", D(2025, 8, 31))])
    route(_resident(apeldoorn, work=True), user, D(2025, 1, 1), [("betaald_werk", D(2025, 10, 1))])
    assert old.closed_on is not None

    assert figures(apeldoorn, "werk-6-maanden") == (1, 2)
    # Twelve months back (March 2025) nobody started paid work: an empty cohort.
    assert figures(apeldoorn, "werk-12-maanden") == (0, 0)


def test_a_rung_climbed_within_twelve_months_compares_the_latest_score_with_the_one_a_year_before(
    apeldoorn, user
):
    climbed = _resident(apeldoorn, work=True)  # 2 before the window, 3 now
    route(climbed, user, D(2024, 6, 1))
    score(climbed, 2, D(2025, 1, 10), user)
    score(climbed, 3, D(2026, 2, 1), user)
    same = _resident(apeldoorn, work=True)  # one score in the window: nothing to compare with but itself
    route(same, user, D(2025, 5, 1))
    score(same, 3, D(2025, 6, 1), user)
    down_again = _resident(apeldoorn, work=True)  # 2, up to 4, back to 2
    route(down_again, user, D(2024, 6, 1))
    score(down_again, 2, D(2025, 2, 1), user)
    score(down_again, 4, D(2025, 12, 1), user)
    score(down_again, 2, D(2026, 3, 10), user)
    route(_resident(apeldoorn, work=True), user, D(2025, 1, 1))  # no score: not in the denominator
    gone = _resident(apeldoorn, work=True)  # climbed, but the route ended in February
    route(gone, user, D(2024, 6, 1), closed=D(2026, 2, 1))
    score(gone, 1, D(2025, 1, 1), user)
    score(gone, 5, D(2026, 1, 1), user)

    assert figures(apeldoorn, "trede-omhoog") == (1, 3)


def test_steps_back_and_fall_backs_in_the_month(apeldoorn, user):
    route(
        _resident(apeldoorn, work=True),
        user,
        D(2025, 1, 1),
        [("leerwerken", D(2026, 1, 1)), ("verkennen", D(2026, 3, 3), True)],
    )
    route(
        _resident(apeldoorn, work=True),
        user,
        D(2025, 1, 1),
        [("leerwerken", D(2026, 1, 1)), ("verkennen", D(2026, 2, 3), True)],
    )
    fell = _resident(apeldoorn, work=True)
    route(fell, user, D(2025, 1, 1), [("betaald_werk", D(2025, 6, 1))], closed=D(2025, 7, 1))
    route(fell, user, D(2026, 3, 9), fall_back=True)

    assert figures(apeldoorn, "stap-terug") == (1, None)
    assert figures(apeldoorn, "terugval") == (1, None)


def test_waiting_time_is_the_mean_days_from_the_first_route_to_a_first_placement_that_began_in_the_month(
    apeldoorn, user
):
    sixty = _resident(apeldoorn, work=True)
    route(sixty, user, D(2026, 1, 1))
    seat(sixty, D(2026, 3, 2))  # 31 + 28 + 1 = 60 days
    thirty = _resident(apeldoorn, work=True)
    route(thirty, user, D(2026, 2, 1))
    seat(thirty, D(2026, 3, 3))  # 28 + 2 = 30 days
    earlier = _resident(apeldoorn, work=True)  # a second placement in March; the first was in January
    route(earlier, user, D(2025, 10, 1))
    seat(earlier, D(2026, 1, 10), ended=D(2026, 2, 1))
    seat(earlier, D(2026, 3, 15))

    assert figures(apeldoorn, "wachttijd") == (90, 2)  # mean 45 days


def test_occupancy_is_running_seats_over_the_capacity_of_contracted_providers(apeldoorn, user):
    provider = ProviderFactory()
    ContractFactory(provider=provider, municipality=apeldoorn)
    small, large = (
        PlacementFactory(provider=provider, capacity=4),
        PlacementFactory(provider=provider, capacity=6),
    )
    PlacementFactory(capacity=50)  # a provider without a contract with Apeldoorn
    for placement, starts, ended in [
        (small, D(2026, 1, 1), None),
        (small, D(2026, 3, 31), None),
        (large, D(2026, 2, 1), D(2026, 3, 31)),  # its last day is the month's last: still in use
        (large, D(2026, 2, 1), D(2026, 3, 30)),
        (large, D(2026, 4, 1), None),
    ]:
        seat(_resident(apeldoorn, work=True), starts, placement=placement, ended=ended)
    profile_project = ProjectFactory(municipality=apeldoorn)
    programme = Programme.objects.create(
        municipality=apeldoorn,
        name="Meedoen",
        goal="Iedereen doet mee",
        starts_on=D(2026, 1, 1),
        updated_by=user,
    )
    profile = ProjectProfile.objects.create(
        project=profile_project, programme=programme, owner="Ruud", goal="Werk", starts_on=D(2026, 1, 1)
    )
    profile.placements.set([small])

    assert figures(apeldoorn, "bezetting") == (3, 10)
    assert figures(apeldoorn, "bezetting", dimension="project", key=str(profile_project.pk)) == (2, 4)


def test_budget_use_and_cost_per_resident_and_per_outflow_to_the_end_of_the_month(apeldoorn, user):
    year = BudgetYearFactory(municipality=apeldoorn, year=2026)
    source = FundingSourceFactory(budget_year=year, amount=Decimal("1000.00"))
    project = ProjectFactory(municipality=apeldoorn)
    first = CommitmentFactory(source=source, project=project, amount=Decimal("300.00"))
    CommitmentFactory(source=source, amount=Decimal("300.00"))
    for amount, day in ((Decimal("250.00"), D(2026, 3, 10)), (Decimal("100.00"), D(2026, 4, 2))):
        LedgerEntry.objects.create(
            municipality=apeldoorn,
            budget_year=year,
            source=source,
            project=project,
            commitment=first,
            kind=ledger.Kind.PAYMENT.value,
            amount=amount,
            booked_on=day,
        )
    LedgerEntry.objects.create(
        municipality=apeldoorn,
        budget_year=year,
        source=source,
        project=project,
        kind=ledger.Kind.ALLOCATION.value,
        amount=Decimal("500.00"),
        booked_on=D(2026, 1, 2),
        reason="Toewijzing aan het project",
    )
    route(first.resident, user, D(2025, 6, 1), [("betaald_werk", D(2026, 2, 14))])

    # Paid by 31 March: € 250 of a budget of € 1.000; of the project's € 500.
    assert figures(apeldoorn, "budgetgebruik") == (25000, 100000)
    assert figures(apeldoorn, "budgetgebruik", dimension="project", key=str(project.pk)) == (25000, 50000)
    # Two residents with a commitment: € 125 each; one of them went to paid work: € 250 per outflow.
    assert figures(apeldoorn, "kosten-per-inwoner") == (25000, 2)
    assert figures(apeldoorn, "kosten-per-uitstroom") == (25000, 1)


def test_a_resident_belongs_to_a_project_by_target_group_placement_provider_or_explicit_choice(
    apeldoorn, user
):
    do_ensure_vocabularies(apeldoorn)
    group = TargetGroup.objects.get(municipality=apeldoorn, code="45-plus")
    provider = ProviderFactory()
    placement, other = PlacementFactory(), PlacementFactory(provider=provider)
    project = ProjectFactory(municipality=apeldoorn)
    programme = Programme.objects.create(
        municipality=apeldoorn,
        name="Meedoen",
        goal="Iedereen doet mee",
        starts_on=D(2026, 1, 1),
        updated_by=user,
    )
    profile = ProjectProfile.objects.create(
        project=project, programme=programme, owner="Ruud", goal="Werk", starts_on=D(2026, 1, 1)
    )
    profile.target_groups.set([group])
    profile.placements.set([placement])
    profile.providers.set([provider])
    by_group, by_placement, by_provider, chosen, ended_seat, outsider = (
        _resident(apeldoorn, work=True) for _ in range(6)
    )
    for resident in (by_group, by_placement, by_provider, chosen, ended_seat, outsider):
        route(resident, user, D(2026, 1, 1))
    by_group.target_groups.add(group)
    seat(by_placement, D(2026, 2, 1), placement=placement)
    seat(by_provider, D(2026, 2, 1), placement=other)
    seat(ended_seat, D(2026, 1, 1), placement=placement, ended=D(2026, 3, 1))
    ProjectMember.objects.create(
        municipality=apeldoorn, project=project, resident=chosen, since=D(2026, 3, 1), added_by=user
    )
    LegalBasisFactory(resident=outsider, kind="bijstand")

    assert figures(apeldoorn, "in-programma", dimension="project", key=str(project.pk)) == (4, None)
    assert figures(apeldoorn, "in-programma") == (6, None)
