"""The monthly rollup of the indicators: the body of the background task ``tasks.refresh_rollup``.

For one municipality and month it computes every indicator's cells (``measures.compute``) and stores them
in ``IndicatorValue``. An open month is replaced on each refresh; a month that is over is stored once as
final and never computed again, so its figures do not change when someone opens the dashboard. An
indicator added later gets its closed months filled in once, then they are final too; so does a closed month
computed before the rollup stored the cells of two filters at once: it gets those cells once (its other
cells stay as they are).
"""

import datetime as dt
import time
import uuid

from django.db import transaction
from django.utils import timezone

from meedoen.programmes import measures, rules
from meedoen.programmes.models import Indicator, IndicatorValue, RollupRun


def _missing(
    indicators: list[Indicator], stored: set[tuple[uuid.UUID, str]]
) -> list[tuple[Indicator, bool, list[tuple[rules.Dimension, rules.Dimension]]]]:
    """What is still to compute of each indicator: all its cells (no final figures yet), or only the pairs of
    filter dimensions its final figures lack (a month closed before the rollup stored pairs); ``stored``
    holds (indicator, dimension) of the month's final rows with an empty key."""
    todo = []
    for indicator in indicators:
        pairs = rules.pairs_of(indicator.spec)
        if (indicator.pk, "") not in stored:
            todo.append((indicator, True, pairs))
            continue
        lacking = [pair for pair in pairs if (indicator.pk, rules.dimension_name(pair)) not in stored]
        if lacking:
            todo.append((indicator, False, lacking))
    return todo


def _stored(municipality_id: uuid.UUID, months: list[dt.date]) -> dict[dt.date, set[tuple[uuid.UUID, str]]]:
    """Per month, (indicator, dimension) of the final rows with an empty key: the whole programme's cell
    ("") and the marks of the pairs computed."""
    found: dict[dt.date, set[tuple[uuid.UUID, str]]] = {month: set() for month in months}
    for indicator_id, month, dimension in IndicatorValue.objects.filter(
        municipality_id=municipality_id, month__in=months, is_final=True, key=""
    ).values_list("indicator_id", "month", "dimension"):
        found[month].add((indicator_id, dimension))
    return found


def build_month(municipality_id: uuid.UUID, month: dt.date, *, today: dt.date) -> int:
    """Compute and store the month's cells of every indicator that has no final figures for it yet, and the
    cells of two filters at once that a final month still lacks (they are final then too); returns the
    number of cells written."""
    month = rules.month_of(month)
    final = rules.is_closed(month, today)
    indicators = list(Indicator.objects.filter(municipality_id=municipality_id))
    todo = _missing(indicators, _stored(municipality_id, [month])[month])
    if not todo:
        return 0
    profiles = measures.profiles_of(municipality_id)
    links = measures.ProjectLinks.read(profiles)
    scope = measures.Month(municipality_id, month)
    written = 0
    with measures.Scratch(scope, profiles, links, pairs=any(pairs for _i, _all, pairs in todo)):
        computed = [
            (
                indicator,
                all_cells,
                measures.compute(indicator, scope, profiles, links, singles=all_cells, pairs=pairs),
            )
            for indicator, all_cells, pairs in todo
        ]
    for indicator, all_cells, rows in computed:
        with transaction.atomic():
            if all_cells:
                IndicatorValue.objects.filter(indicator=indicator, month=month, is_final=False).delete()
            IndicatorValue.objects.bulk_create(
                (
                    IndicatorValue(
                        municipality_id=municipality_id,
                        indicator=indicator,
                        month=month,
                        dimension=row.dimension,
                        key=row.key,
                        numerator=row.numerator,
                        denominator=row.denominator,
                        is_final=final or not all_cells,  # pairs beside final cells are final
                    )
                    for row in rows
                ),
                batch_size=2000,
            )
        written += len(rows)
    return written


def months_lacking_pairs(municipality_id: uuid.UUID, months: list[dt.date]) -> list[dt.date]:
    """The months among ``months`` whose final figures lack cells of two filters at once (closed before the
    rollup stored them): ``build_month`` fills them in once."""
    indicators = list(Indicator.objects.filter(municipality_id=municipality_id))
    stored = _stored(municipality_id, months)
    return [
        month
        for month in months
        if any(not all_cells for _indicator, all_cells, _pairs in _missing(indicators, stored[month]))
    ]


def do_run_rollup(run_id: uuid.UUID) -> RollupRun:
    """Do one queued refresh: mark it running, build the month, record how long it took."""
    run = RollupRun.objects.get(pk=run_id)
    run.status = RollupRun.Status.RUNNING
    run.save(update_fields=["status"])
    started = time.perf_counter()
    try:
        cells = build_month(run.municipality_id, run.month, today=timezone.localdate())
    except Exception:
        run.status = RollupRun.Status.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
        raise
    run.status = RollupRun.Status.DONE
    run.cells = cells
    run.seconds = round(time.perf_counter() - started, 3)
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "cells", "seconds", "finished_at"])
    return run
