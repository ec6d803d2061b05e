"""Loading what matching needs from the database, scoped like everything else: the placements of the actor's
catalogue and one resident of their caseload. The scoring itself is pure (scoring.py, candidates.py)."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import Capability
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.catalogue import selectors as catalogue_selectors
from meedoen.catalogue.models import Proposal, Seat
from meedoen.matching import scoring
from meedoen.matching.candidates import PlacementIndex
from meedoen.matching.models import WEIGHT_FIELDS, AllocatedPair, AllocationRun, MatchingWeights
from meedoen.municipalities.models import District, InterestTag
from meedoen.residents.models import LadderScore, LegalBasis, Profile, Resident
from meedoen.residents.selectors import visible_residents
from meedoen.routes import selectors as routes_selectors


def weights_for(municipality_id: uuid.UUID) -> scoring.Weights:
    row = MatchingWeights.objects.filter(municipality_id=municipality_id).first()
    if row is None:
        return scoring.Weights()
    return scoring.Weights(**{name: float(getattr(row, name)) for name in WEIGHT_FIELDS})


def placements_for(actor: Actor) -> scoring.Placements:
    """The actor's catalogue as arrays, with free seats counted now."""
    rows = []
    for placement in catalogue_selectors.catalogue_placements(actor):
        rows.append(
            {
                "id": placement.pk,
                "title": placement.title,
                "kind": placement.kind,
                "latitude": placement.latitude,
                "longitude": placement.longitude,
                "workload": placement.workload,
                "physical_demands": placement.physical_demands,
                "wheelchair_accessible": placement.wheelchair_accessible,
                "dutch_level": placement.dutch_level,
                "funding": placement.funding,
                "tags": placement.tags,
                "days": placement.days,
                "hours_per_week": placement.hours_per_week,
                "free_seats": placement.capacity - placement.seats_in_use,  # type: ignore[attr-defined]
                "is_open": placement.is_open,
            }
        )
    tags = dict(InterestTag.objects.filter(municipality_id=actor.municipality_id).values_list("code", "name"))
    return scoring.Placements.build(rows, sorted(tags), tags)


@dataclass(frozen=True)
class ResidentForMatching:
    resident: Resident
    features: scoring.Resident
    location_known: bool


def resident_for_matching(resident: Resident, actor: Actor) -> ResidentForMatching:
    """What matching uses of a resident whose file the actor may open (scoped by the caller through
    residents.selectors), or of the resident themself (the portal: places that fit me). Written to the
    processing log: the profile is read to find a place."""
    own = actor.may(Capability.VIEW_OWN_FILE) and resident.user_id == actor.user.pk
    if not (actor.may(Capability.MAKE_PROPOSALS) or own) or resident.municipality_id != actor.municipality_id:
        raise PermissionDenied
    today = timezone.localdate()
    profile = Profile.objects.filter(resident=resident).first()
    interests = frozenset(profile.interests.values_list("code", flat=True)) if profile else frozenset()
    domains = frozenset(
        LegalBasis.objects.filter(resident=resident, start_date__lte=today)
        .exclude(end_date__lt=today)
        .values_list("domain", flat=True)
    )
    latest = LadderScore.objects.filter(resident=resident).order_by("-scored_on").first()
    centre = None
    if resident.district is None:
        centre = District.objects.filter(municipality_id=resident.municipality_id).first()
    phases = routes_selectors.current_phases(resident.municipality_id, [resident.pk])
    log.record(actor, LogAction.VIEW, Purpose.OWN_FILE if own else Purpose.GUIDANCE, [resident.pk])
    return ResidentForMatching(
        resident=resident,
        features=features_of(
            resident,
            profile=profile,
            interests=interests,
            domains=domains,
            rung=latest.rung if latest else None,
            phase=phases.get(resident.pk, ""),
            centre=centre,
            waiting_days=_waiting_days(resident, today),
        ),
        location_known=resident.district is not None,
    )


def features_of(
    resident: Resident,
    *,
    profile: Profile | None,
    interests: frozenset[str],
    domains: frozenset[str],
    rung: int | None,
    phase: str,
    centre: District | None,
    waiting_days: int,
) -> scoring.Resident:
    """The one translation of a resident file into what scoring uses; for one resident (Passende plekken)
    and for many (the batch allocation). Without a district, distances are measured from ``centre``."""
    place = resident.district or centre
    return scoring.Resident(
        latitude=float(place.latitude) if place else 52.2,
        longitude=float(place.longitude) if place else 5.97,
        domains=domains,
        interests=interests,
        travel_mode=profile.travel_mode if profile else "",
        travel_radius_km=float(profile.travel_radius_km) if profile and profile.travel_radius_km else None,
        workload=profile.workload if profile else "",
        physical_needs=frozenset(profile.physical_needs or []) if profile else frozenset(),
        dutch_level=resident.dutch_level,
        hours_per_week=float(profile.hours_per_week) if profile and profile.hours_per_week else None,
        preferred_days=frozenset(profile.preferred_days or []) if profile else frozenset(),
        rung=rung,
        phase=phase,
        waiting_days=waiting_days,
    )


def _waiting_days(resident: Resident, today: dt.date) -> int:
    """Days since the resident was registered or last had a place, while they have none now."""
    seats = Seat.objects.filter(resident=resident)
    if seats.filter(ended_on__isnull=True).exists():
        return 0
    last_end = seats.aggregate(last=Max("ended_on"))["last"]
    since = max(filter(None, [resident.created_at.date(), last_end]))
    return max(0, (today - since).days)


@dataclass(frozen=True)
class Recommendation:
    placement_id: str
    title: str
    score: float
    distance_km: float
    explanation: scoring.Explanation
    full: bool


