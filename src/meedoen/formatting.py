"""Small pieces of HTML built in Python for the most-rendered screens.

A template loop costs a few microseconds per node and item; a ``<select>`` with thirty options and a
"selected" test per option took more time than the rest of the caseload page's filter form. The markup is
the same as the template would write, escaped by ``format_html``.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe


def select_options(choices: Iterable[tuple[Any, Any]], current: Any) -> SafeString:
    """``<option>`` elements for (value, label) pairs, the one equal to ``current`` selected."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, _selected(value == current), label) for value, label in choices),
    )


_SELECTED = mark_safe(" selected")
_NOT_SELECTED = mark_safe("")


def _selected(selected: bool) -> SafeString:
    return _SELECTED if selected else _NOT_SELECTED
