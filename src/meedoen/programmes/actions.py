"""Every write of the programme: one transaction each, refused with a Dutch message at the field
(``RuleError``), logged in the processing log where a resident is concerned."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.budgets.models import Project
from meedoen.errors import RuleError
from meedoen.municipalities.models import Municipality
from meedoen.programmes import rules, selectors, successes, tasks
from meedoen.programmes.defaults import DEFAULT_INDICATORS
from meedoen.programmes.models import (
    CouncilReport,
    Indicator,
    Programme,
    ProjectMember,
    ProjectProfile,
    ProjectText,
    RollupRun,
    Success,
    Target,
    TeamMember,
)
from meedoen.residents import actions as resident_actions
from meedoen.residents.models import Resident


def _require(actor: Actor, capability: Capability) -> None:
    if not actor.may(capability):
        raise PermissionDenied


def _check_period(starts_on: dt.date, ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise RuleError("ends_on", "De einddatum ligt voor de begindatum.")


def do_ensure_indicators(municipality: Municipality) -> int:
    """Store the default indicators the municipality does not have yet; returns how many were added."""
    have = set(Indicator.objects.filter(municipality=municipality).values_list("code", flat=True))
    new = [
        Indicator(municipality=municipality, position=(index + 1) * 10, **fields)
        for index, fields in enumerate(DEFAULT_INDICATORS)
        if fields["code"] not in have
    ]
    Indicator.objects.bulk_create(new)
    return len(new)


def do_save_programme(
    *, name: str, goal: str, starts_on: dt.date, ends_on: dt.date | None, actor: Actor
) -> Programme:
    """Describe the programme (the first time: make it, with the default indicators)."""
    _require(actor, Capability.MANAGE_PROGRAMME)
    _check_period(starts_on, ends_on)
    with transaction.atomic():
        programme, created = Programme.objects.select_for_update().get_or_create(
            municipality_id=actor.municipality_id,
            defaults={
                "name": name,
                "goal": goal,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "updated_by": actor.user,
            },
        )
        if not created:
            programme.name, programme.goal = name, goal
            programme.starts_on, programme.ends_on = starts_on, ends_on
            programme.updated_by = actor.user
            programme.save(update_fields=["name", "goal", "starts_on", "ends_on", "updated_by", "updated_at"])
        else:
            do_ensure_indicators(actor.municipality)
    return programme


def do_add_team_member(
    programme: Programme, *, name: str, department: str, task: str, actor: Actor
) -> TeamMember:
    _require(actor, Capability.MANAGE_PROGRAMME)
    if programme.municipality_id != actor.municipality_id:
        raise PermissionDenied
    with transaction.atomic():
        return TeamMember.objects.create(programme=programme, name=name, department=department, task=task)


def do_remove_team_member(member: TeamMember, *, actor: Actor) -> None:
    _require(actor, Capability.MANAGE_PROGRAMME)
    if member.programme.municipality_id != actor.municipality_id:
        raise PermissionDenied
    with transaction.atomic():
        member.delete()


def do_describe_project(project: Project, *, actor: Actor, **fields: Any) -> ProjectProfile:
    """Describe a budget project for the programme: owner, goal, period, target groups, providers and
    placements. The target groups must be the municipality's own (the form offers only those)."""
    _require(actor, Capability.MANAGE_PROGRAMME)
    if project.municipality_id != actor.municipality_id:
        raise PermissionDenied
    programme = Programme.objects.filter(municipality_id=actor.municipality_id).first()
    if programme is None:
        raise RuleError(None, "Beschrijf eerst het programma.")
    _check_period(fields["starts_on"], fields.get("ends_on"))
    groups = list(fields.pop("target_groups", []))
    providers = list(fields.pop("providers", []))
    placements = list(fields.pop("placements", []))
    if any(group.municipality_id != actor.municipality_id for group in groups):
        raise RuleError("target_groups", "Kies een groep van de eigen gemeente.")
    owner_user = fields.get("owner_user")
    if (
        owner_user is not None
        and not owner_user.memberships.filter(municipality_id=actor.municipality_id, is_active=True).exists()
    ):
        raise RuleError("owner_user", "Kies een collega van de eigen gemeente.")
    with transaction.atomic():
        profile, _created = ProjectProfile.objects.update_or_create(
            project=project, defaults={"programme": programme, **fields}
        )
        profile.target_groups.set(groups)
        profile.providers.set(providers)
        profile.placements.set(placements)
    return profile


