"""What the resident adds in the portal: places that interest them (and a wish to talk about one), their
own words about interests and availability, requests to correct the file (AVG art. 16), copies of their
data (AVG art. 15), and per municipality whether the portal names staff in "who looked at my file"."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.policies import Domain
from meedoen.catalogue.models import Placement
from meedoen.municipalities.models import Municipality
from meedoen.residents.models import LEGAL_DOMAIN_CHOICES, Resident


class PortalSettings(models.Model):
    """Per municipality. By default the portal names the organisation and role of whoever looked at a
    file, not the person: a municipality may choose to show names too."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, primary_key=True, related_name="portal_settings"
    )
    show_staff_names = models.BooleanField(_("namen van medewerkers tonen aan inwoners"), default=False)

    class Meta:
        verbose_name = _("instelling van het portaal")
        verbose_name_plural = _("instellingen van het portaal")

    def __str__(self) -> str:
        return str(self.municipality_id)


class PlaceInterest(models.Model):
    """A resident marked a place as interesting, and may ask their caseworker for a conversation about it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="place_interests")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(_("interesse aangegeven op"))
    conversation_asked_at = models.DateTimeField(_("gesprek gevraagd op"), null=True, blank=True)
    conversation_question = models.CharField(_("waarover wilt u praten"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("antwoord"), blank=True)

    class Meta:
        ordering = ["-marked_at"]
        verbose_name = _("interesse in een plek")
        verbose_name_plural = _("interesses in plekken")
        constraints = [
            models.UniqueConstraint(fields=["resident", "placement"], name="portal_one_interest_per_place"),
        ]
        indexes = [models.Index(fields=["municipality", "answered_at"], name="portal_interest_open")]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.placement_id}"


class OwnWords(models.Model):
    """The resident's own words about what they like and when they can: shown to the caseworker as such."""

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, primary_key=True, related_name="+")
    interests_text = models.TextField(_("wat ik graag doe"), blank=True)
    availability_text = models.TextField(_("wanneer ik kan"), blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("eigen woorden van de inwoner")
        verbose_name_plural = _("eigen woorden van inwoners")

    def __str__(self) -> str:
        return str(self.resident_id)


class FilePart(models.TextChoices):
    PERSONAL = "persoonsgegevens", _("Mijn persoonsgegevens")
    PLAN = "plan", _("Mijn plan en afspraken")
    ROUTE = "route", _("Mijn route")
    PROFILE = "profiel", _("Wat ik kan en wil")
    BENEFIT = "uitkering", _("Mijn uitkering (werk en inkomen)")
    PROVISION = "voorziening", _("Mijn Wmo-voorziening (zorg en ondersteuning)")
    OTHER = "anders", _("Iets anders")


# The domain of the file a part belongs to. Staff see a request to correct it as they see that part: their
# own domain, the other one only with the resident's consent. Not named: the shared file (name, address,
# plan, route, profile), which everyone who helps the resident sees; "iets anders" the resident writes to
# all who help them.
PART_DOMAIN: dict[str, str] = {FilePart.BENEFIT: Domain.WORK.value, FilePart.PROVISION: Domain.CARE.value}


class CorrectionRequest(models.Model):
    """A request to correct the file (AVG art. 16). The caseworker answers; the resident sees the answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Wacht op antwoord")
        CORRECTED = "aangepast", _("Aangepast")
        NOT_CORRECTED = "niet_aangepast", _("Niet aangepast")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="correction_requests")
    part = models.CharField(_("welk deel"), max_length=20, choices=FilePart.choices)
    domain = models.CharField(
        _("domein"),
        max_length=20,
        blank=True,
        choices=LEGAL_DOMAIN_CHOICES,
        help_text=_("Leeg: het gedeelde dossier. Anders ziet het andere domein dit alleen met toestemming."),
    )
    text = models.TextField(_("wat klopt er niet"))
    asked_at = models.DateTimeField(_("gevraagd op"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("antwoord"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = _("verzoek om correctie")
        verbose_name_plural = _("verzoeken om correctie")
        indexes = [models.Index(fields=["municipality", "status"], name="portal_correction_open")]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.part}"


class DataExport(models.Model):
    """A copy of everything Meedoen holds about the resident (AVG art. 15), made by a background job."""

    # A copy takes seconds. One still waiting or being made this long after it was asked for is stuck (the
    # worker stopped, or died halfway): the page shows it as failed, and a new request marks it failed.
    STUCK_AFTER = dt.timedelta(minutes=15)

    class Status(models.TextChoices):
        WAITING = "wacht", _("Wacht op zijn beurt")
        RUNNING = "bezig", _("Wordt gemaakt")
        DONE = "klaar", _("Klaar")
        FAILED = "mislukt", _("Mislukt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="data_exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    progress = models.PositiveSmallIntegerField(default=0)
    data_json = models.TextField(blank=True)
    data_pdf = models.BinaryField(blank=True, default=b"")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("kopie van mijn gegevens")
        verbose_name_plural = _("kopieën van gegevens")
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="portal_export_progress_100"),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.requested_at:%Y-%m-%d}"
