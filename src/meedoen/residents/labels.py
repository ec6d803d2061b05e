"""The rungs of the participatieladder in the language of the page (see meedoen.labels): ``rules`` is pure and
keeps the Dutch names."""

from collections.abc import Mapping

from django.utils.translation import gettext_noop

from meedoen.labels import Translated
from meedoen.residents.rules import LADDER

# The Dutch names once more, for the catalogue; test_labels checks that they agree with LADDER.
CATALOGUE = (
    gettext_noop("Geïsoleerd"),
    gettext_noop("Sociale contacten buiten de deur"),
    gettext_noop("Deelname aan georganiseerde activiteiten"),
    gettext_noop("Onbetaald werk"),
    gettext_noop("Betaald werk met ondersteuning"),
    gettext_noop("Betaald werk"),
)

RUNG_NAMES: Mapping[int, str] = Translated({rung: name for rung, (name, _definition) in LADDER.items()})
