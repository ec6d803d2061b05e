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
    chunk: int = 10_000,
) -> Candidates:
    """Scored candidate pairs for the allocation, in chunks of residents so memory stays bounded.

    ``k=None``: every feasible pair (the nearest-neighbour search widens until every resident's whole radius
    is covered). ``k=50``: the 50 best-scoring feasible pairs among each resident's nearest ``4·k``
    placements within their radius; where that pool holds fewer than ``k`` feasible ones while the radius
    holds more placements, the pool widens (×4) for that resident until it has ``k`` or covers the radius.
    Everything is vectorised per chunk: one nearest-neighbour query, one table lookup for the hard
    constraints, one partial sort for the top k. Deterministic for the same data and weights."""
    n_pl = len(placements)
    if n_pl == 0 or len(residents) == 0:
        empty = np.array([], dtype=np.int64)
        return Candidates(empty, empty, np.array([], dtype=np.float64))
    tree = cKDTree(placements.xy)
    row_of, table = scoring.acceptable_table(residents)
    out_r, out_p, out_s = [], [], []
    for start in range(0, len(residents), chunk):
        rows = np.arange(start, min(start + chunk, len(residents)), dtype=np.int64)
        pool = 256 if k is None else 4 * k
        while len(rows):
            pool = min(pool, n_pl)
            radius = residents.radius[rows]
            reach = float(radius.max()) * (1 + 1e-9) + 1e-9
            workers = -1 if len(rows) >= 1000 else 1  # threads pay off for big chunks only
            distance, index = tree.query(
                residents.xy[rows], k=pool, distance_upper_bound=reach, workers=workers
            )
            distance, index = distance.reshape(len(rows), pool), index.reshape(len(rows), pool)
            within = (index < n_pl) & (distance <= radius[:, None])
            safe = np.where(within, index, 0)
            ok = within & table[row_of[rows][:, None], placements.profile[safe]]
            more = within[:, -1] & (pool < n_pl)
            widen = more if k is None else more & (ok.sum(axis=1) < k)
            ok &= ~widen[:, None]
            rr, cc = np.nonzero(ok)
            r, p, d = rows[rr], index[rr, cc].astype(np.int64), distance[rr, cc]
            _parts, s = scoring.score_pairs(residents, placements, r, p, d, weights)
            if k is not None and pool > k:
                scores = np.full((len(rows), pool), -np.inf)
                scores[rr, cc] = s
                # Ties: the nearer placement first (columns are ordered by distance): a stable choice.
                best = np.argsort(-scores, axis=1, kind="stable")[:, :k]
                take = np.isfinite(np.take_along_axis(scores, best, axis=1))
                rr2 = np.repeat(np.arange(len(rows)), k).reshape(len(rows), k)[take]
                cc2 = best[take]
                r, p, s = rows[rr2], index[rr2, cc2].astype(np.int64), scores[rr2, cc2]
            out_r.append(r)
            out_p.append(p)
            out_s.append(s)
            rows, pool = rows[widen], pool * 4
    return Candidates(np.concatenate(out_r), np.concatenate(out_p), np.concatenate(out_s))
