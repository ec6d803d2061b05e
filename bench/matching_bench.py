"""Matching benchmarks on synthetic data: recommendations for one resident, and the batch allocation.

    .venv/bin/python bench/matching_bench.py [--skip-region-exact] [--queries 2000]

What it measures (issue "Matching"):
1. Recommendations for one resident among 40,000 placements: p50/p95 of spatial index + hard constraints +
   scoring + ranking, in process (target p95 ≤ 2 ms).
2. City batch, 5,000 residents × 800 placements: every feasible pair, solved exactly (target ≤ 1 s), beside
   first come, first served.
3. Region batch, 200,000 residents × 40,000 placements: the top 50 candidates per resident (target ≥ 99.9 %
   of the optimum, ≤ 20 s for candidates + solve, ≤ 4 GB peak), and, for the optimum, an exact solve over
   every feasible pair (slow and memory-hungry; ``--skip-region-exact`` leaves it out).
Peak memory is the process's maximum resident set size (it only grows, so the stages run in this order).

The synthetic region: a square of about 100 × 100 km with residents and placements spread over towns;
travel modes, workloads, needs, language levels, legal bases, interests, days and hours drawn from plausible
mixes. Deterministic (seed 2017). Figures go into bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from meedoen.matching import scoring, solver  # noqa: E402
from meedoen.matching.candidates import PlacementIndex, batch_candidates  # noqa: E402
from meedoen.matching.scoring import Placements, Resident, Residents, Weights  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "latest.json"
TAGS = [
    "groen", "dieren", "techniek", "koken", "zorg", "administratie", "schoonmaak",
    "logistiek", "creatief", "winkel", "ict", "sport", "bouw", "fietsen",
]  # fmt: skip
KINDS = list(scoring.KIND_NAMES)
MODES = ["lopen", "fiets", "ov", "auto"]
# How far residents in a participation programme travel (about half an hour), as set in their profiles.
RADIUS_KM = {"lopen": 1.5, "fiets": 4.0, "ov": 8.0, "auto": 12.0}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _towns(rng: np.random.Generator, count: int, size_km: float) -> np.ndarray:
    return rng.uniform(0, size_km, size=(count, 2))


def _spread(
    rng: np.random.Generator, towns: np.ndarray, n: int, spread_km: float
) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude of n points around the towns (bigger towns first)."""
    weights = 1 / np.sqrt(np.arange(1, len(towns) + 1))
    town = rng.choice(len(towns), size=n, p=weights / weights.sum())
    xy = towns[town] + rng.normal(0, spread_km, size=(n, 2))
    latitude = 51.6 + xy[:, 1] / scoring.KM_PER_DEGREE_LAT
    longitude = 5.2 + xy[:, 0] / scoring.KM_PER_DEGREE_LON
    return latitude, longitude


def synthetic_placements(rng: np.random.Generator, n: int, towns: np.ndarray) -> Placements:
    latitude, longitude = _spread(rng, towns, n, 3.0)
    rows = []
    for i in range(n):
        days = sorted(rng.choice(7, size=int(rng.integers(2, 6)), replace=False))
        rows.append(
            {
                "id": i,
                "title": f"Plek {i}",
                "kind": KINDS[int(rng.integers(len(KINDS)))],
                "latitude": latitude[i],
                "longitude": longitude[i],
                "workload": ["laag", "midden", "hoog"][int(rng.choice(3, p=[0.4, 0.4, 0.2]))],
                "physical_demands": [d for d in scoring.DEMANDS if rng.random() < 0.2],
                "wheelchair_accessible": rng.random() < 0.6,
                "dutch_level": ["", "A1", "A2", "B1"][int(rng.choice(4, p=[0.4, 0.2, 0.25, 0.15]))],
                "funding": ["participatiewet", "wmo", "beide"][int(rng.choice(3, p=[0.4, 0.25, 0.35]))],
                "tags": [t for t in TAGS if rng.random() < 0.15] or [TAGS[int(rng.integers(len(TAGS)))]],
                "days": [scoring.WEEKDAYS[d] for d in days],
                "hours_per_week": float(len(days) * int(rng.integers(3, 8))),
                "free_seats": int(rng.choice([1, 2, 3, 4, 5, 6, 8])),
                "is_open": rng.random() < 0.95,
            }
        )
    return Placements.build(rows, TAGS, {t: t for t in TAGS})


def synthetic_residents(rng: np.random.Generator, n: int, towns: np.ndarray) -> list[Resident]:
    latitude, longitude = _spread(rng, towns, n, 3.0)
    modes = rng.choice(4, size=n, p=[0.15, 0.5, 0.25, 0.1])
    residents = []
    for i in range(n):
        domains = [["participatiewet"], ["wmo"], ["participatiewet", "wmo"]][
            int(rng.choice(3, p=[0.55, 0.3, 0.15]))
        ]
        residents.append(
            Resident(
                latitude=float(latitude[i]),
                longitude=float(longitude[i]),
                domains=frozenset(domains),
                interests=frozenset(t for t in TAGS if rng.random() < 0.2),
                travel_mode=MODES[int(modes[i])],
                travel_radius_km=RADIUS_KM[MODES[int(modes[i])]],
                workload=["laag", "midden", "hoog", ""][int(rng.choice(4, p=[0.35, 0.35, 0.15, 0.15]))],
                physical_needs=frozenset(
                    n
                    for n in ("geen_zwaar_tillen", "niet_lang_staan", "rustige_omgeving", "rolstoel")
                    if rng.random() < 0.12
                ),
                dutch_level=["A1", "A2", "B1", "B2", "moedertaal", ""][
                    int(rng.choice(6, p=[0.1, 0.15, 0.2, 0.15, 0.3, 0.1]))
                ],
                hours_per_week=float(rng.choice([8, 12, 16, 20, 24])),
                preferred_days=frozenset(scoring.WEEKDAYS[d] for d in range(5) if rng.random() < 0.6),
                rung=int(rng.integers(1, 7)),
                waiting_days=int(rng.integers(0, 500)),
            )
        )
    return residents


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def bench_recommendations(rng: np.random.Generator, queries: int) -> dict[str, float]:
    towns = _towns(rng, 40, 100)
    placements = synthetic_placements(rng, 40_000, towns)
    index = PlacementIndex(placements)
    residents = synthetic_residents(rng, queries, towns)
    weights = Weights()
    for resident in residents[:50]:
        index.recommend(resident, weights)
    samples = []
    for resident in residents:
        started = time.perf_counter()
        index.recommend(resident, weights)
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50": statistics.median(samples), "p95": percentile(samples, 95)}


