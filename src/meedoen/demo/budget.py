"""The demo municipality's budget for this year: funding sources on their Iv3 taakvelden, the programme's nine
projects, rules that say which source pays for which place, a commitment for every seat that runs in the
year (released where the seat ended), and the providers' monthly invoices, paid, with a few lines of last
month still waiting for the controller's review.

Bulk-loaded like the rest of the demo, but every amount comes from ``budgets.ledger`` (the same arithmetic
the app uses) and every balance from ledger entries, so the demo keeps the ledger's invariants; a test checks
them with ``ledger.check``. Deterministic for a given seed and day.
"""

import datetime as dt
import math
import random
from collections import defaultdict
from decimal import ROUND_FLOOR, Decimal

from django.utils import timezone

from meedoen.accounts.models import User
from meedoen.budgets import ledger, rules, selectors
from meedoen.budgets.models import (
    BudgetYear,
    Commitment,
    Flag,
    FundingRule,
    FundingSource,
    Invoice,
    InvoiceLine,
    LedgerEntry,
    Project,
)
from meedoen.catalogue.models import Contract, Placement, Pricing, Seat
from meedoen.municipalities.models import Municipality

# The projects of the programme (Apeldoorn ran nine; product brief, capability 6).
PROJECTS = [
    ("45-plus", "Re-integratie 45+", "Werkzoekenden van 45 jaar en ouder weer aan het werk."),
    ("statushouders", "Statushouders doen mee", "Taal, werk en meedoen voor nieuwe inwoners met een status."),
    (
        "psychische-kwetsbaarheid",
        "Meedoen met een psychische kwetsbaarheid",
        "Begeleiding en een passende plek voor inwoners met een psychische kwetsbaarheid.",
    ),
    (
        "keten-activerend-werk",
        "Keten van activerend werk",
        "De keten van arbeidsmatige dagbesteding en activerend werk, van Wmo naar werk.",
    ),
    ("leerwerken", "Leerwerken", "Leerwerkplekken bij het werkleerbedrijf, met een erkend certificaat."),
    ("talentplekken", "Talentplekken", "Plekken waar inwoners hun talent ontdekken en laten zien."),
    ("regelluwe-bijstand", "Experiment regelluwe bijstand", "Eigen regie zonder verplichtingen, onderzocht."),
    (
        "jongeren",
        "Jongeren uit VSO en PrO",
        "Een goede start na het voortgezet speciaal en praktijkonderwijs.",
    ),
    ("werkgevers", "Samen met werkgevers", "Werkervaringsplekken en banen bij werkgevers uit de stad."),
]

# (name, legal basis, taakveld, budget as a multiple of what the year's commitments will cost)
SOURCES = [
    ("Re-integratiemiddelen Participatiewet", "participatiewet", "6.5", Decimal("1.20")),
    ("Wmo maatwerk: dagbesteding", "wmo", "6.71c", Decimal("1.04")),
    ("Wmo maatwerk: begeleiding", "wmo", "6.71b", Decimal("1.25")),
    ("Programmageld Meedoen", "programma", "6.1", Decimal("1.30")),
]

# (domain, placement kind or "", source index, project code or "")
RULES = [
    ("participatiewet", "leerwerkplek", 0, "leerwerken"),
    ("participatiewet", "talentplek", 0, "talentplekken"),
    ("participatiewet", "werkervaringsplek", 3, "werkgevers"),
    ("participatiewet", "betaalde_baan", 3, "werkgevers"),
    ("participatiewet", "", 0, "45-plus"),
    ("wmo", "dagbesteding", 1, "keten-activerend-werk"),
    ("wmo", "", 2, "psychische-kwetsbaarheid"),
]
ATTENDED = Decimal("0.95")  # providers invoice what was delivered: a little less than planned


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_FLOOR)


def _two(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_FLOOR)


