"""Writing the processing log. Every selector that reads personal data and every action that writes it calls
``record``; writes call it inside their own transaction so the log row and the change commit together.

On PostgreSQL the entry and its subjects go in as one statement (a data-modifying WITH): atomic by itself, and
one round trip instead of four (BEGIN, two INSERTs, COMMIT) on every page that shows personal data.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.audit.models import LogAction, ProcessingLogEntry, ProcessingLogSubject, Purpose

_ENTRY = ProcessingLogEntry._meta.db_table
_SUBJECT = ProcessingLogSubject._meta.db_table
_INSERT_BOTH = f"""
WITH entry AS (
    INSERT INTO {_ENTRY} (
        action_id, occurred_at, municipality_id, actor_id, actor_role, action, purpose, endpoint,
        subject_count
    )
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
    RETURNING id
)
INSERT INTO {_SUBJECT} (entry_id, resident_id)
SELECT entry.id, subject FROM entry, unnest(%s::uuid[]) AS subject
"""  # noqa: S608 - table names from the models, values as parameters


def record(
    actor: Actor,
    action: LogAction,
    purpose: Purpose,
    resident_ids: Iterable[uuid.UUID] = (),
) -> None:
    """Append one processing action with the residents it concerned."""
    ids = list(dict.fromkeys(resident_ids))
    if connection.vendor == "postgresql":
        values: list[Any] = [
            uuid.uuid4(), timezone.now(), actor.municipality_id, actor.user.pk, actor.role, action, purpose,
            actor.endpoint[:200], len(ids), ids,
        ]  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(_INSERT_BOTH, values)
        return
    # One transaction for the entry and its subjects; inside a write it joins that write's transaction.
    with transaction.atomic(savepoint=False):
        _append(actor, action, purpose, ids)


def _append(actor: Actor, action: LogAction, purpose: Purpose, ids: list[uuid.UUID]) -> None:
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
