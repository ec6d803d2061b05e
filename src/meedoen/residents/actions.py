"""Every write of the resident file. Each action checks its rule, runs in one transaction, adds a line to the
timeline where a caseworker would expect one, and writes the processing log in the same transaction."""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.accounts.models import Membership, User
from meedoen.accounts.policies import Capability, Role
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.errors import RuleError
from meedoen.municipalities.models import District, InterestTag, TargetGroup
from meedoen.residents import rules
from meedoen.residents.models import (
    Consent,
    ExperimentArm,
    LadderScore,
    LegalBasis,
    Plan,
    PlanAction,
    Profile,
    Resident,
    TimelineEvent,
)


class StaleEdit(Exception):
    """Someone else saved this part of the file after the form was opened."""

    message = (
        "Iemand anders heeft dit deel van het dossier net gewijzigd. Uw wijziging is niet opgeslagen. "
        "Bekijk de nieuwe versie en pas het opnieuw aan."
    )


class DuplicateResident(Exception):
    """A file with this BSN exists already in the municipality."""

    def __init__(self, existing: Resident) -> None:
        super().__init__("duplicate BSN")
        self.existing = existing


def _require_writer(actor: Actor, resident: Resident | None, *, own: bool = False) -> None:
    """A caseworker writes the files they may open, in their own municipality; with ``own``, the resident
    writes their own file too (the portal: own profile and consent), never another's. The selectors scope
    every file already; the write checks the municipality again (defence in depth)."""
    if own and resident is not None and is_own_file(resident, actor):
        return
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or actor.domain is None:
        raise PermissionDenied
    if resident is not None and resident.municipality_id != actor.municipality_id:
        raise PermissionDenied


def is_own_file(resident: Resident, actor: Actor) -> bool:
    """Whether the actor is the resident acting on their own file (the portal). The one rule for it: the
    portal's actions ask it too."""
    return (
        actor.may(Capability.VIEW_OWN_FILE)
        and resident.user_id == actor.user.pk
        and resident.municipality_id == actor.municipality_id
    )


def _purpose(actor: Actor) -> Purpose:
    """Why a write is logged: the caseworker's guidance, or the resident changing their own file."""
    return Purpose.OWN_FILE if actor.may(Capability.VIEW_OWN_FILE) else Purpose.GUIDANCE


def _touch(resident: Resident, when: dt.datetime) -> None:
    Resident.objects.filter(pk=resident.pk).update(last_activity_at=when)


def _add_line(
    resident: Resident,
    *,
    kind: str,
    text: str,
    author: User | None,
    domain: str = "",
    detail: str = "",
    detail_domain: str = "",
    occurred_at: dt.datetime | None = None,
    attachment: UploadedFile | None = None,
) -> TimelineEvent:
    """Write one timeline line without a processing-log row: for actions that log their own write."""
    now = timezone.now()
    with transaction.atomic():
        event = TimelineEvent(
            resident=resident,
            kind=kind,
            domain=domain,
            occurred_at=occurred_at or now,
            author=author,
            text=text,
            detail=detail,
            detail_domain=detail_domain if detail else "",
        )
        if attachment is not None:
            event.attachment.save(attachment.name or "bijlage", attachment, save=False)
        event.save()
        _touch(resident, now)
    return event


def do_add_timeline_event(
    resident: Resident,
    *,
    kind: str,
    text: str,
    actor: Actor | None,
    domain: str = "",
    detail: str = "",
    detail_domain: str = "",
    occurred_at: dt.datetime | None = None,
    attachment: UploadedFile | None = None,
) -> TimelineEvent:
    """Add a line to the timeline. Also for higher apps (routes, catalogue), which push their events here.

    ``domain`` puts the whole line in that domain's section. ``detail`` is a sentence that belongs to
    ``detail_domain`` only (what a line says about the benefit, for instance): it follows the text for whoever
    sees that domain, and is left out for the other domain without the resident's consent."""
    with transaction.atomic():
        event = _add_line(
            resident,
            kind=kind,
            text=text,
            author=actor.user if actor else None,
            domain=domain,
            detail=detail,
            detail_domain=detail_domain,
            occurred_at=occurred_at,
            attachment=attachment,
        )
        if actor is not None:
            log.record(actor, LogAction.CREATE, Purpose.GUIDANCE, [resident.pk])
    return event