def recommend(
    match: ResidentForMatching, actor: Actor, *, top: int = 10, waiting_list: bool = False
) -> list[Recommendation]:
    placements = placements_for(actor)
    weights = weights_for(actor.municipality_id)
    scored, order = PlacementIndex(placements).recommend(
        match.features, weights, top=top, waiting_list=waiting_list
    )
    return [
        Recommendation(
            placement_id=placements.ids[int(scored.index[i])],
            title=placements.titles[int(scored.index[i])],
            score=float(scored.score[i]),
            distance_km=float(scored.distance_km[i]),
            explanation=scoring.explain(match.features, placements, scored, int(i), weights),
            full=bool(scored.full[i]),
        )
        for i in order
    ]


def list_runs(actor: Actor) -> list[AllocationRun]:
    if not actor.may(Capability.RUN_ALLOCATION):
        raise PermissionDenied
    return list(
        AllocationRun.objects.filter(municipality_id=actor.municipality_id).select_related(
            "started_by__user", "target_group", "district"
        )[:20]
    )


def access_run(run_id: uuid.UUID, actor: Actor) -> AllocationRun:
    """A run of the actor's municipality: for the programme manager who runs them, and for caseworkers
    (who see only the pairs of their own residents, through ``pairs_for_caseworker``)."""
    if not (actor.may(Capability.RUN_ALLOCATION) or actor.may(Capability.MAKE_PROPOSALS)):
        raise PermissionDenied
    try:
        return AllocationRun.objects.select_related("target_group", "district", "started_by__user").get(
            pk=run_id, municipality_id=actor.municipality_id
        )
    except (AllocationRun.DoesNotExist, ValueError):
        raise Http404 from None


def _own_caseload(actor: Actor) -> QuerySet[Resident]:
    """The residents the caseworker is assigned to (a subset of those whose file they may open)."""
    own = (
        Q(caseworker_work=actor.user) if actor.domain == "participatiewet" else Q(caseworker_care=actor.user)
    )
    return visible_residents(actor).filter(own)


def pairs_for_caseworker(run: AllocationRun, actor: Actor) -> list[AllocatedPair]:
    """The allocated pairs of residents in the caseworker's own caseload; logged."""
    if not actor.may(Capability.MAKE_PROPOSALS) or run.municipality_id != actor.municipality_id:
        raise PermissionDenied
    pairs = list(
        AllocatedPair.objects.filter(run=run, resident__in=_own_caseload(actor))
        .select_related("resident", "placement__provider")
        .order_by("resident__family_name", "resident__given_names")
    )
    if pairs:
        log.record(actor, LogAction.VIEW, Purpose.PLACEMENT, [p.resident_id for p in pairs])
    return pairs


def latest_run_for_caseworker(actor: Actor) -> tuple[AllocationRun, int] | None:
    """The newest finished run with pairs for the caseworker's residents, and how many (start page)."""
    run = (
        AllocationRun.objects.filter(municipality_id=actor.municipality_id, status=AllocationRun.Status.DONE)
        .order_by("-created_at")
        .first()
    )
    if run is None:
        return None
    count = AllocatedPair.objects.filter(run=run, resident__in=_own_caseload(actor)).count()
    return (run, count) if count else None


@dataclass(frozen=True)
class Waiting:
    resident: Resident
    features: scoring.Resident
    groups: tuple[str, ...]
    district: str


def waiting_residents(run: AllocationRun, today: dt.date) -> list[Waiting]:
    """Residents of the municipality with a legal basis in force, no place now and no proposal waiting for an
    answer; optionally only one target group or district."""
    in_force = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
    residents = (
        Resident.objects.filter(municipality_id=run.municipality_id)
        .filter(Exists(LegalBasis.objects.filter(in_force, resident=OuterRef("pk"))))
        .exclude(Exists(Seat.objects.filter(resident=OuterRef("pk"), ended_on__isnull=True)))
        .exclude(Exists(Proposal.objects.filter(resident=OuterRef("pk"), status=Proposal.Status.SENT)))
        .select_related("district", "profile")
        .prefetch_related(
            "target_groups",
            "profile__interests",
            Prefetch("legal_bases", queryset=LegalBasis.objects.filter(in_force), to_attr="bases_in_force"),
        )
        .annotate(
            last_seat_end=Max("seats__ended_on"),
            rung=Subquery(
                LadderScore.objects.filter(resident=OuterRef("pk")).order_by("-scored_on").values("rung")[:1]
            ),
        )
        .order_by("created_at", "pk")
    )
    if run.target_group_id:
        residents = residents.filter(target_groups=run.target_group_id)
    if run.district_id:
        residents = residents.filter(district_id=run.district_id)
    centre = District.objects.filter(municipality_id=run.municipality_id).first()
    phases = routes_selectors.current_phases(run.municipality_id)
    waiting = []
    for resident in residents:
        profile = getattr(resident, "profile", None)
        since = max(filter(None, [resident.created_at.date(), resident.last_seat_end]))
        waiting.append(
            Waiting(
                resident=resident,
                features=features_of(
                    resident,
                    profile=profile,
                    interests=frozenset(t.code for t in profile.interests.all()) if profile else frozenset(),
                    domains=frozenset(b.domain for b in resident.bases_in_force),
                    rung=resident.rung,
                    phase=phases.get(resident.pk, ""),
                    centre=centre,
                    waiting_days=max(0, (today - since).days),
                ),
                groups=tuple(g.name for g in resident.target_groups.all()),
                district=resident.district.name if resident.district else "",
            )
        )
    return waiting
