"""Every write of the route. The pure state machine (transitions.py) decides what is allowed; these actions
check who acts, lock the route, append the step, push a line to the resident's timeline and write the
processing log, all in one transaction. Steps are never changed: a correction is a new step."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.actions import do_notify
from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.catalogue import selectors as catalogue_selectors
from meedoen.catalogue.actions import do_end_seat
from meedoen.catalogue.models import Proposal, Provider, ProviderKind, Seat
from meedoen.errors import RuleError
from meedoen.residents.actions import (
    do_add_timeline_event,
    do_assign_caseworker,
    do_replan_review_date,
    do_score_ladder,
    do_set_review_date,
)
from meedoen.residents.models import ExperimentArm, Resident, TimelineEvent
from meedoen.residents.rules import WORK, other_domain
from meedoen.residents.selectors import review_rhythm, rhythms_ended
from meedoen.routes import transitions
from meedoen.routes.models import ReorientationRequest, Review, Route, RouteRules, Step, StepReason
from meedoen.routes.selectors import effective_steps, rules_for
from meedoen.routes.transitions import PHASE_NAMES, Refused


def _require(actor: Actor, resident: Resident) -> None:
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or resident.municipality_id != actor.municipality_id:
        raise PermissionDenied


def _timeline(resident: Resident, text: str, actor: Actor, *, domain: str = "", benefit: str = "") -> None:
    """A route line on the shared timeline; a line naming a placement belongs to the proposal's domain, so the
    other domain sees it only with the resident's consent. ``benefit`` is what the line says about the
    benefit: it belongs to the Participatiewet, and the Wmo side sees it only with the resident's consent."""
    do_add_timeline_event(
        resident, kind=TimelineEvent.Kind.ROUTE, text=text, actor=actor, domain=domain,
        detail=benefit, detail_domain=WORK,
    )  # fmt: skip


def _refused(error: Refused) -> RuleError:
    return RuleError(error.field, error.message)


def _rhythm_of(arm: ExperimentArm | None) -> transitions.Rhythm | None:
    if arm is None or not arm.review_every_weeks:
        return None
    return transitions.Rhythm(weeks=arm.review_every_weeks, since=arm.starts_on)


def _rhythm(resident: Resident, on: dt.date | None = None) -> transitions.Rhythm | None:
    """The review rhythm of an experiment's arm the resident takes part in on ``on`` (default today; more
    guidance), if any."""
    return _rhythm_of(review_rhythm(resident, on or timezone.localdate()))


def _push_review_date(route: Route, rules: transitions.Rules, actor: Actor) -> dt.date:
    """The open route owns the resident's next review date: computed from the current phase and the reviews
    held in it (sooner while an experiment's arm asks for more guidance), and pushed into the plan, so the
    file, the caseload and the worklist show the same date."""
    current = effective_steps(route)[-1]
    held = list(route.reviews.filter(phase=current.phase).values_list("held_on", flat=True))
    due = transitions.review_due(rules, current.phase, current.starts_on, held, _rhythm(route.resident))
    do_set_review_date(route.resident, review_on=due, actor=actor)
    return due


def do_replan_review(resident: Resident, *, actor: Actor) -> dt.date | None:
    """What applies to the resident changed: they joined the arm of an experiment with its own review rhythm.
    Plan the open route's next review again (``_push_review_date``); None, and nothing changed, without an
    open route. Called by ``experiments.actions``, which log the write and say it on the timeline. Leaving
    the arm is ``do_replan_review_after_arms``: it keeps a date the caseworker chose."""
    _require(actor, resident)
    rules = rules_for(actor.municipality_id)
    with transaction.atomic():
        route = Route.objects.select_for_update().filter(resident=resident, closed_on__isnull=True).first()
        if route is None:
            return None
        return _push_review_date(route, rules, actor)


REPLAN_ENDPOINT = "task:replan-reviews"
REPLAN_CATCH_UP_DAYS = 7  # the nightly job also catches the arms that ended on a night it did not run


