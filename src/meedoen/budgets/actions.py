"""Every write of the budget: budget years, funding sources, allocations and mutations, commitments,
invoices, reviews and payments. Each action checks the actor's right, runs in one transaction and books its
money only through ``_book`` (an immutable ledger entry). A change of money is never an update: a wrong
entry is corrected by ``_correct`` (an entry of the same kind with the opposite amount).

The sections below are owned by different parts of the work; keep new functions in their own section.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.budgets import invoice_checks, invoice_files, ledger, selectors, taakvelden
from meedoen.budgets.models import (
    BudgetYear,
    Commitment,
    FundingRule,
    FundingSource,
    Invoice,
    InvoiceLine,
    LedgerEntry,
    LedgerTotal,
    OverspendApproval,
    Project,
    TotalKey,
    lock_totals,
    total_key,
)
from meedoen.catalogue.models import Contract, Proposal, Seat
from meedoen.errors import RuleError
from meedoen.formatting import euro


def _require(actor: Actor, capability: Capability) -> None:
    if not actor.may(capability):
        raise PermissionDenied


def _book(
    kind: ledger.Kind,
    amount: Decimal,
    *,
    source: FundingSource,
    booked_on: dt.date,
    actor: Actor | None,
    project: Project | None = None,
    commitment: Commitment | None = None,
    invoice_line: InvoiceLine | None = None,
    reason: str = "",
    corrects: LedgerEntry | None = None,
) -> LedgerEntry:
    """Append one ledger entry. Call it inside the action's transaction; the amount is rounded to the cent
    and refused when it is not already whole cents (a rounding error must never enter the books)."""
    if amount != ledger.money(amount):
        raise RuleError(None, f"Een bedrag moet in hele centen zijn, niet {amount}.")
    return LedgerEntry.objects.create(
        municipality_id=source.municipality_id,
        budget_year_id=source.budget_year_id,
        source=source,
        project=project,
        kind=kind.value,
        amount=ledger.money(amount),
        commitment=commitment,
        invoice_line=invoice_line,
        corrects=corrects,
        booked_on=booked_on,
        reason=reason,
        author=actor.user if actor is not None else None,
    )


def _key(commitment: Commitment, kind: ledger.Kind) -> TotalKey:
    """The running total an entry of ``kind`` on ``commitment`` adds to (its source and project)."""
    return (commitment.budget_year_id, commitment.source_id, commitment.project_id, kind.value)


def _correct(entry: LedgerEntry, *, booked_on: dt.date, reason: str, actor: Actor | None) -> LedgerEntry:
    """Cancel ``entry`` with an entry of the same kind and the opposite amount that points at it."""
    if not reason.strip():
        raise RuleError("reason", "Schrijf op waarom deze boeking wordt gecorrigeerd.")
    if entry.corrects_id is not None or entry.corrections.exists():
        raise RuleError(None, "Deze boeking is al gecorrigeerd of is zelf een correctie.")
    return LedgerEntry.objects.create(
        municipality_id=entry.municipality_id,
        budget_year_id=entry.budget_year_id,
        source_id=entry.source_id,
        project_id=entry.project_id,
        kind=entry.kind,
        amount=-entry.amount,
        commitment_id=entry.commitment_id,
        invoice_line_id=entry.invoice_line_id,
        corrects=entry,
        booked_on=booked_on,
        reason=reason.strip(),
        author=actor.user if actor is not None else None,
    )


def rebuild_totals(budget_year_id: uuid.UUID) -> int:
    """The year's running totals computed again from its entries, in one grouped SUM and one transaction (a
    repair; every entry saved or bulk-created adds to its total by itself, see ``models.LedgerTotal``).
    Returns the number of totals."""
    with transaction.atomic():
        LedgerTotal.objects.filter(budget_year_id=budget_year_id).delete()
        rows = (
            LedgerEntry.objects.filter(budget_year_id=budget_year_id)
            .values("municipality_id", "source_id", "project_id", "kind")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        totals = [
            LedgerTotal(
                municipality_id=row["municipality_id"],
                budget_year_id=budget_year_id,
                source_id=row["source_id"],
                project_id=row["project_id"],
                kind=row["kind"],
                amount=row["total"],
            )
            for row in rows
        ]
        LedgerTotal.objects.bulk_create(totals, batch_size=2000)
    return len(totals)


# ------------------------------------------------------------ budget year, sources, projects, allocations


def _require_open(budget_year: BudgetYear) -> None:
    if budget_year.is_closed:
        raise RuleError(None, f"Begrotingsjaar {budget_year.year} is afgesloten. Er kan niets meer bij.")


def do_open_budget_year(year: int, *, actor: Actor) -> BudgetYear:
    """Open the municipality's budget for ``year`` (once per year)."""
    _require(actor, Capability.MANAGE_BUDGET)
    if not 2000 <= year <= 2100:
        raise RuleError("year", "Kies een jaar tussen 2000 en 2100.")
    with transaction.atomic():
        if BudgetYear.objects.filter(municipality_id=actor.municipality_id, year=year).exists():
            raise RuleError("year", f"Begrotingsjaar {year} is al geopend.")
        return BudgetYear.objects.create(
            municipality_id=actor.municipality_id, year=year, created_by=actor.user
        )


