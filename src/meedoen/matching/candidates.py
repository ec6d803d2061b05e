"""Finding candidate placements fast: a spatial index (scipy's cKDTree) over the placements, for one resident
(recommendations) and for many (the batch allocation keeps the top k per resident). Pure Python, no Django.

Travel distance is a hard constraint, so only placements within a resident's radius can be candidates; the
index finds those without looking at the others.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from meedoen.matching import scoring
from meedoen.matching.scoring import Placements, Resident, Residents, Scored, Weights


class PlacementIndex:
    """Built once per set of placements; answers "which placements fit this resident best?"."""

    def __init__(self, placements: Placements) -> None:
        self.placements = placements
        self.tree = cKDTree(placements.xy) if len(placements) else None

    def recommend(
        self, resident: Resident, weights: Weights, *, top: int = 10, waiting_list: bool = False
    ) -> tuple[Scored, NDArray[np.int64]]:
        """All feasible placements scored, and the positions of the ``top`` best, best first."""
        if self.tree is None:
            index = np.array([], dtype=np.int64)
        else:
            here = scoring.to_km(resident.latitude, resident.longitude)[0]
            index = np.array(self.tree.query_ball_point(here, resident.radius_km), dtype=np.int64)
        scored = scoring.score_resident(resident, self.placements, index, weights, waiting_list=waiting_list)
        return scored, scoring.rank(scored, top)


Found = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]


@dataclass(frozen=True)
class Candidates:
    """Allowed (resident, placement, score) pairs for the solver, as parallel arrays."""

    resident: NDArray[np.int64]
    placement: NDArray[np.int64]
    score: NDArray[np.float64]


def batch_candidates(
    residents: Residents,
    placements: Placements,
    weights: Weights,
    *,
    k: int | None = 50,
    pool_factor: int = 12,
    chunk: int = 4_000,
) -> Candidates:
    """Scored candidate pairs for the allocation, in chunks of residents so memory stays bounded.

    Residents are grouped by the most selective hard constraints (which law pays, what workload they can
    carry, their Dutch, a wheelchair); each group searches a spatial index over only the placements it may
    use, so the nearest neighbours found are mostly feasible ones.

    ``k=None``: every feasible pair (the search widens until every resident's whole radius is covered).
    ``k=50``: the 50 best-scoring feasible pairs among each resident's nearest ``pool_factor·k`` usable
    placements within their radius; where that pool holds fewer than ``k`` feasible ones while the radius
    holds more, the pool widens (×4) for that resident until it has ``k`` or covers the radius. Vectorised
    per chunk: one nearest-neighbour query, one table lookup for the other hard constraints, one partial
    sort for the top k. Deterministic for the same data and weights."""
    if len(placements) == 0 or len(residents) == 0:
        empty = np.array([], dtype=np.int64)
        return Candidates(empty, empty, np.array([], dtype=np.float64))
    row_of, table = scoring.acceptable_table(residents)
    # Group residents by the constraints that select most: law, workload, Dutch, wheelchair.
    group_of = (
        residents.funding
        + 4 * residents.workload
        + 16 * residents.dutch
        + 128 * residents.wheelchair.astype(np.int64)
    )
    trees: dict[bytes, tuple[cKDTree, NDArray[np.int64]]] = {}
    work: list[tuple[cKDTree, NDArray[np.int64], NDArray[np.int64]]] = []
    for group in np.unique(group_of):
        funding, workload = int(group) % 4, (int(group) // 4) % 4
        dutch, wheelchair = (int(group) // 16) % 8, int(group) // 128
        usable = np.flatnonzero(
            ((placements.funding & funding) != 0)
            & (placements.workload <= workload)
            & (placements.dutch <= dutch)
            & (placements.wheelchair | (wheelchair == 0))
        )
        if len(usable) == 0:
            continue
        key = usable.tobytes()
        if key not in trees:  # groups that may use the same placements share one index
            trees[key] = (cKDTree(placements.xy[usable]), usable)
        members = np.flatnonzero(group_of == group)
        work += [(*trees[key], members[start : start + chunk]) for start in range(0, len(members), chunk)]

    def candidates_of(
        item: tuple[cKDTree, NDArray[np.int64], NDArray[np.int64]],
    ) -> list[Found]:
        tree, usable, rows = item
        found: list[Found] = []
        pool = 256 if k is None else pool_factor * k
        while len(rows):
            pool = min(pool, len(usable))
            radius = residents.radius[rows]
            reach = float(radius.max()) * (1 + 1e-9) + 1e-9
            distance, local = tree.query(residents.xy[rows], k=pool, distance_upper_bound=reach)
            distance, local = distance.reshape(len(rows), pool), local.reshape(len(rows), pool)
            within = (local < len(usable)) & (distance <= radius[:, None])
            index = usable[np.where(within, local, 0)]
            ok = within & table[row_of[rows][:, None], placements.profile[index]]
            more = within[:, -1] & (pool < len(usable))
            widen = more if k is None else more & (ok.sum(axis=1) < k)
            ok &= ~widen[:, None]
            if k is not None and pool > k:
                scores = np.where(
                    ok, scoring.score_matrix(residents, placements, rows, index, distance, weights), -np.inf
                )
                best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
                chosen = np.take_along_axis(scores, best, axis=1)
                take = np.isfinite(chosen)
                rr = np.broadcast_to(np.arange(len(rows))[:, None], best.shape)[take]
                found.append((rows[rr], index[rr, best[take]], chosen[take]))
            else:
                rr, cc = np.nonzero(ok)
                r, p, d = rows[rr], index[rr, cc], distance[rr, cc]
                found.append((r, p, scoring.score_pairs(residents, placements, r, p, d, weights)[1]))
            rows, pool = rows[widen], pool * 4
        return found

    # numpy and the k-d tree let go of the GIL for big arrays: chunks run side by side on every core, and
    # map() keeps their order, so the result does not depend on the timing.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as executor:
        parts = [part for found in executor.map(candidates_of, work) for part in found]
    out_r = [np.array([], dtype=np.int64)] + [r for r, _p, _s in parts]
    out_p = [np.array([], dtype=np.int64)] + [p for _r, p, _s in parts]
    out_s = [np.array([], dtype=np.float64)] + [s for _r, _p, s in parts]
    return Candidates(np.concatenate(out_r), np.concatenate(out_p), np.concatenate(out_s))
