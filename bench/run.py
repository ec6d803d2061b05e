"""What the processing log costs on a page with personal data.

    .venv/bin/python bench/run.py [--postgres] [--requests 300] [--warmup 30] [--calls 2000] [--keep]

What it does:
1. Builds a throwaway database: an SQLite file under var/bench/ (the default), or with ``--postgres`` (or
   ``BENCH_DATABASE=postgres``) the PostgreSQL database ``meedoen_bench`` on 127.0.0.1:5432 (user postgres),
   created when missing and dropped at the end. Migrated and seeded with the deterministic city demo
   (seed 2017, ≈4,100 residents), normal settings (``meedoen.settings.base``, DEBUG and demo mode off).
2. Logs in the demo klantmanager of Apeldoorn (``km.apeldoorn``) with a verified second factor, in-process
   through ``django.test.Client``.
3. Renders the resident page (``/inwoners/<uuid>/``), the caseload page (``/inwoners/``), the Passende plekken
   page (``/inwoners/<uuid>/passende-plekken/``) and the catalogue searched for that resident N times with the
   processing log as the app writes it, and N times with ``meedoen.audit.log.record`` replaced by a no-op.
   The two variants alternate request by request, so drift (caches, a growing log table) hits both alike.
4. Times ``log.record`` on its own, with 1 and with 25 residents (median over ``--calls`` calls).
5. Prints a table and merges the figures into bench/results/latest.json. SQLite figures use the plain keys
   (``resident_page_p50_logged`` …), PostgreSQL figures the same keys with a ``postgres_`` prefix.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.test import Client

    from meedoen.accounts.actor import Actor

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
SQLITE_DIR = ROOT / "var" / "bench"
SQLITE_FILE = SQLITE_DIR / "meedoen_bench.sqlite3"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DATABASE = "meedoen_bench"
DEMO_SIZE = "city"
DEMO_SEED = 2017
USERNAME = "km.apeldoorn"
LOGIN_PAGE_MARKER = "Inloggen bij Meedoen"


@dataclass(frozen=True)
class Timings:
    """Request or call durations in milliseconds."""

    samples: list[float]

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)


@dataclass(frozen=True)
class PageResult:
    name: str
    url: str
    logged: Timings
    unlogged: Timings
    queries_logged: int
    queries_unlogged: int

    @property
    def overhead_p50(self) -> float:
        return self.logged.p50 - self.unlogged.p50

    @property
    def overhead_p95(self) -> float:
        return self.logged.p95 - self.unlogged.p95


def percentile(samples: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (as numpy's default)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# --- the database -------------------------------------------------------------------------------------------


def remove_sqlite_files() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)


def create_postgres_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')


def drop_postgres_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def configure_environment(postgres: bool) -> None:
    """Environment for meedoen.settings.base; must run before django.setup()."""
    if postgres:
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}".replace("postgresql://", "postgres://")
    else:
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "meedoen.settings.base"
    os.environ["DEBUG"] = "false"
    os.environ.pop("MEEDOEN_DEMO_MODE", None)


def prepare_data() -> tuple[float, dict[str, int]]:
    """Migrate and seed; returns the seconds it took and the residents per municipality."""
    from django.core.management import call_command

    from meedoen.demo.generator import generate

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    counts = generate(size=DEMO_SIZE, seed=DEMO_SEED)
    return time.perf_counter() - started, counts


# --- logging in ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    client: Client
    actor: Actor
    resident_id: uuid.UUID
    caseload_ids: list[uuid.UUID]


def log_in() -> Subject:
    """A client for the demo klantmanager of Apeldoorn, as after a real login with a second factor."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from meedoen.accounts.actor import Actor
    from meedoen.accounts.middleware import SESSION_KEY
    from meedoen.accounts.models import Membership
    from meedoen.residents.models import Resident

    membership = Membership.objects.select_related("user", "municipality").get(
        user__username=USERNAME, municipality__slug="apeldoorn", is_active=True
    )
    user = membership.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = str(membership.pk)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    caseload = list(
        Resident.objects.filter(municipality=membership.municipality, caseworker_work=user)
        .order_by("family_name", "given_names", "id")
        .values_list("id", flat=True)
    )
    if len(caseload) < 25:
        raise RuntimeError(
            f"{USERNAME} has {len(caseload)} residents in their caseload; expected at least 25"
        )
    actor = Actor(user=user, membership=membership, endpoint="residents:detail")
    return Subject(client=client, actor=actor, resident_id=caseload[0], caseload_ids=caseload)


