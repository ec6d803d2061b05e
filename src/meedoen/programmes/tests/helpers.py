"""Small constructed worlds for the indicator tests: routes with steps, seats, ladder scores."""

import datetime as dt

from django.utils import timezone

from meedoen.catalogue.tests.factories import PlacementFactory, SeatFactory
from meedoen.programmes import rollup
from meedoen.programmes.actions import do_ensure_indicators
from meedoen.programmes.models import Indicator, IndicatorValue
from meedoen.residents.models import LadderScore, Resident
from meedoen.routes.models import Route, Step

TODAY = dt.date(2026, 6, 15)  # March, the month the tests look at, is closed
MARCH = dt.date(2026, 3, 1)


def route(resident: Resident, user, opened: dt.date, steps=(), *, closed=None, fall_back=False) -> Route:
    """A route opened on ``opened`` (first step: kennismaken) with ``steps`` as (phase, date[, is_back])."""
    made = Route.objects.create(
        municipality=resident.municipality,
        resident=resident,
        opened_on=opened,
        closed_on=closed,
        outcome="anders" if closed else "",
        is_fall_back=fall_back,
        created_by=user,
    )
    step(made, "kennismaken", opened, user, reason="start")
    for phase, day, *back in steps:
        step(made, phase, day, user, is_back=bool(back and back[0]))
    return made


def step(
    made: Route, phase: str, day: dt.date, user, *, is_back=False, reason="klaar_voor_meer", corrects=None
):
    return Step.objects.create(
        route=made,
        phase=phase,
        starts_on=day,
        reason=reason,
        is_back=is_back,
        corrects=corrects,
        decided_by=user,
        recorded_at=timezone.now(),
    )


def score(resident: Resident, rung: int, day: dt.date, user) -> None:
    LadderScore.objects.create(
        resident=resident, rung=rung, scored_on=day, rationale="Gesprek", scored_by=user
    )


def seat(resident: Resident, starts: dt.date, *, placement=None, ended=None):
    placement = placement or PlacementFactory()
    return SeatFactory(
        proposal__municipality=resident.municipality,
        proposal__resident=resident,
        proposal__placement=placement,
        proposal__start_date=starts,
        ended_on=ended,
    )


def figures(municipality, code: str, month: dt.date = MARCH, *, dimension: str = "", key: str = ""):
    """(numerator, denominator) of one cell after the month's rollup."""
    do_ensure_indicators(municipality)
    rollup.build_month(municipality.pk, month, today=TODAY)
    indicator = Indicator.objects.get(municipality=municipality, code=code)
    row = IndicatorValue.objects.filter(
        indicator=indicator, month=month, dimension=dimension, key=key
    ).first()
    return None if row is None else (row.numerator, row.denominator)


def rollup_cells(indicator: Indicator, month: dt.date, rows: dict[tuple[str, str], int]) -> None:
    """Rollup cells as the monthly job leaves them: ``rows`` maps (dimension, key) to a count of residents."""
    for (dimension, key), count in rows.items():
        IndicatorValue.objects.create(
            municipality=indicator.municipality,
            indicator=indicator,
            month=month,
            dimension=dimension,
            key=key,
            numerator=count,
            denominator=None,
        )
