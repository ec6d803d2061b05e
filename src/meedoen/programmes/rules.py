"""The building blocks of an indicator, periods, and what may be shown. Pure Python, no Django import.

An indicator is data: one *measure* from the fixed set below, with its parameters (a phase, a number of
months, a minimum age, a target group). Every measure gives two whole numbers per month and cell: a
numerator and (for shares, means and amounts per person) a denominator; the value follows from them, so a
quarter is worked out from its months without going back to the residents.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from meedoen.accounts.policies import suppress_column, suppress_small
from meedoen.catalogue.rules import add_months


class Kind(StrEnum):
    COUNT = "aantal"  # the numerator
    SHARE = "aandeel"  # 100 × numerator / denominator, in percent
    MEAN = "gemiddelde"  # numerator / denominator (the sum of the values over the number of residents)
    MONEY_PER = "bedrag_per"  # numerator in cents / denominator, in euro


class Unit(StrEnum):
    RESIDENTS = "inwoners"
    PERCENT = "procent"
    DAYS = "dagen"
    EURO = "euro"


class Dimension(StrEnum):
    """What a figure can be split by (and filtered on). ``ALL`` is the whole programme."""

    ALL = ""
    PROJECT = "project"
    DISTRICT = "wijk"
    TARGET_GROUP = "doelgroep"
    LEGAL_BASIS = "grondslag"
    PHASE = "fase"


RESIDENT_DIMENSIONS = (
    Dimension.ALL,
    Dimension.PROJECT,
    Dimension.DISTRICT,
    Dimension.TARGET_GROUP,
    Dimension.LEGAL_BASIS,
    Dimension.PHASE,
)
PROJECT_ONLY = (Dimension.ALL, Dimension.PROJECT)

# The dimensions the dashboard filters on (phase is a breakdown, not a filter), in the order a cell of two
# filters names them: dimension "project+wijk", key "<project id>|<district id>".
FILTER_DIMENSIONS = (Dimension.PROJECT, Dimension.DISTRICT, Dimension.TARGET_GROUP, Dimension.LEGAL_BASIS)
MAX_FILTERS = 2
PAIR_JOIN, KEY_JOIN = "+", "|"


@dataclass(frozen=True)
class Measure:
    """One building block. ``stock``: a state at the month's end (a quarter shows its last month); otherwise a
    flow in the month (a quarter adds its months up). ``counts``: which of numerator and denominator count
    residents, so small ones are hidden. ``params``: the parameters it takes; ``needs``: those it must have.
    ``residents``: whether a figure stands for residents one can list (drill-down)."""

    code: str
    kind: Kind
    unit: Unit
    stock: bool
    counts: tuple[bool, bool]
    dimensions: tuple[Dimension, ...] = RESIDENT_DIMENSIONS
    params: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()
    residents: bool = True


_FILTERS = frozenset({"min_age", "target_group"})

MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure("in_programma", Kind.COUNT, Unit.RESIDENTS, True, (True, False), params=_FILTERS | {"phase"}),
        Measure(
            "stap_naar_fase",
            Kind.COUNT,
            Unit.RESIDENTS,
            False,
            (True, False),
            params=_FILTERS | {"phase"},
            needs=frozenset({"phase"}),
        ),
        Measure(
            "duurzaam_in_fase",
            Kind.SHARE,
            Unit.PERCENT,
            False,
            (True, True),
            params=_FILTERS | {"phase", "months"},
            needs=frozenset({"phase", "months"}),
        ),
        Measure("trede_omhoog", Kind.SHARE, Unit.PERCENT, True, (True, True), params=_FILTERS | {"months"}),
        Measure("stap_terug", Kind.COUNT, Unit.RESIDENTS, False, (True, False), params=_FILTERS),
        Measure("terugval", Kind.COUNT, Unit.RESIDENTS, False, (True, False), params=_FILTERS),
        Measure("wachttijd", Kind.MEAN, Unit.DAYS, False, (False, True), params=_FILTERS),
        Measure(
            "bezetting",
            Kind.SHARE,
            Unit.PERCENT,
            True,
            (True, False),
            dimensions=PROJECT_ONLY,
            residents=False,
        ),
        Measure(
            "budgetgebruik",
            Kind.SHARE,
            Unit.PERCENT,
            True,
            (False, False),
            dimensions=PROJECT_ONLY,
            residents=False,
        ),
        Measure(
            "kosten_per_inwoner",
            Kind.MONEY_PER,
            Unit.EURO,
            True,
            (False, True),
            dimensions=PROJECT_ONLY,
            residents=False,
        ),
        Measure(
            "kosten_per_uitstroom",
            Kind.MONEY_PER,
            Unit.EURO,
            True,
            (False, True),
            dimensions=PROJECT_ONLY,
            residents=False,
        ),
    )
}

DEFAULT_MONTHS = 12


def in_filter_order(dimensions: Iterable[str]) -> list[Dimension]:
    """Filter dimensions in the order of ``FILTER_DIMENSIONS`` (the order a cell of two filters uses)."""
    given = set(dimensions)
    return [d for d in FILTER_DIMENSIONS if d.value in given]


def dimension_name(dimensions: Sequence[Dimension]) -> str:
    """The rollup's name of a cell's dimension: "" (whole programme), "wijk", or "project+wijk"."""
    return PAIR_JOIN.join(d.value for d in dimensions if d is not Dimension.ALL)


def pairs_of(measure: Measure) -> list[tuple[Dimension, Dimension]]:
    """The pairs of filter dimensions whose cells the rollup stores for a building block: every two of its
    filter dimensions, for a building block of residents only (seats and money stay per project)."""
    if not measure.residents:
        return []
    own = [d for d in FILTER_DIMENSIONS if d in measure.dimensions]
    return list(itertools.combinations(own, 2))


def unsplit(measure: Measure, dimensions: Sequence[Dimension]) -> list[Dimension]:
    """The filter dimensions a building block's figures cannot be split by (a seat or money figure by
    district, say); empty when it can honour the filters, one or two at once."""
    missing = [d for d in dimensions if d not in measure.dimensions]
    if missing or len(dimensions) < 2:
        return missing
    return [] if tuple(dimensions) in pairs_of(measure) else list(dimensions)


class FormulaError(ValueError):
    """A combination of building blocks that does not make an indicator; ``message`` says why in Dutch."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def check_formula(measure: str, params: dict[str, object]) -> None:
    """Refuse a measure that does not exist, a parameter it does not take, or a missing one it needs."""
    spec = MEASURES.get(measure)
    if spec is None:
        raise FormulaError("Kies een bouwsteen uit de lijst.", "measure")
    given = {name for name, value in params.items() if value not in (None, "")}
    for name in sorted(given - spec.params):
        raise FormulaError("Deze bouwsteen gebruikt dit niet. Laat het leeg.", name)
    for name in sorted(spec.needs - given):
        raise FormulaError("Deze bouwsteen heeft dit nodig.", name)
    months = params.get("months")
    if months not in (None, "") and not (isinstance(months, int) and 1 <= months <= 36):
        raise FormulaError("Kies een aantal maanden van 1 tot en met 36.", "months")


