"""Every read of the budget, scoped to the actor's municipality and rights. Sums are computed in the
database (one grouped query per table on a page), never by loading entries into Python.

The sections below are owned by different parts of the work; keep new functions in their own section.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.budgets import invoice_checks, ledger, rules, taakvelden
from meedoen.budgets.models import (
    BudgetYear,
    Commitment,
    FundingRule,
    FundingSource,
    Invoice,
    InvoiceLine,
    LedgerEntry,
    LedgerTotal,
    Project,
)
from meedoen.catalogue.models import Attendance, Contract, Placement, Proposal, Provider, Seat
from meedoen.catalogue.selectors import provider_of
from meedoen.formatting import euro
from meedoen.municipalities.models import Municipality
from meedoen.routes.selectors import RouteEvent, route_events_between


def _require(actor: Actor, capability: Capability) -> None:
    if not actor.may(capability):
        raise PermissionDenied


def sums_by(entries: QuerySet[LedgerEntry] | QuerySet[LedgerTotal], key: str) -> dict[object, ledger.Balance]:
    """Balances per ``key`` (``"source_id"``, ``"project_id"``, ``"commitment_id"``, ``"source__taakveld"``)
    from one grouped query: ``SELECT key, kind, SUM(amount) ... GROUP BY key, kind``, over the entries or
    over their running totals (``LedgerTotal``: the same sums from far fewer rows; no commitment key)."""
    rows = entries.values(key, "kind").annotate(total=Sum("amount")).order_by()
    grouped: dict[object, dict[str, object]] = {}
    for row in rows:
        grouped.setdefault(row[key], {})[row["kind"]] = row["total"]
    return {k: ledger.balance_from_sums(v) for k, v in grouped.items()}  # type: ignore[arg-type]


def budget_years(actor: Actor) -> QuerySet[BudgetYear]:
    _require(actor, Capability.VIEW_BUDGET)
    return BudgetYear.objects.filter(municipality_id=actor.municipality_id)


# ------------------------------------------------------------ budget year, sources, projects, allocations


def budget_year_and_years(year_id: uuid.UUID, actor: Actor) -> tuple[BudgetYear, list[BudgetYear]]:
    """A budget year of the actor's municipality to look at (404 for another's) and all its years (for the
    links to the other years), from one query."""
    years = list(budget_years(actor))
    found = next((year for year in years if year.pk == year_id), None)
    if found is None:
        raise Http404
    return found, years


def view_budget_year(year_id: uuid.UUID, actor: Actor) -> BudgetYear:
    """A budget year of the actor's municipality to look at (404 for another's)."""
    _require(actor, Capability.VIEW_BUDGET)
    return get_object_or_404(BudgetYear, pk=year_id, municipality_id=actor.municipality_id)


def current_budget_year(actor: Actor, today: dt.date) -> BudgetYear | None:
    """The year of ``today`` when it was opened, else the latest opened year."""
    years = budget_years(actor)
    return years.filter(year=today.year).first() or years.first()


def source_for_change(source_id: uuid.UUID, actor: Actor) -> FundingSource:
    _require(actor, Capability.MANAGE_BUDGET)
    return get_object_or_404(
        FundingSource.objects.select_related("budget_year"),
        pk=source_id,
        municipality_id=actor.municipality_id,
    )


def all_projects(actor: Actor) -> QuerySet[Project]:
    _require(actor, Capability.VIEW_BUDGET)
    return Project.objects.filter(municipality_id=actor.municipality_id).order_by("name")


def rules_of_year(budget_year: BudgetYear) -> QuerySet[FundingRule]:
    return FundingRule.objects.filter(budget_year=budget_year).select_related("source", "project")


@dataclass(frozen=True)
class BudgetRow:
    """One line of the budget page: what it is, its sums and its forecast to year end."""

    key: str
    label: str
    balance: ledger.Balance
    forecast: ledger.Forecast

    @property
    def over(self) -> bool:
        return self.forecast.expected > self.balance.available


@dataclass(frozen=True)
class BudgetPage:
    budget_year: BudgetYear
    today: dt.date
    sources: list[BudgetRow]
    projects: list[BudgetRow]
    taakvelden: list[BudgetRow]
    total: BudgetRow


def _row(key: str, label: str, balance: ledger.Balance, year: int, today: dt.date) -> BudgetRow:
    return BudgetRow(key, label, balance, ledger.forecast(balance, year=year, today=today))


def _source_rows(
    sources: list[FundingSource], per_source: dict[object, ledger.Balance], year: int, today: dt.date
) -> list[BudgetRow]:
    return [_row(str(s.pk), s.name, per_source.get(s.pk, ledger.Balance()), year, today) for s in sources]


def sources_report(budget_year: BudgetYear, *, today: dt.date) -> tuple[list[BudgetRow], BudgetRow]:
    """The per-source table and its total for the operator's command line (``meedoen budget report``): sums
    of money only, no personal data, so it needs no actor. Screens and the API use ``budget_page``."""
    sources = list(FundingSource.objects.filter(budget_year=budget_year).order_by("taakveld", "name"))
    per_source = sums_by(LedgerTotal.objects.filter(budget_year=budget_year), "source_id")
    rows = _source_rows(sources, per_source, budget_year.year, today)
    total = ledger.Balance()
    for row in rows:
        total = total.merged(row.balance)
    return rows, _row("", "Totaal", total, budget_year.year, today)


def budget_page(budget_year: BudgetYear, actor: Actor, *, today: dt.date) -> BudgetPage:
    """The budget per source, per project and per taakveld from the year's running totals (per source,
    project and kind, kept with every entry); the taakvelden and the total are added up from the sources."""
    _require(actor, Capability.VIEW_BUDGET)
    if budget_year.municipality_id != actor.municipality_id:
        raise Http404
    year = budget_year.year
    # One query: the year's sources with their running totals (a few hundred rows, not the entries: decision
    # 0014) and the project of each total; a source without a total yet comes with None.
    rows = FundingSource.objects.filter(budget_year=budget_year).values_list(
        "pk", "name", "taakveld", "totals__project_id", "totals__kind", "totals__amount",
        "totals__project__code", "totals__project__name", "totals__project__municipality_id",
    ).order_by("taakveld", "name", "pk")  # fmt: skip
    sources: dict[uuid.UUID, FundingSource] = {}
    by_source: dict[object, dict[str, Decimal]] = {}
    by_project: dict[object, dict[str, Decimal]] = {}
    project_labels: dict[object, tuple[str, str]] = {}
    for source_id, name, taakveld, project_id, kind, amount, code, project_name, project_town in rows:
        if source_id not in sources:
            sources[source_id] = FundingSource(pk=source_id, name=name, taakveld=taakveld)
        if kind is None:
            continue
        kinds = by_source.setdefault(source_id, {})
        kinds[kind] = kinds.get(kind, ledger.ZERO) + amount
        if project_id is not None and project_town == actor.municipality_id:
            project_labels[project_id] = (code, project_name)
            kinds = by_project.setdefault(project_id, {})
            kinds[kind] = kinds.get(kind, ledger.ZERO) + amount
    per_source = {k: ledger.balance_from_sums(v) for k, v in by_source.items()}  # type: ignore[arg-type]
    # A project's budget is what was allocated to it (budget entries belong to a source, not a project).
    per_project = {
        k: replace(balance, budget=balance.allocated)
        for k, balance in ((k, ledger.balance_from_sums(v)) for k, v in by_project.items())  # type: ignore[arg-type]
    }
    ordered = list(sources.values())  # by taakveld and name, as the query gave them
    source_rows = _source_rows(ordered, per_source, year, today)
    project_rows = [
        _row(code, name, per_project[pk], year, today)
        for pk, (code, name) in sorted(project_labels.items(), key=lambda i: (i[1][1].casefold(), i[1]))
    ]
    by_taakveld: dict[str, ledger.Balance] = {}
    total = ledger.Balance()
    for source in ordered:
        balance = per_source.get(source.pk, ledger.Balance())
        by_taakveld[source.taakveld] = by_taakveld.get(source.taakveld, ledger.Balance()).merged(balance)
        total = total.merged(balance)
    taakveld_rows = []
    for code, balance in sorted(by_taakveld.items()):
        known = taakvelden.taakveld(code, year)
        taakveld_rows.append(_row(code, known.label if known else code, balance, year, today))
    return BudgetPage(
        budget_year, today, source_rows, project_rows, taakveld_rows, _row("", "Totaal", total, year, today)
    )


def budget_by_provider(budget_year: BudgetYear, actor: Actor, *, today: dt.date) -> list[BudgetRow]:
    """Committed, invoiced and paid per provider in the year (one grouped query through the commitments;
    a provider has no budget of its own, so its free column is what it still has open)."""
    _require(actor, Capability.VIEW_BUDGET)
    if budget_year.municipality_id != actor.municipality_id:
        raise Http404
    entries = LedgerEntry.objects.filter(budget_year=budget_year, commitment__isnull=False)
    sums = sums_by(entries, "commitment__provider_id")
    names: dict[object, str] = dict(Provider.objects.filter(pk__in=list(sums)).values_list("pk", "name"))
    rows = [_row(str(pk), names[pk], balance, budget_year.year, today) for pk, balance in sums.items()]
    return sorted(rows, key=lambda row: row.label)


SMALL_CELL = 5
PAID_WORK = "betaald_werk"


@dataclass(frozen=True)
class ProjectCost:
    """What a project cost in a year per resident and per outflow to paid work. ``residents`` and
    ``outflows`` are text: "<5" for a small group when the reader may only see aggregates."""

    project: Project
    paid: Decimal
    residents: str
    outflows: str
    per_resident: Decimal | None
    per_outflow: Decimal | None


def _shown(count: int, suppress: bool) -> str:
    return f"<{SMALL_CELL}" if suppress and 0 < count < SMALL_CELL else str(count)


def project_costs(actor: Actor, budget_year: BudgetYear) -> list[ProjectCost]:
    """Per project: paid in the year, the residents with a commitment on it, how many of them stepped into
    paid work (a route step into phase "betaald werk" in the year), and the cost per resident and per outflow.
    Counted in the database. Programme roles (no right to manage the budget) see groups under five as
    "<5" and no amount per person for them, so no resident can be recognised."""
    _require(actor, Capability.VIEW_BUDGET)
    if budget_year.municipality_id != actor.municipality_id:
        raise Http404
    suppress = not actor.may(Capability.MANAGE_BUDGET)
    paid = sums_by(LedgerTotal.objects.filter(budget_year=budget_year, project__isnull=False), "project_id")
    commitments = Commitment.objects.filter(budget_year=budget_year, project__isnull=False)
    residents = dict(
        commitments.values("project_id")
        .annotate(n=Count("resident_id", distinct=True))
        .values_list("project_id", "n")
    )
    outflows = dict(
        commitments.filter(
            resident__routes__steps__phase=PAID_WORK,
            resident__routes__steps__starts_on__year=budget_year.year,
        )
        .values("project_id")
        .annotate(n=Count("resident_id", distinct=True))
        .values_list("project_id", "n")
    )
    result = []
    projects = Project.objects.filter(municipality_id=actor.municipality_id, pk__in={*paid, *residents})
    for project in projects.order_by("name"):
        amount = paid.get(project.pk, ledger.Balance()).paid
        n_residents = residents.get(project.pk, 0)
        n_outflows = outflows.get(project.pk, 0)
        hidden = suppress and 0 < n_residents < SMALL_CELL
        result.append(
            ProjectCost(
                project=project,
                paid=amount,
                residents=_shown(n_residents, suppress),
                outflows=_shown(n_outflows, suppress),
                per_resident=None if hidden or not n_residents else ledger.money(amount / n_residents),
                per_outflow=None
                if hidden or not n_outflows or (suppress and n_outflows < SMALL_CELL)
                else ledger.money(amount / n_outflows),
            )
        )
    return result


def mutations_of(source: FundingSource) -> QuerySet[LedgerEntry]:
    """The source's budget and its mutations, oldest first, with who booked them."""
    return (
        LedgerEntry.objects.filter(
            source=source, kind__in=[ledger.Kind.BUDGET.value, ledger.Kind.MUTATION.value]
        )
        .select_related("author")
        .order_by("booked_on", "id")
    )


