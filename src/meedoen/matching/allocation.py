"""The batch allocation run: the body of the background task ``tasks.run_allocation``. The run writes only
its own AllocationRun and AllocatedPair rows; ``actions.do_start_allocation`` queues it."""

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.accounts.policies import suppress_column, suppress_small
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.matching import scoring, solver
from meedoen.matching.candidates import batch_candidates
from meedoen.matching.models import AllocatedPair, AllocationRun
from meedoen.matching.selectors import Waiting, placements_for, waiting_residents, weights_for
from meedoen.municipalities.models import InterestTag

# Up to this many pairs the allocation uses every feasible pair (exact); beyond, the best 50 per resident.
EXACT_UP_TO_PAIRS = 2_000_000
TOP_K = 50


class Cancelled(Exception):
    pass


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


# The figures of an outcome that follow from the residents who got a place: hidden with that count.
DERIVED_FROM_PLACED = ("total_fit", "average_fit", "average_km")


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
        names = sorted(total)
        columns = {
            "waiting": suppress_column([total[name] for name in names]),
            "optimal": suppress_column([best[key][name] for name in names]),  # type: ignore[index]
            "fcfs": suppress_column([fcfs[key][name] for name in names]),  # type: ignore[index]
        }
        return [
            {"name": name, **{column: cells[i] for column, cells in columns.items()}}
            for i, name in enumerate(names)
        ]

    def plain(outcome: dict[str, object]) -> dict[str, object]:
        shown = {k: v for k, v in outcome.items() if not k.startswith("by_")}
        placed = suppress_small(int(outcome["placed"]))  # type: ignore[call-overload]
        if placed is None:  # a total beside its mean gives the count: hide every figure of a small cell
            return shown | dict.fromkeys(DERIVED_FROM_PLACED) | {"placed": None}
        return shown | {"placed": placed}

    shown_best, shown_fcfs = plain(best), plain(fcfs)
    both_shown = shown_best["placed"] is not None and shown_fcfs["placed"] is not None
    share = round(100 * baseline.total / optimal.total, 1) if optimal.total and both_shown else None
    waiting_shown = suppress_small(len(waiting))
    return shown_summary(
        {
            "waiting": waiting_shown,
            "free_seats": free_seats,
            "pairs": len(problem.edge_score),
            "optimal": shown_best,
            "fcfs": shown_fcfs,
            "share_of_optimal": share,  # the ratio of two totals: hidden when either total is
            "by_group": rows(waiting_groups, "by_group"),
            "by_district": rows(waiting_districts, "by_district"),
        }
    )


def shown_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """A stored summary as it may be shown: beside a suppressed count, no figure that follows from it. Runs
    summarised before this rule keep their totals in the database; the page passes them through here."""
    sides = {}
    for side in ("optimal", "fcfs"):
        outcome = dict(summary.get(side) or {})
        if outcome and outcome.get("placed") is None:
            outcome |= dict.fromkeys(DERIVED_FROM_PLACED)
        sides[side] = outcome
    hidden = any(not outcome or outcome.get("placed") is None for outcome in sides.values())
    return (
        summary
        | sides
        | {
            "share_of_optimal": None if hidden else summary.get("share_of_optimal"),
            "pairs": None if summary.get("waiting") is None else summary.get("pairs"),
        }
    )


def do_run_allocation(run_id: uuid.UUID) -> None:
    """Do one allocation run: the body of the background task ``tasks.run_allocation``."""
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
