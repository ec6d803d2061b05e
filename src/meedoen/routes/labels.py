"""The names of the route's phases in the language of the page.

``transitions`` is a pure module (no Django) and keeps the Dutch names, which its own Dutch messages use.
What a page or a form shows goes through ``PHASE_LABELS`` here: the same keys, each name translated with
gettext when it is looked up (so in the language of the request that shows it)."""

from collections.abc import Iterator, Mapping

from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

from meedoen.routes.transitions import PHASE_NAMES

# The Dutch names once more, for the catalogue (makemessages does not see the texts of transitions.py).
# test_labels checks that this list and transitions.PHASE_NAMES agree.
CATALOGUE = (
    gettext_noop("kennismaken"),
    gettext_noop("verkennen"),
    gettext_noop("activerend werk"),
    gettext_noop("leerwerken (werkleerbedrijf)"),
    gettext_noop("werken met ondersteuning"),
    gettext_noop("betaald werk"),
    gettext_noop("pauze"),
)


class Translated(Mapping[str, str]):
    """A mapping of codes to Dutch names that gives the name translated in the active language."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self._names = names

    def __getitem__(self, code: str) -> str:
        return gettext(self._names[code])

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


PHASE_LABELS: Mapping[str, str] = Translated(PHASE_NAMES)


def _title(name: str) -> str:
    return capfirst(gettext(name)) or ""


# As a label on its own (a choice, a heading): with a capital, translated when it is shown.
phase_title = lazy(_title, str)