# ------------------------------------------------------------------------------- commitments


def municipality_by_slug(slug: str) -> Municipality | None:
    """The municipality an operator names on the command line (no actor: the CLI shows no personal data)."""
    return Municipality.objects.filter(slug=slug).first()


def budget_year_of(municipality_id: uuid.UUID, year: int) -> BudgetYear | None:
    """The municipality's budget year ``year``, or None when it was not opened (then nothing is committed)."""
    return BudgetYear.objects.filter(municipality_id=municipality_id, year=year).first()


def free_of(source_id: uuid.UUID) -> Decimal:
    """A source's free budget from its running totals (read under the source's row lock, which every
    booking on the source's commitments takes first)."""
    return (
        sums_by(LedgerTotal.objects.filter(source_id=source_id), "source_id")
        .get(source_id, ledger.Balance())
        .free
    )


def balance_of(commitment: Commitment) -> ledger.Balance:
    """Committed, released, invoiced and paid of one commitment, from one grouped SUM."""
    entries = LedgerEntry.objects.filter(commitment_id=commitment.pk)
    return sums_by(entries, "commitment_id").get(commitment.pk, ledger.Balance())


def price_of(placement: Placement) -> ledger.Price:
    unit = ledger.Unit(placement.price_unit) if placement.price_unit else None
    return ledger.Price(pricing=ledger.Pricing(placement.pricing), amount=placement.price, unit=unit)


