"""Per-municipality configuration of matching: how much each soft criterion counts."""

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from meedoen.municipalities.models import Municipality

WEIGHT_FIELDS = ("interests", "distance", "hours", "days", "phase", "waiting")


def _weight(label: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, validators=[MaxValueValidator(10)])


class MatchingWeights(models.Model):
    """The weights (0–10) of the soft criteria for one municipality. Without a row the defaults apply."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="matching_weights"
    )
    interests = _weight(_("interesses"))
    distance = _weight(_("afstand"))
    hours = _weight(_("uren"))
    days = _weight(_("dagen"))
    phase = _weight(_("stap op de ladder"))
    waiting = _weight(_("wachttijd"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weging van de matching")
        verbose_name_plural = _("weging van de matching")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interests__lte=10)
                & models.Q(distance__lte=10)
                & models.Q(hours__lte=10)
                & models.Q(days__lte=10)
                & models.Q(phase__lte=10)
                & models.Q(waiting__lte=10),
                name="matching_weights_at_most_ten",
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality}"
