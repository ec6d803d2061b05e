"""The ``meedoen`` command: Django's management commands with Meedoen's settings.

meedoen demo                 prepare the demo database and serve it on http://127.0.0.1:8000
meedoen serve                serve with gunicorn (HOST, PORT, WEB_CONCURRENCY from the environment)
meedoen seed --size city     fill the database with a deterministic demo municipality set
meedoen createadmin          create a functioneel beheerder for a municipality
meedoen worker               run background jobs (the batch allocation) from the database queue
meedoen match solve …        solve an allocation problem from CSV files (see matching/management)
meedoen council-report …     build a quarter's council report (see programmes/management)
meedoen migrate, check, …    every other Django management command
"""

import os
import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["demo"]:
        # Demo mode prints demo logins and lets demo staff skip the second factor; never set in production.
        os.environ.setdefault("MEEDOEN_DEMO_MODE", "true")
    if argv[:1] == ["worker"]:
        argv = ["db_worker", *argv[1:]]
    if argv[:1] == ["council-report"]:
        argv = ["council_report", *argv[1:]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meedoen.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["meedoen", *argv])


if __name__ == "__main__":
    main()
