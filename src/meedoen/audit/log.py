"""Writing the processing log. Every selector that reads personal data and every action that writes it calls
``record``; writes call it inside their own transaction so the log row and the change commit together.
"""

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.audit.models import LogAction, ProcessingLogEntry, ProcessingLogSubject, Purpose


def record(
    actor: Actor,
    action: LogAction,
    purpose: Purpose,
    resident_ids: Iterable[uuid.UUID] = (),
) -> ProcessingLogEntry:
    """Append one processing action with the residents it concerned. Two INSERTs at most."""
    ids = list(dict.fromkeys(resident_ids))
    # One transaction for the entry and its subjects; inside a write it joins that write's transaction.
    with transaction.atomic(savepoint=False):
        return _append(actor, action, purpose, ids)


def _append(actor: Actor, action: LogAction, purpose: Purpose, ids: list[uuid.UUID]) -> ProcessingLogEntry:
    entry = ProcessingLogEntry.objects.create(
        occurred_at=timezone.now(),
        municipality_id=actor.municipality_id,
        actor=actor.user,
        actor_role=actor.role,
        action=action,
        purpose=purpose,
        endpoint=actor.endpoint[:200],
        subject_count=len(ids),
    )
    if ids:
        ProcessingLogSubject.objects.bulk_create(
            [ProcessingLogSubject(entry=entry, resident_id=resident_id) for resident_id in ids]
        )
    return entry
