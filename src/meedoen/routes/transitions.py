"""The route on the bridge as a state machine: phases, which steps are allowed, what a step back means, review
intervals, the fall-back guarantee and the art. 10a limit. Pure Python, no Django import; the rules are data
(``Rules``), so a municipality can have its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from meedoen.catalogue.rules import add_months

PHASES = (
    "kennismaken",
    "verkennen",
    "activerend_werk",
    "leerwerken",
    "werken_met_ondersteuning",
    "betaald_werk",
    "pauze",
)
PHASE_NAMES = {
    "kennismaken": "kennismaken",
    "verkennen": "verkennen",
    "activerend_werk": "activerend werk",
    "leerwerken": "leerwerken (werkleerbedrijf)",
    "werken_met_ondersteuning": "werken met ondersteuning",
    "betaald_werk": "betaald werk",
    "pauze": "pauze",
}
# The order along the bridge; a step to a lower rank is a step back. Pause is beside the bridge.
RANK = {phase: index for index, phase in enumerate(PHASES[:-1])}
OUTCOMES = {
    "betaald_werk_zonder_uitkering": "betaald werk, zonder uitkering",
    "verhuisd": "verhuisd",
    "overleden": "overleden",
    "andere_voorziening": "naar een andere voorziening",
    "gestopt_eigen_verzoek": "gestopt op eigen verzoek",
    "anders": "anders",
}
# Phases in which the resident works unpaid while keeping the benefit (art. 10a Participatiewet).
UNPAID_PHASES = frozenset({"activerend_werk", "leerwerken"})


class Refused(Exception):
    """A step the rules do not allow; ``message`` says why, in plain Dutch."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Rules:
    """A municipality's route: allowed steps, review intervals (months), phases that need a placement."""

    allowed: dict[str, frozenset[str]]
    review_months: dict[str, int]
    needs_placement: frozenset[str] = frozenset({"activerend_werk", "leerwerken"})
    fallback_months: int = 12
    limit_10a_months: int = 24
    limit_10a_warning_months: int = 3
    limit_10a_from_age: int = 27
    first_phase: str = "kennismaken"
    extra: dict[str, object] = field(default_factory=dict)


DEFAULT_RULES = Rules(
    allowed={
        "kennismaken": frozenset({"verkennen", "activerend_werk", "pauze"}),
        "verkennen": frozenset(
            {"kennismaken", "activerend_werk", "leerwerken", "werken_met_ondersteuning", "pauze"}
        ),
        "activerend_werk": frozenset(
            {"verkennen", "leerwerken", "werken_met_ondersteuning", "betaald_werk", "pauze"}
        ),
        "leerwerken": frozenset(
            {"verkennen", "activerend_werk", "werken_met_ondersteuning", "betaald_werk", "pauze"}
        ),
        "werken_met_ondersteuning": frozenset({"activerend_werk", "leerwerken", "betaald_werk", "pauze"}),
        "betaald_werk": frozenset({"activerend_werk", "leerwerken", "werken_met_ondersteuning", "pauze"}),
        "pauze": frozenset({"verkennen", "activerend_werk", "leerwerken", "werken_met_ondersteuning"}),
    },
    review_months={
        "kennismaken": 1,
        "verkennen": 2,
        "activerend_werk": 3,
        "leerwerken": 1,
        "werken_met_ondersteuning": 3,
        "betaald_werk": 6,
        "pauze": 3,
    },
)


def is_step_back(current: str, target: str) -> bool:
    return current in RANK and target in RANK and RANK[target] < RANK[current]


def check_step(rules: Rules, current: str | None, target: str, *, has_accepted_proposal: bool) -> None:
    """Raise ``Refused`` when a route in ``current`` (None: no open route) may not step to ``target``."""
    if target not in PHASES:
        raise Refused(f"Onbekende fase: {target}.", "phase")
    if current is None:
        raise Refused("Deze inwoner heeft geen open route. Open eerst een route.")
    if target == current:
        raise Refused(f"De inwoner is al in de fase {PHASE_NAMES[target]}.", "phase")
    if target not in rules.allowed.get(current, frozenset()):
        allowed = ", ".join(PHASE_NAMES[p] for p in PHASES if p in rules.allowed.get(current, frozenset()))
        raise Refused(
            f"Van {PHASE_NAMES[current]} kan de inwoner niet naar {PHASE_NAMES[target]}. "
            f"Wel naar: {allowed}.",
            "phase",
        )
    if target in rules.needs_placement and not has_accepted_proposal:
        raise Refused(
            f"Een stap naar {PHASE_NAMES[target]} begint bij een geaccepteerd voorstel voor een plek. "
            "Kies de plek waar de inwoner begint.",
            "proposal",
        )


def next_review(rules: Rules, phase: str, since: dt.date) -> dt.date:
    """When the next review is due: the phase's interval after its start or the last review."""
    return add_months(since, rules.review_months.get(phase, 3))