def _replan_after_arms(
    resident: Resident, arms: Iterable[ExperimentArm], on: dt.date, actor: Actor | None
) -> dt.date | None:
    """Inside a transaction: the arms (with their own review rhythm) stopped applying by ``on``. If the plan
    still holds the date such an arm's rhythm gave the open route, plan the route's next review by what
    applies on ``on`` (the phase's interval, or the rhythm of another arm still in force), with a line on the
    timeline. A date a caseworker chose differs from the rhythm's and stays; so does a date replanned before,
    so a second call changes nothing."""
    route = Route.objects.select_for_update().filter(resident=resident, closed_on__isnull=True).first()
    if route is None:
        return None
    rules = rules_for(resident.municipality_id)
    current = effective_steps(route)[-1]
    held = list(route.reviews.filter(phase=current.phase).values_list("held_on", flat=True))

    def due(rhythm: transitions.Rhythm | None) -> dt.date:
        return transitions.review_due(rules, current.phase, current.starts_on, held, rhythm)

    normal = due(_rhythm(resident, on))
    for arm in arms:
        if not arm.review_every_weeks or arm.ends_on is None or arm.ends_on > on:
            continue  # still in force on ``on``: a stop recorded ahead waits for its day (the nightly job)
        text = _("Volgende bespreking opnieuw gepland: het experiment '%(title)s' geldt niet meer.") % {
            "title": arm.experiment_title
        }
        planned = due(_rhythm_of(arm))
        if do_replan_review_date(resident, planned=planned, review_on=normal, text=text, actor=actor):
            return normal
    return None


def do_replan_review_after_arms(
    resident: Resident, arms: Iterable[ExperimentArm], *, actor: Actor | None
) -> dt.date | None:
    """Experiment arms of the resident stopped applying (they stopped, or the experiment was closed): the next
    review the rhythm of such an arm planned goes back to what the route's normal rules plan, today; a date a
    caseworker chose stays (``_replan_after_arms``). An arm whose end lies ahead is left to the nightly job
    (``do_replan_reviews_nightly``). Returns the new date, or None when nothing changed.

    Called by ``experiments.actions``: with the caseworker who records the stop as ``actor``, or None when
    nobody opens the file (closing the experiment); then the caller has scoped the resident and logs."""
    if actor is not None:
        _require(actor, resident)
    with transaction.atomic():
        return _replan_after_arms(resident, list(arms), timezone.localdate(), actor)


def do_replan_reviews_nightly(
    municipality_id: uuid.UUID, *, today: dt.date | None = None, endpoint: str = REPLAN_ENDPOINT
) -> list[uuid.UUID]:
    """The nightly job of one municipality: for every arm with its own review rhythm whose end arrived (a stop
    recorded ahead, up to ``REPLAN_CATCH_UP_DAYS`` back), plan the next review by the normal rules where the
    rhythm's date still stands (``_replan_after_arms``). No person does it: the timeline lines have no author,
    and one processing-log row without an actor (``audit.log.record_job``) names the residents. Running it
    again changes nothing. Returns the residents whose date moved."""
    today = today or timezone.localdate()
    arms: dict[uuid.UUID, list[ExperimentArm]] = {}
    residents: dict[uuid.UUID, Resident] = {}
    after = today - dt.timedelta(days=REPLAN_CATCH_UP_DAYS + 1)
    for arm in rhythms_ended(municipality_id, after=after, on=today):
        arms.setdefault(arm.resident_id, []).append(arm)
        residents[arm.resident_id] = arm.resident
    moved = []
    with transaction.atomic():
        for resident_id, ended in arms.items():
            if _replan_after_arms(residents[resident_id], ended, today, None) is not None:
                moved.append(resident_id)
        if moved:
            log.record_job(municipality_id, LogAction.UPDATE, Purpose.GUIDANCE, moved, endpoint=endpoint)
    return moved


