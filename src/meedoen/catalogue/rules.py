"""Rules of the catalogue that need no database: distances, schedules, prices, seats, occupancy. No Django
import."""

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

EARTH_RADIUS_KM = 6371.0088
WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), good to a few metres at the scale of a region."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def check_schedule(days: Sequence[str], start: dt.time, end: dt.time) -> list[tuple[str, str]]:
    """Errors in a weekly schedule as (field, message): known days, at least one, end after start."""
    errors = []
    unknown = [day for day in days if day not in WEEKDAYS]
    if unknown:
        errors.append(("days", f"Onbekende dag: {', '.join(unknown)}. Gebruik ma, di, wo, do, vr, za of zo."))
    elif not days:
        errors.append(("days", "Kies minstens één dag."))
    if end <= start:
        errors.append(("end_time", "De eindtijd moet na de begintijd liggen."))
    return errors


# The units a price may be for, per iWmo uitvoeringsvariant (the codes of models.Pricing and models.PriceUnit;
# the database's check constraint placement_price_unit_fits_pricing says the same).
UNITS_BY_PRICING: dict[str, tuple[str, ...]] = {
    "inspanningsgericht": ("uur", "dagdeel", "etmaal", "week"),
    "outputgericht": ("traject", "maand"),
    "taakgericht": (),
}
DEFAULT_UNIT = {"inspanningsgericht": "week"}  # what a price without a unit meant before there were units
UNIT_HINT = {
    "inspanningsgericht": "uur, dagdeel, etmaal of week",
    "outputgericht": "traject of maand",
}


@dataclass(frozen=True)
class PriceTerms:
    """A placement's price as it is stored: taakgericht is always 0 with no unit."""

    pricing: str
    price: Decimal | None
    unit: str
    errors: tuple[tuple[str, str], ...] = ()


def settle_price(pricing: str, unit: str, price: Decimal | None) -> PriceTerms:
    """The price terms to store, or the errors as (field, Dutch message).

    Inspanningsgericht and outputgericht need a price of at least 0 and a unit of their own; an
    inspanningsgericht price without a unit is per week. Taakgericht has no price per placement (the
    provider's contract has a lump sum per year): its unit is dropped, a price other than 0 is refused
    rather than silently thrown away."""
    if pricing not in UNITS_BY_PRICING:
        return PriceTerms(
            pricing, price, unit, (("pricing", "Kies inspanningsgericht, outputgericht of taakgericht."),)
        )
    if pricing == "taakgericht":
        if price:
            message = (
                "Bij taakgericht krijgt de aanbieder een vast bedrag via het contract, geen prijs per "
                "plek. Laat de prijs leeg."
            )
            return PriceTerms(pricing, price, "", (("price", message),))
        return PriceTerms(pricing, Decimal("0.00"), "")
    errors = []
    unit = unit or DEFAULT_UNIT.get(pricing, "")
    if unit not in UNITS_BY_PRICING[pricing]:
        errors.append(("price_unit", f"Kies een eenheid die past bij {pricing}: {UNIT_HINT[pricing]}."))
    if price is None:
        errors.append(("price", f"Vul de prijs in. Bij {pricing} is die nodig."))
    elif price < 0:
        errors.append(("price", "De prijs kan niet negatief zijn."))
    return PriceTerms(pricing, price, unit, tuple(errors))


def ordered_days(days: Iterable[str]) -> list[str]:
    wanted = set(days)
    return [day for day in WEEKDAYS if day in wanted]


def free_seat_number(capacity: int, taken: Iterable[int]) -> int | None:
    """The lowest seat number 1..capacity not in use, or None when the placement is full."""
    used = set(taken)
    for number in range(1, capacity + 1):
        if number not in used:
            return number
    return None


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), or the last day of that month when it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class MonthOccupancy:
    month: dt.date
    seats_used: int
    capacity: int

    @property
    def percent(self) -> int:
        return round(100 * self.seats_used / self.capacity) if self.capacity else 0


def occupancy_by_month(
    periods: Iterable[tuple[dt.date, dt.date | None]], capacity: int, *, until: dt.date, months: int = 12
) -> list[MonthOccupancy]:
    """For each of the last ``months`` months up to ``until``: the most seats in use on any day of it.

    A seat counts from its start up to and including its end; an open end means still in use."""
    spans = list(periods)
    first = add_months(first_of_month(until), -(months - 1))
    result = []
    for index in range(months):
        start = add_months(first, index)
        end = min(add_months(start, 1) - dt.timedelta(days=1), until)
        # The peak within the month: sweep over the start and end days of the seats that touch it.
        events: list[tuple[dt.date, int]] = []
        for begins, ends in spans:
            if begins > end or (ends is not None and ends < start):
                continue
            events.append((max(begins, start), 1))
            if ends is not None and ends < end:
                events.append((ends + dt.timedelta(days=1), -1))
        peak = current = 0
        for _day, change in sorted(events, key=lambda item: (item[0], item[1])):
            current += change
            peak = max(peak, current)
        result.append(MonthOccupancy(month=start, seats_used=peak, capacity=capacity))
    return result
