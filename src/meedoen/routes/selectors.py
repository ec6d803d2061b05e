"""Reads of the route, scoped like the resident file; reading a route is in the processing log."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability, suppress_small
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.catalogue import selectors as catalogue_selectors
from meedoen.catalogue.models import ProgressReport, Proposal
from meedoen.errors import RuleError
from meedoen.residents.models import ExperimentArm, LegalBasis, Resident
from meedoen.residents.selectors import (
    overdue_plan_actions,
    plan_of,
    review_rhythm,
    visible_domains_of,
    visible_residents,
)
from meedoen.routes import transitions
from meedoen.routes.labels import PHASE_LABELS
from meedoen.routes.models import ReorientationRequest, Review, Route, RouteRules, Step, StepReason


def rules_for(municipality_id: uuid.UUID) -> transitions.Rules:
    """A municipality's route rules: its own when the functioneel beheerder set them, else the defaults."""
    row = RouteRules.objects.filter(municipality_id=municipality_id).first()
    if row is None:
        return transitions.DEFAULT_RULES
    return transitions.rules_from_data(row.allowed, row.review_months, row.fallback_months)


def effective_steps(route: Route) -> list[Step]:
    """The steps that count, in order: a corrected step is replaced by its correction."""
    steps = list(
        route.steps.select_related("proposal__placement", "decided_by").order_by("starts_on", "recorded_at")
    )
    corrected = {s.corrects_id for s in steps if s.corrects_id}
    return [s for s in steps if s.pk not in corrected]


def current_phases(
    municipality_id: uuid.UUID, resident_ids: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, str]:
    """The phase each resident is in now on their open route (the last step that counts), by resident id; a
    resident without an open route is missing. For residents the caller has already scoped (all of the
    municipality, or ``resident_ids``); the caller writes the processing log of the read it serves."""
    steps = Step.objects.filter(
        route__municipality_id=municipality_id, route__closed_on__isnull=True, corrected_by__isnull=True
    )
    if resident_ids is not None:
        steps = steps.filter(route__resident_id__in=resident_ids)
    # In step order, so a later step overwrites an earlier one.
    return dict(steps.order_by("starts_on", "recorded_at").values_list("route__resident_id", "phase"))


@dataclass(frozen=True)
class RouteFile:
    resident: Resident
    route: Route | None  # the open route, or the latest closed one (or the earlier route asked for)
    # every step of that route, corrected ones included (marked); ``step.shown_placement`` is the title of
    # its placement, or "" when the placement belongs to a domain the actor may not see
    steps: list[Step]
    corrected_ids: set[uuid.UUID]
    current: Step | None
    periods: list[transitions.Period]
    next_review_on: dt.date | None  # the plan's date (the one every screen shows), while the route is open
    review_rhythm: ExperimentArm | None  # the experiment's arm whose rhythm that date follows, if any
    reviews: list[Review]
    limit_10a: transitions.Limit10a | None
    may_fall_back: bool
    earlier: list[Route]  # the resident's other routes, newest first
    accepted_proposals: list[Proposal]
    allowed_next: list[str]


def _periods(steps: list[Step], closed_on: dt.date | None) -> list[transitions.Period]:
    periods = []
    for index, step in enumerate(steps):
        end = steps[index + 1].starts_on if index + 1 < len(steps) else closed_on
        periods.append(transitions.Period(step.phase, step.starts_on, end))
    return periods


