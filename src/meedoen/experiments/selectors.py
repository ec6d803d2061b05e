"""Every read of an experiment, scoped to the actor's municipality and rights.

A programme manager (``design_experiments``) sees the experiments of their municipality and only aggregates
of who takes part: counts per arm, the flow, the balance table. A caseworker (``recruit_participants``) sees
the experiments that recruit and, by name, only the residents of their own caseload who are eligible (on
the part of the file they see) or already invited; that read is in the processing log with purpose
"onderzoek"."""

import datetime as dt
import uuid
from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability, Domain, suppress_column, suppress_small
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.experiments import analysis, design
from meedoen.experiments.models import Experiment, Participant, Partner
from meedoen.municipalities.models import Municipality
from meedoen.residents.models import LegalBasis, Resident
from meedoen.residents.selectors import visible_domains_of, visible_residents


def _require_any(actor: Actor, *capabilities: Capability) -> None:
    if not any(actor.may(capability) for capability in capabilities):
        raise PermissionDenied


def _taking_part(actor: Actor) -> Q:
    """Experiments the actor's municipality leads (its own) or joined (a joint experiment)."""
    joined = Partner.objects.filter(
        experiment=OuterRef("pk"), municipality_id=actor.municipality_id, status=Partner.Status.JOINED
    )
    return Q(municipality_id=actor.municipality_id) | Q(Exists(joined))


def experiments_of(actor: Actor) -> QuerySet[Experiment]:
    """The experiments the actor may open: all that the municipality leads or joined for a designer, those
    that recruit for a caseworker. An experiment the municipality was only invited to is not among them (the
    invitation is, ``invitations_for``)."""
    _require_any(actor, Capability.DESIGN_EXPERIMENTS, Capability.RECRUIT_PARTICIPANTS)
    experiments = Experiment.objects.filter(_taking_part(actor)).select_related("municipality")
    if not actor.may(Capability.DESIGN_EXPERIMENTS):
        experiments = experiments.filter(status=Experiment.Status.RECRUITING)
    return experiments


def access_experiment(experiment_id: uuid.UUID, actor: Actor) -> Experiment:
    """404 for an experiment the municipality neither leads nor joined (or, for a caseworker, one that does
    not recruit); 403 for a role without either capability."""
    experiment = experiments_of(actor).filter(pk=experiment_id).first()
    if experiment is None:
        raise Http404
    return experiment


def experiment_for_design(experiment_id: uuid.UUID, actor: Actor) -> Experiment:
    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    return access_experiment(experiment_id, actor)


def experiment_led(experiment_id: uuid.UUID, actor: Actor) -> Experiment:
    """An experiment the actor's municipality leads, to change it (design, amend, start, close, invite): 404
    when it may not see it at all, 403 for a municipality that joined (it consented, the lead decides)."""
    experiment = experiment_for_design(experiment_id, actor)
    if experiment.municipality_id != actor.municipality_id:
        raise PermissionDenied
    return experiment


def is_lead(experiment: Experiment, actor: Actor) -> bool:
    return experiment.municipality_id == actor.municipality_id


def partners_of(experiment: Experiment, actor: Actor) -> list[Partner]:
    """The other municipalities invited to the experiment, with their answer (who and when): shown to the
    municipalities that take part. No personal data of residents."""
    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    return list(
        Partner.objects.filter(experiment=experiment)
        .select_related("municipality", "invited_by", "answered_by")
        .order_by("municipality__name")
    )


def invitable_municipalities(experiment: Experiment, actor: Actor) -> QuerySet[Municipality]:
    """The municipalities of the installation the lead can still invite: not itself, not invited or joined."""
    _require_any(actor, Capability.JOIN_EXPERIMENTS)
    busy = Partner.objects.filter(
        experiment=experiment, status__in=[Partner.Status.INVITED, Partner.Status.JOINED]
    ).values("municipality_id")
    return Municipality.objects.exclude(pk=experiment.municipality_id).exclude(pk__in=busy).order_by("name")


def invitations_for(actor: Actor) -> list[Partner]:
    """The open invitations of the actor's municipality to other municipalities' designs."""
    if not actor.may(Capability.JOIN_EXPERIMENTS):
        return []
    return list(
        Partner.objects.filter(
            municipality_id=actor.municipality_id,
            status__in=[Partner.Status.INVITED, Partner.Status.JOINED],
            experiment__status=Experiment.Status.DESIGN,
        ).select_related("experiment", "experiment__municipality")
    )


