"""The names of the route's phases in the language of the page (see meedoen.labels): ``transitions`` is pure
and keeps the Dutch names, which its own Dutch messages use; what a page or a form shows goes through here."""

from collections.abc import Mapping

from django.utils.translation import gettext_noop

from meedoen.labels import Translated, title
from meedoen.routes.transitions import PHASE_NAMES

# The Dutch names once more, for the catalogue; test_labels checks that they agree with PHASE_NAMES.
CATALOGUE = (
    gettext_noop("kennismaken"),
    gettext_noop("verkennen"),
    gettext_noop("activerend werk"),
    gettext_noop("leerwerken (werkleerbedrijf)"),
    gettext_noop("werken met ondersteuning"),
    gettext_noop("betaald werk"),
    gettext_noop("pauze"),
)

PHASE_LABELS: Mapping[str, str] = Translated(PHASE_NAMES)
phase_title = title