@dataclass
class Registration:
    bsn: str
    given_names: str
    family_name: str
    date_of_birth: dt.date
    name_prefix: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    district: District | None = None
    household: str = ""
    languages: str = ""
    dutch_level: str = ""
    target_groups: list[TargetGroup] = field(default_factory=list)
    caseworker_work: User | None = None
    caseworker_care: User | None = None
    bases: list[tuple[str, str, dt.date, dt.date | None]] = field(
        default_factory=list
    )  # domain, kind, start, end


def _check_caseworker(user: User | None, actor: Actor, role: Role, field_name: str) -> None:
    if user is None:
        return
    if not Membership.objects.filter(
        user=user, municipality_id=actor.municipality_id, role=role, is_active=True
    ).exists():
        raise RuleError(field_name, "Deze medewerker werkt niet in deze rol voor uw gemeente.")


def do_register_resident(data: Registration, *, actor: Actor) -> Resident:
    _require_writer(actor, None)
    today = timezone.localdate()
    if data.date_of_birth > today:
        raise RuleError("date_of_birth", "De geboortedatum ligt in de toekomst.")
    if not data.bases:
        raise RuleError("basis_kind", "Kies minstens één wettelijke grondslag.")
    for _domain, _kind, start, end in data.bases:
        rules.check_period(start, end)
    if data.district is not None and data.district.municipality_id != actor.municipality_id:
        raise RuleError("district", "Deze wijk hoort niet bij uw gemeente.")
    _check_caseworker(data.caseworker_work, actor, Role.CASEWORKER_WORK, "caseworker_work")
    _check_caseworker(data.caseworker_care, actor, Role.CASEWORKER_CARE, "caseworker_care")
    existing = Resident.objects.filter(municipality_id=actor.municipality_id, bsn=data.bsn).first()
    if existing is not None:
        raise DuplicateResident(existing)
    caseworker_work = data.caseworker_work
    caseworker_care = data.caseworker_care
    # The caseworker who registers a resident in their own domain takes them on unless someone else is named.
    if actor.domain == rules.WORK and caseworker_work is None:
        caseworker_work = actor.user
    if actor.domain == rules.CARE and caseworker_care is None:
        caseworker_care = actor.user
    now = timezone.now()
    try:
        with transaction.atomic():
            resident = Resident.objects.create(
                municipality_id=actor.municipality_id,
                bsn=data.bsn,
                given_names=data.given_names,
                name_prefix=data.name_prefix,
                family_name=data.family_name,
                date_of_birth=data.date_of_birth,
                email=data.email,
                phone=data.phone,
                street=data.street,
                postcode=data.postcode,
                city=data.city,
                district=data.district,
                household=data.household,
                languages=data.languages,
                dutch_level=data.dutch_level,
                caseworker_work=caseworker_work,
                caseworker_care=caseworker_care,
                last_activity_at=now,
            )
            resident.target_groups.set(
                [g for g in data.target_groups if g.municipality_id == actor.municipality_id]
            )
            LegalBasis.objects.bulk_create(
                [
                    LegalBasis(resident=resident, domain=domain, kind=kind, start_date=start, end_date=end)
                    for domain, kind, start, end in data.bases
                ]
            )
            Profile.objects.create(resident=resident)
            Plan.objects.create(resident=resident)
            TimelineEvent.objects.create(
                resident=resident,
                kind=TimelineEvent.Kind.REGISTRATION,
                occurred_at=now,
                author=actor.user,
                text="Aangemeld in Meedoen.",
            )
            log.record(actor, LogAction.CREATE, Purpose.GUIDANCE, [resident.pk])
    except IntegrityError:
        # Two people registered the same BSN at the same moment: the database constraint decided.
        existing = Resident.objects.filter(municipality_id=actor.municipality_id, bsn=data.bsn).first()
        if existing is None:
            raise
        raise DuplicateResident(existing) from None
    return resident