def do_add_funding_source(
    budget_year: BudgetYear,
    *,
    name: str,
    legal_basis: str,
    taakveld: str,
    amount: Decimal,
    actor: Actor,
) -> FundingSource:
    """A new source in the year; its amount enters the books as the source's ``budget`` entry."""
    _require(actor, Capability.MANAGE_BUDGET)
    _require_open(budget_year)
    name = name.strip()
    if not name:
        raise RuleError("name", "Geef de geldbron een naam.")
    if taakvelden.taakveld(taakveld, budget_year.year) is None:
        raise RuleError(
            "taakveld", f"Taakveld {taakveld} bestaat niet in {budget_year.year}. Kies er een uit de lijst."
        )
    if amount < 0:
        raise RuleError("amount", "Het bedrag kan niet negatief zijn.")
    with transaction.atomic():
        if FundingSource.objects.filter(budget_year=budget_year, name__iexact=name).exists():
            raise RuleError("name", f"Er is al een geldbron met de naam {name} in {budget_year.year}.")
        source = FundingSource.objects.create(
            municipality_id=budget_year.municipality_id,
            budget_year=budget_year,
            name=name,
            legal_basis=legal_basis,
            taakveld=taakveld,
            created_by=actor.user,
        )
        _book(
            ledger.Kind.BUDGET,
            amount,
            source=source,
            booked_on=_today_in(budget_year, timezone.localdate()),
            actor=actor,
            reason="Begroting",
        )
    return source


def do_add_project(*, code: str, name: str, description: str, actor: Actor) -> Project:
    _require(actor, Capability.MANAGE_BUDGET)
    if not name.strip():
        raise RuleError("name", "Geef het project een naam.")
    with transaction.atomic():
        if Project.objects.filter(municipality_id=actor.municipality_id, code=code).exists():
            raise RuleError("code", f"Er is al een project met de code {code}.")
        return Project.objects.create(
            municipality_id=actor.municipality_id, code=code, name=name.strip(), description=description
        )


def do_allocate(
    source: FundingSource, project: Project, amount: Decimal, reason: str, *, actor: Actor
) -> LedgerEntry:
    """Set part of a source's budget aside for a project (negative takes it back); never more than the part
    of the source that is not set aside yet, never below what the project has."""
    _require(actor, Capability.MANAGE_BUDGET)
    budget_year = source.budget_year
    _require_open(budget_year)
    if project.municipality_id != source.municipality_id:
        raise RuleError("project", "Dit project hoort niet bij deze gemeente.")
    if amount == 0:
        raise RuleError("amount", "Vul een bedrag in dat niet nul is.")
    if not reason.strip():
        raise RuleError("reason", "Schrijf op waarom dit geld naar het project gaat.")
    with transaction.atomic():
        _lock(source)
        entries = LedgerTotal.objects.filter(source=source)
        unallocated = selectors.sums_by(entries, "source_id").get(source.pk, ledger.Balance()).unallocated
        if amount > unallocated:
            raise RuleError(
                "amount",
                f"Er is nog {euro(unallocated)} van {source.name} niet toegewezen. "
                f"Dat is minder dan {euro(amount)}.",
            )
        of_project = (
            selectors.sums_by(entries.filter(project=project), "project_id")
            .get(project.pk, ledger.Balance())
            .allocated
        )
        if of_project + amount < 0:
            raise RuleError(
                "amount",
                f"Het project heeft maar {euro(of_project)} uit {source.name}; u kunt niet meer terugnemen.",
            )
        return _book(
            ledger.Kind.ALLOCATION,
            amount,
            source=source,
            project=project,
            booked_on=_today_in(budget_year, timezone.localdate()),
            actor=actor,
            reason=reason.strip(),
        )


def do_add_funding_rule(
    budget_year: BudgetYear,
    *,
    domain: str,
    placement_funding: str,
    placement_kind: str,
    source: FundingSource,
    project: Project | None,
    actor: Actor,
) -> FundingRule:
    _require(actor, Capability.MANAGE_BUDGET)
    _require_open(budget_year)
    if source.budget_year_id != budget_year.pk:
        raise RuleError("source", "Deze geldbron hoort niet bij dit begrotingsjaar.")
    with transaction.atomic():
        exists = FundingRule.objects.filter(
            budget_year=budget_year,
            domain=domain,
            placement_funding=placement_funding,
            placement_kind=placement_kind,
        ).exists()
        if exists:
            raise RuleError("domain", "Er is al een verdeelregel voor deze wet, betaling en soort plek.")
        return FundingRule.objects.create(
            municipality_id=budget_year.municipality_id,
            budget_year=budget_year,
            domain=domain,
            placement_funding=placement_funding,
            placement_kind=placement_kind,
            source=source,
            project=project,
        )


def do_mutate_budget(
    source: FundingSource, amount: Decimal, reason: str, *, booked_on: dt.date, actor: Actor
) -> LedgerEntry:
    """Change a source's budget during the year with a new ``mutatie`` entry (nothing is overwritten). A
    lowering that would make the free budget negative is refused: the money is already committed."""
    _require(actor, Capability.MANAGE_BUDGET)
    budget_year = source.budget_year
    _require_open(budget_year)
    if amount == 0:
        raise RuleError("amount", "Vul een bedrag in dat niet nul is: meer (+) of minder (-).")
    if not reason.strip():
        raise RuleError("reason", "Schrijf op waarom het budget verandert.")
    if booked_on.year != budget_year.year:
        raise RuleError("booked_on", f"Kies een datum in {budget_year.year}.")
    with transaction.atomic():
        _lock(source)
        free = selectors.free_of(source.pk)
        if free + amount < 0:
            raise RuleError(
                "amount",
                f"Er is nog {euro(free)} vrij in {source.name}. U kunt het budget met niet meer dan dat "
                f"verlagen; de rest is al verplicht.",
            )
        return _book(
            ledger.Kind.MUTATION,
            amount,
            source=source,
            booked_on=booked_on,
            actor=actor,
            reason=reason.strip(),
        )


# (the set-up screens and reports part of the work)


# ------------------------------------------------------------------------------- commitments (the pot's use)
# (the commitments part of the work: seat taken / ended, extension, re-attribution, overspend approval)


