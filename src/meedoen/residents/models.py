"""The shared resident file (één dossier): the person, legal bases, caseworkers, consent to share between the
two domains, the participatieladder, the profile of possibilities, the development plan and one timeline."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.policies import Domain
from meedoen.municipalities.models import District, InterestTag, Municipality, TargetGroup

LEGAL_DOMAIN_CHOICES = [(Domain.WORK.value, "Participatiewet"), (Domain.CARE.value, "Wmo")]


class Household(models.TextChoices):
    ALONE = "alleenstaand", _("Alleenstaand")
    SINGLE_PARENT = "eenouder", _("Alleenstaande ouder")
    COUPLE = "samen", _("Samenwonend of getrouwd, zonder kinderen thuis")
    FAMILY = "gezin", _("Samenwonend of getrouwd, met kinderen thuis")
    OTHER = "anders", _("Anders")


class DutchLevel(models.TextChoices):
    NONE = "geen", _("Spreekt nog geen Nederlands")
    A1 = "A1", _("A1: een paar woorden en zinnetjes")
    A2 = "A2", _("A2: eenvoudige gesprekken")
    B1 = "B1", _("B1: redt zich in de meeste situaties")
    B2 = "B2", _("B2 of hoger: spreekt vloeiend")
    NATIVE = "moedertaal", _("Moedertaal")


class Resident(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="residents")
    bsn = models.CharField(_("BSN"), max_length=9)
    given_names = models.CharField(_("voornamen"), max_length=200)
    name_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    family_name = models.CharField(_("achternaam"), max_length=200)
    date_of_birth = models.DateField(_("geboortedatum"))
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("woonplaats"), max_length=100, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="residents",
        null=True,
        blank=True,
        verbose_name=_("wijk"),
    )
    caseworker_work = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload_work",
        null=True,
        blank=True,
        verbose_name=_("klantmanager (werk)"),
    )
    caseworker_care = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload_care",
        null=True,
        blank=True,
        verbose_name=_("Wmo-consulent (zorg)"),
    )
    household = models.CharField(_("huishouden"), max_length=20, choices=Household.choices, blank=True)
    languages = models.CharField(
        _("talen"),
        max_length=200,
        blank=True,
        help_text=_("Welke talen spreekt de inwoner? Bijvoorbeeld: Arabisch, Engels."),
    )
    dutch_level = models.CharField(
        _("niveau Nederlands"), max_length=12, choices=DutchLevel.choices, blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="residents", verbose_name=_("groepen")
    )
    last_activity_at = models.DateTimeField(_("laatste activiteit"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="resident_file",
        null=True,
        blank=True,
        help_text=_("Het account waarmee de inwoner zelf inlogt."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name = _("inwoner")
        verbose_name_plural = _("inwoners")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "bsn"], name="resident_bsn_unique_per_municipality"
            ),
        ]
        indexes = [
            models.Index(Lower("family_name"), "municipality", name="resident_family_name_ci"),
            models.Index(fields=["municipality", "caseworker_work"], name="resident_caseload_work"),
            models.Index(fields=["municipality", "caseworker_care"], name="resident_caseload_care"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.name_prefix, self.family_name) if part)

    @property
    def list_name(self) -> str:
        """Family name first, as a list is sorted and scanned: "Berg, van der, Anouk"."""
        return ", ".join(part for part in (self.family_name, self.name_prefix, self.given_names) if part)


class LegalBasis(models.Model):
    """A legal basis under which the resident takes part: a Participatiewet benefit or a Wmo provision."""

    class Kind(models.TextChoices):
        BIJSTAND = "bijstand", _("Bijstandsuitkering (Participatiewet)")
        WMO_BEGELEIDING = "wmo_begeleiding", _("Wmo: begeleiding")
        WMO_DAGBESTEDING = "wmo_dagbesteding", _("Wmo: arbeidsmatige dagbesteding")

    DOMAIN_OF_KIND = {
        Kind.BIJSTAND: Domain.WORK,
        Kind.WMO_BEGELEIDING: Domain.CARE,
        Kind.WMO_DAGBESTEDING: Domain.CARE,
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="legal_bases")
    domain = models.CharField(_("wet"), max_length=20, choices=LEGAL_DOMAIN_CHOICES)
    kind = models.CharField(_("soort"), max_length=32, choices=Kind.choices)
    start_date = models.DateField(_("sinds"))
    end_date = models.DateField(_("tot en met"), null=True, blank=True)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("wettelijke grondslag")
        verbose_name_plural = _("wettelijke grondslagen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="legal_basis_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["resident", "domain"], name="legal_basis_resident_domain")]

    def __str__(self) -> str:
        return self.get_kind_display()


CONSENT_CHOICES = [
    (Domain.WORK.value, _("Het deel onder de Participatiewet, voor de Wmo-consulent")),
    (Domain.CARE.value, _("Het deel onder de Wmo, voor de klantmanager")),
]


class Consent(models.Model):
    """The resident's consent to share the sections of one domain with the caseworkers of the other."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    shared_domain = models.CharField(
        _("welk deel"),
        max_length=20,
        choices=CONSENT_CHOICES,
    )
    given_on = models.DateField(_("gegeven op"))
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on"]
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
            models.UniqueConstraint(
                fields=["resident", "shared_domain"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="consent_one_open_per_domain",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.shared_domain}"


class LadderScore(models.Model):
    """A score on the participatieladder (Divosa): 1 geïsoleerd … 6 betaald werk. History is never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="ladder_scores")
    rung = models.PositiveSmallIntegerField(_("trede"))
    scored_on = models.DateField(_("datum"))
    rationale = models.TextField(_("onderbouwing"))
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scored_on", "-created_at"]
        verbose_name = _("score op de participatieladder")
        verbose_name_plural = _("scores op de participatieladder")
        constraints = [
            models.CheckConstraint(condition=models.Q(rung__gte=1, rung__lte=6), name="ladder_rung_1_to_6"),
        ]
        indexes = [models.Index(fields=["resident", "-scored_on"], name="ladder_resident_date")]

    def __str__(self) -> str:
        return f"{self.rung} ({self.scored_on})"


class Workload(models.TextChoices):
    LOW = "laag", _("Laag")
    MEDIUM = "midden", _("Midden")
    HIGH = "hoog", _("Hoog")


class TravelMode(models.TextChoices):
    WALK = "lopen", _("Lopen")
    BIKE = "fiets", _("Fiets")
    PUBLIC = "ov", _("Openbaar vervoer")
    CAR = "auto", _("Auto")


class PhysicalNeed(models.TextChoices):
    NO_HEAVY_LIFTING = "geen_zwaar_tillen", _("Geen zwaar tillen")
    WHEELCHAIR = "rolstoel", _("Rolstoeltoegankelijk")
    NO_LONG_STANDING = "niet_lang_staan", _("Niet lang staan")
    QUIET = "rustige_omgeving", _("Rustige omgeving")
    NEAR_TOILET = "toilet_dichtbij", _("Toilet dichtbij")


class Weekday(models.TextChoices):
    MON = "ma", _("maandag")
    TUE = "di", _("dinsdag")
    WED = "wo", _("woensdag")
    THU = "do", _("donderdag")
    FRI = "vr", _("vrijdag")
    SAT = "za", _("zaterdag")
    SUN = "zo", _("zondag")


class Profile(models.Model):
    """What the resident can and wants to do: the basis for matching to a place."""

    resident = models.OneToOneField(
        Resident, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    interests = models.ManyToManyField(
        InterestTag, blank=True, related_name="profiles", verbose_name=_("interesses")
    )
    talents = models.TextField(_("talenten en ervaring"), blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"), null=True, blank=True)
    workload = models.CharField(
        _("werkdruk die de inwoner aankan"), max_length=10, choices=Workload.choices, blank=True
    )
    travel_radius_km = models.PositiveSmallIntegerField(_("reisafstand in km"), null=True, blank=True)
    travel_mode = models.CharField(_("reist met"), max_length=10, choices=TravelMode.choices, blank=True)
    physical_needs = models.JSONField(_("lichamelijke wensen"), default=list, blank=True)
    preferred_days = models.JSONField(_("voorkeursdagen"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profiel")
        verbose_name_plural = _("profielen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_per_week__isnull=True) | models.Q(hours_per_week__lte=40),
                name="profile_hours_at_most_40",
            ),
        ]

    def __str__(self) -> str:
        return f"profiel {self.resident_id}"


class Plan(models.Model):
    """The development plan (ontwikkelplan): goals in the resident's own words and a review date."""

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, primary_key=True, related_name="plan")
    goals = models.TextField(_("doelen, in de woorden van de inwoner"), blank=True)
    review_on = models.DateField(_("bespreken op"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("ontwikkelplan")
        verbose_name_plural = _("ontwikkelplannen")

    def __str__(self) -> str:
        return f"plan {self.resident_id}"


class PlanAction(models.Model):
    """An agreed action of the plan: what, who does it, and before when."""

    class Owner(models.TextChoices):
        RESIDENT = "inwoner", _("Inwoner")
        CASEWORKER = "begeleider", _("Klantmanager of consulent")
        PROVIDER = "aanbieder", _("Aanbieder")
        OTHER = "anders", _("Iemand anders")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("afspraak"), max_length=300)
    owner = models.CharField(_("wie doet het"), max_length=12, choices=Owner.choices)
    due_on = models.DateField(_("klaar op"))
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_on", "due_on"]
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")

    def __str__(self) -> str:
        return self.description


class ExperimentArm(models.Model):
    """The arm of a randomised experiment a resident takes part in, as far as it changes what applies on the
    file: the resident's own agreements in the plan are voluntary (``voluntary_agreements``, the "eigen
    regie" arm) and the route plans a review at least every ``review_every_weeks`` (more guidance).

    ``residents`` sits below ``experiments`` and cannot read it, so the experiment pushes this row through
    ``actions.do_record_experiment_arm`` when a resident consents and is randomised, and sets ``ends_on`` when
    they stop or the experiment ends. It applies from ``starts_on`` up to, not including, ``ends_on``: the
    day the normal rules apply again (``selectors.arms_in_force``, the one rule)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="experiment_arms")
    participant_id = models.UUIDField(_("deelnemer"), unique=True, editable=False)
    experiment_title = models.CharField(_("experiment"), max_length=200)
    arm_name = models.CharField(_("groep"), max_length=40)
    voluntary_agreements = models.BooleanField(_("afspraken vrijwillig"), default=False)
    review_every_weeks = models.PositiveSmallIntegerField(
        _("bespreking elke zoveel weken"), null=True, blank=True
    )
    starts_on = models.DateField(_("doet mee vanaf"))
    ends_on = models.DateField(_("gewone regels weer vanaf"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "created_at"]
        verbose_name = _("groep in een experiment")
        verbose_name_plural = _("groepen in experimenten")
        indexes = [models.Index(fields=["resident", "starts_on"], name="experiment_arm_resident")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="experiment_arm_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.experiment_title}: {self.arm_name}"


def attachment_path(instance: "TimelineEvent", filename: str) -> str:
    return f"attachments/{instance.resident.municipality_id}/{instance.resident_id}/{uuid.uuid4()}/{filename}"


class TimelineEvent(models.Model):
    """One line on the resident's timeline: a note, a contact, a score, a plan change, a transfer, …

    ``domain`` set means the event belongs to that domain's section and is shared with the other domain
    only with consent; empty means it belongs to the shared file. ``detail`` is a part of the line that
    belongs to ``detail_domain`` only (a line of the shared route that also says something about the
    benefit): the other domain sees the line without it, unless the resident consented to share it."""

    class Kind(models.TextChoices):
        NOTE = "notitie", _("Notitie")
        CONTACT = "contact", _("Contact")
        LADDER = "ladder", _("Participatieladder")
        PLAN = "plan", _("Ontwikkelplan")
        PROFILE = "profiel", _("Profiel")
        CONSENT = "toestemming", _("Toestemming")
        TRANSFER = "overdracht", _("Overdracht")
        REGISTRATION = "aanmelding", _("Aanmelding")
        ROUTE = "route", _("Route")
        PLACEMENT = "plaatsing", _("Plaatsing")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    domain = models.CharField(
        _("domein"),
        max_length=20,
        blank=True,
        choices=LEGAL_DOMAIN_CHOICES,
    )
    occurred_at = models.DateTimeField(_("wanneer"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    text = models.TextField(_("tekst"))
    detail = models.TextField(
        _("deel voor één domein"),
        blank=True,
        help_text=_("Een zin die alleen bij één domein hoort, zoals iets over de uitkering."),
    )
    detail_domain = models.CharField(
        _("domein van het deel"), max_length=20, blank=True, choices=LEGAL_DOMAIN_CHOICES
    )
    attachment = models.FileField(_("bijlage"), upload_to=attachment_path, blank=True, max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-created_at"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("tijdlijn")
        indexes = [models.Index(fields=["resident", "-occurred_at"], name="timeline_resident_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d}"

    @property
    def shown_text(self) -> str:
        """The text as the reader may see it: with its domain-bound detail only when the selector that read
        the line let the detail through (as ``shown_detail``)."""
        detail = getattr(self, "shown_detail", "")
        return f"{self.text} {detail}" if detail else self.text