# ----------------------------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """A month (``2026-05``) or a quarter (``2026-Q2``): its label and its months (first days)."""

    label: str
    months: tuple[dt.date, ...]

    @property
    def first(self) -> dt.date:
        return self.months[0]

    @property
    def last(self) -> dt.date:
        return self.months[-1]


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_period(text: str) -> Period:
    """``YYYY-MM`` or ``YYYY-QN``; raises FormulaError (field ``period``) for anything else."""
    text = text.strip().upper()
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return Period(f"{year}-{month:02d}", (dt.date(year, month, 1),))
    if match := _QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        if 2000 <= year <= 2100:
            first = dt.date(year, 3 * quarter - 2, 1)
            return Period(f"{year}-Q{quarter}", tuple(add_months(first, i) for i in range(3)))
    raise FormulaError("Schrijf een maand als 2026-05 of een kwartaal als 2026-Q2.", "period")


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def months_back(month: dt.date, count: int) -> list[dt.date]:
    """The ``count`` months up to and including ``month``, oldest first."""
    return [add_months(month, -i) for i in range(count - 1, -1, -1)]


def is_closed(month: dt.date, today: dt.date) -> bool:
    """A month is closed once it is over: its figures are then final and never computed again."""
    return month_end(month) < today


# ------------------------------------------------------------------------------------------------ values


@dataclass(frozen=True)
class Cell:
    numerator: int
    denominator: int | None


def combine(measure: Measure, cells: list[Cell]) -> Cell | None:
    """A period's cell from its months' cells (oldest first): a stock shows its last month, a flow adds up."""
    if not cells:
        return None
    if measure.stock:
        return cells[-1]
    denominators = [c.denominator for c in cells if c.denominator is not None]
    return Cell(sum(c.numerator for c in cells), sum(denominators) if denominators else None)


