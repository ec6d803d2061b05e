"""Who may see which part of the catalogue. The only place that scopes providers, placements, proposals and
seats by municipality, role and provider; every read of a resident's data here goes into the processing log.

A provider user sees only residents proposed to or placed with their own provider, in the municipality of
their membership, and only the minimal data of ``ProposalForProvider``.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.catalogue import rules
from meedoen.catalogue.models import (
    Attendance,
    Contract,
    Placement,
    PlacementChange,
    ProgressReport,
    Proposal,
    Provider,
    ProviderKind,
    ProviderStaff,
    Seat,
    ShareableItem,
)
from meedoen.municipalities.labels import vocabulary_name
from meedoen.municipalities.models import InterestTag
from meedoen.residents.models import DutchLevel, LadderScore, PhysicalNeed, Resident

# -------------------------------------------------------------------------------------------- providers


def provider_of(actor: Actor) -> Provider:
    """The provider a provider user works for; 403 for everyone else."""
    if not actor.may(Capability.RUN_PLACEMENTS):
        raise PermissionDenied
    try:
        return ProviderStaff.objects.select_related("provider").get(membership=actor.membership).provider
    except ProviderStaff.DoesNotExist:
        raise PermissionDenied from None


def known_tag_codes(provider: Provider) -> set[str]:
    """The interest vocabulary of the municipalities the provider serves."""
    municipality_ids = Contract.objects.filter(provider=provider).values("municipality_id")
    return set(
        InterestTag.objects.filter(municipality_id__in=municipality_ids).values_list("code", flat=True)
    )


def list_providers(actor: Actor) -> QuerySet[Provider]:
    """Providers with a contract (running or not) with the actor's municipality."""
    if not actor.may(Capability.BROWSE_CATALOGUE):
        raise PermissionDenied
    contracts = Contract.objects.filter(provider=OuterRef("pk"), municipality_id=actor.municipality_id)
    return Provider.objects.filter(Exists(contracts)).annotate(placement_count=Count("placements"))


