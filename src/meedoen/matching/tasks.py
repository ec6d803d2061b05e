"""The batch allocation as a background task: load the waiting residents and the free seats of one
municipality, compute candidates and the allocation with the highest total fit, compare it with first come,
first served, and store the pairs and a summary of aggregates. Progress and cancelling go through the
``AllocationRun`` row, which the screen polls."""

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django_tasks import task

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import suppress_small
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.catalogue.models import Proposal, Seat
from meedoen.matching import scoring, solver
from meedoen.matching.candidates import batch_candidates
from meedoen.matching.models import AllocatedPair, AllocationRun
from meedoen.matching.selectors import features_of, placements_for, weights_for
from meedoen.municipalities.models import District, InterestTag
from meedoen.residents.models import LadderScore, LegalBasis, Resident

# Up to this many pairs the allocation uses every feasible pair (exact); beyond, the best 50 per resident.
EXACT_UP_TO_PAIRS = 2_000_000
TOP_K = 50


class Cancelled(Exception):
    pass


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
                    centre=centre,
                    waiting_days=max(0, (today - since).days),
                ),
                groups=tuple(g.name for g in resident.target_groups.all()),
                district=resident.district.name if resident.district else "",
            )
        )
    return waiting


def _progress(run: AllocationRun, percent: int, stage: str) -> None:
    """Save progress (outside any transaction, so the screen sees it) and stop when cancelling was asked."""
    AllocationRun.objects.filter(pk=run.pk).update(progress=percent, stage=stage)
    if AllocationRun.objects.filter(pk=run.pk, cancel_requested=True).exists():
        raise Cancelled


def _outcome(
    problem: solver.Problem, assignment: solver.Assignment, distances: np.ndarray, waiting: Sequence[Waiting]
) -> dict[str, object]:
    edges = assignment.edges
    placed = [waiting[int(r)] for r in problem.edge_resident[edges]]
    return {
        "total_fit": round(assignment.total, 1),
        "placed": len(edges),
        "average_fit": round(assignment.total / len(edges), 1) if len(edges) else None,
        "average_km": round(float(distances[edges].mean()), 1) if len(edges) else None,
        "by_group": Counter(group for w in placed for group in w.groups),
        "by_district": Counter(w.district or "onbekend" for w in placed),
    }


def summarise(
    problem: solver.Problem,
    optimal: solver.Assignment,
    baseline: solver.Assignment,
    distances: np.ndarray,
    waiting: Sequence[Waiting],
    free_seats: int,
) -> dict[str, object]:
    """Aggregates only (small counts suppressed): what a programme manager may see."""
    best = _outcome(problem, optimal, distances, waiting)
    fcfs = _outcome(problem, baseline, distances, waiting)
    waiting_groups = Counter(group for w in waiting for group in w.groups)
    waiting_districts = Counter(w.district or "onbekend" for w in waiting)

    def rows(total: Counter[str], key: str) -> list[dict[str, object]]:
        return [
            {
                "name": name,
                "waiting": suppress_small(count),
                "optimal": suppress_small(best[key][name]),  # type: ignore[index]
                "fcfs": suppress_small(fcfs[key][name]),  # type: ignore[index]
            }
            for name, count in sorted(total.items())
        ]

    def plain(outcome: dict[str, object]) -> dict[str, object]:
        return {k: v for k, v in outcome.items() if not k.startswith("by_")}

    return {
        "waiting": len(waiting),
        "free_seats": free_seats,
        "pairs": len(problem.edge_score),
        "optimal": plain(best),
        "fcfs": plain(fcfs),
        "share_of_optimal": round(100 * baseline.total / optimal.total, 1) if optimal.total else None,
        "by_group": rows(waiting_groups, "by_group"),
        "by_district": rows(waiting_districts, "by_district"),
    }


def execute(run_id: uuid.UUID) -> None:
    """Do one allocation run (the task body; also callable directly)."""
    run = AllocationRun.objects.select_related("started_by__user", "started_by__municipality").get(pk=run_id)
    if run.status != AllocationRun.Status.QUEUED:
        return
    AllocationRun.objects.filter(pk=run.pk).update(status=AllocationRun.Status.RUNNING)
    actor = Actor(run.started_by.user, run.started_by, "task:allocation")
    today = timezone.localdate()
    try:
        _progress(run, 5, "Inwoners laden die op een plek wachten")
        waiting = waiting_residents(run, today)
        if waiting:
            log.record(actor, LogAction.SEARCH, Purpose.PLACEMENT, [w.resident.pk for w in waiting])
        _progress(run, 25, "Plekken met vrije plaatsen laden")
        placements = placements_for(actor)
        tags = sorted(
            InterestTag.objects.filter(municipality_id=run.municipality_id).values_list("code", flat=True)
        )
        residents = scoring.Residents.build([w.features for w in waiting], tags or placements.tag_codes)
        weights = weights_for(run.municipality_id)
        _progress(run, 40, "Passende combinaties zoeken")
        candidates = batch_candidates(residents, placements, weights, k=None)
        if len(candidates.score) > EXACT_UP_TO_PAIRS:
            candidates = batch_candidates(residents, placements, weights, k=TOP_K)
        free = np.maximum(placements.free_seats, 0) * placements.is_open
        problem = solver.problem_from_arrays(
            len(waiting), free, candidates.resident, candidates.placement, candidates.score
        )
        distances = np.hypot(*(placements.xy[candidates.placement] - residents.xy[candidates.resident]).T)
        _progress(run, 70, "De beste verdeling berekenen")
        optimal = solver.solve(problem)
        order = sorted(range(len(waiting)), key=lambda i: -waiting[i].features.waiting_days)
        baseline = solver.first_come_first_served(problem, order)
        _progress(run, 90, "Uitkomst opslaan")
        summary = summarise(problem, optimal, baseline, distances, waiting, int(free.sum()))
        with transaction.atomic():
            AllocatedPair.objects.bulk_create(
                [
                    AllocatedPair(
                        run=run,
                        resident=waiting[int(problem.edge_resident[e])].resident,
                        placement_id=placements.ids[int(problem.edge_placement[e])],
                        score=float(problem.edge_score[e]),
                        distance_km=float(distances[e]),
                    )
                    for e in optimal.edges
                ],
                batch_size=2000,
            )
            AllocationRun.objects.filter(pk=run.pk).update(
                status=AllocationRun.Status.DONE,
                progress=100,
                stage="Klaar",
                summary=summary,
                finished_at=timezone.now(),
            )
    except Cancelled:
        AllocationRun.objects.filter(pk=run.pk).update(
            status=AllocationRun.Status.CANCELLED, stage="Geannuleerd", finished_at=timezone.now()
        )
    except Exception as error:
        AllocationRun.objects.filter(pk=run.pk).update(
            status=AllocationRun.Status.FAILED, error=repr(error)[:2000], finished_at=timezone.now()
        )
        raise


@task()
def run_allocation(run_id: str) -> None:
    execute(uuid.UUID(run_id))