def access_invitation(experiment_id: uuid.UUID, actor: Actor) -> Partner:
    """The invitation of the actor's municipality to this experiment, whatever its answer; 404 without one."""
    _require_any(actor, Capability.JOIN_EXPERIMENTS)
    partner = (
        Partner.objects.filter(experiment_id=experiment_id, municipality_id=actor.municipality_id)
        .select_related("experiment", "experiment__municipality", "invited_by", "answered_by")
        .first()
    )
    if partner is None:
        raise Http404
    return partner


def municipality_ids(experiment: Experiment) -> list[uuid.UUID]:
    """The municipalities that take part: the lead and every municipality that joined (once the design is
    frozen, exactly those the design names)."""
    joined = Partner.objects.filter(experiment=experiment, status=Partner.Status.JOINED).values_list(
        "municipality_id", flat=True
    )
    return [experiment.municipality_id, *joined]


def design_of(experiment: Experiment) -> design.Design:
    return design.from_data(experiment.design)


def followed_hash(experiment: Experiment) -> str:
    """The SHA-256 of the registered version the analysis follows: the last amendment's, else the
    registration's (empty while the design is not registered)."""
    last = experiment.amendments.order_by("-number").first()
    return last.registered_hash if last else experiment.registered_hash


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


def _candidates(experiment: Experiment, municipalities: list[uuid.UUID]) -> QuerySet[Resident]:
    """Residents of these municipalities with a running legal basis of a kind the design admits: a first cut
    in the database; the other rules are checked in Python on their facts."""
    rules = design_of(experiment).eligibility
    today = timezone.localdate()
    running = LegalBasis.objects.filter(kind__in=rules.legal_bases, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return _residents_with_facts().filter(
        municipality_id__in=municipalities, pk__in=running.values("resident_id")
    )


def eligible_count(experiment: Experiment, actor: Actor, *, everywhere: bool = False) -> int:
    """How many residents of the actor's municipality the rules admit today (``everywhere``: of every
    municipality that takes part, for the power calculation): a count, no personal data."""
    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    rules = design_of(experiment).eligibility
    today = timezone.localdate()
    where = municipality_ids(experiment) if everywhere else [actor.municipality_id]
    return sum(
        1
        for r in _candidates(experiment, where)
        if not design.reasons_not_eligible(facts_of(r, today), rules)
    )


@dataclass(frozen=True)
class Candidate:
    resident: Resident
    participant: Participant | None
    eligible: bool = True  # whether the rules admit them today; a participant stays listed either way


def _own_caseload(actor: Actor) -> QuerySet[Resident]:
    """The caseworker's own caseload, within the residents the permission layer lets them see: residents
    with them as ``caseworker_work`` (klantmanager) or ``caseworker_care`` (Wmo-consulent)."""
    own = (
        Q(caseworker_work_id=actor.user.pk)
        if actor.domain == Domain.WORK
        else Q(caseworker_care_id=actor.user.pk)
    )
    return visible_residents(actor).filter(own)


def _eligible_today(resident: Resident, rules: design.Eligibility, actor: Actor) -> bool:
    """Judged on the part of the file the caseworker sees (``visible_domains_of``)."""
    facts = facts_of(resident, timezone.localdate(), visible_domains_of(resident, actor))
    return not design.reasons_not_eligible(facts, rules)


def _eligible_in_own_caseload(experiment: Experiment, actor: Actor) -> list[Resident]:
    """The residents of the caseworker's own caseload whom the rules admit today. Reads facts; the caller logs
    what it shows."""
    rules = design_of(experiment).eligibility
    residents = _candidates(experiment, [actor.municipality_id]).filter(
        pk__in=_own_caseload(actor).values("pk")
    )
    return [r for r in residents.order_by("family_name", "given_names") if _eligible_today(r, rules, actor)]


def recruitment_list(experiment: Experiment, actor: Actor) -> list[Candidate]:
    """The residents of the caseworker's own caseload in this experiment: everyone already invited, whatever
    their answer and whether or not the rules still admit them (a randomised resident is analysed in their
    arm, intention to treat), and the eligible residents not invited yet. Logged as one read with purpose
    "onderzoek"."""
    _require_any(actor, Capability.RECRUIT_PARTICIPANTS)
    if experiment.status != Experiment.Status.RECRUITING:
        raise Http404
    participants = {
        p.resident_id: p
        for p in Participant.objects.filter(
            experiment=experiment, resident__in=_own_caseload(actor).values("pk")
        )
    }
    eligible = {r.pk: r for r in _eligible_in_own_caseload(experiment, actor)}
    taking_part = _residents_with_facts().filter(pk__in=[pk for pk in participants if pk not in eligible])
    residents = sorted(
        [*eligible.values(), *taking_part],
        key=lambda r: (r.family_name, r.given_names, str(r.pk)),
    )
    log.record(actor, LogAction.VIEW, Purpose.RESEARCH, [r.pk for r in residents])
    return [Candidate(r, participants.get(r.pk), r.pk in eligible) for r in residents]


def resident_for_recruitment(experiment: Experiment, resident_id: uuid.UUID, actor: Actor) -> Resident:
    """A resident the caseworker may invite: their own caseload, eligible today; else 404. Reads only this
    resident's facts and logs nothing itself: the invitation the caller records is logged for this resident
    (``do_invite``), not a read of the whole caseload."""
    _require_any(actor, Capability.RECRUIT_PARTICIPANTS)
    if experiment.status != Experiment.Status.RECRUITING:
        raise Http404
    resident = (
        _candidates(experiment, [actor.municipality_id])
        .filter(pk=resident_id)
        .filter(pk__in=_own_caseload(actor).values("pk"))
        .first()
    )
    if resident is None or not _eligible_today(resident, design_of(experiment).eligibility, actor):
        raise Http404
    return resident


def participant_for_change(experiment: Experiment, participant_id: uuid.UUID, actor: Actor) -> Participant:
    """A participant of the caseworker's own caseload in this experiment; else 404."""
    _require_any(actor, Capability.RECRUIT_PARTICIPANTS)
    participant = (
        Participant.objects.filter(experiment=experiment, resident__municipality_id=actor.municipality_id)
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


def suppress_linked(
    values: dict[str, int],
    sums: list[tuple[str, list[str]]],
    *,
    known: frozenset[str] = frozenset(),
    hidden_elsewhere: frozenset[str] = frozenset(),
) -> dict[str, int | None]:
    """The figures of a page safe to show: small counts hidden, and so many others that no hidden count can be
    worked out from a sum (a total and its parts, each shown or derivable on the page). Every sum's parts go
    through the shared ``suppress_column`` first; then, while some sum has exactly one hidden figure, the
    smallest other non-zero figure of that sum is hidden too (a part before the total), which may pull other
    sums along. ``known`` are figures shown elsewhere, never hidden here (e.g. the n of an effect);
    ``hidden_elsewhere`` are figures hidden on another page the same reader sees, so hidden here too.
    A figure that is no sum's part nor total is just ``suppress_small``."""
    hidden = {key for key, value in values.items() if key not in known and suppress_small(value) is None}
    hidden |= set(hidden_elsewhere)
    for _total, parts in sums:
        shown = suppress_column([values[part] for part in parts])
        hidden |= {
            part for part, value in zip(parts, shown, strict=True) if value is None and part not in known
        }
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            members = [*parts, total]
            if sum(member in hidden for member in members) != 1:
                continue
            others = [m for m in members if m not in hidden and m not in known and values[m]]
            if others:
                hidden.add(min(others, key=lambda m: (m == total, values[m])))
                changed = True
    return {key: None if key in hidden else value for key, value in values.items()}


@dataclass(frozen=True)
class Flow:
    """The CONSORT flow: eligible → invited → answered → randomised per arm → still taking part → analysed.
    A count is None when it is not shown: under five, or hidden so that a hidden one cannot be worked out."""

    eligible: int | None
    invited: int | None
    refused: int | None
    waiting: int | None
    randomised: int | None
    per_arm: list[tuple[str, int | None, int | None, int | None]]  # arm name, randomised, stopped, analysed


def flow(experiment: Experiment, actor: Actor, *, eligible: int | None = None) -> Flow:
    """The flow's counts with small cells suppressed: invited = waiting + refused + randomised, and randomised
    = the sum of the arms, so hiding one cell of either sum hides another. ``eligible`` when the caller has
    counted it already (``eligible_count``)."""
    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    plan = design_of(experiment)
    # The actor's own municipality: in a joint experiment the others' flow is theirs (the shared figures are
    # ``shared_counts``).
    participants = list(
        Participant.objects.filter(
            experiment=experiment, resident__municipality_id=actor.municipality_id
        ).values_list("status", "arm")
    )
    arms = [arm.code for arm in plan.arms]
    counts = {
        "eligible": eligible_count(experiment, actor) if eligible is None else eligible,
        "invited": len(participants),
        "refused": sum(status == Participant.Status.REFUSED for status, _ in participants),
        "waiting": sum(status == Participant.Status.INVITED for status, _ in participants),
        "randomised": sum(bool(code) for _, code in participants),
    }
    for code in arms:
        counts[f"arm:{code}"] = sum(arm == code for _, arm in participants)
    shown = suppress_linked(
        counts,
        [
            ("invited", ["waiting", "refused", "randomised"]),
            ("randomised", [f"arm:{code}" for code in arms]),
        ],
    )
    # Who stopped, per arm: a column of its own (its total is not shown, but could be one day).
    stopped = suppress_column(
        [
            sum(status == Participant.Status.WITHDRAWN and arm == code for status, arm in participants)
            for code in arms
        ]
    )
    per_arm = [
        # Intention to treat: everyone randomised is analysed in their arm, also after stopping.
        (arm.name, shown[f"arm:{arm.code}"], stopped[index], shown[f"arm:{arm.code}"])
        for index, arm in enumerate(plan.arms)
    ]
    return Flow(
        eligible=shown["eligible"],
        invited=shown["invited"],
        refused=shown["refused"],
        waiting=shown["waiting"],
        randomised=shown["randomised"],
        per_arm=per_arm,
    )


@dataclass(frozen=True)
class SharedRow:
    municipality: str  # its name: the shared figures name municipalities, never residents
    own: bool
    per_arm: tuple[int | None, ...]  # randomised per arm, in the design's order; None: not shown
    total: int | None


@dataclass(frozen=True)
class SharedCounts:
    """Who was randomised in a joint experiment, per municipality and arm: counts only, small cells hidden."""

    rows: tuple[SharedRow, ...]
    per_arm: tuple[int | None, ...]
    total: int | None


def _municipality_names(experiment: Experiment) -> dict[uuid.UUID, str]:
    ids = municipality_ids(experiment)
    return dict(Municipality.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


def shared_counts(experiment: Experiment, actor: Actor, own: Flow | None = None) -> SharedCounts | None:
    """The shared aggregates of a joint experiment (None for one municipality): randomised per municipality
    and arm, with the totals. A cell under five is hidden, and so many others that none can be worked out
    from a total (``suppress_linked``); the reader's own arm counts that the flow of their own municipality
    (``own``) shows are taken as known, so the hidden ones are chosen among the figures the reader does not
    know. No resident is read by name: one query of counts."""
    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    plan = design_of(experiment)
    names = _municipality_names(experiment)
    if len(names) < 2:
        return None
    arms = [arm.code for arm in plan.arms]
    rows = list(
        Participant.objects.filter(experiment=experiment, resident__municipality_id__in=list(names))
        .exclude(arm="")
        .values_list("resident__municipality_id", "arm")
    )
    values: dict[str, int] = {"all": len(rows)}
    sums: list[tuple[str, list[str]]] = [("all", [f"arm:{code}" for code in arms])]
    for code in arms:
        values[f"arm:{code}"] = sum(arm == code for _m, arm in rows)
        sums.append((f"arm:{code}", [f"{m}:{code}" for m in names]))
    for m in names:
        values[str(m)] = sum(mid == m for mid, _a in rows)
        sums.append((str(m), [f"{m}:{code}" for code in arms]))
        for code in arms:
            values[f"{m}:{code}"] = sum(mid == m and arm == code for mid, arm in rows)
    sums.append(("all", [str(m) for m in names]))
    known, elsewhere = set(), set()
    if own is not None:
        mine = actor.municipality_id
        own_arms = dict(zip(arms, [randomised for _n, randomised, _s, _a in own.per_arm], strict=True))
        known = {f"{mine}:{code}" for code, value in own_arms.items() if value is not None}
        elsewhere = {f"{mine}:{code}" for code, value in own_arms.items() if value is None}
        (known if own.randomised is not None else elsewhere).add(str(mine))
    shown = suppress_linked(values, sums, known=frozenset(known), hidden_elsewhere=frozenset(elsewhere))
    return SharedCounts(
        rows=tuple(
            SharedRow(
                name, m == actor.municipality_id, tuple(shown[f"{m}:{code}"] for code in arms), shown[str(m)]
            )
            for m, name in names.items()
        ),
        per_arm=tuple(shown[f"arm:{code}"] for code in arms),
        total=shown["all"],
    )


BALANCE_MINIMUM = 5  # per arm; fewer and the means could point at a person


def balance(experiment: Experiment, actor: Actor) -> analysis.Balance | None:
    """Baseline characteristics per arm with a joint test; None while an arm has fewer than five people."""
    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    plan = design_of(experiment)
    rows = list(
        Participant.objects.filter(experiment=experiment, resident__municipality_id=actor.municipality_id)
        .exclude(arm="")
        .values_list("arm", "baseline")
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


def _in_paid_work(resident: Resident, moment: dt.date) -> bool:
    """Paid work on the day, as the route says it then: the route open that day is in phase "betaald werk"
    (its latest step on or before the day that no correction replaced); with no route open, the route that
    closed last before it ended "betaald werk, zonder uitkering". So a fall-back after paid work (the
    terugvalgarantie reopens a route in the phase before paid work) is no paid work while that route runs,
    and a step back out of "betaald werk" neither."""
    routes = [route for route in resident.routes.all() if route.opened_on <= moment]
    running = [route for route in routes if route.closed_on is None or route.closed_on > moment]
    if running:
        route = max(running, key=lambda r: (r.opened_on, r.created_at))
        every = list(route.steps.all())
        corrected = {s.corrects_id for s in every if s.corrects_id}
        steps = [s for s in every if s.pk not in corrected and s.starts_on <= moment]
        return bool(steps) and max(steps, key=lambda s: (s.starts_on, s.recorded_at)).phase == "betaald_werk"
    closed = [route for route in routes if route.closed_on is not None]
    if not closed:
        return False
    last = max(closed, key=lambda r: (r.closed_on, r.opened_on, r.created_at))
    return last.outcome == "betaald_werk_zonder_uitkering"


def _outcome_values(resident: Resident, code: str, start: dt.date, moment: dt.date) -> float | None:
    """One outcome of one participant at its measurement moment, from the route and ladder data."""
    if code.startswith("betaald_werk"):
        return 1.0 if _in_paid_work(resident, moment) else 0.0
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
class ArmMissing:
    arm: str
    missing: int | None  # without a measurement; None: not shown
    assigned: int | None  # measured or not; None when it would give the hidden ``missing`` away


@dataclass(frozen=True)
class ShownAttrition:
    """Attrition as the screen shows it: small cells suppressed."""

    arms: tuple[ArmMissing, ...]
    # The chi-square test of differential attrition; None when nobody is missing or a cell is hidden (its
    # counts are then too small for the test, and the p-value could help work them out).
    p_differential: float | None


@dataclass(frozen=True)
class MeasuredCell:
    arm: str
    n: int | None  # measured in this municipality and arm; None: not shown
    small: bool  # not shown because it is under five ("<5"); else hidden so no small one can be worked out


@dataclass(frozen=True)
class MunicipalityResult:
    """One municipality's estimate in a joint experiment: aggregates only, as every municipality sees it."""

    municipality: str
    own: bool
    cells: tuple[MeasuredCell, ...]
    control: str
    effects: tuple[analysis.ArmEffect, ...] = ()  # empty when a cell is hidden or too small
    note: str = ""


@dataclass(frozen=True)
class OutcomeResult:
    code: str
    name: str
    moment_months: int
    due: int | None  # participants whose measurement moment has passed; None: not shown
    waiting: int | None  # randomised, moment still to come; None: not shown
    first_due_on: dt.date | None
    effects: tuple[
        analysis.ArmEffect, ...
    ] = ()  # a joint experiment: pooled, with municipality fixed effects
    attrition: ShownAttrition | None = None
    note: str = ""
    per_municipality: tuple[MunicipalityResult, ...] = ()  # a joint experiment: one estimate per municipality


def _shown_counts(
    randomised: int, due: int, waiting: int, attrition: analysis.Attrition | None = None
) -> tuple[int | None, int | None, ShownAttrition | None]:
    """The counts of one outcome safe to show. Randomised (on the experiment page) = due + waiting; due =
    measured + missing; each arm's assigned = its n (shown with the effect) + its missing. So a hidden
    missing count hides others until none follows by subtraction (``suppress_linked``)."""
    values = {"randomised": randomised, "due": due, "waiting": waiting}
    sums: list[tuple[str, list[str]]] = [("randomised", ["due", "waiting"])]
    known = {"randomised"}
    if attrition is not None:
        arms = [a.arm for a in attrition.arms]
        values["measured"] = sum(a.assigned - a.missing for a in attrition.arms)
        values["missing"] = sum(a.missing for a in attrition.arms)
        known.add("measured")
        sums += [
            ("due", ["measured", "missing"]),
            ("missing", [f"missing:{arm}" for arm in arms]),
            ("due", [f"assigned:{arm}" for arm in arms]),
        ]
        for a in attrition.arms:
            values[f"n:{a.arm}"] = a.assigned - a.missing
            values[f"missing:{a.arm}"] = a.missing
            values[f"assigned:{a.arm}"] = a.assigned
            known.add(f"n:{a.arm}")
            sums.append((f"assigned:{a.arm}", [f"n:{a.arm}", f"missing:{a.arm}"]))
    shown = suppress_linked(values, sums, known=frozenset(known))
    if attrition is None:
        return shown["due"], shown["waiting"], None
    rows = tuple(
        ArmMissing(a.arm, shown[f"missing:{a.arm}"], shown[f"assigned:{a.arm}"]) for a in attrition.arms
    )
    hidden = any(row.missing is None for row in rows)
    return (
        shown["due"],
        shown["waiting"],
        ShownAttrition(rows, None if hidden else attrition.p_differential),
    )


# Randomisation inference on request: exact when an outcome has at most this many distinct assignments, else
# this many seeded draws (the p-value then has a Monte Carlo error of at most about 0.011).
RANDOMISATION_DRAWS = 2000


def experiment_analysis(
    experiment: Experiment,
    actor: Actor,
    *,
    standard_errors: str | None = None,
    randomisation: bool = False,
) -> list[OutcomeResult]:
    """Every outcome of the design analysed as registered (the last amendment's design): intention to treat,
    the design's standard errors, Lin's covariates and strata; Holm over all arms and outcomes. Reads the
    participants' route and ladder data: one processing-log read (onderzoek); shows aggregates only.

    On request, a sensitivity analysis beside the registered one: other ``standard_errors`` (``classical``
    instead of HC2, or the other way round) and ``randomisation`` p-values for the pooled effects, drawn from
    the experiment's own seed so the same request gives the same p-values."""
    import pandas as pd

    _require_any(actor, Capability.DESIGN_EXPERIMENTS)
    plan = design_of(experiment)
    se = standard_errors or plan.standard_errors
    if se != plan.standard_errors and se not in design.CHECK_STANDARD_ERRORS:
        raise ValueError(f"standard errors {se!r} are not offered as a check")
    today = timezone.localdate()
    participants = list(
        Participant.objects.filter(experiment=experiment)
        .exclude(arm="")
        .select_related("resident")
        .prefetch_related("resident__legal_bases", "resident__ladder_scores", "resident__routes__steps")
    )
    _log_analysis_read(actor, participants)
    names = _municipality_names(experiment) if plan.joint else {}
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
            rows.append(
                {
                    "arm": p.arm, "stratum": p.stratum, "gemeente": str(p.resident.municipality_id),
                    **p.baseline, "y": value,
                }
            )  # fmt: skip
        shown_due, shown_waiting, _none = _shown_counts(len(participants), len(rows), waiting)
        result = OutcomeResult(code, name, months, shown_due, shown_waiting, first)
        counts = {arm.code: sum(r["arm"] == arm.code for r in rows) for arm in plan.arms}
        if code in design.NOT_MEASURABLE:
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
            strata="stratum" if plan.strata else None, se=se,  # type: ignore[arg-type]
            permutations=RANDOMISATION_DRAWS if randomisation else 0, seed=experiment.seed or 0,
        )  # fmt: skip
        try:
            found = analysis.analyse(pd.DataFrame(rows), spec)
        except analysis.AnalysisError as error:
            results.append(_replace(result, note=str(error)))
            continue
        effects = tuple(analysis.ArmEffect(**{**e.__dict__, "outcome": code}) for e in found.effects)
        shown_due, shown_waiting, attrition = _shown_counts(
            len(participants), len(rows), waiting, found.attrition[0]
        )
        per_municipality = (
            _per_municipality(rows, plan, spec, effects, names, actor, code) if plan.joint else ()
        )
        results.append(
            _replace(
                result, due=shown_due, waiting=shown_waiting, effects=effects, attrition=attrition,
                per_municipality=per_municipality,
            )
        )  # fmt: skip
    every = [e for r in results for e in r.effects]
    adjusted = iter(analysis.holm([e.p for e in every]))
    return [
        _replace(
            r,
            effects=tuple(analysis.ArmEffect(**{**e.__dict__, "p_holm": next(adjusted)}) for e in r.effects),
        )
        for r in results
    ]


def _log_analysis_read(actor: Actor, participants: list[Participant]) -> None:
    """One processing-log read (onderzoek) of the participants' data. In a joint experiment each municipality
    whose residents were read gets it in its own log, for its own residents only."""
    by_municipality: dict[uuid.UUID, list[uuid.UUID]] = {actor.municipality_id: []}
    for p in participants:
        by_municipality.setdefault(p.resident.municipality_id, []).append(p.resident_id)
    for municipality_id, resident_ids in by_municipality.items():
        if municipality_id == actor.municipality_id:
            log.record(actor, LogAction.VIEW, Purpose.RESEARCH, resident_ids)
        else:
            log.record_in(municipality_id, actor, LogAction.VIEW, Purpose.RESEARCH, resident_ids)


def _per_municipality(
    rows: list[dict[str, object]],
    plan: design.Design,
    pooled: analysis.Spec,
    effects: tuple[analysis.ArmEffect, ...],
    names: dict[uuid.UUID, str],
    actor: Actor,
    code: str,
) -> tuple[MunicipalityResult, ...]:
    """One estimate per municipality of a joint experiment, beside the pooled one: the same estimator within
    the municipality (its own strata, if the design has more than the municipality). Each municipality's
    measured count per arm is shown unless it is under five ("<5") or would give a hidden one away from the
    pooled n (``suppress_linked``, the pooled n known); a municipality with a hidden cell gets no estimate.
    Aggregates only: no resident, no name."""
    import pandas as pd

    measured = [r for r in rows if r["y"] is not None]
    arms = [arm.code for arm in plan.arms]
    values = {
        f"{m}:{a}": sum(r["gemeente"] == str(m) and r["arm"] == a for r in measured)
        for m in names
        for a in arms
    }
    known = set()
    sums: list[tuple[str, list[str]]] = []
    for a in arms:
        values[f"n:{a}"] = sum(r["arm"] == a for r in measured)
        known.add(f"n:{a}")
        sums.append((f"n:{a}", [f"{m}:{a}" for m in names]))
    shown = suppress_linked(values, sums, known=frozenset(known))
    results = []
    for m, name in names.items():
        cells = tuple(
            MeasuredCell(a, shown[f"{m}:{a}"], suppress_small(values[f"{m}:{a}"]) is None) for a in arms
        )
        result = MunicipalityResult(name, m == actor.municipality_id, cells, plan.control)
        if not any(cell.small or (cell.n is not None and cell.n < MINIMUM_PER_ARM) for cell in cells) and any(
            cell.n is None for cell in cells
        ):
            note = _("Niet getoond: anders kunt u het kleine aantal van een andere gemeente uitrekenen.")
            results.append(replace(result, note=note))
            continue
        if any(cell.n is None or cell.n < MINIMUM_PER_ARM for cell in cells):
            results.append(
                replace(result, note=_("Te weinig metingen in deze gemeente: minstens %(minimum)d per groep.")
                        % {"minimum": MINIMUM_PER_ARM})
            )  # fmt: skip
            continue
        own_rows = [r for r in rows if r["gemeente"] == str(m)]
        if len({r["y"] for r in own_rows if r["y"] is not None}) < 2:
            results.append(replace(result, note=_("Deze uitkomst is hier bij iedereen gelijk.")))
            continue
        several = len({r["stratum"] for r in own_rows}) > 1 and len(plan.strata) > 1
        # Randomisation inference for the pooled estimate only: a municipality's own p-values are a look
        # beside it, and drawing again per municipality would multiply the time of the page.
        spec = replace(pooled, strata="stratum" if several else None, permutations=0)
        try:
            found = analysis.analyse(pd.DataFrame(own_rows), spec)
        except analysis.AnalysisError as error:
            results.append(replace(result, note=str(error)))
            continue
        results.append(replace(result, effects=tuple(replace(e, outcome=code) for e in found.effects)))
    return tuple(results)


def _replace(result: OutcomeResult, **changes: object) -> OutcomeResult:
    return OutcomeResult(**{**result.__dict__, **changes})