def do_add_project_member(
    project: Project, resident: Resident, *, since: dt.date, reason: str, actor: Actor
) -> ProjectMember:
    """A caseworker puts a resident of their own caseload in a project by explicit choice. ``resident`` comes
    from ``residents.selectors.access_resident_for_change`` (scoped to the actor)."""
    _require(actor, Capability.VIEW_RESIDENT_FILE)
    if project.municipality_id != actor.municipality_id or resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    try:
        with transaction.atomic():
            member = ProjectMember.objects.create(
                municipality_id=actor.municipality_id,
                project=project,
                resident=resident,
                since=since,
                reason=reason,
                added_by=actor.user,
            )
            log.record(actor, LogAction.CREATE, Purpose.GUIDANCE, [resident.pk])
    except IntegrityError:
        raise RuleError("project", "Deze inwoner doet al mee aan dit project.") from None
    return member


def do_end_project_member(member: ProjectMember, *, until: dt.date, actor: Actor) -> ProjectMember:
    _require(actor, Capability.VIEW_RESIDENT_FILE)
    if member.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if until < member.since:
        raise RuleError("until", "De einddatum ligt voor de begindatum.")
    with transaction.atomic():
        member.until = until
        member.save(update_fields=["until"])
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [member.resident_id])
    return member


def do_add_indicator(
    *,
    code: str,
    name: str,
    how_computed: str,
    measure: str,
    params: dict[str, Any],
    unit: str,
    higher_is_better: bool,
    target: Decimal | None,
    target_from: dt.date | None,
    target_until: dt.date | None,
    actor: Actor,
) -> Indicator:
    """A functioneel beheerder adds an indicator from the building blocks, with an optional first target."""
    _require(actor, Capability.MANAGE_INDICATORS)
    try:
        rules.check_formula(
            measure,
            {
                "phase": params.get("phase") or "",
                "months": params.get("months"),
                "min_age": params.get("min_age"),
                "target_group": params.get("target_group"),
            },
        )
    except rules.FormulaError as error:
        raise RuleError(error.field, error.message) from None
    group = params.get("target_group")
    if group is not None and group.municipality_id != actor.municipality_id:
        raise RuleError("target_group", "Kies een groep van de eigen gemeente.")
    if target is not None and (target_from is None or target_until is None):
        raise RuleError("target_from", "Geef aan voor welke maanden de streefwaarde geldt.")
    if target_from and target_until and target_until < target_from:
        raise RuleError("target_until", "De laatste maand ligt voor de eerste.")
    position = (Indicator.objects.filter(municipality_id=actor.municipality_id).count() + 1) * 10
    try:
        with transaction.atomic():
            indicator = Indicator.objects.create(
                municipality_id=actor.municipality_id,
                code=code,
                name=name,
                how_computed=how_computed,
                measure=measure,
                phase=params.get("phase") or "",
                months=params.get("months"),
                min_age=params.get("min_age"),
                target_group=group,
                unit=unit,
                higher_is_better=higher_is_better,
                position=position,
                created_by=actor.user,
            )
            if target is not None and target_from and target_until:
                Target.objects.create(
                    indicator=indicator,
                    starts_on=rules.month_of(target_from),
                    ends_on=rules.month_of(target_until),
                    value=target,
                )
    except IntegrityError:
        raise RuleError("code", "Er is al een indicator met deze code.") from None
    return indicator


