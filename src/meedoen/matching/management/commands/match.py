"""``meedoen match solve --edges EDGES.csv --capacity CAPACITY.csv --out ASSIGNMENT.csv``

Solves the bare allocation problem for analysts and tests: EDGES has ``resident,placement,score`` (a
non-negative score, higher is better; pairs not listed are not allowed), CAPACITY has ``placement,seats``.
Writes ``resident,placement`` for every assigned resident and prints the total score."""

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meedoen.matching import solver
from meedoen.matching.files import InputError, read_problem, write_assignment


class Command(BaseCommand):
    help = "Allocation of residents to placements with the highest total score (min-cost flow)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        solve = sub.add_parser("solve", help="solve EDGES under CAPACITY and write the assignment")
        solve.add_argument("--edges", type=Path, required=True, help="CSV with resident,placement,score")
        solve.add_argument("--capacity", type=Path, required=True, help="CSV with placement,seats")
        solve.add_argument("--out", type=Path, required=True, help="CSV to write resident,placement to")
        solve.add_argument(
            "--baseline", action="store_true", help="also print what first come, first served would reach"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("edges", "capacity"):
            if not options[name].is_file():
                raise CommandError(f"{options[name]} does not exist")
        started = time.perf_counter()
        try:
            problem = read_problem(options["edges"], options["capacity"])
        except InputError as error:
            raise CommandError(str(error)) from None
        read = time.perf_counter()
        assignment = solver.solve(problem)
        solved = time.perf_counter()
        write_assignment(options["out"], problem, assignment)
        self.stdout.write(f"total score: {assignment.total:.6f}")
        self.stdout.write(
            f"assigned: {len(assignment.edges)} of {len(problem.residents)} residents; "
            f"{len(problem.edge_score)} allowed pairs; "
            f"read {read - started:.2f} s, solved {solved - read:.2f} s"
        )
        if options["baseline"]:
            baseline = solver.first_come_first_served(problem)
            share = baseline.total / assignment.total if assignment.total else 1.0
            self.stdout.write(f"first come, first served: {baseline.total:.6f} ({share:.1%} of the optimum)")
