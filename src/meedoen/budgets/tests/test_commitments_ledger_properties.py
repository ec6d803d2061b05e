"""Property tests of the ledger arithmetic (``budgets/ledger.py``) and, through the real actions, of the
commitments in the database.

Rounding rule (documented in ``ledger.cost``): the exact product of a period is rounded once, half up, to the
cent. So the cost of a period split into n parts differs from the sum of the parts' costs by at most half a
cent per part, rounded: |cost(whole) - sum(cost(part))| <= n x 0.005 (and never more than n cents); a release
is computed as ``committed - cost(part used)``, so committed - released is exactly the cost of what was used.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meedoen.budgets import actions, ledger, selectors
from meedoen.budgets.models import (
    BudgetYear,
    Commitment,
    Invoice,
    InvoiceLine,
    LedgerEntry,
    LedgerTotal,
    Project,
)
from meedoen.budgets.tests.commitment_helpers import act, open_year, propose
from meedoen.budgets.tests.invoice_helpers import MARCH, invoice_world
from meedoen.budgets.tests.invoice_helpers import line as invoice_line
from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.models import Contract
from meedoen.catalogue.tests.factories import PlacementFactory
from meedoen.errors import RuleError

__all__ = ["invoice_world"]

cents = st.integers(min_value=0, max_value=10_000_000).map(lambda c: Decimal(c) / 100)
SOURCES = ("a", "b")


@st.composite
def ledger_sequences(draw):
    """A random but legal sequence of entries, built the way the actions build it: a commitment only within
    the free budget, releases within what is committed, invoices within what is open, payments within what
    is invoiced, corrections that cancel an earlier entry, budgets and signed mutations."""
    entries: list[ledger.Entry] = []
    commitments = 0
    for _ in range(draw(st.integers(min_value=1, max_value=40))):
        source = draw(st.sampled_from(SOURCES))
        by_source = ledger.balances(entries, by="source").get(source, ledger.Balance())
        by_commitment = ledger.balances(entries, by="commitment")
        action = draw(
            st.sampled_from(["budget", "mutation", "commit", "release", "invoice", "pay", "correct"])
        )
        if action == "budget":
            entries.append(ledger.Entry(ledger.Kind.BUDGET, draw(cents), source))
        elif action == "mutation":
            amount = draw(cents)
            sign = draw(st.sampled_from([1, -1]))
            if sign < 0:
                amount = min(amount, max(by_source.free, ledger.ZERO))
            entries.append(ledger.Entry(ledger.Kind.MUTATION, sign * amount, source))
        elif action == "commit" and by_source.free > 0:
            amount = min(draw(cents), by_source.free)
            commitments += 1
            entries.append(
                ledger.Entry(ledger.Kind.COMMITMENT, amount, source, commitment=(source, commitments))
            )
        elif action in ("release", "invoice", "pay") and by_commitment:
            key = draw(st.sampled_from(sorted(by_commitment, key=str)))
            balance = by_commitment[key]
            room = {
                "release": balance.net_committed - balance.invoiced,
                "invoice": balance.net_committed - balance.invoiced,
                "pay": balance.invoiced - balance.paid,
            }[action]
            kind = {
                "release": ledger.Kind.RELEASE,
                "invoice": ledger.Kind.INVOICE,
                "pay": ledger.Kind.PAYMENT,
            }
            if room > 0:
                entries.append(ledger.Entry(kind[action], min(draw(cents), room), key[0], commitment=key))
        elif action == "correct" and entries:
            # Only an entry whose cancelling keeps the books legal: a payment (not a correction of one) that
            # is still paid, so cancelling it never takes the commitment's paid below zero, and cancelling a
            # cancellation never pays more than was invoiced.
            target = draw(st.sampled_from(entries))
            if (
                target.kind is ledger.Kind.PAYMENT
                and target.amount > 0
                and by_commitment[target.commitment].paid >= target.amount
            ):
                entries.append(
                    ledger.Entry(target.kind, -target.amount, target.source, commitment=target.commitment)
                )
    return entries


@given(ledger_sequences())
@settings(max_examples=300, deadline=None)
def test_random_sequences_keep_every_invariant_and_every_cent(entries):
    assert ledger.check(entries) == []
    for _source, balance in ledger.balances(entries, by="source").items():
        assert balance.budget + balance.mutations - balance.committed + balance.released - balance.free == 0
        assert balance.free >= 0
    whole = ledger.total(entries)
    parts = ledger.balances(entries, by="source").values()
    merged = ledger.Balance()
    for part in parts:
        merged = merged.merged(part)
    assert merged == whole  # nothing lost or invented between the sources and the whole pot
    assert whole.committed == sum((e.amount for e in entries if e.kind is ledger.Kind.COMMITMENT), Decimal(0))
    for entry in entries:
        assert entry.amount == ledger.money(entry.amount)


def test_check_catches_a_commitment_over_budget_and_an_invoice_over_commitment():
    entries = [
        ledger.Entry(ledger.Kind.BUDGET, Decimal("10.00"), "a"),
        ledger.Entry(ledger.Kind.COMMITMENT, Decimal("10.01"), "a", commitment=1),
        ledger.Entry(ledger.Kind.INVOICE, Decimal("10.02"), "a", commitment=1),
    ]
    texts = {breach.text.split(" (")[0] for breach in ledger.check(entries)}
    assert texts == {"meer verplicht dan er budget is", "meer gefactureerd dan verplicht"}


prices = st.builds(
    lambda pricing_unit, amount: ledger.Price(
        ledger.Pricing(pricing_unit[0]), amount, ledger.Unit(pricing_unit[1])
    ),
    st.sampled_from(
        [("inspanningsgericht", u) for u in ("uur", "dagdeel", "etmaal", "week")]
        + [("outputgericht", "maand")]
    ),
    st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c) / 100),
)
volumes = st.builds(
    lambda hours, days: ledger.Volume(Decimal(hours), days),
    st.integers(min_value=1, max_value=40),
    st.integers(min_value=1, max_value=5),
)
days_of_2026 = st.integers(min_value=0, max_value=364).map(
    lambda n: dt.date(2026, 1, 1) + dt.timedelta(days=n)
)


@given(prices, volumes, st.lists(days_of_2026, min_size=2, max_size=8, unique=True))
@settings(max_examples=300, deadline=None)
def test_the_cost_of_a_period_is_the_sum_of_its_parts_within_the_rounding_rule(price, volume, days):
    days = sorted(days)
    start, end = days[0], days[-1]
    cuts = days[1:-1]
    parts = []
    part_start = start
    for cut in cuts:
        parts.append((part_start, cut - dt.timedelta(days=1)))
        part_start = cut
    parts.append((part_start, end))
    whole = ledger.cost(price, volume, start, end)
    summed = sum((ledger.cost(price, volume, a, b) for a, b in parts), Decimal(0))
    assert abs(whole - summed) <= Decimal("0.005") * len(parts) + Decimal("0.005")
    for _a, b in parts:
        used = ledger.cost(price, volume, start, b)
        assert ledger.release_on_end(whole, price, volume, start, b) == max(whole - used, ledger.ZERO)


@pytest.mark.django_db
@given(
    ends=st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=6),
    hours=st.integers(min_value=1, max_value=30),
    stop=st.one_of(st.none(), st.integers(min_value=0, max_value=250)),
)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_real_actions_keep_the_ledger_whole(ends, hours, stop, groene_schakel, alice, paula, carla):
    """Accept, then extend or shorten a few times, then maybe end: in the database, committed - released is
    always the cost of the period now planned, the source's sums balance, and every invariant holds."""
    Contract.objects.filter(provider=groene_schakel).update(ends_on=None)
    municipality = alice.municipality
    if not BudgetYear.objects.filter(municipality=municipality, year=2026).exists():
        open_year(municipality, carla, amount=Decimal("1000000.00"))
    start = dt.date(2026, 3, 2)
    placement = PlacementFactory(provider=groene_schakel, price_unit="uur", price=Decimal("13.37"))
    seat = catalogue_actions.do_accept_proposal(propose(placement, alice, hours=hours), actor=act(paula))
    commitment = Commitment.objects.get(seat=seat)
    for offset in ends:
        new_end = start + dt.timedelta(days=offset)
        if new_end != commitment.ends_on:
            commitment = actions.do_extend_commitment(commitment, ends_on=new_end, actor=act(carla))
        balance = actions.selectors.balance_of(commitment)
        assert balance.net_committed == ledger.cost(commitment.price, commitment.volume, start, new_end)
    if stop is not None:
        ended_on = start + dt.timedelta(days=stop)
        catalogue_actions.do_end_seat(seat, ended_on=ended_on, reason="Klaar", actor=act(paula))
        commitment.refresh_from_db()
        balance = actions.selectors.balance_of(commitment)
        assert balance.net_committed == ledger.cost(
            commitment.price, commitment.volume, start, commitment.ends_on
        )
    entries = [
        ledger.Entry(ledger.Kind(e.kind), e.amount, e.source_id, e.project_id, e.commitment_id)
        for e in LedgerEntry.objects.all()
    ]
    assert ledger.check(entries) == []
    totals, ledger_sums = totals_and_sums()
    assert totals == ledger_sums


