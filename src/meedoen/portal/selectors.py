"""What the resident sees of their own file in the portal, and what of the portal the caseworker sees.

Every portal page starts from ``residents.selectors.access_own_file`` (the resident's own file, in the
municipality they logged in to, written to the processing log as *inzage door de inwoner zelf*); what the
page reads after that is about the same resident. What the pages show of the file follows ``portal.shown``,
the rule the copy of the resident's data follows too: no staff texts (working notes, a step's explanation,
review notes, a ladder rationale, a consent's note)."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.http import Http404
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.accounts.models import ROLE_LABELS
from meedoen.accounts.policies import Capability, Role
from meedoen.audit import log
from meedoen.audit.models import LogAction, ProcessingLogEntry, Purpose
from meedoen.catalogue.models import Placement, ProviderStaff, Seat
from meedoen.catalogue.selectors import catalogue_placements
from meedoen.portal.models import CorrectionRequest, DataExport, OwnWords, PlaceInterest, PortalSettings
from meedoen.residents import rules as resident_rules
from meedoen.residents.models import Consent, PlanAction, Resident
from meedoen.residents.selectors import (
    access_own_file,
    plan_of,
    visible_domains_of,
    visible_residents,
    voluntary_agreement,
)
from meedoen.routes.models import Review, Route, Step
from meedoen.routes.selectors import effective_steps

# The resident's own actions are in the log too; the "who looked" page shows the others, newest first.
LOOKED_LIMIT = 100


def own_file(actor: Actor) -> Resident:
    """The resident's own file (404 without one, 403 for staff), logged as the resident's own look."""
    return access_own_file(actor)


@dataclass(frozen=True)
class Caseworker:
    role: str
    name: str
    email: str


@dataclass(frozen=True)
class ActionRow:
    action: PlanAction
    overdue: bool
    voluntary: bool = False  # an experiment's arm exempts the resident: their own agreements are not chased


@dataclass(frozen=True)
class MyPlan:
    goals: str
    review_on: dt.date | None
    open_actions: list[ActionRow]
    done_actions: list[PlanAction]
    overdue_count: int
    current_seat: Seat | None
    phase: str
    caseworkers: list[Caseworker]


def caseworkers_of(resident: Resident) -> list[Caseworker]:
    people = [
        (ROLE_LABELS[Role.CASEWORKER_WORK], resident.caseworker_work),
        (ROLE_LABELS[Role.CASEWORKER_CARE], resident.caseworker_care),
    ]
    return [
        Caseworker(role=str(role), name=user.display_name(), email=user.email)
        for role, user in people
        if user is not None
    ]


def my_plan(resident: Resident, today: dt.date) -> MyPlan:
    plan = plan_of(resident)
    actions = (
        []
        if plan._state.adding
        else list(
            PlanAction.objects.filter(plan=plan).annotate(
                is_voluntary=ExpressionWrapper(voluntary_agreement(today), output_field=BooleanField())
            )
        )
    )
    open_rows = [
        ActionRow(a, a.due_on < today and not a.is_voluntary, a.is_voluntary)
        for a in actions
        if a.done_on is None
    ]
    open_rows.sort(key=lambda row: row.action.due_on)
    seat = (
        Seat.objects.filter(resident=resident, ended_on__isnull=True)
        .select_related("placement__provider")
        .order_by("-starts_on")
        .first()
    )
    route = Route.objects.filter(resident=resident, closed_on__isnull=True).first()
    steps = effective_steps(route) if route else []
    return MyPlan(
        goals=plan.goals,
        review_on=plan.review_on,
        open_actions=open_rows,
        done_actions=sorted((a for a in actions if a.done_on), key=lambda a: a.done_on, reverse=True),  # type: ignore[arg-type,return-value]
        overdue_count=sum(1 for row in open_rows if row.overdue),
        current_seat=seat,
        phase=steps[-1].phase if steps else "",
        caseworkers=caseworkers_of(resident),
    )


@dataclass(frozen=True)
class RouteMoment:
    """One line of the route as the resident reads it: a step (forward or back) or a review."""

    on: dt.date
    kind: str  # "stap" or "bespreking"
    phase: str
    is_back: bool = False
    reason: str = ""
    decision: str = ""
    place: str = ""


@dataclass(frozen=True)
class MyRoute:
    route: Route | None
    moments: list[RouteMoment]
    phase: str
    next_review_on: dt.date | None
    earlier: list[Route] = field(default_factory=list)


def my_route(resident: Resident) -> MyRoute:
    routes = list(Route.objects.filter(resident=resident).order_by("-opened_on", "-created_at"))
    route = next((r for r in routes if r.closed_on is None), routes[0] if routes else None)
    if route is None:
        return MyRoute(route=None, moments=[], phase="", next_review_on=None)
    steps: list[Step] = effective_steps(route)
    moments = [
        RouteMoment(
            on=step.starts_on,
            kind="stap",
            phase=step.phase,
            is_back=step.is_back,
            reason=step.get_reason_display(),
            place=step.proposal.placement.title if step.proposal else "",
        )
        for step in steps
    ]
    moments += [
        RouteMoment(
            on=review.held_on, kind="bespreking", phase=review.phase, decision=review.get_decision_display()
        )
        for review in Review.objects.filter(route=route)
    ]
    moments.sort(key=lambda m: (m.on, m.kind != "stap"))
    current = steps[-1].phase if steps and route.closed_on is None else ""
    return MyRoute(
        route=route,
        moments=moments,
        phase=current,
        next_review_on=plan_of(resident).review_on if current else None,
        earlier=[r for r in routes if r != route],
    )


def interests_of(resident: Resident) -> dict[uuid.UUID, PlaceInterest]:
    return {i.placement_id: i for i in PlaceInterest.objects.filter(resident=resident)}


def own_interests(resident: Resident) -> list[PlaceInterest]:
    return list(PlaceInterest.objects.filter(resident=resident).select_related("placement__provider"))


def placement_for_resident(placement_id: uuid.UUID, actor: Actor) -> Placement:
    """A place of the resident's municipality's catalogue (contract running): 404 for any other."""
    try:
        return catalogue_placements(actor).get(pk=placement_id)
    except (Placement.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def access_own_interest(placement_id: uuid.UUID, resident: Resident) -> PlaceInterest:
    """The resident's mark on a place (404 when they have none there)."""
    try:
        return PlaceInterest.objects.select_related("resident").get(
            placement_id=placement_id, resident=resident
        )
    except (PlaceInterest.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def own_words_of(resident: Resident) -> OwnWords | None:
    return OwnWords.objects.filter(resident=resident).first()


@dataclass(frozen=True)
class ConsentPart:
    """One part of the file the resident may share with the other domain."""

    shared_domain: str
    consent: Consent | None  # the open consent, if given
    has_part: bool  # the resident has a legal basis (now or before) in this domain


def consent_parts(resident: Resident) -> list[ConsentPart]:
    today = timezone.localdate()
    consents = list(Consent.objects.filter(resident=resident))
    domains = set(resident.legal_bases.values_list("domain", flat=True))
    parts = []
    for domain in ("participatiewet", "wmo"):
        open_consent = next(
            (
                c
                for c in consents
                if c.shared_domain == domain and (c.withdrawn_on is None or c.withdrawn_on > today)
            ),
            None,
        )
        parts.append(ConsentPart(domain, open_consent, domain in domains))
    return parts


def open_consent(resident: Resident, consent_id: uuid.UUID) -> Consent:
    try:
        return Consent.objects.select_related("resident").get(
            pk=consent_id, resident=resident, withdrawn_on__isnull=True
        )
    except (Consent.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


@dataclass(frozen=True)
class Look:
    """One entry of the processing log about the resident, as the resident reads it."""

    occurred_at: dt.datetime
    organisation: str
    role: str
    person: str  # empty unless the municipality shows staff names
    action: str
    purpose: str
    part: str


def shows_staff_names(municipality_id: uuid.UUID) -> bool:
    """Whether the municipality shows residents the names of the staff who looked at their file (its
    portal setting, default off: organisation and role only)."""
    settings_row = PortalSettings.objects.filter(municipality_id=municipality_id).first()
    return bool(settings_row and settings_row.show_staff_names)


def portal_settings(actor: Actor) -> PortalSettings:
    """The portal's setting of the actor's municipality, for the functioneel beheerder (unsaved: the
    default, names not shown)."""
    if not actor.may(Capability.CONFIGURE_PROGRAMME):
        raise PermissionDenied
    found = PortalSettings.objects.filter(municipality_id=actor.municipality_id).first()
    return found or PortalSettings(municipality_id=actor.municipality_id)


def describe_looks(entries: list[ProcessingLogEntry], resident: Resident) -> list[Look]:
    """Processing-log entries about the resident as the resident reads them, on the page *Wie keek er* and
    in the copy of their data: organisation and role always, the person's name only where the municipality
    shows it (``shows_staff_names``)."""
    from meedoen.audit.endpoints import endpoint_label

    show_names = shows_staff_names(resident.municipality_id)
    provider_actor_ids = {e.actor_id for e in entries if e.actor_role == Role.PROVIDER and e.actor_id}
    providers = (
        dict(
            ProviderStaff.objects.filter(
                membership__user_id__in=provider_actor_ids,
                membership__municipality_id=resident.municipality_id,
            ).values_list("membership__user_id", "provider__name")
        )
        if provider_actor_ids
        else {}
    )
    looks = []
    for entry in entries:
        if entry.actor_role == Role.PROVIDER:
            organisation = (entry.actor_id and providers.get(entry.actor_id)) or str(
                ROLE_LABELS[Role.PROVIDER]
            )
        elif entry.actor_id is None:
            organisation = "Meedoen"
        else:
            organisation = f"Gemeente {entry.municipality.name}"
        looks.append(
            Look(
                occurred_at=entry.occurred_at,
                organisation=organisation,
                role=entry.get_actor_role_display() if entry.actor_role else "",
                person=entry.actor.display_name() if show_names and entry.actor else "",
                action=entry.get_action_display(),
                purpose=entry.get_purpose_display(),
                part=endpoint_label(entry.endpoint),
            )
        )
    return looks


def who_looked(resident: Resident, actor: Actor) -> tuple[list[Look], bool]:
    """The processing-log entries about the resident by others, newest first (at most ``LOOKED_LIMIT``),
    and whether there are more (``describe_looks``). The resident's own looks are left out."""
    entries = list(
        ProcessingLogEntry.objects.filter(
            municipality_id=resident.municipality_id, subjects__resident_id=resident.pk
        )
        .exclude(actor_id=actor.user.pk)
        .select_related("actor", "municipality")
        .order_by("-occurred_at", "-id")[: LOOKED_LIMIT + 1]
    )
    return describe_looks(entries[:LOOKED_LIMIT], resident), len(entries) > LOOKED_LIMIT


def own_corrections(resident: Resident) -> list[CorrectionRequest]:
    return list(CorrectionRequest.objects.filter(resident=resident))


def own_exports(resident: Resident) -> list[DataExport]:
    return list(DataExport.objects.filter(resident=resident).defer("data_json", "data_pdf")[:5])


def latest_own_export(resident: Resident) -> DataExport | None:
    """The resident's newest finished copy, with its files."""
    return (
        DataExport.objects.select_related("resident")
        .filter(resident=resident, status=DataExport.Status.DONE)
        .order_by("-finished_at")
        .first()
    )


def export_is_stale(export: DataExport, now: dt.datetime) -> bool:
    """A job still unfinished ``DataExport.STUCK_AFTER`` after it was asked for is shown as failed (the
    worker may be down); asking for a new copy marks it failed (``actions.do_request_export``)."""
    return export.status in (DataExport.Status.WAITING, DataExport.Status.RUNNING) and (
        now - export.requested_at > DataExport.STUCK_AFTER
    )


# ------------------------------------------------------------------ what the caseworker sees of the portal


@dataclass(frozen=True)
class PortalRequests:
    conversations: list[PlaceInterest]
    corrections: list[CorrectionRequest]

    @property
    def count(self) -> int:
        return len(self.conversations) + len(self.corrections)


def _own_caseload(actor: Actor) -> QuerySet[Resident]:
    field_name = "caseworker_work" if actor.domain == "participatiewet" else "caseworker_care"
    return Resident.objects.filter(municipality_id=actor.municipality_id, **{field_name: actor.user.pk})


def _seen_corrections(corrections: list[CorrectionRequest], actor: Actor) -> list[CorrectionRequest]:
    """The requests about a part of the file the actor sees: the shared file, their own domain, and the
    other domain only with the resident's consent (``residents.selectors.visible_domains_of``)."""
    domains: dict[uuid.UUID, set[str]] = {}
    seen = []
    for correction in corrections:
        if correction.domain and correction.domain != actor.domain:
            if correction.resident_id not in domains:
                domains[correction.resident_id] = visible_domains_of(correction.resident, actor)
            if correction.domain not in domains[correction.resident_id]:
                continue
        seen.append(correction)
    return seen


def requests_for_caseworker(actor: Actor) -> PortalRequests:
    """Open requests from residents of the caseworker's own caseload: a conversation about a place, a
    correction of the file. For the worklist; logged with the residents it names."""
    if not actor.may(Capability.VIEW_CASELOAD) or actor.domain is None:
        raise PermissionDenied
    caseload = _own_caseload(actor)
    conversations = list(
        PlaceInterest.objects.filter(
            resident__in=caseload, conversation_asked_at__isnull=False, answered_at__isnull=True
        )
        .select_related("resident", "placement")
        .order_by("conversation_asked_at")
    )
    corrections = _seen_corrections(
        list(
            CorrectionRequest.objects.filter(resident__in=caseload, status=CorrectionRequest.Status.OPEN)
            .select_related("resident")
            .order_by("asked_at")
        ),
        actor,
    )
    ids = [c.resident_id for c in conversations] + [c.resident_id for c in corrections]
    if ids:
        log.record(actor, LogAction.VIEW, Purpose.GUIDANCE, ids)
    return PortalRequests(conversations=conversations, corrections=corrections)


@dataclass(frozen=True)
class ResidentRequests:
    resident: Resident
    own_words: OwnWords | None
    conversations: list[PlaceInterest]
    corrections: list[CorrectionRequest]


def _staff_resident(resident_id: uuid.UUID, actor: Actor) -> Resident:
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or actor.domain is None:
        raise PermissionDenied
    try:
        return visible_residents(actor).get(pk=resident_id)
    except (Resident.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def requests_of_resident(resident_id: uuid.UUID, actor: Actor) -> ResidentRequests:
    """A resident's portal requests and own words, for a caseworker who may open the file (404 otherwise)."""
    resident = _staff_resident(resident_id, actor)
    log.record(actor, LogAction.VIEW, Purpose.GUIDANCE, [resident.pk])
    return ResidentRequests(
        resident=resident,
        own_words=own_words_of(resident),
        conversations=list(
            PlaceInterest.objects.filter(resident=resident, conversation_asked_at__isnull=False)
            .select_related("placement", "answered_by")
            .order_by("-conversation_asked_at")
        ),
        corrections=_seen_corrections(
            list(
                CorrectionRequest.objects.filter(resident=resident).select_related("resident", "answered_by")
            ),
            actor,
        ),
    )


def access_conversation(resident_id: uuid.UUID, placement_id: uuid.UUID, actor: Actor) -> PlaceInterest:
    """A resident's request for a conversation about a place, for a caseworker who may open the file."""
    resident = _staff_resident(resident_id, actor)
    try:
        return PlaceInterest.objects.select_related("resident").get(
            resident=resident, placement_id=placement_id, conversation_asked_at__isnull=False
        )
    except (PlaceInterest.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def access_correction(request_id: uuid.UUID, actor: Actor) -> CorrectionRequest:
    """A resident's request to correct their file, for a caseworker who may open the file and sees the part
    it is about (404 otherwise)."""
    try:
        request = CorrectionRequest.objects.select_related("resident").get(
            pk=request_id, municipality_id=actor.municipality_id
        )
    except (CorrectionRequest.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    _staff_resident(request.resident_id, actor)
    if not _seen_corrections([request], actor):
        raise Http404  # about a part of the other domain, which the resident does not share
    return request


def consented_domains_of(resident: Resident) -> set[str]:
    pairs = Consent.objects.filter(resident=resident).values_list("shared_domain", "withdrawn_on")
    return resident_rules.consented_domains(list(pairs), timezone.localdate())
