"""The route's state machine: every allowed and refused step, steps back, reviews, fall-back, art. 10a."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meedoen.routes.transitions import (
    DEFAULT_RULES,
    PHASES,
    Period,
    Refused,
    Rhythm,
    can_fall_back,
    check_step,
    is_step_back,
    limit_10a,
    next_review,
    phase_to_return_to,
    review_due,
)

ALLOWED = DEFAULT_RULES.allowed


@pytest.mark.parametrize(("current", "target"), list(itertools.product(PHASES, PHASES)))
def test_every_step_is_allowed_or_refused_with_a_reason(current, target):
    if target in ALLOWED[current]:
        check_step(DEFAULT_RULES, current, target, has_accepted_proposal=True)
    else:
        with pytest.raises(Refused) as refused:
            check_step(DEFAULT_RULES, current, target, has_accepted_proposal=True)
        assert refused.value.field == "phase"
        assert (
            "kan de inwoner niet naar" in refused.value.message or "is al in de fase" in refused.value.message
        )


@pytest.mark.parametrize("target", ["activerend_werk", "leerwerken"])
def test_a_step_into_a_placement_phase_needs_an_accepted_proposal(target):
    with pytest.raises(Refused) as refused:
        check_step(DEFAULT_RULES, "verkennen", target, has_accepted_proposal=False)
    assert refused.value.field == "proposal"


def test_no_route_no_step_and_unknown_phase():
    with pytest.raises(Refused, match="geen open route"):
        check_step(DEFAULT_RULES, None, "verkennen", has_accepted_proposal=False)
    with pytest.raises(Refused, match="Onbekende fase"):
        check_step(DEFAULT_RULES, "verkennen", "maanreis", has_accepted_proposal=False)


def test_steps_back_are_recognised_and_pause_is_beside_the_bridge():
    assert is_step_back("leerwerken", "activerend_werk")
    assert is_step_back("betaald_werk", "werken_met_ondersteuning")
    assert not is_step_back("activerend_werk", "leerwerken")
    assert not is_step_back("leerwerken", "pauze")
    assert not is_step_back("pauze", "verkennen")


@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10)), max_size=40))
def test_a_walk_takes_every_allowed_step_and_no_other(choices):
    phase = DEFAULT_RULES.first_phase
    for allowed_choice, other_choice in choices:
        refused = sorted(set(PHASES) - set(ALLOWED[phase]) - {phase})
        if refused:
            with pytest.raises(Refused):
                check_step(
                    DEFAULT_RULES, phase, refused[other_choice % len(refused)], has_accepted_proposal=True
                )
        options = sorted(ALLOWED[phase])
        target = options[allowed_choice % len(options)]
        check_step(DEFAULT_RULES, phase, target, has_accepted_proposal=True)
        phase = target


def test_review_intervals_follow_the_phase():
    assert next_review(DEFAULT_RULES, "activerend_werk", dt.date(2026, 1, 31)) == dt.date(2026, 4, 30)
    assert next_review(DEFAULT_RULES, "leerwerken", dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)


def test_fall_back_within_and_after_the_guarantee():
    left = dt.date(2025, 12, 1)
    assert can_fall_back(DEFAULT_RULES, "betaald_werk_zonder_uitkering", left, dt.date(2026, 11, 30))
    assert can_fall_back(DEFAULT_RULES, "betaald_werk_zonder_uitkering", left, dt.date(2026, 12, 1))
    assert not can_fall_back(DEFAULT_RULES, "betaald_werk_zonder_uitkering", left, dt.date(2026, 12, 2))
    assert not can_fall_back(DEFAULT_RULES, "verhuisd", left, dt.date(2026, 1, 1))
    assert phase_to_return_to(["kennismaken", "leerwerken", "betaald_werk"]) == "leerwerken"


def test_the_10a_limit_warns_three_months_ahead_for_residents_of_27_and_older():
    today = dt.date(2026, 11, 23)
    periods = [Period("activerend_werk", dt.date(2025, 2, 1), None)]  # 21 months and 22 days so far
    warning = limit_10a(DEFAULT_RULES, periods, dt.date(1980, 5, 17), today)
    assert warning is not None and warning.warn
    assert warning.reached_on == dt.date(2027, 2, 1)
    early = limit_10a(
        DEFAULT_RULES, [Period("activerend_werk", dt.date(2026, 6, 1), None)], dt.date(1980, 5, 17), today
    )
    assert early is not None and not early.warn
    assert (
        limit_10a(DEFAULT_RULES, periods, dt.date(2001, 1, 1), today) is None
    )  # 25: the limit does not apply
    paid = [
        Period("activerend_werk", dt.date(2025, 2, 1), dt.date(2026, 1, 1)),
        Period("betaald_werk", dt.date(2026, 1, 1), None),
    ]
    assert limit_10a(DEFAULT_RULES, paid, dt.date(1980, 5, 17), today) is None


@pytest.mark.parametrize(
    ("phase", "since", "rhythm", "due"),
    [
        # No rhythm: the phase's own interval.
        ("verkennen", dt.date(2026, 3, 1), None, dt.date(2026, 5, 1)),
        # Every two weeks from the day the resident joined, or the last review if later.
        ("verkennen", dt.date(2026, 3, 1), Rhythm(2, dt.date(2026, 3, 10)), dt.date(2026, 3, 24)),
        ("verkennen", dt.date(2026, 3, 20), Rhythm(2, dt.date(2026, 3, 10)), dt.date(2026, 4, 3)),
        # Never later than the phase's own review: a review overdue stays overdue.
        ("leerwerken", dt.date(2026, 1, 1), Rhythm(8, dt.date(2026, 1, 20)), dt.date(2026, 2, 1)),
    ],
)
def test_an_experiments_rhythm_makes_a_review_sooner_never_later(phase, since, rhythm, due):
    assert review_due(DEFAULT_RULES, phase, since, (), rhythm) == due
