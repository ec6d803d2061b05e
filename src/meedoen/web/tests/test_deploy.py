"""Production settings pass Django's deployment checklist without a single warning."""

import os
import subprocess
import sys

import pytest


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "meedoen.settings.production",
    "SECRET_KEY": "k8Jq2v7sP0xWm3zR6tY9uB1nC4eH5gL8aD0fS2jK7qV3wX6yZ9-production-like-key",
    "DATABASE_URL": "sqlite:///:memory:",
    "ALLOWED_HOSTS": "meedoen.example.nl",
}


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV} | PRODUCTION_ENV
    del env[missing]
    result = run_check(env)
    assert result.returncode != 0
    assert f"Set {missing}" in result.stderr


def test_check_deploy_is_clean():
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV} | PRODUCTION_ENV
    result = run_check(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