@dataclass(frozen=True)
class PlannedCost:
    """What a placement would commit in one budget year: which source pays (or ``problem``: why none can),
    the period, the price and volume, and the amount. For a taakgericht placement ``contract`` is the
    provider's contract, committed once per year (``amount`` is zero when that was done already)."""

    budget_year: BudgetYear
    choice: rules.Choice
    source: FundingSource | None
    project: Project | None
    starts_on: dt.date
    ends_on: dt.date
    price: ledger.Price
    volume: ledger.Volume
    amount: Decimal
    contract: Contract | None = None
    problem: str = ""


@dataclass(frozen=True)
class YearTerms:
    """What choosing a source and pricing a placement need of one budget year, read once: its funding rules,
    sources and projects, and the municipality's contracts by provider. A page or an action that prices many
    placements (the waiting proposals, committing running seats) reads these four tables once, not per
    placement."""

    budget_year: BudgetYear
    funding_rules: list[rules.RuleRow]
    source_rows: list[rules.SourceRow]
    sources: dict[uuid.UUID, FundingSource]
    projects: dict[uuid.UUID, Project]
    contracts: dict[uuid.UUID, Contract]


def year_terms(budget_year: BudgetYear) -> YearTerms:
    sources = {s.pk: s for s in FundingSource.objects.filter(budget_year=budget_year)}
    return YearTerms(
        budget_year=budget_year,
        funding_rules=[
            rules.RuleRow(r.domain, r.placement_funding, r.placement_kind, r.source_id, r.project_id)
            for r in FundingRule.objects.filter(budget_year=budget_year)
        ],
        source_rows=[rules.SourceRow(s.pk, s.name, s.legal_basis) for s in sources.values()],
        sources=sources,
        projects={p.pk: p for p in Project.objects.filter(municipality_id=budget_year.municipality_id)},
        contracts={
            c.provider_id: c for c in Contract.objects.filter(municipality_id=budget_year.municipality_id)
        },
    )


