import os
import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Meedoen with gunicorn on HOST:PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", default=default_workers())

    def handle(self, *args: Any, host: str, port: str, workers: str, **options: Any) -> None:
        serve(host, port, workers)


def default_workers() -> str:
    """``WEB_CONCURRENCY``, else one sync worker per core plus one: the pages are CPU-bound, and on 2 cores
    3 sync workers answered the caseload with a p95 of 49 ms where 2 workers of 4 threads took 145 ms
    (threads of one process wait for each other's Python; bench/http_bench.py --threads)."""
    return os.environ.get("WEB_CONCURRENCY") or str((os.cpu_count() or 1) + 1)


def serve(host: str, port: str, workers: str) -> None:
    """Replace this process with gunicorn, keeping the environment (settings module, demo mode)."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "meedoen.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--access-logfile",
        "-",
        "--access-logformat",
        '%(t)s "%(m)s %(U)s" %(s)s %(M)sms',  # the path only: query strings may hold search terms
    ]
    sys.stdout.flush()
    os.execv(sys.executable, command)  # noqa: S606 - a fixed command line, no shell
