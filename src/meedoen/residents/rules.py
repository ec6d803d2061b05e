"""Rules of the resident file, in pure Python (no Django import)."""

import datetime as dt
from dataclasses import dataclass

from meedoen.errors import RuleError

WORK = "participatiewet"
CARE = "wmo"


def other_domain(domain: str) -> str:
    return CARE if domain == WORK else WORK


def visible_domains(actor_domain: str, consented: set[str]) -> set[str]:
    """The domain sections a caseworker sees: their own, and the other one only with the resident's consent
    (``consented`` holds the domains whose sections the resident agreed to share)."""
    visible = {actor_domain}
    if other_domain(actor_domain) in consented:
        visible.add(other_domain(actor_domain))
    return visible


def consented_domains(consents: list[tuple[str, dt.date | None]], today: dt.date) -> set[str]:
    """The domains whose sections the resident agreed to share, from (shared domain, withdrawn on) pairs:
    a consent counts until the day it is withdrawn."""
    return {domain for domain, withdrawn_on in consents if withdrawn_on is None or withdrawn_on > today}


def check_period(start: dt.date, end: dt.date | None, *, end_field: str = "end_date") -> None:
    if end is not None and end < start:
        raise RuleError(end_field, "De einddatum ligt voor de begindatum.")


def check_ladder_score(rung: int, scored_on: dt.date, today: dt.date, born: dt.date) -> None:
    if not 1 <= rung <= 6:
        raise RuleError("rung", "Kies een trede van 1 tot en met 6.")
    if scored_on > today:
        raise RuleError("scored_on", "Een score kan niet in de toekomst liggen.")
    if scored_on < born:
        raise RuleError("scored_on", "Deze datum ligt voor de geboortedatum.")


def check_not_in_future(value: dt.date, today: dt.date, field: str) -> None:
    if value > today:
        raise RuleError(field, "Deze datum ligt in de toekomst.")


@dataclass(frozen=True)
class LadderChange:
    rung: int
    previous: int | None

    @property
    def delta(self) -> int | None:
        return None if self.previous is None else self.rung - self.previous

    @property
    def size(self) -> int:
        return abs(self.delta or 0)


def ladder_change(rungs_newest_first: list[int]) -> LadderChange | None:
    if not rungs_newest_first:
        return None
    previous = rungs_newest_first[1] if len(rungs_newest_first) > 1 else None
    return LadderChange(rung=rungs_newest_first[0], previous=previous)


# The participatieladder (Divosa), from ../shared/data/participatieladder.csv.
LADDER = {
    1: ("Geïsoleerd", "Geen wekelijks sociaal contact buiten de deur en geen georganiseerde activiteiten."),
    2: (
        "Sociale contacten buiten de deur",
        "Minstens wekelijks sociaal contact buiten de deur dat niet georganiseerd is.",
    ),
    3: (
        "Deelname aan georganiseerde activiteiten",
        "Minstens wekelijks een georganiseerde activiteit zoals een cursus of vereniging, "
        "zonder verantwoordelijkheid voor anderen.",
    ),
    4: (
        "Onbetaald werk",
        "Onbetaald werk met verantwoordelijkheid naar anderen: vrijwilligerswerk, stage, "
        "werken met behoud van uitkering.",
    ),
    5: (
        "Betaald werk met ondersteuning",
        "Betaald werk met een aanvullende uitkering, loonkostensubsidie, jobcoach, beschut werk "
        "of een ander instrument.",
    ),
    6: ("Betaald werk", "Betaald werk zonder aanvullende uitkering en zonder extra ondersteuning."),
}


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    rung: int
    on: dt.date


def ladder_chart(
    scores: list[tuple[dt.date, int]], *, width: int = 480, height: int = 160, margin: int = 24
) -> list[ChartPoint]:
    """Points of a small step chart of ladder scores over time (oldest left), in SVG coordinates."""
    if not scores:
        return []
    ordered = sorted(scores)
    first, last = ordered[0][0], ordered[-1][0]
    span = max((last - first).days, 1)
    usable_w, usable_h = width - 2 * margin, height - 2 * margin
    points = []
    for on, rung in ordered:
        x = margin + (usable_w * (on - first).days / span if len(ordered) > 1 else usable_w / 2)
        y = margin + usable_h * (6 - rung) / 5
        points.append(ChartPoint(round(x, 1), round(y, 1), rung, on))
    return points
