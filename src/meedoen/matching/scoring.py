"""How well a placement fits a resident: hard constraints first, then a weighted score with its reasons
(Dutch templates with their params, which ``matching.reasons`` shows in the language of the page). Pure Python
and numpy, no Django import; vectorised over many placements (or many pairs) at once.

Hard constraints (a placement that breaks one is not offered at all):
- funding: the placement is paid from a law under which the resident has a legal basis;
- workload: the placement's workload is at most what the resident can carry;
- body: nothing the resident cannot do (no heavy lifting, not long standing, a quiet place), and wheelchair
  access when the resident needs it;
- language: the resident's Dutch is at least the level the placement asks;
- travel: within the resident's travel radius (or the usual radius for their way of travelling);
- seats: open for proposals with a free seat (full placements only when a waiting list is asked for).

Soft criteria, each between 0 and 1, weighted per municipality (``Weights``): interests, distance, hours,
days, phase (the resident's current phase on the route against the kind of placement; for a resident
without an open route, their rung on the participation ladder) and waiting time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from meedoen.catalogue.rules import WEEKDAYS
from meedoen.routes.transitions import PHASE_NAMES

WORKLOAD = {"laag": 1, "midden": 2, "hoog": 3}
WORKLOAD_NAME = {1: "laag", 2: "midden", 3: "hoog"}
DUTCH = {"geen": 0, "A1": 1, "A2": 2, "B1": 3, "B2": 4, "moedertaal": 5}
FUNDING = {"participatiewet": 1, "wmo": 2, "beide": 3}
MODE_RADIUS_KM = {"lopen": 2.0, "fiets": 8.0, "ov": 20.0, "auto": 30.0}
MODE_SPEED_KMH = {"lopen": 4.5, "fiets": 15.0, "ov": 25.0, "auto": 40.0}
MODE_WORDS = {"lopen": "lopend", "fiets": "per fiets", "ov": "met het ov", "auto": "met de auto"}
DEFAULT_RADIUS_KM = 10.0
DEMANDS = ("zwaar_tillen", "lang_staan", "drukke_omgeving", "buiten")
# What a resident's physical need rules out in a placement.
NEED_BLOCKS = {
    "geen_zwaar_tillen": "zwaar_tillen",
    "niet_lang_staan": "lang_staan",
    "rustige_omgeving": "drukke_omgeving",
}
NEED_WORDS = {
    "zwaar_tillen": "zwaar tillen",
    "lang_staan": "lang staan",
    "drukke_omgeving": "een drukke omgeving",
}
# Which kinds of placement fit which phase of the route (routes/transitions.py): the phase itself and the next
# step up, not a leap. During a pause only the light kinds fit.
KINDS_FOR_PHASE = {
    "kennismaken": {"dagbesteding", "vrijwilligerswerk"},
    "verkennen": {"dagbesteding", "vrijwilligerswerk", "activerend_werk"},
    "activerend_werk": {"activerend_werk", "vrijwilligerswerk", "werkervaringsplek"},
    "leerwerken": {"leerwerkplek", "werkervaringsplek", "talentplek"},
    "werken_met_ondersteuning": {"begeleid_werk", "talentplek", "betaalde_baan"},
    "betaald_werk": {"betaalde_baan", "begeleid_werk"},
    "pauze": {"dagbesteding", "vrijwilligerswerk"},
}
# For a resident without an open route: which kinds fit which rung of the participation ladder.
KINDS_FOR_RUNG = {
    1: {"dagbesteding", "vrijwilligerswerk"},
    2: {"dagbesteding", "vrijwilligerswerk", "activerend_werk"},
    3: {"activerend_werk", "vrijwilligerswerk", "dagbesteding", "werkervaringsplek"},
    4: {"werkervaringsplek", "leerwerkplek", "talentplek", "activerend_werk"},
    5: {"leerwerkplek", "begeleid_werk", "betaalde_baan", "talentplek"},
    6: {"betaalde_baan", "begeleid_werk"},
}
KIND_NAMES = {
    "activerend_werk": "activerend werk",
    "dagbesteding": "arbeidsmatige dagbesteding (activerend werk)",
    "leerwerkplek": "een leerwerkplek",
    "talentplek": "een talentplek",
    "werkervaringsplek": "een werkervaringsplek",
    "vrijwilligerswerk": "vrijwilligerswerk",
    "begeleid_werk": "begeleid werk",
    "betaalde_baan": "een betaalde baan",
}
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON = 111.320 * math.cos(math.radians(52.2))  # the Netherlands


def to_km(
    latitude: NDArray[np.float64] | float, longitude: NDArray[np.float64] | float
) -> NDArray[np.float64]:
    """Flat x/y in km, accurate to well under 1% within the Netherlands (distances, the spatial index)."""
    return np.column_stack(
        [np.asarray(longitude) * KM_PER_DEGREE_LON, np.asarray(latitude) * KM_PER_DEGREE_LAT]
    )


def bits(codes: Sequence[str] | set[str] | frozenset[str], vocabulary: Sequence[str]) -> int:
    index = {code: i for i, code in enumerate(vocabulary)}
    mask = 0
    for code in codes:
        if code in index:
            mask |= 1 << index[code]
    return mask


def popcount(values: NDArray[np.int64]) -> NDArray[np.int64]:
    return np.bitwise_count(values.astype(np.uint64)).astype(np.int64)


@dataclass(frozen=True)
class Weights:
    """How much each soft criterion counts (per municipality). Zero switches a criterion off."""

    interests: float = 3.0
    distance: float = 2.0
    hours: float = 1.0
    days: float = 1.0
    phase: float = 2.0
    waiting: float = 1.0

    def as_array(self) -> NDArray[np.float64]:
        return np.array([self.interests, self.distance, self.hours, self.days, self.phase, self.waiting])


CRITERIA = ("interests", "distance", "hours", "days", "phase", "waiting")


@dataclass(frozen=True)
class Resident:
    """What matching needs to know about one resident (codes as in the resident file)."""

    latitude: float
    longitude: float
    domains: frozenset[str]  # legal bases in force: participatiewet and/or wmo
    interests: frozenset[str] = frozenset()
    travel_mode: str = ""
    travel_radius_km: float | None = None
    workload: str = ""  # what the resident can carry; empty = not known, no limit
    physical_needs: frozenset[str] = frozenset()
    dutch_level: str = ""  # empty = not known, no limit
    hours_per_week: float | None = None
    preferred_days: frozenset[str] = frozenset()
    rung: int | None = None
    phase: str = ""  # the phase of the open route (routes/transitions.py PHASES); empty = no open route
    waiting_days: int = 0

    @property
    def fitting_kinds(self) -> set[str]:
        """The kinds of placement that fit the resident's phase on the route, or else their rung."""
        if self.phase:
            return KINDS_FOR_PHASE.get(self.phase, set())
        return KINDS_FOR_RUNG.get(self.rung or 0, set())

    @property
    def radius_km(self) -> float:
        if self.travel_radius_km:
            return float(self.travel_radius_km)
        return MODE_RADIUS_KM.get(self.travel_mode, DEFAULT_RADIUS_KM)


