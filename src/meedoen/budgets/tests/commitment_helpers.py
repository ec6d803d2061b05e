"""Helpers for the commitments tests: a budget year with one Participatiewet source, proposals made
straight in the database (with any start date) and accepted through the catalogue's real action."""

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.budgets.models import BudgetYear, Commitment, FundingSource, LedgerEntry
from meedoen.budgets.tests.factories import BudgetYearFactory, FundingSourceFactory
from meedoen.catalogue.models import Proposal, Seat
from meedoen.residents.tests.factories import ResidentFactory

START = dt.date(2026, 3, 2)  # a Monday
FOUR_WEEKS_END = dt.date(2026, 3, 29)  # a Sunday: 2 to 29 March is exactly four weeks


def act(membership, endpoint: str = "test") -> Actor:
    return Actor(membership.user, membership, endpoint)


def open_year(municipality, creator, *, amount: Decimal = Decimal("100000.00"), year: int = 2026):
    budget_year = BudgetYearFactory(municipality=municipality, year=year, created_by=creator.user)
    source = FundingSourceFactory(budget_year=budget_year, name="Re-integratie", amount=amount)
    return budget_year, source


def propose(placement, caseworker, *, start: dt.date = START, hours: int = 12, resident=None) -> Proposal:
    resident = resident or ResidentFactory(
        municipality=caseworker.municipality, caseworker_work=caseworker.user, work=True
    )
    return Proposal.objects.create(
        municipality=caseworker.municipality,
        resident=resident,
        placement=placement,
        domain="participatiewet",
        start_date=start,
        hours_per_week=hours,
        proposed_by=caseworker.user,
        proposed_at=timezone.now(),
    )


def sums(**filters) -> dict[str, Decimal]:
    rows = LedgerEntry.objects.filter(**filters).values("kind").annotate(total=Sum("amount")).order_by()
    return {row["kind"]: row["total"] for row in rows}


def free(source: FundingSource) -> Decimal:
    s = sums(source=source)
    return s.get("budget", 0) + s.get("mutatie", 0) - s.get("verplichting", 0) + s.get("vrijval", 0)


__all__ = ["BudgetYear", "Commitment", "Seat"]
