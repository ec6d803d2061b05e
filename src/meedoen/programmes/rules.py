"""The building blocks of an indicator, periods, and what may be shown. Pure Python, no Django import.

An indicator is data: one *measure* from the fixed set below, with its parameters (a phase, a number of
months, a minimum age, a target group). Every measure gives two whole numbers per month and cell: a
numerator and (for shares, means and amounts per person) a denominator; the value follows from them, so a
quarter is worked out from its months without going back to the residents.
"""

from __future__ import annotations

import datetime as dt
import re
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


def hidden(measure: Measure, cell: Cell, whole: Cell | None = None) -> bool:
    """Whether a cell must be shown as "<5": a count of residents in it under five, or — for a share of
    residents — the residents outside the numerator under five, or, for a cell of a filter, the residents of
    the whole programme outside the filter under five (the difference of the two figures would give them).
    A mean or an amount per person over fewer than five residents is hidden too."""
    counts_num, counts_den = measure.counts
    if counts_num and _small(cell.numerator):
        return True
    if counts_den and _small(cell.denominator):
        return True
    if (
        counts_num
        and counts_den
        and cell.denominator is not None
        and _small(cell.denominator - cell.numerator)
    ):
        return True
    if whole is not None and whole is not cell:
        if counts_num and _small(whole.numerator - cell.numerator):
            return True
        if (
            counts_den
            and whole.denominator is not None
            and cell.denominator is not None
            and _small(whole.denominator - cell.denominator)
        ):
            return True
    return False


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


def meets(target: Decimal | None, value: Decimal | None, *, higher_is_better: bool) -> bool | None:
    """Whether a value reaches its target (None when there is no target or no value)."""
    if target is None or value is None:
        return None
    return value >= target if higher_is_better else value <= target


def target_for_period(measure: Measure, monthly: Decimal | None, months: int) -> Decimal | None:
    """A target is set per month; a flow's target for a quarter is the months' targets added up."""
    if monthly is None:
        return None
    return monthly if measure.stock or measure.kind is not Kind.COUNT else monthly * months
