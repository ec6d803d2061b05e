"""Production settings: they refuse to start without their secrets, pass Django's deployment checklist
without a single warning once the static files are built, and the built site serves its pages, its error
pages and their stylesheets. ``check --deploy`` fails when the build is missing. Demo data is refused."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import meedoen

# The code under test, also in a child process (an installed copy of the package would win otherwise).
SOURCE_DIR = str(Path(meedoen.__file__).resolve().parent.parent)

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "meedoen.settings.production",
    "SECRET_KEY": "k8Jq2v7sP0xWm3zR6tY9uB1nC4eH5gL8aD0fS2jK7qV3wX6yZ9-production-like-key",
    "DATABASE_URL": "sqlite:///:memory:",
    "ALLOWED_HOSTS": "meedoen.example.nl",
}


def production_env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [SOURCE_DIR, os.environ.get("PYTHONPATH")]))
    inherited = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return inherited | PRODUCTION_ENV | {"PYTHONPATH": path} | extra


# Generous: collectstatic compresses every vendored file, and CI shares two cores with other suites.
TIMEOUT = 600


def django(*args: str, env: dict[str, str], timeout: int = TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "django", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return django("check", "--deploy", "--fail-level", "WARNING", env=env)


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """The production build: collectstatic with production settings into a fresh STATIC_ROOT."""
    root = tmp_path_factory.mktemp("static")
    result = django("collectstatic", "--noinput", env=production_env(STATIC_ROOT=str(root)))
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = production_env()
    del env[missing]
    result = run_check(env)
    assert result.returncode != 0
    assert f"Set {missing}" in result.stderr


def test_check_deploy_is_clean_once_the_static_files_are_built(static_root):
    result = run_check(production_env(STATIC_ROOT=str(static_root)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_fails_without_the_static_build(tmp_path):
    result = run_check(production_env(STATIC_ROOT=str(tmp_path)))
    assert result.returncode != 0
    assert "meedoen.E011" in result.stderr and "collectstatic" in result.stderr


# Requests straight into the WSGI application, as gunicorn would make them, over HTTPS.
SERVE = r"""
import json, re
from wsgiref.util import setup_testing_defaults
from meedoen.wsgi import application

def get(path):
    environ = {"PATH_INFO": path, "HTTP_HOST": "meedoen.example.nl", "SERVER_NAME": "meedoen.example.nl",
               "SERVER_PORT": "443", "wsgi.url_scheme": "https", "HTTPS": "on"}
    setup_testing_defaults(environ)
    answer = {}
    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)
    body = b"".join(application(environ, start_response)).decode("utf-8", "replace")
    return answer | {"body": body}

pages = {path: get(path) for path in ("/inloggen/", "/bestaat-niet/")}
linked = sorted({href for page in pages.values()
                 for href in re.findall(r'href="(/static/[^"]+\.css)"', page["body"])})
files = {href: get(href) for href in linked}
print(json.dumps({
    "pages": {path: {"status": page["status"], "body": page["body"][:20000]} for path, page in pages.items()},
    "stylesheets": {href: {"status": f["status"], "type": f["headers"].get("Content-Type", ""),
                           "size": len(f["body"])} for href, f in files.items()},
}))
"""


def test_the_built_site_serves_pages_error_pages_and_their_stylesheets(static_root):
    env = production_env(STATIC_ROOT=str(static_root))
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SERVE],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout)
    login, missing = served["pages"]["/inloggen/"], served["pages"]["/bestaat-niet/"]
    assert login["status"] == 200 and "Inloggen" in login["body"]
    assert missing["status"] == 404 and "niet gevonden" in missing["body"].lower()
    stylesheets = served["stylesheets"]
    # Hashed names from the manifest, one for each stylesheet the layout links: all served.
    assert len(stylesheets) == 3, stylesheets
    assert any("/static/vendor/utrecht/index." in href for href in stylesheets)
    for href, stylesheet in stylesheets.items():
        assert stylesheet["status"] == 200 and stylesheet["type"].startswith("text/css"), href
        assert stylesheet["size"] > 100, href


def test_the_demo_command_refuses_a_production_database(tmp_path):
    database = tmp_path / "production.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "meedoen.cli", "demo", "--no-serve", "--size", "small"],
        env=production_env(DATABASE_URL=f"sqlite:///{database}", MEEDOEN_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode != 0
    assert "Demogegevens horen niet in een productiedatabase" in result.stderr
    assert "Nothing was written" in result.stderr
    if database.exists():  # no table was made, let alone filled
        with sqlite3.connect(database) as connection:
            assert connection.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
