"""Matching an invoice line to its commitment and to the attendance that was reported: the flags a line gets.

Pure Python, no Django import. The caller (``budgets.actions.do_submit_invoice``) reads seats, commitments,
attendance and earlier lines for a whole invoice in a few queries and passes them in as the dataclasses
below; ``check_line`` says what is odd about one line, with the reason in Dutch. A line without flags may be
approved in bulk; a flagged line needs a person's review with a reason.

The flag codes are the values of ``budgets.models.Flag``.
"""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from meedoen.budgets.ledger import ZERO, money

MORE_THAN_ATTENDED = "meer_dan_aanwezig"
NO_PLACEMENT = "geen_plaatsing"
PRICE_DIFFERS = "andere_prijs"
INVOICED_TWICE = "dubbel"
OVER_COMMITMENT = "boven_verplichting"

# Units that are paid for a result (outputgericht): attendance says nothing about them.
OUTPUT_UNITS = frozenset({"traject", "maand"})
DAYPART_HOURS = Decimal(4)


def month_end(month: dt.date) -> dt.date:
    return dt.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def euro_text(amount: Decimal) -> str:
    """€ 1.234,56, the Dutch way (the same as ``meedoen.formatting.euro``, which this pure module cannot
    import)."""
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(money(amount)):.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{sign}€\u00a0{groups},{cents}"  # a non-breaking space: "€" never ends a line


def number_text(value: Decimal) -> str:
    """12 or 12,5: a number of units as people write it."""
    text = f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}".rstrip("0")
    return text.replace(".", ",")


@dataclass(frozen=True)
class Week:
    """Reported attendance of one week (``monday``) of a seat."""

    monday: dt.date
    days_present: int
    hours_present: Decimal


@dataclass(frozen=True)
class SeatTerms:
    """What a line is matched against: the seat's period, its commitment's price (or the placement's when
    there is no commitment), the commitment's open amount and the attendance of the month."""

    starts_on: dt.date
    ended_on: dt.date | None
    unit: str
    unit_price: Decimal
    has_commitment: bool
    open_amount: Decimal  # committed - released - invoiced - waiting lines, before this invoice
    weeks: tuple[Week, ...] = ()


@dataclass(frozen=True)
class Line:
    row: int
    unit: str
    units: Decimal
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return money(self.units * self.unit_price)


@dataclass(frozen=True)
class Flag:
    code: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


def _weekday_share(monday: dt.date, first: dt.date, last: dt.date) -> Decimal:
    """The part of a week's working days (Monday to Friday) that falls in the month: a week that runs over
    into the next month counts for the days it has in each."""
    days = sum(1 for i in range(5) if first <= monday + dt.timedelta(days=i) <= last)
    return Decimal(days) / Decimal(5)


def attended_units(unit: str, weeks: tuple[Week, ...], month: dt.date) -> Decimal | None:
    """The units the reported attendance supports in the month; None for a unit attendance cannot check
    (outputgericht)."""
    if unit in OUTPUT_UNITS or not unit:
        return None
    first, last = month, month_end(month)
    total = Decimal(0)
    for week in weeks:
        share = _weekday_share(week.monday, first, last)
        if share == 0:
            continue
        if unit == "uur":
            units = week.hours_present
        elif unit == "dagdeel":
            if week.days_present == 0:
                units = Decimal(0)
            else:
                per_day = (week.hours_present / week.days_present / DAYPART_HOURS).to_integral_value(
                    rounding=ROUND_CEILING
                )
                units = per_day * week.days_present
        elif unit == "etmaal":
            units = Decimal(week.days_present)
        else:  # week
            units = Decimal(1) if week.days_present > 0 else Decimal(0)
        total += units * share
    return money(total)


def check_line(
    line: Line,
    terms: SeatTerms,
    *,
    month: dt.date,
    invoiced_before: list[str],
    open_after_earlier_lines: Decimal,
    units_before: Decimal = ZERO,
) -> list[Flag]:
    """The flags of one line. ``invoiced_before`` lists the invoice numbers that already hold a line for the
    same seat and month (an earlier invoice, or an earlier row of this one), ``units_before`` the units of
    the same unit on those lines (the attendance covers them together); ``open_after_earlier_lines`` is
    what is still open on the commitment after the earlier rows of this invoice."""
    flags: list[Flag] = []
    first, last = month, month_end(month)
    runs = terms.starts_on <= last and (terms.ended_on is None or terms.ended_on >= first)
    if not runs:
        if terms.ended_on is not None and terms.ended_on < first:
            when = f"de plaatsing is geëindigd op {terms.ended_on:%d-%m-%Y}"
        else:
            when = f"de plaatsing begint pas op {terms.starts_on:%d-%m-%Y}"
        flags.append(Flag(NO_PLACEMENT, f"Geen lopende plaatsing in {first:%m-%Y}: {when}."))
    elif not terms.has_commitment:
        flags.append(
            Flag(
                NO_PLACEMENT,
                f"Er is geen verplichting voor deze plaatsing in {first.year}: zonder verplichting kan de "
                "gemeente niet betalen.",
            )
        )
    if line.unit != terms.unit or line.unit_price != terms.unit_price:
        flags.append(
            Flag(
                PRICE_DIFFERS,
                f"Gefactureerd {euro_text(line.unit_price)} per {line.unit}; afgesproken is "
                f"{euro_text(terms.unit_price)} per {terms.unit or '-'}.",
            )
        )
    attended = attended_units(line.unit, terms.weeks, month) if runs else None
    if attended is not None and line.units + units_before > attended:
        invoiced = f"{number_text(line.units)} {line.unit} gefactureerd"
        if units_before:
            invoiced += f" (met de eerdere regels {number_text(line.units + units_before)})"
        if not terms.weeks:
            text = f"{invoiced}, maar er is geen aanwezigheid gemeld."
        else:
            text = f"{invoiced}, volgens de gemelde aanwezigheid {number_text(attended)}."
        flags.append(Flag(MORE_THAN_ATTENDED, text))
    if invoiced_before:
        flags.append(
            Flag(
                INVOICED_TWICE,
                f"{first:%m-%Y} is voor deze plaatsing al gefactureerd (factuur "
                f"{', '.join(sorted(set(invoiced_before)))}).",
            )
        )
    if terms.has_commitment and line.amount > open_after_earlier_lines:
        flags.append(
            Flag(
                OVER_COMMITMENT,
                f"{euro_text(line.amount)} gefactureerd; er is nog "
                f"{euro_text(max(open_after_earlier_lines, ZERO))} verplicht dat niet gefactureerd is.",
            )
        )
    return flags