def totals_and_sums():
    """The running totals and the ledger's own sums, per (source, project, kind), without zero sums."""
    totals = {
        (t.source_id, t.project_id, t.kind): t.amount for t in LedgerTotal.objects.all() if t.amount != 0
    }
    rows = (
        LedgerEntry.objects.values("source_id", "project_id", "kind").annotate(total=Sum("amount")).order_by()
    )
    # SQLite sums decimals as floats (3.99000000000001): to the cent, as balance_from_sums reads them.
    ledger_sums = {
        (r["source_id"], r["project_id"], r["kind"]): ledger.money(r["total"])
        for r in rows
        if r["total"] != 0
    }
    return totals, ledger_sums


steps = st.lists(
    st.tuples(
        st.sampled_from(["mutation", "allocate", "approve", "reject", "correct", "extend"]),
        st.integers(min_value=0, max_value=60_000).map(lambda c: Decimal(c) / 100),
        st.booleans(),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.django_db
@given(sequence=steps)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_running_totals_equal_the_ledger_sums_after_random_actions(sequence, invoice_world, paula, carla):
    """Mutations, allocations, invoice lines approved or rejected, corrections of approved lines and
    extensions, in random order through the real actions: after each one the running totals the budget
    page reads are exactly the ledger's sums, to the cent, and the page shows them."""
    source, commitment, seat = invoice_world["source"], invoice_world["commitment"], invoice_world["seat"]
    project = Project.objects.get_or_create(
        municipality=source.municipality, code="werkfit", defaults={"name": "Werkfit"}
    )[0]
    for action, amount, up in sequence:
        try:
            if action == "mutation":
                actions.do_mutate_budget(
                    source, amount if up else -amount, "Circulaire", booked_on=dt.date(2026, 6, 1),
                    actor=act(carla),
                )  # fmt: skip
            elif action == "allocate" and amount:
                actions.do_allocate(source, project, amount if up else -amount, "Verdeling", actor=act(carla))
            elif action in ("approve", "reject"):
                number = f"P-{Invoice.objects.count() + 1}"
                units = str(ledger.money(amount / 15 / 10))
                invoice = actions.do_submit_invoice(
                    number=number, month=MARCH, lines=[invoice_line(seat, units=units)], channel="portaal",
                    actor=act(paula),
                )  # fmt: skip
                new = invoice.lines.get()
                if action == "approve":
                    actions.do_approve_invoice_lines([new], reason="Gecontroleerd", actor=act(carla))
                else:
                    actions.do_reject_invoice_line(new, "Niet gewerkt", actor=act(carla))
            elif action == "correct":
                approved = InvoiceLine.objects.filter(status="goedgekeurd").order_by("invoice__number").last()
                if approved is not None:
                    actions.do_correct_invoice_line(approved, amount, "Verkeerd aantal", actor=act(carla))
            elif action == "extend":
                commitment.refresh_from_db()
                later = dt.date(2026, 6, 30) + dt.timedelta(days=int(amount))
                new_end = dt.date(2026, 12, 31) if up else later
                if new_end != commitment.ends_on and new_end <= dt.date(2026, 12, 31):
                    actions.do_extend_commitment(commitment, ends_on=new_end, actor=act(carla))
        except RuleError:
            pass  # refused as a whole: nothing booked, which the check below sees too
        totals, ledger_sums = totals_and_sums()
        assert totals == ledger_sums
    balances = selectors.sums_by(LedgerEntry.objects.filter(source=source), "source_id")[source.pk]
    page = selectors.budget_page(invoice_world["year"], act(carla), today=dt.date(2026, 7, 1))
    assert page.sources[0].balance == balances
    # Computing the totals again from the ledger gives the same totals.
    before = totals_and_sums()[0]
    actions.rebuild_totals(invoice_world["year"].pk)
    assert totals_and_sums()[0] == before