def placement_ends_on(seat_starts_on: dt.date, step_starts_on: dt.date) -> dt.date:
    """The last day of a placement that a step away from it ends: the day before the step, and never before
    the placement began."""
    return max(seat_starts_on, step_starts_on - dt.timedelta(days=1))


@dataclass(frozen=True)
class Rhythm:
    """More guidance: a review at least every ``weeks``, from ``since`` (the day the resident joined the arm
    of an experiment that asks for it) while it applies."""

    weeks: int
    since: dt.date


def review_due(
    rules: Rules,
    phase: str,
    phase_since: dt.date,
    reviews_held: Sequence[dt.date] = (),
    rhythm: Rhythm | None = None,
) -> dt.date:
    """The route's next review: the phase's interval after the later of the phase's start and the last
    review held in it since then. With a ``rhythm``, at the latest its weeks after the later of that day and
    the day the rhythm began: more guidance makes a review sooner, never later than the phase's own."""
    since = max([phase_since, *[held for held in reviews_held if held >= phase_since]])
    due = next_review(rules, phase, since)
    if rhythm is not None:
        due = min(due, max(since, rhythm.since) + dt.timedelta(weeks=rhythm.weeks))
    return due


def can_fall_back(rules: Rules, outcome: str, closed_on: dt.date, today: dt.date) -> bool:
    """The fall-back guarantee: who left for paid work may come back within the period, into the route they
    had, without a new intake."""
    return outcome == "betaald_werk_zonder_uitkering" and today <= add_months(
        closed_on, rules.fallback_months
    )


def phase_to_return_to(phases: Sequence[str]) -> str:
    """The phase a fall-back reopens in: the last phase before paid work (the route they had)."""
    for phase in reversed(phases):
        if phase not in ("betaald_werk", "pauze"):
            return phase
    return "verkennen"


@dataclass(frozen=True)
class Period:
    phase: str
    start: dt.date
    end: dt.date | None  # None: still in it


def unpaid_days(periods: Sequence[Period], today: dt.date) -> int:
    """Days spent in unpaid work with retention of benefit (activerend werk, leerwerken)."""
    return sum(((p.end or today) - p.start).days for p in periods if p.phase in UNPAID_PHASES)


@dataclass(frozen=True)
class Limit10a:
    reached_on: dt.date  # when two years of unpaid work will be full, if nothing changes
    warn: bool  # within the warning period (3 months) or past it


def limit_10a(
    rules: Rules, periods: Sequence[Period], date_of_birth: dt.date, today: dt.date
) -> Limit10a | None:
    """Art. 10a Participatiewet: unpaid work with retention of benefit is limited to two years for residents
    of 27 and older. Returns when the limit is reached and whether to warn now; None when it does not apply
    (younger, or not in unpaid work now)."""
    age = (
        today.year
        - date_of_birth.year
        - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))
    )
    current = periods[-1] if periods else None
    if age < rules.limit_10a_from_age or current is None or current.phase not in UNPAID_PHASES or current.end:
        return None
    used = unpaid_days(periods, today)
    limit_days = rules.limit_10a_months * 365 // 12  # two years = 730 days of unpaid work
    reached_on = today + dt.timedelta(days=max(0, limit_days - used))
    return Limit10a(
        reached_on=reached_on, warn=reached_on <= add_months(today, rules.limit_10a_warning_months)
    )


def rules_from_data(
    allowed: dict[str, list[str]], review_months: dict[str, int], fallback_months: int
) -> Rules:
    """Rules from stored data, after ``check_rules_data`` found nothing wrong."""
    return Rules(
        allowed={phase: frozenset(allowed.get(phase, [])) for phase in PHASES},
        review_months={phase: int(review_months.get(phase, 3)) for phase in PHASES},
        fallback_months=int(fallback_months),
    )


def check_rules_data(
    allowed: dict[str, list[str]], review_months: dict[str, int], fallback_months: int
) -> list[tuple[str, str]]:
    """What is wrong with a municipality's route rules, as (field, Dutch message)."""
    errors = []
    for phase, targets in allowed.items():
        unknown = [t for t in [phase, *targets] if t not in PHASES]
        if unknown:
            errors.append(("allowed", f"Onbekende fase: {', '.join(unknown)}."))
        elif phase in targets:
            errors.append(("allowed", f"Een stap van {PHASE_NAMES[phase]} naar zichzelf kan niet."))
    for phase in PHASES:
        if not allowed.get(phase):
            errors.append(("allowed", f"Vanuit {PHASE_NAMES[phase]} moet minstens één stap mogelijk zijn."))
        months = review_months.get(phase)
        if not isinstance(months, int) or not 1 <= months <= 24:
            errors.append((f"review_{phase}", "Kies 1 tot en met 24 maanden."))
    if not 0 <= fallback_months <= 60:
        errors.append(("fallback_months", "Kies 0 tot en met 60 maanden."))
    return errors
