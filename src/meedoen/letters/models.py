"""Letters to residents: the municipality's templates (kept by the functioneel beheerder) and the letters a
caseworker made from them. The PDF of a letter is the attachment of its line on the resident's timeline."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meedoen.municipalities.models import Municipality
from meedoen.residents.models import LEGAL_DOMAIN_CHOICES, Resident, TimelineEvent


class LetterKind(models.TextChoices):
    INVITATION = "uitnodiging", _("Uitnodiging voor een gesprek")
    PROPOSAL = "voorstel_plek", _("Voorstel van een plek")
    REVIEW = "uitkomst_bespreking", _("Uitkomst van een bespreking")
    ROUTE_STEP = "stap_route", _("Een stap op de route")
    OTHER = "anders", _("Andere brief")


class Channel(models.TextChoices):
    POST = "post", _("Per post")
    EMAIL = "e-mail", _("Per e-mail")
    HANDED = "meegegeven", _("Meegegeven in een gesprek")


class LetterTemplate(models.Model):
    """A template of the municipality: a subject and a body with fields (``{naam}``) and places to fill
    in by hand (``[dag en datum]``). ``version`` guards against two editors at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="letter_templates")
    kind = models.CharField(_("soort brief"), max_length=30, choices=LetterKind.choices)
    name = models.CharField(_("naam van het sjabloon"), max_length=100)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    is_active = models.BooleanField(_("in gebruik"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="letter_template_name_unique_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Letter(models.Model):
    """A letter made for a resident: its text as sent, the PDF on the timeline, and when and how it was
    sent (empty until the caseworker records it)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="letters")
    template = models.ForeignKey(
        LetterTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    kind = models.CharField(_("soort brief"), max_length=30, choices=LetterKind.choices)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    # Set: the letter belongs to that domain's section of the file (shared with the other only by consent).
    domain = models.CharField(_("domein"), max_length=20, blank=True, choices=LEGAL_DOMAIN_CHOICES)
    event = models.OneToOneField(TimelineEvent, on_delete=models.PROTECT, related_name="letter")
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()
    sent_on = models.DateField(_("verstuurd op"), null=True, blank=True)
    channel = models.CharField(_("hoe verstuurd"), max_length=20, choices=Channel.choices, blank=True)
    sent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at"]
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        indexes = [models.Index(fields=["resident", "-made_at"], name="letter_resident_time")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(sent_on__isnull=True) & Q(channel=""))
                | (Q(sent_on__isnull=False) & ~Q(channel="")),
                name="letter_sent_has_date_and_channel",
            )
        ]

    def __str__(self) -> str:
        return self.subject