def do_set_target(
    indicator: Indicator, *, value: Decimal, starts_on: dt.date, ends_on: dt.date, actor: Actor
) -> Target:
    """Set the target for a range of months; an earlier target for the same first month is replaced."""
    _require(actor, Capability.MANAGE_INDICATORS)
    if indicator.municipality_id != actor.municipality_id:
        raise PermissionDenied
    if ends_on < starts_on:
        raise RuleError("ends_on", "De laatste maand ligt voor de eerste.")
    with transaction.atomic():
        target, _created = Target.objects.update_or_create(
            indicator=indicator,
            starts_on=rules.month_of(starts_on),
            defaults={"ends_on": rules.month_of(ends_on), "value": value},
        )
    return target


def do_request_rollup(month: dt.date, *, actor: Actor) -> RollupRun:
    """Queue a refresh of the indicators of one month (the background job does the work)."""
    if not (actor.may(Capability.MANAGE_PROGRAMME) or actor.may(Capability.MANAGE_INDICATORS)):
        raise PermissionDenied
    month = rules.month_of(month)
    if month > rules.month_of(timezone.localdate()):
        raise RuleError("month", "Een maand die nog moet komen kan niet worden berekend.")
    with transaction.atomic():
        run = RollupRun.objects.create(
            municipality_id=actor.municipality_id, month=month, requested_by=actor.user
        )
        transaction.on_commit(lambda: tasks.refresh_rollup.enqueue(str(run.pk)))
    return run


def queue_rollup(municipality_id: uuid.UUID, month: dt.date) -> RollupRun:
    """Queue a refresh without a person asking (the scheduled refresh, the demo)."""
    with transaction.atomic():
        run = RollupRun.objects.create(municipality_id=municipality_id, month=rules.month_of(month))
        transaction.on_commit(lambda: tasks.refresh_rollup.enqueue(str(run.pk)))
    return run


# ------------------------------------------------------------------------------------- council report


def _check_quarter(period: rules.Period) -> None:
    if len(period.months) != 3:
        raise RuleError("quarter", "Kies een kwartaal, zoals 2026-Q2.")
    if period.first > timezone.localdate():
        raise RuleError("quarter", "Dit kwartaal is nog niet begonnen. Kies een kwartaal dat al begonnen is.")


def do_request_council_report(period: rules.Period, *, actor: Actor, queue: bool = True) -> CouncilReport:
    """Queue the council report of a quarter (the background job builds it; the page shows its progress).
    The command line builds it at once instead (``queue=False``). One report of a quarter is made at a time:
    the municipality's row is locked while we look, so two requests at the same moment cannot both start
    one. A report still unfinished ``CouncilReport.STUCK_AFTER`` after it was asked for is stuck (its worker
    died): it is marked failed, and the new one starts."""
    _require(actor, Capability.MAKE_COUNCIL_REPORT)
    _check_quarter(period)
    unfinished = [CouncilReport.Status.QUEUED, CouncilReport.Status.RUNNING]
    with transaction.atomic():
        Municipality.objects.select_for_update().get(pk=actor.municipality_id)
        now = timezone.now()
        CouncilReport.objects.filter(
            municipality_id=actor.municipality_id,
            status__in=unfinished,
            created_at__lt=now - CouncilReport.STUCK_AFTER,
        ).update(status=CouncilReport.Status.FAILED, finished_at=now)
        if CouncilReport.objects.filter(
            municipality_id=actor.municipality_id, quarter=period.label, status__in=unfinished
        ).exists():
            raise RuleError(
                "quarter", "De rapportage van dit kwartaal wordt al gemaakt. Wacht tot die klaar is."
            )
        report = CouncilReport.objects.create(
            municipality_id=actor.municipality_id,
            quarter=period.label,
            requested_by=actor.user,
            membership=actor.membership,
        )
        if queue:
            transaction.on_commit(lambda: tasks.build_council_report.enqueue(str(report.pk)))
    return report