def planned_cost(
    placement: Placement,
    *,
    budget_year: BudgetYear,
    domain: str,
    starts_on: dt.date,
    hours_per_week: Decimal | int,
    ended_on: dt.date | None = None,
    terms: YearTerms | None = None,
) -> PlannedCost | None:
    """The cost of a placement for a resident from ``starts_on`` (the proposal's start, or the seat's) within
    ``budget_year``, priced the placement's way; None when the placement does not run in that year. Pass
    ``terms`` (``year_terms``) when pricing many placements of one year."""
    terms = terms or year_terms(budget_year)
    contract = terms.contracts.get(placement.provider_id)
    contract_end = contract.ends_on if contract else None
    price = price_of(placement)
    volume = ledger.Volume(hours_per_week=Decimal(hours_per_week), days_per_week=len(placement.days))
    choice = rules.choose_source(
        terms.funding_rules,
        terms.source_rows,
        domain=domain,
        funding=placement.funding,
        kind=placement.kind,
        year=budget_year.year,
    )
    source = terms.sources.get(choice.source) if choice.source else None  # type: ignore[call-overload]
    project = terms.projects.get(choice.project) if choice.project else None  # type: ignore[call-overload]
    if price.pricing is ledger.Pricing.TASK:
        if contract is None:
            return None
        period = rules.commitment_period(budget_year.year, contract.starts_on, contract_ends_on=contract_end)
        if period is None:
            return None
        problem = choice.problem
        if contract.task_budget is None and not problem:
            problem = (
                f"Het contract met {placement.provider.name} heeft geen vast bedrag per jaar, maar deze "
                "plek wordt taakgericht betaald. De gemeente moet eerst het bedrag per jaar in het contract "
                "zetten."
            )
        done = Commitment.objects.filter(contract=contract, budget_year=budget_year).exists()
        amount = ledger.ZERO if done or contract.task_budget is None else ledger.money(contract.task_budget)
        return PlannedCost(
            budget_year, choice, source, project, *period, price, volume, amount, contract, problem
        )
    period = rules.commitment_period(
        budget_year.year, starts_on, contract_ends_on=contract_end, ended_on=ended_on
    )
    if period is None:
        return None
    amount = ledger.cost(price, volume, *period)
    return PlannedCost(
        budget_year, choice, source, project, *period, price, volume, amount, None, choice.problem
    )


def proposal_budget_warnings(
    *, municipality_id: uuid.UUID, placement: Placement, domain: str, start_date: dt.date, hours_per_week: int
) -> list[str]:
    """The caseworker's warnings on the propose page: the expected cost would not fit the free budget of the
    source that pays, or no source can pay. Only the source's free amount is shown, never other residents.
    Nothing here stops a proposal; the accept is where the money is committed (or refused)."""
    budget_year = budget_year_of(municipality_id, start_date.year)
    if budget_year is None:
        return []
    plan = planned_cost(
        placement, budget_year=budget_year, domain=domain, starts_on=start_date, hours_per_week=hours_per_week
    )
    if plan is None:
        return []
    if plan.problem:
        return [f"Let op: {plan.problem} Tot dan kan de aanbieder dit voorstel niet accepteren."]
    assert plan.source is not None
    free = free_of(plan.source.pk)
    if plan.amount <= free:
        return []
    return [
        f"Let op: er is nog {euro(free)} vrij in {plan.source.name}, deze plaatsing kost "
        f"{euro(plan.amount)}; de controller moet toestemming geven om over het budget te gaan."
    ]


def _require_manage(actor: Actor) -> None:
    _require(actor, Capability.MANAGE_BUDGET)


def access_budget_year(year_id: uuid.UUID, actor: Actor) -> BudgetYear:
    """A budget year of the actor's municipality (404 for another's) for the controller's screens."""
    _require_manage(actor)
    return get_object_or_404(BudgetYear, pk=year_id, municipality_id=actor.municipality_id)


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    balance: ledger.Balance


@dataclass(frozen=True)
class SourceCommitments:
    source: FundingSource
    rows: list[CommitmentRow]
    total: ledger.Balance


def _commitment_rows() -> QuerySet[Commitment]:
    return Commitment.objects.select_related(
        "source", "project", "provider", "resident", "seat__placement", "contract", "budget_year"
    )


def commitments_of_year(budget_year: BudgetYear, actor: Actor) -> list[SourceCommitments]:
    """Every commitment of the year per source, with its sums (one grouped query over the year's entries).
    Resident names are shown: the read is in the processing log (financiering)."""
    _require_manage(actor)
    commitments = list(
        _commitment_rows().filter(budget_year=budget_year).order_by("source__name", "starts_on")
    )
    sums = sums_by(
        LedgerEntry.objects.filter(budget_year=budget_year, commitment__isnull=False), "commitment_id"
    )
    sources = {s.pk: s for s in FundingSource.objects.filter(budget_year=budget_year).order_by("name")}
    per_source: dict[uuid.UUID, list[CommitmentRow]] = {pk: [] for pk in sources}
    for commitment in commitments:
        per_source[commitment.source_id].append(
            CommitmentRow(commitment, sums.get(commitment.pk, ledger.Balance()))
        )
    result = []
    for pk, rows in per_source.items():
        total = ledger.Balance()
        for row in rows:
            total = total.merged(row.balance)
        result.append(SourceCommitments(sources[pk], rows, total))
    residents = [c.resident_id for c in commitments if c.resident_id]
    if residents:
        log.record(actor, LogAction.VIEW, Purpose.BUDGET, residents)
    return result


@dataclass(frozen=True)
class CommitmentFile:
    """One commitment as the controller sees it: its sums, its entries and, visible beside them, the
    resident's route steps and fall-backs during its period (they move no money by themselves)."""

    commitment: Commitment
    balance: ledger.Balance
    entries: list[LedgerEntry]
    route_events: list[RouteEvent]


def _own_commitment(commitment_id: uuid.UUID, actor: Actor) -> Commitment:
    return get_object_or_404(_commitment_rows(), pk=commitment_id, municipality_id=actor.municipality_id)


