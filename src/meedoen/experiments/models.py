"""Experiments: a design (pre-registered and frozen when recruitment starts), its amendments, and the
residents who take part with their arm.

The design itself is a JSON document (``experiments/design.py`` reads and checks it); what is frozen is
that document with its SHA-256, so what was registered can always be shown and re-hashed. A participant's
arm is written once, by the randomisation, and never changed: the model has no path to change it and on
both databases a trigger refuses an update of a set arm (migration 0002)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meedoen.municipalities.models import Municipality
from meedoen.residents.models import Resident


class Experiment(models.Model):
    class Status(models.TextChoices):
        DESIGN = "ontwerp", _("Ontwerp")
        RECRUITING = "werving", _("Werving en loting")
        CLOSED = "gesloten", _("Gesloten")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("naam"), max_length=200)
    status = models.CharField(_("stand"), max_length=12, choices=Status.choices, default=Status.DESIGN)
    design = models.JSONField(_("ontwerp"))
    seed = models.BigIntegerField(_("startgetal van de loting"), null=True, blank=True, editable=False)
    # The registration: the canonical JSON that was hashed and its SHA-256, set when recruitment starts.
    registered_json = models.TextField(_("vastgelegd ontwerp"), blank=True, editable=False)
    registered_hash = models.CharField(
        _("SHA-256 van het ontwerp"), max_length=64, blank=True, editable=False
    )
    registered_at = models.DateTimeField(_("vastgelegd op"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("experiment")
        verbose_name_plural = _("experimenten")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="ontwerp") | (~Q(registered_hash="") & Q(seed__isnull=False)),
                name="experiment_registered_before_recruitment",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Amendment(models.Model):
    """A change to a registered design: the new design, why, when, and its own hash."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveIntegerField(_("wijziging"))
    made_on = models.DateField(_("datum"))
    reason = models.TextField(_("reden"))
    registered_json = models.TextField(editable=False)
    registered_hash = models.CharField(max_length=64, editable=False)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("wijziging van het ontwerp")
        verbose_name_plural = _("wijzigingen van het ontwerp")
        constraints = [
            models.UniqueConstraint(fields=["experiment", "number"], name="amendment_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.experiment_id} #{self.number}"


class Participant(models.Model):
    class Status(models.TextChoices):
        INVITED = "uitgenodigd", _("Uitgenodigd")
        CONSENTED = "ingestemd", _("Doet mee")
        REFUSED = "geweigerd", _("Wil niet meedoen")
        WITHDRAWN = "teruggetrokken", _("Gestopt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="participants")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("stand"), max_length=16, choices=Status.choices, default=Status.INVITED)
    invited_on = models.DateField(_("uitgenodigd op"))
    answered_on = models.DateField(_("antwoord op"), null=True, blank=True)
    withdrawn_on = models.DateField(_("gestopt op"), null=True, blank=True)
    # The randomisation: the stratum, the position in its sequence and the arm, written once.
    stratum = models.CharField(_("stratum"), max_length=200, blank=True, editable=False)
    position = models.PositiveIntegerField(null=True, blank=True, editable=False)
    arm = models.CharField(_("groep"), max_length=40, blank=True, editable=False)
    assigned_at = models.DateTimeField(_("ingeloot op"), null=True, blank=True, editable=False)
    # Baseline characteristics at randomisation, for the balance table and Lin's adjustment.
    baseline = models.JSONField(default=dict, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["invited_on"]
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "resident"], name="participant_once_per_experiment"
            ),
            models.UniqueConstraint(
                fields=["experiment", "stratum", "position"],
                condition=Q(position__isnull=False),
                name="participant_one_position_per_stratum",
            ),
            models.CheckConstraint(
                condition=Q(arm="") | (Q(position__isnull=False) & Q(assigned_at__isnull=False)),
                name="participant_arm_with_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.experiment_id}: {self.resident_id}"


class Partner(models.Model):
    """Another municipality of the installation in a joint experiment: invited by the lead municipality (the
    experiment's own) while the design is open, and its answer, with who gave it and when. Only a
    municipality that joined takes part, and only in the design it joined: a change to the design asks
    every joined municipality to join again. Freezing the design writes the joined municipalities into it
    (so the registration's hash covers them); an invitation still open then lapses."""

    class Status(models.TextChoices):
        INVITED = "uitgenodigd", _("Uitgenodigd")
        JOINED = "doet_mee", _("Doet mee")
        DECLINED = "afgewezen", _("Doet niet mee")
        LAPSED = "verlopen", _("Niet op tijd beantwoord")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="partners")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("stand"), max_length=12, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(_("uitgenodigd op"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["invited_at"]
        verbose_name = _("deelnemende gemeente")
        verbose_name_plural = _("deelnemende gemeenten")
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "municipality"], name="partner_once_per_experiment"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["uitgenodigd", "verlopen"])
                | (Q(answered_by__isnull=False) & Q(answered_at__isnull=False)),
                name="partner_answer_with_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.experiment_id}: {self.municipality_id}"
