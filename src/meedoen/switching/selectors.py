"""Reads of the switch insight: the reference data of a municipality, and the resident a calculation is about
(scoped by the resident file's selectors, which write the processing log)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability, Domain
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.residents import selectors as resident_selectors
from meedoen.residents.models import Resident
from meedoen.switching import rules
from meedoen.switching.models import ReferenceFigure


def reference_for(municipality_id: uuid.UUID) -> rules.Reference:
    """The municipality's figures for the pure calculation, the order in which they were recorded kept (of
    one key and date, the last recorded counts)."""
    rows = ReferenceFigure.objects.filter(municipality_id=municipality_id).order_by("recorded_at", "id")
    return rules.Reference([rules.Entry(row.key, row.valid_from, row.value, row.source) for row in rows])


def figures_for_admin(actor: Actor) -> QuerySet[ReferenceFigure]:
    """Every figure of the actor's municipality, with its history, for the functioneel beheerder."""
    if not actor.may(Capability.CONFIGURE_PROGRAMME):
        raise PermissionDenied
    return (
        ReferenceFigure.objects.filter(municipality_id=actor.municipality_id)
        .select_related("recorded_by")
        .order_by("key", "-valid_from", "-recorded_at")
    )


def access_resident_for_insight(resident_id: uuid.UUID, actor: Actor) -> Resident:
    """The resident a caseworker calculates for: a klantmanager (the benefit is the Participatiewet's) whose
    caseload holds the resident, as the file's own rule decides. 403 for other roles and the Wmo domain, 404
    for another municipality or a resident outside the caseload. The read is logged."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or actor.domain != Domain.WORK:
        raise PermissionDenied
    return resident_selectors.access_resident_for_screen(resident_id, actor)


def own_resident(actor: Actor) -> Resident:
    """The resident's own file, for the resident (logged as the resident's own inspection)."""
    return resident_selectors.access_own_file(actor)


def record_export(resident: Resident, actor: Actor) -> None:
    """A calculation about the resident downloaded as a PDF: an export of personal data, logged."""
    log.record(actor, LogAction.EXPORT, Purpose.GUIDANCE, [resident.pk])
