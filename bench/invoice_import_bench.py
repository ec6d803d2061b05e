"""Importing a provider's invoice file of 10,000 lines (target ≤ 5 s), on PostgreSQL.

    .venv/bin/python bench/invoice_import_bench.py [--lines 10000] [--runs 3] [--sqlite] [--keep] [--profile]

What it does:
1. Builds a throwaway database: PostgreSQL ``meedoen_invoice_bench`` on 127.0.0.1:5432 (user postgres),
   created when missing and dropped at the end (``--sqlite``: a file under var/bench/ instead). Migrated,
   normal settings (``meedoen.settings.base``, DEBUG off).
2. Seeds, with bulk inserts, one municipality with a provider whose ``--lines`` residents each have a seat
   on one of its placements, a commitment for 2026 at the placement's hourly price, and four weeks of
   attendance in each month measured.
3. Writes a CSV file with one line per seat (every tenth line a little above the attendance, every
   twentieth at another price, so the flags are computed, not skipped) and times, per run and for another
   month each run, what a provider's upload costs: reading the file (``invoice_files.read_file``) and
   submitting it (``actions.do_submit_invoice``: matching, flags, one transaction), with the number of
   queries.
4. Prints the figures and merges them into bench/results/latest.json (``invoice_import_*``).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import pstats
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "bench" / "results" / "latest.json"
SQLITE_DIR = ROOT / "var" / "bench"
SQLITE_FILE = SQLITE_DIR / "meedoen_invoice_bench.sqlite3"
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DATABASE = "meedoen_invoice_bench"
TARGET_SECONDS = 5.0
PER_PLACEMENT = 250


def create_postgres_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')


def drop_postgres_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')


def configure_environment(postgres: bool) -> None:
    if postgres:
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}".replace("postgresql://", "postgres://")
    else:
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "meedoen.settings.base"
    os.environ["DEBUG"] = "false"
    os.environ.pop("MEEDOEN_DEMO_MODE", None)


MONTHS = [dt.date(2026, month, 1) for month in (3, 4, 5, 6, 7)]


def seed(lines: int, runs: int) -> Any:
    """The provider's world, in bulk; returns the provider's actor and the seats."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from meedoen.accounts.actor import Actor
    from meedoen.accounts.models import Membership
    from meedoen.accounts.policies import Role
    from meedoen.budgets.models import BudgetYear, Commitment, FundingSource, LedgerEntry
    from meedoen.catalogue.models import (
        Attendance,
        Contract,
        Placement,
        Proposal,
        Provider,
        ProviderStaff,
        Seat,
    )
    from meedoen.municipalities.models import Municipality
    from meedoen.residents.models import Resident

    now = timezone.now()
    municipality = Municipality.objects.create(name="Bankstad", slug="bankstad", cbs_code="9999")
    user_model = get_user_model()
    controller = user_model.objects.create(username="controller.bench")
    provider_user = user_model.objects.create(username="aanbieder.bench")
    membership = Membership.objects.create(user=provider_user, municipality=municipality, role=Role.PROVIDER)
    provider = Provider.objects.create(name="Werkleerbedrijf Bank", kind="werkleerbedrijf")
    ProviderStaff.objects.create(membership=membership, provider=provider)
    Contract.objects.create(provider=provider, municipality=municipality, starts_on=dt.date(2024, 1, 1))
    placements = Placement.objects.bulk_create(
        [
            Placement(
                provider=provider,
                title=f"Werkplaats {i}",
                description="Werk",
                kind="activerend_werk",
                street="Straat 1",
                postcode="1234AB",
                city="Bankstad",
                latitude=Decimal("52.2"),
                longitude=Decimal("5.9"),
                capacity=PER_PLACEMENT,
                days=["ma", "di", "wo"],
                start_time=dt.time(9),
                end_time=dt.time(13),
                workload="laag",
                funding="beide",
                pricing="inspanningsgericht",
                price=Decimal("15.00"),
                price_unit="uur",
            )
            for i in range(lines // PER_PLACEMENT + 1)
        ]
    )
    residents = Resident.objects.bulk_create(
        [
            Resident(
                municipality=municipality,
                bsn=f"{100000000 + i}",
                given_names="Inwoner",
                family_name=f"Nummer {i}",
                date_of_birth=dt.date(1980, 1, 1),
            )
            for i in range(lines)
        ],
        batch_size=2000,
    )
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                municipality=municipality,
                resident=resident,
                placement=placements[i // PER_PLACEMENT],
                domain="participatiewet",
                start_date=dt.date(2026, 1, 5),
                hours_per_week=12,
                status="geaccepteerd",
                proposed_by=controller,
                proposed_at=now,
            )
            for i, resident in enumerate(residents)
        ],
        batch_size=2000,
    )
    seats = Seat.objects.bulk_create(
        [
            Seat(
                municipality=municipality,
                placement=proposal.placement,
                proposal=proposal,
                resident=proposal.resident,
                number=i % PER_PLACEMENT + 1,
                starts_on=dt.date(2026, 1, 5),
            )
            for i, proposal in enumerate(proposals)
        ],
        batch_size=2000,
    )
    year = BudgetYear.objects.create(municipality=municipality, year=2026, created_by=controller)
    source = FundingSource.objects.create(
        municipality=municipality, budget_year=year, name="Re-integratie", legal_basis="participatiewet",
        taakveld="6.5", created_by=controller,
    )  # fmt: skip
    LedgerEntry.objects.create(
        municipality=municipality, budget_year=year, source=source, kind="budget",
        amount=Decimal("100000000.00"), booked_on=dt.date(2026, 1, 1),
    )  # fmt: skip
    commitments = Commitment.objects.bulk_create(
        [
            Commitment(
                municipality=municipality,
                budget_year=year,
                source=source,
                provider=provider,
                seat=seat,
                resident_id=seat.resident_id,
                pricing="inspanningsgericht",
                unit="uur",
                unit_price=Decimal("15.00"),
                hours_per_week=Decimal("12"),
                days_per_week=3,
                planned_units=Decimal("600"),
                starts_on=dt.date(2026, 1, 5),
                ends_on=dt.date(2026, 12, 31),
            )
            for seat in seats
        ],
        batch_size=2000,
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                municipality=municipality,
                budget_year=year,
                source=source,
                kind="verplichting",
                amount=Decimal("9000.00"),
                commitment=c,
                booked_on=dt.date(2026, 1, 5),
            )
            for c in commitments
        ],
        batch_size=2000,
    )
    mondays = []
    last_month = MONTHS[min(runs, len(MONTHS)) - 1]
    last_day = dt.date(last_month.year, last_month.month + 1, 1)
    day = dt.date(2026, 2, 23)
    while day <= last_day:
        mondays.append(day)
        day += dt.timedelta(days=7)
    for monday in mondays:
        Attendance.objects.bulk_create(
            [
                Attendance(
                    seat=seat,
                    week=monday,
                    days_present=3,
                    hours_present=Decimal("12.0"),
                    recorded_by=provider_user,
                    recorded_at=now,
                )
                for seat in seats
            ],
            batch_size=5000,
        )
    return Actor(provider_user, membership, "bench"), seats