def _today_in(budget_year: BudgetYear, day: dt.date) -> dt.date:
    """``day`` moved into the budget year, for the date an entry is booked on."""
    return min(max(day, dt.date(budget_year.year, 1, 1)), dt.date(budget_year.year, 12, 31))


def _lock(source: FundingSource) -> FundingSource:
    return FundingSource.objects.select_for_update().get(pk=source.pk)


def _check_room(source: FundingSource, amount: Decimal, proposal: Proposal | None, *, what: str) -> None:
    """Refuse ``amount`` when it is more than the source's free budget, unless someone with the right gave
    permission for this proposal. Call it with the source row locked: the free budget is read under the
    lock, in one grouped SUM, so simultaneous accepts cannot both take the last room."""
    if amount <= 0:
        return
    free = selectors.free_of(source.pk)
    if amount <= free:
        return
    if proposal is not None and OverspendApproval.objects.filter(proposal=proposal, source=source).exists():
        return
    raise RuleError(
        None,
        f"Er is niet genoeg budget vrij in {source.name}: nog {euro(free)} vrij, {what} kost "
        f"{euro(amount)}. De controller moet eerst toestemming geven om over het budget te gaan.",
    )


def do_commit_for_seat(seat: Seat, proposal: Proposal, *, actor: Actor) -> Commitment | None:
    """Commit the money for a seat just taken (the provider's accept, through
    ``catalogue.signals.seat_taken``, in the accept's transaction): the placement's price for the planned
    period in the budget year of the seat's start, against the source the municipality's funding rule
    chooses. Without a budget year for that year nothing is committed and the accept goes on; no source, no
    room (and no permission) or a taakgericht contract without a yearly amount refuses the accept with a
    Dutch RuleError."""
    if seat.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if not (actor.may(Capability.RUN_PLACEMENTS) or actor.may(Capability.MANAGE_BUDGET)):
        raise PermissionDenied
    with transaction.atomic():
        budget_year = selectors.budget_year_of(seat.municipality_id, seat.starts_on.year)
        if budget_year is None:
            return None
        commitment = _commit_seat(seat, proposal, budget_year, actor=actor)
        if commitment is not None:
            log.record(actor, LogAction.CREATE, Purpose.BUDGET, [seat.resident_id])
        return commitment


def _commit_seat(
    seat: Seat,
    proposal: Proposal,
    budget_year: BudgetYear,
    *,
    actor: Actor,
    what: str = "deze plaatsing",
    terms: selectors.YearTerms | None = None,
) -> Commitment | None:
    if budget_year.is_closed:
        raise RuleError(
            None,
            f"Het begrotingsjaar {budget_year.year} is afgesloten: "
            "er kan geen geld meer in worden vastgelegd.",
        )
    placement = seat.placement
    plan = selectors.planned_cost(
        placement,
        budget_year=budget_year,
        domain=proposal.domain,
        starts_on=seat.starts_on,
        hours_per_week=proposal.hours_per_week,
        ended_on=seat.ended_on,
        terms=terms,
    )
    if plan is None:
        return None
    if plan.problem:
        raise RuleError(None, plan.problem)
    assert plan.source is not None
    if plan.contract is not None:
        return _commit_contract(plan, proposal, actor=actor)
    source = _lock(plan.source)
    _check_room(source, plan.amount, proposal, what=what)
    ended = seat.ended_on is not None and seat.ended_on <= plan.ends_on
    commitment = Commitment.objects.create(
        municipality_id=seat.municipality_id,
        budget_year=budget_year,
        source=source,
        project=plan.project,
        provider_id=placement.provider_id,
        seat=seat,
        resident_id=seat.resident_id,
        pricing=placement.pricing,
        unit=placement.price_unit,
        unit_price=placement.price,
        hours_per_week=Decimal(proposal.hours_per_week),
        days_per_week=len(placement.days),
        planned_units=ledger.planned_units(plan.price, plan.volume, plan.starts_on, plan.ends_on),
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        status=Commitment.Status.ENDED if ended else Commitment.Status.RUNNING,
        created_by=actor.user,
    )
    _book(
        ledger.Kind.COMMITMENT,
        plan.amount,
        source=source,
        project=plan.project,
        commitment=commitment,
        booked_on=plan.starts_on,
        actor=actor,
    )
    return commitment


def _commit_contract(plan: selectors.PlannedCost, proposal: Proposal, *, actor: Actor) -> Commitment:
    """Taakgericht: the contract's yearly amount, committed once per contract and year (the first seat of the
    provider's taakgericht places in the year); later seats find it done."""
    assert plan.contract is not None and plan.source is not None
    contract = Contract.objects.select_for_update().get(pk=plan.contract.pk)
    done = Commitment.objects.filter(contract=contract, budget_year=plan.budget_year).first()
    if done is not None:
        return done
    if contract.task_budget is None:
        raise RuleError(None, plan.problem or "Het contract heeft geen vast bedrag per jaar.")
    amount = ledger.money(contract.task_budget)
    source = _lock(plan.source)
    _check_room(source, amount, proposal, what="het vaste bedrag per jaar van dit contract")
    commitment = Commitment.objects.create(
        municipality_id=contract.municipality_id,
        budget_year=plan.budget_year,
        source=source,
        project=plan.project,
        provider_id=contract.provider_id,
        contract=contract,
        pricing=ledger.Pricing.TASK.value,
        unit="",
        unit_price=amount,
        planned_units=Decimal(1),
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        created_by=actor.user,
    )
    _book(
        ledger.Kind.COMMITMENT,
        amount,
        source=source,
        project=plan.project,
        commitment=commitment,
        booked_on=plan.starts_on,
        actor=actor,
    )
    return commitment


