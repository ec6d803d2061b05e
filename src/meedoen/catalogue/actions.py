"""Every write of the catalogue: providers, placements, proposals, seats, attendance and progress reports.

Each action checks who may do it, runs in one transaction and writes the processing log in it when a
resident is concerned. Events the caseworker should see go onto the resident's timeline through
``residents.actions.do_add_timeline_event``; the proposer is told in the app through ``do_notify``.
"""

import datetime as dt
import decimal
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.actions import do_create_user, do_notify, do_resolve_notifications
from meedoen.accounts.actor import Actor
from meedoen.accounts.models import Membership
from meedoen.accounts.policies import Capability, Role
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.catalogue import rules, signals
from meedoen.catalogue.models import (
    Attendance,
    Contract,
    DeclineReason,
    Funding,
    Placement,
    PlacementChange,
    PlacementTag,
    Pricing,
    ProgressReport,
    Proposal,
    Provider,
    ProviderStaff,
    Seat,
    ShareableItem,
)
from meedoen.catalogue.selectors import known_tag_codes, provider_of, provider_staff_in
from meedoen.errors import RuleError
from meedoen.residents.actions import StaleEdit, do_add_timeline_event
from meedoen.residents.models import LegalBasis, Resident, TimelineEvent
from meedoen.residents.selectors import visible_domains_of

# ---------------------------------------------------------------------------------------------- providers


def _require(actor: Actor, capability: Capability) -> None:
    if not actor.may(capability):
        raise PermissionDenied


def _require_visible_proposal(proposal: Proposal, actor: Actor, *, own_domain_only: bool = False) -> None:
    """A caseworker acts on a proposal of their municipality and of a domain they see: their own, or, unless
    ``own_domain_only``, the other one with the resident's consent."""
    if proposal.municipality_id != actor.municipality_id:
        raise PermissionDenied
    domains = {str(actor.domain)} if own_domain_only else visible_domains_of(proposal.resident, actor)
    if proposal.domain not in domains:
        raise PermissionDenied


def do_create_provider(
    values: dict[str, Any],
    *,
    starts_on: dt.date,
    ends_on: dt.date | None,
    task_budget: decimal.Decimal | None,
    actor: Actor,
) -> Provider:
    """A new provider with a contract with the actor's municipality; ``task_budget`` is the contract's
    lump sum per year for taakgericht work (None: no such sum)."""
    _require(actor, Capability.MANAGE_PROVIDERS)
    _check_contract(starts_on, ends_on, task_budget)
    with transaction.atomic():
        provider = Provider.objects.create(**values)
        Contract.objects.create(
            provider=provider,
            municipality_id=actor.municipality_id,
            starts_on=starts_on,
            ends_on=ends_on,
            task_budget=task_budget,
        )
    return provider


def do_update_provider(
    provider: Provider,
    values: dict[str, Any],
    *,
    starts_on: dt.date,
    ends_on: dt.date | None,
    task_budget: decimal.Decimal | None,
    actor: Actor,
) -> Provider:
    """Change the provider's details and its contract with the actor's municipality (not other contracts)."""
    _require(actor, Capability.MANAGE_PROVIDERS)
    _check_contract(starts_on, ends_on, task_budget)
    with transaction.atomic():
        for name, value in values.items():
            setattr(provider, name, value)
        provider.save()
        Contract.objects.update_or_create(
            provider=provider,
            municipality_id=actor.municipality_id,
            defaults={"starts_on": starts_on, "ends_on": ends_on, "task_budget": task_budget},
        )
    return provider