@dataclass
class Placements:
    """Many placements as arrays, built once (per municipality) and reused for every resident."""

    ids: list[str]
    titles: list[str]
    kinds: list[str]
    xy: NDArray[np.float64]  # km
    workload: NDArray[np.int64]
    demands: NDArray[np.int64]  # bits over DEMANDS
    wheelchair: NDArray[np.bool_]
    dutch: NDArray[np.int64]
    funding: NDArray[np.int64]  # bits: 1 participatiewet, 2 wmo
    tags: NDArray[np.int64]  # bits over ``tag_codes``
    days: NDArray[np.int64]  # bits over WEEKDAYS
    hours: NDArray[np.float64]
    free_seats: NDArray[np.int64]
    is_open: NDArray[np.bool_]
    kind_codes: NDArray[np.int64]
    tag_codes: list[str]
    tag_names: dict[str, str] = field(default_factory=dict)
    profile: NDArray[np.int64] = field(default_factory=lambda: np.array([], dtype=np.int64))

    def __post_init__(self) -> None:
        # Everything the hard constraints (but distance) look at, packed in one small number per placement,
        # so checking one resident against thousands of placements is one table lookup each.
        self.profile = (
            self.funding
            | (self.workload << 2)
            | (self.demands << 4)
            | (self.wheelchair.astype(np.int64) << 8)
            | (self.dutch << 9)
            | (self.is_open.astype(np.int64) << 12)
            | ((self.free_seats > 0).astype(np.int64) << 13)
        )

    @classmethod
    def build(
        cls, rows: Sequence[dict[str, object]], tag_codes: Sequence[str], tag_names: dict[str, str]
    ) -> Placements:
        """From dicts with the keys of ``catalogue.Placement`` plus ``id`` and ``free_seats``."""
        kinds = list(KIND_NAMES)
        return cls(
            ids=[str(r["id"]) for r in rows],
            titles=[str(r["title"]) for r in rows],
            kinds=[str(r["kind"]) for r in rows],
            xy=to_km(
                np.array([float(r["latitude"]) for r in rows]),  # type: ignore[arg-type]
                np.array([float(r["longitude"]) for r in rows]),  # type: ignore[arg-type]
            ).reshape(-1, 2),
            workload=np.array([WORKLOAD.get(str(r["workload"]), 3) for r in rows], dtype=np.int64),
            demands=np.array([bits(r["physical_demands"], DEMANDS) for r in rows], dtype=np.int64),  # type: ignore[arg-type]
            wheelchair=np.array([bool(r["wheelchair_accessible"]) for r in rows], dtype=bool),
            dutch=np.array([DUTCH.get(str(r["dutch_level"]), 0) for r in rows], dtype=np.int64),
            funding=np.array([FUNDING.get(str(r["funding"]), 0) for r in rows], dtype=np.int64),
            tags=np.array([bits(r["tags"], tag_codes) for r in rows], dtype=np.int64),  # type: ignore[arg-type]
            days=np.array([bits(r["days"], WEEKDAYS) for r in rows], dtype=np.int64),  # type: ignore[arg-type]
            hours=np.array([float(r["hours_per_week"]) for r in rows], dtype=np.float64),  # type: ignore[arg-type]
            free_seats=np.array([int(r["free_seats"]) for r in rows], dtype=np.int64),  # type: ignore[call-overload]
            is_open=np.array([bool(r["is_open"]) for r in rows], dtype=bool),
            kind_codes=np.array([kinds.index(str(r["kind"])) if r["kind"] in kinds else -1 for r in rows]),
            tag_codes=list(tag_codes),
            tag_names=dict(tag_names),
        )

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Residents:
    """Many residents as arrays (one row each), for scoring pairs in bulk."""

    xy: NDArray[np.float64]
    radius: NDArray[np.float64]
    funding: NDArray[np.int64]
    workload: NDArray[np.int64]
    blocked: NDArray[np.int64]
    wheelchair: NDArray[np.bool_]
    dutch: NDArray[np.int64]
    interests: NDArray[np.int64]
    interest_count: NDArray[np.int64]
    hours: NDArray[np.float64]  # 0 = not known
    days: NDArray[np.int64]
    kinds: NDArray[np.int64]  # bits over KIND_NAMES that fit the resident's phase (or rung); 0 = not known
    waiting: NDArray[np.float64]  # 0..1

    @classmethod
    def build(cls, residents: Sequence[Resident], tag_codes: Sequence[str]) -> Residents:
        kinds = list(KIND_NAMES)
        return cls(
            xy=to_km(
                np.array([r.latitude for r in residents], dtype=np.float64),
                np.array([r.longitude for r in residents], dtype=np.float64),
            ).reshape(-1, 2),
            radius=np.array([r.radius_km for r in residents], dtype=np.float64),
            funding=np.array(
                [bits(r.domains, ("participatiewet", "wmo")) for r in residents], dtype=np.int64
            ),
            workload=np.array([WORKLOAD.get(r.workload, 3) for r in residents], dtype=np.int64),
            blocked=np.array(
                [
                    bits({NEED_BLOCKS[n] for n in r.physical_needs if n in NEED_BLOCKS}, DEMANDS)
                    for r in residents
                ],
                dtype=np.int64,
            ),
            wheelchair=np.array(["rolstoel" in r.physical_needs for r in residents], dtype=bool),
            dutch=np.array([DUTCH.get(r.dutch_level, 5) for r in residents], dtype=np.int64),
            interests=np.array([bits(r.interests, tag_codes) for r in residents], dtype=np.int64),
            interest_count=np.array(
                [len(set(r.interests) & set(tag_codes)) for r in residents], dtype=np.int64
            ),
            hours=np.array([float(r.hours_per_week or 0) for r in residents], dtype=np.float64),
            days=np.array([bits(r.preferred_days, WEEKDAYS) for r in residents], dtype=np.int64),
            kinds=np.array([bits(r.fitting_kinds, kinds) for r in residents], dtype=np.int64),
            waiting=np.array([min(1.0, r.waiting_days / 365) for r in residents], dtype=np.float64),
        )

    def __len__(self) -> int:
        return len(self.radius)


