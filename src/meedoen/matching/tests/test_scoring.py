"""Scoring and candidates: hard constraints are never broken, the ranking follows the score, and the reasons
name what really fits and what does not."""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meedoen.matching import scoring, solver
from meedoen.matching.candidates import PlacementIndex, batch_candidates
from meedoen.matching.scoring import Placements, Resident, Residents, Weights

TAGS = ["groen", "dieren", "koken", "techniek"]
LAT, LON = 52.2112, 5.9690  # Apeldoorn


def said(reasons: list[scoring.Reason]) -> list[str]:
    """The reasons as their Dutch sentences."""
    return [str(reason) for reason in reasons]


def placement_row(i: int, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": i,
        "title": f"Plek {i}",
        "kind": "activerend_werk",
        "latitude": LAT,
        "longitude": LON,
        "workload": "laag",
        "physical_demands": [],
        "wheelchair_accessible": True,
        "dutch_level": "",
        "funding": "beide",
        "tags": [],
        "days": ["di", "do"],
        "hours_per_week": 12.0,
        "free_seats": 2,
        "is_open": True,
    }
    row.update(values)
    return row


def offset(km_north: float) -> float:
    return LAT + km_north / scoring.KM_PER_DEGREE_LAT


def naive_allowed(resident: Resident, row: dict[str, object]) -> bool:
    """The hard constraints written out once more, plainly, to check the vectorised version against."""
    distance = math.dist(
        scoring.to_km(resident.latitude, resident.longitude)[0],
        scoring.to_km(float(row["latitude"]), float(row["longitude"]))[0],  # type: ignore[arg-type]
    )
    blocked = {scoring.NEED_BLOCKS[n] for n in resident.physical_needs if n in scoring.NEED_BLOCKS}
    funding = {"beide": {"participatiewet", "wmo"}}.get(str(row["funding"]), {str(row["funding"])})
    return (
        bool(funding & resident.domains)
        and scoring.WORKLOAD[str(row["workload"])] <= scoring.WORKLOAD.get(resident.workload, 3)
        and not blocked & set(row["physical_demands"])  # type: ignore[arg-type]
        and (bool(row["wheelchair_accessible"]) or "rolstoel" not in resident.physical_needs)
        and scoring.DUTCH.get(str(row["dutch_level"]), 0) <= scoring.DUTCH.get(resident.dutch_level, 5)
        and distance <= resident.radius_km
        and bool(row["is_open"])
        and int(row["free_seats"]) > 0  # type: ignore[call-overload]
    )


residents_st = st.builds(
    Resident,
    latitude=st.floats(52.15, 52.27),
    longitude=st.floats(5.88, 6.06),
    domains=st.frozensets(st.sampled_from(["participatiewet", "wmo"]), min_size=1),
    interests=st.frozensets(st.sampled_from(TAGS)),
    travel_mode=st.sampled_from(["", "lopen", "fiets", "ov", "auto"]),
    travel_radius_km=st.one_of(st.none(), st.integers(1, 15).map(float)),
    workload=st.sampled_from(["", "laag", "midden", "hoog"]),
    physical_needs=st.frozensets(
        st.sampled_from(
            ["geen_zwaar_tillen", "niet_lang_staan", "rustige_omgeving", "rolstoel", "toilet_dichtbij"]
        )
    ),
    dutch_level=st.sampled_from(["", "geen", "A1", "A2", "B1", "B2", "moedertaal"]),
    hours_per_week=st.one_of(st.none(), st.integers(4, 32).map(float)),
    preferred_days=st.frozensets(st.sampled_from(scoring.WEEKDAYS)),
    rung=st.one_of(st.none(), st.integers(1, 6)),
    phase=st.sampled_from(["", *scoring.KINDS_FOR_PHASE]),
    waiting_days=st.integers(0, 800),
)

placement_st = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(list(scoring.KIND_NAMES)),
        "latitude": st.floats(52.15, 52.27),
        "longitude": st.floats(5.88, 6.06),
        "workload": st.sampled_from(["laag", "midden", "hoog"]),
        "physical_demands": st.lists(st.sampled_from(scoring.DEMANDS), unique=True),
        "wheelchair_accessible": st.booleans(),
        "dutch_level": st.sampled_from(["", "A1", "A2", "B1"]),
        "funding": st.sampled_from(["participatiewet", "wmo", "beide"]),
        "tags": st.lists(st.sampled_from(TAGS), unique=True),
        "days": st.lists(st.sampled_from(scoring.WEEKDAYS), min_size=1, unique=True),
        "hours_per_week": st.integers(2, 40).map(float),
        "free_seats": st.integers(0, 3),
        "is_open": st.booleans(),
    }
)


