"""The demo: deterministic, idempotent, realistic enough, and every printed login works."""

import datetime as dt
import itertools
import random

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from stdnum.nl import bsn

from meedoen.accounts.models import Membership, User
from meedoen.accounts.policies import Role
from meedoen.demo import generator
from meedoen.demo.population import NamePool, people, valid_bsn
from meedoen.municipalities.models import District
from meedoen.residents.models import LegalBasis, Resident

TODAY = dt.date(2026, 11, 1)


def test_people_are_the_same_for_the_same_seed():
    pool = NamePool(7, size=50)
    first = list(people(1, 40, pool, TODAY, set()))
    second = list(people(1, 40, NamePool(7, size=50), TODAY, set()))
    assert first == second
    assert first != list(people(2, 40, pool, TODAY, set()))


def test_generated_bsns_pass_the_elfproef_and_are_unique():
    taken: set[str] = set()
    numbers = [valid_bsn(random.Random(3), taken) for _ in range(1)] + [
        valid_bsn(random.Random(i), taken) for i in range(2000)
    ]
    assert all(bsn.is_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_ages_follow_the_welfare_marginals():
    persons = list(people(5, 3000, NamePool(5, size=200), TODAY, set()))
    work = [p for p in persons if any(b[0] == "participatiewet" for b in p.bases)]
    over_45 = sum(1 for p in work if (TODAY - p.date_of_birth).days / 365.25 >= 45) / len(work)
    assert 0.50 < over_45 < 0.62  # CBS: 229k of 410k people on welfare are 45 or older (56%)
    assert all((TODAY - p.date_of_birth).days / 365.25 >= 18 for p in persons)
    assert all(start >= p.date_of_birth for p in persons for (_d, _k, start, _e) in p.bases)


@pytest.mark.django_db
def test_demo_is_idempotent_and_covers_three_municipalities():
    counts = generator.generate(size="small", today=TODAY)
    assert counts == generator.SIZES["small"]
    again = generator.generate(size="small", today=TODAY)
    assert again == counts
    assert Resident.objects.count() == sum(counts.values())
    assert District.objects.filter(municipality__slug="apeldoorn").count() == 27
    assert District.objects.filter(municipality__slug="oss").count() == 9


@pytest.mark.django_db
def test_demo_residents_have_legal_bases_and_caseworkers():
    generator.generate(size="small", today=TODAY)
    assert not Resident.objects.filter(legal_bases__isnull=True).exists()
    assert LegalBasis.objects.filter(domain="participatiewet").exists()
    assert LegalBasis.objects.filter(domain="wmo").exists()
    for resident in Resident.objects.prefetch_related("legal_bases"):
        domains = {b.domain for b in resident.legal_bases.all()}
        assert (resident.caseworker_work_id is not None) == ("participatiewet" in domains)
        assert (resident.caseworker_care_id is not None) == ("wmo" in domains)


@pytest.mark.django_db
def test_every_printed_login_has_its_role(settings):
    generator.generate(size="small", today=TODAY)
    logins = generator.demo_logins()
    assert len(logins) == 3 * len(Role)
    for login in logins:
        user = User.objects.get(username=login.username)
        assert user.check_password(login.password)
        assert Membership.objects.filter(
            user=user, role=login.role, municipality__name=login.municipality
        ).exists()


@pytest.mark.django_db
def test_demo_logins_work_in_demo_mode(settings):
    generator.generate(size="small", today=TODAY)
    settings.MEEDOEN_DEMO_MODE = True
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "km.apeldoorn", "password": generator.DEMO_PASSWORD}
    )
    assert response.url == reverse("web:home")
    assert "U begeleidt" in client.get(reverse("web:home")).content.decode()
    resident = Client()
    resident.post(reverse("accounts:login"), {"username": "inwoner.epe", "password": generator.DEMO_PASSWORD})
    # The resident's start page is Mijn Meedoen (docs/portal.md).
    assert "Wat we hebben afgesproken" in resident.get(reverse("web:home"), follow=True).content.decode()


@pytest.mark.django_db
def test_demo_files_are_filled_like_real_ones():
    from meedoen.residents.models import Consent, LadderScore, Plan, Profile, TimelineEvent

    generator.generate(size="small", today=TODAY)
    residents = Resident.objects.count()
    assert Profile.objects.count() == residents
    assert Plan.objects.exclude(goals="").count() == residents
    assert LadderScore.objects.count() >= residents
    assert TimelineEvent.objects.filter(kind="aanmelding").count() == residents
    assert TimelineEvent.objects.filter(kind__in=["notitie", "contact"]).count() >= residents
    assert Consent.objects.exists()
    assert Resident.objects.filter(target_groups__code="45-plus").exists()
    # Ladder histories include steps back, as real routes do.
    steps_back = 0
    for resident in Resident.objects.prefetch_related("ladder_scores"):
        rungs = [s.rung for s in sorted(resident.ladder_scores.all(), key=lambda s: s.scored_on)]
        steps_back += sum(1 for a, b in itertools.pairwise(rungs) if b < a)
        assert all(s.scored_on <= TODAY for s in resident.ladder_scores.all())
    assert steps_back > 0


