"""``meedoen experiment analyse --data FILE.csv --arm COLUMN --control VALUE --outcome COLUMN …``

Analyses an experiment's data from elsewhere with the same code as the analysis screen
(``experiments/analysis.py``): the effect of every arm against the control, with standard error, 95% interval,
p-value (and Holm-adjusted p) and the number measured per arm. Prints a table, or with ``--json`` a list with
one object per arm (and outcome). Input the analysis cannot use is a Dutch error naming the column, exit 2."""

import csv
import json
import math
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from meedoen.experiments import analysis

_USAGE_ERROR = 2


def _columns(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def _number(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.4f}"


class Command(BaseCommand):
    help = "Randomised experiments: analyse the data of an experiment from a CSV file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        analyse = sub.add_parser("analyse", help="effect of every arm against the control")
        analyse.add_argument("--data", type=Path, required=True, help="CSV file, one row per resident")
        analyse.add_argument("--arm", required=True, help="column with the arm of each row")
        analyse.add_argument("--control", required=True, help="value of --arm that marks the control arm")
        analyse.add_argument("--outcome", required=True, help="outcome column (several: a,b; Holm over all)")
        analyse.add_argument("--covariates", default="", help="baseline columns for Lin's adjustment: a,b")
        analyse.add_argument(
            "--strata", default=None, help="column of the randomisation strata (fixed effects)"
        )
        analyse.add_argument("--cluster", default=None, help="column of the clusters that were randomised")
        analyse.add_argument(
            "--se", choices=analysis.SE_CHOICES, default=None, help="hc2 (default), classical or cluster"
        )
        analyse.add_argument(
            "--permutations",
            type=int,
            default=0,
            help="randomisation-inference draws (exact when fewer needed)",
        )
        analyse.add_argument("--seed", type=int, default=0, help="seed of the randomisation-inference draws")
        analyse.add_argument("--json", action="store_true", help="print JSON: one object per arm")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["data"]
        if not path.is_file():
            raise CommandError(f"Het bestand {path} bestaat niet.", returncode=_USAGE_ERROR)
        try:
            data = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python")
        except (csv.Error, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
            raise CommandError(
                f"Het bestand {path} is geen leesbaar CSV-bestand: {error}", returncode=2
            ) from None
        se: analysis.SE = options["se"] or ("cluster" if options["cluster"] else "hc2")
        spec = analysis.Spec(
            arm=options["arm"],
            control=options["control"],
            outcomes=_columns(options["outcome"]),
            covariates=_columns(options["covariates"]),
            strata=options["strata"],
            cluster=options["cluster"],
            se=se,
            permutations=max(0, options["permutations"]),
            seed=options["seed"],
        )
        try:
            result = analysis.analyse(data, spec)
        except analysis.AnalysisError as error:
            raise CommandError(str(error), returncode=_USAGE_ERROR) from None
        if options["json"]:
            self.stdout.write(json.dumps([effect.as_json() for effect in result.effects], indent=2))
            return
        self.stdout.write(f"Schatter: {result.estimator}")
        header = ["uitkomst", "groep", "effect", "se", "ci_low", "ci_high", "p", "p_holm", "n", "n_controle"]
        if spec.permutations:
            header.append("p_loting")
        rows = [header]
        for effect in result.effects:
            row = [
                effect.outcome, effect.arm, _number(effect.effect), _number(effect.se),
                _number(effect.ci_low), _number(effect.ci_high), _number(effect.p), _number(effect.p_holm),
                str(effect.n_treated), str(effect.n_control),
            ]  # fmt: skip
            if effect.p_randomisation is not None:
                row.append(
                    _number(effect.p_randomisation) + (" (exact)" if effect.randomisation_exact else "")
                )
            rows.append(row)
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        for row in rows:
            self.stdout.write("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
        for item in result.attrition:
            missing = ", ".join(f"{arm.arm} {arm.missing}/{arm.assigned}" for arm in item.arms)
            test = "" if item.p_differential is None else f"; gelijke uitval p = {item.p_differential:.4f}"
            self.stdout.write(f"Uitval {item.outcome}: {missing}{test}")