def access_provider(provider_id: uuid.UUID, actor: Actor) -> Provider:
    if not actor.may(Capability.MANAGE_PROVIDERS):
        raise PermissionDenied
    try:
        return list_providers(actor).get(pk=provider_id)
    except (Provider.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def contract_of(provider: Provider, actor: Actor) -> Contract | None:
    return Contract.objects.filter(provider=provider, municipality_id=actor.municipality_id).first()


def provider_staff_in(provider: Provider, municipality_id: uuid.UUID) -> QuerySet[ProviderStaff]:
    """The active users of a provider in one municipality (to notify them)."""
    return ProviderStaff.objects.filter(
        provider=provider, membership__municipality_id=municipality_id, membership__is_active=True
    ).select_related("membership__user")


def werkleerbedrijven(actor: Actor) -> QuerySet[Provider]:
    """The werkleerbedrijven the actor's municipality works with now (a contract running today)."""
    if not actor.may(Capability.BROWSE_CATALOGUE):
        raise PermissionDenied
    running = _running_contracts(actor, timezone.localdate(), provider=OuterRef("pk"))
    return Provider.objects.filter(Exists(running), kind=ProviderKind.SOCIAL_ENTERPRISE).order_by("name")


def list_provider_staff(provider: Provider, actor: Actor) -> QuerySet[ProviderStaff]:
    if not actor.may(Capability.MANAGE_PROVIDERS):
        raise PermissionDenied
    return ProviderStaff.objects.filter(
        provider=provider, membership__municipality_id=actor.municipality_id
    ).select_related("membership__user")


def list_provider_placements(provider: Provider, actor: Actor) -> QuerySet[Placement]:
    """A provider's placements, for the functioneel beheerder who manages the provider."""
    if not actor.may(Capability.MANAGE_PROVIDERS):
        raise PermissionDenied
    return provider.placements.order_by("title")


# ------------------------------------------------------------------------------------------- placements


def _running_contracts(actor: Actor, day: dt.date, *, provider: OuterRef) -> QuerySet[Contract]:
    return Contract.objects.filter(
        provider=provider, municipality_id=actor.municipality_id, starts_on__lte=day
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def catalogue_placements(actor: Actor, on: dt.date | None = None) -> QuerySet[Placement]:
    """The placements in the actor's municipality's catalogue: of providers with a contract running on
    ``on`` (today). Annotated with ``seats_in_use``. A resident reads it too, for the places that fit them
    (the portal); what a place is, not who sits there."""
    if not (actor.may(Capability.BROWSE_CATALOGUE) or actor.may(Capability.VIEW_OWN_FILE)):
        raise PermissionDenied
    running = _running_contracts(actor, on or timezone.localdate(), provider=OuterRef("provider_id"))
    return (
        Placement.objects.filter(Exists(running))
        .select_related("provider", "district")
        .annotate(seats_in_use=Count("seats", filter=Q(seats__ended_on__isnull=True)))
    )


@dataclass(frozen=True)
class CatalogueQuery:
    search: str = ""
    kind: str = ""
    tag: str = ""
    district_id: uuid.UUID | None = None
    workload: str = ""
    funding: str = ""
    free_only: bool = False
    open_only: bool = True
    near: tuple[float, float] | None = None  # (latitude, longitude) to measure distance from
    max_km: float | None = None
    page: int = 1
    page_size: int = 25


@dataclass(frozen=True)
class CatalogueRow:
    placement: Placement
    free_seats: int
    distance_km: float | None


@dataclass
class CatalogueResult:
    rows: list[CatalogueRow]
    total: int
    page: int
    pages: int
    tags: dict[str, str] = field(default_factory=dict)


def search_catalogue(actor: Actor, query: CatalogueQuery) -> CatalogueResult:
    """Filter the catalogue; with ``near`` every row gets its distance and the list is sorted by it."""
    placements = catalogue_placements(actor)
    if query.search:
        placements = placements.filter(
            Q(title__icontains=query.search)
            | Q(description__icontains=query.search)
            | Q(provider__name__icontains=query.search)
        )
    if query.kind:
        placements = placements.filter(kind=query.kind)
    if query.tag:
        placements = placements.filter(tag_rows__code=query.tag)
    if query.district_id:
        placements = placements.filter(district_id=query.district_id)
    if query.workload:
        placements = placements.filter(workload=query.workload)
    if query.funding:
        placements = placements.filter(funding__in=[query.funding, "beide"])
    if query.open_only:
        placements = placements.filter(is_open=True)
    rows = [
        CatalogueRow(
            placement=placement,
            free_seats=max(0, placement.capacity - placement.seats_in_use),  # type: ignore[attr-defined]
            distance_km=(
                round(
                    rules.distance_km(
                        query.near[0], query.near[1], float(placement.latitude), float(placement.longitude)
                    ),
                    1,
                )
                if query.near
                else None
            ),
        )
        for placement in placements.order_by("title", "id")
    ]
    if query.free_only:
        rows = [row for row in rows if row.free_seats > 0]
    if query.near:
        if query.max_km is not None:
            rows = [row for row in rows if row.distance_km is not None and row.distance_km <= query.max_km]
        rows.sort(key=lambda row: (row.distance_km, row.placement.title))
    pages = max(1, -(-len(rows) // query.page_size))
    page = min(max(1, query.page), pages)
    start = (page - 1) * query.page_size
    return CatalogueResult(
        rows=rows[start : start + query.page_size],
        total=len(rows),
        page=page,
        pages=pages,
        tags=tag_names(actor),
    )


def tag_names(actor: Actor) -> dict[str, str]:
    """The municipality's interest words by code, each as a person sees it (see municipalities.labels)."""
    rows = InterestTag.objects.filter(municipality_id=actor.municipality_id).values_list("code", "name")
    shown = ((code, vocabulary_name(code, name)) for code, name in rows)
    return dict(sorted(shown, key=lambda item: item[1]))  # in the order of the names as shown


@dataclass(frozen=True)
class PlacementPage:
    placement: Placement
    seats_in_use: int
    occupancy: list[rules.MonthOccupancy]
    changes: list[PlacementChange]
    tags: list[str]
    is_own: bool


def access_placement(placement_id: uuid.UUID, actor: Actor) -> PlacementPage:
    """One placement of the catalogue (or of the provider's own, also when not in this catalogue), with its
    occupancy per month over the last year. No personal data: seats are counted, not named."""
    own_provider = provider_of(actor) if actor.may(Capability.RUN_PLACEMENTS) else None
    placements = catalogue_placements(actor)
    if own_provider is not None:
        placements = placements | Placement.objects.filter(provider=own_provider).annotate(
            seats_in_use=Count("seats", filter=Q(seats__ended_on__isnull=True))
        )
    try:
        placement = placements.select_related("provider", "district").get(pk=placement_id)
    except (Placement.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    periods = list(Seat.objects.filter(placement=placement).values_list("starts_on", "ended_on"))
    names = tag_names(actor)
    return PlacementPage(
        placement=placement,
        seats_in_use=placement.seats_in_use,  # type: ignore[attr-defined]
        occupancy=rules.occupancy_by_month(periods, placement.capacity, until=timezone.localdate()),
        changes=list(placement.changes.select_related("changed_by")[:20]),
        tags=[names.get(code, code) for code in placement.tags],
        is_own=own_provider is not None and placement.provider_id == own_provider.pk,
    )


def own_placements(actor: Actor) -> QuerySet[Placement]:
    provider = provider_of(actor)
    return (
        Placement.objects.filter(provider=provider)
        .select_related("provider", "district")
        .annotate(seats_in_use=Count("seats", filter=Q(seats__ended_on__isnull=True)))
        .order_by("title")
    )


def access_own_placement(placement_id: uuid.UUID, actor: Actor) -> Placement:
    try:
        return Placement.objects.get(pk=placement_id, provider=provider_of(actor))
    except (Placement.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


# ------------------------------------------------------------------------------- proposals, for providers


@dataclass(frozen=True)
class ProposalForProvider:
    """What a provider may know about a proposed or placed resident: name, contact, hours and, only when
    the resident agreed to share them, the items the caseworker chose. Never BSN, benefit or health data."""

    proposal: Proposal
    name: str
    phone: str
    email: str
    hours_per_week: int
    shared: list[tuple[str, str]]  # (label, value)
    seat: Seat | None


def _provider_proposals(actor: Actor) -> QuerySet[Proposal]:
    provider = provider_of(actor)
    return Proposal.objects.filter(placement__provider=provider, municipality_id=actor.municipality_id)


def _shared_items(proposal: Proposal) -> list[tuple[str, str]]:
    resident = proposal.resident
    items: list[tuple[str, str]] = []
    profile = getattr(resident, "profile", None)
    for item in proposal.shared_items:
        if item == ShareableItem.PHYSICAL_NEEDS and profile is not None:
            labels = [
                str(label) for value, label in PhysicalNeed.choices if value in (profile.physical_needs or [])
            ]
            items.append((str(ShareableItem.PHYSICAL_NEEDS.label), ", ".join(labels) or "—"))
        elif item == ShareableItem.LANGUAGE:
            level = DutchLevel(resident.dutch_level).label if resident.dutch_level else "—"
            items.append(
                (str(ShareableItem.LANGUAGE.label), f"{resident.languages or '—'}; Nederlands: {level}")
            )
        elif item == ShareableItem.INTERESTS and profile is not None:
            interests = ", ".join(tag.label for tag in profile.interests.all())
            items.append(
                (
                    str(ShareableItem.INTERESTS.label),
                    "; ".join(p for p in (interests, profile.talents) if p) or "—",
                )
            )
        elif item == ShareableItem.LADDER:
            latest = LadderScore.objects.filter(resident=resident).order_by("-scored_on").first()
            items.append((str(ShareableItem.LADDER.label), str(latest.rung) if latest else "—"))
    return items


def _for_provider(proposal: Proposal) -> ProposalForProvider:
    resident: Resident = proposal.resident
    return ProposalForProvider(
        proposal=proposal,
        name=resident.full_name,
        phone=resident.phone,
        email=resident.email,
        hours_per_week=proposal.hours_per_week,
        shared=_shared_items(proposal),
        seat=getattr(proposal, "seat", None),
    )


def list_incoming_proposals(actor: Actor, *, status: str = Proposal.Status.SENT) -> list[Proposal]:
    """The provider's proposals with the given status (names only), logged as one search."""
    proposals = list(
        _provider_proposals(actor)
        .filter(status=status)
        .select_related("placement", "resident")
        .order_by("start_date", "proposed_at")[:200]
    )
    if proposals:
        log.record(actor, LogAction.SEARCH, Purpose.PLACEMENT, [p.resident_id for p in proposals])
    return proposals


def access_provider_proposal(proposal_id: uuid.UUID, actor: Actor) -> ProposalForProvider:
    try:
        proposal = (
            _provider_proposals(actor)
            .select_related("placement__provider", "resident__profile", "seat")
            .get(pk=proposal_id)
        )
    except (Proposal.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    log.record(actor, LogAction.VIEW, Purpose.PLACEMENT, [proposal.resident_id])
    return _for_provider(proposal)


def provider_proposal_for_change(proposal_id: uuid.UUID, actor: Actor) -> Proposal:
    """The proposal a provider answers; the action logs the write."""
    try:
        return _provider_proposals(actor).select_related("placement", "resident").get(pk=proposal_id)
    except (Proposal.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def list_provider_seats(actor: Actor, *, current: bool = True) -> list[Seat]:
    """Residents placed with the provider (name and placement only), logged as one search."""
    seats = Seat.objects.filter(
        placement__provider=provider_of(actor), municipality_id=actor.municipality_id
    ).select_related("placement", "resident")
    seats = seats.filter(ended_on__isnull=True) if current else seats.filter(ended_on__isnull=False)
    result = list(seats.order_by("resident__family_name", "resident__given_names")[:500])
    if result:
        log.record(actor, LogAction.SEARCH, Purpose.PLACEMENT, [s.resident_id for s in result])
    return result


@dataclass(frozen=True)
class SeatForProvider:
    seat: Seat
    details: ProposalForProvider
    attendance: list[Attendance]
    reports: list[ProgressReport]


def access_provider_seat(seat_id: uuid.UUID, actor: Actor, *, log_view: bool = True) -> SeatForProvider:
    try:
        seat = (
            Seat.objects.filter(placement__provider=provider_of(actor), municipality_id=actor.municipality_id)
            .select_related("placement__provider", "resident__profile", "proposal")
            .get(pk=seat_id)
        )
    except (Seat.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    if log_view:
        log.record(actor, LogAction.VIEW, Purpose.PLACEMENT, [seat.resident_id])
    seat.proposal.resident = seat.resident
    return SeatForProvider(
        seat=seat,
        details=_for_provider(seat.proposal),
        attendance=list(seat.attendance.all()[:26]),
        reports=list(seat.reports.all()[:12]),
    )


@dataclass(frozen=True)
class AttendanceRow:
    """One placed resident in the attendance grid: name and placement only, and the week as reported."""

    seat: Seat
    name: str
    attendance: Attendance | None


@dataclass
class AttendanceGrid:
    week: dt.date
    rows: list[AttendanceRow]
    total: int
    page: int
    pages: int


def attendance_grid(
    actor: Actor, *, week: dt.date, search: str = "", page: int = 1, page_size: int = 25
) -> AttendanceGrid:
    """The residents placed with the provider in the week starting on Monday ``week``, by family name, with
    what was reported for that week; ``search`` filters by name. One page, logged as one search."""
    seats = Seat.objects.filter(
        placement__provider=provider_of(actor),
        municipality_id=actor.municipality_id,
        starts_on__lte=week + dt.timedelta(days=6),
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=week))
    for word in search.split()[:5]:
        seats = seats.filter(
            Q(resident__given_names__icontains=word)
            | Q(resident__name_prefix__icontains=word)
            | Q(resident__family_name__icontains=word)
        )
    seats = seats.select_related("placement", "resident", "proposal").order_by(
        "resident__family_name", "resident__given_names", "pk"
    )
    shown = Paginator(seats, page_size).get_page(page)
    page_seats = list(shown.object_list)
    reported = {
        attendance.seat_id: attendance
        for attendance in Attendance.objects.filter(
            seat__in=[s.pk for s in page_seats], week=week
        ).select_related("recorded_by")
    }
    if page_seats:
        log.record(actor, LogAction.SEARCH, Purpose.PLACEMENT, [s.resident_id for s in page_seats])
    return AttendanceGrid(
        week=week,
        rows=[
            AttendanceRow(seat=s, name=s.resident.full_name, attendance=reported.get(s.pk))
            for s in page_seats
        ],
        total=shown.paginator.count,
        page=shown.number,
        pages=shown.paginator.num_pages,
    )


# ------------------------------------------------------------------------------ proposals, for caseworkers


@dataclass(frozen=True)
class ResidentPlacements:
    proposals: list[Proposal]
    seats: list[Seat]
    hidden_domains: frozenset[str] = frozenset()  # domains with proposals the actor may not see (no consent)


def resident_placements(resident: Resident, visible_domains: set[str], actor: Actor) -> ResidentPlacements:
    """Proposals and seats of a resident whose file the actor may open (scoped by the caller through the
    residents selectors): those made from the domains the file shows the actor (their own, the other one only
    with consent). Logged as a read."""
    if not actor.may(Capability.MAKE_PROPOSALS) or resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    proposals = list(
        Proposal.objects.filter(resident=resident, domain__in=visible_domains)
        .select_related("placement__provider", "proposed_by", "seat", "forwarded_to")
        .order_by("-proposed_at")
    )
    seats = [p.seat for p in proposals if hasattr(p, "seat")]
    hidden = Proposal.objects.filter(resident=resident).exclude(domain__in=visible_domains)
    log.record(actor, LogAction.VIEW, Purpose.PLACEMENT, [resident.pk])
    return ResidentPlacements(
        proposals=proposals,
        seats=seats,
        hidden_domains=frozenset(hidden.order_by().values_list("domain", flat=True).distinct()),
    )


def access_resident_proposal(resident: Resident, proposal_id: uuid.UUID, domains: set[str]) -> Proposal:
    """A proposal of the resident (scoped by the caller) made in one of ``domains``: the domains the actor
    sees of this file, or only their own for what only the own domain may do. Otherwise 404."""
    try:
        return Proposal.objects.select_related("placement", "resident").get(
            pk=proposal_id, resident=resident, domain__in=domains
        )
    except (Proposal.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def access_resident_seat(resident: Resident, seat_id: uuid.UUID, domains: set[str]) -> Seat:
    """A seat of the resident whose proposal was made in one of ``domains``; otherwise 404."""
    try:
        return Seat.objects.select_related("placement", "resident", "proposal").get(
            pk=seat_id, resident=resident, proposal__domain__in=domains
        )
    except (Seat.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def forward_candidates(proposal: Proposal, actor: Actor) -> QuerySet[Placement]:
    """Open placements of the catalogue a declined proposal can go to instead, by title."""
    return (
        catalogue_placements(actor).filter(is_open=True).exclude(pk=proposal.placement_id).order_by("title")
    )


def paginate(items: QuerySet[Placement], page: int, size: int = 25) -> Page:
    return Paginator(items, size).get_page(page)


def open_proposals_besides(proposal: Proposal, domain: str) -> list[Proposal]:
    """The resident's other proposals of ``domain`` that still wait for an answer (after ``proposal`` got a
    place); the caller scoped the resident and the proposal."""
    return list(
        Proposal.objects.filter(resident_id=proposal.resident_id, domain=domain, status=Proposal.Status.SENT)
        .exclude(pk=proposal.pk)
        .select_related("placement__provider")
        .order_by("proposed_at")
    )