def do_open_route(resident: Resident, *, starts_on: dt.date, actor: Actor) -> Route:
    """A resident starts on the route in its first phase (kennismaken)."""
    _require(actor, resident)
    if starts_on > timezone.localdate():
        raise RuleError("starts_on", "De route kan niet in de toekomst beginnen.")
    rules = rules_for(actor.municipality_id)
    try:
        with transaction.atomic():
            route = Route.objects.create(
                municipality_id=actor.municipality_id,
                resident=resident,
                opened_on=starts_on,
                created_by=actor.user,
            )
            Step.objects.create(
                route=route,
                phase=rules.first_phase,
                starts_on=starts_on,
                reason=StepReason.START,
                decided_by=actor.user,
                recorded_at=timezone.now(),
            )
            _timeline(resident, f"Route begonnen: {PHASE_NAMES[rules.first_phase]}.", actor)
            _push_review_date(route, rules, actor)
    except IntegrityError:
        raise RuleError(None, "Deze inwoner heeft al een open route.") from None
    return route


def _locked_open_route(route: Route) -> Route:
    locked = Route.objects.select_for_update().select_related("resident").get(pk=route.pk)
    if locked.closed_on is not None:
        raise RuleError(None, "Deze route is al beëindigd.")
    return locked


def do_record_step(
    route: Route,
    *,
    phase: str,
    starts_on: dt.date,
    reason: str,
    reason_text: str = "",
    proposal: Proposal | None = None,
    actor: Actor,
) -> Step:
    """A step forward or back. A step back keeps the legal basis, the benefit and the plan as they are."""
    _require(actor, route.resident)
    if reason not in StepReason.values or reason in (StepReason.START, StepReason.FALL_BACK):
        raise RuleError("reason", "Kies een reden voor deze stap.")
    if reason == StepReason.OTHER and not reason_text.strip():
        raise RuleError("reason_text", "Schrijf kort op waarom, als u 'anders' kiest.")
    if proposal is not None and (
        proposal.resident_id != route.resident_id or proposal.status != Proposal.Status.ACCEPTED
    ):
        raise RuleError("proposal", "Kies een geaccepteerd voorstel van deze inwoner.")
    if proposal is not None and starts_on < proposal.start_date:
        raise RuleError(
            "starts_on",
            f"De plek bij {proposal.placement.title} begint op {proposal.start_date:%d-%m-%Y}. "
            f"Een stap naar die plek kan niet eerder beginnen: kies {proposal.start_date:%d-%m-%Y} of later.",
        )
    rules = rules_for(actor.municipality_id)
    with transaction.atomic():
        route = _locked_open_route(route)
        steps = effective_steps(route)
        current = steps[-1]
        try:
            transitions.check_step(rules, current.phase, phase, has_accepted_proposal=proposal is not None)
        except Refused as error:
            raise _refused(error) from None
        if starts_on < current.starts_on:
            raise RuleError("starts_on", "Een stap kan niet beginnen voor de vorige stap.")
        if starts_on > timezone.localdate() + dt.timedelta(days=60):
            raise RuleError("starts_on", "Leg een stap vast als die binnen twee maanden begint.")
        back = transitions.is_step_back(current.phase, phase)
        ended_on = _leave_placement(current, proposal, starts_on, phase, actor)
        step = Step.objects.create(
            route=route,
            phase=phase,
            starts_on=starts_on,
            reason=reason,
            reason_text=reason_text.strip(),
            is_back=back,
            proposal=proposal,
            decided_by=actor.user,
            recorded_at=timezone.now(),
        )
        what = "Stap terug" if back else "Stap"
        place = f" bij {proposal.placement.title}" if proposal else ""
        text = f"{what} naar {PHASE_NAMES[phase]}{place}, vanaf {starts_on:%d-%m-%Y}: "
        text += f"{StepReason(reason).label}."
        if back:
            text += " De grondslag en het plan blijven zoals ze zijn."
        _timeline(
            route.resident, text, actor, domain=proposal.domain if proposal else "",
            benefit="De uitkering blijft ook zoals die is." if back else "",
        )  # fmt: skip
        _push_review_date(route, rules, actor)
    step.placement_ended_on = ended_on
    return step


