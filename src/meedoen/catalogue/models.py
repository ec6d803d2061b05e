"""The offer (aanbod): providers, their placements, proposals, seats, attendance and progress reports.

A provider is an organisation, not a tenant: it serves municipalities through contracts. Its placements are
in the catalogue of every municipality it has a running contract with. Everything about a resident
(proposal, seat, attendance, progress report) belongs to exactly one municipality, the resident's.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.models import Membership
from meedoen.formatting import euro
from meedoen.municipalities.models import District, Municipality
from meedoen.residents.models import LEGAL_DOMAIN_CHOICES, DutchLevel, Resident, Weekday, Workload


class ProviderKind(models.TextChoices):
    SOCIAL_ENTERPRISE = "werkleerbedrijf", _("Werkleerbedrijf")
    COMMUNITY = "cmo", _("Maatschappelijke organisatie (CMO)")
    LOCAL = "lokaal", _("Lokale aanbieder")
    EMPLOYER = "werkgever", _("Werkgever")


class Provider(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("naam"), max_length=150)
    kind = models.CharField(_("soort"), max_length=20, choices=ProviderKind.choices)
    contact_name = models.CharField(_("contactpersoon"), max_length=150, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    """A provider serves a municipality from ``starts_on`` until ``ends_on`` (open-ended when empty)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="contracts")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("contract vanaf"))
    ends_on = models.DateField(_("contract tot en met"), null=True, blank=True)
    # Taakgericht: the provider gets this amount per calendar year for all residents it serves under the
    # contract; it is committed once per provider and year, not per resident.
    task_budget = models.DecimalField(
        _("vast bedrag per jaar (taakgericht, euro)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracten")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "municipality"], name="contract_one_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="contract_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(task_budget__isnull=True) | Q(task_budget__gte=0),
                name="contract_task_budget_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} — {self.municipality_id}"

    def runs_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class ProviderStaff(models.Model):
    """The provider a provider user's membership works for."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, primary_key=True, related_name="provider_staff"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="staff")

    class Meta:
        verbose_name = _("medewerker van aanbieder")
        verbose_name_plural = _("medewerkers van aanbieders")

    def __str__(self) -> str:
        return f"{self.membership_id} @ {self.provider_id}"


class PlacementKind(models.TextChoices):
    ACTIVATING = "activerend_werk", _("Activerend werk")
    DAY_ACTIVITY = "dagbesteding", _("Arbeidsmatige dagbesteding")
    LEARNING = "leerwerkplek", _("Leerwerkplek")
    TALENT = "talentplek", _("Talentplek")
    EXPERIENCE = "werkervaringsplek", _("Werkervaringsplek")
    VOLUNTEER = "vrijwilligerswerk", _("Vrijwilligerswerk")
    SUPPORTED = "begeleid_werk", _("Begeleid werk")
    PAID = "betaalde_baan", _("Betaalde baan")


class Funding(models.TextChoices):
    WMO = "wmo", _("Wmo")
    WORK = "participatiewet", _("Participatiewet")
    BOTH = "beide", _("Wmo en Participatiewet")

    @classmethod
    def domains(cls, value: str) -> set[str]:
        return {"wmo", "participatiewet"} if value == cls.BOTH else {value}


class Pricing(models.TextChoices):
    """How a placement is priced in the contract: the iWmo uitvoeringsvarianten."""

    EFFORT = "inspanningsgericht", _("Inspanningsgericht: een prijs per eenheid")
    OUTPUT = "outputgericht", _("Outputgericht: een vaste prijs per traject of per maand")
    TASK = "taakgericht", _("Taakgericht: een vast bedrag per aanbieder, geen prijs per inwoner")


class PriceUnit(models.TextChoices):
    """The unit a price is for. Inspanningsgericht: uur (iWmo 04), dagdeel of 4 uur (16), etmaal (14) or week;
    outputgericht: per traject or per maand; taakgericht has no unit."""

    HOUR = "uur", _("per uur")
    DAYPART = "dagdeel", _("per dagdeel (4 uur)")
    DAY_AND_NIGHT = "etmaal", _("per etmaal")
    WEEK = "week", _("per week")
    ROUTE = "traject", _("per traject")
    MONTH = "maand", _("per maand")


# The variant's name in a sentence ("€ 12,50 per uur · inspanningsgericht").
PRICING_NAMES = {
    "inspanningsgericht": _("inspanningsgericht"),
    "outputgericht": _("outputgericht"),
    "taakgericht": _("taakgericht"),
}

EFFORT_UNITS = (PriceUnit.HOUR, PriceUnit.DAYPART, PriceUnit.DAY_AND_NIGHT, PriceUnit.WEEK)
OUTPUT_UNITS = (PriceUnit.ROUTE, PriceUnit.MONTH)


class PhysicalDemand(models.TextChoices):
    HEAVY_LIFTING = "zwaar_tillen", _("Zwaar tillen")
    LONG_STANDING = "lang_staan", _("Lang staan")
    BUSY = "drukke_omgeving", _("Drukke of lawaaiige omgeving")
    OUTDOORS = "buiten", _("Buiten werken, ook bij slecht weer")


class Placement(models.Model):
    """A place where residents take part. ``version`` goes up with every change; the changes are kept in
    ``PlacementChange``. ``reference`` is the provider's own key, for syncing from its own system."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="placements")
    reference = models.CharField(_("eigen kenmerk"), max_length=64, blank=True)
    title = models.CharField(_("titel"), max_length=150)
    description = models.TextField(_("beschrijving"))
    kind = models.CharField(_("soort plek"), max_length=20, choices=PlacementKind.choices)
    street = models.CharField(_("straat en huisnummer"), max_length=150)
    postcode = models.CharField(_("postcode"), max_length=7)
    city = models.CharField(_("plaats"), max_length=100)
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("wijk")
    )
    latitude = models.DecimalField(_("breedtegraad"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=8, decimal_places=5)
    wheelchair_accessible = models.BooleanField(_("rolstoeltoegankelijk"), default=False)
    transit_nearby = models.BooleanField(_("bushalte of station dichtbij"), default=False)
    capacity = models.PositiveSmallIntegerField(_("aantal plekken"))
    days = models.JSONField(_("dagen"), default=list)
    start_time = models.TimeField(_("begintijd"))
    end_time = models.TimeField(_("eindtijd"))
    workload = models.CharField(_("werkdruk"), max_length=10, choices=Workload.choices)
    physical_demands = models.JSONField(_("wat het werk van het lichaam vraagt"), default=list, blank=True)
    dutch_level = models.CharField(
        _("nodig niveau Nederlands"), max_length=12, choices=DutchLevel.choices, blank=True
    )
    tags = models.JSONField(_("interesses"), default=list, blank=True)
    learning = models.TextField(_("wat je er leert"), blank=True)
    funding = models.CharField(_("betaald uit"), max_length=20, choices=Funding.choices)
    pricing = models.CharField(
        _("manier van betalen"), max_length=20, choices=Pricing.choices, default=Pricing.EFFORT
    )
    price = models.DecimalField(_("prijs (euro)"), max_digits=8, decimal_places=2)
    price_unit = models.CharField(
        _("prijs per"), max_length=10, choices=PriceUnit.choices, default=PriceUnit.WEEK, blank=True
    )
    is_open = models.BooleanField(_("open voor nieuwe voorstellen"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("plek")
        verbose_name_plural = _("plekken")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "reference"],
                condition=~Q(reference=""),
                name="placement_reference_unique_per_provider",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="placement_capacity_positive"),
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="placement_hours"),
            models.CheckConstraint(condition=Q(price__gte=0), name="placement_price_not_negative"),
            models.CheckConstraint(
                condition=(
                    Q(pricing="inspanningsgericht") & Q(price_unit__in=[u.value for u in EFFORT_UNITS])
                )
                | (Q(pricing="outputgericht") & Q(price_unit__in=[u.value for u in OUTPUT_UNITS]))
                | (Q(pricing="taakgericht") & Q(price_unit="") & Q(price=0)),
                name="placement_price_unit_fits_pricing",
            ),
        ]
        indexes = [models.Index(fields=["provider", "is_open"], name="placement_provider_open")]

    def __str__(self) -> str:
        return self.title

    @property
    def hours_per_week(self) -> float:
        start = self.start_time.hour * 60 + self.start_time.minute
        end = self.end_time.hour * 60 + self.end_time.minute
        return round(len(self.days) * (end - start) / 60, 1)

    @property
    def day_labels(self) -> list[str]:
        return [str(label) for value, label in Weekday.choices if value in self.days]

    def price_text(self) -> str:
        """The price as people read it: "€ 12,50 per uur · inspanningsgericht"; taakgericht has no price of
        its own."""
        if self.pricing == Pricing.TASK:
            return str(_("vast bedrag via het contract · taakgericht"))
        unit = self.get_price_unit_display()
        return f"{euro(self.price)} {unit} · {PRICING_NAMES.get(self.pricing, self.pricing)}"