def feasible_pairs(
    residents: Residents,
    placements: Placements,
    r: NDArray[np.int64],
    p: NDArray[np.int64],
    *,
    waiting_list: bool = False,
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Which pairs (r[i], p[i]) pass every hard constraint, and their distances in km."""
    distance = np.hypot(*(placements.xy[p] - residents.xy[r]).T)
    ok = (
        ((placements.funding[p] & residents.funding[r]) != 0)
        & (placements.workload[p] <= residents.workload[r])
        & ((placements.demands[p] & residents.blocked[r]) == 0)
        & (placements.dutch[p] <= residents.dutch[r])
        & (distance <= residents.radius[r])
        & placements.is_open[p]
        & (placements.wheelchair[p] | ~residents.wheelchair[r])
    )
    if not waiting_list:
        ok &= placements.free_seats[p] > 0
    return ok, distance


def score_pairs(
    residents: Residents,
    placements: Placements,
    r: NDArray[np.int64] | int,
    p: NDArray[np.int64],
    distance: NDArray[np.float64],
    weights: Weights,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The parts (n, 6), each 0..1, and the weighted score 0..100 of feasible pairs (``r`` may be one row
    for all pairs)."""
    parts = np.empty((len(p), len(CRITERIA)))
    count = residents.interest_count[r]
    overlap = popcount(placements.tags[p] & residents.interests[r])
    parts[:, 0] = np.where(count > 0, np.minimum(1.0, overlap / np.maximum(1, np.minimum(3, count))), 0.5)
    parts[:, 1] = 1.0 - distance / np.maximum(residents.radius[r], 0.1)
    wanted = residents.hours[r]
    parts[:, 2] = np.where(
        wanted > 0,
        1.0 - np.minimum(1.0, np.abs(placements.hours[p] - wanted) / np.maximum(wanted, 1e-9)),
        0.5,
    )
    placement_days = placements.days[p]
    preferred = residents.days[r]
    parts[:, 3] = np.where(
        preferred != 0, popcount(placement_days & preferred) / np.maximum(1, popcount(placement_days)), 0.5
    )
    fitting = residents.kinds[r]
    kind_bit = np.left_shift(1, np.maximum(placements.kind_codes[p], 0))
    parts[:, 4] = np.where(fitting != 0, np.where((kind_bit & fitting) != 0, 1.0, 0.2), 0.5)
    parts[:, 5] = residents.waiting[r]
    w = weights.as_array()
    total = 100 * (parts @ w) / w.sum() if w.sum() > 0 else np.zeros(len(p))
    return parts, total


def score_matrix(
    residents: Residents,
    placements: Placements,
    rows: NDArray[np.int64],
    index: NDArray[np.int64],
    distance: NDArray[np.float64],
    weights: Weights,
) -> NDArray[np.float64]:
    """The weighted score (0..100) of every resident ``rows[i]`` against placement ``index[i, j]`` (a
    nearest-neighbour table), computed with the residents' values broadcast along each row: the same
    numbers as ``score_pairs``, without gathering every resident value once per pair."""
    w = weights.as_array()
    total_weight = w.sum()
    if total_weight <= 0:
        return np.zeros(index.shape)
    w = w / total_weight * 100

    def column(values: NDArray[Any]) -> NDArray[Any]:
        return values[rows][:, None]

    count = column(residents.interest_count)
    overlap = popcount(placements.tags[index] & column(residents.interests))
    score = w[0] * np.where(count > 0, np.minimum(1.0, overlap / np.maximum(1, np.minimum(3, count))), 0.5)
    score += w[1] * (1.0 - distance / np.maximum(column(residents.radius), 0.1))
    wanted = column(residents.hours)
    score += w[2] * np.where(
        wanted > 0,
        1.0 - np.minimum(1.0, np.abs(placements.hours[index] - wanted) / np.maximum(wanted, 1e-9)),
        0.5,
    )
    placement_days = placements.days[index]
    preferred = column(residents.days)
    score += w[3] * np.where(
        preferred != 0, popcount(placement_days & preferred) / np.maximum(1, popcount(placement_days)), 0.5
    )
    fitting = column(residents.kinds)
    kind_bit = np.left_shift(1, np.maximum(placements.kind_codes[index], 0))
    score += w[4] * np.where(fitting != 0, np.where((kind_bit & fitting) != 0, 1.0, 0.2), 0.5)
    score += w[5] * column(residents.waiting)
    return score


@dataclass(frozen=True)
class Scored:
    """Scores of one resident against some placements (``index`` into the Placements)."""

    index: NDArray[np.int64]
    distance_km: NDArray[np.float64]
    parts: NDArray[np.float64]  # (n, 6): each criterion 0..1
    score: NDArray[np.float64]  # 0..100
    full: NDArray[np.bool_]  # no free seat now (only with waiting_list=True)


_PROFILES = np.arange(1 << 14, dtype=np.int64)
_P_FUNDING = _PROFILES & 3
_P_WORKLOAD = (_PROFILES >> 2) & 3
_P_DEMANDS = (_PROFILES >> 4) & 15
_P_WHEELCHAIR = ((_PROFILES >> 8) & 1).astype(bool)
_P_DUTCH = (_PROFILES >> 9) & 7
_P_OPEN = ((_PROFILES >> 12) & 1).astype(bool)
_P_FREE = ((_PROFILES >> 13) & 1).astype(bool)


def acceptable_profiles(residents: Residents, row: int, *, waiting_list: bool = False) -> NDArray[np.bool_]:
    """For every packed placement profile: does it pass the resident's hard constraints (but distance)?"""
    ok = (
        ((_P_FUNDING & residents.funding[row]) != 0)
        & (residents.workload[row] >= _P_WORKLOAD)
        & ((_P_DEMANDS & residents.blocked[row]) == 0)
        & (residents.dutch[row] >= _P_DUTCH)
        & _P_OPEN
        & (_P_WHEELCHAIR | (not residents.wheelchair[row]))
    )
    return ok if waiting_list else ok & _P_FREE


def acceptable_table(
    residents: Residents, *, waiting_list: bool = False
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """The hard constraints (but distance) for many residents at once: residents with the same constraints
    share a row of ``table``; ``table[row_of[r], placements.profile[p]]`` says whether pair (r, p) passes."""
    keys = (
        residents.funding
        | (residents.workload << 2)
        | (residents.blocked << 4)
        | (residents.wheelchair.astype(np.int64) << 8)
        | (residents.dutch << 9)
    )
    unique, row_of = np.unique(keys, return_inverse=True)
    funding, workload = (unique & 3)[:, None], ((unique >> 2) & 3)[:, None]
    blocked, dutch = ((unique >> 4) & 15)[:, None], ((unique >> 9) & 7)[:, None]
    wheelchair = ((unique >> 8) & 1).astype(bool)[:, None]
    table = (
        ((_P_FUNDING & funding) != 0)
        & (workload >= _P_WORKLOAD)
        & ((_P_DEMANDS & blocked) == 0)
        & (dutch >= _P_DUTCH)
        & _P_OPEN
        & (_P_WHEELCHAIR | ~wheelchair)
    )
    if not waiting_list:
        table &= _P_FREE
    return row_of.astype(np.int64), table


def score_resident(
    resident: Resident,
    placements: Placements,
    index: NDArray[np.int64],
    weights: Weights,
    *,
    waiting_list: bool = False,
) -> Scored:
    """The feasible placements among ``index`` for one resident, scored."""
    one = Residents.build([resident], placements.tag_codes)
    index = index[acceptable_profiles(one, 0, waiting_list=waiting_list)[placements.profile[index]]]
    distance = np.hypot(*(placements.xy[index] - one.xy[0]).T)
    within = distance <= one.radius[0]
    index, distance = index[within], distance[within]
    parts, total = score_pairs(one, placements, 0, index, distance, weights)
    return Scored(
        index=index, distance_km=distance, parts=parts, score=total, full=placements.free_seats[index] <= 0
    )


def rank(scored: Scored, top: int) -> NDArray[np.int64]:
    """Positions in ``scored`` of the ``top`` best, best first; ties: nearer first, then placement order."""
    rounded = np.round(scored.score, 6)
    candidates = np.arange(len(rounded))
    if len(rounded) > top > 0:
        # Only the rows that can make the top (every row tied with the last place included) get sorted.
        threshold = -np.partition(-rounded, top - 1)[top - 1]
        candidates = np.flatnonzero(rounded >= threshold)
    order = np.lexsort((scored.index[candidates], scored.distance_km[candidates], -rounded[candidates]))
    return candidates[order][:top]


WORKLOAD_WORDS = {"laag": "laag", "midden": "midden", "hoog": "hoog"}
CRITERION_WORDS = {
    "interests": "interesses",
    "distance": "afstand",
    "hours": "uren",
    "days": "dagen",
    "phase": "fase van de route",
    "waiting": "wachttijd",
}
DAY_SHORT = {"ma": "ma", "di": "di", "wo": "wo", "do": "do", "vr": "vr", "za": "za", "zo": "zo"}
# The words a reason names by their code, per vocabulary, in Dutch. ``matching.reasons`` shows the same words
# in the language of the page.
VOCABULARIES: dict[str, Mapping[str, str]] = {
    "kind": KIND_NAMES,
    "workload": WORKLOAD_WORDS,
    "mode": MODE_WORDS,
    "day": DAY_SHORT,
    "phase": PHASE_NAMES,
    "criterion": CRITERION_WORDS,
}


@dataclass(frozen=True)
class Term:
    """A word of one of the ``VOCABULARIES`` by its code (a kind of placement, a phase, a day, ...), or an
    interest word of the municipality (vocabulary ``"interest"``), which carries its stored ``name``: the
    display layer decides whether that name is shown translated (see municipalities.labels)."""

    vocabulary: str
    code: str
    name: str = ""


def dutch_name(term: Term) -> str:
    """A term in Dutch: an interest word by its stored name (in lower case, inside a sentence)."""
    if term.vocabulary == "interest":
        return term.name.lower()
    return VOCABULARIES[term.vocabulary][term.code]


@dataclass(frozen=True)
class Number:
    """A number shown with one decimal (the decimal separator of the language); ``trim`` leaves off ",0"."""

    value: float
    trim: bool = False


@dataclass(frozen=True)
class Reason:
    """One reason, as a Dutch template with ``%(name)s`` placeholders and its params. A param that is a word
    is a ``Term`` or a nested ``Reason``; a ``str`` param is shown as it is.
    ``str()`` gives the Dutch sentence; ``matching.reasons`` renders it in the language of the page."""

    template: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self)


Param = Reason | Term | Number | str | int


def render(
    value: Param,
    *,
    translate: Callable[[str], str] = lambda text: text,
    name: Callable[[Term], str] = dutch_name,
    decimal_separator: str = ",",
) -> str:
    """A reason (or one of its params) as text: in Dutch by default; a display layer passes its own
    ``translate`` (for the templates), ``name`` (for the terms) and decimal separator."""
    if isinstance(value, Reason):
        template = translate(value.template)
        if not value.params:
            return template
        return template % {
            key: render(param, translate=translate, name=name, decimal_separator=decimal_separator)
            for key, param in value.params.items()
        }
    if isinstance(value, Term):
        return name(value)
    if isinstance(value, Number):
        text = f"{value.value:.1f}"
        if value.trim:
            text = text.removesuffix(".0")
        return text.replace(".", decimal_separator)
    return str(value)


@dataclass(frozen=True)
class Explanation:
    fits: list[Reason]
    misfits: list[Reason]
    parts: list[tuple[Term, float]]  # (the criterion, points out of 100)


def _list(words: Sequence[Param]) -> Param:
    """Words as "a, b en c", in nested reasons, so that a display layer translates the "en"."""
    words = list(words)
    if len(words) == 1:
        return words[0]
    if len(words) == 2:
        return Reason("%(first)s en %(last)s", {"first": words[0], "last": words[1]})
    return Reason("%(first)s, %(rest)s", {"first": words[0], "rest": _list(words[1:])})


def explain(
    resident: Resident, placements: Placements, scored: Scored, position: int, weights: Weights
) -> Explanation:
    """The reasons behind one row of ``scored``: what fits and what does not (``str()`` of each reason is
    its plain Dutch sentence)."""
    i = int(scored.index[position])
    parts = scored.parts[position]
    fits: list[Reason] = []
    misfits: list[Reason] = []
    mode = resident.travel_mode
    km = scored.distance_km[position]
    if mode in MODE_WORDS:
        minutes = max(1, round(km / MODE_SPEED_KMH[mode] * 60))
        fits.append(
            Reason(
                "%(km)s km %(mode)s (ongeveer %(minutes)s minuten)",
                {"km": Number(km), "mode": Term("mode", mode), "minutes": minutes},
            )
        )
    else:
        fits.append(Reason("%(km)s km", {"km": Number(km)}))
    interests = [
        c
        for c in placements.tag_codes
        if placements.tags[i] >> placements.tag_codes.index(c) & 1 and c in resident.interests
    ]
    if interests:
        names: list[Param] = [Term("interest", c, placements.tag_names.get(c, c)) for c in interests]
        fits.append(Reason("past bij interesse %(interests)s", {"interests": _list(names)}))
    elif resident.interests:
        misfits.append(Reason("past niet bij de interesses van de inwoner"))
    workload = WORKLOAD_NAME[int(placements.workload[i])]
    if resident.workload == workload:
        fits.append(Reason("werkdruk %(workload)s, zoals gevraagd", {"workload": Term("workload", workload)}))
    elif resident.workload:
        fits.append(
            Reason(
                "werkdruk %(workload)s, lager dan de inwoner aankan", {"workload": Term("workload", workload)}
            )
        )
    day_codes = [d for k, d in enumerate(WEEKDAYS) if placements.days[i] >> k & 1]
    hours = placements.hours[i]
    fits.append(
        Reason(
            "%(days)s, %(hours)s uur per week",
            {"days": _list([Term("day", d) for d in day_codes]), "hours": Number(hours, trim=True)},
        )
    )
    if resident.preferred_days:
        other = [Term("day", d) for d in day_codes if d not in resident.preferred_days]
        if other:
            misfits.append(Reason("ook op %(days)s, geen voorkeursdag", {"days": _list(other)}))
    if resident.hours_per_week and abs(hours - resident.hours_per_week) / resident.hours_per_week > 0.25:
        wanted = {"hours": Number(resident.hours_per_week, trim=True)}
        if hours > resident.hours_per_week:
            misfits.append(Reason("meer uren dan de %(hours)s die de inwoner wil", wanted))
        else:
            misfits.append(Reason("minder uren dan de %(hours)s die de inwoner wil", wanted))
    kind: Param = (
        Term("kind", placements.kinds[i]) if placements.kinds[i] in KIND_NAMES else placements.kinds[i]
    )
    if resident.phase:
        phase: Param = Term("phase", resident.phase) if resident.phase in PHASE_NAMES else resident.phase
        if parts[4] >= 1.0:
            fits.append(
                Reason("%(kind)s past bij de fase %(phase)s van de route", {"kind": kind, "phase": phase})
            )
        else:
            misfits.append(
                Reason(
                    "%(kind)s past minder bij de fase %(phase)s van de route", {"kind": kind, "phase": phase}
                )
            )
    elif resident.rung and parts[4] >= 1.0:
        fits.append(Reason("%(kind)s past bij trede %(rung)s", {"kind": kind, "rung": resident.rung}))
    elif resident.rung:
        misfits.append(
            Reason("%(kind)s past minder bij trede %(rung)s", {"kind": kind, "rung": resident.rung})
        )
    if scored.full[position]:
        misfits.append(Reason("nu vol: alleen wachtlijst"))
    else:
        seats = int(placements.free_seats[i])
        if seats == 1:
            fits.append(Reason("1 vrije plek"))
        else:
            fits.append(Reason("%(seats)s vrije plekken", {"seats": seats}))
    w = weights.as_array()
    points = (
        [
            (Term("criterion", c), float(100 * w[k] * parts[k] / w.sum()))
            for k, c in enumerate(CRITERIA)
            if w[k] > 0
        ]
        if w.sum()
        else []
    )
    return Explanation(fits=fits, misfits=misfits, parts=points)