def _releasable(commitment: Commitment, balance: ledger.Balance, new_end: dt.date) -> Decimal:
    """What falls free when the commitment's period ends on ``new_end``: the rest of what is committed above
    the cost to that day, never below what was already invoiced (paid <= invoiced <= committed - released)."""
    if new_end < commitment.starts_on:
        rest = balance.net_committed
    else:
        rest = ledger.release_on_end(
            balance.net_committed, commitment.price, commitment.volume, commitment.starts_on, new_end
        )
    return max(min(rest, balance.net_committed - balance.invoiced), ledger.ZERO)


def do_release_on_end(seat: Seat, *, actor: Actor) -> list[Commitment]:
    """A seat ended (``catalogue.signals.seat_ended``): release the rest of each running commitment of the
    seat and mark it ended. An outputgericht traject, once started, is paid whole: nothing falls free."""
    if seat.municipality_id != actor.municipality_id or seat.ended_on is None:
        raise PermissionDenied
    ended_on = seat.ended_on
    with transaction.atomic():
        commitments = list(
            Commitment.objects.select_for_update(of=("self",))
            .filter(seat=seat, status=Commitment.Status.RUNNING)
            .select_related("source", "project", "budget_year")
        )
        releases = [
            _releasable(commitment, selectors.balance_of(commitment), min(ended_on, commitment.ends_on))
            for commitment in commitments
        ]
        lock_totals(
            _key(commitment, ledger.Kind.RELEASE)
            for commitment, release in zip(commitments, releases, strict=True)
            if release > 0
        )
        for commitment, release in zip(commitments, releases, strict=True):
            if release > 0:
                _book(
                    ledger.Kind.RELEASE,
                    release,
                    source=commitment.source,
                    project=commitment.project,
                    commitment=commitment,
                    booked_on=_today_in(commitment.budget_year, ended_on),
                    reason=f"Plaatsing beëindigd per {ended_on:%d-%m-%Y}.",
                    actor=actor,
                )
            commitment.status = Commitment.Status.ENDED
            commitment.ends_on = max(commitment.starts_on, min(commitment.ends_on, ended_on))
            commitment.save(update_fields=["status", "ends_on"])
        if commitments:
            log.record(actor, LogAction.UPDATE, Purpose.BUDGET, [seat.resident_id])
    return commitments


def do_extend_commitment(commitment: Commitment, *, ends_on: dt.date, actor: Actor) -> Commitment:
    """A new planned end: later adds the cost of the extra days (checked against the free budget like a new
    commitment), earlier releases the rest. The total committed stays the cost of the whole new period."""
    _require(actor, Capability.MANAGE_BUDGET)
    if commitment.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if commitment.contract_id is not None:
        raise RuleError(
            "ends_on", "Een vast bedrag per jaar (taakgericht) hoort bij het contract; verlengen kan niet."
        )
    year = commitment.budget_year.year
    if ends_on > dt.date(year, 12, 31):
        raise RuleError(
            "ends_on",
            f"Kies een datum in {year}. "
            "Voor een volgend jaar komt een nieuwe verplichting als dat jaar open gaat.",
        )
    if ends_on < commitment.starts_on:
        raise RuleError(
            "ends_on",
            f"De einddatum ligt voor het begin van de verplichting ({commitment.starts_on:%d-%m-%Y}).",
        )
    if commitment.budget_year.is_closed:
        raise RuleError(None, f"Het begrotingsjaar {year} is afgesloten.")
    with transaction.atomic():
        commitment = (
            Commitment.objects.select_for_update(of=("self",))
            .select_related("source", "project", "budget_year", "seat__proposal")
            .get(pk=commitment.pk)
        )
        if commitment.status == Commitment.Status.ENDED:
            raise RuleError(None, "Deze verplichting is beëindigd; de einddatum verandert niet meer.")
        if ends_on == commitment.ends_on:
            raise RuleError("ends_on", "Dat is al de einddatum van deze verplichting.")
        balance = selectors.balance_of(commitment)
        if ends_on > commitment.ends_on:
            extra = max(
                ledger.cost(commitment.price, commitment.volume, commitment.starts_on, ends_on)
                - balance.net_committed,
                ledger.ZERO,
            )
            source = _lock(commitment.source)
            proposal = commitment.seat.proposal if commitment.seat else None
            _check_room(source, extra, proposal, what="de verlenging")
            if extra > 0:
                _book(
                    ledger.Kind.COMMITMENT,
                    extra,
                    source=source,
                    project=commitment.project,
                    commitment=commitment,
                    booked_on=_today_in(commitment.budget_year, timezone.localdate()),
                    reason=f"Verlengd tot en met {ends_on:%d-%m-%Y}.",
                    actor=actor,
                )
        else:
            shortest = ledger.cost(commitment.price, commitment.volume, commitment.starts_on, ends_on)
            if shortest < balance.invoiced:
                raise RuleError(
                    "ends_on",
                    f"Er is al {euro(balance.invoiced)} gefactureerd; "
                    "zo kort kan deze verplichting niet meer worden.",
                )
            release = _releasable(commitment, balance, ends_on)
            if release > 0:
                _book(
                    ledger.Kind.RELEASE,
                    release,
                    source=commitment.source,
                    project=commitment.project,
                    commitment=commitment,
                    booked_on=_today_in(commitment.budget_year, timezone.localdate()),
                    reason=f"Korter gemaakt: tot en met {ends_on:%d-%m-%Y}.",
                    actor=actor,
                )
        commitment.ends_on = ends_on
        commitment.planned_units = ledger.planned_units(
            commitment.price, commitment.volume, commitment.starts_on, ends_on
        )
        commitment.save(update_fields=["ends_on", "planned_units"])
        if commitment.resident_id:
            log.record(actor, LogAction.UPDATE, Purpose.BUDGET, [commitment.resident_id])
    return commitment