# --- measuring ----------------------------------------------------------------------------------------------


def _no_record(*args: Any, **kwargs: Any) -> None:
    return None


@contextmanager
def processing_log(enabled: bool) -> Iterator[None]:
    """With ``enabled`` False, ``meedoen.audit.log.record`` is a no-op (every caller uses ``log.record``)."""
    from meedoen.audit import log

    if enabled:
        yield
        return
    original = log.record
    log.record = _no_record  # type: ignore[assignment]
    try:
        yield
    finally:
        log.record = original


def get_page(client: Client, url: str) -> float:
    """One GET; returns milliseconds. Refuses anything but the rendered page."""
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return elapsed


def check_page(client: Client, url: str, expect: str) -> None:
    response = client.get(url)
    body = response.content.decode()
    if response.status_code != 200 or LOGIN_PAGE_MARKER in body or expect not in body:
        raise RuntimeError(f"GET {url} did not render the page for the logged-in klantmanager")


def count_queries(client: Client, url: str, logged: bool) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with processing_log(logged), CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def measure_page(name: str, client: Client, url: str, requests: int, warmup: int) -> PageResult:
    """``requests`` timed GETs with the log and as many without, alternating (ABBA), after a warm-up."""
    for index in range(warmup):
        with processing_log(index % 2 == 0):
            get_page(client, url)
    logged: list[float] = []
    unlogged: list[float] = []
    gc.collect()
    for index in range(requests):
        order = (True, False) if index % 2 == 0 else (False, True)
        for enabled in order:
            with processing_log(enabled):
                elapsed = get_page(client, url)
            (logged if enabled else unlogged).append(elapsed)
    return PageResult(
        name=name,
        url=url,
        logged=Timings(logged),
        unlogged=Timings(unlogged),
        queries_logged=count_queries(client, url, logged=True),
        queries_unlogged=count_queries(client, url, logged=False),
    )


def measure_record(actor: Actor, resident_ids: list[uuid.UUID], calls: int) -> float:
    """Median microseconds of one ``log.record`` call outside a transaction (autocommit, as on a page)."""
    from meedoen.audit import log
    from meedoen.audit.models import LogAction, Purpose

    record: Callable[..., object] = log.record
    for _ in range(min(50, calls)):
        record(actor, LogAction.SEARCH, Purpose.GUIDANCE, resident_ids)
    samples: list[float] = []
    gc.collect()
    for _ in range(calls):
        started = time.perf_counter_ns()
        record(actor, LogAction.SEARCH, Purpose.GUIDANCE, resident_ids)
        samples.append((time.perf_counter_ns() - started) / 1000)
    return statistics.median(samples)


# --- reporting ----------------------------------------------------------------------------------------------


def figures(pages: list[PageResult], record_1: float, record_25: float, prefix: str) -> dict[str, Any]:
    def ms(value: float) -> dict[str, Any]:
        return {"value": round(value, 2), "unit": "ms"}

    out: dict[str, Any] = {}
    for page in pages:
        out[f"{prefix}{page.name}_p50_logged"] = ms(page.logged.p50)
        out[f"{prefix}{page.name}_p95_logged"] = ms(page.logged.p95)
        out[f"{prefix}{page.name}_p50_unlogged"] = ms(page.unlogged.p50)
        out[f"{prefix}{page.name}_p95_unlogged"] = ms(page.unlogged.p95)
        out[f"{prefix}{page.name}_log_overhead_p50"] = ms(page.overhead_p50)
        out[f"{prefix}{page.name}_queries_logged"] = {"value": page.queries_logged, "unit": "queries"}
    out[f"{prefix}log_record_1_subject"] = {"value": round(record_1, 1), "unit": "us"}
    out[f"{prefix}log_record_25_subjects"] = {"value": round(record_25, 1), "unit": "us"}
    return out