def access_commitment(commitment_id: uuid.UUID, actor: Actor) -> CommitmentFile:
    _require_manage(actor)
    commitment = _own_commitment(commitment_id, actor)
    entries = list(
        LedgerEntry.objects.filter(commitment=commitment).select_related("source", "author").order_by("id")
    )
    events: list[RouteEvent] = []
    if commitment.resident_id:
        events = route_events_between(
            commitment.resident_id, actor.municipality_id, commitment.starts_on, commitment.ends_on
        )
        log.record(actor, LogAction.VIEW, Purpose.BUDGET, [commitment.resident_id])
    return CommitmentFile(commitment, balance_of(commitment), entries, events)


def commitment_for_change(commitment_id: uuid.UUID, actor: Actor) -> Commitment:
    """A commitment of the actor's municipality to extend or re-attribute (404 for another's)."""
    _require_manage(actor)
    return _own_commitment(commitment_id, actor)


def sources_of_year(budget_year: BudgetYear) -> QuerySet[FundingSource]:
    return FundingSource.objects.filter(budget_year=budget_year).order_by("name")


def projects_of(actor: Actor) -> QuerySet[Project]:
    return Project.objects.filter(municipality_id=actor.municipality_id, is_active=True).order_by("name")


@dataclass(frozen=True)
class WaitingProposal:
    proposal: Proposal
    plan: PlannedCost
    free: Decimal


def proposals_waiting_for_budget(budget_year: BudgetYear, actor: Actor) -> list[WaitingProposal]:
    """Open proposals starting in the year whose expected cost is more than the free budget of the source
    that would pay, without a permission yet. Each source's free budget comes from one grouped query."""
    _require(actor, Capability.APPROVE_OVERSPEND)
    if budget_year.municipality_id != actor.municipality_id:
        raise Http404
    proposals = (
        Proposal.objects.filter(
            municipality_id=actor.municipality_id,
            status=Proposal.Status.SENT,
            start_date__year=budget_year.year,
            overspend_approval__isnull=True,
        )
        .select_related("resident", "placement__provider")
        .order_by("start_date")
    )
    free = {
        pk: balance.free
        for pk, balance in sums_by(LedgerTotal.objects.filter(budget_year=budget_year), "source_id").items()
    }
    waiting = []
    terms = year_terms(budget_year)
    for proposal in proposals:
        plan = planned_cost(
            proposal.placement,
            budget_year=budget_year,
            domain=proposal.domain,
            starts_on=proposal.start_date,
            hours_per_week=proposal.hours_per_week,
            terms=terms,
        )
        if plan is None or plan.source is None:
            continue
        room = free.get(plan.source.pk, ledger.ZERO)
        if plan.amount > room:
            waiting.append(WaitingProposal(proposal, plan, room))
    if waiting:
        log.record(actor, LogAction.VIEW, Purpose.BUDGET, [w.proposal.resident_id for w in waiting])
    return waiting


def record_proposal_read(proposal: Proposal, actor: Actor) -> None:
    """The approve page shows the resident's name: a read in the processing log (financiering)."""
    log.record(actor, LogAction.VIEW, Purpose.BUDGET, [proposal.resident_id])


def proposal_for_approval(proposal_id: uuid.UUID, actor: Actor) -> Proposal:
    """An open proposal of the actor's municipality that the controller may let go over budget."""
    _require(actor, Capability.APPROVE_OVERSPEND)
    return get_object_or_404(
        Proposal.objects.select_related("resident", "placement__provider"),
        pk=proposal_id,
        municipality_id=actor.municipality_id,
    )


# ------------------------------------------------------------------------------ invoices, review, payments
# (the invoices part of the work: the provider's invoices, matching a line, the controller's review)


def invoice_provider(actor: Actor) -> Provider:
    """The provider a provider user invoices for; 403 for every other role."""
    return provider_of(actor)


@dataclass(frozen=True)
class SeatRow:
    """What matching needs of a seat: its period, its resident and its placement's price."""

    id: uuid.UUID
    resident_id: uuid.UUID
    starts_on: dt.date
    ended_on: dt.date | None
    price: Decimal
    price_unit: str


@dataclass(frozen=True)
class CommitmentTerms:
    id: uuid.UUID
    unit: str
    unit_price: Decimal


@dataclass(frozen=True)
class InvoiceMatchData:
    """What the lines of one invoice are matched against, read for the whole invoice in a few queries:
    the provider's seats in the municipality, their commitments in the month's budget year with what is
    still open on each, the attendance reported in the month, and earlier lines for the same month. Plain
    rows, not model instances: a file of 10,000 lines must stay within seconds."""

    seats: dict[uuid.UUID, SeatRow]
    commitments: dict[uuid.UUID, CommitmentTerms]  # by seat id
    open_amounts: dict[uuid.UUID, Decimal]  # by commitment id
    weeks: dict[uuid.UUID, list[invoice_checks.Week]]  # by seat id
    # by seat id: (invoice number, unit, units) of each live line for the month
    invoiced_before: dict[uuid.UUID, list[tuple[str, str, Decimal]]]
    task: "TaskTerms | None" = None  # the provider's taakgericht contract, when it has one


@dataclass(frozen=True)
class TaskTerms:
    """A taakgericht contract as an invoice line is matched to it: a line names the contract's id instead of
    a seat, per month, at the month's part of the yearly amount (``ledger.task_months``: the twelve add up
    to the commitment exactly); ``commitment_id`` is its commitment in the month's
    budget year (None before one was made) and ``open_amount`` what is still open on it."""

    id: uuid.UUID
    starts_on: dt.date
    ends_on: dt.date | None
    unit_price: Decimal  # the month's part of the yearly amount (``ledger.task_months``)
    commitment_id: uuid.UUID | None
    open_amount: Decimal
    invoiced_before: list[tuple[str, str, Decimal]]  # live lines on the contract in the month