@settings(max_examples=150, deadline=None)
@given(residents_st, st.lists(placement_st, min_size=1, max_size=30))
def test_recommendations_never_break_a_hard_constraint(resident, rows):
    rows = [placement_row(i, **row) for i, row in enumerate(rows)]
    placements = Placements.build(rows, TAGS, {})
    scored, order = PlacementIndex(placements).recommend(resident, Weights(), top=len(rows))
    offered = {int(i) for i in scored.index}
    assert offered == {i for i, row in enumerate(rows) if naive_allowed(resident, row)}
    scores = scored.score[order]
    assert all(a >= b - 1e-9 for a, b in itertools.pairwise(scores))
    assert ((scored.score >= 0) & (scored.score <= 100 + 1e-9)).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(residents_st, min_size=1, max_size=15), st.lists(placement_st, min_size=1, max_size=15))
def test_batch_candidates_and_allocation_keep_every_hard_constraint_and_capacity(residents, rows):
    rows = [placement_row(i, **row) for i, row in enumerate(rows)]
    placements = Placements.build(rows, TAGS, {})
    arrays = Residents.build(residents, TAGS)
    every = batch_candidates(arrays, placements, Weights(), k=None)
    for r, p in zip(every.resident, every.placement, strict=True):
        assert naive_allowed(residents[r], rows[p])
    expected = sum(naive_allowed(res, row) for res in residents for row in rows)
    assert len(every.score) == expected
    top4 = batch_candidates(arrays, placements, Weights(), k=4, chunk=4)
    for resident in range(len(residents)):
        # The pool (4·k = 16 nearest) covers all 15 placements here, so the top 4 are the best 4 of all.
        best = sorted(every.score[every.resident == resident], reverse=True)[:4]
        assert sorted(top4.score[top4.resident == resident], reverse=True) == pytest.approx(best)
    problem = solver.problem_from_arrays(
        len(residents), placements.free_seats, every.resident, every.placement, every.score
    )
    assert solver.check(problem, solver.solve(problem)) == []


def test_the_reasons_name_what_fits_and_what_does_not():
    resident = Resident(
        latitude=LAT,
        longitude=LON,
        domains=frozenset({"participatiewet"}),
        interests=frozenset({"groen", "dieren"}),
        travel_mode="fiets",
        workload="laag",
        hours_per_week=12,
        preferred_days=frozenset({"di", "do"}),
        rung=3,
    )
    rows = [
        placement_row(0, title="Moestuin", latitude=offset(2.4), tags=["groen", "dieren"], free_seats=1),
        placement_row(1, title="Lunchroom", latitude=offset(1.0), tags=["koken"], days=["ma", "di", "do"]),
        placement_row(2, title="Te ver", latitude=offset(9.0), tags=["groen"]),
        placement_row(3, title="Te zwaar", workload="hoog", tags=["groen"]),
    ]
    placements = Placements.build(rows, TAGS, {"groen": "Groen en tuin", "dieren": "Dieren"})
    scored, order = PlacementIndex(placements).recommend(resident, Weights())
    titles = [placements.titles[scored.index[i]] for i in order]
    assert titles == ["Moestuin", "Lunchroom"]  # the other two break a hard constraint
    best = scoring.explain(resident, placements, scored, int(order[0]), Weights())
    assert str(best.fits[0]) == "2,4 km per fiets (ongeveer 10 minuten)"
    assert "past bij interesse groen en tuin en dieren" in said(best.fits)
    assert "werkdruk laag, zoals gevraagd" in said(best.fits)
    assert "di en do, 12 uur per week" in said(best.fits)
    assert "activerend werk past bij trede 3" in said(best.fits)
    assert "1 vrije plek" in said(best.fits)
    assert best.misfits == []
    second = scoring.explain(resident, placements, scored, int(order[1]), Weights())
    assert "past niet bij de interesses van de inwoner" in said(second.misfits)
    assert "ook op ma, geen voorkeursdag" in said(second.misfits)
    assert math.isclose(sum(points for _name, points in best.parts), float(scored.score[order[0]]))


