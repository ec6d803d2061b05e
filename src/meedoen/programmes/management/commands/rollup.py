"""``meedoen rollup [--municipality SLUG] [--month YYYY-MM] [--no-successes]``

Refreshes the monthly rollup of the indicators: without ``--month`` the current month and, when it is not
final yet, the month before (run it nightly), and any closed month of the year before them whose figures
still lack the cells of two filters at once (once, after the upgrade that added them). A closed month is
computed once and then left alone.

Then it proposes each municipality's new successes from the data (a rung climbed, a first paid month), as
the caseworkers' button *Nieuwe successen zoeken* does for their own caseload, for every caseload at once
and without a person (``successes.do_propose_nightly``): running it twice proposes nothing twice.

And it plans the next review of each resident whose experiment arm with its own review rhythm stopped
applying on a day recorded ahead, by the route's normal rules again, where the rhythm's date still stands
(``routes.actions.do_replan_reviews_nightly``; a date a caseworker chose stays, and a second run changes
nothing)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from meedoen.catalogue.rules import add_months
from meedoen.programmes import rollup, rules, selectors, successes
from meedoen.programmes.selectors import TREND_MONTHS
from meedoen.routes.actions import do_replan_reviews_nightly


class Command(BaseCommand):
    help = (
        "Refresh the monthly rollup of the indicators, plan again the reviews of residents whose experiment "
        "arm ended, and propose the new successes."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--municipality", help="the municipality's slug (default: all)")
        parser.add_argument("--month", help="YYYY-MM (default: this month and the last)")
        parser.add_argument(
            "--no-successes", action="store_true", help="only the rollup: propose no new successes"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        this = rules.month_of(today)
        if options["municipality"]:
            municipality = selectors.municipality_by_slug(options["municipality"])
            if municipality is None:
                raise CommandError(f"no municipality with slug {options['municipality']!r}")
            municipalities = successes_of = [municipality]
        else:
            municipalities = selectors.municipalities_with_indicators()
            successes_of = selectors.all_municipalities()
        if options["month"]:
            try:
                months = list(rules.parse_period(options["month"]).months)
            except rules.FormulaError as error:
                raise CommandError(f"--month: {error.message}") from None
        else:
            months = [add_months(this, -1), this]
        earlier = [add_months(this, -i) for i in range(TREND_MONTHS + 1, 1, -1)]  # the year before those
        for municipality in municipalities:
            lacking = [] if options["month"] else rollup.months_lacking_pairs(municipality.pk, earlier)
            for month in [*lacking, *months]:
                cells = rollup.build_month(municipality.pk, month, today=today)
                self.stdout.write(f"{municipality.slug} {month:%Y-%m}: {cells} cells")
        for municipality in successes_of:
            moved = do_replan_reviews_nightly(municipality.pk, today=today)
            self.stdout.write(f"{municipality.slug}: {len(moved)} review dates planned again")
        if options["no_successes"]:
            return
        for municipality in successes_of:
            new = successes.do_propose_nightly(municipality.pk, today=today)
            self.stdout.write(f"{municipality.slug}: {len(new)} new successes proposed")
