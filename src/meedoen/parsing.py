"""Small helpers every app's views share: reading query parameters safely, and putting a rule's refusal on the
form field it names. No app imports another app for these."""

import datetime as dt
import re
import uuid

from django import forms
from django.utils.dateparse import parse_date

from meedoen.errors import RuleError


def uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def date_or_none(value: str | None) -> dt.date | None:
    """A date from ``JJJJ-MM-DD``; None for a missing value, another shape, or one that looks like a date but
    is none (2026-02-31, on which Django's ``parse_date`` raises)."""
    try:
        return parse_date(value) if value else None
    except ValueError:
        return None


def int_or(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


# No list has this many pages; a larger number (say 10**20) would overflow the database's OFFSET.
MAX_PAGE = 1_000_000


def page_number(value: str | None) -> int:
    """The page a list shows for ``?pagina=``: 1 for a missing, negative or non-numeric value, at most
    MAX_PAGE. A number past the last page is the selector's to turn into the last page."""
    return min(max(1, int_or(value, 1)), MAX_PAGE)


def put_error(form: forms.Form, error: RuleError) -> None:
    """Show a RuleError at the field it names, or above the form when the form has no such field."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


# An amount as people type it on a Dutch page: "1.000,50", "€ 1.000,50", "1000,50", "1000", "-200,00".
# The point groups thousands (in threes) and the comma separates the cents, the way the pages show amounts.
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+")
_PLAIN = re.compile(r"\d+")
_CENTS = re.compile(r"\d*")


class AmountTextError(ValueError):
    """The text is no amount; ``code`` says why: ``"invalid"`` (no number) or ``"point"`` (a point where the
    cents go, as in 1.00, which could mean one euro or a thousand)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def amount_text(text: str) -> str:
    """The typed amount as Python's decimal text ("1.000,50" → "1000.50"), or AmountTextError. Leaves the
    number of decimals to the caller (a field with ``decimal_places`` refuses more than two)."""
    value = text.strip().replace("€", "").replace("\u00a0", "").replace(" ", "")
    sign = ""
    if value[:1] in "+-" and value:
        sign, value = ("-" if value[0] == "-" else ""), value[1:]
    whole, comma, cents = value.partition(",")
    if not whole and comma:
        whole = "0"
    if _GROUPED.fullmatch(whole):
        whole = whole.replace(".", "")
    elif not _PLAIN.fullmatch(whole):
        raise AmountTextError("point" if not comma and re.fullmatch(r"\d+\.\d+", whole) else "invalid")
    if not _CENTS.fullmatch(cents):
        raise AmountTextError("invalid")
    return f"{sign}{whole}.{cents}" if cents else f"{sign}{whole}"