def do_reattribute_commitment(
    commitment: Commitment, source: FundingSource, project: Project | None, reason: str, *, actor: Actor
) -> Commitment:
    """Pay a commitment from another source (and project) than the rule chose: every live entry of it is
    corrected on the old source and booked again on the new one, so the totals stay the same and nothing is
    lost. Needs a reason; the new source must have room for what is still committed (or a permission)."""
    _require(actor, Capability.MANAGE_BUDGET)
    if commitment.municipality_id != actor.municipality_id:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise RuleError(
            "reason", "Schrijf op waarom deze verplichting uit een andere geldbron wordt betaald."
        )
    if source.budget_year_id != commitment.budget_year_id:
        raise RuleError("source", "Kies een geldbron van hetzelfde begrotingsjaar.")
    if project is not None and project.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if source.pk == commitment.source_id and (project.pk if project else None) == commitment.project_id:
        raise RuleError("source", "Deze verplichting wordt al uit deze geldbron en dit project betaald.")
    today = _today_in(commitment.budget_year, timezone.localdate())
    with transaction.atomic():
        commitment = (
            Commitment.objects.select_for_update(of=("self",))
            .select_related("source", "budget_year", "seat__proposal")
            .get(pk=commitment.pk)
        )
        # Both sources locked, always in the same order, so two re-attributions cannot deadlock.
        locked = {
            s.pk: s
            for s in FundingSource.objects.select_for_update()
            .filter(pk__in=[source.pk, commitment.source_id])
            .order_by("pk")
        }
        new_source = locked[source.pk]
        live = list(
            LedgerEntry.objects.filter(
                commitment=commitment, corrects__isnull=True, corrections__isnull=True
            ).order_by("id")
        )
        if new_source.pk != commitment.source_id:
            moving = ledger.total(
                ledger.Entry(ledger.Kind(e.kind), e.amount, e.source_id) for e in live
            ).net_committed
            proposal = commitment.seat.proposal if commitment.seat else None
            _check_room(new_source, moving, proposal, what="deze verplichting")
        new_project_id = project.pk if project else None
        lock_totals(
            key
            for entry in live
            for key in (total_key(entry), (entry.budget_year_id, new_source.pk, new_project_id, entry.kind))
        )
        for entry in live:
            _correct(entry, booked_on=today, reason=f"Naar {new_source.name}: {reason}", actor=actor)
            _book(
                ledger.Kind(entry.kind),
                entry.amount,
                source=new_source,
                project=project,
                commitment=commitment,
                invoice_line=entry.invoice_line,
                booked_on=today,
                reason=f"Van {commitment.source.name}: {reason}",
                actor=actor,
            )
        commitment.source = new_source
        commitment.project = project
        commitment.attributed_by_rule = False
        commitment.override_reason = reason
        commitment.save(update_fields=["source", "project", "attributed_by_rule", "override_reason"])
        if commitment.resident_id:
            log.record(actor, LogAction.UPDATE, Purpose.BUDGET, [commitment.resident_id])
    return commitment


def do_approve_overspend(proposal: Proposal, reason: str, *, actor: Actor) -> OverspendApproval:
    """Permission, ahead of the accept, for one proposal's commitment to go over the free budget of the
    source that will pay for it. Needs the right and a reason."""
    _require(actor, Capability.APPROVE_OVERSPEND)
    if proposal.municipality_id != actor.municipality_id:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise RuleError("reason", "Schrijf op waarom deze plaatsing over het budget mag gaan.")
    if proposal.status != Proposal.Status.SENT:
        raise RuleError(None, "Dit voorstel wacht niet meer op de aanbieder; toestemming is niet meer nodig.")
    budget_year = selectors.budget_year_of(proposal.municipality_id, proposal.start_date.year)
    if budget_year is None:
        raise RuleError(
            None, f"Er is geen begrotingsjaar {proposal.start_date.year}: er wordt nog niets vastgelegd."
        )
    plan = selectors.planned_cost(
        proposal.placement,
        budget_year=budget_year,
        domain=proposal.domain,
        starts_on=proposal.start_date,
        hours_per_week=proposal.hours_per_week,
    )
    if plan is None or plan.source is None:
        raise RuleError(None, plan.problem if plan else "Deze plek loopt niet in dit begrotingsjaar.")
    with transaction.atomic():
        if OverspendApproval.objects.filter(proposal=proposal).exists():
            raise RuleError(None, "Voor dit voorstel is al toestemming gegeven.")
        approval = OverspendApproval.objects.create(
            municipality_id=proposal.municipality_id,
            proposal=proposal,
            source=plan.source,
            reason=reason,
            approved_by=actor.user,
            approved_at=timezone.now(),
        )
        log.record(actor, LogAction.CREATE, Purpose.BUDGET, [proposal.resident_id])
    return approval


def do_commit_running_seats(budget_year: BudgetYear, *, actor: Actor) -> list[Commitment]:
    """A year opened after seats already run: commit every seat of the municipality that runs in the year and
    has no commitment for it yet (a taakgericht contract once). Doing it again commits nothing twice. Refused
    whole when a source has no room for its part."""
    _require(actor, Capability.MANAGE_BUDGET)
    if budget_year.municipality_id != actor.municipality_id:
        raise PermissionDenied
    first, last = dt.date(budget_year.year, 1, 1), dt.date(budget_year.year, 12, 31)
    with transaction.atomic():
        seats = (
            Seat.objects.filter(municipality_id=budget_year.municipality_id, starts_on__lte=last)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
            .exclude(commitments__budget_year=budget_year)
            .select_related("placement__provider", "proposal", "resident")
            .order_by("starts_on", "id")
        )
        made: list[Commitment] = []
        terms = selectors.year_terms(budget_year)
        for seat in seats:
            what = f"de plaatsing van {seat.resident.full_name} bij {seat.placement.title}"
            commitment = _commit_seat(seat, seat.proposal, budget_year, actor=actor, what=what, terms=terms)
            if commitment is not None and commitment.seat_id == seat.pk:
                made.append(commitment)
        if made:
            log.record(
                actor, LogAction.CREATE, Purpose.BUDGET, [c.resident_id for c in made if c.resident_id]
            )
    return made


