from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meedoen.demo import generator


class Command(BaseCommand):
    help = "Fill the database with the deterministic, synthetic demo municipalities (Apeldoorn, Epe, Oss)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--size", choices=list(generator.SIZES), default="city")
        parser.add_argument("--seed", type=int, default=2017)

    def handle(self, *args: Any, size: str, seed: int, **options: Any) -> None:
        try:
            counts = generator.generate(size=size, seed=seed)
        except (ValueError, FileNotFoundError, generator.DemoRefused) as error:
            raise CommandError(str(error)) from None
        for slug, count in counts.items():
            self.stdout.write(f"{slug}: {count} residents")
