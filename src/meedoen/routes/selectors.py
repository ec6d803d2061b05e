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
from meedoen.catalogue.models import Proposal
from meedoen.residents.models import Resident
from meedoen.residents.rules import RuleError
from meedoen.residents.selectors import visible_domains_of, visible_residents
from meedoen.routes import transitions
from meedoen.routes.labels import PHASE_LABELS
from meedoen.routes.models import ReorientationRequest, Review, Route, RouteRules, Step


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


@dataclass(frozen=True)
class RouteFile:
    resident: Resident
    route: Route | None  # the open route, or the latest closed one
    # every step of that route, corrected ones included (marked); ``step.shown_placement`` is the title of
    # its placement, or "" when the placement belongs to a domain the actor may not see
    steps: list[Step]
    corrected_ids: set[uuid.UUID]
    current: Step | None
    periods: list[transitions.Period]
    next_review_on: dt.date | None
    reviews: list[Review]
    limit_10a: transitions.Limit10a | None
    may_fall_back: bool
    earlier: list[Route]
    accepted_proposals: list[Proposal]
    allowed_next: list[str]


def _periods(steps: list[Step], closed_on: dt.date | None) -> list[transitions.Period]:
    periods = []
    for index, step in enumerate(steps):
        end = steps[index + 1].starts_on if index + 1 < len(steps) else closed_on
        periods.append(transitions.Period(step.phase, step.starts_on, end))
    return periods


def access_route(resident: Resident, actor: Actor) -> RouteFile:
    """The route of a resident whose file the actor may open (scoped by the caller through the residents
    selectors); logged as a read."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    today = timezone.localdate()
    rules = rules_for(actor.municipality_id)
    routes = list(Route.objects.filter(resident=resident).order_by("-opened_on", "-created_at"))
    route = next((r for r in routes if r.closed_on is None), routes[0] if routes else None)
    steps = list(route.steps.select_related("proposal__placement", "decided_by")) if route else []
    corrected = {s.corrects_id for s in steps if s.corrects_id}
    effective = [s for s in steps if s.pk not in corrected]
    current = effective[-1] if effective and route and route.closed_on is None else None
    reviews = list(route.reviews.select_related("held_by")) if route else []
    periods = _periods(effective, route.closed_on if route else None)
    next_review = None
    if current is not None:
        since = max([current.starts_on, *[r.held_on for r in reviews if r.phase == current.phase]])
        next_review = transitions.next_review(rules, current.phase, since)
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


def open_route_for_change(resident: Resident, actor: Actor) -> RouteForChange:
    """The open route a write is about (the resident scoped by the caller through the residents
    selectors); not logged as a read: the action logs the write, and the answer is read with
    ``access_route``."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    route = Route.objects.filter(resident=resident, closed_on__isnull=True).first()
    if route is None:
        raise RuleError(None, "Deze inwoner heeft geen open route.")
    return RouteForChange(route, _accepted_proposals(resident, visible_domains_of(resident, actor)))


def access_step(route: Route, step_id: uuid.UUID) -> Step:
    try:
        return Step.objects.select_related("route__resident").get(pk=step_id, route=route)
    except (Step.DoesNotExist, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class DueReview:
    resident: Resident
    phase: str
    due_on: dt.date
    overdue: bool
    limit_10a: transitions.Limit10a | None

    @property
    def phase_name(self) -> str:
        return PHASE_LABELS[self.phase]


def reviews_due(actor: Actor, *, within_days: int = 14) -> list[DueReview]:
    """The worklist: open routes of the caseworker's own caseload whose review is due within two weeks or
    overdue, and residents near the art. 10a limit; logged as one search."""
    if not actor.may(Capability.VIEW_CASELOAD) or actor.domain is None:
        raise PermissionDenied
    today = timezone.localdate()
    rules = rules_for(actor.municipality_id)
    own = (
        Q(caseworker_work=actor.user) if actor.domain == "participatiewet" else Q(caseworker_care=actor.user)
    )
    residents = visible_residents(actor).filter(own)
    routes = Route.objects.filter(resident__in=residents, closed_on__isnull=True).select_related("resident")
    rows = []
    for route in routes.prefetch_related("steps", "reviews"):
        steps = sorted(route.steps.all(), key=lambda s: (s.starts_on, s.recorded_at))
        corrected = {s.corrects_id for s in steps if s.corrects_id}
        effective = [s for s in steps if s.pk not in corrected]
        current = effective[-1]
        held = [r.held_on for r in route.reviews.all() if r.phase == current.phase]
        due = transitions.next_review(rules, current.phase, max([current.starts_on, *held]))
        limit = transitions.limit_10a(rules, _periods(effective, None), route.resident.date_of_birth, today)
        if due <= today + dt.timedelta(days=within_days) or (limit and limit.warn):
            rows.append(DueReview(route.resident, current.phase, due, due < today, limit))
    rows.sort(key=lambda row: (row.due_on, row.resident.family_name))
    if rows:
        log.record(actor, LogAction.SEARCH, Purpose.GUIDANCE, [row.resident.pk for row in rows])
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
