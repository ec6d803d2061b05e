"""The sentences and names of the pure calculation in the language of the page: ``rules`` keeps its Dutch
texts (``Say``), translated here through the catalogue, with money and dates formatted for the language."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext

from meedoen.formatting import euro
from meedoen.switching.rules import KEYS, NORM_CATEGORIES, Say


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
