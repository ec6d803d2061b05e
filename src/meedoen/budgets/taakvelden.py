"""The Iv3 taakvelden (BBV model from 2023) a funding source is reported under: dated reference data.

The list lives in ``taakvelden.csv`` beside this module, one row per taakveld with the date it is valid from
(and until, when the BBV model drops it), so a new model is a new row and old years keep their own names.
"""

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_FILE = Path(__file__).with_name("taakvelden.csv")


@dataclass(frozen=True)
class Taakveld:
    code: str
    name: str
    valid_from: dt.date
    valid_until: dt.date | None
    source: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    def valid_in(self, year: int) -> bool:
        return self.valid_from <= dt.date(year, 12, 31) and (
            self.valid_until is None or self.valid_until >= dt.date(year, 1, 1)
        )


@cache
def all_taakvelden() -> tuple[Taakveld, ...]:
    with _FILE.open(encoding="utf-8") as file:
        return tuple(
            Taakveld(
                code=row["code"],
                name=row["name"],
                valid_from=dt.date.fromisoformat(row["valid_from"]),
                valid_until=dt.date.fromisoformat(row["valid_until"]) if row["valid_until"] else None,
                source=row["source"],
            )
            for row in csv.DictReader(file)
        )


def taakvelden_in(year: int) -> list[Taakveld]:
    """The taakvelden valid in ``year``, in the order of the model."""
    return [taakveld for taakveld in all_taakvelden() if taakveld.valid_in(year)]


def taakveld(code: str, year: int) -> Taakveld | None:
    return next((t for t in taakvelden_in(year) if t.code == code), None)


def choices(year: int) -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in taakvelden_in(year)]