# ------------------------------------------------------------------------------ invoices, review, payments
# (the invoices part of the work)


class InvoiceInvalid(Exception):
    """An invoice with bad input: nothing was saved. ``errors`` lists every bad cell (row, field, reason);
    row 0 is the invoice itself (``number``, ``month``, ``lines``)."""

    def __init__(self, errors: list[invoice_files.LineError]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _invoice_month_errors(number: str, month: dt.date | None) -> list[invoice_files.LineError]:
    errors = []
    if not number:
        errors.append(invoice_files.LineError(0, "number", "Vul het factuurnummer in."))
    elif len(number) > 40:
        errors.append(invoice_files.LineError(0, "number", "Een factuurnummer heeft hoogstens 40 tekens."))
    if month is None:
        errors.append(invoice_files.LineError(0, "month", "Kies de maand van de factuur."))
    elif month.day != 1 or month > timezone.localdate():
        errors.append(invoice_files.LineError(0, "month", "Kies een maand die al begonnen is."))
    return errors


def do_submit_invoice(
    *,
    number: str,
    month: dt.date | None,
    lines: list[invoice_files.LineInput],
    channel: str,
    actor: Actor,
    errors: list[invoice_files.LineError] | None = None,
) -> Invoice:
    """A provider submits a monthly invoice (portal, API or file): every line or none.

    Each line must name a seat of the provider in the municipality; it is matched to the seat's commitment in
    the month's budget year and to the attendance reported in the month, and gets its flags (with the reason
    in Dutch) from ``invoice_checks``. ``errors`` are the bad cells the caller already found while parsing:
    with any of them, or any found here, nothing is saved and ``InvoiceInvalid`` lists them all. Seats,
    commitments, attendance and earlier lines are read for the whole invoice in a few queries and the lines
    are written with one bulk insert, so a file of 10,000 lines stays within seconds."""
    provider = selectors.invoice_provider(actor)
    number = number.strip()
    problems = list(errors or []) + _invoice_month_errors(number, month)
    if not lines and not errors:
        problems.append(invoice_files.LineError(0, "lines", "Een factuur heeft minstens één regel."))
    if month is None or (problems and not lines):
        raise InvoiceInvalid(problems)
    with transaction.atomic():
        if number and selectors.invoice_number_taken(provider, actor.municipality_id, number):
            problems.append(
                invoice_files.LineError(
                    0, "number", f"U heeft al een factuur met nummer {number}. Kies een ander nummer."
                )
            )
        data = selectors.invoice_match_data(provider, actor.municipality_id, month)
        seen: dict[uuid.UUID, list[tuple[str, str, Decimal]]] = {}
        spent: dict[uuid.UUID, Decimal] = {}
        rows: list[dict[str, Any]] = []
        for line in lines:
            seat = data.seats.get(line.seat)
            task = data.task if data.task is not None and line.seat == data.task.id else None
            checked = invoice_checks.Line(line.row, line.unit, line.units, line.unit_price)
            if task is not None:  # taakgericht: the contract's lump sum, per month
                terms = invoice_checks.SeatTerms(
                    starts_on=task.starts_on,
                    ended_on=task.ends_on,
                    unit=selectors.TASK_UNIT,
                    unit_price=task.unit_price,
                    has_commitment=task.commitment_id is not None,
                    open_amount=task.open_amount,
                )
                commitment_id, resident_id, seat_id, contract_id = task.commitment_id, None, None, task.id
                before = task.invoiced_before + seen.get(task.id, [])
            elif seat is not None:
                commitment = data.commitments.get(seat.id)
                if commitment is not None:
                    terms_unit, terms_price = commitment.unit, commitment.unit_price
                    open_amount = data.open_amounts[commitment.id]
                else:
                    terms_unit, terms_price = seat.price_unit, seat.price
                    open_amount = ledger.ZERO
                terms = invoice_checks.SeatTerms(
                    starts_on=seat.starts_on,
                    ended_on=seat.ended_on,
                    unit=terms_unit,
                    unit_price=terms_price,
                    has_commitment=commitment is not None,
                    open_amount=open_amount,
                    weeks=tuple(data.weeks.get(seat.id, ())),
                )
                commitment_id = commitment.id if commitment else None
                resident_id, seat_id, contract_id = seat.resident_id, seat.id, None
                before = data.invoiced_before.get(seat.id, []) + seen.get(seat.id, [])
            else:
                problems.append(
                    invoice_files.LineError(
                        line.row, "seat", "Deze plaatsing is niet bij u bekend (controleer de code)."
                    )
                )
                continue
            key = commitment_id or seat_id or contract_id
            assert key is not None
            flags = invoice_checks.check_line(
                checked,
                terms,
                month=month,
                invoiced_before=[b[0] for b in before],
                open_after_earlier_lines=terms.open_amount - spent.get(key, ledger.ZERO),
                units_before=sum((b[2] for b in before if b[1] == line.unit), ledger.ZERO),
            )
            seen.setdefault(line.seat, []).append((number, line.unit, line.units))
            spent[key] = spent.get(key, ledger.ZERO) + checked.amount
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "municipality_id": actor.municipality_id,
                    "row": line.row,
                    "seat_id": seat_id,
                    "contract_id": contract_id,
                    "resident_id": resident_id,
                    "commitment_id": commitment_id,
                    "unit": line.unit,
                    "units": line.units,
                    "unit_price": line.unit_price,
                    "amount": checked.amount,
                    "flags": [flag.as_dict() for flag in flags],
                }
            )
        if problems:
            raise InvoiceInvalid(
                sorted(problems, key=lambda e: (e.row, invoice_files.FIELD_ORDER.get(e.field, 99)))
            )
        invoice = Invoice.objects.create(
            municipality_id=actor.municipality_id,
            provider=provider,
            number=number,
            month=month,
            channel=channel,
            submitted_by=actor.user,
            submitted_at=timezone.now(),
        )
        _insert_lines(invoice, rows)
        residents = {row["resident_id"] for row in rows if row["resident_id"]}
        log.record(actor, LogAction.CREATE, Purpose.BUDGET, sorted(residents))
    return invoice


