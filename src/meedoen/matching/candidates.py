"""Finding candidate placements fast: a spatial index (scipy's cKDTree) over the placements, for one resident
(recommendations) and for many (the batch allocation keeps the top k per resident). Pure Python, no Django.

Travel distance is a hard constraint, so only placements within a resident's radius can be candidates; the
index finds those without looking at the others.
"""

from __future__ import annotations

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
    chunk: int = 10_000,
) -> Candidates:
    """Scored candidate pairs for the allocation, in chunks of residents so memory stays bounded.

    Residents are grouped by the two most selective hard constraints (which law pays, what workload they
    can carry); each group searches a spatial index over only the placements it may use, so the nearest
    neighbours found are mostly feasible ones.

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
    out_r: list[NDArray[np.int64]] = [np.array([], dtype=np.int64)]
    out_p: list[NDArray[np.int64]] = [np.array([], dtype=np.int64)]
    out_s: list[NDArray[np.float64]] = [np.array([], dtype=np.float64)]
    group_of = residents.funding * 4 + residents.workload
    for group in np.unique(group_of):
        funding, workload = int(group) // 4, int(group) % 4
        usable = np.flatnonzero(((placements.funding & funding) != 0) & (placements.workload <= workload))
        members = np.flatnonzero(group_of == group)
        if len(usable) == 0:
            continue
        tree = cKDTree(placements.xy[usable])
        for start in range(0, len(members), chunk):
            rows = members[start : start + chunk]
            pool = 256 if k is None else pool_factor * k
            while len(rows):
                pool = min(pool, len(usable))
                radius = residents.radius[rows]
                reach = float(radius.max()) * (1 + 1e-9) + 1e-9
                workers = -1 if len(rows) >= 1000 else 1  # threads pay off for big chunks only
                distance, local = tree.query(
                    residents.xy[rows], k=pool, distance_upper_bound=reach, workers=workers
                )
                distance, local = distance.reshape(len(rows), pool), local.reshape(len(rows), pool)
                within = (local < len(usable)) & (distance <= radius[:, None])
                index = usable[np.where(within, local, 0)]
                ok = within & table[row_of[rows][:, None], placements.profile[index]]
                more = within[:, -1] & (pool < len(usable))
                widen = more if k is None else more & (ok.sum(axis=1) < k)
                ok &= ~widen[:, None]
                rr, cc = np.nonzero(ok)
                r, p, d = rows[rr], index[rr, cc], distance[rr, cc]
                _parts, s = scoring.score_pairs(residents, placements, r, p, d, weights)
                if k is not None and pool > k:
                    scores = np.full((len(rows), pool), -np.inf)
                    scores[rr, cc] = s
                    best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
                    take = np.isfinite(np.take_along_axis(scores, best, axis=1))
                    rr2 = np.broadcast_to(np.arange(len(rows))[:, None], best.shape)[take]
                    cc2 = best[take]
                    r, p, s = rows[rr2], index[rr2, cc2], scores[rr2, cc2]
                out_r.append(r)
                out_p.append(p)
                out_s.append(s)
                rows, pool = rows[widen], pool * 4
    return Candidates(np.concatenate(out_r), np.concatenate(out_p), np.concatenate(out_s))
