"""Helpers for the invoice tests: a provider (De Groene Schakel, with Paula in its portal) with one resident
placed on an hourly placement since January 2026, committed for the year at € 15,00 an hour, and the
attendance of March 2026 reported: 4 weeks of 10 hours on 3 days."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.budgets import invoice_files
from meedoen.budgets.tests.factories import BudgetYearFactory, CommitmentFactory, FundingSourceFactory
from meedoen.catalogue.models import Attendance
from meedoen.catalogue.tests.factories import PlacementFactory, ProposalFactory, SeatFactory

MARCH = dt.date(2026, 3, 1)
MARCH_MONDAYS = [dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16), dt.date(2026, 3, 23)]


def act(membership, endpoint: str = "test") -> Actor:
    return Actor(membership.user, membership, endpoint)


def line(seat, units: str = "40", price: str = "15.00", unit: str = "uur", row: int = 1):
    return invoice_files.LineInput(
        row=row, seat=seat.pk, unit=unit, units=Decimal(units), unit_price=Decimal(price)
    )


def place(placement, municipality, *, starts_on=dt.date(2026, 1, 5), ended_on=None):
    proposal = ProposalFactory(
        placement=placement, municipality=municipality, start_date=starts_on, status="geaccepteerd"
    )
    return SeatFactory(proposal=proposal, starts_on=starts_on, ended_on=ended_on)


def report(seat, monday: dt.date, *, days: int = 3, hours: str = "10", by=None) -> Attendance:
    return Attendance.objects.create(
        seat=seat,
        week=monday,
        days_present=days,
        hours_present=Decimal(hours),
        recorded_by=by,
        recorded_at=timezone.now(),
    )


@pytest.fixture
def invoice_world(apeldoorn, groene_schakel, paula, carla):
    budget_year = BudgetYearFactory(municipality=apeldoorn, year=2026, created_by=carla.user)
    source = FundingSourceFactory(budget_year=budget_year, name="Re-integratie", amount=Decimal("100000.00"))
    placement = PlacementFactory(
        provider=groene_schakel, title="Fietsenwerkplaats", price=Decimal("15.00"), price_unit="uur"
    )
    seat = place(placement, apeldoorn)
    commitment = CommitmentFactory(
        source=source,
        seat=seat,
        resident=seat.resident,
        provider=groene_schakel,
        unit="uur",
        unit_price=Decimal("15.00"),
        starts_on=dt.date(2026, 1, 5),
        ends_on=dt.date(2026, 12, 31),
        amount=Decimal("1200.00"),
    )
    for monday in MARCH_MONDAYS:
        report(seat, monday, by=paula.user)
    return {
        "year": budget_year,
        "source": source,
        "placement": placement,
        "seat": seat,
        "commitment": commitment,
    }
