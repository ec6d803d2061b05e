"""Matching invoice lines to the commitment and the reported attendance: each kind of difference is flagged
with its reason, on constructed data; a line that matches gets no flag."""

import datetime as dt
from decimal import Decimal

import pytest

from meedoen.budgets import actions
from meedoen.budgets.models import Flag, InvoiceLine
from meedoen.budgets.tests.invoice_helpers import MARCH, act, invoice_world, line, place, report
from meedoen.catalogue.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db
__all__ = ["invoice_world"]


def submit(paula, lines, number="2026-03-01", month=MARCH):
    return actions.do_submit_invoice(
        number=number, month=month, lines=lines, channel="portaal", actor=act(paula)
    )


def codes(invoice) -> list[list[str]]:
    return [[f["code"] for f in line.flags] for line in invoice.lines.order_by("row")]


def test_a_line_as_agreed_and_attended_has_no_flags(invoice_world, paula):
    invoice = submit(paula, [line(invoice_world["seat"], units="40")])
    only = invoice.lines.get()
    assert only.flags == [] and only.amount == Decimal("600.00")
    assert only.commitment == invoice_world["commitment"] and only.status == InvoiceLine.Status.WAITING


def test_more_units_than_attended_is_flagged_with_the_attended_number(invoice_world, paula):
    invoice = submit(paula, [line(invoice_world["seat"], units="44")])
    flags = invoice.lines.get().flags
    assert [f["code"] for f in flags] == [Flag.MORE_THAN_ATTENDED]
    assert "44 uur gefactureerd, volgens de gemelde aanwezigheid 40" in flags[0]["text"]


def test_a_week_over_two_months_counts_for_its_working_days_in_each(invoice_world, paula):
    # 30 March 2026 is a Monday: Monday and Tuesday in March, Wednesday to Friday in April.
    report(invoice_world["seat"], dt.date(2026, 3, 30), days=5, hours="20", by=paula.user)
    invoice = submit(paula, [line(invoice_world["seat"], units="48")])  # 40 + 2/5 of 20
    assert invoice.lines.get().flags == []
    again = submit(paula, [line(invoice_world["seat"], units="48.01")], number="2026-03-02")
    assert Flag.MORE_THAN_ATTENDED in codes(again)[0]


def test_no_attendance_reported_is_flagged(invoice_world, paula, apeldoorn):
    other = place(invoice_world["placement"], apeldoorn)
    invoice = submit(paula, [line(other, units="8")])
    texts = [f["text"] for f in invoice.lines.get().flags]
    assert "8 uur gefactureerd, maar er is geen aanwezigheid gemeld." in texts


def test_a_resident_without_a_running_placement_in_the_month_is_flagged(invoice_world, paula, apeldoorn):
    ended = place(invoice_world["placement"], apeldoorn, ended_on=dt.date(2026, 2, 20))
    later = place(invoice_world["placement"], apeldoorn, starts_on=dt.date(2026, 4, 6))
    invoice = submit(paula, [line(ended, row=1), line(later, row=2)])
    first, second = invoice.lines.order_by("row")
    assert Flag.NO_PLACEMENT in [f["code"] for f in first.flags]
    assert "geëindigd op 20-02-2026" in first.flags[0]["text"]
    assert "begint pas op 06-04-2026" in second.flags[0]["text"]


def test_a_seat_without_a_commitment_is_flagged_and_cannot_be_paid(invoice_world, paula, carla, apeldoorn):
    uncommitted = place(invoice_world["placement"], apeldoorn)
    for monday in (dt.date(2026, 3, 2),):
        report(uncommitted, monday, by=paula.user)
    invoice = submit(paula, [line(uncommitted, units="10")])
    only = invoice.lines.get()
    assert [f["code"] for f in only.flags] == [Flag.NO_PLACEMENT]
    assert "geen verplichting" in only.flags[0]["text"]
    with pytest.raises(actions.RuleError, match="geen verplichting"):
        actions.do_approve_invoice_lines([only], reason="Toch betalen", actor=act(carla))


