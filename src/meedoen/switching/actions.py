"""Writes of the switch insight: a figure added by the functioneel beheerder, a file of figures loaded, and a
calculation put on the resident's timeline as an attachment. Each one transaction with its log row."""

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability, Domain
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.errors import RuleError
from meedoen.residents import actions as resident_actions
from meedoen.residents.models import Resident, TimelineEvent
from meedoen.switching import rules
from meedoen.switching.models import ReferenceFigure

PUBLISHED_FILE = Path(__file__).resolve().parent / "data" / "normen_2026.csv"


def _require_admin(actor: Actor) -> None:
    if not actor.may(Capability.CONFIGURE_PROGRAMME):
        raise PermissionDenied


def do_add_figure(
    *, key: str, valid_from: dt.date, value: Decimal | None, source: str, actor: Actor
) -> ReferenceFigure:
    """A figure from a date (a new one, or a correction of one: the latest row of a key and date counts)."""
    _require_admin(actor)
    if key not in rules.KEYS:
        raise RuleError("key", "Kies wat deze norm of regel is.")
    if not source.strip():
        raise RuleError(
            "source", "Zeg waar het bedrag vandaan komt, of waar u zocht als het niet gevonden is."
        )
    if value is not None and value < 0:
        raise RuleError("value", "Een norm of regel kan niet negatief zijn.")
    with transaction.atomic():
        figure = ReferenceFigure.objects.create(
            municipality_id=actor.municipality_id,
            key=key,
            valid_from=valid_from,
            value=value,
            source=source.strip(),
            recorded_by=actor.user,
        )
        log.record(actor, LogAction.CREATE, Purpose.ADMINISTRATION)
    return figure


def do_load_figures(
    lines: Iterable[str], *, actor: Actor | None, municipality_id: uuid.UUID | None = None
) -> int:
    """Load a reference file (``sleutel,geldig_vanaf,waarde,bron``) into the municipality: all rows or none.
    A row recorded before (same key, date, figure and source) is skipped, so loading twice adds nothing.
    ``actor`` None is the command line and the demo seed, for ``municipality_id``."""
    if actor is not None:
        _require_admin(actor)
        municipality_id = actor.municipality_id
    if municipality_id is None:
        raise ValueError("A municipality is needed to load figures.")
    entries = rules.parse_reference_csv(lines)
    with transaction.atomic():
        recorded = set(
            ReferenceFigure.objects.filter(municipality_id=municipality_id).values_list(
                "key", "valid_from", "value", "source"
            )
        )
        new = [
            ReferenceFigure(
                municipality_id=municipality_id,
                key=entry.key,
                valid_from=entry.valid_from,
                value=entry.value,
                source=entry.source,
                recorded_by=actor.user if actor else None,
            )
            for entry in entries
            if (entry.key, entry.valid_from, entry.value, entry.source) not in recorded
        ]
        ReferenceFigure.objects.bulk_create(new)
        if actor is not None:
            log.record(actor, LogAction.CREATE, Purpose.ADMINISTRATION)
    return len(new)


def do_load_published(*, actor: Actor | None, municipality_id: uuid.UUID | None = None) -> int:
    """Load the figures published for 2026 that ship with Meedoen (``switching/data/normen_2026.csv``)."""
    with PUBLISHED_FILE.open(encoding="utf-8") as handle:
        return do_load_figures(handle, actor=actor, municipality_id=municipality_id)


def do_attach_insight(resident: Resident, *, pdf: bytes, summary: str, actor: Actor) -> TimelineEvent:
    """Put a calculation on the resident's timeline, as a PDF with the norms it used and their dates. It
    belongs to the Participatiewet part of the file (it is about the benefit)."""
    if actor.domain != Domain.WORK:
        raise PermissionDenied
    upload = SimpleUploadedFile("inkomen-bij-een-stap.pdf", pdf, content_type="application/pdf")
    return resident_actions.do_add_timeline_event(
        resident,
        kind=TimelineEvent.Kind.ROUTE,
        text=summary,
        actor=actor,
        domain=Domain.WORK.value,
        attachment=upload,
    )
