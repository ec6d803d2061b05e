"""``meedoen budget report --municipality SLUG --year YYYY --format csv|json``

Prints the budget per funding source of one municipality's year: budget (after mutations), committed,
invoiced, paid and free, and the total. Amounts are strings with two decimals, as in the API."""

import csv
import io
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meedoen.budgets import selectors

FIELDS = ("budget", "committed", "invoiced", "paid", "free")


class Command(BaseCommand):
    help = "Budget reports of a municipality's budget year."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        report = sub.add_parser("report", help="print the budget per funding source")
        report.add_argument("--municipality", required=True, help="the municipality's slug")
        report.add_argument("--year", type=int, required=True)
        report.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = selectors.municipality_by_slug(options["municipality"])
        if municipality is None:
            raise CommandError(f"no municipality with slug {options['municipality']!r}")
        budget_year = selectors.budget_year_of(municipality.pk, options["year"])
        if budget_year is None:
            raise CommandError(f"{municipality.slug} has no budget year {options['year']}")
        rows, total = selectors.sources_report(budget_year, today=timezone.localdate())
        table = [
            {
                "funding_source": row.label,
                "budget": str(row.balance.available),
                "committed": str(row.balance.net_committed),
                "invoiced": str(row.balance.invoiced),
                "paid": str(row.balance.paid),
                "free": str(row.balance.free),
            }
            for row in [*rows, total]
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(table, ensure_ascii=False, indent=2))
            return
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=["funding_source", *FIELDS], lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
        self.stdout.write(out.getvalue(), ending="")
