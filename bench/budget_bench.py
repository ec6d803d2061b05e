"""HTTP benchmark of the controller's budget page at region size, served by gunicorn.

    .venv/bin/python bench/budget_bench.py [--seconds 15] [--connections 10] [--fresh]

It reuses http_bench: the PostgreSQL database meedoen_bench_region (seeded once with the region demo, whose
budget year 2026 of Apeldoorn has ≈100,000 ledger entries), gunicorn as ``meedoen serve`` runs it, and wrk.
It logs in as the demo controller of Apeldoorn and measures the budget page of the year (per source, project
and taakveld, with the forecast and the server-built chart) and the API's balances.

Target (issue 13): p95 ≤ 100 ms for the budget page at 10 concurrent users. Figures go to
bench/results/latest.json.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import http_bench

SIZE = "region"
http_bench.PORT = 8102


def controller_session() -> tuple[str, str]:
    """A session cookie for the demo controller of Apeldoorn, and the id of its budget year 2026."""
    cookie, membership = http_bench.session_for(SIZE, role="controller")
    from meedoen.budgets.models import BudgetYear

    budget_year = BudgetYear.objects.get(municipality=membership.municipality, year=2026)  # type: ignore[attr-defined]
    return cookie, str(budget_year.pk)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=10)
    from meedoen.web.management.commands.serve import default_workers

    parser.add_argument("--workers", type=int, default=int(default_workers()))
    parser.add_argument("--fresh", action="store_true", help="drop and seed the bench database again")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed for this benchmark: apt-get install wrk")

    http_bench.prepare_database(SIZE, args.fresh)
    # gunicorn must serve this checkout's code (the shared virtualenv points at another checkout), and the
    # database needs this checkout's budget migrations (the running totals of 0004, filled from the ledger).
    os.environ["PYTHONPATH"] = str(http_bench.ROOT / "src")
    env = {
        **os.environ,
        "DATABASE_URL": http_bench.database_url(SIZE),
        "DJANGO_SETTINGS_MODULE": "meedoen.settings.base",
    }
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "budgets", "--verbosity", "0"], env=env, check=True
    )
    import psycopg

    with psycopg.connect(http_bench.database_url(SIZE), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE budgets_ledgerentry")
        conn.execute("VACUUM ANALYZE budgets_ledgertotal")
    cookie, year_id = controller_session()
    server = http_bench.start_server(SIZE, args.workers, 0)
    base = f"http://127.0.0.1:{http_bench.PORT}"
    targets = {
        "budget_page": f"{base}/budget/{year_id}/",
        "budget_api_balances": f"{base}/api/v1/budget/years/{year_id}/balances",
    }
    figures: dict[str, dict[str, float]] = {}
    try:
        for name, url in targets.items():
            if name == "budget_page":
                http_bench.check_page(url, cookie)
            http_bench.run_wrk(url, cookie, 5, args.connections)  # warm up: every worker has served it
            figures[name] = http_bench.run_wrk(url, cookie, args.seconds, args.connections)
    finally:
        http_bench.stop_server(server)

    print(
        f"\nHTTP, gunicorn ({args.workers} sync workers), PostgreSQL, {SIZE}, {args.connections} connections"
    )
    print(f"{'page':<26}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}")
    results: dict[str, dict[str, float | str]] = {}
    for name, f in figures.items():
        print(f"{name:<26}{f['p50_ms']:>9.1f}{f['p95_ms']:>9.1f}{f['rps']:>9.0f}")
        results[f"http_{SIZE}_{name}_p50"] = {"value": round(f["p50_ms"], 2), "unit": "ms"}
        results[f"http_{SIZE}_{name}_p95"] = {"value": round(f["p95_ms"], 2), "unit": "ms"}
        results[f"http_{SIZE}_{name}_rps"] = {"value": round(f["rps"], 1), "unit": "req/s"}
    target = figures["budget_page"]["p95_ms"]
    print(f"budget page p95 {target:.1f} ms (target ≤ 100 ms): {'met' if target <= 100 else 'NOT met'}")
    http_bench.RESULTS.parent.mkdir(parents=True, exist_ok=True)
    merged = json.loads(http_bench.RESULTS.read_text()) if http_bench.RESULTS.exists() else {}
    merged.update(results)
    http_bench.RESULTS.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
