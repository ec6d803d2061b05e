"""Stratified block randomisation and the design's fingerprint: pure, no database."""

from hypothesis import given, settings
from hypothesis import strategies as st

from meedoen.experiments import assignment, design
from meedoen.experiments.tests.factories import regelluw


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**62),
    ratios=st.lists(st.integers(1, 3), min_size=2, max_size=4),
    length=st.integers(1, 60),
)
def test_within_a_stratum_the_arms_never_differ_by_more_than_one_block(seed, ratios, length) -> None:
    named = {f"arm{i}": ratio for i, ratio in enumerate(ratios)}
    arms = assignment.sequence(seed, "leeftijdsgroep=45+", length, named)
    size = sum(ratios)
    full = length // size
    for arm, ratio in named.items():
        assert full * ratio <= arms.count(arm) <= (full + 1) * ratio
    assert arms == assignment.sequence(seed, "leeftijdsgroep=45+", length, named)  # reproducible


def test_assign_continues_each_strata_sequence_where_it_stopped() -> None:
    ratios = {"regulier": 1, "eigen_regie": 1, "intensief": 1}
    first = assignment.assign(42, ratios, [("a", "s1"), ("b", "s2"), ("c", "s1")], {})
    later = assignment.assign(42, ratios, [("d", "s1")], {"s1": 2, "s2": 1})
    assert [draw.position for draw in first] == [0, 0, 1]
    assert later[0].position == 2
    assert later[0].arm == assignment.sequence(42, "s1", 3, ratios)[2]
    # Another seed gives another sequence for at least one of a few strata.
    assert any(assignment.sequence(42, s, 6, ratios) != assignment.sequence(43, s, 6, ratios) for s in "abc")


def test_the_fingerprint_is_the_sha256_of_the_canonical_json_and_ignores_key_order() -> None:
    import datetime as dt
    import hashlib

    data = design.registration(
        regelluw(), title="Regelluwe bijstand", version=0, registered_on=dt.date(2026, 11, 1)
    )
    text = design.canonical_json(data)
    assert design.fingerprint(data) == hashlib.sha256(text.encode()).hexdigest()
    assert design.fingerprint(dict(reversed(list(data.items())))) == design.fingerprint(data)
    assert design.from_data(data["design"]) == regelluw()
    changed = design.registration(
        regelluw(strata=()), title="Regelluwe bijstand", version=0, registered_on=dt.date(2026, 11, 1)
    )
    assert design.fingerprint(changed) != design.fingerprint(data)


# The registration of ``regelluw()`` on 1 March 2026, as hashed before arms could carry a review rhythm.
FROZEN_BEFORE_REVIEW_RHYTHM = "21d50bee58723247f5a4f271848d96e3179e0279a8a17c146976176fbf121b3a"


def test_a_design_frozen_before_arms_had_a_review_rhythm_still_hashes_the_same() -> None:
    import datetime as dt
    import json

    data = design.registration(
        regelluw(), title="Regelluwe bijstand", version=0, registered_on=dt.date(2026, 3, 1)
    )
    assert design.fingerprint(data) == FROZEN_BEFORE_REVIEW_RHYTHM
    text = design.canonical_json(data)
    assert "review_every_weeks" not in text
    # Read back and written again (an amendment starts from the stored design): the same bytes.
    stored = json.loads(text)
    assert design.as_data(design.from_data(stored["design"])) == stored["design"]
    # An arm that uses the rhythm carries it, so that design has its own hash, and reads back the same.
    arms = (*regelluw().arms[:2], design.Arm("intensief", "Intensieve begeleiding", review_every_weeks=2))
    guided = design.registration(
        regelluw(arms=arms), title="Regelluwe bijstand", version=0, registered_on=dt.date(2026, 3, 1)
    )
    assert '"review_every_weeks":2' in design.canonical_json(guided)
    assert design.fingerprint(guided) != FROZEN_BEFORE_REVIEW_RHYTHM
    assert design.from_data(guided["design"]) == regelluw(arms=arms)


def test_the_control_arm_keeps_the_normal_review_rhythm() -> None:
    import pytest

    from meedoen.errors import RuleError

    arms = (design.Arm("regulier", "Regulier", review_every_weeks=2), regelluw().arms[1])
    with pytest.raises(RuleError, match="controlegroep"):
        design.validate(regelluw(arms=arms))
    too_rare = (design.Arm("regulier", "Regulier"), design.Arm("x", "X", review_every_weeks=27))
    with pytest.raises(RuleError, match="1 tot en met 26 weken"):
        design.validate(regelluw(arms=too_rare))