_LINE_COLUMNS = (
    "id", "municipality_id", "invoice_id", "row", "seat_id", "contract_id", "resident_id", "commitment_id",
    "unit", "units", "unit_price", "amount", "flags", "status", "review_reason",
)  # fmt: skip


def _insert_lines(invoice: Invoice, rows: list[dict[str, Any]]) -> None:
    """Write an invoice's new lines in its transaction: on PostgreSQL with one COPY (10,000 lines in a
    fraction of a second, where building and sending INSERTs took seconds; docs/invoices.md), elsewhere
    with ``bulk_create``. Either way a line is a plain row of the fields the matching computed."""
    for row in rows:
        row["invoice_id"] = invoice.pk
        row["status"] = InvoiceLine.Status.WAITING.value
        row["review_reason"] = ""
    if connection.vendor != "postgresql":
        InvoiceLine.objects.bulk_create([InvoiceLine(**row) for row in rows], batch_size=2000)
        return
    from psycopg.types.json import Jsonb

    table = InvoiceLine._meta.db_table
    sql = f"COPY {table} ({', '.join(_LINE_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([Jsonb(row[c]) if c == "flags" else row[c] for c in _LINE_COLUMNS])


def _check_waiting(lines: list[InvoiceLine], actor: Actor) -> None:
    _require(actor, Capability.REVIEW_INVOICES)
    if not lines:
        raise RuleError(None, "Kies minstens één regel.")
    for line in lines:
        if line.municipality_id != actor.municipality_id:
            raise PermissionDenied
        if line.status != InvoiceLine.Status.WAITING:
            raise RuleError(None, f"Regel {line.row} van factuur {line.invoice.number} is al beoordeeld.")


def do_approve_invoice_lines(
    lines: list[InvoiceLine], *, reason: str = "", actor: Actor
) -> list[InvoiceLine]:
    """The controller approves lines: each becomes an ``invoice`` and a ``payment`` entry on its commitment,
    all in one transaction. A line with flags needs a reason (the reviewed exception); so does a line that
    would make the commitment invoiced above what is committed. A line without a commitment cannot be paid.
    The commitments are locked first, in one order, so two reviewers cannot both take the last room."""
    _check_waiting(lines, actor)
    reason = reason.strip()
    today = timezone.localdate()
    with transaction.atomic():
        ids = [line.pk for line in lines]
        locked = list(
            InvoiceLine.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, status=InvoiceLine.Status.WAITING)
            .select_related("invoice", "commitment__source", "commitment__project", "commitment__budget_year")
            .order_by("pk")
        )
        if len(locked) != len(set(ids)):
            raise RuleError(None, "Een van de regels is intussen al beoordeeld. Laad de pagina opnieuw.")
        commitment_ids = sorted({line.commitment_id for line in locked if line.commitment_id})
        list(Commitment.objects.select_for_update().filter(pk__in=commitment_ids).order_by("pk"))
        balances = selectors.sums_by(
            LedgerEntry.objects.filter(commitment_id__in=commitment_ids), "commitment_id"
        )
        # A line whose invoice entry was booked when it came in (the demo does, as an older import might) is
        # only paid now; its amount is already in ``invoiced``.
        booked = set(
            LedgerEntry.objects.filter(
                invoice_line_id__in=ids,
                kind=ledger.Kind.INVOICE.value,
                corrects__isnull=True,
                corrections__isnull=True,
            ).values_list("invoice_line_id", flat=True)
        )
        # The running totals the lines book on, locked in the one order before the first booking, so two
        # approvals on the same sources cannot each hold a total the other waits for (decision 0014).
        lock_totals(
            _key(line.commitment, kind)
            for line in locked
            if line.commitment is not None
            for kind in (
                (ledger.Kind.PAYMENT,) if line.pk in booked else (ledger.Kind.INVOICE, ledger.Kind.PAYMENT)
            )
        )
        for line in sorted(locked, key=lambda item: (item.invoice.number, item.row)):
            where = f"Regel {line.row} van factuur {line.invoice.number}"
            commitment = line.commitment
            if commitment is None:
                raise RuleError(
                    None, f"{where} hoort bij geen verplichting en kan niet worden betaald. Keur hem af."
                )
            if line.flags and not reason:
                raise RuleError("reason", f"{where} is opvallend: schrijf op waarom u hem toch goedkeurt.")
            balance = balances.setdefault(commitment.pk, ledger.Balance())
            invoiced_already = line.pk in booked
            room = balance.net_committed - balance.invoiced + (line.amount if invoiced_already else 0)
            if line.amount > room and not reason:
                raise RuleError(
                    "reason",
                    f"{where} is meer dan er nog verplicht is ({euro(room)}): "
                    "schrijf op waarom u hem toch goedkeurt.",
                )
            booked_on = _today_in(commitment.budget_year, today)
            text = f"Factuur {line.invoice.number}, regel {line.row}" + (f": {reason}" if reason else ".")
            kinds = (ledger.Kind.PAYMENT,) if invoiced_already else (ledger.Kind.INVOICE, ledger.Kind.PAYMENT)
            for kind in kinds:
                _book(
                    kind,
                    line.amount,
                    source=commitment.source,
                    project=commitment.project,
                    commitment=commitment,
                    invoice_line=line,
                    booked_on=booked_on,
                    reason=text,
                    actor=actor,
                )
            if not invoiced_already:
                balance.invoiced += line.amount
            balance.paid += line.amount
            line.status = InvoiceLine.Status.APPROVED
            line.reviewed_by = actor.user
            line.reviewed_at = timezone.now()
            line.review_reason = reason
        InvoiceLine.objects.bulk_update(locked, ["status", "reviewed_by", "reviewed_at", "review_reason"])
        residents = sorted({item.resident_id for item in locked if item.resident_id})
        log.record(actor, LogAction.UPDATE, Purpose.BUDGET, residents)
    return locked


