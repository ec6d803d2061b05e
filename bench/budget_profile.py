"""Where the budget page's time goes, in one process against the region bench database (no HTTP, no wrk).

    .venv/bin/python bench/budget_profile.py [--runs 20]

Times, for Apeldoorn's budget year 2026 in meedoen_bench_region: the old grouped SUM over every ledger entry
of the year (GROUP BY source, project, kind), the read of the running totals that replaced it, and the whole
page through Django's test client as the controller (with its number of queries); prints EXPLAIN ANALYZE of
both reads. Run bench/budget_bench.py once first: it applies this checkout's budget migrations.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import http_bench

SIZE = "region"


def timed(runs: int, work) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    cookie, membership = http_bench.session_for(SIZE, role="controller")
    os.environ["DEBUG"] = "false"
    from django.db import connection
    from django.db.models import Sum
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from meedoen.budgets.models import BudgetYear, LedgerEntry, LedgerTotal

    year = BudgetYear.objects.get(municipality=membership.municipality, year=2026)  # type: ignore[attr-defined]
    entries = LedgerEntry.objects.filter(budget_year=year).count()
    totals = LedgerTotal.objects.filter(budget_year=year).count()
    print(f"budget year 2026 of Apeldoorn: {entries} ledger entries, {totals} running totals")
    old = (
        LedgerEntry.objects.filter(budget_year=year)
        .values("source_id", "project_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    new = LedgerTotal.objects.filter(budget_year=year).values_list(
        "source_id", "project_id", "kind", "amount"
    )
    for name, query in (("grouped SUM over the entries", old), ("running totals", new)):
        median, p95 = timed(args.runs, lambda q=query: list(q.all()))
        print(f"{name:<32} median {median:7.1f} ms  p95 {p95:7.1f} ms")
        with connection.cursor() as cursor:
            sql, params = query.query.sql_with_params()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("   " + "\n   ".join(row[0] for row in cursor.fetchall()[:6]))
    client = Client()
    client.cookies["sessionid"] = cookie
    url = f"/budget/{year.pk}/"
    assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 200  # warm: the chart's SVG is cached
    with CaptureQueriesContext(connection) as captured:
        client.get(url, HTTP_HOST="127.0.0.1")
    median, p95 = timed(args.runs, lambda: client.get(url, HTTP_HOST="127.0.0.1"))
    print(f"{'the whole page (test client)':<32} median {median:7.1f} ms  p95 {p95:7.1f} ms, "
          f"{len(captured.captured_queries)} queries")  # fmt: skip


if __name__ == "__main__":
    main()