class PlacementTag(models.Model):
    """An interest tag of a placement, by code (the vocabulary of the resident profile). A table of its own
    so the catalogue can filter on it in SQLite and PostgreSQL alike."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="tag_rows")
    code = models.SlugField(max_length=50)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["placement", "code"], name="placement_tag_unique")]
        indexes = [models.Index(fields=["code"], name="placement_tag_code")]

    def __str__(self) -> str:
        return self.code


class PlacementChange(models.Model):
    """Who changed what in a placement, and when: ``changes`` maps a field to ``[old, new]``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "version"], name="placement_change_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} v{self.version}"


class DeclineReason(models.TextChoices):
    FULL = "vol", _("Vol")
    WORK_MISMATCH = "past_niet", _("Past niet bij de werkzaamheden")
    TRAVEL = "reistijd", _("Reistijd te lang")
    SUPPORT = "begeleiding", _("Begeleidingsbehoefte te groot")
    RESIDENT_DECLINED = "inwoner_zag_af", _("Inwoner zag ervan af")
    OTHER = "anders", _("Anders")


class ShareableItem(models.TextChoices):
    """Items a caseworker may add to a proposal for the provider, only when the resident agreed to it."""

    PHYSICAL_NEEDS = "lichamelijk", _("Wat de inwoner lichamelijk wel en niet kan")
    LANGUAGE = "taal", _("Talen en niveau Nederlands")
    INTERESTS = "interesses", _("Interesses en talenten")
    LADDER = "ladder", _("Trede op de participatieladder")