def do_reject_invoice_line(line: InvoiceLine, reason: str, *, actor: Actor) -> InvoiceLine:
    """The controller rejects a line with a reason; the provider sees the reason on the invoice. A line is
    booked only when approved, so nothing is booked; an invoice entry booked when the line came in (the demo
    does) is corrected out of the ledger."""
    _check_waiting([line], actor)
    reason = reason.strip()
    if not reason:
        raise RuleError("reason", "Schrijf op waarom deze regel wordt afgekeurd. De aanbieder ziet dit.")
    with transaction.atomic():
        locked = InvoiceLine.objects.select_for_update().get(pk=line.pk)
        if locked.status != InvoiceLine.Status.WAITING:
            raise RuleError(None, "Deze regel is intussen al beoordeeld.")
        locked.status = InvoiceLine.Status.REJECTED
        locked.reviewed_by = actor.user
        locked.reviewed_at = timezone.now()
        locked.review_reason = reason
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
        booked = list(
            LedgerEntry.objects.filter(
                invoice_line=locked,
                kind=ledger.Kind.INVOICE.value,
                corrects__isnull=True,
                corrections__isnull=True,
            ).select_related("budget_year")
        )
        lock_totals(total_key(entry) for entry in booked)
        for entry in booked:
            _correct(
                entry,
                booked_on=_today_in(entry.budget_year, timezone.localdate()),
                reason=f"Factuurregel afgekeurd: {reason}",
                actor=actor,
            )
        if locked.resident_id:
            log.record(actor, LogAction.UPDATE, Purpose.BUDGET, [locked.resident_id])
    return locked


def do_correct_invoice_line(line: InvoiceLine, amount: Decimal, reason: str, *, actor: Actor) -> InvoiceLine:
    """The controller corrects an approved line to the amount that should have been paid: the difference
    with what the ledger holds for the line is booked as a correcting ``invoice`` and ``payment`` entry
    (negative when less), each pointing at the line's first entry of its kind, with the reason and the
    author. Nothing is edited: the line keeps what the provider invoiced, its entries stay, and a second
    correction books the difference again. Commitment locked first, in one transaction."""
    _require(actor, Capability.REVIEW_INVOICES)
    if line.municipality_id != actor.municipality_id:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise RuleError("reason", "Schrijf op waarom deze regel wordt gecorrigeerd.")
    if amount < 0:
        raise RuleError(
            "amount", "Het juiste bedrag kan niet negatief zijn. Vul 0,00 in om niets te betalen."
        )
    if amount != ledger.money(amount):
        raise RuleError("amount", "Gebruik hoogstens twee cijfers achter de komma.")
    with transaction.atomic():
        locked = (
            InvoiceLine.objects.select_for_update(of=("self",))
            .select_related("invoice", "commitment__source", "commitment__project", "commitment__budget_year")
            .get(pk=line.pk)
        )
        if locked.status != InvoiceLine.Status.APPROVED or locked.commitment is None:
            raise RuleError(None, "Alleen een goedgekeurde regel kan worden gecorrigeerd.")
        commitment = locked.commitment
        Commitment.objects.select_for_update().filter(pk=commitment.pk).first()
        entries = list(LedgerEntry.objects.filter(invoice_line=locked).order_by("id"))
        booked = dict.fromkeys((ledger.Kind.INVOICE, ledger.Kind.PAYMENT), ledger.ZERO)
        first: dict[ledger.Kind, LedgerEntry] = {}
        for entry in entries:
            kind = ledger.Kind(entry.kind)
            if kind in booked:
                booked[kind] += entry.amount
                first.setdefault(kind, entry)
        if booked[ledger.Kind.PAYMENT] == amount:
            raise RuleError(
                "amount", f"Er is al {euro(amount)} betaald voor deze regel. Vul het juiste bedrag in."
            )
        booked_on = _today_in(commitment.budget_year, timezone.localdate())
        text = f"Correctie factuur {locked.invoice.number}, regel {locked.row}: {reason}"
        lock_totals(_key(commitment, kind) for kind, sum_booked in booked.items() if amount != sum_booked)
        for kind, sum_booked in booked.items():
            difference = amount - sum_booked
            if difference:
                _book(
                    kind,
                    difference,
                    source=commitment.source,
                    project=commitment.project,
                    commitment=commitment,
                    invoice_line=locked,
                    booked_on=booked_on,
                    reason=text,
                    corrects=first.get(kind),
                    actor=actor,
                )
        if locked.resident_id:
            log.record(actor, LogAction.UPDATE, Purpose.BUDGET, [locked.resident_id])
    return locked
