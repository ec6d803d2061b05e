import ctypes
import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from meedoen.demo import generator
from meedoen.demo.portal import demo_digid_logins
from meedoen.web.management.commands.serve import default_workers, serve


class Command(BaseCommand):
    help = "Prepare the demo database (migrate, load the demo once) and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--size", choices=list(generator.SIZES), default="city")
        parser.add_argument("--no-serve", action="store_true", help="prepare only")
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args: Any, size: str, no_serve: bool, port: str, **options: Any) -> None:
        try:
            generator.refuse_in_production()  # before migrate: nothing is written
        except generator.DemoRefused as refused:
            raise CommandError(str(refused)) from None
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if generator.is_prepared():
            self.stdout.write(
                "The demo database is there already; keeping it (make demo-reset starts afresh)."
            )
        else:
            self.stdout.write(f"Building the demo ({size}); this takes about a quarter of a minute…")
            counts = generator.generate(size=size)
            self.stdout.write(", ".join(f"{slug}: {n} inwoners" for slug, n in counts.items()))
        self.print_logins()
        if not no_serve:
            self.stdout.write(f"\nMeedoen runs on http://127.0.0.1:{port}  (stop with Ctrl-C)\n")
            # A background worker for jobs such as the batch allocation. It stops with the server: Ctrl-C
            # reaches the whole process group, and on Linux the worker is also told when the server (this
            # process, after exec) ends some other way, such as a kill.
            subprocess.Popen(
                [sys.executable, "-m", "django", "db_worker", "--no-reload", "--no-startup-delay"],
                env=os.environ.copy(),
                preexec_fn=_end_with_parent,  # only a prctl call, before exec
            )
            serve("127.0.0.1", port, default_workers())

    def print_logins(self) -> None:
        self.stdout.write("\nDemo logins (synthetic data; every password is the same):\n")
        self.stdout.write(f"{'gemeente':<10} {'rol':<22} {'gebruikersnaam':<20} wachtwoord")
        self.stdout.write("-" * 72)
        for login in generator.demo_logins():
            self.stdout.write(
                f"{login.municipality:<10} {login.role:<22} {login.username:<20} {login.password}"
            )
        self.print_digid_logins()
        if settings.MEEDOEN_DEMO_MODE:
            self.stdout.write(
                "\nDemo mode: demo staff skip the code from an authenticator app. "
                "New staff accounts you create do link an app (TOTP) at their first login."
            )

    def print_digid_logins(self) -> None:
        """Residents log in with DigiD: in the demo through the library's mock identity provider."""
        if not settings.MEEDOEN_DIGID_MOCK:
            return
        self.stdout.write(
            "\nResidents (Mijn Meedoen, docs/portal.md): open /mijn/inloggen/, choose the municipality, "
            "'Inloggen met DigiD', then 'Met burgerservicenummer' at the mock DigiD, and type the BSN:"
        )
        for login in demo_digid_logins():
            self.stdout.write(f"{login.municipality:<10} {login.name:<32} BSN {login.bsn}")


_PR_SET_PDEATHSIG = 1


def _end_with_parent() -> None:
    """In the worker, before it starts: ask Linux for SIGTERM when the parent process ends."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
