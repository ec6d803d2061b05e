"""The reasons of a match in the language of the page (see meedoen.labels): ``scoring`` is pure and builds
each reason as a Dutch template with its params; this renders them with gettext when they are shown, the words
they name (kind of placement, phase, day, ...) looked up in the same language."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.formats import get_format
from django.utils.translation import gettext, gettext_noop

from meedoen.labels import Translated
from meedoen.matching import scoring
from meedoen.municipalities.labels import vocabulary_name
from meedoen.routes.labels import PHASE_LABELS

# The templates of scoring.explain and the Dutch words of its vocabularies once more, for the catalogue;
# test_reasons checks that they agree with scoring.
TEMPLATES = (
    gettext_noop("%(km)s km %(mode)s (ongeveer %(minutes)s minuten)"),
    gettext_noop("%(km)s km"),
    gettext_noop("past bij interesse %(interests)s"),
    gettext_noop("past niet bij de interesses van de inwoner"),
    gettext_noop("werkdruk %(workload)s, zoals gevraagd"),
    gettext_noop("werkdruk %(workload)s, lager dan de inwoner aankan"),
    gettext_noop("%(days)s, %(hours)s uur per week"),
    gettext_noop("ook op %(days)s, geen voorkeursdag"),
    gettext_noop("meer uren dan de %(hours)s die de inwoner wil"),
    gettext_noop("minder uren dan de %(hours)s die de inwoner wil"),
    gettext_noop("%(kind)s past bij de fase %(phase)s van de route"),
    gettext_noop("%(kind)s past minder bij de fase %(phase)s van de route"),
    gettext_noop("%(kind)s past bij trede %(rung)s"),
    gettext_noop("%(kind)s past minder bij trede %(rung)s"),
    gettext_noop("nu vol: alleen wachtlijst"),
    gettext_noop("1 vrije plek"),
    gettext_noop("%(seats)s vrije plekken"),
    gettext_noop("%(first)s en %(last)s"),
    gettext_noop("%(first)s, %(rest)s"),
)
WORDS = (
    gettext_noop("activerend werk"),
    gettext_noop("arbeidsmatige dagbesteding (activerend werk)"),
    gettext_noop("een leerwerkplek"),
    gettext_noop("een talentplek"),
    gettext_noop("een werkervaringsplek"),
    gettext_noop("vrijwilligerswerk"),
    gettext_noop("begeleid werk"),
    gettext_noop("een betaalde baan"),
    gettext_noop("laag"),
    gettext_noop("midden"),
    gettext_noop("hoog"),
    gettext_noop("lopend"),
    gettext_noop("per fiets"),
    gettext_noop("met het ov"),
    gettext_noop("met de auto"),
    gettext_noop("ma"),
    gettext_noop("di"),
    gettext_noop("wo"),
    gettext_noop("do"),
    gettext_noop("vr"),
    gettext_noop("za"),
    gettext_noop("zo"),
    gettext_noop("interesses"),
    gettext_noop("afstand"),
    gettext_noop("uren"),
    gettext_noop("dagen"),
    gettext_noop("fase van de route"),
    gettext_noop("wachttijd"),
)

# Per vocabulary of scoring.VOCABULARIES, its words in the active language (the phases as routes shows them).
LABELS: Mapping[str, Mapping[str, str]] = {
    vocabulary: PHASE_LABELS if vocabulary == "phase" else Translated(words)
    for vocabulary, words in scoring.VOCABULARIES.items()
}


def _name(term: scoring.Term) -> str:
    if term.vocabulary == "interest":  # the municipality's word: translated only while it is the default
        return vocabulary_name(term.code, term.name).lower()
    return LABELS[term.vocabulary][term.code]


def shown(reason: scoring.Param) -> str:
    """A reason (or a term, such as a criterion) in the language of the request."""
    return scoring.render(
        reason, translate=gettext, name=_name, decimal_separator=str(get_format("DECIMAL_SEPARATOR"))
    )


@dataclass(frozen=True)
class ShownExplanation:
    fits: list[str]
    misfits: list[str]
    parts: list[tuple[str, float]]  # (criterion, points out of 100)


def shown_explanation(explanation: scoring.Explanation) -> ShownExplanation:
    return ShownExplanation(
        fits=[shown(reason) for reason in explanation.fits],
        misfits=[shown(reason) for reason in explanation.misfits],
        parts=[(shown(criterion), points) for criterion, points in explanation.parts],
    )
