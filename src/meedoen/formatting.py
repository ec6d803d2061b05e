"""Small pieces of HTML built in Python for the most-rendered screens, and amounts of money as people read
them.

A ``<select>`` with sixty districts and a "selected" test per option took more time than the rest of the
caseload page's filter form, in a template loop and with Django's ``format_html`` (which escapes through
several layers of Python for every value). MarkupSafe's ``escape`` is written in C.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext
from markupsafe import escape


def select_options(choices: Iterable[tuple[Any, Any]], current: Any) -> SafeString:
    """``<option>`` elements for (value, label) pairs, the one equal to ``current`` selected."""
    options = (
        f'<option value="{escape(value)}"{_SELECTED if value == current else ""}>{escape(label)}</option>'
        for value, label in choices
    )
    return mark_safe("".join(options))  # noqa: S308 - every value and label is escaped


_SELECTED = " selected"


# Between "€" and the number: a non-breaking space, so that a line never ends with a lone "€".
NBSP = "\u00a0"


def euro(amount: Decimal | int) -> str:
    """An amount of money in the active language's format, always with cents and with thousands grouped:
    "€ 2.500,00" in Dutch, "€ 2,500.00" in English, with a non-breaking space after "€". Never through
    float."""
    number = formats.number_format(Decimal(amount).quantize(Decimal("0.01")), 2, force_grouping=True)
    return f"€{NBSP}{number}"


def _unit_names() -> dict[str, tuple[str, str]]:
    # (singular, plural) of the units of an invoice line (iWmo: uur 04, dagdeel 16, etmaal 14, ...). Dutch
    # writes "40 uur" after a number, so "uur" has no plural of its own.
    return {
        "uur": ("%(count)s uur", "%(count)s uur"),
        "dagdeel": ("%(count)s dagdeel", "%(count)s dagdelen"),
        "etmaal": ("%(count)s etmaal", "%(count)s etmalen"),
        "week": ("%(count)s week", "%(count)s weken"),
        "traject": ("%(count)s traject", "%(count)s trajecten"),
        "maand": ("%(count)s maand", "%(count)s maanden"),
    }


def quantity(units: Decimal | int, unit: str) -> str:
    """A number of units as people read it: "1 dagdeel", "3 dagdelen", "1,5 uur"; an unknown unit as given."""
    value = Decimal(units)
    shown = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    count = formats.number_format(shown)
    names = _unit_names().get(unit)
    if names is None:
        return f"{count} {unit}".strip()
    return ngettext(names[0], names[1], 1 if value == 1 else 2) % {"count": count}