def _leave_placement(
    current: Step, proposal: Proposal | None, starts_on: dt.date, phase: str, actor: Actor
) -> dt.date | None:
    """A step away from a placement (to another phase without it, or to another placement) ends the seat
    the current step used, so the route and the seats tell the same story."""
    if current.proposal_id is None or (proposal is not None and proposal.pk == current.proposal_id):
        return None
    seat = (
        Seat.objects.filter(proposal_id=current.proposal_id, ended_on__isnull=True)
        .select_related("placement", "resident", "proposal")
        .first()
    )
    if seat is None:
        return None
    ended_on = transitions.placement_ends_on(seat.starts_on, starts_on)
    do_end_seat(seat, ended_on=ended_on, reason=f"Stap naar {PHASE_NAMES[phase]}.", actor=actor)
    return ended_on


def do_correct_step(step: Step, *, phase: str, reason_text: str, actor: Actor) -> Step:
    """Correct the latest step that was recorded wrongly: a new step in its place, the wrong one stays in
    the history, marked as corrected."""
    route = step.route
    _require(actor, route.resident)
    if not reason_text.strip():
        raise RuleError("reason_text", "Schrijf op wat er verkeerd was vastgelegd.")
    rules = rules_for(actor.municipality_id)
    with transaction.atomic():
        route = _locked_open_route(route)
        steps = effective_steps(route)
        if steps[-1].pk != step.pk or len(steps) < 2:
            raise RuleError(None, "Alleen de laatste stap kan worden gecorrigeerd, en niet de start.")
        before = steps[-2]
        try:
            transitions.check_step(
                rules, before.phase, phase, has_accepted_proposal=step.proposal_id is not None
            )
        except Refused as error:
            raise _refused(error) from None
        correction = Step.objects.create(
            route=route,
            phase=phase,
            starts_on=step.starts_on,
            reason=StepReason.CORRECTION,
            reason_text=reason_text.strip(),
            is_back=transitions.is_step_back(before.phase, phase),
            proposal=step.proposal,
            corrects=step,
            decided_by=actor.user,
            recorded_at=timezone.now(),
        )
        _timeline(
            route.resident,
            f"Correctie: de stap naar {PHASE_NAMES[step.phase]} was een stap naar {PHASE_NAMES[phase]}. "
            f"{correction.reason_text}",
            actor,
        )
        _push_review_date(route, rules, actor)
    return correction


def do_end_route(
    route: Route, *, closed_on: dt.date, outcome: str, outcome_text: str = "", actor: Actor
) -> Route:
    _require(actor, route.resident)
    if outcome not in transitions.OUTCOMES:
        raise RuleError("outcome", "Kies hoe de route eindigt.")
    if outcome == "anders" and not outcome_text.strip():
        raise RuleError("outcome_text", "Schrijf kort op waarom, als u 'anders' kiest.")
    with transaction.atomic():
        route = _locked_open_route(route)
        if closed_on < effective_steps(route)[-1].starts_on:
            raise RuleError("closed_on", "De route kan niet eindigen voor de laatste stap.")
        if closed_on > timezone.localdate():
            raise RuleError("closed_on", "De einddatum ligt in de toekomst.")
        route.closed_on = closed_on
        route.outcome = outcome
        route.outcome_text = outcome_text.strip()
        route.save(update_fields=["closed_on", "outcome", "outcome_text"])
        paid_work = outcome == "betaald_werk_zonder_uitkering"
        _timeline(
            route.resident,
            f"Route beëindigd per {closed_on:%d-%m-%Y}: "
            + ("betaald werk." if paid_work else f"{transitions.OUTCOMES[outcome]}."),
            actor,
            benefit="Zonder uitkering." if paid_work else "",
        )
        # The route's reviews stop with it; a caseworker who wants to meet again sets a date in the plan.
        do_set_review_date(route.resident, review_on=None, actor=actor)
    return route


