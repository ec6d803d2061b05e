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
    _write(actor.municipality_id, actor.user.pk, actor.role, actor.endpoint, action, purpose, resident_ids)


def record_in(
    municipality_id: uuid.UUID,
    actor: Actor,
    action: LogAction,
    purpose: Purpose,
    resident_ids: Iterable[uuid.UUID] = (),
) -> None:
    """Append one processing action of ``actor`` in the log of another municipality, the one whose residents
    it concerned: a joint experiment's shared analysis reads the participants of every municipality that
    takes part (and shows aggregates only), so each municipality's log shows that read of its own
    residents, by whom, with what purpose."""
    _write(municipality_id, actor.user.pk, actor.role, actor.endpoint, action, purpose, resident_ids)


def record_job(
    municipality_id: uuid.UUID,
    action: LogAction,
    purpose: Purpose,
    resident_ids: Iterable[uuid.UUID] = (),
    *,
    endpoint: str,
) -> None:
    """Append one processing action that no person did: a scheduled job (the nightly proposal of
    successes). The entry has no actor and no role; ``endpoint`` names the job (``task:…``). The resident's
    *Wie keek er* shows it as Meedoen itself, the privacy officer's screen with an empty user."""
    _write(municipality_id, None, "", endpoint, action, purpose, resident_ids)


def _write(
    municipality_id: uuid.UUID,
    user_id: uuid.UUID | None,
    role: str,
    endpoint: str,
    action: LogAction,
    purpose: Purpose,
    resident_ids: Iterable[uuid.UUID],
) -> None:
    ids = list(dict.fromkeys(resident_ids))
    if connection.vendor == "postgresql":
        values: list[Any] = [
            uuid.uuid4(), timezone.now(), municipality_id, user_id, role, action, purpose, endpoint[:200],
            len(ids), ids,
        ]  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(_INSERT_BOTH, values)
        return
    # One transaction for the entry and its subjects; inside a write it joins that write's transaction.
    with transaction.atomic(savepoint=False):
        entry = ProcessingLogEntry.objects.create(
            occurred_at=timezone.now(),
            municipality_id=municipality_id,
            actor_id=user_id,
            actor_role=role,
            action=action,
            purpose=purpose,
            endpoint=endpoint[:200],
            subject_count=len(ids),
        )
        if ids:
            ProcessingLogSubject.objects.bulk_create(
                [ProcessingLogSubject(entry=entry, resident_id=resident_id) for resident_id in ids]
            )
