"""Reading the processing log: only the privacy officer (FG) of the same municipality."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.audit import log
from meedoen.audit.models import LogAction, ProcessingLogEntry, Purpose


@dataclass(frozen=True)
class LogFilter:
    resident_id: uuid.UUID | None = None
    actor_username: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def list_log_entries(actor: Actor, filters: LogFilter) -> QuerySet[ProcessingLogEntry]:
    if not actor.may(Capability.VIEW_PROCESSING_LOG):
        raise PermissionDenied
    entries = ProcessingLogEntry.objects.filter(municipality_id=actor.municipality_id).select_related("actor")
    if filters.resident_id:
        entries = entries.filter(subjects__resident_id=filters.resident_id)
    if filters.actor_username:
        entries = entries.filter(actor__username=filters.actor_username)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.date_from:
        entries = entries.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(occurred_at__date__lte=filters.date_to)
    # Reading the log is itself supervised: the FG's searches are logged too (without subjects).
    log.record(actor, LogAction.SEARCH, Purpose.SUPERVISION)
    return entries.order_by("-occurred_at", "-id")