TASK_UNIT = "maand"


def task_terms(
    provider: Provider, municipality_id: uuid.UUID, month: dt.date, waiting: dict[uuid.UUID, Decimal]
) -> TaskTerms | None:
    """The provider's taakgericht contract with the municipality (a yearly amount), or None."""
    contract = Contract.objects.filter(
        municipality_id=municipality_id, provider=provider, task_budget__isnull=False
    ).first()
    if contract is None or contract.task_budget is None:
        return None
    commitment_id, yearly = (
        Commitment.objects.filter(contract=contract, budget_year__year=month.year)
        .values_list("id", "unit_price")
        .first()
    ) or (None, contract.task_budget)
    open_amount = ledger.ZERO
    if commitment_id is not None:
        balance = sums_by(LedgerEntry.objects.filter(commitment_id=commitment_id), "commitment_id").get(
            commitment_id, ledger.Balance()
        )
        open_amount = balance.open_commitment - (waiting.get(commitment_id) or ledger.ZERO)
    before = list(
        InvoiceLine.objects.filter(contract=contract, invoice__month=month, seat__isnull=True)
        .exclude(status=InvoiceLine.Status.REJECTED)
        .values_list("invoice__number", "unit", "units")
    )
    return TaskTerms(
        id=contract.pk,
        starts_on=contract.starts_on,
        ends_on=contract.ends_on,
        unit_price=ledger.task_month(yearly, month.month),
        commitment_id=commitment_id,
        open_amount=open_amount,
        invoiced_before=before,
    )