def do_save_project_text(project: Project, period: rules.Period, *, text: str, actor: Actor) -> ProjectText:
    """Write (or rewrite) a project's text for a quarter's council report. ``project`` comes from
    ``selectors.project_text_for_change`` (the project's owner or a programme manager). The text is about the
    project, not about residents, so it is not in the processing log."""
    if project.municipality_id != actor.municipality_id or not selectors.may_write_text(actor, project):
        raise PermissionDenied
    if len(period.months) != 3:
        raise RuleError("quarter", "Kies een kwartaal, zoals 2026-Q2.")
    if not text.strip():
        raise RuleError("text", "Schrijf een korte tekst over het project.")
    with transaction.atomic():
        written, _created = ProjectText.objects.update_or_create(
            project=project,
            quarter=period.label,
            defaults={
                "municipality_id": actor.municipality_id,
                "text": text.strip(),
                "written_by": actor.user,
            },
        )
    return written


# ------------------------------------------------------------------------------------------- successes


def do_propose_successes(*, actor: Actor, today: dt.date | None = None) -> list[Success]:
    """Propose the successes of the own caseload from the data (a rung climbed, a first paid month) that
    are not stored yet. Running it again proposes nothing twice: a success is one per event, and a
    rejected one stays rejected. The nightly job does the same for every caseload
    (``successes.do_propose_nightly``)."""
    today = today or timezone.localdate()
    events = selectors.success_events(actor, today)  # asks own_caseload: 403 for a role without it
    return successes.store_proposals(
        lambda: events,
        municipality_id=actor.municipality_id,
        proposed_by=actor.user,
        record=lambda ids: log.record(actor, LogAction.CREATE, Purpose.GUIDANCE, ids),
    )


def do_add_certificate(
    resident: Resident, *, certificate: str, happened_on: dt.date, actor: Actor
) -> Success:
    """A caseworker adds a certificate the resident earned (Meedoen does not record certificates itself).
    ``resident`` comes from ``selectors.own_resident``."""
    if resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    selectors.own_resident(resident.pk, actor)
    if happened_on > timezone.localdate():
        raise RuleError("happened_on", "Deze datum ligt in de toekomst.")
    with transaction.atomic():
        success = Success.objects.create(
            municipality_id=actor.municipality_id,
            resident=resident,
            kind=Success.Kind.CERTIFICATE,
            happened_on=happened_on,
            source=Success.Source.BY_HAND,
            source_key=f"hand:{uuid.uuid4()}",
            certificate=certificate.strip(),
            proposed_by=actor.user,
        )
        log.record(actor, LogAction.CREATE, Purpose.GUIDANCE, [resident.pk])
    return success


def _locked_success(success: Success, actor: Actor) -> Success:
    """The success again, locked, and still in the own caseload (it may have moved since the page)."""
    selectors.access_success_for_change(success.pk, actor)
    return Success.objects.select_for_update().get(pk=success.pk)


def do_approve_success(success: Success, *, text: str, resident_agreed: bool, actor: Actor) -> Success:
    """Record that the resident read this text and agreed that it is shared (on the successes page and in
    the council report). A changed text of an approved success needs the approval again, so it is stored
    as approved again with this recording."""
    text = text.strip()
    if not text:
        raise RuleError("text", "Schrijf samen met de inwoner een tekst.")
    if not resident_agreed:
        raise RuleError("resident_agreed", "Vink aan dat de inwoner deze tekst goedvindt.")
    with transaction.atomic():
        locked = _locked_success(success, actor)
        if locked.status not in (Success.Status.PROPOSED, Success.Status.APPROVED):
            raise RuleError("text", "Dit succes is al gedeeld, afgewezen of teruggenomen.")
        locked.text = text
        locked.status = Success.Status.APPROVED
        locked.consent_recorded_by = actor.user
        locked.consent_recorded_at = timezone.now()
        locked.save(
            update_fields=["text", "status", "consent_recorded_by", "consent_recorded_at", "updated_at"]
        )
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [locked.resident_id])
    return locked


