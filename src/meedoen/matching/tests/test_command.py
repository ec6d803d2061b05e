"""``meedoen match solve`` on CSV files, as an analyst runs it."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[4]


def write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    edges = write(
        tmp_path / "edges.csv", "resident,placement,score", ["anna,tuin,5", "anna,winkel,4", "bram,tuin,9"]
    )
    capacity = write(tmp_path / "capacity.csv", "placement,seats", ["tuin,1", "winkel,1"])
    return edges, capacity, tmp_path / "out.csv"


def test_solve_writes_the_assignment_and_prints_the_total(files, capsys):
    edges, capacity, out = files
    call_command(
        "match", "solve", "--edges", str(edges), "--capacity", str(capacity), "--out", str(out), "--baseline"
    )
    printed = capsys.readouterr().out
    assert "total score: 13.000000" in printed
    assert "first come, first served: 5.000000 (38.5% of the optimum)" in printed
    with out.open() as handle:
        assert list(csv.reader(handle)) == [["resident", "placement"], ["anna", "winkel"], ["bram", "tuin"]]


def test_a_bad_score_names_the_file_and_line(files):
    edges, capacity, out = files
    write(edges, "resident,placement,score", ["anna,tuin,5", "bram,tuin,veel"])
    with pytest.raises(CommandError, match=r"edges.csv, line 3: score 'veel' is not a number"):
        call_command("match", "solve", "--edges", str(edges), "--capacity", str(capacity), "--out", str(out))
    write(edges, "resident,plek,score", ["anna,tuin,5"])
    with pytest.raises(CommandError, match="missing column"):
        call_command("match", "solve", "--edges", str(edges), "--capacity", str(capacity), "--out", str(out))


def test_the_meedoen_command_runs_it(files):
    edges, capacity, out = files
    meedoen = Path(sys.executable).parent / "meedoen"
    result = subprocess.run(  # noqa: S603
        [
            str(meedoen),
            "match",
            "solve",
            "--edges",
            str(edges),
            "--capacity",
            str(capacity),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert "total score: 13.000000" in result.stdout
