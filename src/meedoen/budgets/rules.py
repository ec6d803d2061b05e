"""Which funding source pays for a placement, and the period a commitment covers: pure rules, no Django.

The municipality's funding rules (``FundingRule``) say per budget year which source (and project) pays for
a placement, matched on the law of the proposal (``domain``) and optionally the placement's funding and
kind. The most specific rule that matches wins: funding and kind both set beats one of them set beats
neither; when only one of the two is set, a rule on the kind of place beats a rule on the funding (the kind
says more about what the money buys). Without a matching rule the one source whose legal basis is the
proposal's law pays; with none, or more than one, the choice is refused with a Dutch text that says which
source or rule is missing.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

LAW_NAMES = {"participatiewet": "de Participatiewet", "wmo": "de Wmo", "programma": "programmageld"}


@dataclass(frozen=True)
class RuleRow:
    """A funding rule as the choice sees it; ``source`` and ``project`` are opaque keys (database ids)."""

    domain: str
    placement_funding: str  # '' matches every funding
    placement_kind: str  # '' matches every kind
    source: object
    project: object | None = None


@dataclass(frozen=True)
class SourceRow:
    key: object
    name: str
    legal_basis: str


@dataclass(frozen=True)
class Choice:
    """The source (and project) that pays, or ``problem``: why none could be chosen, in Dutch."""

    source: object | None
    project: object | None = None
    by_rule: bool = False
    problem: str = ""


def _specificity(rule: RuleRow) -> tuple[int, int]:
    both = bool(rule.placement_funding) and bool(rule.placement_kind)
    return (
        2 if both else int(bool(rule.placement_funding or rule.placement_kind)),
        int(bool(rule.placement_kind)),
    )


def choose_source(
    rules: Sequence[RuleRow],
    sources: Sequence[SourceRow],
    *,
    domain: str,
    funding: str,
    kind: str,
    year: int,
) -> Choice:
    """The source that pays for a placement of ``funding`` and ``kind`` proposed under law ``domain``."""
    matching = [
        rule
        for rule in rules
        if rule.domain == domain
        and rule.placement_funding in ("", funding)
        and rule.placement_kind in ("", kind)
    ]
    if matching:
        best = max(matching, key=_specificity)
        return Choice(source=best.source, project=best.project, by_rule=True)
    same_law = [source for source in sources if source.legal_basis == domain]
    law = LAW_NAMES.get(domain, domain)
    if len(same_law) == 1:
        return Choice(source=same_law[0].key)
    if not same_law:
        return Choice(
            source=None,
            problem=(
                f"Er is in {year} geen geldbron voor {law} en geen verdeelregel voor deze plek. "
                f"De controller moet eerst een geldbron voor {law} of een verdeelregel maken."
            ),
        )
    return Choice(
        source=None,
        problem=(
            f"Er zijn in {year} meerdere geldbronnen voor {law} en geen verdeelregel voor deze plek. "
            "De controller moet een verdeelregel maken die zegt welke bron betaalt."
        ),
    )


def commitment_period(
    year: int, starts_on: dt.date, *, contract_ends_on: dt.date | None, ended_on: dt.date | None = None
) -> tuple[dt.date, dt.date] | None:
    """The part of ``year`` a commitment covers: from the later of the start and 1 January to the earliest of
    31 December, the end of the contract and (for a seat that already ended) its last day. None when that
    part is empty (the seat or the contract does not run in the year)."""
    start = max(starts_on, dt.date(year, 1, 1))
    end = dt.date(year, 12, 31)
    if contract_ends_on is not None:
        end = min(end, contract_ends_on)
    if ended_on is not None:
        end = min(end, ended_on)
    if end < start:
        return None
    return start, end
