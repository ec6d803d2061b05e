"""The arithmetic of the one pot: balances from ledger entries, what a placement commits, the forecast.

Pure Python, no Django import (the import contract checks it). Money is ``Decimal`` with two places; every
function here takes and returns such amounts and never a float. The database keeps the entries; this module
says what they add up to, so the same sums can be checked in property tests on random sequences of entries.

Sign convention: an entry's ``kind`` names the balance it changes, its ``amount`` is signed. A wrong entry is
never edited: it is corrected by an entry of the same kind with the opposite amount (``corrects`` points at
it in the database). For every source at every moment::

    budget + mutations - committed + released - free == 0

and per commitment ``paid <= invoiced <= committed - released`` unless a reviewed exception says why.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    """An amount rounded to the cent, half up (the way invoices round)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class Kind(StrEnum):
    BUDGET = "budget"  # the amount a funding source brings into the year
    MUTATION = "mutatie"  # a change of a source's budget during the year (signed), with a reason
    ALLOCATION = "toewijzing"  # part of a source's budget set aside for a project (signed)
    COMMITMENT = "verplichting"  # money promised to a placement or a taakgericht contract
    RELEASE = "vrijval"  # the unused rest of a commitment, when a placement ends early or shrinks
    INVOICE = "factuur"  # what a provider invoiced against a commitment
    PAYMENT = "betaling"  # an approved invoice line, paid


@dataclass(frozen=True)
class Entry:
    """One ledger entry as the arithmetic sees it. ``source``, ``project`` and ``commitment`` are opaque keys
    (the database ids); ``project`` and ``commitment`` may be None."""

    kind: Kind
    amount: Decimal
    source: object
    project: object | None = None
    commitment: object | None = None


@dataclass
class Balance:
    """What a source, a project, a commitment or the whole pot adds up to."""

    budget: Decimal = ZERO
    mutations: Decimal = ZERO
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    released: Decimal = ZERO
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO

    def add(self, entry: Entry) -> None:
        attribute = _ATTRIBUTE[entry.kind]
        setattr(self, attribute, getattr(self, attribute) + entry.amount)

    @property
    def available(self) -> Decimal:
        """The budget after mutations."""
        return self.budget + self.mutations

    @property
    def net_committed(self) -> Decimal:
        """Committed minus what was released again."""
        return self.committed - self.released

    @property
    def free(self) -> Decimal:
        """What can still be committed: budget + mutations - committed + released."""
        return self.available - self.net_committed

    @property
    def unallocated(self) -> Decimal:
        """The part of a source's budget not set aside for a project."""
        return self.available - self.allocated

    @property
    def open_commitment(self) -> Decimal:
        """Committed and not yet invoiced."""
        return self.net_committed - self.invoiced

    def merged(self, other: "Balance") -> "Balance":
        return Balance(**{name: getattr(self, name) + getattr(other, name) for name in _FIELDS})


_ATTRIBUTE = {
    Kind.BUDGET: "budget",
    Kind.MUTATION: "mutations",
    Kind.ALLOCATION: "allocated",
    Kind.COMMITMENT: "committed",
    Kind.RELEASE: "released",
    Kind.INVOICE: "invoiced",
    Kind.PAYMENT: "paid",
}
_FIELDS = tuple(_ATTRIBUTE.values())


def balance_from_sums(sums: dict[str, Decimal | None]) -> Balance:
    """A balance from sums per kind as the database returns them: ``{"verplichting": Decimal(...)}``."""
    balance = Balance()
    for kind, attribute in _ATTRIBUTE.items():
        value = sums.get(kind.value)
        if value is not None:
            setattr(balance, attribute, money(value))
    return balance


def balances(entries: Iterable[Entry], *, by: str = "source") -> dict[object, Balance]:
    """Balances per ``source``, ``project`` or ``commitment`` (entries without that key are left out)."""
    result: dict[object, Balance] = {}
    for entry in entries:
        key = getattr(entry, by)
        if key is None:
            continue
        result.setdefault(key, Balance()).add(entry)
    return result


def total(entries: Iterable[Entry]) -> Balance:
    balance = Balance()
    for entry in entries:
        balance.add(entry)
    return balance