def _check_contract(starts_on: dt.date, ends_on: dt.date | None, task_budget: decimal.Decimal | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise RuleError("contract_ends_on", "Het contract kan niet eindigen voordat het begint.")
    if task_budget is not None and task_budget < 0:
        raise RuleError("contract_task_budget", "Het vaste bedrag kan niet negatief zijn.")


def do_add_provider_user(
    provider: Provider,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    actor: Actor,
) -> Membership:
    """A login for someone who works at the provider, in the actor's municipality."""
    _require(actor, Capability.MANAGE_PROVIDERS)
    with transaction.atomic():
        _user, membership = do_create_user(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            password=password,
            municipality=actor.municipality,
            role=Role.PROVIDER,
            actor=actor,
        )
        ProviderStaff.objects.create(membership=membership, provider=provider)
    return membership


# --------------------------------------------------------------------------------------------- placements

PLACEMENT_FIELDS = (
    "reference",
    "title",
    "description",
    "kind",
    "street",
    "postcode",
    "city",
    "district",
    "latitude",
    "longitude",
    "wheelchair_accessible",
    "transit_nearby",
    "capacity",
    "days",
    "start_time",
    "end_time",
    "workload",
    "physical_demands",
    "dutch_level",
    "learning",
    "funding",
    "pricing",
    "price",
    "price_unit",
    "is_open",
)


def _price_terms(values: dict[str, Any]) -> rules.PriceTerms:
    return rules.settle_price(
        values.get("pricing") or Pricing.EFFORT.value, values.get("price_unit") or "", values.get("price")
    )


def check_placement(values: dict[str, Any], tags: Sequence[str], known_tags: set[str]) -> dict[str, str]:
    """Every rule of a placement that is not a matter of shape, as {field: Dutch message}."""
    errors: dict[str, str] = {}
    for name, message in rules.check_schedule(values["days"], values["start_time"], values["end_time"]):
        errors.setdefault(name, message)
    if values["capacity"] is None or values["capacity"] < 1:
        errors["capacity"] = "Een plek heeft minstens 1 plaats."
    for name, message in _price_terms(values).errors:
        errors.setdefault(name, message)
    unknown = sorted(set(tags) - known_tags)
    if unknown:
        errors["tags"] = f"Onbekende interesse: {', '.join(unknown)}. Kies uit de lijst van de gemeente."
    if not -90 <= float(values["latitude"]) <= 90:
        errors["latitude"] = "De breedtegraad ligt tussen -90 en 90."
    if not -180 <= float(values["longitude"]) <= 180:
        errors["longitude"] = "De lengtegraad ligt tussen -180 en 180."
    return errors


class PlacementInvalid(Exception):
    """A placement breaks one or more rules; ``errors`` maps field to Dutch message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _jsonable(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _save_placement(
    provider: Provider,
    placement: Placement | None,
    values: dict[str, Any],
    tags: Sequence[str],
    *,
    known_tags: set[str],
    actor: Actor,
) -> tuple[Placement, bool]:
    """Create or change one placement inside the caller's transaction. Returns (placement, changed)."""
    values = {**values, "days": rules.ordered_days(values["days"])}
    errors = check_placement(values, tags, known_tags)
    if errors:
        raise PlacementInvalid(errors)
    terms = _price_terms(values)
    values |= {"pricing": terms.pricing, "price": terms.price, "price_unit": terms.unit}
    tags = sorted(set(tags))
    now = timezone.now()
    if placement is None:
        placement = Placement(provider=provider, tags=tags, **values)
        placement.save()
        PlacementTag.objects.bulk_create([PlacementTag(placement=placement, code=code) for code in tags])
        PlacementChange.objects.create(
            placement=placement,
            version=1,
            changed_by=actor.user,
            changed_at=now,
            changes={name: [None, _jsonable(value)] for name, value in values.items()}
            | {"tags": [None, tags]},
        )
        return placement, True
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    changes = {}
    for name, value in values.items():
        old = getattr(placement, name)
        if _jsonable(old) != _jsonable(value) and not (
            isinstance(old, decimal.Decimal) and old == decimal.Decimal(str(value))
        ):
            changes[name] = [_jsonable(old), _jsonable(value)]
    if sorted(placement.tags) != tags:
        changes["tags"] = [sorted(placement.tags), tags]
    if not changes:
        return placement, False
    if "capacity" in changes:
        in_use = placement.seats.filter(ended_on__isnull=True).count()
        highest = max(
            placement.seats.filter(ended_on__isnull=True).values_list("number", flat=True), default=0
        )
        if values["capacity"] < max(in_use, highest):
            raise PlacementInvalid(
                {
                    "capacity": f"Er zijn nu {in_use} plaatsen in gebruik (tot en met plaats {highest}). "
                    "Verlaag het aantal pas als die plaatsen vrij zijn."
                }
            )
    for name, value in values.items():
        setattr(placement, name, value)
    placement.tags = tags
    placement.version += 1
    placement.save()
    if "tags" in changes:
        PlacementTag.objects.filter(placement=placement).delete()
        PlacementTag.objects.bulk_create([PlacementTag(placement=placement, code=code) for code in tags])
    PlacementChange.objects.create(
        placement=placement, version=placement.version, changed_by=actor.user, changed_at=now, changes=changes
    )
    return placement, True


def do_save_placement(
    placement: Placement | None,
    values: dict[str, Any],
    tags: Sequence[str],
    *,
    version: int | None = None,
    actor: Actor,
) -> Placement:
    """A provider user creates (``placement`` None) or changes one of the provider's own placements.

    ``version`` is the version the form was opened at; if someone saved in between, StaleEdit."""
    provider = provider_of(actor)
    if placement is not None and placement.provider_id != provider.pk:
        raise PermissionDenied
    same_reference = Placement.objects.filter(provider=provider, reference=values.get("reference") or "-")
    if placement is not None:
        same_reference = same_reference.exclude(pk=placement.pk)
    if values.get("reference") and same_reference.exists():
        raise PlacementInvalid({"reference": "U gebruikt dit kenmerk al voor een andere plek."})
    with transaction.atomic():
        if placement is not None and version is not None:
            current = (
                Placement.objects.select_for_update().values_list("version", flat=True).get(pk=placement.pk)
            )
            if current != version:
                raise StaleEdit
        saved, _changed = _save_placement(
            provider, placement, values, tags, known_tags=known_tag_codes(provider), actor=actor
        )
    return saved


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    placements: list[Placement] = field(default_factory=list)


class BatchInvalid(Exception):
    """One or more rows of a batch are wrong; nothing was saved. ``errors`` maps row index to field errors."""

    def __init__(self, errors: dict[int, dict[str, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def do_upsert_placements(rows: Sequence[tuple[dict[str, Any], list[str]]], *, actor: Actor) -> UpsertResult:
    """Sync a provider's placements from its own system, by its own ``reference``: a row whose reference
    exists changes that placement, a new reference creates one, sending the same rows twice changes
    nothing. All rows or none: with one bad row, nothing is saved and every row's errors are returned."""
    provider = provider_of(actor)
    result = UpsertResult()
    errors: dict[int, dict[str, str]] = {}
    references = [values.get("reference", "") for values, _tags in rows]
    for index, reference in enumerate(references):
        if not reference:
            errors.setdefault(index, {})["reference"] = "Elke rij heeft een eigen kenmerk nodig."
        elif references.index(reference) != index:
            errors.setdefault(index, {})["reference"] = "Dit kenmerk staat al eerder in deze lijst."
    known_tags = known_tag_codes(provider)
    existing = {p.reference: p for p in Placement.objects.filter(provider=provider, reference__in=references)}
    with transaction.atomic():
        for index, (values, tags) in enumerate(rows):
            if index in errors:  # no reference, or one used twice: saving it could only clash
                continue
            current = existing.get(values.get("reference", ""))
            try:
                # A savepoint per row, so one bad row does not hide the errors of the rows after it.
                with transaction.atomic():
                    placement, changed = _save_placement(
                        provider, current, values, tags, known_tags=known_tags, actor=actor
                    )
            except PlacementInvalid as invalid:
                errors.setdefault(index, {}).update(invalid.errors)
                continue
            result.placements.append(placement)
            if current is None:
                result.created += 1
            elif changed:
                result.updated += 1
            else:
                result.unchanged += 1
        if errors:
            raise BatchInvalid(errors)  # rolls back every row of the batch
    return result


# ---------------------------------------------------------------------------------------------- proposals


def _resident_funding_domains(resident: Resident, on: dt.date) -> set[str]:
    bases = LegalBasis.objects.filter(resident=resident, start_date__lte=on).exclude(end_date__lt=on)
    return set(bases.values_list("domain", flat=True))


def _placement_in_catalogue(placement: Placement, actor: Actor, on: dt.date) -> bool:
    return any(
        contract.runs_on(on)
        for contract in Contract.objects.filter(
            provider_id=placement.provider_id, municipality_id=actor.municipality_id
        )
    )


def _timeline(resident: Resident, proposal: Proposal, text: str, actor: Actor | None) -> None:
    do_add_timeline_event(
        resident, kind=TimelineEvent.Kind.PLACEMENT, text=text, actor=actor, domain=proposal.domain
    )


def do_propose(
    resident: Resident,
    placement: Placement,
    *,
    start_date: dt.date,
    hours_per_week: int,
    note: str,
    shared_items: Sequence[str] = (),
    resident_agreed: bool = False,
    previous: Proposal | None = None,
    actor: Actor,
) -> Proposal:
    """A caseworker proposes the resident (from their own caseload, via the residents selectors) for a
    placement in the municipality's catalogue."""
    _require(actor, Capability.MAKE_PROPOSALS)
    if actor.domain is None or resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    today = timezone.localdate()
    if start_date < today:
        raise RuleError("start_date", "De startdatum ligt in het verleden. Kies vandaag of later.")
    if not 1 <= hours_per_week <= 40:
        raise RuleError("hours_per_week", "Vul 1 tot en met 40 uur per week in.")
    unknown = set(shared_items) - set(ShareableItem.values)
    if unknown:
        raise RuleError("shared_items", "Kies alleen gegevens uit de lijst.")
    if shared_items and not resident_agreed:
        raise RuleError(
            "resident_agreed",
            "Deel deze gegevens alleen als de inwoner dat goed vindt. "
            "Vink aan dat de inwoner toestemming gaf.",
        )
    with transaction.atomic():
        placement = Placement.objects.select_for_update().get(pk=placement.pk)
        if not _placement_in_catalogue(placement, actor, start_date):
            raise RuleError(
                "placement", "Deze aanbieder heeft op de startdatum geen contract met uw gemeente."
            )
        if not placement.is_open:
            raise RuleError("placement", "Deze plek neemt nu geen nieuwe voorstellen aan.")
        if not Funding.domains(placement.funding) & _resident_funding_domains(resident, start_date):
            raise RuleError(
                "placement",
                "Deze plek wordt betaald uit een wet waaronder de inwoner op de startdatum "
                "geen grondslag heeft.",
            )
        running = Q(status=Proposal.Status.SENT) | Q(
            status=Proposal.Status.ACCEPTED, seat__ended_on__isnull=True
        )
        if Proposal.objects.filter(running, resident=resident, placement=placement).exists():
            raise RuleError(
                "placement", "Er loopt al een voorstel of plaatsing voor deze inwoner op deze plek."
            )
        proposal = Proposal.objects.create(
            municipality_id=actor.municipality_id,
            resident=resident,
            placement=placement,
            domain=str(actor.domain),
            start_date=start_date,
            hours_per_week=hours_per_week,
            note=note,
            shared_items=list(dict.fromkeys(shared_items)),
            previous=previous,
            proposed_by=actor.user,
            proposed_at=timezone.now(),
        )
        verb = "doorgestuurd naar" if previous else "voorgesteld voor"
        _timeline(
            resident,
            proposal,
            f"{verb.capitalize()} {placement.title} ({placement.provider.name}), "
            f"start {start_date:%d-%m-%Y}.",
            actor,
        )
        for staff in provider_staff_in(placement.provider, actor.municipality_id):
            do_notify(
                staff.membership.user,
                municipality=actor.municipality,
                text=f"Nieuw voorstel voor {placement.title}.",
                url=reverse("catalogue:portal-proposal", args=[proposal.pk]),
            )
    return proposal


def do_forward_proposal(
    proposal: Proposal, placement: Placement, *, start_date: dt.date, note: str, actor: Actor
) -> Proposal:
    """Send a declined proposal on to another placement in one step; the new one points back at it."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("resident").get(pk=proposal.pk)
        _require_visible_proposal(proposal, actor)
        if proposal.status != Proposal.Status.DECLINED:
            raise RuleError(None, "Alleen een afgewezen voorstel kunt u doorsturen.")
        if Proposal.objects.filter(previous=proposal).exists():
            raise RuleError(None, "Dit voorstel is al doorgestuurd.")
        if placement.pk == proposal.placement_id:
            raise RuleError("placement", "Kies een andere plek dan de plek die het voorstel afwees.")
        _resolve_provider_notifications(proposal)
        return do_propose(
            proposal.resident,
            placement,
            start_date=start_date,
            hours_per_week=proposal.hours_per_week,
            note=note,
            shared_items=proposal.shared_items,
            resident_agreed=True,  # agreed for the earlier proposal, which this one continues
            previous=proposal,
            actor=actor,
        )


def do_withdraw_proposal(proposal: Proposal, *, actor: Actor) -> Proposal:
    """The caseworker of the proposal's domain withdraws a proposal that waits for an answer. The provider's
    message about it is resolved and the provider is told."""
    _require(actor, Capability.MAKE_PROPOSALS)
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update()
            .select_related("resident", "placement__provider")
            .get(pk=proposal.pk)
        )
        _require_visible_proposal(proposal, actor, own_domain_only=True)
        if proposal.status != Proposal.Status.SENT:
            raise RuleError(None, "Dit voorstel is al beantwoord en kan niet meer worden ingetrokken.")
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.decided_at = timezone.now()
        proposal.decided_by = actor.user
        proposal.save(update_fields=["status", "decided_at", "decided_by"])
        log.record(actor, LogAction.UPDATE, Purpose.PLACEMENT, [proposal.resident_id])
        _timeline(
            proposal.resident, proposal, f"Voorstel voor {proposal.placement.title} ingetrokken.", actor
        )
        _resolve_provider_notifications(proposal)
        for staff in provider_staff_in(proposal.placement.provider, proposal.municipality_id):
            do_notify(
                staff.membership.user,
                municipality=actor.municipality,
                text=f"Voorstel ingetrokken door de gemeente: {proposal.placement.title}, "
                f"start {proposal.start_date:%d-%m-%Y}.",
                url=reverse("catalogue:portal-proposal", args=[proposal.pk]),
            )
    return proposal


def do_withdraw_proposals(proposals: Sequence[Proposal], *, actor: Actor) -> list[Proposal]:
    """Withdraw several proposals in one go (the other open proposals of a resident who got a place): all
    of them or, when one cannot be withdrawn, none."""
    with transaction.atomic():
        return [do_withdraw_proposal(proposal, actor=actor) for proposal in proposals]


def _resolve_provider_notifications(proposal: Proposal) -> None:
    """The provider's staff no longer need their message about a proposal that has been answered."""
    staff = ProviderStaff.objects.filter(
        provider_id=proposal.placement.provider_id, membership__municipality_id=proposal.municipality_id
    )
    do_resolve_notifications(
        staff.values_list("membership__user_id", flat=True),
        municipality_id=proposal.municipality_id,
        url=reverse("catalogue:portal-proposal", args=[proposal.pk]),
    )


class SeatsFull(RuleError):
    def __init__(self) -> None:
        super().__init__(None, "Alle plaatsen van deze plek zijn bezet. Het voorstel is niet geaccepteerd.")


def _provider_proposal(proposal: Proposal, actor: Actor) -> Proposal:
    """Lock the proposal and check it is addressed to the actor's provider and municipality."""
    provider = provider_of(actor)
    locked = Proposal.objects.select_for_update().select_related("placement", "resident").get(pk=proposal.pk)
    if locked.placement.provider_id != provider.pk or locked.municipality_id != actor.municipality_id:
        raise PermissionDenied
    return locked


def do_accept_proposal(proposal: Proposal, *, actor: Actor) -> Seat:
    """The provider accepts: a seat is taken from the start date. Refused with SeatsFull when none is free,
    also when others accept at the same moment (row lock on the placement, unique seat numbers)."""
    try:
        with transaction.atomic():
            placement = Placement.objects.select_for_update().get(pk=proposal.placement_id)
            proposal = _provider_proposal(proposal, actor)
            if proposal.status != Proposal.Status.SENT:
                raise RuleError(None, "Op dit voorstel is al geantwoord.")
            taken = Seat.objects.filter(placement=placement, ended_on__isnull=True).values_list(
                "number", flat=True
            )
            number = rules.free_seat_number(placement.capacity, taken)
            if number is None:
                raise SeatsFull
            now = timezone.now()
            seat = Seat.objects.create(
                municipality_id=proposal.municipality_id,
                placement=placement,
                proposal=proposal,
                resident=proposal.resident,
                number=number,
                starts_on=proposal.start_date,
            )
            # The budget commits the money here, in this transaction; it may refuse (no room in the source).
            signals.seat_taken.send(Seat, seat=seat, proposal=proposal, actor=actor)
            proposal.status = Proposal.Status.ACCEPTED
            proposal.decided_by = actor.user
            proposal.decided_at = now
            proposal.save(update_fields=["status", "decided_by", "decided_at"])
            log.record(actor, LogAction.UPDATE, Purpose.PLACEMENT, [proposal.resident_id])
            _timeline(
                proposal.resident,
                proposal,
                f"{placement.provider.name} heeft het voorstel voor {placement.title} geaccepteerd. "
                f"Start {proposal.start_date:%d-%m-%Y}.",
                None,
            )
            _resolve_provider_notifications(proposal)
            _notify_proposer_of_acceptance(proposal, placement)
    except IntegrityError:
        # Another transaction took the same seat number first (only possible without the row lock).
        raise SeatsFull from None
    return seat


def do_decline_proposal(proposal: Proposal, *, reason: str, text: str, actor: Actor) -> Proposal:
    if reason not in DeclineReason.values:
        raise RuleError("reason", "Kies een reden.")
    if reason == DeclineReason.OTHER and not text.strip():
        raise RuleError("text", "Schrijf kort op waarom, als u 'anders' kiest.")
    with transaction.atomic():
        proposal = _provider_proposal(proposal, actor)
        if proposal.status != Proposal.Status.SENT:
            raise RuleError(None, "Op dit voorstel is al geantwoord.")
        proposal.status = Proposal.Status.DECLINED
        proposal.decline_reason = reason
        proposal.decline_text = text.strip()
        proposal.decided_by = actor.user
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decline_reason", "decline_text", "decided_by", "decided_at"])
        log.record(actor, LogAction.UPDATE, Purpose.PLACEMENT, [proposal.resident_id])
        _resolve_provider_notifications(proposal)
        label = DeclineReason(reason).label
        explanation = f" ({proposal.decline_text})" if proposal.decline_text else ""
        _timeline(
            proposal.resident,
            proposal,
            f"{proposal.placement.provider.name} heeft het voorstel voor {proposal.placement.title} "
            "afgewezen: "
            f"{label}{explanation}.",
            None,
        )
        _notify_proposer(
            proposal,
            f"Voorstel afgewezen: {proposal.resident.full_name} bij {proposal.placement.title} ({label}).",
        )
    return proposal


def _notify_proposer_of_acceptance(proposal: Proposal, placement: Placement) -> None:
    """Tell the proposer; when the resident has other proposals of that domain still waiting for an answer,
    the message says so and leads to the page that offers to withdraw them."""
    text = f"Voorstel geaccepteerd: {proposal.resident.full_name} bij {placement.title}."
    others = (
        Proposal.objects.filter(
            resident_id=proposal.resident_id, domain=proposal.domain, status=Proposal.Status.SENT
        )
        .exclude(pk=proposal.pk)
        .count()
    )
    if not others:
        _notify_proposer(proposal, text)
        return
    waiting = "wacht nog 1 ander voorstel" if others == 1 else f"wachten nog {others} andere voorstellen"
    do_notify(
        proposal.proposed_by,
        municipality=proposal.municipality,
        text=f"{text} Er {waiting} op antwoord: trek die in.",
        url=reverse("catalogue:accepted", args=[proposal.resident_id, proposal.pk]),
    )


def _notify_proposer(proposal: Proposal, text: str) -> None:
    do_notify(
        proposal.proposed_by,
        municipality=proposal.municipality,
        text=text,
        url=reverse("residents:detail", args=[proposal.resident_id]) + "#plaatsingen",
    )


# ------------------------------------------------------------------------------- seats, attendance, reports


def _seat_for_provider(seat: Seat, actor: Actor) -> Seat:
    provider = provider_of(actor)
    if seat.placement.provider_id != provider.pk or seat.municipality_id != actor.municipality_id:
        raise PermissionDenied
    return seat


def do_end_seat(seat: Seat, *, ended_on: dt.date, reason: str, actor: Actor) -> Seat:
    """End a placement: the seat is free again from the day after ``ended_on``. The provider or the
    municipality's caseworker may do it."""
    if actor.may(Capability.RUN_PLACEMENTS):
        _seat_for_provider(seat, actor)
    elif not actor.may(Capability.MAKE_PROPOSALS):
        raise PermissionDenied
    else:
        _require_visible_proposal(seat.proposal, actor)
    if seat.ended_on is not None:
        raise RuleError(None, "Deze plaatsing is al beëindigd.")
    if ended_on < seat.starts_on:
        raise RuleError("ended_on", "De einddatum ligt voor de startdatum van de plaatsing.")
    if not reason.strip():
        raise RuleError("reason", "Schrijf kort op waarom de plaatsing eindigt.")
    with transaction.atomic():
        Placement.objects.select_for_update().get(pk=seat.placement_id)
        seat.ended_on = ended_on
        seat.end_reason = reason.strip()[:200]
        seat.save(update_fields=["ended_on", "end_reason"])
        signals.seat_ended.send(Seat, seat=seat, actor=actor)
        log.record(actor, LogAction.UPDATE, Purpose.PLACEMENT, [seat.resident_id])
        _timeline(
            seat.resident,
            seat.proposal,
            f"Plaatsing bij {seat.placement.title} beëindigd per {ended_on:%d-%m-%Y}: {seat.end_reason}.",
            None if actor.may(Capability.RUN_PLACEMENTS) else actor,
        )
        if actor.may(Capability.RUN_PLACEMENTS):
            _notify_proposer(
                seat.proposal, f"Plaatsing beëindigd: {seat.resident.full_name} bij {seat.placement.title}."
            )
    return seat


def do_record_attendance(
    seat: Seat,
    *,
    week: dt.date,
    days_present: int,
    hours_present: decimal.Decimal,
    note: str,
    change: bool = True,
    actor: Actor,
) -> Attendance:
    """The provider records (or corrects) a week of attendance. With ``change`` False (a screen where the
    provider did not tick 'wijzigen'), a week already reported with other values is refused, not
    overwritten; the API corrects by recording again."""
    _seat_for_provider(seat, actor)
    week = rules.monday_of(week)
    for name, message in _attendance_errors(seat, week, days_present, hours_present).items():
        raise RuleError(name, message)
    with transaction.atomic():
        current = (
            Attendance.objects.select_for_update()
            .select_related("recorded_by")
            .filter(seat=seat, week=week)
            .first()
        )
        if current is not None and not change and not _same_week(current, days_present, hours_present, note):
            raise RuleError("change", _ask_to_change(current))
        attendance = _save_week(seat, week, days_present, hours_present, note, actor, timezone.now())
        log.record(actor, LogAction.UPDATE, Purpose.PLACEMENT, [seat.resident_id])
    return attendance


def _same_week(current: Attendance, days: int, hours: decimal.Decimal, note: str) -> bool:
    return (current.days_present, current.hours_present, current.note) == (days, hours, note.strip()[:300])


def _ask_to_change(current: Attendance) -> str:
    return f"{_reported_before(current)} Wijzigen? Vink 'wijzigen' aan en sla opnieuw op."


def _save_week(
    seat: Seat,
    week: dt.date,
    days: int,
    hours: decimal.Decimal,
    note: str,
    actor: Actor,
    now: dt.datetime,
) -> Attendance:
    """Save one resident's week (new or changed) and say so on the timeline; the caller logs the write."""
    attendance, _created = Attendance.objects.update_or_create(
        seat=seat,
        week=week,
        defaults={
            "days_present": days,
            "hours_present": hours,
            "note": note.strip()[:300],
            "recorded_by": actor.user,
            "recorded_at": now,
        },
    )
    _timeline(
        seat.resident,
        seat.proposal,
        f"Aanwezigheid week van {week:%d-%m-%Y} bij {seat.placement.title}: {days} dagen, {hours} uur."
        + (f" {attendance.note}" if attendance.note else ""),
        None,
    )
    return attendance


def do_add_progress_report(
    seat: Seat,
    *,
    month: dt.date,
    went_well: str,
    next_steps: str,
    suggested_rung: int | None,
    actor: Actor,
) -> ProgressReport:
    """The provider's monthly report; it appears on the resident's timeline for the caseworker."""
    _seat_for_provider(seat, actor)
    month = rules.first_of_month(month)
    if month > timezone.localdate():
        raise RuleError("month", "Deze maand is nog niet begonnen.")
    if month < rules.first_of_month(seat.starts_on):
        raise RuleError("month", "In deze maand was de inwoner nog niet bij u geplaatst.")
    if not went_well.strip():
        raise RuleError("went_well", "Schrijf op wat goed ging.")
    if not next_steps.strip():
        raise RuleError("next_steps", "Schrijf op wat de volgende stap is.")
    if suggested_rung is not None and not 1 <= suggested_rung <= 6:
        raise RuleError("suggested_rung", "Kies een trede van 1 tot en met 6.")
    if ProgressReport.objects.filter(seat=seat, month=month).exists():
        raise RuleError("month", "Voor deze maand is er al een verslag.")
    with transaction.atomic():
        report = ProgressReport.objects.create(
            seat=seat,
            month=month,
            went_well=went_well.strip(),
            next_steps=next_steps.strip(),
            suggested_rung=suggested_rung,
            recorded_by=actor.user,
            recorded_at=timezone.now(),
        )
        log.record(actor, LogAction.CREATE, Purpose.PLACEMENT, [seat.resident_id])
        rung = f" Voorgestelde trede: {suggested_rung}." if suggested_rung else ""
        _timeline(
            seat.resident,
            seat.proposal,
            f"Voortgangsverslag {month:%m-%Y} van {seat.placement.provider.name}. Goed: {report.went_well} "
            f"Volgende stap: {report.next_steps}{rung}",
            None,
        )
        _notify_proposer(seat.proposal, f"Nieuw voortgangsverslag over {seat.resident.full_name}.")
    return report


def _attendance_errors(
    seat: Seat, week: dt.date, days_present: int, hours_present: decimal.Decimal
) -> dict[str | None, str]:
    """The rules of one week of attendance (``week`` a Monday), as {field: Dutch message}."""
    if week > timezone.localdate():
        return {"week": "Deze week is nog niet begonnen."}
    if week < rules.monday_of(seat.starts_on) or (seat.ended_on and week > seat.ended_on):
        return {"week": "In deze week was de inwoner niet bij u geplaatst."}
    if not 0 <= days_present <= 7:
        return {"days_present": "Vul 0 tot en met 7 dagen in."}
    if not 0 <= hours_present <= 24 * days_present:
        return {"hours_present": "Zoveel uren passen niet in de dagen die de inwoner er was."}
    return {}


def attendance_stamp(attendance: Attendance | None) -> str:
    """What a form keeps of the saved week it showed, to notice when someone saved it again since."""
    return attendance.recorded_at.isoformat() if attendance is not None else ""


@dataclass(frozen=True)
class WeekEntry:
    """One row of the attendance grid as the provider sent it. Days and hours both empty (and no note)
    means "not reported": nothing is saved for that resident. ``seen`` is ``attendance_stamp`` of the saved
    week the grid showed; ``change`` is the provider's explicit yes to changing a week already reported."""

    seat: Seat
    days_present: int | None
    hours_present: decimal.Decimal | None
    note: str = ""
    seen: str = ""
    change: bool = False

    @property
    def is_empty(self) -> bool:
        return self.days_present is None and self.hours_present is None and not self.note.strip()


@dataclass
class WeekResult:
    saved: int = 0
    unchanged: int = 0
    not_reported: int = 0


class WeekInvalid(Exception):
    """One or more rows of the grid are wrong, or were reported before; nothing was saved. ``errors`` maps a
    seat id to {field or None: Dutch message}."""

    def __init__(self, errors: dict[Any, dict[str | None, str]]) -> None:
        super().__init__(errors)
        self.errors = errors


ZERO = decimal.Decimal(0)


def _hours(value: decimal.Decimal) -> str:
    return f"{value:.1f}".replace(".", ",")


def _reported_before(attendance: Attendance) -> str:
    who = attendance.recorded_by.display_name()
    return (
        f"Al gemeld op {timezone.localtime(attendance.recorded_at):%d-%m-%Y %H:%M} door {who}: "
        f"{attendance.days_present} dagen, {_hours(attendance.hours_present)} uur."
    )


def do_record_week(week: dt.date, entries: Sequence[WeekEntry], *, actor: Actor) -> WeekResult:
    """The provider reports one week of attendance for many placed residents at once: every row or none.

    An empty row is not reported (not 0 hours). A row for a week that is already reported is changed only
    with ``change`` ticked; when someone saved that week after the grid was loaded (``seen`` differs) the
    row is refused as a clash, so nobody overwrites what they have not seen."""
    week = rules.monday_of(week)
    provider = provider_of(actor)
    result = WeekResult()
    errors: dict[Any, dict[str | None, str]] = {}
    filled: list[WeekEntry] = []
    for entry in entries:
        seat = entry.seat
        if seat.placement.provider_id != provider.pk or seat.municipality_id != actor.municipality_id:
            raise PermissionDenied
        if entry.is_empty:
            result.not_reported += 1
            continue
        if entry.days_present is None:
            errors[seat.pk] = {"days_present": "Vul ook de dagen in, of laat de rij helemaal leeg."}
        elif entry.hours_present is None:
            errors[seat.pk] = {"hours_present": "Vul ook de uren in, of laat de rij helemaal leeg."}
        else:
            row_errors = _attendance_errors(seat, week, entry.days_present, entry.hours_present)
            if row_errors:
                errors[seat.pk] = row_errors
            else:
                filled.append(entry)
    try:
        return _record_week(week, filled, errors, result, actor=actor)
    except IntegrityError:
        # Someone saved a first report of one of these weeks at the same moment (unique seat and week).
        raise StaleEdit from None


def _record_week(
    week: dt.date,
    filled: list[WeekEntry],
    errors: dict[Any, dict[str | None, str]],
    result: WeekResult,
    *,
    actor: Actor,
) -> WeekResult:
    with transaction.atomic():
        saved = {
            attendance.seat_id: attendance
            for attendance in Attendance.objects.select_for_update()
            .filter(seat__in=[entry.seat.pk for entry in filled], week=week)
            .select_related("recorded_by")
        }
        to_save: list[WeekEntry] = []
        for entry in filled:
            current = saved.get(entry.seat.pk)
            if current is None:
                to_save.append(entry)
                continue
            if attendance_stamp(current) != entry.seen:
                errors[entry.seat.pk] = {
                    None: f"{_reported_before(current)} Dit is opgeslagen nadat u deze pagina opende. "
                    "Uw invoer voor deze inwoner is niet opgeslagen; bekijk de gemelde waarden."
                }
            elif _same_week(current, entry.days_present or 0, entry.hours_present or ZERO, entry.note):
                result.unchanged += 1
            elif not entry.change:
                errors[entry.seat.pk] = {None: _ask_to_change(current)}
            else:
                to_save.append(entry)
        if errors:
            raise WeekInvalid(errors)
        now = timezone.now()
        for entry in to_save:  # days and hours are never None here: checked above
            days, hours = entry.days_present or 0, entry.hours_present or ZERO
            _save_week(entry.seat, week, days, hours, entry.note, actor, now)
        if to_save:
            log.record(
                actor, LogAction.UPDATE, Purpose.PLACEMENT, [entry.seat.resident_id for entry in to_save]
            )
        result.saved = len(to_save)
    return result
