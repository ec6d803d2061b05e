"""``meedoen language check [--municipality SLUG] FILE [--json]``: check a text file as the live check does.

Without ``--municipality`` the programme's start list (``language/glossary.csv``) is the glossary."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meedoen.language import checker, seed, selectors

KIND_NAMES = {
    "rare_word": "weinig gebruikt woord",
    "long_sentence": "lange zin",
    "dense_clause": "zinsdeel met veel inhoudswoorden",
    "abstract_noun": "abstract woord",
}


def start_glossary() -> checker.Glossary:
    return checker.Glossary(
        checker.Entry(
            row.avoid,
            (row.prefer,),
            row.why,
            tuple(seed.EXCEPTIONS.get(row.avoid, ())),
            tuple(seed.NAMES.get(row.avoid, ())),
        )
        for row in seed.read_seed()
    )


class Command(BaseCommand):
    help = "Controleer een tekst op woorden uit de woordenlijst en op leesbaarheid (B1)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Controleer een tekstbestand.")
        check.add_argument("file", type=Path)
        check.add_argument("--municipality", help="De korte naam (slug) van de gemeente.")
        check.add_argument("--json", action="store_true", help="Schrijf de uitkomst als JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Kan {path} niet lezen: {error}") from error
        if options["municipality"]:
            municipality = selectors.municipality_by_slug(options["municipality"])
            if municipality is None:
                raise CommandError(f"Geen gemeente met de korte naam {options['municipality']!r}.")
            glossary = selectors.glossary_for(municipality)
        else:
            glossary = start_glossary()
        report = checker.check(text, glossary)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        readability = report.readability
        level = "B1 of makkelijker" if readability.b1 else "moeilijker dan B1"
        self.stdout.write(
            f"Leesbaarheid: {level} (niveau {readability.level} van 4, score {readability.score}; "
            f"Flesch-Douma {readability.flesch_douma})"
        )
        for name, value in readability.features.items():
            self.stdout.write(f"  {name}: {value}")
        for finding in readability.findings:
            line = text.count("\n", 0, finding.start) + 1
            self.stdout.write(f"regel {line}: {KIND_NAMES[finding.kind]}: {finding.text[:80]}")
        if not report.hits:
            self.stdout.write("Geen woorden uit de woordenlijst gevonden.")
        for hit in report.hits:
            line = text.count("\n", 0, hit.start) + 1
            alternatives = ", ".join(hit.alternatives)
            self.stdout.write(f"regel {line}: {hit.text!r} → gebruik liever: {alternatives}. {hit.why}")
