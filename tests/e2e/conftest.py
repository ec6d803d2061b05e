"""Browser tests: a real Chromium (Debian's, never a downloaded one) against pytest-django's live server.

Outside CI a missing Chromium or axe-core skips these tests; with CI=true it fails them, so a CI image without
the browser cannot pass silently.
"""

import os
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, connections
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from meedoen.audit.triggers import TABLES, create_statements, drop_statements

# Generous waits: they cost time only when a test fails, and a slow CI machine needs seconds for the first
# page of a run (templates compile on first use).
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules/axe-core/axe.min.js"
CHROMIUM_PATH = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _unavailable(reason: str) -> None:
    """Skip locally, fail in CI: a CI run must really have exercised the browser."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run here)", pytrace=False)
    pytest.skip(reason)


def _chromium() -> str | None:
    if CHROMIUM_PATH.is_file() and os.access(CHROMIUM_PATH, os.X_OK):
        return str(CHROMIUM_PATH)
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    executable = _chromium()
    if executable is None:
        _unavailable("Chromium is not installed: apt-get install chromium")
    assert executable is not None
    return executable


class _OneRequestAtATimeServer(ThreadedWSGIServer):
    """Django's live server, but with a shared database connection it lets one request at a time into the app.

    On in-memory SQLite every thread of the live server uses the test's one connection. A page that loads
    two htmx sections at once (the resident file loads its route and its placements) then runs two
    transactions on that connection together, and SQLite refuses the second one ("cannot start a
    transaction within a transaction"): a failure of the test set-up, not of the app, and a random one.
    Sockets are still served by a thread each; only the application call and the reading of its response
    are serialised. With a connection per thread (PostgreSQL) nothing is shared and nothing is serialised.
    """

    def set_app(self, application: Any) -> None:
        if not self.connections_override:
            super().set_app(application)
            return
        lock = threading.Lock()

        def one_at_a_time(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            with lock:
                response = application(environ, start_response)
                try:
                    return list(response)
                finally:
                    close = getattr(response, "close", None)
                    if close is not None:
                        close()  # fires request_finished while this request still holds the connection

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server (same address rules) with the serialising server class above."""
    addr = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    server = LiveServer(addr, start=False)
    server.thread.server_class = _OneRequestAtATimeServer  # read when the thread creates its server
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser(chromium_executable: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """A Chromium for one test.

    While Playwright's sync API is started, an asyncio loop counts as running in this thread, and Django
    refuses ORM calls from it (SynchronousOnlyOperation); DJANGO_ALLOW_ASYNC_UNSAFE lifts that. Both are kept
    to the test: set in os.environ for the whole run, the variable reaches subprocesses
    (web/tests/test_deploy.py runs ``check --deploy``, which fails on it with async.E001), and a session-wide
    Playwright would leave the loop running for every later test. Playwright stops before the live server's
    database flush.

    With a loop running, Django also keeps its connections apart from the thread's normal ones (asgiref's
    thread-critical Local switches to context storage), so a connection opened meanwhile is not the one the
    teardown closes; on PostgreSQL it would stay open and block dropping the test database. Hence: create
    the data before the browser (list the data fixtures before ``page``), and close such connections here.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Makes pages, each in a fresh browser context (no cookies), with relative URLs resolved against the
    live server; ``axe=True`` lets axe-core be injected (the app's CSP, script-src 'self', would block it)."""
    contexts: list[BrowserContext] = []

    def make(*, axe: bool = False) -> Page:
        context = browser.new_context(base_url=live_server.url, locale="nl-NL", bypass_csp=axe)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def axe_page(new_page: Callable[..., Page], axe_script: Path) -> Page:
    return new_page(axe=True)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE_PATH.is_file():
        _unavailable(f"axe-core is not installed at {AXE_PATH}: run npm ci in the repository root")
    return AXE_PATH


def _execute(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(autouse=True)
def _append_only_log_survives_flush(transactional_db) -> Iterator[None]:
    """Let the live server's flush at teardown get past the processing log's append-only triggers.

    ``transactional_db`` empties every table with DELETE FROM after the test; the triggers from migration
    audit/0002 abort any DELETE on SQLite. So after the test the triggers go, the log is emptied, and the
    triggers come back at once: row triggers do not fire on empty tables, so the flush passes, and later tests
    in the same run (e.g. the audit tests that check the database refuses a DELETE) still find them.
    On PostgreSQL the flush is a TRUNCATE, which the triggers do not block; this is harmless there.
    """
    vendor = connection.vendor
    _execute(drop_statements(vendor) + create_statements(vendor))
    yield
    # Subjects first: they point at their entry (on_delete=PROTECT). The table names are constants.
    emptying = [f"DELETE FROM {connection.ops.quote_name(table)}" for table in reversed(TABLES)]  # noqa: S608
    _execute([*drop_statements(vendor), *emptying])
    _execute(create_statements(vendor))