def test_a_price_other_than_the_commitment_is_flagged(invoice_world, paula):
    invoice = submit(paula, [line(invoice_world["seat"], units="40", price="16.50")])
    flags = invoice.lines.get().flags
    assert [f["code"] for f in flags] == [Flag.PRICE_DIFFERS]
    assert flags[0]["text"] == "Gefactureerd €\u00a016,50 per uur; afgesproken is €\u00a015,00 per uur."


def test_another_unit_than_agreed_is_a_price_difference(invoice_world, paula):
    invoice = submit(paula, [line(invoice_world["seat"], units="4", price="60.00", unit="week")])
    assert codes(invoice) == [[Flag.PRICE_DIFFERS]]


def test_a_period_invoiced_twice_is_flagged_on_a_second_invoice_and_within_one(invoice_world, paula):
    seat = invoice_world["seat"]
    submit(paula, [line(seat, units="20")], number="A-1")
    second = submit(paula, [line(seat, units="20")], number="A-2")
    assert codes(second) == [[Flag.INVOICED_TWICE]]
    assert "al gefactureerd (factuur A-1)" in second.lines.get().flags[0]["text"]
    within = submit(
        paula, [line(seat, units="1", row=1), line(seat, units="1", row=2)], month=dt.date(2026, 2, 1)
    )
    assert codes(within)[0] == [Flag.MORE_THAN_ATTENDED]  # no attendance reported in February
    assert Flag.INVOICED_TWICE in codes(within)[1]


def test_a_rejected_line_does_not_count_as_invoiced(invoice_world, paula, carla):
    first = submit(paula, [line(invoice_world["seat"], units="20")], number="B-1")
    actions.do_reject_invoice_line(first.lines.get(), "Verkeerde maand", actor=act(carla))
    second = submit(paula, [line(invoice_world["seat"], units="20")], number="B-2")
    assert codes(second) == [[]]


def test_more_than_is_still_committed_is_flagged(invoice_world, paula):
    # € 1.200,00 committed: 40 hours (€ 600,00) in March fit, 41 hours (€ 615,00) in April do not; 41.8
    # hours were attended in April (the week of 27 April has four of its working days in April).
    seat = invoice_world["seat"]
    for monday in (dt.date(2026, 4, 6), dt.date(2026, 4, 13), dt.date(2026, 4, 20), dt.date(2026, 4, 27)):
        report(seat, monday, days=3, hours="11", by=paula.user)
    submit(paula, [line(seat, units="40")], number="C-1")
    april = submit(paula, [line(seat, units="41")], number="C-2", month=dt.date(2026, 4, 1))
    flags = april.lines.get().flags
    assert [f["code"] for f in flags] == [Flag.OVER_COMMITMENT]
    assert flags[0]["text"] == (
        "€\u00a0615,00 gefactureerd; er is nog €\u00a0600,00 verplicht dat niet gefactureerd is."
    )


def test_a_placement_of_another_provider_is_an_error_not_a_line(invoice_world, paula, apeldoorn):
    elsewhere = place(PlacementFactory(title="Elders"), apeldoorn)
    with pytest.raises(actions.InvoiceInvalid) as refused:
        submit(paula, [line(invoice_world["seat"]), line(elsewhere, row=2)])
    assert [(e.row, e.field) for e in refused.value.errors] == [(2, "seat")]
    assert not InvoiceLine.objects.exists()


def test_attendance_covers_all_lines_of_the_seat_in_the_month_together(invoice_world, paula):
    seat = invoice_world["seat"]
    submit(paula, [line(seat, units="30")], number="D-1")
    second = submit(paula, [line(seat, units="14")], number="D-2")
    texts = [f["text"] for f in second.lines.get().flags]
    assert "14 uur gefactureerd (met de eerdere regels 44), volgens de gemelde aanwezigheid 40." in texts
