"""Two approvals that book on the same running totals (LedgerTotal, decision 0014) in a different order do not
deadlock: every writer locks its totals in one order before its first booking (PostgreSQL, real threads)."""

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.models import Sum

from meedoen.budgets import actions
from meedoen.budgets.models import InvoiceLine, LedgerEntry, LedgerTotal, lock_totals
from meedoen.budgets.tests.factories import BudgetYearFactory, CommitmentFactory, FundingSourceFactory
from meedoen.budgets.tests.invoice_helpers import MARCH, act, line, place
from meedoen.catalogue.tests.factories import PlacementFactory

FEBRUARY = dt.date(2026, 2, 1)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite lets one writer in at a time; this race runs in the PostgreSQL pass "
            "(CI, or MEEDOEN_TEST_DATABASE=postgres)"
        )


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else a transaction sees its first snapshot
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_two_approvals_booking_on_two_sources_in_opposite_order_both_go_through(
    postgres_only, apeldoorn, groene_schakel, paula, carla
):
    budget_year = BudgetYearFactory(municipality=apeldoorn, year=2026, created_by=carla.user)
    work = FundingSourceFactory(budget_year=budget_year, name="Re-integratie")
    care = FundingSourceFactory(budget_year=budget_year, name="Wmo maatwerk", legal_basis="wmo")
    placement = PlacementFactory(provider=groene_schakel, price=Decimal("15.00"), price_unit="uur")
    seats = []
    for source in (work, care, care, work):
        seat = place(placement, apeldoorn)
        CommitmentFactory(
            source=source, seat=seat, resident=seat.resident, provider=groene_schakel, unit="uur",
            unit_price=Decimal("15.00"), ends_on=dt.date(2026, 12, 31), amount=Decimal("1200.00"),
        )  # fmt: skip
        seats.append(seat)

    def submit(number: str, month: dt.date, *on) -> list[InvoiceLine]:
        lines = [line(seat, units="10", row=row) for row, seat in enumerate(on, start=1)]
        invoice = actions.do_submit_invoice(
            number=number, month=month, lines=lines, channel="portaal", actor=act(paula)
        )
        return list(invoice.lines.order_by("row"))

    # February is paid already, so the invoiced and paid totals of both sources exist.
    february = submit("0-feb", FEBRUARY, *seats[:2])
    actions.do_approve_invoice_lines(february, reason="Gecontroleerd", actor=act(carla))
    a_work, a_care = submit("A-maart", MARCH, seats[0], seats[2])
    b_care, b_work = submit("B-maart", MARCH, seats[1], seats[3])
    # The first reviewer's lines book on the work source first (invoice A before B), the second's on care.
    batches = [[a_work, b_care], [a_care, b_work]]

    def approve(lines: list[InvoiceLine]) -> str:
        try:
            actions.do_approve_invoice_lines(lines, reason="Uren nagekeken", actor=act(carla, "api"))
            return "approved"
        except Exception as error:  # the outcome is what the test compares
            return f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()

    # Someone else holds the totals while both reviewers start, so both are on their way at once.
    with ThreadPoolExecutor(max_workers=2) as pool, transaction.atomic():
        list(LedgerTotal.objects.select_for_update().filter(kind__in=["factuur", "betaling"]))
        outcomes = [pool.submit(approve, batch) for batch in batches]
        deadline = time.monotonic() + 20
        while _waiting_on_a_lock() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting_on_a_lock() == 2
    assert [outcome.result(timeout=30) for outcome in outcomes] == ["approved", "approved"]

    assert InvoiceLine.objects.filter(status=InvoiceLine.Status.APPROVED).count() == 6
    paid = LedgerEntry.objects.filter(kind="betaling").values("source").annotate(total=Sum("amount"))
    assert {row["source"]: row["total"] for row in paid} == {
        work.pk: Decimal("450.00"),
        care.pk: Decimal("450.00"),
    }
    totals = {(t.source_id, t.kind): t.amount for t in LedgerTotal.objects.filter(kind="betaling")}
    assert totals == {(work.pk, "betaling"): Decimal("450.00"), (care.pk, "betaling"): Decimal("450.00")}


@pytest.mark.django_db
def test_the_totals_are_locked_in_one_order_whatever_order_they_are_named_in(carla, apeldoorn):
    """On every database: the order of the lock query is the order ``lock_totals`` sorts the keys in, and a
    missing total is created at zero (so the later booking only adds to a row the transaction holds)."""
    budget_year = BudgetYearFactory(municipality=apeldoorn, year=2026, created_by=carla.user)
    sources = [FundingSourceFactory(budget_year=budget_year) for _ in range(3)]
    keys = [(budget_year.pk, s.pk, None, kind) for s in sources for kind in ("factuur", "betaling", "budget")]
    with transaction.atomic():
        lock_totals(reversed(keys))
    created = list(
        LedgerTotal.objects.filter(budget_year=budget_year)
        .order_by("budget_year_id", "source_id", "project_id", "kind")
        .values_list("source_id", "kind", "amount")
    )
    expected = sorted((s.pk, kind) for s in sources for kind in ("betaling", "budget", "factuur"))
    assert [(source, kind) for source, kind, _ in created] == [(s, k) for s, k in expected]
    assert {amount for source, kind, amount in created if kind != "budget"} == {Decimal("0.00")}
    assert {amount for source, kind, amount in created if kind == "budget"} == {Decimal("100000.00")}
