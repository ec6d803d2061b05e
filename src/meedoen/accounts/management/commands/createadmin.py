import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from meedoen.accounts.actions import do_create_user
from meedoen.accounts.policies import Role
from meedoen.accounts.selectors import username_taken
from meedoen.municipalities.models import Municipality


class Command(BaseCommand):
    help = "Create a functioneel beheerder (municipal administrator) for one municipality."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--municipality", required=True, help="slug of the municipality, e.g. apeldoorn")
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--password", help="read from the terminal when left out")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            municipality = Municipality.objects.get(slug=options["municipality"])
        except Municipality.DoesNotExist:
            raise CommandError(f"Unknown municipality {options['municipality']!r}.") from None
        if username_taken(options["username"]):  # before asking for a password; the action checks again
            raise CommandError(f"User {options['username']!r} exists already.")
        password = options["password"] or getpass.getpass("Password: ")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user, _ = do_create_user(
            username=options["username"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
            password=password,
            municipality=municipality,
            role=Role.ADMIN,
            actor=None,
        )
        self.stdout.write(f"Created functioneel beheerder {user.username} for {municipality.name}.")
        self.stdout.write("At the first login they link an authenticator app (TOTP).")
