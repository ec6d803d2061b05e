"""Load a file of dated norms and rules into a municipality:
``django-admin switching_normen apeldoorn [--bestand pad.csv]`` (without --bestand: the 2026 file)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meedoen.errors import RuleError
from meedoen.municipalities.models import Municipality
from meedoen.switching import actions


class Command(BaseCommand):
    help = (
        "Laad bijstandsnormen, vrijlatingen, minimumlonen en loonheffing (met datum en bron) in een gemeente."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("gemeente", help="De slug van de gemeente, bijvoorbeeld apeldoorn.")
        parser.add_argument("--bestand", type=Path, default=actions.PUBLISHED_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(slug=options["gemeente"]).first()
        if municipality is None:
            raise CommandError(f"Geen gemeente met de slug {options['gemeente']!r}.")
        try:
            with options["bestand"].open(encoding="utf-8") as handle:
                added = actions.do_load_figures(handle, actor=None, municipality_id=municipality.pk)
        except (OSError, RuleError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{added} normen en regels geladen in {municipality.name}.")