@dataclass(frozen=True)
class Breach:
    """An invariant that does not hold, in words a controller understands."""

    key: object
    text: str


def check(entries: Iterable[Entry], *, exceptions: frozenset[object] = frozenset()) -> list[Breach]:
    """Every invariant of the ledger, checked; an empty list when all hold.

    - every amount is whole cents;
    - per source: no more committed than budget + mutations (free never below zero) — overspending is a
      reviewed exception, so its source is passed in ``exceptions``;
    - per commitment: released <= committed, invoiced <= committed - released, paid <= invoiced, unless the
      commitment is in ``exceptions``.
    """
    entries = list(entries)
    breaches: list[Breach] = []
    for entry in entries:
        if entry.amount != money(entry.amount):
            breaches.append(
                Breach(entry.commitment or entry.source, f"{entry.amount} is geen bedrag in centen")
            )
    for source, balance in balances(entries, by="source").items():
        if balance.free < 0 and source not in exceptions:
            breaches.append(Breach(source, f"meer verplicht dan er budget is ({balance.free} vrij)"))
    for commitment, balance in balances(entries, by="commitment").items():
        if commitment in exceptions:
            continue
        if balance.released > balance.committed:
            breaches.append(Breach(commitment, "meer vrijgevallen dan verplicht"))
        if balance.invoiced > balance.net_committed:
            breaches.append(Breach(commitment, "meer gefactureerd dan verplicht"))
        if balance.paid > balance.invoiced:
            breaches.append(Breach(commitment, "meer betaald dan gefactureerd"))
    return breaches


# ---------------------------------------------------------------------------------------- what a place costs


class Pricing(StrEnum):
    """The iWmo uitvoeringsvarianten (the values of ``catalogue.models.Pricing``)."""

    EFFORT = "inspanningsgericht"
    OUTPUT = "outputgericht"
    TASK = "taakgericht"


class Unit(StrEnum):
    """The units a price is for (the values of ``catalogue.models.PriceUnit``)."""

    HOUR = "uur"
    DAYPART = "dagdeel"
    DAY_AND_NIGHT = "etmaal"
    WEEK = "week"
    ROUTE = "traject"
    MONTH = "maand"


DAYPART_HOURS = Decimal(4)


@dataclass(frozen=True)
class Price:
    """A placement's price as the contract says it: ``amount`` per ``unit``, in variant ``pricing``."""

    pricing: Pricing
    amount: Decimal
    unit: Unit | None


@dataclass(frozen=True)
class Volume:
    """How much of a placement a resident takes per week: hours and days."""

    hours_per_week: Decimal
    days_per_week: int


def units_per_week(unit: Unit, volume: Volume) -> Decimal:
    """Planned units in one week, for a price per hour, dagdeel (4 hours, counted up per day), etmaal (a day
    with a night: one per day present) or week."""
    if unit is Unit.HOUR:
        return volume.hours_per_week
    if unit is Unit.DAYPART:
        if volume.days_per_week <= 0:
            return ZERO
        hours_per_day = volume.hours_per_week / volume.days_per_week
        # Rounded up: a started dagdeel counts. (Not -(-a // b): Decimal's // truncates towards zero.)
        dayparts_per_day = (hours_per_day / DAYPART_HOURS).to_integral_value(rounding=ROUND_CEILING)
        return Decimal(volume.days_per_week) * dayparts_per_day
    if unit is Unit.DAY_AND_NIGHT:
        return Decimal(volume.days_per_week)
    if unit is Unit.WEEK:
        return Decimal(1)
    raise ValueError(f"{unit} is not a unit of effort")


def days_in(start: dt.date, end: dt.date) -> int:
    """Days from ``start`` to ``end``, both included; 0 when the period is empty."""
    return max((end - start).days + 1, 0)


def months_in(start: dt.date, end: dt.date) -> Decimal:
    """Calendar months in the period, a part of a month counted by its days."""
    if end < start:
        return Decimal(0)
    months = Decimal(0)
    day = start
    while day <= end:
        length = calendar.monthrange(day.year, day.month)[1]
        last = dt.date(day.year, day.month, length)
        months += Decimal(days_in(day, min(last, end))) / Decimal(length)
        day = last + dt.timedelta(days=1)
    return months