def invoice_match_data(provider: Provider, municipality_id: uuid.UUID, month: dt.date) -> InvoiceMatchData:
    """Seven queries, however many lines the invoice has (the import bench keeps it so); four more when the
    provider has a taakgericht contract."""
    seats = {
        row[0]: SeatRow(*row)
        for row in Seat.objects.filter(
            municipality_id=municipality_id, placement__provider=provider
        ).values_list(
            "id", "resident_id", "starts_on", "ended_on", "placement__price", "placement__price_unit"
        )
    }
    commitment_rows = Commitment.objects.filter(
        municipality_id=municipality_id,
        provider=provider,
        seat__isnull=False,
        budget_year__year=month.year,
    )
    commitments: dict[uuid.UUID, CommitmentTerms] = {
        seat_id: CommitmentTerms(pk, unit, unit_price)
        for pk, seat_id, unit, unit_price in commitment_rows.values_list(
            "id", "seat_id", "unit", "unit_price"
        )
    }
    sums: dict[uuid.UUID, dict[str, Decimal]] = {}
    for commitment_id, kind, total in (
        LedgerEntry.objects.filter(commitment_id__in=commitment_rows.values("id"))
        .values_list("commitment_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        sums.setdefault(commitment_id, {})[kind] = total
    waiting: dict[uuid.UUID, Decimal] = dict(
        InvoiceLine.objects.filter(
            municipality_id=municipality_id,
            invoice__provider=provider,
            status=InvoiceLine.Status.WAITING,
            commitment__isnull=False,
            entries__isnull=True,  # a waiting line already booked as invoiced is in the ledger's sums
        )
        .values_list("commitment_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    zero = ledger.ZERO
    open_amounts = {}
    for commitment in commitments.values():
        kinds = sums.get(commitment.id, {})
        open_amounts[commitment.id] = (
            (kinds.get(ledger.Kind.COMMITMENT.value) or zero)
            - (kinds.get(ledger.Kind.RELEASE.value) or zero)
            - (kinds.get(ledger.Kind.INVOICE.value) or zero)
            - (waiting.get(commitment.id) or zero)
        )
    weeks: dict[uuid.UUID, list[invoice_checks.Week]] = {}
    last = invoice_checks.month_end(month)
    for row in Attendance.objects.filter(
        seat__municipality_id=municipality_id,
        seat__placement__provider=provider,
        week__gte=month - dt.timedelta(days=6),
        week__lte=last,
    ).values_list("seat_id", "week", "days_present", "hours_present"):
        weeks.setdefault(row[0], []).append(invoice_checks.Week(row[1], row[2], row[3]))
    invoiced_before: dict[uuid.UUID, list[tuple[str, str, Decimal]]] = {}
    for seat_id, number, unit, units in (
        InvoiceLine.objects.filter(
            municipality_id=municipality_id,
            invoice__provider=provider,
            invoice__month=month,
            seat__isnull=False,
        )
        .exclude(status=InvoiceLine.Status.REJECTED)
        .values_list("seat_id", "invoice__number", "unit", "units")
    ):
        invoiced_before.setdefault(seat_id, []).append((number, unit, units))
    task = task_terms(provider, municipality_id, month, waiting)
    return InvoiceMatchData(seats, commitments, open_amounts, weeks, invoiced_before, task)


def invoice_number_taken(provider: Provider, municipality_id: uuid.UUID, number: str) -> bool:
    return Invoice.objects.filter(municipality_id=municipality_id, provider=provider, number=number).exists()


@dataclass(frozen=True)
class InvoiceSummary:
    invoice: Invoice
    lines: int
    total: Decimal
    waiting: int
    approved: int
    rejected: int
    flagged: int


def _summaries(invoices: QuerySet[Invoice]) -> list[InvoiceSummary]:
    rows = invoices.annotate(
        n_lines=Count("lines"),
        total=Sum("lines__amount"),
        n_waiting=Count("lines", filter=Q(lines__status=InvoiceLine.Status.WAITING)),
        n_approved=Count("lines", filter=Q(lines__status=InvoiceLine.Status.APPROVED)),
        n_rejected=Count("lines", filter=Q(lines__status=InvoiceLine.Status.REJECTED)),
        n_flagged=Count("lines", filter=~Q(lines__flags=[])),
    )
    return [
        InvoiceSummary(
            i,
            i.n_lines,
            i.total or ledger.ZERO,
            i.n_waiting,
            i.n_approved,
            i.n_rejected,
            i.n_flagged,
        )
        for i in rows
    ]


def provider_invoices(actor: Actor) -> list[InvoiceSummary]:
    """The provider's own invoices in the municipality of the membership, newest month first, with their
    totals (no resident is named, so nothing is logged)."""
    provider = invoice_provider(actor)
    return _summaries(
        Invoice.objects.filter(municipality_id=actor.municipality_id, provider=provider).order_by(
            "-month", "-submitted_at"
        )[:200]
    )


@dataclass(frozen=True)
class InvoicePage:
    invoice: Invoice
    lines: list[InvoiceLine]
    total: Decimal


def _invoice_lines(invoice: Invoice) -> list[InvoiceLine]:
    return list(
        invoice.lines.select_related("resident", "seat__placement", "reviewed_by").order_by("row")[:20_000]
    )


def access_provider_invoice(invoice_id: uuid.UUID, actor: Actor) -> InvoicePage:
    """One of the provider's own invoices with its lines (residents with amounts: logged, financiering);
    404 for another provider's or another municipality's invoice."""
    provider = invoice_provider(actor)
    invoice = get_object_or_404(
        Invoice.objects.select_related("provider", "submitted_by"),
        pk=invoice_id,
        municipality_id=actor.municipality_id,
        provider=provider,
    )
    lines = _invoice_lines(invoice)
    residents = sorted({line.resident_id for line in lines if line.resident_id})
    if residents:
        log.record(actor, LogAction.VIEW, Purpose.BUDGET, residents)
    return InvoicePage(invoice, lines, sum((line.amount for line in lines), ledger.ZERO))


def seats_to_invoice(actor: Actor, month: dt.date | None = None) -> list[Seat]:
    """The provider's seats that ran in the last fourteen months (or in ``month``), to choose from on the
    invoice form; names are shown, so the read is logged as a search."""
    provider = invoice_provider(actor)
    today = timezone.localdate()
    since = month or dt.date(today.year - 1, today.month, 1)
    until = invoice_checks.month_end(month) if month else today
    seats = list(
        Seat.objects.filter(
            municipality_id=actor.municipality_id,
            placement__provider=provider,
            starts_on__lte=until,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=since))
        .select_related("resident", "placement")
        .order_by("resident__family_name", "resident__given_names", "starts_on")[:1000]
    )
    if seats:
        log.record(actor, LogAction.SEARCH, Purpose.BUDGET, sorted({s.resident_id for s in seats}))
    return seats


def task_contract_to_invoice(actor: Actor) -> Contract | None:
    """The provider's taakgericht contract with the actor's municipality (a yearly amount), to invoice per
    month; None when it has none. No resident is named."""
    provider = invoice_provider(actor)
    return Contract.objects.filter(
        municipality_id=actor.municipality_id, provider=provider, task_budget__isnull=False
    ).first()


def task_months_to_invoice(contract: Contract, year: int) -> list[Decimal]:
    """The twelve monthly amounts a taakgericht contract is invoiced at in ``year``: the year's commitment
    (what was committed) split by ``ledger.task_months``, or the contract's yearly amount before there is
    one, so the label, the example file and the check of a line agree with the commitment to the cent."""
    committed = (
        Commitment.objects.filter(contract=contract, budget_year__year=year)
        .values_list("unit_price", flat=True)
        .first()
    )
    yearly = committed if committed is not None else contract.task_budget
    return ledger.task_months(yearly or ledger.ZERO)


def _require_review(actor: Actor) -> None:
    _require(actor, Capability.REVIEW_INVOICES)


@dataclass(frozen=True)
class ReviewGroup:
    """The waiting lines of one provider and month: how many, how many flagged, their total."""

    provider: Provider
    month: dt.date
    lines: int
    flagged: int
    total: Decimal


def review_groups(actor: Actor) -> list[ReviewGroup]:
    """Waiting lines per provider and month in the controller's municipality (counts and totals only)."""
    _require_review(actor)
    rows = list(
        InvoiceLine.objects.filter(municipality_id=actor.municipality_id, status=InvoiceLine.Status.WAITING)
        .values("invoice__provider_id", "invoice__month")
        .annotate(n=Count("id"), flagged=Count("id", filter=~Q(flags=[])), total=Sum("amount"))
        .order_by("invoice__month", "invoice__provider_id")
    )
    providers = {p.pk: p for p in Provider.objects.filter(pk__in={r["invoice__provider_id"] for r in rows})}
    groups = [
        ReviewGroup(
            providers[r["invoice__provider_id"]], r["invoice__month"], r["n"], r["flagged"], r["total"]
        )
        for r in rows
    ]
    return sorted(groups, key=lambda g: (g.month, g.provider.name))


def _review_lines(actor: Actor) -> QuerySet[InvoiceLine]:
    return InvoiceLine.objects.filter(municipality_id=actor.municipality_id).select_related(
        "invoice__provider", "resident", "seat__placement", "commitment__source", "reviewed_by"
    )


@dataclass(frozen=True)
class ReviewPage:
    provider: Provider
    month: dt.date
    lines: list[InvoiceLine]
    clean: list[InvoiceLine]  # waiting lines without flags: may be approved in bulk
    total: Decimal
    approved: list[InvoiceLine] = field(default_factory=list)  # approved in this month: may be corrected


REVIEW_PAGE_LIMIT = 500


def review_lines(provider_id: uuid.UUID, month: dt.date, actor: Actor) -> ReviewPage:
    """The waiting lines of one provider and month, flagged first, and the lines approved in that month (to
    correct one), with the residents' names (logged); at most ``REVIEW_PAGE_LIMIT`` of each. 404 when the
    provider has no contract with the municipality."""
    _require_review(actor)
    provider = get_object_or_404(
        Provider.objects.filter(contracts__municipality_id=actor.municipality_id), pk=provider_id
    )
    lines = list(
        _review_lines(actor)
        .filter(invoice__provider=provider, invoice__month=month, status=InvoiceLine.Status.WAITING)
        .order_by("invoice__number", "row")[:REVIEW_PAGE_LIMIT]
    )
    lines.sort(key=lambda line: not line.flags)
    approved = list(
        _review_lines(actor)
        .filter(invoice__provider=provider, invoice__month=month, status=InvoiceLine.Status.APPROVED)
        .order_by("invoice__number", "row")[:REVIEW_PAGE_LIMIT]
    )
    residents = sorted({line.resident_id for line in lines + approved if line.resident_id})
    if residents:
        log.record(actor, LogAction.VIEW, Purpose.BUDGET, residents)
    clean = [line for line in lines if not line.flags]
    total = sum((line.amount for line in lines), ledger.ZERO)
    return ReviewPage(provider, month, lines, clean, total, approved)


def first_waiting_month(provider_id: uuid.UUID, actor: Actor) -> dt.date | None:
    """The oldest month in which the provider has lines waiting in the actor's municipality."""
    _require_review(actor)
    return (
        InvoiceLine.objects.filter(
            municipality_id=actor.municipality_id,
            invoice__provider_id=provider_id,
            status=InvoiceLine.Status.WAITING,
        )
        .order_by("invoice__month")
        .values_list("invoice__month", flat=True)
        .first()
    )


def lines_for_review(line_ids: list[uuid.UUID], actor: Actor) -> list[InvoiceLine]:
    """Lines of the actor's municipality to approve or reject; an id of another municipality is simply not
    found (the action then refuses the whole set)."""
    _require_review(actor)
    return list(_review_lines(actor).filter(pk__in=line_ids))


@dataclass(frozen=True)
class ReviewLine:
    line: InvoiceLine
    balance: ledger.Balance | None  # the commitment's sums, None without a commitment
    others: list[InvoiceLine]  # other lines for the same seat and month
    entries: list[LedgerEntry]  # the line's ledger entries (invoice, payment, corrections), oldest first

    @property
    def paid(self) -> Decimal:
        """What the ledger holds as paid for this line, corrections included."""
        return sum((e.amount for e in self.entries if e.kind == ledger.Kind.PAYMENT.value), ledger.ZERO)

    @property
    def corrected(self) -> bool:
        return any(e.corrects_id for e in self.entries)


def access_review_line(line_id: uuid.UUID, actor: Actor, *, log_view: bool = True) -> ReviewLine:
    """One line as the controller reviews it, with its commitment's sums and the other lines for the same
    seat and month; 404 for another municipality's line."""
    _require_review(actor)
    line = get_object_or_404(_review_lines(actor), pk=line_id)
    balance = balance_of(line.commitment) if line.commitment else None
    others = []
    if line.seat_id:
        others = list(
            _review_lines(actor)
            .filter(seat_id=line.seat_id, invoice__month=line.invoice.month)
            .exclude(pk=line.pk)
            .order_by("invoice__submitted_at")
        )
    if line.contract_id and not line.seat_id:
        others = list(
            _review_lines(actor)
            .filter(contract_id=line.contract_id, invoice__month=line.invoice.month)
            .exclude(pk=line.pk)
            .order_by("invoice__submitted_at")
        )
    entries = list(LedgerEntry.objects.filter(invoice_line=line).select_related("author").order_by("id"))
    if log_view and line.resident_id:
        log.record(actor, LogAction.VIEW, Purpose.BUDGET, [line.resident_id])
    return ReviewLine(line, balance, others, entries)


def lines_to_review(
    actor: Actor,
    *,
    status: str = InvoiceLine.Status.WAITING,
    provider_id: uuid.UUID | None = None,
    month: dt.date | None = None,
) -> QuerySet[InvoiceLine]:
    """The controller's lines in one status (waiting by default), optionally of one provider and month, for
    the API: oldest month first, not yet read, so the API reads one page of it (``restapi.Pagination``) and
    logs the residents on that page with ``record_review_lines_read``."""
    _require_review(actor)
    lines = _review_lines(actor).filter(status=status)
    if provider_id is not None:
        lines = lines.filter(invoice__provider_id=provider_id)
    if month is not None:
        lines = lines.filter(invoice__month=month)
    return lines.order_by("invoice__month", "invoice__number", "row", "id")


def record_review_lines_read(lines: list[InvoiceLine], actor: Actor) -> None:
    """The residents named on the lines the controller was shown, in the processing log."""
    residents = sorted({line.resident_id for line in lines if line.resident_id})
    if residents:
        log.record(actor, LogAction.VIEW, Purpose.BUDGET, residents)