def do_fall_back(resident: Resident, *, starts_on: dt.date, actor: Actor) -> Route:
    """Terugvalgarantie: who left for paid work and returns within the period gets their route back, in the
    phase they had, linked to the earlier route; no new intake."""
    _require(actor, resident)
    rules = rules_for(actor.municipality_id)
    with transaction.atomic():
        last = (
            Route.objects.select_for_update()
            .filter(resident=resident)
            .order_by("-opened_on", "-created_at")
            .first()
        )
        if last is None or last.closed_on is None:
            raise RuleError(None, "Er is geen beëindigde route om naar terug te keren.")
        if not transitions.can_fall_back(rules, last.outcome, last.closed_on, starts_on):
            raise RuleError(
                None,
                f"De terugvalgarantie geldt {rules.fallback_months} maanden na vertrek naar betaald werk. "
                "Open een nieuwe route.",
            )
        phase = transitions.phase_to_return_to([s.phase for s in effective_steps(last)])
        try:
            route = Route.objects.create(
                municipality_id=actor.municipality_id,
                resident=resident,
                opened_on=starts_on,
                previous=last,
                is_fall_back=True,
                created_by=actor.user,
            )
        except IntegrityError:
            raise RuleError(None, "Deze inwoner heeft al een open route.") from None
        Step.objects.create(
            route=route,
            phase=phase,
            starts_on=starts_on,
            reason=StepReason.FALL_BACK,
            decided_by=actor.user,
            recorded_at=timezone.now(),
        )
        _timeline(
            resident,
            f"Terug na betaald werk (terugvalgarantie): de route gaat verder in {PHASE_NAMES[phase]}, "
            "met hetzelfde plan. Geen nieuwe intake nodig.",
            actor,
        )
        _push_review_date(route, rules, actor)
    return route


def do_record_review(
    route: Route, *, held_on: dt.date, progress: str, decision: str, rung: int | None = None, actor: Actor
) -> Review:
    """A review of the route: progress on the plan's goals and a decision; the next review follows from the
    phase's interval (or an experiment's rhythm, ``_push_review_date``)."""
    _require(actor, route.resident)
    if decision not in Review.Decision.values:
        raise RuleError("decision", "Kies een besluit.")
    if not progress.strip():
        raise RuleError("progress", "Schrijf op hoe het gaat met de doelen van het plan.")
    if held_on > timezone.localdate():
        raise RuleError("held_on", "Een bespreking in de toekomst kunt u nog niet vastleggen.")
    rules = rules_for(actor.municipality_id)
    with transaction.atomic():
        route = _locked_open_route(route)
        phase = effective_steps(route)[-1].phase
        review = Review.objects.create(
            route=route,
            held_on=held_on,
            phase=phase,
            progress=progress.strip(),
            decision=decision,
            rung=rung,
            next_review_on=transitions.review_due(rules, phase, held_on, (), _rhythm(route.resident)),
            held_by=actor.user,
            recorded_at=timezone.now(),
        )
        if rung is not None:  # the ladder score of the review goes into the file's ladder history
            do_score_ladder(
                route.resident, rung=rung, scored_on=held_on, rationale=review.progress, actor=actor
            )
        _timeline(
            route.resident,
            f"Bespreking ({PHASE_NAMES[phase]}): {Review.Decision(decision).label}. {review.progress}",
            actor,
        )
        _push_review_date(route, rules, actor)
    return review


DOMAIN_NAMES = {"participatiewet": "werk (Participatiewet)", "wmo": "zorg (Wmo)"}
WERKLEERBEDRIJF = "werkleerbedrijf"


def do_request_reorientation(
    resident: Resident, *, kind: str, reason: str, provider: Provider | None = None, actor: Actor
) -> ReorientationRequest:
    """Ask the other domain (or, with ``provider``, a werkleerbedrijf the municipality works with) to join or
    take over; the request is visible on both sides."""
    _require(actor, resident)
    if actor.domain is None:
        raise PermissionDenied
    if kind not in ReorientationRequest.Kind.values:
        raise RuleError("kind", "Kies wat u vraagt.")
    if not reason.strip():
        raise RuleError("reason", "Schrijf op waarom u het vraagt.")
    to_domain = other_domain(str(actor.domain))
    to_name = DOMAIN_NAMES[to_domain]
    if provider is not None:
        if (
            provider.kind != ProviderKind.SOCIAL_ENTERPRISE
            or not catalogue_selectors.list_providers(actor).filter(pk=provider.pk).exists()
        ):
            raise RuleError("to", "Kies een werkleerbedrijf waar uw gemeente mee werkt.")
        to_domain, to_name = WERKLEERBEDRIJF, provider.name
    try:
        with transaction.atomic():
            request = ReorientationRequest.objects.create(
                municipality_id=actor.municipality_id,
                resident=resident,
                from_domain=str(actor.domain),
                to_domain=to_domain,
                provider=provider,
                kind=kind,
                reason=reason.strip(),
                requested_by=actor.user,
                requested_at=timezone.now(),
            )
            _timeline(
                resident,
                f"Verzoek aan {to_name}: {ReorientationRequest.Kind(kind).label.lower()}. {request.reason}",
                actor,
            )
            if provider is not None:
                for staff in catalogue_selectors.provider_staff_in(provider, actor.municipality_id):
                    do_notify(
                        staff.membership.user,
                        municipality=actor.municipality,
                        # No name: every staff member of the provider sees it, unlogged; the inbox is logged.
                        text="Nieuw verzoek van de gemeente over een route.",
                        url="/aanbieder/#verzoeken",
                    )
    except IntegrityError:
        raise RuleError(None, f"Er staat al een verzoek open bij {to_name}.") from None
    return request


