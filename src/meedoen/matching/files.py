"""Reading and writing the CSV files of ``meedoen match solve``. Pure Python, no Django import."""

import csv
from collections.abc import Iterator
from pathlib import Path

from meedoen.matching.solver import Assignment, Problem


class InputError(ValueError):
    """A problem in an input file, with the file, line and what is wrong."""


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(missing)}; expected {','.join(columns)}")
        yield from enumerate(reader, start=2)


def read_problem(edges_path: Path, capacity_path: Path) -> Problem:
    capacity = []
    for line, row in _rows(capacity_path, ("placement", "seats")):
        try:
            seats = int(row["seats"])
        except ValueError:
            raise InputError(
                f"{capacity_path}, line {line}: seats {row['seats']!r} is not a whole number"
            ) from None
        if seats < 0:
            raise InputError(f"{capacity_path}, line {line}: seats must not be negative")
        capacity.append((row["placement"], seats))

    def edges() -> Iterator[tuple[str, str, float]]:
        for line, row in _rows(edges_path, ("resident", "placement", "score")):
            try:
                score = float(row["score"])
            except ValueError:
                raise InputError(
                    f"{edges_path}, line {line}: score {row['score']!r} is not a number"
                ) from None
            if not score >= 0 or score == float("inf"):
                raise InputError(f"{edges_path}, line {line}: score must be a non-negative number")
            yield row["resident"], row["placement"], score

    return Problem.from_rows(edges(), capacity)


def write_assignment(path: Path, problem: Problem, assignment: Assignment) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["resident", "placement"])
        writer.writerows(sorted(assignment.pairs(problem)))