def do_publish_success(success: Success, *, actor: Actor, text: str | None = None) -> Success:
    """Share an approved success on the successes page; without the resident's recorded approval, no. With
    ``text`` (the text on the screen when the button was pressed): refused when it is not the approved one."""
    with transaction.atomic():
        locked = _locked_success(success, actor)
        if locked.status != Success.Status.APPROVED or locked.consent_recorded_at is None:
            raise RuleError("text", "Deel een succes pas als de inwoner de tekst heeft goedgekeurd.")
        if text is not None and text.strip() != locked.text:
            raise RuleError(
                "text",
                "U veranderde de tekst. Leg eerst opnieuw het akkoord van de inwoner vast, en deel dan.",
            )
        locked.status = Success.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [locked.resident_id])
    return locked


def do_reject_success(success: Success, *, actor: Actor) -> Success:
    """Not a success to share (the resident does not want it, or it is not one): it is not proposed again."""
    with transaction.atomic():
        locked = _locked_success(success, actor)
        if locked.status not in (Success.Status.PROPOSED, Success.Status.APPROVED):
            raise RuleError("text", "Een gedeeld succes haalt u weg met 'Niet meer delen'.")
        locked.status = Success.Status.REJECTED
        locked.save(update_fields=["status", "updated_at"])
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [locked.resident_id])
    return locked


def do_take_down_success(success: Success, *, actor: Actor) -> Success:
    """The resident no longer wants it shared: it leaves the successes page (and later council reports)."""
    with transaction.atomic():
        locked = _locked_success(success, actor)
        if locked.status != Success.Status.PUBLISHED:
            raise RuleError("text", "Dit succes is niet gedeeld.")
        locked.status = Success.Status.TAKEN_DOWN
        locked.taken_down_at = timezone.now()
        locked.save(update_fields=["status", "taken_down_at", "updated_at"])
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [locked.resident_id])
    return locked


def _clear_approval(success: Success) -> list[str]:
    """Back to *voorgesteld*: the approved text and its approval are no longer the resident's wish."""
    success.status = Success.Status.PROPOSED
    success.text = ""
    success.consent_recorded_by = None
    success.consent_recorded_at = None
    success.published_at = None
    return ["status", "text", "consent_recorded_by", "consent_recorded_at", "published_at"]


def do_offer_success_text(success: Success, *, text: str, actor: Actor) -> Success:
    """Put a text to the resident in Mijn Meedoen (after they suggested other words, or instead of a
    conversation): the resident reads it there and agrees or not. An approval of an earlier text no longer
    holds: the success waits for the resident's answer to this one."""
    text = text.strip()
    if not text:
        raise RuleError("text", "Schrijf samen met de inwoner een tekst.")
    with transaction.atomic():
        locked = _locked_success(success, actor)
        if locked.status not in (Success.Status.PROPOSED, Success.Status.APPROVED):
            raise RuleError("text", "Dit succes is al gedeeld, afgewezen of teruggenomen.")
        fields = _clear_approval(locked) if locked.status == Success.Status.APPROVED else []
        locked.draft = text
        locked.resident_answer = ""
        locked.offered_at = timezone.now()
        locked.offered_by = actor.user
        locked.save(
            update_fields=[*fields, "draft", "resident_answer", "offered_at", "offered_by", "updated_at"]
        )
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [locked.resident_id])
    return locked


# ------------------------------------------------------------------- the resident's answer, in Mijn Meedoen


