"""The allocation solver: feasible on any input, optimal on small ones (checked by brute force), and never
worse than first come, first served."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meedoen.matching.solver import Problem, check, first_come_first_served, solve


def brute_force(problem: Problem) -> float:
    """The best total by trying every choice of one allowed placement (or none) per resident."""
    options: list[list[int | None]] = [[None] for _ in problem.residents]
    for edge, resident in enumerate(problem.edge_resident):
        options[resident].append(edge)
    best = 0.0
    for choice in itertools.product(*options):
        edges = [e for e in choice if e is not None]
        used = np.bincount(problem.edge_placement[edges], minlength=len(problem.placements)) if edges else 0
        if edges and (used > problem.seats).any():
            continue
        best = max(best, float(sum(problem.edge_score[e] for e in edges)))
    return best


@st.composite
def problems(draw, max_residents: int = 7, max_placements: int = 4) -> Problem:
    n_res = draw(st.integers(1, max_residents))
    n_pl = draw(st.integers(1, max_placements))
    capacity = [(f"p{j}", draw(st.integers(0, 3))) for j in range(n_pl)]
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_res - 1), st.integers(0, n_pl - 1)), unique=True, max_size=n_res * n_pl
        )
    )
    scores = st.one_of(
        st.integers(0, 100).map(float), st.floats(0, 1000, allow_nan=False, allow_infinity=False)
    )
    edges = [(f"r{i}", f"p{j}", draw(scores)) for i, j in pairs]
    return Problem.from_rows(edges, capacity)


@settings(max_examples=300, deadline=None)
@given(problems())
def test_the_solver_reaches_the_brute_force_optimum(problem):
    assignment = solve(problem)
    assert check(problem, assignment) == []
    assert math.isclose(assignment.total, brute_force(problem), rel_tol=1e-6, abs_tol=1e-6)


@settings(max_examples=200, deadline=None)
@given(problems(max_residents=40, max_placements=12))
def test_capacity_and_one_place_per_resident_always_hold(problem):
    for assignment in (solve(problem), first_come_first_served(problem)):
        assert check(problem, assignment) == []
        assert set(assignment.edges.tolist()) <= set(range(len(problem.edge_score)))


@settings(max_examples=200, deadline=None)
@given(problems(max_residents=40, max_placements=12))
def test_the_optimum_is_never_below_first_come_first_served(problem):
    assert solve(problem).total >= first_come_first_served(problem).total - 1e-6


def test_a_small_case_where_first_come_first_served_loses():
    # Anna comes first and takes the only seat of the garden, where Bram fits much better.
    problem = Problem.from_rows(
        [("anna", "tuin", 5), ("anna", "winkel", 4), ("bram", "tuin", 9)], [("tuin", 1), ("winkel", 1)]
    )
    assert sorted(solve(problem).pairs(problem)) == [("anna", "winkel"), ("bram", "tuin")]
    assert solve(problem).total == 13
    assert first_come_first_served(problem).total == 5


def test_pairs_not_listed_are_never_assigned_and_empty_input_is_fine():
    problem = Problem.from_rows([("anna", "tuin", 1.5)], [("tuin", 2), ("winkel", 3)])
    assert solve(problem).pairs(problem) == [("anna", "tuin")]
    empty = Problem.from_rows([], [("tuin", 2)])
    assert solve(empty).total == 0 and len(solve(empty).edges) == 0


@pytest.mark.parametrize("score", [-1, float("nan")])
def test_a_negative_or_missing_score_is_refused(score):
    with pytest.raises(ValueError, match="non-negative"):
        Problem.from_rows([("anna", "tuin", score)], [("tuin", 1)])


def test_scores_of_very_different_sizes_stay_optimal():
    rng = np.random.default_rng(7)
    edges = [
        (f"r{i}", f"p{j}", float(rng.choice([1e-6, 1.0, 1e6]) * rng.random()))
        for i in range(60)
        for j in range(6)
    ]
    problem = Problem.from_rows(edges, [(f"p{j}", 4) for j in range(6)])
    assignment = solve(problem)
    assert check(problem, assignment) == []
    assert assignment.total >= first_come_first_served(problem).total