def test_the_phase_on_the_route_decides_which_kind_of_placement_fits():
    """A werkervaringsplek is the next step for a resident in activerend werk, a leap for one in verkennen;
    the route's phase counts, not the ladder, and the reasons name the phase."""
    rows = [
        placement_row(0, title="Werkervaring", kind="werkervaringsplek"),
        placement_row(1, title="Activerend", kind="activerend_werk"),
    ]
    placements = Placements.build(rows, TAGS, {})
    index = PlacementIndex(placements)
    weights = Weights(interests=0, distance=0, hours=0, days=0, phase=1, waiting=0)

    def ranked(resident: Resident) -> tuple[list[str], list[scoring.Explanation]]:
        scored, order = index.recommend(resident, weights)
        titles = [placements.titles[scored.index[i]] for i in order]
        return titles, [scoring.explain(resident, placements, scored, int(i), weights) for i in order]

    base = {"latitude": LAT, "longitude": LON, "domains": frozenset({"participatiewet"}), "rung": 4}
    _titles, reasons = ranked(Resident(**base, phase="activerend_werk"))  # type: ignore[arg-type]
    assert any(
        "een werkervaringsplek past bij de fase activerend werk van de route" in said(r.fits) for r in reasons
    )
    exploring, reasons = ranked(Resident(**base, phase="verkennen"))  # type: ignore[arg-type]
    assert exploring == ["Activerend", "Werkervaring"]
    assert "activerend werk past bij de fase verkennen van de route" in said(reasons[0].fits)
    assert "een werkervaringsplek past minder bij de fase verkennen van de route" in said(reasons[1].misfits)
    assert not any("trede" in str(reason) for r in reasons for reason in r.fits + r.misfits)
    # Without an open route, the rung on the ladder still counts (rung 4 fits a werkervaringsplek).
    _titles, reasons = ranked(Resident(**base))  # type: ignore[arg-type]
    assert "een werkervaringsplek past bij trede 4" in said(reasons[0].fits + reasons[1].fits)


def test_weights_change_the_ranking():
    resident = Resident(
        latitude=LAT, longitude=LON, domains=frozenset({"wmo"}), interests=frozenset({"dieren"})
    )
    rows = [
        placement_row(0, title="Dichtbij", latitude=offset(0.2)),
        placement_row(1, title="Dieren", latitude=offset(7.0), tags=["dieren"]),
    ]
    placements = Placements.build(rows, TAGS, {})
    index = PlacementIndex(placements)
    near, order = index.recommend(resident, Weights(interests=0, distance=5))
    assert placements.titles[near.index[order[0]]] == "Dichtbij"
    liked, order = index.recommend(resident, Weights(interests=5, distance=1))
    assert placements.titles[liked.index[order[0]]] == "Dieren"


def test_a_full_placement_is_offered_only_for_the_waiting_list():
    resident = Resident(latitude=LAT, longitude=LON, domains=frozenset({"wmo"}))
    placements = Placements.build([placement_row(0, free_seats=0)], TAGS, {})
    index = PlacementIndex(placements)
    assert len(index.recommend(resident, Weights())[0].index) == 0
    scored, order = index.recommend(resident, Weights(), waiting_list=True)
    assert "nu vol: alleen wachtlijst" in said(
        scoring.explain(resident, placements, scored, int(order[0]), Weights()).misfits
    )


def test_the_reasons_are_templates_with_codes_that_render_to_the_dutch_sentences():
    """Each reason keeps its Dutch template and its params (words by their code), so a page can show it in
    another language; rendered plainly, it is the Dutch sentence the pages have always shown."""
    resident = Resident(
        latitude=LAT,
        longitude=LON,
        domains=frozenset({"wmo"}),
        interests=frozenset({"groen", "dieren", "koken"}),
        workload="hoog",
        hours_per_week=32,
        preferred_days=frozenset({"di"}),
        phase="kennismaken",
    )
    rows = [
        placement_row(
            0,
            latitude=offset(2.0),
            tags=["groen", "dieren", "koken"],
            days=["ma", "di", "do"],
            hours_per_week=12.5,
        )
    ]
    placements = Placements.build(rows, TAGS, {"groen": "Groen", "dieren": "Dieren", "koken": "Koken"})
    scored, order = PlacementIndex(placements).recommend(resident, Weights())
    reasons = scoring.explain(resident, placements, scored, int(order[0]), Weights())
    assert said(reasons.fits) == [
        "2,0 km",
        "past bij interesse groen, dieren en koken",
        "werkdruk laag, lager dan de inwoner aankan",
        "ma, di en do, 12,5 uur per week",
        "2 vrije plekken",
    ]
    assert said(reasons.misfits) == [
        "ook op ma en do, geen voorkeursdag",
        "minder uren dan de 32 die de inwoner wil",
        "activerend werk past minder bij de fase kennismaken van de route",
    ]
    phase = reasons.misfits[-1]
    assert phase.template == "%(kind)s past minder bij de fase %(phase)s van de route"
    assert phase.params == {
        "kind": scoring.Term("kind", "activerend_werk"),
        "phase": scoring.Term("phase", "kennismaken"),
    }
    assert [scoring.render(criterion) for criterion, _points in reasons.parts][:2] == [
        "interesses",
        "afstand",
    ]
    # Another language comes in through the three hooks of ``render``.
    shown = scoring.render(
        reasons.fits[3],
        translate=lambda text: {"%(first)s en %(last)s": "%(first)s and %(last)s"}.get(text, text),
        name=lambda term: term.code.upper(),
        decimal_separator=".",
    )
    assert shown == "MA, DI and DO, 12.5 uur per week"