PERSONAL_FIELDS = (
    "given_names",
    "name_prefix",
    "family_name",
    "date_of_birth",
    "email",
    "phone",
    "street",
    "postcode",
    "city",
    "district",
    "household",
    "languages",
    "dutch_level",
)


def _save_versioned(model: Any, pk: Any, version: int, values: dict[str, Any]) -> None:
    """UPDATE … WHERE version = the version the form was opened with; nothing updated means a clash."""
    updated = model.objects.filter(pk=pk, version=version).update(version=F("version") + 1, **values)
    if updated != 1:
        raise StaleEdit


def do_update_personal_details(
    resident: Resident,
    *,
    values: dict[str, Any],
    target_groups: Iterable[TargetGroup] | None,
    version: int,
    actor: Actor,
) -> Resident:
    _require_writer(actor, resident)
    if values.get("date_of_birth") and values["date_of_birth"] > timezone.localdate():
        raise RuleError("date_of_birth", "De geboortedatum ligt in de toekomst.")
    district = values.get("district")
    if district is not None and district.municipality_id != actor.municipality_id:
        raise RuleError("district", "Deze wijk hoort niet bij uw gemeente.")
    changes = {name: values[name] for name in PERSONAL_FIELDS if name in values}
    for name, role in (("caseworker_work", Role.CASEWORKER_WORK), ("caseworker_care", Role.CASEWORKER_CARE)):
        if name in values:
            _check_caseworker(values[name], actor, role, name)
            changes[name] = values[name]
    changes["updated_at"] = timezone.now()
    with transaction.atomic():
        _save_versioned(Resident, resident.pk, version, changes)
        if target_groups is not None:
            resident.target_groups.set(
                [g for g in target_groups if g.municipality_id == actor.municipality_id]
            )
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [resident.pk])
    resident.refresh_from_db()
    return resident


def do_add_legal_basis(
    resident: Resident, *, domain: str, kind: str, start: dt.date, end: dt.date | None, actor: Actor
) -> LegalBasis:
    _require_writer(actor, resident)
    rules.check_period(start, end)
    if LegalBasis.DOMAIN_OF_KIND.get(LegalBasis.Kind(kind)) != domain:
        raise RuleError("kind", "Deze soort hoort niet bij deze wet.")
    if domain != actor.domain:  # like ending one: the other domain's part is not theirs to decide or to see
        raise RuleError("kind", "Alleen een collega van dit domein kan deze grondslag vastleggen.")
    with transaction.atomic():
        basis = LegalBasis.objects.create(
            resident=resident, domain=domain, kind=kind, start_date=start, end_date=end
        )
        log.record(actor, LogAction.CREATE, Purpose.GUIDANCE, [resident.pk])
        _add_line(
            resident,
            kind=TimelineEvent.Kind.REGISTRATION,
            domain=domain,
            author=actor.user,
            text=f"Grondslag vastgelegd: {basis.get_kind_display()} vanaf {start:%d-%m-%Y}.",
        )
    return basis


def do_end_legal_basis(basis: LegalBasis, *, end: dt.date, actor: Actor) -> LegalBasis:
    """Close a legal basis (the benefit stopped, the provision ended). History stays; nothing is deleted."""
    _require_writer(actor, basis.resident)
    if basis.domain != actor.domain:
        raise RuleError(None, "Alleen een collega van dit domein kan deze grondslag beëindigen.")
    rules.check_period(basis.start_date, end, end_field="end_date")
    with transaction.atomic():
        basis.end_date = end
        basis.save(update_fields=["end_date"])
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [basis.resident_id])
        _add_line(
            basis.resident,
            kind=TimelineEvent.Kind.REGISTRATION,
            domain=basis.domain,
            author=actor.user,
            text=f"Grondslag beëindigd: {basis.get_kind_display()} tot en met {end:%d-%m-%Y}.",
        )
    return basis


