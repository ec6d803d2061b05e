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


class AllocationRun(models.Model):
    """One batch allocation: the waiting residents of a municipality against the free seats, solved for the
    highest total fit and compared with first come, first served. Runs as a background task."""

    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("In de wachtrij")
        RUNNING = "bezig", _("Bezig")
        DONE = "klaar", _("Klaar")
        CANCELLED = "geannuleerd", _("Geannuleerd")
        FAILED = "mislukt", _("Mislukt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    cancel_requested = models.BooleanField(default=False)
    target_group = models.ForeignKey(
        "municipalities.TargetGroup", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        "municipalities.District", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.JSONField(default=dict, blank=True)  # aggregates only: safe for programme managers
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")

    def __str__(self) -> str:
        return f"{self.municipality} {self.created_at:%Y-%m-%d %H:%M}"


class AllocatedPair(models.Model):
    """A resident and the placement the allocation chose for them. Caseworkers see the pairs of residents
    in their caseload and can turn one into a proposal."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="pairs")
    resident = models.ForeignKey("residents.Resident", on_delete=models.CASCADE, related_name="+")
    placement = models.ForeignKey("catalogue.Placement", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    distance_km = models.FloatField()

    class Meta:
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["run", "resident"], name="allocated_once_per_run")]

    def __str__(self) -> str:
        return f"{self.resident_id} → {self.placement_id}"
