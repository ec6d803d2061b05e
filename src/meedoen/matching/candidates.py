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


def _pairs_within_radius(
    tree: cKDTree, residents: Residents, rows: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    found = tree.query_ball_point(residents.xy[rows], residents.radius[rows], return_sorted=False)
    lengths = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
    r = np.repeat(rows, lengths)
    p = np.fromiter((i for f in found for i in f), dtype=np.int64, count=int(lengths.sum()))
    return r, p


def _top_k(r: NDArray[np.int64], p: NDArray[np.int64], s: NDArray[np.float64], k: int) -> NDArray[np.bool_]:
    """Mask of the k best pairs of every resident (pairs grouped by resident in any order)."""
    order = np.lexsort((p, -s, r))
    r_sorted = r[order]
    starts = np.flatnonzero(np.r_[True, r_sorted[1:] != r_sorted[:-1]])
    rank_in_group = np.arange(len(r_sorted)) - np.repeat(starts, np.diff(np.r_[starts, len(r_sorted)]))
    keep = np.zeros(len(r), dtype=bool)
    keep[order[rank_in_group < k]] = True
    return keep


def batch_candidates(
    residents: Residents,
    placements: Placements,
    weights: Weights,
    *,
    k: int | None = 50,
    chunk: int = 5_000,
) -> Candidates:
    """Every feasible pair (``k=None``), or the ``k`` best per resident, scored; in chunks of residents so
    memory stays bounded. Deterministic: ties are broken by placement order."""
    if len(placements) == 0 or len(residents) == 0:
        empty = np.array([], dtype=np.int64)
        return Candidates(empty, empty, np.array([], dtype=np.float64))
    tree = cKDTree(placements.xy)
    parts_r, parts_p, parts_s = [], [], []
    for start in range(0, len(residents), chunk):
        rows = np.arange(start, min(start + chunk, len(residents)), dtype=np.int64)
        r, p = _pairs_within_radius(tree, residents, rows)
        ok, distance = scoring.feasible_pairs(residents, placements, r, p)
        r, p, distance = r[ok], p[ok], distance[ok]
        _parts, s = scoring.score_pairs(residents, placements, r, p, distance, weights)
        if k is not None:
            keep = _top_k(r, p, s, k)
            r, p, s = r[keep], p[keep], s[keep]
        parts_r.append(r)
        parts_p.append(p)
        parts_s.append(s)
    return Candidates(np.concatenate(parts_r), np.concatenate(parts_p), np.concatenate(parts_s))
