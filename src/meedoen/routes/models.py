"""The route (traject) of a resident: one open route at a time, an append-only history of steps, reviews.

A wrong step is never edited: a correcting step (``corrects``) takes its place in the history. A route that
ended for paid work can be reopened within the fall-back period as a new route linked to the old one."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meedoen.catalogue.models import Proposal
from meedoen.municipalities.models import Municipality
from meedoen.residents.models import Resident
from meedoen.routes.labels import phase_title
from meedoen.routes.transitions import OUTCOMES, PHASE_NAMES

PHASE_CHOICES = [(code, phase_title(name)) for code, name in PHASE_NAMES.items()]
OUTCOME_CHOICES = [(code, name[0].upper() + name[1:]) for code, name in OUTCOMES.items()]


class StepReason(models.TextChoices):
    START = "start", _("Start van de route")
    READY = "klaar_voor_meer", _("Klaar voor een volgende stap")
    TOO_MUCH = "te_zwaar", _("Het was (nu) te zwaar")
    HEALTH = "gezondheid", _("Gezondheid")
    HOME = "thuissituatie", _("Thuissituatie")
    PLACEMENT_ENDED = "plek_gestopt", _("De plek stopte")
    REVIEW = "bespreking", _("Besluit in een bespreking")
    CORRECTION = "correctie", _("Correctie van een verkeerd vastgelegde stap")
    FALL_BACK = "terugval", _("Terugvalgarantie: terug na betaald werk")
    OTHER = "anders", _("Anders")


class Route(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="routes")
    opened_on = models.DateField(_("begonnen op"))
    closed_on = models.DateField(_("geëindigd op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=40, choices=OUTCOME_CHOICES, blank=True)
    outcome_text = models.CharField(_("toelichting"), max_length=300, blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reopened_as"
    )
    is_fall_back = models.BooleanField(_("terugval"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-created_at"]
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        constraints = [
            models.UniqueConstraint(
                fields=["resident"], condition=Q(closed_on__isnull=True), name="route_one_open_per_resident"
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="route_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(outcome=""), name="route_closed_with_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.opened_on}"


class Step(models.Model):
    """A step of the route into ``phase`` from ``starts_on``. Never changed or removed after it is saved."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="steps")
    phase = models.CharField(_("fase"), max_length=30, choices=PHASE_CHOICES)
    starts_on = models.DateField(_("vanaf"))
    reason = models.CharField(_("reden"), max_length=30, choices=StepReason.choices)
    reason_text = models.TextField(_("toelichting"), blank=True)
    is_back = models.BooleanField(_("stap terug"), default=False)
    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("plek")
    )
    # Not stored: set by ``do_record_step`` on the step it returns, the last day of the placement that step
    # ended (None when it ended none), so the screen says what really happened.
    placement_ended_on: dt.date | None = None
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "recorded_at"]
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")

    def __str__(self) -> str:
        return f"{self.phase} {self.starts_on}"


class Review(models.Model):
    class Decision(models.TextChoices):
        STAY = "blijven", _("Blijven in deze fase")
        FORWARD = "stap_vooruit", _("Stap vooruit")
        BACK = "stap_terug", _("Stap terug")
        PAUSE = "pauze", _("Pauze")
        END = "einde", _("Route beëindigen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(_("gehouden op"))
    phase = models.CharField(_("fase"), max_length=30, choices=PHASE_CHOICES)
    progress = models.TextField(_("voortgang op de doelen van het plan"))
    rung = models.PositiveSmallIntegerField(_("trede op de participatieladder"), null=True, blank=True)
    decision = models.CharField(_("besluit"), max_length=20, choices=Decision.choices)
    next_review_on = models.DateField(_("volgende bespreking"))
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-recorded_at"]
        verbose_name = _("bespreking")
        verbose_name_plural = _("besprekingen")

    def __str__(self) -> str:
        return f"{self.route_id} {self.held_on}"


class ReorientationRequest(models.Model):
    """A caseworker asks a colleague of the other domain, or the werkleerbedrijf, to join the guidance or to
    take it over."""

    class Kind(models.TextChoices):
        JOIN = "meedoen", _("Meedoen in de begeleiding")
        TAKE_OVER = "overnemen", _("De begeleiding overnemen")

    class Status(models.TextChoices):
        OPEN = "open", _("Wacht op antwoord")
        ACCEPTED = "geaccepteerd", _("Geaccepteerd")
        DECLINED = "afgewezen", _("Afgewezen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="reorientation_requests")
    from_domain = models.CharField(max_length=20)
    to_domain = models.CharField(max_length=20)  # participatiewet, wmo, or werkleerbedrijf (then: provider)
    provider = models.ForeignKey(
        "catalogue.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("vraag"), max_length=12, choices=Kind.choices)
    reason = models.TextField(_("waarom"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_text = models.TextField(_("toelichting"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("verzoek aan het andere domein")
        verbose_name_plural = _("verzoeken aan het andere domein")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "to_domain"],
                condition=Q(status="open"),
                name="one_open_request_per_domain",
            )
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} → {self.to_domain}"


class RouteRules(models.Model):
    """A municipality's own route rules (allowed steps, review intervals, fall-back period); without a row the
    defaults of ``transitions.DEFAULT_RULES`` apply."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="route_rules")
    allowed = models.JSONField(default=dict)
    review_months = models.JSONField(default=dict)
    fallback_months = models.PositiveSmallIntegerField(default=12)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("regels van de route")
        verbose_name_plural = _("regels van de route")

    def __str__(self) -> str:
        return str(self.municipality_id)
