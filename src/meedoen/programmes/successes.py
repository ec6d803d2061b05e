"""Successes proposed from the data: one code for the caseworker's button (``actions.do_propose_successes``)
and the nightly job (``do_propose_nightly``, run by the ``meedoen rollup`` command and the background task
``tasks.propose_successes``); the text a success is put to the resident with; and the resident's successes and
projects for the copy of their data (``copy_rows``, ``project_rows``, gathered by ``apps.ProgrammesConfig``).

The nightly job is done by no person: its proposals have no ``proposed_by``, and its processing-log row has
no actor (``audit.log.record_job``, the endpoint ``task:propose-successes``). It looks at the residents of
every caseworker's own caseload (a resident with a klantmanager or a Wmo-consulent), the residents the
button finds when each caseworker presses it, in one municipality at a time."""

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meedoen.accounts.models import User
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.programmes import selectors
from meedoen.programmes.models import ProjectMember, Success
from meedoen.residents.models import Resident

NIGHTLY_ENDPOINT = "task:propose-successes"
_ATTEMPTS = 2  # a colleague's run may store the same event a moment earlier: look once more, then stop


def suggested_text(success: Success) -> str:
    """A first text for the kind of success, in the active language; no name in it."""
    if success.kind == Success.Kind.RUNG_UP:
        return _(
            "Een inwoner is een trede gestegen op de participatieladder: van trede %(a)s naar %(b)s."
        ) % {"a": success.rung_from, "b": success.rung_to}
    if success.kind == Success.Kind.FIRST_PAID_MONTH:
        return _("Een inwoner heeft de eerste maand betaald werk.")
    return _("Een inwoner haalde het certificaat %(name)s.") % {"name": success.certificate}


def text_for_resident(success: Success) -> str:
    """The text put to the resident in Mijn Meedoen: the caseworker's, or else Meedoen's first text, in Dutch
    (the successes page and the council report are in Dutch, so the resident approves the Dutch words)."""
    if success.draft:
        return success.draft
    with translation.override("nl"):
        return suggested_text(success)


def start_text(success: Success) -> str:
    """The text the caseworker writes on: the resident's own words when they suggested other ones, else the
    approved text, else the text put to the resident (Meedoen's first text until the caseworker wrote one)."""
    if (
        success.status == Success.Status.PROPOSED
        and success.resident_answer == Success.ResidentAnswer.OTHER_WORDS
    ):
        return str(success.resident_words)
    return str(success.text) or text_for_resident(success)


def text_mark(text: str) -> str:
    """A mark of the text shown to the resident, sent back with their *Ja*: the action approves only when
    the text is still the same, word for word (a mark, not the text itself, so a browser's line endings do
    not matter)."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _new(
    events: list[selectors.SuccessEvent], *, municipality_id: uuid.UUID, proposed_by: User | None
) -> list[Success]:
    """The events not stored yet, as unsaved successes: one per event, one first paid month per resident, and
    a rejected one is not proposed again (it is stored)."""
    keys, paid = selectors.known_success_events(sorted({e.resident_id for e in events}))
    new = []
    for event in events:
        if (event.resident_id, event.source_key) in keys:
            continue
        if event.kind == Success.Kind.FIRST_PAID_MONTH:
            if event.resident_id in paid:
                continue
            paid.add(event.resident_id)
        keys.add((event.resident_id, event.source_key))
        new.append(
            Success(
                municipality_id=municipality_id,
                resident_id=event.resident_id,
                kind=event.kind,
                happened_on=event.happened_on,
                source=event.source,
                source_key=event.source_key,
                rung_from=event.rung_from,
                rung_to=event.rung_to,
                proposed_by=proposed_by,
            )
        )
    return new


def store_proposals(
    events: Callable[[], list[selectors.SuccessEvent]],
    *,
    municipality_id: uuid.UUID,
    proposed_by: User | None,
    record: Callable[[list[uuid.UUID]], None],
) -> list[Success]:
    """Store the new successes among ``events()`` in one transaction with their processing-log row
    (``record`` gets the residents). Running it again proposes nothing twice; the unique constraints hold
    that in the database too, when two runs meet."""
    for _attempt in range(_ATTEMPTS):
        new = _new(events(), municipality_id=municipality_id, proposed_by=proposed_by)
        if not new:
            return []
        try:
            with transaction.atomic():
                Success.objects.bulk_create(new)
                record([s.resident_id for s in new])
        except IntegrityError:  # another run stored some of the same events a moment ago
            continue
        return new
    return []


def do_propose_nightly(
    municipality_id: uuid.UUID, *, today: dt.date | None = None, endpoint: str = NIGHTLY_ENDPOINT
) -> list[Success]:
    """The night's new successes of one municipality, proposed without a person: for the caseworkers to
    find on *Successen van mijn inwoners* and for the residents in Mijn Meedoen."""
    today = today or timezone.localdate()
    return store_proposals(
        lambda: selectors.success_events_of_municipality(municipality_id, today),
        municipality_id=municipality_id,
        proposed_by=None,
        record=lambda ids: log.record_job(
            municipality_id, LogAction.CREATE, Purpose.GUIDANCE, ids, endpoint=endpoint
        ),
    )


# --------------------------------------------------------------- for the copy of the resident's data (AVG 15)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def copy_rows(resident: Resident) -> list[dict[str, object]]:
    """Every success of the resident, for the copy of their data: what happened, the text put to them, the
    text they approved, their own answer and suggested words, and the dates of each step."""
    found = Success.objects.filter(resident=resident, municipality_id=resident.municipality_id).order_by(
        "happened_on", "created_at"
    )
    return [
        {
            "kind": s.kind,
            "happened_on": _iso(s.happened_on),
            "rung_from": s.rung_from,
            "rung_to": s.rung_to,
            "certificate": s.certificate,
            "status": s.status,
            "text_put_to_you": text_for_resident(s),
            "approved_text": s.text,
            "your_answer": s.resident_answer,
            "your_words": s.resident_words,
            "answered_at": _iso(s.resident_answered_at),
            "approval_recorded_at": _iso(s.consent_recorded_at),
            "shared_at": _iso(s.published_at),
            "taken_down_at": _iso(s.taken_down_at),
            "proposed_at": _iso(s.created_at),
        }
        for s in found
    ]


def project_rows(resident: Resident) -> list[dict[str, object]]:
    """The projects of the programme the resident is (or was) in, with the reason their caseworker gave."""
    found = (
        ProjectMember.objects.filter(resident=resident, municipality_id=resident.municipality_id)
        .select_related("project")
        .order_by("since")
    )
    return [
        {"project": m.project.name, "since": _iso(m.since), "until": _iso(m.until), "reason": m.reason}
        for m in found
    ]
