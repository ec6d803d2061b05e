"""Dutch names from the pure domain modules, shown in the language of the page.

The pure modules (route transitions, the resident rules, matching) import no Django, so they keep their
names in Dutch. Each app's ``labels`` module wraps them in ``Translated``: the same keys, each name passed
through gettext when it is looked up, so in the language of the request that shows it. The app lists the
Dutch names once more with ``gettext_noop`` so that makemessages puts them in the catalogue."""

from collections.abc import Hashable, Iterator, Mapping
from typing import TypeVar

from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext

K = TypeVar("K", bound=Hashable)


class Translated(Mapping[K, str]):
    """A mapping of keys to Dutch names that gives each name translated in the active language."""

    def __init__(self, names: Mapping[K, str]) -> None:
        self._names = names

    def __getitem__(self, key: K) -> str:
        return gettext(self._names[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _title(name: str) -> str:
    return capfirst(gettext(name)) or ""


# A name as a label on its own (a choice, a heading): translated when it is shown, with a capital.
title = lazy(_title, str)
