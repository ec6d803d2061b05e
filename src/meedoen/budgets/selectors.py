"""Every read of the budget, scoped to the actor's municipality and rights. Sums are computed in the
database (one grouped query per table on a page), never by loading entries into Python.

The sections below are owned by different parts of the work; keep new functions in their own section.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, Sum

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.budgets import ledger
from meedoen.budgets.models import BudgetYear, LedgerEntry


def _require(actor: Actor, capability: Capability) -> None:
    if not actor.may(capability):
        raise PermissionDenied


def sums_by(entries: QuerySet[LedgerEntry], key: str) -> dict[object, ledger.Balance]:
    """Balances per ``key`` (``"source_id"``, ``"project_id"``, ``"commitment_id"``, ``"source__taakveld"``)
    from one grouped query: ``SELECT key, kind, SUM(amount) ... GROUP BY key, kind``."""
    rows = entries.values(key, "kind").annotate(total=Sum("amount")).order_by()
    grouped: dict[object, dict[str, object]] = {}
    for row in rows:
        grouped.setdefault(row[key], {})[row["kind"]] = row["total"]
    return {k: ledger.balance_from_sums(v) for k, v in grouped.items()}  # type: ignore[arg-type]


def budget_years(actor: Actor) -> QuerySet[BudgetYear]:
    _require(actor, Capability.VIEW_BUDGET)
    return BudgetYear.objects.filter(municipality_id=actor.municipality_id)


# ------------------------------------------------------------ budget year, sources, projects, allocations


# ------------------------------------------------------------------------------- commitments


# ------------------------------------------------------------------------------ invoices, review, payments