def do_record_consent(
    resident: Resident, *, shared_domain: str, given_on: dt.date, note: str, actor: Actor
) -> Consent:
    _require_writer(actor, resident, own=True)
    rules.check_not_in_future(given_on, timezone.localdate(), "given_on")
    if Consent.objects.filter(
        resident=resident, shared_domain=shared_domain, withdrawn_on__isnull=True
    ).exists():
        raise RuleError("shared_domain", "Voor dit deel is al toestemming gegeven.")
    with transaction.atomic():
        consent = Consent.objects.create(
            resident=resident,
            shared_domain=shared_domain,
            given_on=given_on,
            note=note,
            recorded_by=actor.user,
        )
        log.record(actor, LogAction.CREATE, _purpose(actor), [resident.pk])
        _add_line(
            resident,
            kind=TimelineEvent.Kind.CONSENT,
            author=actor.user,
            text=f"Toestemming gegeven om te delen: {consent.get_shared_domain_display()}.",
        )
    return consent


def do_withdraw_consent(consent: Consent, *, withdrawn_on: dt.date, actor: Actor) -> Consent:
    _require_writer(actor, consent.resident, own=True)
    if consent.withdrawn_on is not None:
        raise RuleError(None, "Deze toestemming is al ingetrokken.")
    rules.check_not_in_future(withdrawn_on, timezone.localdate(), "withdrawn_on")
    rules.check_period(consent.given_on, withdrawn_on, end_field="withdrawn_on")
    with transaction.atomic():
        consent.withdrawn_on = withdrawn_on
        consent.save(update_fields=["withdrawn_on"])
        log.record(actor, LogAction.UPDATE, _purpose(actor), [consent.resident_id])
        _add_line(
            consent.resident,
            kind=TimelineEvent.Kind.CONSENT,
            author=actor.user,
            text=f"Toestemming ingetrokken: {consent.get_shared_domain_display()}.",
        )
    return consent


def do_score_ladder(
    resident: Resident, *, rung: int, scored_on: dt.date, rationale: str, actor: Actor
) -> LadderScore:
    _require_writer(actor, resident)
    rules.check_ladder_score(rung, scored_on, timezone.localdate(), resident.date_of_birth)
    if not rationale.strip():
        raise RuleError("rationale", "Schrijf kort op waarom u deze trede kiest.")
    with transaction.atomic():
        score = LadderScore.objects.create(
            resident=resident, rung=rung, scored_on=scored_on, rationale=rationale, scored_by=actor.user
        )
        log.record(actor, LogAction.CREATE, Purpose.GUIDANCE, [resident.pk])
        _add_line(
            resident,
            kind=TimelineEvent.Kind.LADDER,
            author=actor.user,
            text=f"Participatieladder: trede {rung}. {rationale}",
        )
    return score


PROFILE_FIELDS = (
    "talents",
    "hours_per_week",
    "workload",
    "travel_radius_km",
    "travel_mode",
    "physical_needs",
    "preferred_days",
)
# What a resident may change of their own profile in the portal (its form shows these, and the interests):
# workload, travel, physical needs and talents stay with the caseworker.
RESIDENT_PROFILE_FIELDS = ("hours_per_week", "preferred_days")


def do_update_profile(
    resident: Resident,
    *,
    values: dict[str, Any],
    interests: Iterable[InterestTag],
    version: int,
    actor: Actor,
) -> Profile:
    _require_writer(actor, resident, own=True)
    if is_own_file(resident, actor) and set(values) - set(RESIDENT_PROFILE_FIELDS):
        raise PermissionDenied  # the resident changes only what the portal's form shows
    hours = values.get("hours_per_week")
    if hours is not None and not 0 <= hours <= 40:
        raise RuleError("hours_per_week", "Vul een aantal uren van 0 tot en met 40 in.")
    changes = {name: values[name] for name in PROFILE_FIELDS if name in values}
    changes["updated_at"] = timezone.now()
    with transaction.atomic():
        profile, _created = Profile.objects.get_or_create(resident=resident)
        _save_versioned(Profile, profile.pk, version, changes)
        profile.interests.set([t for t in interests if t.municipality_id == actor.municipality_id])
        log.record(actor, LogAction.UPDATE, _purpose(actor), [resident.pk])
        _add_line(resident, kind=TimelineEvent.Kind.PROFILE, author=actor.user, text="Profiel bijgewerkt.")
    profile.refresh_from_db()
    return profile