def access_route(resident: Resident, actor: Actor, *, route_id: uuid.UUID | None = None) -> RouteFile:
    """The route of a resident whose file the actor may open (scoped by the caller through the residents
    selectors): the open one, else the latest; with ``route_id`` one of the resident's routes (an earlier
    one, e.g. before a fall-back), 404 for any other id. Logged as a read."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    today = timezone.localdate()
    rules = rules_for(actor.municipality_id)
    routes = list(Route.objects.filter(resident=resident).order_by("-opened_on", "-created_at"))
    if route_id is not None:
        route = next((r for r in routes if r.pk == route_id), None)
        if route is None:
            raise Http404
    else:
        route = next((r for r in routes if r.closed_on is None), routes[0] if routes else None)
    steps = list(route.steps.select_related("proposal__placement", "decided_by")) if route else []
    corrected = {s.corrects_id for s in steps if s.corrects_id}
    effective = [s for s in steps if s.pk not in corrected]
    current = effective[-1] if effective and route and route.closed_on is None else None
    reviews = list(route.reviews.select_related("held_by")) if route else []
    periods = _periods(effective, route.closed_on if route else None)
    next_review = plan_of(resident).review_on if current is not None else None
    rhythm = review_rhythm(resident, today) if current is not None else None
    visible = visible_domains_of(resident, actor)
    for step in steps:
        shown = step.proposal is not None and step.proposal.domain in visible
        step.shown_placement = step.proposal.placement.title if shown else ""  # type: ignore[union-attr,attr-defined]
    log.record(actor, LogAction.VIEW, Purpose.GUIDANCE, [resident.pk])
    return RouteFile(
        resident=resident,
        route=route,
        steps=steps,
        corrected_ids=corrected,
        current=current,
        periods=periods,
        next_review_on=next_review,
        review_rhythm=rhythm,
        reviews=reviews,
        limit_10a=transitions.limit_10a(rules, periods, resident.date_of_birth, today) if current else None,
        may_fall_back=bool(
            route
            and route.closed_on
            and transitions.can_fall_back(rules, route.outcome, route.closed_on, today)
        ),
        earlier=[r for r in routes if r != route],
        # A step into a placement may only name a proposal of a domain the actor sees (their own, or the
        # other one with the resident's consent).
        accepted_proposals=_accepted_proposals(resident, visible),
        allowed_next=[p for p in transitions.PHASES if current and p in rules.allowed.get(current.phase, ())],
    )


def _accepted_proposals(resident: Resident, visible: set[str]) -> list[Proposal]:
    return list(
        Proposal.objects.filter(
            resident=resident, status=Proposal.Status.ACCEPTED, domain__in=visible
        ).select_related("placement")
    )


@dataclass(frozen=True)
class RouteForChange:
    route: Route
    accepted_proposals: list[Proposal]  # of the domains the actor sees, for a step into a placement
    current: Step
    allowed_next: list[str]


def open_route_for_change(resident: Resident, actor: Actor) -> RouteForChange:
    """The open route a write is about (the resident scoped by the caller through the residents
    selectors); not logged as a read: the action logs the write, and the answer is read with
    ``access_route``."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    route = Route.objects.filter(resident=resident, closed_on__isnull=True).first()
    if route is None:
        raise RuleError(None, "Deze inwoner heeft geen open route.")
    current = effective_steps(route)[-1]
    rules = rules_for(actor.municipality_id)
    return RouteForChange(
        route,
        _accepted_proposals(resident, visible_domains_of(resident, actor)),
        current,
        [p for p in transitions.PHASES if p in rules.allowed.get(current.phase, ())],
    )


