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

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability, Domain, suppress_small
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.experiments import analysis, design
from meedoen.experiments.models import Experiment, Participant
from meedoen.residents.models import LegalBasis, Resident


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


def facts_of(resident: Resident, on: dt.date) -> design.ResidentFacts:
    """What the design reads from the file (the caller has scoped and logs the read)."""
    running = [
        b
        for b in resident.legal_bases.all()
        if b.start_date <= on and (b.end_date is None or b.end_date >= on)
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


def recruitment_list(experiment: Experiment, actor: Actor) -> list[Candidate]:
    """The eligible residents of the caseworker's own caseload, with where they stand in the experiment.
    Logged as one read with purpose "onderzoek"."""
    _require_any(actor, Capability.RECRUIT_PARTICIPANTS)
    if experiment.status != Experiment.Status.RECRUITING:
        raise Http404
    own = (
        Q(caseworker_work_id=actor.user.pk)
        if actor.domain == Domain.WORK
        else Q(caseworker_care_id=actor.user.pk)
    )
    rules = design_of(experiment).eligibility
    today = timezone.localdate()
    residents = [
        r
        for r in _candidates(experiment).filter(own).order_by("family_name", "given_names")
        if not design.reasons_not_eligible(facts_of(r, today), rules)
    ]
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
    own = (
        Q(resident__caseworker_work_id=actor.user.pk)
        if actor.domain == Domain.WORK
        else Q(resident__caseworker_care_id=actor.user.pk)
    )
    participant = (
        Participant.objects.filter(experiment=experiment, experiment__municipality_id=actor.municipality_id)
        .filter(own)
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