def do_answer_reorientation(
    request: ReorientationRequest, *, accept: bool, answer_text: str, actor: Actor
) -> ReorientationRequest:
    """The asked side answers. A caseworker of the other domain who accepts becomes the resident's
    caseworker there; a werkleerbedrijf that accepts joins or takes over on its side (not in the file)."""
    if request.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if request.to_domain == WERKLEERBEDRIJF:
        if request.provider_id != catalogue_selectors.provider_of(actor).pk:
            raise PermissionDenied
        answered_as = catalogue_selectors.provider_of(actor).name
    elif actor.domain != request.to_domain:
        raise PermissionDenied
    else:
        answered_as = DOMAIN_NAMES[request.to_domain]
    if not accept and not answer_text.strip():
        raise RuleError("answer_text", "Schrijf kort op waarom u het verzoek afwijst.")
    with transaction.atomic():
        request = (
            ReorientationRequest.objects.select_for_update().select_related("resident").get(pk=request.pk)
        )
        if request.status != ReorientationRequest.Status.OPEN:
            raise RuleError(None, "Op dit verzoek is al geantwoord.")
        request.status = (
            ReorientationRequest.Status.ACCEPTED if accept else ReorientationRequest.Status.DECLINED
        )
        request.answered_by = actor.user
        request.answered_at = timezone.now()
        request.answer_text = answer_text.strip()
        request.save(update_fields=["status", "answered_by", "answered_at", "answer_text"])
        if accept and request.to_domain != WERKLEERBEDRIJF:
            do_assign_caseworker(request.resident, domain=request.to_domain, user=actor.user, actor=actor)
        verdict = "geaccepteerd" if accept else "afgewezen"
        do_add_timeline_event(
            request.resident,
            kind=TimelineEvent.Kind.ROUTE,
            text=f"{actor.user.display_name()} ({answered_as}) heeft het verzoek {verdict}."
            + (f" {request.answer_text}" if request.answer_text else ""),
            actor=None,
        )
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [request.resident_id])
        do_notify(
            request.requested_by,
            municipality=actor.municipality,
            text=f"Uw verzoek over een route is {verdict}.",  # no name: the route page, logged, tells whose
            url=f"/inwoners/{request.resident_id}/route/",
        )
    return request


def do_set_route_rules(
    *, allowed: dict[str, list[str]], review_months: dict[str, int], fallback_months: int, actor: Actor
) -> RouteRules:
    """The functioneel beheerder sets the municipality's own route rules."""
    if not actor.may(Capability.CONFIGURE_PROGRAMME):
        raise PermissionDenied
    errors = transitions.check_rules_data(allowed, review_months, fallback_months)
    if errors:
        field, message = errors[0]
        raise RuleError(field, message)
    with transaction.atomic():
        rules, _created = RouteRules.objects.update_or_create(
            municipality_id=actor.municipality_id,
            defaults={
                "allowed": {phase: sorted(targets) for phase, targets in allowed.items()},
                "review_months": review_months,
                "fallback_months": fallback_months,
                "updated_by": actor.user,
            },
        )
    return rules