def do_update_plan(
    resident: Resident, *, goals: str, review_on: dt.date | None, version: int, actor: Actor
) -> Plan:
    _require_writer(actor, resident)
    with transaction.atomic():
        plan, _created = Plan.objects.get_or_create(resident=resident)
        _save_versioned(
            Plan,
            plan.pk,
            version,
            {"goals": goals, "review_on": review_on, "updated_by": actor.user, "updated_at": timezone.now()},
        )
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [resident.pk])
        _add_line(resident, kind=TimelineEvent.Kind.PLAN, author=actor.user, text="Ontwikkelplan bijgewerkt.")
    plan.refresh_from_db()
    return plan


def do_set_review_date(resident: Resident, *, review_on: dt.date | None, actor: Actor) -> None:
    """Set the plan's next review date (``Plan.review_on``), the one date every screen shows. The route owns
    it while a route is open and pushes it here (on opening, a step, a correction, a review, a fall-back;
    ``None`` when the route ends), like it pushes its timeline lines. The plan's version goes up, so a plan
    form opened before this change is refused as stale instead of overwriting the date.

    No processing-log row of its own: it is only called inside a route action, which logs its write (once)
    through its timeline line."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    with transaction.atomic():
        plan, _created = Plan.objects.get_or_create(resident=resident)
        Plan.objects.filter(pk=plan.pk).update(
            review_on=review_on, version=F("version") + 1, updated_at=timezone.now()
        )


def do_replan_review_date(
    resident: Resident, *, planned: dt.date, review_on: dt.date, text: str, actor: Actor | None
) -> bool:
    """Plan the next review again because what applies changed (an experiment's arm stopped applying): the
    plan gets ``review_on`` only while it still holds ``planned``, the date the route set before, and the
    timeline says why (``text``, a route line). A date a caseworker moved meanwhile stays, and so does a date
    already replanned: False, and nothing is written. Pushed by ``routes.actions``.

    ``actor`` None: no person does it (closing the experiment, the nightly job); the caller has scoped the
    resident and writes the processing log. With an actor, the line is theirs and the write is logged."""
    if actor is not None and (
        not actor.may(Capability.VIEW_RESIDENT_FILE) or resident.municipality_id != actor.municipality_id
    ):
        raise PermissionDenied
    if planned == review_on:
        return False
    with transaction.atomic():
        moved = Plan.objects.filter(resident=resident, review_on=planned).update(
            review_on=review_on, version=F("version") + 1, updated_at=timezone.now()
        )
        if not moved:
            return False
        _add_line(resident, kind=TimelineEvent.Kind.ROUTE, text=text, author=actor.user if actor else None)
        if actor is not None:
            log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [resident.pk])
    return True


def do_add_plan_action(
    resident: Resident, *, description: str, owner: str, due_on: dt.date, actor: Actor
) -> PlanAction:
    _require_writer(actor, resident)
    with transaction.atomic():
        plan, _created = Plan.objects.get_or_create(resident=resident)
        action = PlanAction.objects.create(plan=plan, description=description, owner=owner, due_on=due_on)
        log.record(actor, LogAction.CREATE, Purpose.GUIDANCE, [resident.pk])
        _add_line(
            resident,
            kind=TimelineEvent.Kind.PLAN,
            author=actor.user,
            text=f"Afspraak: {description} ({action.get_owner_display()}, klaar op {due_on:%d-%m-%Y}).",
        )
    return action


def do_mark_plan_action_done(action: PlanAction, *, done_on: dt.date, actor: Actor) -> PlanAction:
    _require_writer(actor, action.plan.resident)
    rules.check_not_in_future(done_on, timezone.localdate(), "done_on")
    if action.done_on is not None:  # a second click, or a second tab: no second line on the timeline
        raise RuleError(None, "Deze afspraak staat al op gedaan.")
    return _set_plan_action_done(action, done_on, actor, f"Afspraak gedaan: {action.description}.")


def do_reopen_plan_action(action: PlanAction, *, actor: Actor) -> PlanAction:
    """Undo a "done" that was marked by mistake: the agreement is open again, and the timeline says so."""
    _require_writer(actor, action.plan.resident)
    if action.done_on is None:
        raise RuleError(None, "Deze afspraak staat al open.")
    return _set_plan_action_done(action, None, actor, f"Afspraak weer open: {action.description}.")


def _set_plan_action_done(action: PlanAction, done_on: dt.date | None, actor: Actor, line: str) -> PlanAction:
    with transaction.atomic():
        action.done_on = done_on
        action.save(update_fields=["done_on"])
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [action.plan_id])
        _add_line(action.plan.resident, kind=TimelineEvent.Kind.PLAN, author=actor.user, text=line)
    return action


def do_record_experiment_arm(
    resident: Resident,
    *,
    participant_id: uuid.UUID,
    experiment_title: str,
    arm_name: str,
    voluntary_agreements: bool,
    review_every_weeks: int | None,
    starts_on: dt.date,
    actor: Actor,
) -> ExperimentArm:
    """Put the arm of an experiment a resident was randomised into on their file, from ``starts_on``: what
    it changes applies while it is in force (``selectors.arms_in_force``). Pushed by
    ``experiments.actions.do_record_consent``, once per participant; that action checks who acts and writes
    the processing log (purpose onderzoek) and the timeline line, so this one writes neither."""
    if resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    with transaction.atomic():
        return ExperimentArm.objects.create(
            resident=resident,
            participant_id=participant_id,
            experiment_title=experiment_title,
            arm_name=arm_name,
            voluntary_agreements=voluntary_agreements,
            review_every_weeks=review_every_weeks,
            starts_on=starts_on,
        )


def do_end_experiment_arms(
    participant_ids: Iterable[uuid.UUID],
    *,
    ends_on: dt.date,
    actor: Actor,
    municipality_ids: Iterable[uuid.UUID] = (),
) -> list[ExperimentArm]:
    """The residents stopped, or the experiment ended: from ``ends_on`` the normal rules apply again (never
    before an arm began; an arm that ended earlier keeps its end). Returns the arms that changed. Pushed by
    ``experiments.actions`` (stopping, closing the experiment), which logs the write and says it on the
    timeline; arms of another municipality are left alone, except those of ``municipality_ids``: the other
    municipalities of a joint experiment, whose lead closes it for all of them."""
    ended = []
    with transaction.atomic():
        arms = ExperimentArm.objects.select_for_update().filter(
            participant_id__in=list(participant_ids),
            resident__municipality_id__in=[actor.municipality_id, *municipality_ids],
        )
        for arm in arms:
            end = max(ends_on, arm.starts_on)
            if arm.ends_on is not None and arm.ends_on <= end:
                continue
            arm.ends_on = end
            arm.save(update_fields=["ends_on"])
            ended.append(arm)
    return ended


def do_add_note(
    resident: Resident,
    *,
    kind: str,
    text: str,
    occurred_at: dt.datetime,
    domain_only: bool,
    attachment: UploadedFile | None,
    actor: Actor,
) -> TimelineEvent:
    """A note or contact written by a caseworker.

    ``domain_only`` keeps it in the caseworker's domain section."""
    _require_writer(actor, resident)
    if kind not in (TimelineEvent.Kind.NOTE, TimelineEvent.Kind.CONTACT):
        raise RuleError("kind", "Kies notitie of contact.")
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise RuleError("occurred_at", "Dit moment ligt in de toekomst.")
    if not text.strip():
        raise RuleError("text", "Schrijf wat er is gebeurd of besproken.")
    return do_add_timeline_event(
        resident,
        kind=kind,
        text=text,
        actor=actor,
        domain=(actor.domain or "") if domain_only else "",
        occurred_at=occurred_at,
        attachment=attachment,
    )


@dataclass(frozen=True)
class TransferResult:
    moved: int
    resident_ids: list[uuid.UUID]


def do_transfer_caseload(
    *, from_user: User, to_user: User, domain: str, actor: Actor, only: Iterable[uuid.UUID] | None = None
) -> TransferResult:
    """Move residents from one caseworker to another in the same domain and municipality (leave,
    reorganisation). Every resident gets a line on the timeline; the processing log names each of them."""
    if not actor.may(Capability.TRANSFER_CASELOAD):
        raise PermissionDenied
    if actor.domain is not None and actor.domain != domain:
        raise RuleError("domain", "U kunt alleen inwoners in uw eigen domein overdragen.")
    role = Role.CASEWORKER_WORK if domain == rules.WORK else Role.CASEWORKER_CARE
    for user, name in ((from_user, "from_user"), (to_user, "to_user")):
        if not Membership.objects.filter(
            user=user, municipality_id=actor.municipality_id, role=role
        ).exists():
            raise RuleError(name, "Deze medewerker werkt niet in dit domein voor uw gemeente.")
    if from_user == to_user:
        raise RuleError("to_user", "Kies een andere medewerker dan de huidige.")
    if not Membership.objects.filter(
        user=to_user, municipality_id=actor.municipality_id, role=role, is_active=True
    ).exists():
        raise RuleError("to_user", "Deze medewerker is niet meer actief.")
    field_name = "caseworker_work" if domain == rules.WORK else "caseworker_care"
    now = timezone.now()
    with transaction.atomic():
        residents = Resident.objects.select_for_update().filter(
            municipality_id=actor.municipality_id, **{field_name: from_user}
        )
        if only is not None:
            residents = residents.filter(pk__in=list(only))
        ids = list(residents.values_list("pk", flat=True))
        Resident.objects.filter(pk__in=ids).update(**{field_name: to_user, "last_activity_at": now})
        text = f"Overgedragen van {from_user.display_name()} aan {to_user.display_name()}."
        TimelineEvent.objects.bulk_create(
            [
                TimelineEvent(
                    resident_id=rid,
                    kind=TimelineEvent.Kind.TRANSFER,
                    domain=domain,
                    occurred_at=now,
                    author=actor.user,
                    text=text,
                )
                for rid in ids
            ],
            batch_size=1000,
        )
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, ids)
    return TransferResult(moved=len(ids), resident_ids=ids)


