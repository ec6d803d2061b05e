"""Writes of the matching configuration."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.matching.models import WEIGHT_FIELDS, MatchingWeights
from meedoen.residents.rules import RuleError


def do_set_weights(values: dict[str, int], *, actor: Actor) -> MatchingWeights:
    """The functioneel beheerder sets how much each criterion counts in their municipality."""
    if not actor.may(Capability.CONFIGURE_MATCHING):
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
