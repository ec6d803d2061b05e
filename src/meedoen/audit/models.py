"""The processing log (verwerkingenlog), after the VNG standard "Verwerkingenlogging".

Append-only: no update or delete path exists in the app, and database triggers refuse UPDATE and DELETE on
both tables (see migration 0002). The log holds ids, never personal data itself.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.models import ROLE_CHOICES, User
from meedoen.municipalities.models import Municipality


class LogAction(models.TextChoices):
    VIEW = "view", _("bekijken")
    SEARCH = "search", _("zoeken")
    CREATE = "create", _("aanmaken")
    UPDATE = "update", _("wijzigen")
    DELETE = "delete", _("verwijderen")
    EXPORT = "export", _("exporteren")


class Purpose(models.TextChoices):
    """Doelbinding: why personal data was processed."""

    GUIDANCE = "begeleiding", _("Begeleiding van de inwoner in het programma")
    OWN_FILE = "inzage_inwoner", _("Inzage door de inwoner zelf")
    ADMINISTRATION = "beheer", _("Beheer van gebruikers en instellingen")
    SUPERVISION = "toezicht", _("Toezicht op de verwerking (FG)")
    PLACEMENT = "plaatsing", _("Voorstel en plaatsing bij een aanbieder")
    BUDGET = "financiering", _("Financiering: verplichtingen, facturen en betalingen")
    DEMO = "demo", _("Aanmaken van demogegevens")
    RESEARCH = "onderzoek", _("Beleidsexperiment: werving, loting en analyse")


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a processing log row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("The processing log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The processing log is append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The processing log is append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The processing log is append-only.")


class ProcessingLogEntry(AppendOnlyModel):
    """One processing action (verwerkingsactie): who did what with whose data, when, why and where."""

    id = models.BigAutoField(primary_key=True)
    action_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(_("tijdstip"), db_index=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    actor_role = models.CharField(_("rol"), max_length=32, choices=ROLE_CHOICES, blank=True)
    action = models.CharField(_("handeling"), max_length=16, choices=LogAction.choices)
    purpose = models.CharField(_("doel"), max_length=32, choices=Purpose.choices)
    endpoint = models.CharField(_("scherm of API"), max_length=200)
    subject_count = models.PositiveIntegerField(_("aantal inwoners"), default=0)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("verwerking")
        verbose_name_plural = _("verwerkingen")
        indexes = [models.Index(fields=["municipality", "-occurred_at"], name="audit_entry_muni_time")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.endpoint}"


class ProcessingLogSubject(AppendOnlyModel):
    """A resident whose data one processing action concerned (betrokkene)."""

    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(ProcessingLogEntry, on_delete=models.PROTECT, related_name="subjects")
    resident_id = models.UUIDField(_("inwoner"))

    class Meta:
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")
        indexes = [models.Index(fields=["resident_id", "entry"], name="audit_subject_resident")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.resident_id}"