def do_assign_caseworker(resident: Resident, *, domain: str, user: User, actor: Actor) -> Resident:
    """Make ``user`` the resident's caseworker in ``domain`` (e.g. when a colleague of the other domain
    accepts a request to join or take over). Called by higher apps inside their own transaction."""
    role = Role.CASEWORKER_WORK if domain == rules.WORK else Role.CASEWORKER_CARE
    if (
        resident.municipality_id != actor.municipality_id
        or not Membership.objects.filter(
            user=user, municipality_id=actor.municipality_id, role=role, is_active=True
        ).exists()
    ):
        raise PermissionDenied
    field_name = "caseworker_work" if domain == rules.WORK else "caseworker_care"
    with transaction.atomic():
        Resident.objects.filter(pk=resident.pk).update(
            **{field_name: user, "last_activity_at": timezone.now()}
        )
        setattr(resident, field_name, user)
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [resident.pk])
    return resident


def do_link_account(resident: Resident, *, user: User) -> Resident:
    """Link the account a resident logs in with (made at their first DigiD login) to their file. Only a file
    without an account yet; the login that calls it logs the processing."""
    with transaction.atomic():
        linked = Resident.objects.filter(pk=resident.pk, user__isnull=True).update(user=user)
        if not linked:
            raise PermissionDenied
    resident.user = user
    return resident
