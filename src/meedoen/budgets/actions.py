"""Every write of the budget: budget years, funding sources, allocations and mutations, commitments,
invoices, reviews and payments. Each action checks the actor's right, runs in one transaction and books its
money only through ``_book`` (an immutable ledger entry). A change of money is never an update: a wrong
entry is corrected by ``_correct`` (an entry of the same kind with the opposite amount).

The sections below are owned by different parts of the work; keep new functions in their own section.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.budgets import ledger
from meedoen.budgets.models import Commitment, FundingSource, InvoiceLine, LedgerEntry, Project
from meedoen.errors import RuleError


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


# ------------------------------------------------------------ budget year, sources, projects, allocations
# (the set-up screens and reports part of the work)


# ------------------------------------------------------------------------------- commitments (the pot's use)
# (the commitments part of the work: seat taken / ended, extension, re-attribution, overspend approval)


# ------------------------------------------------------------------------------ invoices, review, payments
# (the invoices part of the work)