def value_of(measure: Measure, cell: Cell) -> Decimal | None:
    """The figure a cell stands for (None where it cannot be worked out: no denominator)."""
    if measure.kind is Kind.COUNT:
        return Decimal(cell.numerator)
    if not cell.denominator:
        return None
    if measure.kind is Kind.SHARE:
        return (Decimal(100) * cell.numerator / cell.denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if measure.kind is Kind.MEAN:
        return (Decimal(cell.numerator) / cell.denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return (Decimal(cell.numerator) / 100 / cell.denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _small(count: int | None) -> bool:
    return count is not None and suppress_small(count) is None


def _minus(first: Cell, second: Cell) -> Cell:
    """The residents in the first cell but not in the second (the second is part of the first)."""
    denominator = (
        None
        if first.denominator is None or second.denominator is None
        else first.denominator - second.denominator
    )
    return Cell(first.numerator - second.numerator, denominator)


def _small_parts(measure: Measure, cell: Cell) -> bool:
    """Whether a cell's residents, or part of them, are under five: its numerator and denominator where
    they count residents, and for a share the residents of the denominator outside the numerator."""
    counts_num, counts_den = measure.counts
    if counts_num and _small(cell.numerator):
        return True
    if counts_den and _small(cell.denominator):
        return True
    return bool(
        counts_num
        and counts_den
        and cell.denominator is not None
        and _small(cell.denominator - cell.numerator)
    )


def hidden(measure: Measure, cell: Cell, whole: Cell | None = None) -> bool:
    """Whether a cell must be shown as "<5": a count of residents in it under five, or — for a share of
    residents — the residents outside the numerator under five, or, for a cell of a filter, the residents of
    the whole programme outside the filter under five (the difference of the two figures would give them;
    for a share, also those of them outside the numerator). A mean or an amount per person over fewer than
    five residents is hidden too."""
    if _small_parts(measure, cell):
        return True
    return whole is not None and whole is not cell and _small_parts(measure, _minus(whole, cell))


def hidden_pair(measure: Measure, pair: Cell, first: Cell, second: Cell, whole: Cell) -> bool:
    """Whether the cell of two filters at once (``pair``: in the first filter and in the second) must be
    "<5". Beside the figures of each filter alone (``first``, ``second``) and of the whole programme, it
    gives away the other three cells of its two-by-two table: in the first filter but not the second
    (first − pair), in the second but not the first (second − pair), and in neither (whole − first − second
    + pair). The cell is hidden when it, or any of those three, is small by ``hidden``'s rule."""
    neither = _minus(_minus(whole, first), _minus(second, pair))
    return any(
        _small_parts(measure, cell) for cell in (pair, _minus(first, pair), _minus(second, pair), neither)
    )


def hide_breakdown(counts: list[int]) -> list[bool]:
    """Which cells of a breakdown (one count per category, beside the total) to hide: the small ones, and
    when exactly one is hidden, the smallest other non-zero one, or the total would give it away (the one
    rule of accounts.policies.suppress_column)."""
    return [shown is None for shown in suppress_column(counts)]


def hidden_in_column(measure: Measure, column: dict[str, Cell], key: str) -> bool:
    """Whether the cell of filter ``key`` must be hidden because the breakdown of its whole dimension hides
    it: one filter after another would otherwise give every category but the hidden one, and the whole
    programme's figure minus those gives the hidden one. ``column`` holds the month's cells of every key of
    the dimension; a key without a cell is zero and hides nothing."""
    if key not in column:
        return False
    keys = list(column)
    index = keys.index(key)
    counts_num, counts_den = measure.counts
    columns = []
    if counts_num:
        columns.append([column[k].numerator for k in keys])
    if counts_den:
        columns.append([column[k].denominator or 0 for k in keys])
    if counts_num and counts_den:
        columns.append([(column[k].denominator or 0) - column[k].numerator for k in keys])
    return any(hide_breakdown(counts)[index] for counts in columns)


def hidden_in_pair_lines(measure: Measure, cells: dict[str, Cell], first_key: str, second_key: str) -> bool:
    """Whether the cell of two filters must be hidden because a breakdown it is part of hides it: the first
    filter's residents by the second dimension (its line of cells), or the second's by the first. The first
    filter's own figure is the total of its line, so one shown cell after another would otherwise give the
    hidden one. ``cells`` holds the month's cells of the pair's dimension, by key "<first>|<second>"."""
    line: dict[str, Cell] = {}
    across: dict[str, Cell] = {}
    for key, cell in cells.items():
        first, _sep, second = key.partition(KEY_JOIN)
        if first == first_key:
            line[key] = cell
        if second == second_key:
            across[key] = cell
    key = f"{first_key}{KEY_JOIN}{second_key}"
    return hidden_in_column(measure, line, key) or hidden_in_column(measure, across, key)


def meets(target: Decimal | None, value: Decimal | None, *, higher_is_better: bool) -> bool | None:
    """Whether a value reaches its target (None when there is no target or no value)."""
    if target is None or value is None:
        return None
    return value >= target if higher_is_better else value <= target


def target_applies(measure: Measure, filtered: bool) -> bool:
    """A target is set for the whole programme. A count of a part of it (one project, one wijk) is not held
    against it; a share or a mean is: the part is held to the same rate."""
    return not (filtered and measure.kind is Kind.COUNT)


def target_for_period(measure: Measure, monthly: Decimal | None, months: int) -> Decimal | None:
    """A target is set per month; a flow's target for a quarter is the months' targets added up."""
    if monthly is None:
        return None
    return monthly if measure.stock or measure.kind is not Kind.COUNT else monthly * months