def write_results(results: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    merged: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged.update(results)
    RESULTS.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")


def print_table(
    vendor: str, requests: int, pages: list[PageResult], record_1: float, record_25: float
) -> None:
    print(
        f"\nProcessing log cost, in-process django.test.Client, {vendor}, demo {DEMO_SIZE} (seed {DEMO_SEED})"
    )
    print(f"{requests} requests per variant, logged and unlogged alternating\n")
    header = f"{'page':<22}{'variant':<11}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}"
    print(header)
    print("-" * len(header))
    for page in pages:
        print(
            f"{page.name:<22}{'logged':<11}{page.logged.p50:>9.2f}{page.logged.p95:>9.2f}{page.queries_logged:>9}"
        )
        print(
            f"{'':<22}{'unlogged':<11}{page.unlogged.p50:>9.2f}{page.unlogged.p95:>9.2f}"
            f"{page.queries_unlogged:>9}"
        )
        share = page.overhead_p50 / page.unlogged.p50 * 100
        print(
            f"{'':<22}{'overhead':<11}{page.overhead_p50:>9.2f}{page.overhead_p95:>9.2f}"
            f"{'':>9}  ({share:+.1f}% at p50)"
        )
    print(f"\nlog.record, 1 subject:   {record_1:8.1f} µs (median)")
    print(f"log.record, 25 subjects: {record_25:8.1f} µs (median)")


# --- main ---------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        default=os.environ.get("BENCH_DATABASE", "").lower() in {"postgres", "postgresql"},
        help="PostgreSQL on 127.0.0.1:5432 instead of an SQLite file (also BENCH_DATABASE=postgres)",
    )
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page and variant")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per page first")
    parser.add_argument("--calls", type=int, default=2000, help="timed log.record calls per variant")
    parser.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> None:
    import django

    configure_environment(args.postgres)
    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            row = cursor.fetchone()
            vendor = f"PostgreSQL {row[0] if row else '?'}"
    else:
        import sqlite3

        vendor = f"SQLite {sqlite3.sqlite_version}"
    seconds, counts = prepare_data()
    print(f"{vendor}: migrated and seeded in {seconds:.0f} s ({sum(counts.values())} residents: {counts})")

    subject = log_in()
    resident_url = f"/inwoners/{subject.resident_id}/"
    caseload_url = "/inwoners/"
    check_page(subject.client, resident_url, str(subject.resident_id))
    check_page(subject.client, caseload_url, f"/inwoners/{subject.resident_id}/")
    recommendations_url = f"/inwoners/{subject.resident_id}/passende-plekken/"
    catalogue_url = f"/aanbod/?inwoner={subject.resident_id}"
    check_page(subject.client, recommendations_url, "Passende plekken voor")
    check_page(subject.client, catalogue_url, "plekken gevonden")

    started = time.perf_counter()
    pages = [
        measure_page("resident_page", subject.client, resident_url, args.requests, args.warmup),
        measure_page("caseload_page", subject.client, caseload_url, args.requests, args.warmup),
        measure_page("recommendations_page", subject.client, recommendations_url, args.requests, args.warmup),
        measure_page("catalogue_page", subject.client, catalogue_url, args.requests, args.warmup),
    ]
    record_1 = measure_record(subject.actor, subject.caseload_ids[:1], args.calls)
    record_25 = measure_record(subject.actor, subject.caseload_ids[:25], args.calls)
    elapsed = time.perf_counter() - started

    print_table(vendor, args.requests, pages, record_1, record_25)
    prefix = "postgres_" if connection.vendor == "postgresql" else ""
    write_results(figures(pages, record_1, record_25, prefix))
    print(f"\nmeasured in {elapsed:.0f} s; written to {RESULTS.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.postgres:
        create_postgres_database()
    else:
        remove_sqlite_files()
    try:
        run(args)
    finally:
        if "django" in sys.modules and "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if not args.keep:
            if args.postgres:
                drop_postgres_database()
            else:
                remove_sqlite_files()


if __name__ == "__main__":
    main()
