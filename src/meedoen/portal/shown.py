"""What of their own file the resident is shown: one rule for the portal pages and for the copy of their
data (AVG art. 15), so the copy leaves out exactly what the pages leave out, and says so.

Left out are the texts staff write for each other while they work on the file: the caseworkers' working
notes (timeline kinds *notitie* and *contact*), a step's own explanation, the notes of a review, the
explanation of a route's end, the rationale of a ladder score, the note with a consent, and the reasons and
answers of a request to the other domain. A timeline line that repeats one of these texts (the line of a
review repeats its notes, the line of a ladder score its rationale) is left out with it. The facts
themselves are shown: the steps with their reason, the reviews with their decision, the rungs, the
consents with their dates. Why, and what the resident can do: docs/portal.md, *No internal staff notes*."""

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from meedoen.residents.models import Consent, LadderScore, Resident, TimelineEvent
from meedoen.routes.models import ReorientationRequest, Review, Route, Step

WORKING_NOTES = (TimelineEvent.Kind.NOTE, TimelineEvent.Kind.CONTACT)

# Per model: how it reaches the resident, and its fields that are staff texts.
STAFF_TEXTS: dict[type[Model], tuple[str, tuple[str, ...]]] = {
    Step: ("route__resident", ("reason_text",)),
    Review: ("route__resident", ("progress",)),
    Route: ("resident", ("outcome_text",)),
    LadderScore: ("resident", ("rationale",)),
    Consent: ("resident", ("note",)),
    ReorientationRequest: ("resident", ("reason", "answer_text")),
}

# A staff text this short is not looked for in timeline lines (it would match almost every line).
SHORTEST_REPEATED = 3

# What the copy and the page *Mijn gegevens* say is left out.
LEFT_OUT = _(
    "Werkaantekeningen van medewerkers: notities en verslagen van contact, de toelichting bij een stap, "
    "bij het einde van een route en bij een toestemming, de aantekeningen van een bespreking, de "
    "onderbouwing van een trede op de participatieladder en verzoeken van medewerkers aan elkaar. "
    "Wilt u die toch zien? Vraag het uw klantmanager of consulent."
)


def shown_fields(model: type[Model], fields: list[str]) -> list[str]:
    """The fields of a model the resident is shown: all but its staff texts."""
    hidden = STAFF_TEXTS.get(model, ("", ()))[1]
    return [name for name in fields if name not in hidden]


def staff_texts_of(resident: Resident) -> set[str]:
    """Every staff text about the resident (non-empty, stripped)."""
    texts: set[str] = set()
    for model, (path, fields) in STAFF_TEXTS.items():
        for row in model.objects.filter(**{path: resident}).values_list(*fields):  # type: ignore[attr-defined]
            texts.update(str(value).strip() for value in row if value and str(value).strip())
    return texts


def _repeats(line: TimelineEvent, texts: list[str]) -> bool:
    return any(text in line.text or text in line.detail for text in texts)


def shown_timeline(resident: Resident) -> list[TimelineEvent]:
    """The lines of the resident's timeline they are shown, newest first: not the working notes, and not
    a line that repeats a staff text."""
    texts = [t for t in staff_texts_of(resident) if len(t) >= SHORTEST_REPEATED]
    lines = TimelineEvent.objects.filter(resident=resident).exclude(kind__in=WORKING_NOTES)
    return [line for line in lines if not _repeats(line, texts)]
