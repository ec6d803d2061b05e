"""The sentences and names of the pure calculation in the language of the page: ``rules`` keeps its Dutch
texts (``Say``), translated here through the catalogue, with money and dates formatted for the language."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext

from meedoen.formatting import euro
from meedoen.switching.rules import EURO, KEYS, NORM_CATEGORIES, Say, number_with_unit


def _value(value: object) -> str:
    if isinstance(value, Decimal):
        return euro(value)
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, str) and (value in NORM_CATEGORIES.values() or value in _KEY_LABELS):
        return gettext(value)
    return str(value)


_KEY_LABELS = {label for label, _unit in KEYS.values()}


def say(sentence: Say) -> str:
    """One sentence of the calculation, translated, its values filled in."""
    if not sentence.text:
        return ""
    text = gettext(sentence.text)
    if not sentence.values:
        return text
    return text % {name: _value(value) for name, value in sentence.values.items()}


def key_label(key: str) -> str:
    return gettext(KEYS[key][0]) if key in KEYS else key


def figure_text(key: str, value: Decimal) -> str:
    """A figure of the reference data as the functioneel beheerder reads it: money as money, a percentage,
    a number of months or years with its unit."""
    unit = KEYS[key][1] if key in KEYS else ""
    return euro(value) if unit == EURO else number_with_unit(value, unit)
