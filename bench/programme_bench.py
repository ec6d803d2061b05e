"""The programme dashboard and the monthly rollup at region size on PostgreSQL.

    .venv/bin/python bench/programme_bench.py [--repeat 30] [--months 12]

Uses the region database meedoen_bench_region (seeded by bench/http_bench.py; ≈100,000 residents) with this
checkout's migrations applied. Idempotent: it describes Apeldoorn's programme once (demo/programme.py,
without its rollup), then

1. builds the rollup of the months of the last year that are not final yet and times each month
   (``rollup.build_month``; the current month is recomputed every run) — target ≤ 60 s per month;
2. times every dashboard panel (``selectors.dashboard`` for one indicator plus its Altair chart spec) for the
   whole programme, for one project, district, target group and legal basis, and for every two of those at
   once, ``--repeat`` times each —
   target p95 ≤ 300 ms per panel; and the whole dashboard page through Django's test client;
3. times a caseworker's drill-down to the residents behind the main figure.

Prints the figures with the size of the data and merges them into bench/results/latest.json
(``programme_*``).
"""

import argparse
import itertools
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "bench" / "results" / "latest.json"
DATABASE = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/meedoen_bench_region")


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = DATABASE
    os.environ["DJANGO_SETTINGS_MODULE"] = "meedoen.settings.base"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from meedoen.accounts.actor import Actor
    from meedoen.accounts.models import Membership
    from meedoen.catalogue.rules import add_months
    from meedoen.demo.programme import build_programme
    from meedoen.municipalities.models import Municipality
    from meedoen.programmes import charts, rollup, rules, selectors
    from meedoen.programmes.models import Indicator, ProjectProfile
    from meedoen.residents.models import Resident, TimelineEvent
    from meedoen.routes.models import Step

    call_command("migrate", "programmes", verbosity=0)
    municipality = Municipality.objects.get(slug="apeldoorn")
    today = timezone.localdate()
    build_programme(municipality, today, random.Random(2017), rollup_months=0)
    sizes = {
        "residents": Resident.objects.filter(municipality=municipality).count(),
        "timeline_events": TimelineEvent.objects.filter(resident__municipality=municipality).count(),
        "route_steps": Step.objects.filter(route__municipality=municipality).count(),
    }
    print("Apeldoorn (region demo):", ", ".join(f"{k} {v:,}" for k, v in sizes.items()))

    this_month = today.replace(day=1)
    months = [add_months(this_month, -i) for i in range(args.months - 1, -1, -1)]
    rollup_seconds: dict[str, float] = {}
    for month in months:  # a month whose indicators are all final is left alone by build_month
        started = time.perf_counter()
        cells = rollup.build_month(municipality.pk, month, today=today)
        if cells:
            rollup_seconds[f"{month:%Y-%m}"] = time.perf_counter() - started
            print(f"rollup {month:%Y-%m}: {rollup_seconds[f'{month:%Y-%m}']:.1f} s, {cells} cells")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE programmes_indicatorvalue")

    manager = Membership.objects.select_related("user", "municipality").get(
        municipality=municipality, role="programmamanager"
    )
    actor = Actor(manager.user, manager, "bench")
    period = rules.parse_period(f"{this_month:%Y-%m}")
    project = (
        ProjectProfile.objects.filter(project__municipality=municipality).order_by("project__code").first()
    )
    choices = selectors.filter_choices(actor)
    first_keys = {}
    if project is not None:
        first_keys["project"] = str(project.pk)
    for dimension in ("wijk", "doelgroep", "grondslag"):
        keys = list(choices.get(dimension, {}))
        if keys:
            first_keys[dimension] = keys[0]
    filters = [selectors.Filter()]
    filters += [selectors.filter_of(actor, [(d, k)]) for d, k in first_keys.items()]
    # Two filters at once: every pair of the filter dimensions (issue 14, project "Statushouders" + a wijk).
    for (d1, k1), (d2, k2) in itertools.combinations(first_keys.items(), 2):
        filters.append(selectors.filter_of(actor, [(d1, k1), (d2, k2)]))
    panels: dict[str, list[float]] = {}
    for indicator in Indicator.objects.filter(municipality=municipality):
        for flt in filters:
            dimensions = [rules.Dimension(d) for d, _k in flt.parts]
            if rules.unsplit(indicator.spec, dimensions):
                continue
            samples = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                board = selectors.dashboard(actor, period, flt, indicator_id=indicator.pk)
                for panel in board.panels:
                    charts.trend_spec(panel)
                samples.append((time.perf_counter() - started) * 1000)
            panels[f"{indicator.code}|{flt.dimension or 'alles'}"] = samples

    client = Client()
    client.force_login(manager.user)
    session = client.session
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from meedoen.accounts.middleware import SESSION_KEY as MEMBERSHIP_KEY

    device = TOTPDevice.objects.filter(
        user=manager.user, confirmed=True
    ).first() or TOTPDevice.objects.create(user=manager.user, name="bench", confirmed=True)
    session[MEMBERSHIP_KEY] = str(manager.pk)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = reverse("programmes:dashboard")
    assert client.get(url).status_code == 200
    page = []
    for _ in range(max(5, args.repeat // 3)):
        started = time.perf_counter()
        response = client.get(url)
        page.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200

    caseworker = (
        Membership.objects.select_related("user", "municipality")
        .filter(municipality=municipality, role="klantmanager", user__caseload_work__isnull=False)
        .first()
    )
    drill: list[float] = []
    if caseworker is not None:
        worker = Actor(caseworker.user, caseworker, "bench")
        main_indicator = Indicator.objects.get(municipality=municipality, code="in-programma")
        for _ in range(5):
            started = time.perf_counter()
            selectors.residents_behind(worker, main_indicator.pk, this_month, selectors.Filter())
            drill.append((time.perf_counter() - started) * 1000)

    worst_name, worst = max(((name, p95(s)) for name, s in panels.items()), key=lambda item: item[1])
    slowest_month = max(rollup_seconds.values()) if rollup_seconds else 0.0
    print(f"\n{'panel (indicator|filter)':<40}{'p50 ms':>9}{'p95 ms':>9}")
    for name, samples in panels.items():
        print(f"{name:<40}{statistics.median(samples):>9.1f}{p95(samples):>9.1f}")
    print(f"{'whole dashboard page':<40}{statistics.median(page):>9.1f}{p95(page):>9.1f}")
    if drill:
        print(f"{'drill-down (caseworker)':<40}{statistics.median(drill):>9.1f}{p95(drill):>9.1f}")
    print(
        f"slowest panel p95 {worst:.1f} ms ({worst_name}; target ≤ 300 ms): "
        f"{'met' if worst <= 300 else 'NOT met'}"
    )
    print(
        f"slowest month rollup {slowest_month:.1f} s (target ≤ 60 s): "
        f"{'met' if slowest_month <= 60 else 'NOT met'}"
    )
    results = {
        "programme_region_panel_p95_max": {"value": round(worst, 2), "unit": "ms"},
        "programme_region_page_p95": {"value": round(p95(page), 2), "unit": "ms"},
        "programme_region_rollup_month_max": {"value": round(slowest_month, 2), "unit": "s"},
        "programme_region_residents": {"value": sizes["residents"], "unit": "residents"},
        "programme_region_timeline_events": {"value": sizes["timeline_events"], "unit": "events"},
    }
    if drill:
        results["programme_region_drill_down_p95"] = {"value": round(p95(drill), 2), "unit": "ms"}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    merged = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged.update(results)
    RESULTS.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