class Proposal(models.Model):
    """A caseworker proposes a resident for a placement; the provider accepts or declines it.

    A declined proposal can be sent on to another placement: the new proposal points back at it through
    ``previous``, so the history of one search for a place stays one chain."""

    class Status(models.TextChoices):
        SENT = "verstuurd", _("Wacht op antwoord")
        ACCEPTED = "geaccepteerd", _("Geaccepteerd")
        DECLINED = "afgewezen", _("Afgewezen")
        WITHDRAWN = "ingetrokken", _("Ingetrokken")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="proposals")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="proposals")
    domain = models.CharField(_("domein"), max_length=20, choices=LEGAL_DOMAIN_CHOICES)
    start_date = models.DateField(_("gewenste startdatum"))
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"))
    note = models.TextField(_("toelichting voor de aanbieder"), blank=True)
    shared_items = models.JSONField(_("gedeeld met toestemming"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SENT)
    decline_reason = models.CharField(_("reden"), max_length=20, choices=DeclineReason.choices, blank=True)
    decline_text = models.TextField(_("toelichting"), blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="forwarded_to"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("voorstel")
        verbose_name_plural = _("voorstellen")
        indexes = [
            models.Index(fields=["placement", "status"], name="proposal_placement_status"),
            models.Index(fields=["resident", "-proposed_at"], name="proposal_resident_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="afgewezen") | ~Q(decline_reason=""), name="proposal_decline_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} → {self.placement_id} ({self.status})"


class Seat(models.Model):
    """A resident takes seat number ``number`` of a placement from ``starts_on``; ``ended_on`` set frees it.

    The database keeps seats within capacity: seat numbers in use are unique per placement, and the action
    that takes a seat only hands out numbers 1..capacity while holding the placement's row lock."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="seats")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="seat")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="seats")
    number = models.PositiveSmallIntegerField(_("plek nummer"))
    starts_on = models.DateField(_("begint op"))
    ended_on = models.DateField(_("geëindigd op"), null=True, blank=True)
    end_reason = models.CharField(_("reden einde"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "number"],
                condition=Q(ended_on__isnull=True),
                name="seat_number_unique_while_in_use",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="seat_number_positive"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("starts_on")),
                name="seat_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} #{self.number}"


class Attendance(models.Model):
    """Attendance of a placed resident in one week (``week`` is that week's Monday)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="attendance")
    week = models.DateField(_("week van"))
    days_present = models.PositiveSmallIntegerField(_("dagen aanwezig"))
    hours_present = models.DecimalField(_("uren aanwezig"), max_digits=4, decimal_places=1)
    note = models.CharField(_("opmerking"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-week"]
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        constraints = [
            models.UniqueConstraint(fields=["seat", "week"], name="attendance_one_per_week"),
            models.CheckConstraint(condition=Q(days_present__lte=7), name="attendance_days_in_week"),
            models.CheckConstraint(
                condition=Q(hours_present__gte=0) & Q(hours_present__lte=168), name="attendance_hours_in_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat_id} {self.week}"


class ProgressReport(models.Model):
    """The provider's short monthly report (``month`` is the first day of that month)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="reports")
    month = models.DateField(_("maand"))
    went_well = models.TextField(_("wat ging goed"))
    next_steps = models.TextField(_("wat is de volgende stap"))
    suggested_rung = models.PositiveSmallIntegerField(_("voorgestelde trede"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-month"]
        verbose_name = _("voortgangsverslag")
        verbose_name_plural = _("voortgangsverslagen")
        constraints = [
            models.UniqueConstraint(fields=["seat", "month"], name="report_one_per_month"),
            models.CheckConstraint(
                condition=Q(suggested_rung__isnull=True)
                | (Q(suggested_rung__gte=1) & Q(suggested_rung__lte=6)),
                name="report_rung_on_ladder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seat_id} {self.month}"
