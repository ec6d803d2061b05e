"""``meedoen council-report --municipality SLUG --quarter YYYY-QN --out FILE.pdf [--user USERNAME]``

Builds the council report of a quarter now (not through the worker), stores it like one made on the screen,
and writes its PDF to FILE (the CSV and XLSX beside it, with their own extension). The report is made with
the rights of a programme manager of the municipality: ``--user``, or the first active one. It holds
aggregates only, small cells suppressed."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from meedoen.accounts.actor import Actor
from meedoen.errors import RuleError
from meedoen.programmes import actions, rules, selectors
from meedoen.programmes.council_report import do_build_council_report


class Command(BaseCommand):
    help = "Build a quarter's council report (PDF, and CSV and XLSX beside it)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--municipality", required=True, help="the municipality's slug")
        parser.add_argument("--quarter", required=True, help="YYYY-QN")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--user", help="username of the programme manager it is made for")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = selectors.municipality_by_slug(options["municipality"])
        if municipality is None:
            raise CommandError(f"no municipality with slug {options['municipality']!r}")
        try:
            period = rules.parse_period(options["quarter"])
        except rules.FormulaError as error:
            raise CommandError(f"--quarter: {error.message}") from None
        membership = selectors.report_maker(municipality.pk, options.get("user"))
        if membership is None:
            raise CommandError("no active programme manager of this municipality (or --user) to make it for")
        actor = Actor(membership.user, membership, "cli:council-report")
        try:
            report = actions.do_request_council_report(period, actor=actor, queue=False)
        except (RuleError, PermissionDenied) as error:
            raise CommandError(f"--quarter: {getattr(error, 'message', error)}") from None
        report = do_build_council_report(report.pk)
        if report.status != report.Status.DONE:  # marked failed meanwhile: a new one was asked for
            raise CommandError(f"{report.quarter}: the report was not made (status {report.status})")
        out = Path(options["out"])
        out.write_bytes(bytes(report.pdf))
        out.with_suffix(".csv").write_text(report.csv, encoding="utf-8")
        out.with_suffix(".xlsx").write_bytes(bytes(report.xlsx))
        self.stdout.write(f"{report.quarter}: {out} ({len(report.pdf)} bytes), {len(report.tables)} tables")