def access_step(route: Route, step_id: uuid.UUID) -> Step:
    try:
        return Step.objects.select_related("route__resident").get(pk=step_id, route=route)
    except (Step.DoesNotExist, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class DueReview:
    resident: Resident
    phase: str
    due_on: dt.date | None  # the plan's date; None: the route has no review date (set one)
    overdue: bool
    limit_10a: transitions.Limit10a | None

    @property
    def phase_name(self) -> str:
        return PHASE_LABELS[self.phase]


def reviews_due(actor: Actor, *, within_days: int = 14) -> list[DueReview]:
    """The worklist: open routes of the caseworker's own caseload whose review (the plan's date, the same one
    the file and the caseload show) is due within two weeks, overdue or missing, and residents near the
    art. 10a limit; logged as one search."""
    if not actor.may(Capability.VIEW_CASELOAD) or actor.domain is None:
        raise PermissionDenied
    rows = _due_reviews(actor, within_days)
    if rows:
        log.record(actor, LogAction.SEARCH, Purpose.GUIDANCE, [row.resident.pk for row in rows])
    return rows


def _due_reviews(actor: Actor, within_days: int) -> list[DueReview]:
    """The rows of ``reviews_due``, unlogged: its callers log the search."""
    today = timezone.localdate()
    rules = rules_for(actor.municipality_id)
    own = (
        Q(caseworker_work=actor.user) if actor.domain == "participatiewet" else Q(caseworker_care=actor.user)
    )
    residents = visible_residents(actor).filter(own)
    routes = Route.objects.filter(resident__in=residents, closed_on__isnull=True).select_related(
        "resident", "resident__plan"
    )
    rows = []
    for route in routes.prefetch_related("steps"):
        steps = sorted(route.steps.all(), key=lambda s: (s.starts_on, s.recorded_at))
        corrected = {s.corrects_id for s in steps if s.corrects_id}
        effective = [s for s in steps if s.pk not in corrected]
        current = effective[-1]
        plan = getattr(route.resident, "plan", None)
        due = plan.review_on if plan is not None else None
        limit = transitions.limit_10a(rules, _periods(effective, None), route.resident.date_of_birth, today)
        if due is None or due <= today + dt.timedelta(days=within_days) or (limit and limit.warn):
            rows.append(DueReview(route.resident, current.phase, due, due is not None and due < today, limit))
    rows.sort(key=lambda row: (row.due_on or dt.date.min, row.resident.family_name))
    return rows


def count_fall_backs(actor: Actor) -> int | None:
    """Returns after paid work under the fall-back guarantee, for the programme dashboard (small counts
    hidden)."""
    if not actor.may(Capability.VIEW_AGGREGATES):
        raise PermissionDenied
    return suppress_small(
        Route.objects.filter(municipality_id=actor.municipality_id, is_fall_back=True).count()
    )


def incoming_requests(actor: Actor) -> list[ReorientationRequest]:
    """Open requests from the other domain to the actor's domain (name and reason only); logged."""
    if not actor.may(Capability.VIEW_CASELOAD) or actor.domain is None:
        raise PermissionDenied
    requests = list(
        ReorientationRequest.objects.filter(
            municipality_id=actor.municipality_id,
            to_domain=actor.domain,
            status=ReorientationRequest.Status.OPEN,
        ).select_related("resident", "requested_by")
    )
    if requests:
        log.record(actor, LogAction.SEARCH, Purpose.GUIDANCE, [r.resident_id for r in requests])
    return requests


def requests_about(resident: Resident) -> list[ReorientationRequest]:
    """Requests about a resident whose route the caller already shows (and logged)."""
    return list(resident.reorientation_requests.select_related("requested_by", "answered_by", "provider"))


def access_request(request_id: uuid.UUID, actor: Actor) -> ReorientationRequest:
    """An open or answered request addressed to the actor's domain in their municipality."""
    if not actor.may(Capability.VIEW_CASELOAD) or actor.domain is None:
        raise PermissionDenied
    try:
        return ReorientationRequest.objects.select_related("resident").get(
            pk=request_id, municipality_id=actor.municipality_id, to_domain=actor.domain
        )
    except (ReorientationRequest.DoesNotExist, ValueError):
        raise Http404 from None


def requests_for_provider(actor: Actor) -> list[ReorientationRequest]:
    """Requests to the actor's werkleerbedrijf in their municipality (name and reason only); logged."""
    provider = catalogue_selectors.provider_of(actor)
    requests = list(
        ReorientationRequest.objects.filter(
            municipality_id=actor.municipality_id, provider=provider, to_domain="werkleerbedrijf"
        ).select_related("resident", "requested_by")[:50]
    )
    if requests:
        log.record(actor, LogAction.SEARCH, Purpose.GUIDANCE, [r.resident_id for r in requests])
    return requests


def access_provider_request(request_id: uuid.UUID, actor: Actor) -> ReorientationRequest:
    provider = catalogue_selectors.provider_of(actor)
    try:
        return ReorientationRequest.objects.select_related("resident").get(
            pk=request_id, municipality_id=actor.municipality_id, provider=provider
        )
    except (ReorientationRequest.DoesNotExist, ValueError):
        raise Http404 from None


# ------------------------------------------------------------------------------ the caseworker's worklist

WORKLIST_ANSWERED_DAYS = 14
WORKLIST_BASES_ENDING_WEEKS = 8
WORKLIST_LINES = 10  # lines shown per section; its count is of all


@dataclass(frozen=True)
class WorklistSection:
    lines: list  # of PlanAction, LegalBasis, Proposal or ProgressReport, with their resident loaded
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.lines)


@dataclass(frozen=True)
class Worklist:
    """What a caseworker has to act on in their own caseload."""

    reviews: list[DueReview]  # reviews due within two weeks or overdue, as ``reviews_due`` lists them
    overdue_actions: WorklistSection  # agreements (afspraken) past their date, not done, not voluntary
    answered_proposals: WorklistSection  # accepted or declined by the provider in the last two weeks
    waiting_proposals: WorklistSection  # sent, no answer yet
    ending_bases: WorklistSection  # legal bases of the own domain ending within eight weeks
    new_reports: WorklistSection  # providers' progress reports of the last two weeks


