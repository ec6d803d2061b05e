"""``meedoen indicators --municipality SLUG --period YYYY-MM|YYYY-QN [--json]``

Prints every indicator of the municipality for a month or a quarter: value, target and whether the value is
suppressed (fewer than 5 residents). Read from the monthly rollup; a month that was never computed is
computed first (as the background job would)."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meedoen.programmes import rollup, rules, selectors


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class Command(BaseCommand):
    help = "Every indicator's value, target and suppressed flag for a month or quarter."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--municipality", required=True, help="the municipality's slug")
        parser.add_argument("--period", required=True, help="YYYY-MM or YYYY-QN")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = selectors.municipality_by_slug(options["municipality"])
        if municipality is None:
            raise CommandError(f"no municipality with slug {options['municipality']!r}")
        try:
            period = rules.parse_period(options["period"])
        except rules.FormulaError as error:
            raise CommandError(f"--period: {error.message}") from None
        today = timezone.localdate()
        for month in period.months:
            if month <= today and not selectors.has_month(municipality.pk, month):
                rollup.build_month(municipality.pk, month, today=today)
        lines = selectors.indicator_report(municipality.pk, period)
        table = [
            {
                "code": line.code,
                "name": line.name,
                "unit": line.unit,
                "value": _text(line.value),
                "target": _text(line.target),
                "suppressed": line.suppressed,
            }
            for line in lines
        ]
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"municipality": municipality.slug, "period": period.label, "indicators": table},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for row in table:
            value = "<5" if row["suppressed"] else (row["value"] or "-")
            self.stdout.write(f"{row['code']:<24} {value:>14} {row['target'] or '-':>10} {row['unit']}")