def bench_batch(
    rng: np.random.Generator, n_res: int, n_pl: int, size_km: float, k: int | None, exact: bool
) -> dict[str, float]:
    towns = _towns(rng, max(3, n_pl // 300), size_km)  # a town for every 300 placements
    placements = synthetic_placements(rng, n_pl, towns)
    residents = Residents.build(synthetic_residents(rng, n_res, towns), TAGS)
    weights = Weights()
    figures: dict[str, float] = {}
    started = time.perf_counter()
    top = batch_candidates(residents, placements, weights, k=k)
    figures["candidates_s"] = time.perf_counter() - started
    figures["pairs"] = float(len(top.score))
    problem = solver.problem_from_arrays(n_res, placements.free_seats, top.resident, top.placement, top.score)
    started = time.perf_counter()
    assignment = solver.solve(problem)
    figures["solve_s"] = time.perf_counter() - started
    figures["total"] = assignment.total
    figures["placed"] = float(len(assignment.edges))
    figures["peak_mb"] = peak_mb()
    baseline = solver.first_come_first_served(problem)
    figures["fcfs_total"] = baseline.total
    assert not solver.check(problem, assignment)
    if exact and k is not None:
        del problem, top
        started = time.perf_counter()
        every = batch_candidates(residents, placements, weights, k=None)
        figures["exact_candidates_s"] = time.perf_counter() - started
        figures["exact_pairs"] = float(len(every.score))
        problem = solver.problem_from_arrays(
            n_res, placements.free_seats, every.resident, every.placement, every.score
        )
        del every
        started = time.perf_counter()
        optimum = solver.solve(problem)
        figures["exact_solve_s"] = time.perf_counter() - started
        figures["optimum"] = optimum.total
        figures["exact_peak_mb"] = peak_mb()
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--skip-region-exact", action="store_true")
    parser.add_argument("--skip-region", action="store_true")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, object]] = {}

    def put(name: str, value: float, unit: str) -> None:
        results[name] = {"value": round(value, 4), "unit": unit}

    rec = bench_recommendations(np.random.default_rng(2017), args.queries)
    put("matching_recommend_40k_p50", rec["p50"], "ms")
    put("matching_recommend_40k_p95", rec["p95"], "ms")
    print(f"recommendations, 40,000 placements: p50 {rec['p50']:.3f} ms, p95 {rec['p95']:.3f} ms")

    city = bench_batch(np.random.default_rng(2018), 5_000, 800, 15, None, exact=False)
    put("matching_city_candidates", city["candidates_s"] * 1000, "ms")
    put("matching_city_exact_solve", city["solve_s"] * 1000, "ms")
    put("matching_city_pairs", city["pairs"], "pairs")
    put("matching_city_fcfs_share", 100 * city["fcfs_total"] / city["total"], "%")
    print(
        f"city 5,000 × 800: {city['pairs']:.0f} feasible pairs in {city['candidates_s']:.2f} s, exact solve "
        f"{city['solve_s']:.2f} s; {city['placed']:.0f} placed; first come, first served reaches "
        f"{100 * city['fcfs_total'] / city['total']:.1f} % of the optimum"
    )

    if not args.skip_region:
        region = bench_batch(
            np.random.default_rng(2019), 200_000, 40_000, 100, 50, exact=not args.skip_region_exact
        )
        put("matching_region_top50_candidates", region["candidates_s"], "s")
        put("matching_region_top50_solve", region["solve_s"], "s")
        put("matching_region_top50_total_time", region["candidates_s"] + region["solve_s"], "s")
        put("matching_region_top50_peak", region["peak_mb"], "MB")
        put("matching_region_fcfs_total", region["fcfs_total"], "score")
        line = (
            f"region 200,000 × 40,000, top 50: {region['pairs']:.0f} pairs, "
            f"candidates {region['candidates_s']:.1f} s, solve {region['solve_s']:.1f} s, "
            f"peak {region['peak_mb']:.0f} MB"
        )
        if "optimum" in region:
            share = 100 * region["total"] / region["optimum"]
            put("matching_region_top50_share_of_optimum", share, "%")
            put("matching_region_fcfs_share", 100 * region["fcfs_total"] / region["optimum"], "%")
            put(
                "matching_region_exact_total_time",
                region["exact_candidates_s"] + region["exact_solve_s"],
                "s",
            )
            put("matching_region_exact_peak", region["exact_peak_mb"], "MB")
            line += (
                f"; {share:.3f} % of the optimum (exact over {region['exact_pairs']:.0f} pairs: candidates "
                f"{region['exact_candidates_s']:.1f} s, solve {region['exact_solve_s']:.1f} s, peak "
                f"{region['exact_peak_mb']:.0f} MB); first come, first served "
                f"{100 * region['fcfs_total'] / region['optimum']:.1f} %"
            )
        print(line)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    merged = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged.update(results)
    RESULTS.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