def _months(year: int, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The months of ``year`` that are over on ``today``: invoiced months."""
    months = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        if last < today:
            months.append((first, last))
    return months


def _round_thousands(value: Decimal) -> Decimal:
    return Decimal(math.ceil(value / 1000) * 1000).quantize(Decimal("0.01"))


def build_budget(municipality: Municipality, today: dt.date, rng: random.Random) -> int:
    """Build this year's budget of ``municipality``; returns the number of commitments. Skips when the year
    exists."""
    year = today.year
    if BudgetYear.objects.filter(municipality=municipality, year=year).exists():
        return 0
    controller = (
        User.objects.filter(memberships__municipality=municipality, memberships__role="controller").first()
        or User.objects.filter(memberships__municipality=municipality).order_by("date_joined").first()
    )
    assert controller is not None, "the demo municipality has staff"
    start_of_year, end_of_year = dt.date(year, 1, 1), dt.date(year, 12, 31)
    budget_year = BudgetYear.objects.create(municipality=municipality, year=year, created_by=controller)
    projects = {
        code: Project(municipality=municipality, code=code, name=name, description=description)
        for code, name, description in PROJECTS
    }
    Project.objects.bulk_create(projects.values())
    sources = [
        FundingSource(
            municipality=municipality,
            budget_year=budget_year,
            name=name,
            legal_basis=basis,
            taakveld=taakveld,
            created_by=controller,
        )
        for name, basis, taakveld, _factor in SOURCES
    ]
    FundingSource.objects.bulk_create(sources)
    FundingRule.objects.bulk_create(
        FundingRule(
            municipality=municipality,
            budget_year=budget_year,
            domain=domain,
            placement_kind=kind,
            source=sources[index],
            project=projects[code] if code else None,
        )
        for domain, kind, index, code in RULES
    )
    # The source and project are chosen, and the period and cost computed, by the same pure rules the accept
    # uses (budgets.rules, budgets.ledger): the demo's books look like the app's own.
    rule_rows = [
        rules.RuleRow(domain, "", kind, sources[index].pk, projects[code].pk if code else None)
        for domain, kind, index, code in RULES
    ]
    source_rows = [rules.SourceRow(s.pk, s.name, s.legal_basis) for s in sources]
    by_pk = {s.pk: s for s in sources}
    project_by_pk = {p.pk: p for p in projects.values()}

    def paid_by(domain: str, placement: Placement) -> tuple[FundingSource, Project | None]:
        choice = rules.choose_source(
            rule_rows, source_rows, domain=domain, funding=placement.funding, kind=placement.kind, year=year
        )
        assert choice.source is not None, choice.problem
        return by_pk[choice.source], project_by_pk.get(choice.project) if choice.project else None  # type: ignore[index,call-overload]

    contracts = {c.provider_id: c for c in Contract.objects.filter(municipality=municipality)}
    seats = list(
        Seat.objects.filter(municipality=municipality, starts_on__lte=end_of_year)
        .exclude(ended_on__lt=start_of_year)
        .select_related("placement", "proposal")
        .order_by("starts_on", "id")
    )
    commitments: list[Commitment] = []
    amounts: list[tuple[Decimal, Decimal]] = []  # committed, released per commitment
    task_contracts: dict[object, Seat] = {}
    for seat in seats:
        placement, proposal = seat.placement, seat.proposal
        contract = contracts.get(placement.provider_id)
        if contract is None:
            continue
        if placement.pricing == Pricing.TASK:
            task_contracts.setdefault(contract.pk, seat)
            continue
        period = rules.commitment_period(year, seat.starts_on, contract_ends_on=contract.ends_on)
        if period is None:
            continue
        starts_on, ends_on = period
        source, project = paid_by(proposal.domain, placement)
        price = selectors.price_of(placement)
        volume = ledger.Volume(Decimal(proposal.hours_per_week), len(placement.days))
        committed = ledger.cost(price, volume, starts_on, ends_on)
        released = ledger.ZERO
        ended = seat.ended_on is not None and seat.ended_on <= ends_on
        if seat.ended_on is not None and ended:
            # As do_release_on_end: the rest falls free and the commitment ends on the seat's last day.
            released = ledger.release_on_end(committed, price, volume, starts_on, seat.ended_on)
        commitments.append(
            Commitment(
                municipality=municipality,
                budget_year=budget_year,
                source=source,
                project=project,
                provider_id=placement.provider_id,
                seat=seat,
                resident_id=seat.resident_id,
                pricing=placement.pricing,
                unit=placement.price_unit,
                unit_price=placement.price,
                hours_per_week=volume.hours_per_week,
                days_per_week=volume.days_per_week,
                planned_units=ledger.planned_units(price, volume, starts_on, ends_on),
                starts_on=starts_on,
                ends_on=max(starts_on, seat.ended_on) if seat.ended_on is not None and ended else ends_on,
                status=Commitment.Status.ENDED if ended else Commitment.Status.RUNNING,
                created_by=controller,
            )
        )
        amounts.append((committed, released))
    for contract_id, first_seat in task_contracts.items():
        contract = next(c for c in contracts.values() if c.pk == contract_id)
        period = rules.commitment_period(year, contract.starts_on, contract_ends_on=contract.ends_on)
        if not contract.task_budget or period is None:
            continue
        source, project = paid_by(first_seat.proposal.domain, first_seat.placement)
        commitments.append(
            Commitment(
                municipality=municipality,
                budget_year=budget_year,
                source=source,
                project=project,
                provider_id=contract.provider_id,
                contract=contract,
                pricing=Pricing.TASK,
                unit="",
                unit_price=ledger.money(contract.task_budget),
                planned_units=Decimal(1),
                starts_on=period[0],
                ends_on=period[1],
                created_by=controller,
            )
        )
        amounts.append((ledger.money(contract.task_budget), ledger.ZERO))
    Commitment.objects.bulk_create(commitments, batch_size=2000)

    entries: list[LedgerEntry] = []

    def book(kind: ledger.Kind, amount: Decimal, source: FundingSource, on: dt.date, **extra: object) -> None:
        entries.append(
            LedgerEntry(
                municipality=municipality,
                budget_year=budget_year,
                source=source,
                kind=kind.value,
                amount=amount,
                booked_on=on,
                author=controller,
                **extra,
            )
        )

    per_source: dict[object, Decimal] = defaultdict(Decimal)
    per_source_project: dict[tuple[object, object], Decimal] = defaultdict(Decimal)
    for commitment, (committed, released) in zip(commitments, amounts, strict=True):
        per_source[commitment.source_id] += committed - released
        if commitment.project_id:
            per_source_project[(commitment.source_id, commitment.project_id)] += committed - released
        book(ledger.Kind.COMMITMENT, committed, commitment.source, commitment.starts_on,
             commitment=commitment, project=commitment.project)  # fmt: skip
        if released:
            assert commitment.seat is not None and commitment.seat.ended_on is not None
            book(ledger.Kind.RELEASE, released, commitment.source, commitment.seat.ended_on,
                 commitment=commitment, project=commitment.project)  # fmt: skip

    # Budgets: a little more than the year will cost (the dagbesteding source is tight on purpose).
    for source, (_name, _basis, _taakveld, factor) in zip(sources, SOURCES, strict=True):
        needed = per_source.get(source.pk, Decimal(0))
        amount = _round_thousands(needed * factor) if needed else Decimal("150000.00")
        book(ledger.Kind.BUDGET, amount, source, start_of_year, reason="Vastgestelde begroting")
        if source.legal_basis == "participatiewet" and today > dt.date(year, 9, 30):
            extra = _round_thousands(amount * Decimal("0.04"))
            book(ledger.Kind.MUTATION, extra, source, dt.date(year, 9, 30),
                 reason="Extra re-integratiemiddelen uit de septembercirculaire")  # fmt: skip
        for (source_id, project_id), net in per_source_project.items():
            if source_id == source.pk:
                allocation = min(_round_thousands(net * Decimal("1.10")), amount)
                book(ledger.Kind.ALLOCATION, allocation, source, start_of_year, project_id=project_id,
                     reason="Verdeling over de projecten bij de begroting")  # fmt: skip

    # Invoices: one per provider and month that is over, a line per commitment that ran in that month.
    now = timezone.now()
    invoices: dict[tuple[object, dt.date], Invoice] = {}
    lines: list[InvoiceLine] = []
    paid: list[tuple[InvoiceLine, Commitment, bool]] = []
    months = _months(year, today)
    invoiced: dict[object, Decimal] = defaultdict(Decimal)
    for commitment, (committed, released) in zip(commitments, amounts, strict=True):
        net = committed - released
        last_day = commitment.ends_on
        if commitment.seat is not None and commitment.seat.ended_on is not None:
            last_day = min(last_day, commitment.seat.ended_on)
        for first, last in months:
            start, end = max(first, commitment.starts_on), min(last, last_day)
            if end < start:
                continue
            if commitment.pricing == Pricing.TASK:
                units, unit_price = Decimal(1), ledger.task_month(net, first.month)
            elif commitment.unit == ledger.Unit.ROUTE:
                if start != commitment.starts_on:
                    continue
                units, unit_price = Decimal(1), commitment.unit_price
            else:
                planned = ledger.planned_units(commitment.price, commitment.volume, start, end)
                rounding = _two if commitment.unit == ledger.Unit.MONTH else _whole
                units, unit_price = rounding(planned * ATTENDED), commitment.unit_price
            amount = ledger.money(units * unit_price)
            if not units or invoiced[commitment.pk] + amount > net:
                continue
            invoiced[commitment.pk] += amount
            key = (commitment.provider_id, first)
            invoice = invoices.get(key)
            if invoice is None:
                invoice = invoices[key] = Invoice(
                    municipality=municipality,
                    provider_id=commitment.provider_id,
                    number=f"{str(commitment.provider_id)[:4].upper()}-{first:%Y%m}",
                    month=first,
                    channel=Invoice.Channel.PORTAL,
                    submitted_by=controller,
                    submitted_at=now,
                )
            waiting = first == months[-1][0] and rng.random() < 0.03
            line = InvoiceLine(
                municipality=municipality,
                invoice=invoice,
                row=0,
                seat=commitment.seat,
                contract=commitment.contract,
                resident_id=commitment.resident_id,
                commitment=commitment,
                unit=commitment.unit,
                units=units,
                unit_price=unit_price,
                amount=amount,
                flags=[{"code": Flag.MORE_THAN_ATTENDED.value, "text": str(Flag.MORE_THAN_ATTENDED.label)}]
                if waiting
                else [],
                status=InvoiceLine.Status.WAITING if waiting else InvoiceLine.Status.APPROVED,
                reviewed_by=None if waiting else controller,
                reviewed_at=None if waiting else now,
            )
            lines.append(line)
            paid.append((line, commitment, not waiting))
    rows: dict[object, int] = defaultdict(int)
    for line in lines:
        rows[id(line.invoice)] += 1
        line.row = rows[id(line.invoice)]
    Invoice.objects.bulk_create(invoices.values(), batch_size=2000)
    for line in lines:
        line.invoice_id = line.invoice.pk
    InvoiceLine.objects.bulk_create(lines, batch_size=5000)
    # As the live code books: an approved line is invoiced and paid; a waiting line is not in the ledger yet.
    for line, commitment, is_paid in paid:
        if not is_paid:
            continue
        booked_on = min(line.invoice.month + dt.timedelta(days=40), today)
        for kind in (ledger.Kind.INVOICE, ledger.Kind.PAYMENT):
            book(kind, line.amount, commitment.source, booked_on,
                 commitment=commitment, project=commitment.project, invoice_line=line)  # fmt: skip
    LedgerEntry.objects.bulk_create(entries, batch_size=5000)  # adds to the running totals too
    return len(commitments)