def _section(rows: list) -> WorklistSection:
    return WorklistSection(rows[:WORKLIST_LINES], len(rows))


def caseworker_worklist(actor: Actor) -> Worklist:
    """The start page of a caseworker: the residents of their own caseload (as ``visible_residents`` scopes
    them) with something to do, per kind of work. Proposals and reports only of the actor's own domain: a
    proposal of the other domain is not theirs to follow up. Logged as one search with the residents shown,
    the reviews due included."""
    if not actor.may(Capability.VIEW_CASELOAD) or actor.domain is None:
        raise PermissionDenied
    today = timezone.localdate()
    since = timezone.now() - dt.timedelta(days=WORKLIST_ANSWERED_DAYS)
    own = (
        Q(caseworker_work=actor.user) if actor.domain == "participatiewet" else Q(caseworker_care=actor.user)
    )
    residents = visible_residents(actor).filter(own).values("pk")
    actions = (
        # Past their date and not done; an agreement an experiment made voluntary is not chased.
        overdue_plan_actions(today)
        .filter(plan__resident__in=residents)
        .select_related("plan__resident")
        .order_by("due_on", "plan__resident__family_name", "id")
    )
    proposals = Proposal.objects.filter(
        municipality_id=actor.municipality_id, resident__in=residents, domain=actor.domain
    ).select_related("resident", "placement__provider")
    answered = proposals.filter(
        status__in=[Proposal.Status.ACCEPTED, Proposal.Status.DECLINED], decided_at__gte=since
    ).order_by("-decided_at", "id")
    waiting = proposals.filter(status=Proposal.Status.SENT).order_by("proposed_at", "id")
    bases = (
        LegalBasis.objects.filter(
            resident__in=residents,
            domain=actor.domain,
            end_date__gte=today,
            end_date__lte=today + dt.timedelta(weeks=WORKLIST_BASES_ENDING_WEEKS),
        )
        .select_related("resident")
        .order_by("end_date", "resident__family_name", "id")
    )
    reports = (
        ProgressReport.objects.filter(
            seat__resident__in=residents, seat__proposal__domain=actor.domain, recorded_at__gte=since
        )
        .select_related("seat__resident", "seat__placement__provider")
        .order_by("-recorded_at", "id")
    )
    worklist = Worklist(
        reviews=_due_reviews(actor, 14),
        overdue_actions=_section(list(actions)),
        answered_proposals=_section(list(answered)),
        waiting_proposals=_section(list(waiting)),
        ending_bases=_section(list(bases)),
        new_reports=_section(list(reports)),
    )
    shown = [
        *(row.resident.pk for row in worklist.reviews),
        *(a.plan.resident_id for a in worklist.overdue_actions.lines),
        *(p.resident_id for p in worklist.answered_proposals.lines),
        *(p.resident_id for p in worklist.waiting_proposals.lines),
        *(b.resident_id for b in worklist.ending_bases.lines),
        *(r.seat.resident_id for r in worklist.new_reports.lines),
    ]
    if shown:
        log.record(actor, LogAction.SEARCH, Purpose.GUIDANCE, shown)
    return worklist


@dataclass(frozen=True)
class RouteEvent:
    """A step of a resident's route or a return under the fall-back guarantee, as the budget shows it beside
    a commitment: visible there, it moves no money by itself."""

    on: dt.date
    text: str
    is_back: bool
    is_fall_back: bool


def route_events_between(
    resident_id: uuid.UUID, municipality_id: uuid.UUID, start: dt.date, end: dt.date
) -> list[RouteEvent]:
    """The steps that count (a corrected step replaced by its correction) of a resident between ``start``
    and ``end``, a return under the fall-back guarantee among them, in date order. For a resident the caller
    has already scoped to its municipality and right (the budget's commitment page); the caller writes the
    processing log."""
    steps = (
        Step.objects.filter(
            route__resident_id=resident_id,
            route__municipality_id=municipality_id,
            corrected_by__isnull=True,
            starts_on__range=(start, end),
        )
        .select_related("route")
        .order_by("starts_on", "recorded_at")
    )
    return [
        RouteEvent(
            on=step.starts_on,
            text=f"{step.get_phase_display()}: {step.get_reason_display()}",
            is_back=step.is_back,
            is_fall_back=step.reason == StepReason.FALL_BACK,
        )
        for step in steps
    ]
