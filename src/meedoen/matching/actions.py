"""Writes of matching: the weights, and the batch allocation (started and cancelled here; the run itself is
``allocation.do_run_allocation``, worked by the background task)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.errors import RuleError
from meedoen.matching import tasks
from meedoen.matching.models import WEIGHT_FIELDS, AllocationRun, MatchingWeights
from meedoen.municipalities.models import District, Municipality, TargetGroup


def do_set_weights(values: dict[str, int], *, actor: Actor) -> MatchingWeights:
    """The functioneel beheerder sets how much each criterion counts in their municipality."""
    if not actor.may(Capability.CONFIGURE_PROGRAMME):
        raise PermissionDenied
    for name in WEIGHT_FIELDS:
        if not 0 <= int(values[name]) <= 10:
            raise RuleError(name, "Kies een gewicht van 0 tot en met 10.")
    if not any(int(values[name]) for name in WEIGHT_FIELDS):
        raise RuleError(None, "Zet minstens één onderdeel hoger dan 0.")
    with transaction.atomic():
        weights, _created = MatchingWeights.objects.update_or_create(
            municipality_id=actor.municipality_id,
            defaults={**{name: int(values[name]) for name in WEIGHT_FIELDS}, "updated_by": actor.user},
        )
    return weights


def do_start_allocation(
    *, target_group: TargetGroup | None = None, district: District | None = None, actor: Actor
) -> AllocationRun:
    """A programme manager starts a batch allocation; the worker picks it up after this transaction."""
    if not actor.may(Capability.RUN_ALLOCATION):
        raise PermissionDenied
    for chosen in (target_group, district):
        if chosen is not None and chosen.municipality_id != actor.municipality_id:
            raise PermissionDenied
    with transaction.atomic():
        # One start at a time per municipality, so two clicks cannot start two runs.
        Municipality.objects.select_for_update().get(pk=actor.municipality_id)
        # A run that was asked to stop no longer blocks: its worker may have died before it could stop.
        if AllocationRun.objects.filter(
            municipality_id=actor.municipality_id,
            status__in=[AllocationRun.Status.QUEUED, AllocationRun.Status.RUNNING],
            cancel_requested=False,
        ).exists():
            raise RuleError(None, "Er loopt al een toewijzing. Wacht tot die klaar is, of annuleer hem.")
        run = AllocationRun.objects.create(
            municipality_id=actor.municipality_id,
            started_by=actor.membership,
            target_group=target_group,
            district=district,
        )
        transaction.on_commit(lambda: tasks.run_allocation.enqueue(str(run.pk)))
    return run


def do_cancel_allocation(run: AllocationRun, *, actor: Actor) -> AllocationRun:
    if not actor.may(Capability.RUN_ALLOCATION) or run.municipality_id != actor.municipality_id:
        raise PermissionDenied
    with transaction.atomic():
        run = AllocationRun.objects.select_for_update().get(pk=run.pk)
        if run.status == AllocationRun.Status.QUEUED:
            run.status = AllocationRun.Status.CANCELLED
            run.stage = "Geannuleerd"
        elif run.status != AllocationRun.Status.RUNNING:
            raise RuleError(None, "Deze toewijzing is al afgelopen.")
        run.cancel_requested = True
        run.save(update_fields=["status", "stage", "cancel_requested"])
    return run
