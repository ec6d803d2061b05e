"""Reading the processing log: only the privacy officer (FG) of the same municipality."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.audit import log
from meedoen.audit.models import LogAction, ProcessingLogEntry, ProcessingLogSubject, Purpose


@dataclass(frozen=True)
class LogFilter:
    resident_id: uuid.UUID | None = None
    # Several residents (a name that matched more than one); an empty tuple means the search found nobody,
    # so no entry matches. ``None``: no filter on residents.
    resident_ids: tuple[uuid.UUID, ...] | None = None
    actor_username: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def list_log_entries(
    actor: Actor, filters: LogFilter, *, logged: bool = True
) -> QuerySet[ProcessingLogEntry]:
    """The entries of the actor's municipality that match, newest first, with who acted and the residents
    each concerned (``entry.subjects.all()`` reads no more).

    The search is logged as supervision. ``logged=False`` only for a caller that logs the same read itself,
    with the residents it names: the FG's log screen and its export do that through
    ``residents.selectors.describe_log_subjects``, so one look at the log is one row in it."""
    if not actor.may(Capability.VIEW_PROCESSING_LOG):
        raise PermissionDenied
    entries = ProcessingLogEntry.objects.filter(municipality_id=actor.municipality_id).select_related("actor")
    if filters.resident_id:
        entries = entries.filter(subjects__resident_id=filters.resident_id)
    if filters.resident_ids is not None:
        # EXISTS rather than a join: an entry about two of the residents is still one row.
        entries = entries.filter(
            Exists(
                ProcessingLogSubject.objects.filter(
                    entry=OuterRef("pk"), resident_id__in=list(filters.resident_ids)
                )
            )
        )
    if filters.actor_username:
        entries = entries.filter(actor__username=filters.actor_username)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.date_from:
        entries = entries.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(occurred_at__date__lte=filters.date_to)
    # Reading the log is itself supervised: the FG's searches are logged too.
    if logged:
        log.record(actor, LogAction.SEARCH, Purpose.SUPERVISION)
    return entries.order_by("-occurred_at", "-id").prefetch_related("subjects")
