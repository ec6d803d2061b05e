"""Every write of the portal: the DigiD login that opens a resident's account, marking a place, asking for a
conversation, the resident's own words, a correction request and its answer, a copy of one's data.

The resident acts on their own file only (``_own``); a caseworker answers requests about residents whose
file they may open. Each write is one transaction with its processing-log row."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from meedoen.accounts import actions as account_actions
from meedoen.accounts.actor import Actor
from meedoen.accounts.models import Membership, User
from meedoen.accounts.policies import Capability, Role
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.catalogue.models import Placement
from meedoen.errors import RuleError
from meedoen.municipalities.models import InterestTag, Municipality
from meedoen.portal import tasks
from meedoen.portal.models import (
    PART_DOMAIN,
    CorrectionRequest,
    DataExport,
    FilePart,
    OwnWords,
    PlaceInterest,
    PortalSettings,
)
from meedoen.residents import actions as resident_actions
from meedoen.residents import selectors as resident_selectors
from meedoen.residents.models import Resident

DIGID_ENDPOINT = "digid:acs"


@dataclass(frozen=True)
class DigidLogin:
    user: User
    membership: Membership
    resident: Resident


def do_digid_login(*, bsn: str, municipality_id: uuid.UUID) -> DigidLogin | None:
    """The person DigiD vouches for logs in to their file in this municipality: the first time, Meedoen
    makes their account (no password: only DigiD opens it). None when the municipality has no file with
    this BSN, or the account was switched off."""
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    resident = resident_selectors.file_for_digid_login(municipality_id, bsn) if municipality else None
    if resident is None or municipality is None:
        return None
    with transaction.atomic():
        user = resident.user
        created = user is None
        if user is None:
            user, _membership = account_actions.do_create_user(
                username=f"digid.{resident.pk.hex[:16]}",
                first_name=resident.given_names,
                last_name=" ".join(p for p in (resident.name_prefix, resident.family_name) if p),
                email="",
                password=None,
                municipality=municipality,
                role=Role.RESIDENT,
                actor=None,
            )
            resident_actions.do_link_account(resident, user=user)
        if not user.is_active:
            return None
        found = Membership.objects.filter(
            user=user, municipality=municipality, role=Role.RESIDENT, is_active=True
        ).first()
        if found is None:
            return None
        membership = found
        actor = Actor(user=user, membership=membership, endpoint=DIGID_ENDPOINT)
        log.record(actor, LogAction.CREATE if created else LogAction.VIEW, Purpose.OWN_FILE, [resident.pk])
    return DigidLogin(user=user, membership=membership, resident=resident)


def _own(resident: Resident, actor: Actor) -> None:
    """The resident acts on their own file only (``residents.actions.is_own_file``)."""
    if not resident_actions.is_own_file(resident, actor):
        raise PermissionDenied


def _answering(resident: Resident, actor: Actor, *, domain: str = "") -> None:
    """A caseworker answers a resident's request: a caseworker who may open the resident's file, and, for a
    request about a domain-bound part, sees that part (their own domain, the other with consent)."""
    if (
        not actor.may(Capability.VIEW_RESIDENT_FILE)
        or actor.domain is None
        or not resident_selectors.may_open_file(resident.pk, actor)
    ):
        raise PermissionDenied
    if domain and domain not in resident_selectors.visible_domains_of(resident, actor):
        raise PermissionDenied


def do_mark_interest(resident: Resident, placement: Placement, *, actor: Actor) -> PlaceInterest:
    """The resident finds a place interesting. Marking it twice keeps the first mark."""
    _own(resident, actor)
    with transaction.atomic():
        interest, _created = PlaceInterest.objects.get_or_create(
            resident=resident,
            placement=placement,
            defaults={"municipality_id": resident.municipality_id, "marked_at": timezone.now()},
        )
        log.record(actor, LogAction.CREATE, Purpose.OWN_FILE, [resident.pk])
    return interest


def do_unmark_interest(interest: PlaceInterest, *, actor: Actor) -> None:
    _own(interest.resident, actor)
    if interest.conversation_asked_at is not None and interest.answered_at is None:
        raise RuleError(None, "U heeft om een gesprek over deze plek gevraagd. Dat gesprek loopt nog.")
    with transaction.atomic():
        interest.delete()
        log.record(actor, LogAction.DELETE, Purpose.OWN_FILE, [interest.resident_id])


def do_ask_conversation(
    resident: Resident, placement: Placement, *, question: str, actor: Actor
) -> PlaceInterest:
    """The resident asks their caseworker for a conversation about a place: it appears on the caseworker's
    worklist until the caseworker answers."""
    _own(resident, actor)
    with transaction.atomic():
        interest, _created = PlaceInterest.objects.select_for_update().get_or_create(
            resident=resident,
            placement=placement,
            defaults={"municipality_id": resident.municipality_id, "marked_at": timezone.now()},
        )
        if interest.conversation_asked_at is not None and interest.answered_at is None:
            raise RuleError(None, "U heeft al om een gesprek over deze plek gevraagd.")
        interest.conversation_asked_at = timezone.now()
        interest.conversation_question = question.strip()
        interest.answered_at = None
        interest.answered_by = None
        interest.answer = ""
        interest.save()
        log.record(actor, LogAction.UPDATE, Purpose.OWN_FILE, [resident.pk])
    return interest


def do_answer_conversation(interest: PlaceInterest, *, answer: str, actor: Actor) -> PlaceInterest:
    """The caseworker answers a request for a conversation (a date, a call, or why not this place)."""
    _answering(interest.resident, actor)
    if not answer.strip():
        raise RuleError("answer", "Schrijf een antwoord voor de inwoner.")
    if interest.answered_at is not None:
        raise RuleError(None, "Deze vraag is al beantwoord.")
    with transaction.atomic():
        interest.answer = answer.strip()
        interest.answered_at = timezone.now()
        interest.answered_by = actor.user
        interest.save(update_fields=["answer", "answered_at", "answered_by"])
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [interest.resident_id])
    return interest


def do_save_own_words(
    resident: Resident, *, interests_text: str, availability_text: str, actor: Actor
) -> OwnWords:
    _own(resident, actor)
    with transaction.atomic():
        words, _created = OwnWords.objects.update_or_create(
            resident=resident,
            defaults={
                "interests_text": interests_text.strip(),
                "availability_text": availability_text.strip(),
                "updated_at": timezone.now(),
            },
        )
        log.record(actor, LogAction.UPDATE, Purpose.OWN_FILE, [resident.pk])
    return words


def do_save_wishes(
    resident: Resident,
    *,
    hours_per_week: int | None,
    preferred_days: list[str],
    interests: Iterable[InterestTag],
    interests_text: str,
    availability_text: str,
    version: int,
    actor: Actor,
) -> OwnWords:
    """What I like and when I can: the profile fields a resident may change (``residents.actions.
    RESIDENT_PROFILE_FIELDS``) and their own words, in one transaction: both saved, or neither."""
    _own(resident, actor)
    with transaction.atomic():
        resident_actions.do_update_profile(
            resident,
            values={"hours_per_week": hours_per_week, "preferred_days": preferred_days},
            interests=interests,
            version=version,
            actor=actor,
        )
        return do_save_own_words(
            resident, interests_text=interests_text, availability_text=availability_text, actor=actor
        )


def do_ask_correction(resident: Resident, *, part: str, text: str, actor: Actor) -> CorrectionRequest:
    """A request to correct the file (AVG art. 16): it reaches the resident's caseworkers' worklists. It
    belongs to the domain of the part it is about (``PART_DOMAIN``), so staff see it as they see that part."""
    _own(resident, actor)
    if part not in FilePart.values:
        raise RuleError("part", "Kies welk deel niet klopt.")
    if not text.strip():
        raise RuleError("text", "Schrijf wat er niet klopt en wat het wel moet zijn.")
    with transaction.atomic():
        request = CorrectionRequest.objects.create(
            municipality_id=resident.municipality_id,
            resident=resident,
            part=part,
            domain=PART_DOMAIN.get(part, ""),
            text=text.strip(),
            asked_at=timezone.now(),
        )
        log.record(actor, LogAction.CREATE, Purpose.OWN_FILE, [resident.pk])
    return request


def do_answer_correction(
    request: CorrectionRequest, *, corrected: bool, answer: str, actor: Actor
) -> CorrectionRequest:
    """The caseworker answers: corrected (after changing the file through its own form) or not, and why.
    The resident reads the answer in the portal."""
    _answering(request.resident, actor, domain=request.domain)
    if not answer.strip():
        raise RuleError("answer", "Schrijf een antwoord voor de inwoner.")
    if request.status != CorrectionRequest.Status.OPEN:
        raise RuleError(None, "Dit verzoek is al beantwoord.")
    with transaction.atomic():
        request.status = (
            CorrectionRequest.Status.CORRECTED if corrected else CorrectionRequest.Status.NOT_CORRECTED
        )
        request.answer = answer.strip()
        request.answered_by = actor.user
        request.answered_at = timezone.now()
        request.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        log.record(actor, LogAction.UPDATE, Purpose.GUIDANCE, [request.resident_id])
    return request


def do_request_export(resident: Resident, *, actor: Actor) -> DataExport:
    """Ask for a copy of everything Meedoen holds about me (AVG art. 15): a background job makes a PDF and
    a JSON file. One job at a time per resident: the resident's row is locked while we look, so two
    requests at the same moment cannot both start one. A job still unfinished ``DataExport.STUCK_AFTER``
    after it was asked for is stuck: it is marked failed, and a new one starts."""
    _own(resident, actor)
    unfinished = [DataExport.Status.WAITING, DataExport.Status.RUNNING]
    with transaction.atomic():
        Resident.objects.select_for_update().filter(pk=resident.pk).first()
        now = timezone.now()
        DataExport.objects.filter(
            resident=resident, status__in=unfinished, requested_at__lt=now - DataExport.STUCK_AFTER
        ).update(status=DataExport.Status.FAILED, progress=0)
        if DataExport.objects.filter(resident=resident, status__in=unfinished).exists():
            raise RuleError(None, "Uw kopie wordt al gemaakt. Even geduld.")
        export = DataExport.objects.create(
            municipality_id=resident.municipality_id,
            resident=resident,
            requested_by=actor.user,
            requested_at=now,
        )
        log.record(actor, LogAction.EXPORT, Purpose.OWN_FILE, [resident.pk])
        transaction.on_commit(lambda: tasks.make_export.enqueue(str(export.pk)))
    return export


def do_record_download(export: DataExport, *, kind: str, actor: Actor) -> None:
    """A download of the copy is itself a processing of personal data: logged."""
    _own(export.resident, actor)
    log.record(actor, LogAction.EXPORT, Purpose.OWN_FILE, [export.resident_id])


# ------------------------------------------------------------------------- the municipality's setting


def do_set_portal_settings(*, show_staff_names: bool, actor: Actor) -> PortalSettings:
    """The functioneel beheerder chooses whether residents see the names of the staff who looked at their
    file (on *Wie keek er* and in the copy of their data), or only their organisation and role."""
    if not actor.may(Capability.CONFIGURE_PROGRAMME):
        raise PermissionDenied
    with transaction.atomic():
        chosen, _created = PortalSettings.objects.update_or_create(
            municipality_id=actor.municipality_id, defaults={"show_staff_names": show_staff_names}
        )
        log.record(actor, LogAction.UPDATE, Purpose.ADMINISTRATION)
    return chosen