@pytest.mark.django_db
def test_demo_offer_and_routes_follow_the_rules(monkeypatch):
    from django.db.models import Count, F, Q

    from meedoen.catalogue.models import Placement, Proposal, ProviderStaff
    from meedoen.routes.models import Route
    from meedoen.routes.selectors import effective_steps
    from meedoen.routes.transitions import DEFAULT_RULES, check_step

    # Larger than "small", which has nobody back from paid work yet; far cheaper than "city".
    monkeypatch.setitem(generator.SIZES, "routes", {"apeldoorn": 400, "epe": 20, "oss": 30})
    generator.generate(size="routes", today=TODAY)
    over = Placement.objects.annotate(n=Count("seats", filter=Q(seats__ended_on__isnull=True))).filter(
        n__gt=F("capacity")
    )
    assert not over.exists()
    assert ProviderStaff.objects.filter(membership__user__username="aanbieder.apeldoorn").exists()
    assert Proposal.objects.filter(status="afgewezen", forwarded_to__isnull=False).exists()
    routes = Route.objects.prefetch_related("steps__proposal")
    assert routes.filter(is_fall_back=True).exists()
    assert (
        not Route.objects.values("resident")
        .filter(closed_on__isnull=True)
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    steps_back = 0
    for route in routes:
        steps = effective_steps(route)
        assert steps[0].phase in (
            "kennismaken",
            "verkennen",
            "activerend_werk",
            "leerwerken",
            "werken_met_ondersteuning",
        )
        for before, after in itertools.pairwise(steps):
            check_step(
                DEFAULT_RULES, before.phase, after.phase, has_accepted_proposal=after.proposal is not None
            )
            assert after.starts_on >= before.starts_on
        steps_back += sum(1 for s in steps if s.is_back)
        if route.closed_on:
            assert route.closed_on >= steps[-1].starts_on and route.outcome
    assert steps_back > 0


@pytest.mark.django_db
def test_demo_review_dates_are_the_routes_own():
    """Every open demo route's next review is the plan's date, due by the route's rules after its last step
    or its last review (sooner for a resident in the experiment's arm with more guidance); the file, the
    caseload and the worklist all read that one date."""
    from meedoen.residents.models import Plan
    from meedoen.residents.selectors import review_rhythm
    from meedoen.routes.models import Route
    from meedoen.routes.selectors import effective_steps
    from meedoen.routes.transitions import DEFAULT_RULES, Rhythm, review_due

    generator.generate(size="small", today=TODAY)
    open_routes = Route.objects.filter(closed_on__isnull=True).select_related("resident")
    assert open_routes.exists()
    guided = 0
    for route in open_routes.prefetch_related("reviews"):
        current = effective_steps(route)[-1]
        held = [r.held_on for r in route.reviews.all() if r.phase == current.phase]
        plan = Plan.objects.get(resident=route.resident)
        arm = review_rhythm(route.resident, timezone.localdate())  # as the route's actions planned it
        rhythm = Rhythm(arm.review_every_weeks, arm.starts_on) if arm and arm.review_every_weeks else None
        guided += rhythm is not None
        assert plan.review_on == review_due(DEFAULT_RULES, current.phase, current.starts_on, held, rhythm)
        assert plan.review_on >= TODAY - dt.timedelta(days=21)
    assert guided  # the demo shows residents whose reviews follow the experiment's rhythm


@pytest.mark.django_db
def test_demo_budget_keeps_the_ledger_whole():
    """The demo's year of commitments, releases, invoices and payments adds up: no source committed beyond
    its budget, no commitment invoiced beyond what it committed or paid beyond what was invoiced."""
    from meedoen.budgets import ledger
    from meedoen.budgets.models import BudgetYear, Commitment, InvoiceLine, LedgerEntry

    generator.generate(size="small", today=TODAY)
    years = BudgetYear.objects.filter(year=TODAY.year)
    assert years.count() == 3
    for year in years:
        entries = [
            ledger.Entry(ledger.Kind(e.kind), e.amount, e.source_id, e.project_id, e.commitment_id)
            for e in LedgerEntry.objects.filter(budget_year=year)
        ]
        assert ledger.check(entries) == []
        pot = ledger.total(entries)
        assert pot.budget > pot.net_committed >= pot.invoiced >= pot.paid >= 0
        if year.municipality.slug == "apeldoorn":
            assert pot.paid > 0
            assert Commitment.objects.filter(budget_year=year).exists()
    assert InvoiceLine.objects.filter(status=InvoiceLine.Status.WAITING).exists()
    # As the live code books: a waiting line is not in the ledger until the controller approves it.
    assert not LedgerEntry.objects.filter(invoice_line__status=InvoiceLine.Status.WAITING).exists()
    # The running totals the budget page reads are the ledger's sums.
    from django.db.models import Sum

    from meedoen.budgets.models import LedgerTotal

    keys = ("budget_year_id", "source_id", "project_id", "kind")
    sums = {
        tuple(r[k] for k in keys): ledger.money(r["t"])
        for r in LedgerEntry.objects.values(*keys).annotate(t=Sum("amount")).order_by()
    }
    assert {tuple(getattr(t, k) for k in keys): t.amount for t in LedgerTotal.objects.all()} == sums
    # Running the demo again adds nothing.
    before = LedgerEntry.objects.count()
    generator.generate(size="small", today=TODAY)
    assert LedgerEntry.objects.count() == before


def test_demo_prices_are_the_same_for_the_same_seed():
    from meedoen.demo import offer

    def plan(seed: int) -> list[tuple[str, str, str]]:
        placements = offer.plan_placements(random.Random(seed), 120, len(offer.PROVIDERS))
        return [(p.pricing, p.price_unit, str(p.price)) for p in placements]

    assert plan(7) == plan(7)
    assert plan(7) != plan(8)


@pytest.mark.django_db
def test_demo_placements_are_priced_like_a_municipality_contracts_them():
    from decimal import Decimal

    from meedoen.catalogue.models import Contract, Placement
    from meedoen.demo import offer

    generator.generate(size="small", today=TODAY)
    for contract in Contract.objects.filter(municipality__slug="apeldoorn").select_related("provider"):
        placements = Placement.objects.filter(provider=contract.provider)
        if contract.task_budget is not None:
            assert placements.filter(title__startswith=offer.TASK_TEMPLATE).exists()
            assert contract.task_budget == Decimal("96000.00")
            assert set(placements.values_list("pricing", "price_unit", "price")) <= {("taakgericht", "", 0)}
        else:
            assert not placements.filter(pricing="taakgericht").exists()
    assert Contract.objects.filter(municipality__slug="apeldoorn", task_budget__isnull=False).count() == 1
    mix = {
        variant: Placement.objects.filter(
            provider__contracts__municipality__slug="apeldoorn", pricing=variant
        )
        for variant in ("inspanningsgericht", "outputgericht", "taakgericht")
    }
    counts = {variant: placements.count() for variant, placements in mix.items()}
    assert counts["inspanningsgericht"] > counts["outputgericht"] + counts["taakgericht"]
    assert counts["outputgericht"] > 0 and counts["taakgericht"] > 0
    for kind, unit, low, high in [
        ("dagbesteding", "dagdeel", 40, 60),
        ("begeleid_werk", "uur", 60, 75),
        ("werkervaringsplek", "week", 100, 150),
        ("leerwerkplek", "traject", 2500, 4000),
    ]:
        priced = mix["inspanningsgericht"].filter(kind=kind) | mix["outputgericht"].filter(kind=kind)
        assert priced.exists(), kind
        assert set(priced.values_list("price_unit", flat=True)) == {unit}
        assert all(low <= price <= high for price in priced.values_list("price", flat=True)), kind


@pytest.mark.django_db
def test_demo_municipality_runs_the_regelluwe_bijstand_experiment():
    from meedoen.demo.experiment import JOINT_TITLE, TITLE
    from meedoen.experiments.models import Experiment, Participant, Partner

    generator.generate(size="small", today=TODAY)
    experiment = Experiment.objects.get(municipality__slug="apeldoorn", title=TITLE)
    assert experiment.status == Experiment.Status.RECRUITING and len(experiment.registered_hash) == 64
    participants = Participant.objects.filter(experiment=experiment)
    assert participants.exclude(arm="").exists()
    assert participants.filter(status=Participant.Status.INVITED, arm="").exists() or participants.count() < 5
    assert set(participants.exclude(arm="").values_list("arm", flat=True)) <= {
        "regulier",
        "eigen_regie",
        "intensief",
    }
    # Apeldoorn has invited Epe to a joint design, which Epe has not answered yet.
    joint = Experiment.objects.get(municipality__slug="apeldoorn", title=JOINT_TITLE)
    assert joint.status == Experiment.Status.DESIGN
    assert Partner.objects.get(experiment=joint).municipality.slug == "epe"
    assert Partner.objects.get(experiment=joint).status == Partner.Status.INVITED
    generator.generate(size="small", today=TODAY)  # idempotent: no second experiment, nobody re-randomised
    assert Experiment.objects.filter(municipality__slug="apeldoorn").count() == 2
