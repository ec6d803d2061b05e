"""The programme and its steering: programme, team, the profile of each budget project, explicit project
members, indicators with their targets, and the monthly rollup of the indicators.

The projects are the budget's projects (``budgets.Project``): a ``ProjectProfile`` adds what the programme
manager describes (owner, goal, period, target groups, providers and placements). An indicator is data: one
measure from ``rules.MEASURES`` with its parameters. ``IndicatorValue`` holds the figures per month and cell,
written only by the rollup job; a closed month's rows are final and never rewritten.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.models import Membership
from meedoen.budgets.models import Project
from meedoen.catalogue.models import Placement, Provider
from meedoen.municipalities.models import Municipality, TargetGroup
from meedoen.programmes import rules
from meedoen.residents.models import Resident
from meedoen.routes.models import PHASE_CHOICES

MEASURE_CHOICES = [
    ("in_programma", _("Inwoners in het programma (eind van de maand)")),
    ("stap_naar_fase", _("Inwoners die in de maand een stap naar een fase zetten")),
    ("duurzaam_in_fase", _("Aandeel dat een aantal maanden in een fase bleef")),
    ("trede_omhoog", _("Aandeel dat minstens één trede steeg")),
    ("stap_terug", _("Inwoners met een stap terug in de maand")),
    ("terugval", _("Inwoners die na betaald werk terugvielen in de maand")),
    ("wachttijd", _("Dagen van intake tot eerste plek")),
    ("bezetting", _("Bezetting van de plekken (eind van de maand)")),
    ("budgetgebruik", _("Betaald als deel van het budget (jaar tot en met de maand)")),
    ("kosten_per_inwoner", _("Betaald per inwoner met geld vastgelegd voor een plek")),
    ("kosten_per_uitstroom", _("Betaald per uitstroom naar betaald werk")),
]
UNIT_CHOICES = [
    (rules.Unit.RESIDENTS.value, _("inwoners")),
    (rules.Unit.PERCENT.value, _("procent")),
    (rules.Unit.DAYS.value, _("dagen")),
    (rules.Unit.EURO.value, _("euro")),
]
DIMENSION_CHOICES = [
    (rules.Dimension.ALL.value, _("heel het programma")),
    (rules.Dimension.PROJECT.value, _("project")),
    (rules.Dimension.DISTRICT.value, _("wijk")),
    (rules.Dimension.TARGET_GROUP.value, _("groep")),
    (rules.Dimension.LEGAL_BASIS.value, _("grondslag")),
    (rules.Dimension.PHASE.value, _("fase")),
    # Two filters at once (rules.pairs_of), in the order of rules.FILTER_DIMENSIONS.
    ("project+wijk", _("project en wijk")),
    ("project+doelgroep", _("project en groep")),
    ("project+grondslag", _("project en grondslag")),
    ("wijk+doelgroep", _("wijk en groep")),
    ("wijk+grondslag", _("wijk en grondslag")),
    ("doelgroep+grondslag", _("groep en grondslag")),
]


class Programme(models.Model):
    """The municipality's programme: one per municipality."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT, related_name="programme")
    name = models.CharField(_("naam"), max_length=150)
    goal = models.TextField(_("centraal doel"))
    starts_on = models.DateField(_("vanaf"))
    ends_on = models.DateField(_("tot en met"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="programme_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A member of the programme team and the department they come from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="team")
    name = models.CharField(_("naam"), max_length=150)
    department = models.CharField(_("afdeling"), max_length=150)
    task = models.CharField(_("taak in het team"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["department", "name"]
        verbose_name = _("teamlid")
        verbose_name_plural = _("team")

    def __str__(self) -> str:
        return self.name


class ProjectProfile(models.Model):
    """What the programme adds to a budget project. A resident belongs to the project through one of its
    target groups, a running seat on one of its placements (or a placement of one of its providers), or an
    explicit choice (``ProjectMember``)."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="projects")
    owner = models.CharField(_("eigenaar"), max_length=150)
    # The owner's login, when the owner works in Meedoen: they write the project's text for the council.
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenaar in Meedoen"),
    )
    goal = models.TextField(_("doel"))
    starts_on = models.DateField(_("vanaf"))
    ends_on = models.DateField(_("tot en met"), null=True, blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="+", verbose_name=_("groepen")
    )
    providers = models.ManyToManyField(Provider, blank=True, related_name="+", verbose_name=_("aanbieders"))
    placements = models.ManyToManyField(Placement, blank=True, related_name="+", verbose_name=_("plekken"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("projectbeschrijving")
        verbose_name_plural = _("projectbeschrijvingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="project_profile_period",
            ),
        ]

    def __str__(self) -> str:
        return str(self.project)


class ProjectMember(models.Model):
    """A resident in a project by explicit choice of their caseworker, from ``since`` (until ``until``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="members")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="project_memberships")
    since = models.DateField(_("vanaf"))
    until = models.DateField(_("tot en met"), null=True, blank=True)
    reason = models.CharField(_("waarom in dit project"), max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["since"]
        verbose_name = _("deelnemer van een project")
        verbose_name_plural = _("deelnemers van projecten")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "resident"],
                condition=Q(until__isnull=True),
                name="project_member_one_open",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="project_member_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.resident_id}"


class Indicator(models.Model):
    """An indicator defined once, as data: a measure from the fixed set and its parameters."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("naam"), max_length=150)
    how_computed = models.TextField(_("hoe berekend"))
    measure = models.CharField(_("bouwsteen"), max_length=30, choices=MEASURE_CHOICES)
    phase = models.CharField(_("fase"), max_length=30, choices=PHASE_CHOICES, blank=True)
    months = models.PositiveSmallIntegerField(_("aantal maanden"), null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(_("vanaf leeftijd"), null=True, blank=True)
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("groep"),
    )
    unit = models.CharField(_("eenheid"), max_length=10, choices=UNIT_CHOICES)
    higher_is_better = models.BooleanField(_("hoger is beter"), default=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=Q(months__isnull=True) | Q(months__gte=1, months__lte=36), name="indicator_months"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def spec(self) -> rules.Measure:
        return rules.MEASURES[self.measure]


class Target(models.Model):
    """The target of an indicator for the months from ``starts_on`` to ``ends_on`` (first days of months);
    for a flow (a count in the month) it is a target per month."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    starts_on = models.DateField(_("vanaf maand"))
    ends_on = models.DateField(_("tot en met maand"))
    value = models.DecimalField(_("streefwaarde"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("streefwaarde")
        verbose_name_plural = _("streefwaarden")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="target_period"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.starts_on}"


class IndicatorValue(models.Model):
    """One cell of the rollup: an indicator in a month, for the whole programme (``dimension`` empty), one
    key of a dimension (a project id, district id, target group id, legal basis kind or phase), or one key
    of each of two filter dimensions at once (``dimension`` "project+wijk", ``key`` "<project>|<district>").
    For a pair of dimensions, the row with an empty key marks that the month's cells of the pair were
    computed: a key without a row is then zero, not "not computed"."""

    id = models.BigAutoField(primary_key=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    month = models.DateField(_("maand"))
    dimension = models.CharField(max_length=24, choices=DIMENSION_CHOICES, blank=True)
    key = models.CharField(max_length=80, blank=True)
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField(null=True)
    is_final = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("indicatorwaarde")
        verbose_name_plural = _("indicatorwaarden")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "month", "dimension", "key"], name="indicator_value_one_per_cell"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="indicator_value_month_first_day"),
        ]
        indexes = [
            models.Index(fields=["municipality", "dimension", "key", "month"], name="indicator_value_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.month} {self.dimension}={self.key}"


class RollupRun(models.Model):
    """A refresh of the rollup for one month: queued, running, done (with how long it took) or failed."""

    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("In de wachtrij")
        RUNNING = "bezig", _("Bezig")
        DONE = "klaar", _("Klaar")
        FAILED = "mislukt", _("Mislukt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("maand"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    cells = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("berekening van de indicatoren")
        verbose_name_plural = _("berekeningen van de indicatoren")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.month} {self.status}"


class ProjectText(models.Model):
    """What a project's owner (or a programme manager) writes about the project for one quarter's council
    report: plain Dutch, no personal data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="council_texts")
    quarter = models.CharField(_("kwartaal"), max_length=7)
    text = models.TextField(_("tekst"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["quarter"]
        verbose_name = _("projecttekst voor de raad")
        verbose_name_plural = _("projectteksten voor de raad")
        constraints = [
            models.UniqueConstraint(fields=["project", "quarter"], name="project_text_one_per_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.quarter}"


class CouncilReport(models.Model):
    """The quarterly report for the council (raadsinformatie), built by a background job and stored: the
    tagged PDF, a CSV and an XLSX of its tables, and the tables themselves. Aggregates only, small cells
    suppressed as on the dashboard; a download gives the stored file, never a new one."""

    # A report takes seconds. One still waiting or being made this long after it was asked for is stuck (the
    # worker stopped, or died halfway): the page shows it as failed, and a new request for a report marks
    # it failed (the portal's copy of a resident's data does the same, ``portal.DataExport.STUCK_AFTER``).
    STUCK_AFTER = dt.timedelta(minutes=15)

    class Status(models.TextChoices):
        QUEUED = "wachtrij", _("In de wachtrij")
        RUNNING = "bezig", _("Wordt gemaakt")
        DONE = "klaar", _("Klaar")
        FAILED = "mislukt", _("Mislukt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    quarter = models.CharField(_("kwartaal"), max_length=7)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # Who asked, in which membership: the job reads the figures with that membership's rights.
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    tables = models.JSONField(default=list, blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    csv = models.TextField(blank=True)
    xlsx = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("raadsrapportage")
        verbose_name_plural = _("raadsrapportages")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="council_report_progress_100"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.quarter} {self.status}"

    @property
    def unfinished(self) -> bool:
        """Waiting or being made, as the database says (a stuck report too)."""
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def stuck(self) -> bool:
        """Unfinished ``STUCK_AFTER`` after it was asked for: shown as failed."""
        return self.unfinished and timezone.now() - self.created_at > self.STUCK_AFTER

    @property
    def running(self) -> bool:
        """Waiting or being made, and not stuck: the page keeps asking for its progress."""
        return self.unfinished and not self.stuck

    @property
    def failed(self) -> bool:
        return self.status == self.Status.FAILED or self.stuck

    @property
    def shown_status(self) -> str:
        """The status as the pages show it: a stuck report as failed."""
        return str(self.Status.FAILED.label) if self.stuck else str(self.get_status_display())


class Success(models.Model):
    """A milestone to celebrate together ("samen successen vieren"): a rung climbed, a first paid month, a
    certificate. Proposed from the data (by the caseworker's button or the nightly job; a certificate is added
    by the caseworker); shared on the successes page only with the resident's recorded approval of the text,
    which the database checks. The resident answers in Mijn Meedoen, or the caseworker records the answer."""

    class Kind(models.TextChoices):
        RUNG_UP = "trede_omhoog", _("Trede omhoog")
        FIRST_PAID_MONTH = "eerste_betaalde_maand", _("Eerste betaalde maand")
        CERTIFICATE = "certificaat", _("Certificaat")

    class Source(models.TextChoices):
        LADDER = "ladder", _("Score op de participatieladder")
        ROUTE = "route", _("Stap op de route")
        BY_HAND = "handmatig", _("Zelf toegevoegd")

    class ResidentAnswer(models.TextChoices):
        """What the resident answered in Mijn Meedoen to the text put to them."""

        AGREED = "akkoord", _("Ja, dit mag gedeeld worden")
        REFUSED = "niet_delen", _("Nee, niet delen")
        OTHER_WORDS = "andere_woorden", _("Andere woorden voorgesteld")

    class Status(models.TextChoices):
        PROPOSED = "voorgesteld", _("Voorgesteld")
        APPROVED = "akkoord_inwoner", _("Akkoord van de inwoner")
        PUBLISHED = "gepubliceerd", _("Gedeeld")
        REJECTED = "afgewezen", _("Afgewezen")
        TAKEN_DOWN = "teruggenomen", _("Teruggenomen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="successes")
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    happened_on = models.DateField(_("datum"))
    source = models.CharField(_("bron"), max_length=20, choices=Source.choices)
    # The event it was proposed from ("ladder:<score>", "stap:<step>", "hand:<uuid>"): one success per event.
    source_key = models.CharField(max_length=80)
    rung_from = models.PositiveSmallIntegerField(null=True, blank=True)
    rung_to = models.PositiveSmallIntegerField(null=True, blank=True)
    certificate = models.CharField(_("certificaat"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    text = models.TextField(_("tekst zoals de inwoner die goedkeurde"), blank=True)
    # The text put to the resident in Mijn Meedoen (empty: the first text Meedoen suggests for the kind).
    draft = models.TextField(_("tekst voorgelegd aan de inwoner"), blank=True)
    # When and by whom the caseworker last put a text of their own to the resident (*Voorleggen*).
    offered_at = models.DateTimeField(null=True, blank=True)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The resident's own answer in Mijn Meedoen, and the words they suggested instead.
    resident_answer = models.CharField(
        _("antwoord van de inwoner"), max_length=20, choices=ResidentAnswer.choices, blank=True
    )
    resident_words = models.TextField(_("woorden van de inwoner"), blank=True)
    resident_answered_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    taken_down_at = models.DateTimeField(null=True, blank=True)
    # Who pressed *Nieuwe successen zoeken*, or added the certificate; empty: the nightly job proposed it.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-happened_on", "-created_at"]
        verbose_name = _("succes")
        verbose_name_plural = _("successen")
        constraints = [
            models.UniqueConstraint(fields=["resident", "source_key"], name="success_one_per_event"),
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(kind="eerste_betaalde_maand"),
                name="success_one_first_paid_month",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["akkoord_inwoner", "gepubliceerd"])
                | (~Q(text="") & Q(consent_recorded_by__isnull=False) & Q(consent_recorded_at__isnull=False)),
                name="success_shared_only_with_approval",
            ),
            models.CheckConstraint(
                condition=~Q(status="gepubliceerd") | Q(published_at__isnull=False),
                name="success_published_at",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "-happened_on"], name="success_shared_list"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.happened_on}"