def _locked_own_success(success: Success, actor: Actor) -> Success:
    """The success again, locked; only the resident whose success it is may answer (403 otherwise)."""
    if success.municipality_id != actor.municipality_id or not resident_actions.is_own_file(
        success.resident, actor
    ):
        raise PermissionDenied
    return Success.objects.select_for_update().get(pk=success.pk)


def _answered(success: Success, answer: str) -> list[str]:
    success.resident_answer = answer
    success.resident_answered_at = timezone.now()
    return ["resident_answer", "resident_answered_at", "updated_at"]


def do_agree_to_success(success: Success, *, mark: str, actor: Actor) -> Success:
    """The resident agrees, in Mijn Meedoen, that the text put to them is shared (on the successes page and
    in the council report). ``mark`` is ``successes.text_mark`` of the text the page showed: when the text
    changed since, nothing is approved. The text stored is the one shown, word for word; the caseworker
    shares it."""
    with transaction.atomic():
        locked = _locked_own_success(success, actor)
        if locked.status != Success.Status.PROPOSED:
            raise RuleError(None, "Over dit succes gaf u al antwoord.")
        if locked.resident_answer == Success.ResidentAnswer.OTHER_WORDS:
            # The old text is not the resident's wish: they wait for the caseworker's new one.
            raise RuleError(
                None,
                "U stelde andere woorden voor. Wacht op de nieuwe tekst van uw klantmanager of consulent.",
            )
        text = successes.text_for_resident(locked)
        if mark != successes.text_mark(text):
            raise RuleError(None, "De tekst is net veranderd. Lees de nieuwe tekst en kies dan opnieuw.")
        locked.text = text
        locked.status = Success.Status.APPROVED
        locked.consent_recorded_by = actor.user
        locked.consent_recorded_at = timezone.now()
        fields = _answered(locked, Success.ResidentAnswer.AGREED)
        locked.save(update_fields=["text", "status", "consent_recorded_by", "consent_recorded_at", *fields])
        log.record(actor, LogAction.UPDATE, Purpose.OWN_FILE, [locked.resident_id])
    return locked


def do_refuse_success(success: Success, *, actor: Actor) -> Success:
    """The resident does not want it shared: a success not shared yet is rejected (and not proposed
    again); a shared one is taken down (off the successes page and out of later council reports)."""
    with transaction.atomic():
        locked = _locked_own_success(success, actor)
        if locked.status in (Success.Status.PROPOSED, Success.Status.APPROVED):
            locked.status = Success.Status.REJECTED
            fields = ["status"]
        elif locked.status == Success.Status.PUBLISHED:
            locked.status = Success.Status.TAKEN_DOWN
            locked.taken_down_at = timezone.now()
            fields = ["status", "taken_down_at"]
        else:
            raise RuleError(None, "Dit succes wordt al niet gedeeld.")
        fields += _answered(locked, Success.ResidentAnswer.REFUSED)
        locked.save(update_fields=fields)
        log.record(actor, LogAction.UPDATE, Purpose.OWN_FILE, [locked.resident_id])
    return locked


def do_suggest_success_words(success: Success, *, words: str, actor: Actor) -> Success:
    """The resident suggests other words: the success goes back to the caseworker to adjust the text, and is
    not shared (an approved or shared text comes off) until the resident agrees to a text word for word."""
    words = words.strip()
    if not words:
        raise RuleError("words", "Schrijf de woorden die u wilt.")
    with transaction.atomic():
        locked = _locked_own_success(success, actor)
        if locked.status not in (
            Success.Status.PROPOSED,
            Success.Status.APPROVED,
            Success.Status.PUBLISHED,
        ):
            raise RuleError("words", "Dit succes wordt niet gedeeld.")
        fields = _clear_approval(locked)
        locked.resident_words = words
        fields += ["resident_words", *_answered(locked, Success.ResidentAnswer.OTHER_WORDS)]
        locked.save(update_fields=fields)
        log.record(actor, LogAction.UPDATE, Purpose.OWN_FILE, [locked.resident_id])
    return locked
