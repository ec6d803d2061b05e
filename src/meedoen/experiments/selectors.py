"""Every read of an experiment, scoped to the actor's municipality and rights.

A programme manager (``design_experiments``) sees the experiments of their municipality and only aggregates
of who takes part: counts per arm, the flow, the balance table. A caseworker (``recruit_participants``) sees
the experiments that recruit and, by name, only the eligible residents of their own caseload; that read is
in the processing log with purpose "onderzoek"."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability, Domain, suppress_small
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.experiments import analysis, design
from meedoen.experiments.models import Experiment, Participant
from meedoen.residents.models import LegalBasis, Resident
from meedoen.residents.selectors import visible_domains_of, visible_residents


def _require_any(actor: Actor, *capabilities: Capability) -> None:
    if not any(actor.may(capability) for capability in capabilities):
        raise PermissionDenied


def experiments_of(actor: Actor) -> QuerySet[Experiment]:
    """The experiments the actor may open: all of the municipality for a designer, those that recruit for a
    caseworker."""
    _require_any(actor, Capability.DESIGN_EXPERIMENTS, Capability.RECRUIT_PARTICIPANTS)
    experiments = Experiment.objects.filter(municipality_id=actor.municipality_id)
    if not actor.may(Capability.DESIGN_EXPERIMENTS):
        experiments = experiments.filter(status=Experiment.Status.RECRUITING)
    return experiments


def access_experiment(experiment_id: uuid.UUID, actor: Actor) -> Experiment:
    """404 for an experiment of another municipality (or, for a caseworker, one that does not recruit);
    403 for a role without either capability."""
    experiment = experiments_of(actor).filter(pk=experiment_id).first()
    if experiment is None:
        raise Http404
    return experiment


def experiment_for_design(experiment_id: uuid.UUID, actor: Actor) -> Experiment:
    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    return access_experiment(experiment_id, actor)


def design_of(experiment: Experiment) -> design.Design:
    return design.from_data(experiment.design)


# --- residents: facts, eligibility -------------------------------------------------------------------------


def _residents_with_facts() -> QuerySet[Resident]:
    return Resident.objects.select_related("district").prefetch_related(
        "target_groups", Prefetch("legal_bases", queryset=LegalBasis.objects.order_by("start_date"))
    )


def facts_of(resident: Resident, on: dt.date, domains: set[str] | None = None) -> design.ResidentFacts:
    """What the design reads from the file (the caller has scoped and logs the read). With ``domains``, only
    the legal bases of those domains count: a caseworker's view of the file, so a Wmo-consulent never learns
    from the list that a resident has bijstand (unless the resident shares that part with her)."""
    running = [
        b
        for b in resident.legal_bases.all()
        if (domains is None or b.domain in domains)
        and b.start_date <= on
        and (b.end_date is None or b.end_date >= on)
    ]
    first = min((b.start_date for b in running), default=on)
    return design.ResidentFacts(
        age=design.age_on(resident.date_of_birth, on),
        legal_bases=frozenset(b.kind for b in running),
        months_on_benefit=design.months_between(first, on),
        area=resident.district.area if resident.district else "",
        target_groups=frozenset(group.code for group in resident.target_groups.all()),
        municipality=str(resident.municipality_id),
    )


def _candidates(experiment: Experiment) -> QuerySet[Resident]:
    """Residents of the experiment's municipality with a running legal basis of a kind the design admits:
    a first cut in the database; the other rules are checked in Python on their facts."""
    rules = design_of(experiment).eligibility
    today = timezone.localdate()
    running = LegalBasis.objects.filter(kind__in=rules.legal_bases, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return _residents_with_facts().filter(
        municipality_id=experiment.municipality_id, pk__in=running.values("resident_id")
    )


def eligible_count(experiment: Experiment, actor: Actor) -> int:
    """How many residents of the municipality the rules admit today: a count, no personal data."""
    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    rules = design_of(experiment).eligibility
    today = timezone.localdate()
    return sum(
        1 for r in _candidates(experiment) if not design.reasons_not_eligible(facts_of(r, today), rules)
    )


@dataclass(frozen=True)
class Candidate:
    resident: Resident
    participant: Participant | None


def _own_caseload(actor: Actor) -> QuerySet[Resident]:
    """The caseworker's own caseload, within the residents the permission layer lets them see: residents
    with them as ``caseworker_work`` (klantmanager) or ``caseworker_care`` (Wmo-consulent)."""
    own = (
        Q(caseworker_work_id=actor.user.pk)
        if actor.domain == Domain.WORK
        else Q(caseworker_care_id=actor.user.pk)
    )
    return visible_residents(actor).filter(own)


def _eligible_in_own_caseload(experiment: Experiment, actor: Actor) -> list[Resident]:
    """The residents of the caseworker's own caseload whom the rules admit today, judged on the part of the
    file the caseworker sees (``visible_domains_of``). Reads facts; the caller logs what it shows."""
    rules = design_of(experiment).eligibility
    today = timezone.localdate()
    residents = _candidates(experiment).filter(pk__in=_own_caseload(actor).values("pk"))
    return [
        r
        for r in residents.order_by("family_name", "given_names")
        if not design.reasons_not_eligible(facts_of(r, today, visible_domains_of(r, actor)), rules)
    ]


def recruitment_list(experiment: Experiment, actor: Actor) -> list[Candidate]:
    """The eligible residents of the caseworker's own caseload, with where they stand in the experiment.
    Logged as one read with purpose "onderzoek"."""
    _require_any(actor, Capability.RECRUIT_PARTICIPANTS)
    if experiment.status != Experiment.Status.RECRUITING:
        raise Http404
    residents = _eligible_in_own_caseload(experiment, actor)
    participants = {
        p.resident_id: p
        for p in Participant.objects.filter(experiment=experiment, resident_id__in=[r.pk for r in residents])
    }
    log.record(actor, LogAction.VIEW, Purpose.RESEARCH, [r.pk for r in residents])
    return [Candidate(r, participants.get(r.pk)) for r in residents]


def resident_for_recruitment(experiment: Experiment, resident_id: uuid.UUID, actor: Actor) -> Resident:
    """A resident the caseworker may invite: their own caseload, eligible today; else 404."""
    for candidate in recruitment_list(experiment, actor):
        if candidate.resident.pk == resident_id:
            return candidate.resident
    raise Http404


def participant_for_change(experiment: Experiment, participant_id: uuid.UUID, actor: Actor) -> Participant:
    """A participant of the caseworker's own caseload in this experiment; else 404."""
    _require_any(actor, Capability.RECRUIT_PARTICIPANTS)
    participant = (
        Participant.objects.filter(experiment=experiment, experiment__municipality_id=actor.municipality_id)
        .filter(resident__in=_own_caseload(actor).values("pk"))
        .select_related("resident")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None:
        raise Http404
    return participant


def resident_facts_for_randomisation(resident_id: uuid.UUID) -> design.ResidentFacts:
    """For the randomisation action, which has already scoped the participant and logs the write."""
    resident = _residents_with_facts().get(pk=resident_id)
    return facts_of(resident, timezone.localdate())


# --- aggregates: flow and balance --------------------------------------------------------------------------


@dataclass(frozen=True)
class Flow:
    """The CONSORT flow: eligible → invited → answered → randomised per arm → still taking part → analysed."""

    eligible: int | None
    invited: int | None
    refused: int | None
    waiting: int | None
    randomised: int | None
    per_arm: list[tuple[str, int | None, int | None, int | None]]  # arm name, randomised, stopped, analysed


def flow(experiment: Experiment, actor: Actor) -> Flow:
    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    plan = design_of(experiment)
    participants = list(Participant.objects.filter(experiment=experiment).values_list("status", "arm"))
    per_arm = []
    for arm in plan.arms:
        assigned = [status for status, code in participants if code == arm.code]
        stopped = sum(status == Participant.Status.WITHDRAWN for status in assigned)
        # Intention to treat: everyone randomised is analysed in their arm, also after stopping.
        per_arm.append(
            (arm.name, suppress_small(len(assigned)), suppress_small(stopped), suppress_small(len(assigned)))
        )
    return Flow(
        eligible=eligible_count(experiment, actor),
        invited=suppress_small(len(participants)),
        refused=suppress_small(sum(status == Participant.Status.REFUSED for status, _ in participants)),
        waiting=suppress_small(sum(status == Participant.Status.INVITED for status, _ in participants)),
        randomised=suppress_small(sum(bool(code) for _, code in participants)),
        per_arm=per_arm,
    )


BALANCE_MINIMUM = 5  # per arm; fewer and the means could point at a person


def balance(experiment: Experiment, actor: Actor) -> analysis.Balance | None:
    """Baseline characteristics per arm with a joint test; None while an arm has fewer than five people."""
    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    plan = design_of(experiment)
    rows = list(
        Participant.objects.filter(experiment=experiment).exclude(arm="").values_list("arm", "baseline")
    )
    arms = [arm for arm, _ in rows]
    if any(arms.count(arm.code) < BALANCE_MINIMUM for arm in plan.arms):
        return None
    characteristics = {
        design.COVARIATES[name]: [float(values.get(name, 0)) for _, values in rows]
        for name in design.COVARIATES
    }
    return analysis.balance(characteristics, arms, plan.control)


# --- outcomes and the analysis -----------------------------------------------------------------------------

MINIMUM_PER_ARM = 5  # fewer measured in an arm and its effect is not shown


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    days = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return dt.date(year, month, min(day.day, days[month - 1]))


def _outcome_values(resident: Resident, code: str, start: dt.date, moment: dt.date) -> float | None:
    """One outcome of one participant at its measurement moment, from the route and ladder data."""
    if code.startswith("betaald_werk"):
        for route in resident.routes.all():
            if (
                route.outcome == "betaald_werk_zonder_uitkering"
                and route.closed_on
                and route.closed_on <= moment
            ):
                return 1.0
            if route.opened_on <= moment and (route.closed_on is None or route.closed_on > moment):
                every = list(route.steps.all())
                corrected = {s.corrects_id for s in every if s.corrects_id}
                steps = [s for s in every if s.pk not in corrected and s.starts_on <= moment]
                if steps and max(steps, key=lambda s: (s.starts_on, s.recorded_at)).phase == "betaald_werk":
                    return 1.0
        return 0.0
    if code.startswith("uitstroom"):
        bijstand = [b for b in resident.legal_bases.all() if b.kind == "bijstand"]
        running = [
            b for b in bijstand if b.start_date <= moment and (b.end_date is None or b.end_date >= moment)
        ]
        return 0.0 if running else 1.0
    scores = sorted(resident.ladder_scores.all(), key=lambda s: (s.scored_on, s.created_at))
    at_moment = [s.rung for s in scores if s.scored_on <= moment]
    if code.startswith("trede"):
        at_start = [s.rung for s in scores if s.scored_on <= start]
        return float(at_moment[-1] - at_start[-1]) if at_moment and at_start else None
    if code.startswith("sociale_participatie"):
        return (1.0 if at_moment[-1] >= 3 else 0.0) if at_moment else None
    return None  # hours worked are not recorded in Meedoen


@dataclass(frozen=True)
class OutcomeResult:
    code: str
    name: str
    moment_months: int
    due: int  # participants whose measurement moment has passed
    waiting: int  # randomised, moment still to come
    first_due_on: dt.date | None
    effects: tuple[analysis.ArmEffect, ...] = ()
    attrition: analysis.Attrition | None = None
    note: str = ""


def experiment_analysis(experiment: Experiment, actor: Actor) -> list[OutcomeResult]:
    """Every outcome of the design analysed as registered (the last amendment's design): intention to treat,
    the design's standard errors, Lin's covariates and strata; Holm over all arms and outcomes. Reads the
    participants' route and ladder data: one processing-log read (onderzoek); shows aggregates only."""
    import pandas as pd

    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    plan = design_of(experiment)
    today = timezone.localdate()
    participants = list(
        Participant.objects.filter(experiment=experiment)
        .exclude(arm="")
        .select_related("resident")
        .prefetch_related("resident__legal_bases", "resident__ladder_scores", "resident__routes__steps")
    )
    log.record(actor, LogAction.VIEW, Purpose.RESEARCH, [p.resident_id for p in participants])
    results: list[OutcomeResult] = []
    for code in plan.outcomes:
        name, months, _binary = design.OUTCOMES[code]
        rows, waiting, first = [], 0, None
        for p in participants:
            start = timezone.localdate(p.assigned_at) if p.assigned_at else today
            moment = add_months(start, months)
            if moment > today:
                waiting += 1
                first = moment if first is None or moment < first else first
                continue
            value = _outcome_values(p.resident, code, start, moment)
            rows.append({"arm": p.arm, "stratum": p.stratum, **p.baseline, "y": value})
        result = OutcomeResult(code, name, months, len(rows), waiting, first)
        counts = {arm.code: sum(r["arm"] == arm.code for r in rows) for arm in plan.arms}
        if code.startswith("uren_werk"):
            results.append(_replace(result, note=_("Gewerkte uren worden in Meedoen niet vastgelegd.")))
            continue
        values = {r["y"] for r in rows if r["y"] is not None}
        if min(counts.values()) >= MINIMUM_PER_ARM and len(values) < 2:
            results.append(
                _replace(result, note=_("Deze uitkomst is bij iedereen gelijk: er valt niets te schatten."))
            )
            continue
        if min(counts.values()) < MINIMUM_PER_ARM:
            note = _("Nog te weinig metingen: minstens %(minimum)d per groep.") % {"minimum": MINIMUM_PER_ARM}
            results.append(_replace(result, note=note))
            continue
        spec = analysis.Spec(
            arm="arm", control=plan.control, outcomes=("y",), covariates=plan.covariates,
            strata="stratum" if plan.strata else None, se=plan.standard_errors,  # type: ignore[arg-type]
        )  # fmt: skip
        try:
            found = analysis.analyse(pd.DataFrame(rows), spec)
        except analysis.AnalysisError as error:
            results.append(_replace(result, note=str(error)))
            continue
        effects = tuple(analysis.ArmEffect(**{**e.__dict__, "outcome": code}) for e in found.effects)
        results.append(_replace(result, effects=effects, attrition=found.attrition[0]))
    every = [e for r in results for e in r.effects]
    adjusted = iter(analysis.holm([e.p for e in every]))
    return [
        _replace(
            r,
            effects=tuple(analysis.ArmEffect(**{**e.__dict__, "p_holm": next(adjusted)}) for e in r.effects),
        )
        for r in results
    ]


def _replace(result: OutcomeResult, **changes: object) -> OutcomeResult:
    return OutcomeResult(**{**result.__dict__, **changes})
