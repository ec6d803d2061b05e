"""The monthly rollup of the indicators: the body of the background task ``tasks.refresh_rollup``.

For one municipality and month it computes every indicator's cells (``measures.compute``) and stores them
in ``IndicatorValue``. An open month is replaced on each refresh; a month that is over is stored once as
final and never computed again, so its figures do not change when someone opens the dashboard. An
indicator added later gets its closed months filled in once, then they are final too.
"""

import datetime as dt
import time
import uuid

from django.db import transaction
from django.utils import timezone

from meedoen.programmes import measures, rules
from meedoen.programmes.models import Indicator, IndicatorValue, RollupRun


def build_month(municipality_id: uuid.UUID, month: dt.date, *, today: dt.date) -> int:
    """Compute and store the month's cells of every indicator that has no final figures for it yet; returns
    the number of cells written."""
    month = rules.month_of(month)
    final = rules.is_closed(month, today)
    done = set(
        IndicatorValue.objects.filter(municipality_id=municipality_id, month=month, is_final=True)
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    indicators = [i for i in Indicator.objects.filter(municipality_id=municipality_id) if i.pk not in done]
    if not indicators:
        return 0
    profiles = measures.profiles_of(municipality_id)
    links = measures.ProjectLinks.read(profiles)
    scope = measures.Month(municipality_id, month)
    written = 0
    with measures.Scratch(scope, profiles, links):
        computed = [
            (indicator, measures.compute(indicator, scope, profiles, links)) for indicator in indicators
        ]
    for indicator, rows in computed:
        with transaction.atomic():
            IndicatorValue.objects.filter(indicator=indicator, month=month, is_final=False).delete()
            IndicatorValue.objects.bulk_create(
                IndicatorValue(
                    municipality_id=municipality_id,
                    indicator=indicator,
                    month=month,
                    dimension=row.dimension,
                    key=row.key,
                    numerator=row.numerator,
                    denominator=row.denominator,
                    is_final=final,
                )
                for row in rows
            )
        written += len(rows)
    return written


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
