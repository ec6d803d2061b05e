"""Dutch names from the pure domain modules, shown in the language of the page.

The pure modules (route transitions, the resident rules, matching) import no Django, so they keep their
names in Dutch. Each app's ``labels`` module wraps them in ``Translated``: the same keys, each name passed
through gettext when it is looked up, so in the language of the request that shows it. The app lists the
Dutch names once more with ``gettext_noop`` so that makemessages puts them in the catalogue."""

from collections.abc import Hashable, Iterator, Mapping
from typing import TypeVar

from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

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


# Legal product names that must stay (the Wmo's "arbeidsmatige dagbesteding" in a decision) and the
# programme's preferred wording, shown beside them wherever Meedoen shows the name (issue 16). The model
# choices keep the legal name alone; every screen shows it through ``with_preferred``.
LEGAL_NAMES = {"arbeidsmatige dagbesteding": gettext_noop("activerend werk")}


def with_preferred(label: object) -> str:
    """The label with the preferred wording beside a legal name in it: "Arbeidsmatige dagbesteding
    (activerend werk)". A label without one, or with the wording already beside it, is left as it is."""
    text = str(label)
    lowered = text.lower()
    for name, preferred in LEGAL_NAMES.items():
        shown = gettext(preferred)
        if name in lowered and shown.lower() not in lowered:
            return f"{text} ({shown})"
    return text