def planned_units(price: Price, volume: Volume, start: dt.date, end: dt.date) -> Decimal:
    """Planned units in the period (two decimals), the quantity a commitment is for."""
    if price.pricing is Pricing.TASK or price.unit is None:
        return ZERO
    if price.pricing is Pricing.OUTPUT:
        if price.unit is Unit.ROUTE:
            return Decimal(1) if days_in(start, end) else ZERO
        return money(months_in(start, end))
    weeks = Decimal(days_in(start, end)) / Decimal(7)
    return money(units_per_week(price.unit, volume) * weeks)


def cost(price: Price, volume: Volume, start: dt.date, end: dt.date) -> Decimal:
    """What a placement costs from ``start`` to ``end`` (both included), to the cent.

    - inspanningsgericht: price x units per week x weeks (a part of a week counted by its days);
    - outputgericht: the price once per traject, or price x months (a part of a month by its days);
    - taakgericht: nothing per resident (the contract's yearly amount is committed once per provider).

    The exact product is rounded once, so the cost of a period and of its parts differ by at most a cent
    per part; releases are computed as ``cost(whole) - cost(part used)``, so nothing is lost or invented.
    """
    if price.pricing is Pricing.TASK or price.unit is None or days_in(start, end) == 0:
        return ZERO
    if price.pricing is Pricing.OUTPUT:
        if price.unit is Unit.ROUTE:
            return money(price.amount)
        return money(price.amount * months_in(start, end))
    weeks = Decimal(days_in(start, end)) / Decimal(7)
    return money(price.amount * units_per_week(price.unit, volume) * weeks)


def release_on_end(
    committed: Decimal, price: Price, volume: Volume, start: dt.date, ended_on: dt.date
) -> Decimal:
    """What falls free when a placement committed at ``committed`` ends on ``ended_on``: the rest, never less
    than nothing. An outputgericht traject is paid for once started, so nothing falls free."""
    if price.pricing is Pricing.OUTPUT and price.unit is Unit.ROUTE:
        return ZERO
    used = cost(price, volume, start, ended_on)
    return max(committed - used, ZERO)


def task_months(yearly: Decimal) -> list[Decimal]:
    """A taakgericht contract's yearly amount (its one commitment) as twelve monthly amounts that add up to
    it exactly, the one rule the invoice check, the portal's label, the example file and the demo use. Each
    month gets the whole cents of a twelfth; the cents left over (at most eleven) go one each to the first
    months (the largest remainder, equal for every month, ties to the earlier month). So € 60.001,50 is
    € 5.000,13 from January to June and € 5.000,12 from July, € 24.000,00 is € 2.000,00 every month."""
    cents = int(money(yearly) * 100)
    share, left = divmod(cents, 12)
    return [(Decimal(share + (1 if month < left else 0)) / 100).quantize(CENT) for month in range(12)]


def task_month(yearly: Decimal, month: int) -> Decimal:
    """The amount of calendar month ``month`` (1-12) of ``task_months``."""
    return task_months(yearly)[month - 1]


# ------------------------------------------------------------------------------------------------- forecast


@dataclass(frozen=True)
class Forecast:
    """The expected spending to the end of the year, in two ways, and the larger of them as the forecast."""

    from_commitments: Decimal  # invoiced so far + what running commitments still have open
    from_run_rate: Decimal  # invoiced so far, extended to twelve months at the pace of the months so far
    expected: Decimal = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "expected", max(self.from_commitments, self.from_run_rate))


def forecast(balance: Balance, *, year: int, today: dt.date) -> Forecast:
    """The forecast to 31 December of ``year``, seen on ``today``.

    From commitments: everything invoiced plus the open part of every commitment (running commitments end
    within the year, so their open part is what is still to come). From the run rate: what was invoiced
    per elapsed month times twelve. Before the year starts there is no run rate; after it ends both are
    what was invoiced and committed.
    """
    from_commitments = balance.invoiced + max(balance.open_commitment, ZERO)
    start = dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    if today < start:
        return Forecast(from_commitments, ZERO)
    elapsed = months_in(start, min(today, end))
    if elapsed <= 0:
        return Forecast(from_commitments, ZERO)
    run_rate = money(balance.invoiced / elapsed * Decimal(12))
    return Forecast(money(from_commitments), run_rate)