def csv_file(seats: list[Any]) -> bytes:
    rows = ["plaatsing;inwoner;eenheid;aantal;prijs per eenheid"]
    for i, seat in enumerate(seats):
        units = "60" if i % 10 == 0 else "40"
        price = "16,00" if i % 20 == 0 else "15,00"
        rows.append(f"{seat.pk};Inwoner {i};uur;{units};{price}")
    return ("\ufeff" + "\n".join(rows) + "\n").encode()


def run(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meedoen.budgets import actions, invoice_files
    from meedoen.budgets.models import InvoiceLine

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    actor, seats = seed(args.lines, args.runs)
    print(
        f"seeded {len(seats)} seats with commitments and attendance in {time.perf_counter() - started:.1f} s"
    )
    data = csv_file(seats)
    timings: list[float] = []
    parse_timings: list[float] = []
    queries: list[int] = []
    for run_index in range(args.runs):
        month = MONTHS[run_index % len(MONTHS)]
        profiler = cProfile.Profile() if args.profile else None
        with CaptureQueriesContext(connection) as captured:
            if profiler:
                profiler.enable()
            t0 = time.perf_counter()
            lines, errors = invoice_files.read_file("factuur.csv", data)
            t1 = time.perf_counter()
            invoice = actions.do_submit_invoice(
                number=f"BENCH-{run_index}",
                month=month,
                lines=lines,
                channel="import",
                actor=actor,
                errors=errors,
            )
            t2 = time.perf_counter()
            if profiler:
                profiler.disable()
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:5]
            for query in slowest:
                print(f"{query['time']} s  {query['sql'][:160]}")
        assert not errors
        count = InvoiceLine.objects.filter(invoice=invoice).count()
        flagged = InvoiceLine.objects.filter(invoice=invoice).exclude(flags=[]).count()
        assert count == args.lines, count
        timings.append(t2 - t0)
        parse_timings.append(t1 - t0)
        queries.append(len(captured.captured_queries))
        print(
            f"run {run_index + 1} ({month:%Y-%m}): {t2 - t0:.2f} s (reading the file {t1 - t0:.2f} s), "
            f"{len(captured.captured_queries)} queries, {count} lines, {flagged} flagged"
        )
    vendor = connection.vendor
    prefix = "invoice_import_" if vendor == "postgresql" else "invoice_import_sqlite_"
    result = {
        f"{prefix}{args.lines}_lines_median": {"value": round(statistics.median(timings), 2), "unit": "s"},
        f"{prefix}{args.lines}_lines_max": {"value": round(max(timings), 2), "unit": "s"},
        f"{prefix}{args.lines}_lines_reading_median": {
            "value": round(statistics.median(parse_timings), 2),
            "unit": "s",
        },
        f"{prefix}{args.lines}_lines_queries": {"value": max(queries), "unit": "queries"},
    }
    verdict = "within" if max(timings) <= TARGET_SECONDS else "OVER"
    print(f"{vendor}: median {statistics.median(timings):.2f} s, max {max(timings):.2f} s — {verdict} the "
          f"target of {TARGET_SECONDS:.0f} s")  # fmt: skip
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sqlite", action="store_true", help="an SQLite file instead of PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", action="store_true", help="print where each run's time goes")
    args = parser.parse_args(argv)
    postgres = not args.sqlite
    if postgres:
        create_postgres_database()
    configure_environment(postgres)
    try:
        result = run(args)
    finally:
        if postgres and not args.keep:
            from django.db import connections

            connections.close_all()
            drop_postgres_database()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    merged: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged.update(result)
    RESULTS.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
