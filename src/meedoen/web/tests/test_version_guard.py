"""Meedoen refuses to start on a Django, redis or django-otp version its tests have not run on
(meedoen/versions.py): prepared.py and redis_cache.py read private attributes of the first two, and
accounts/middleware.py keeps django-otp's middleware contract itself."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from meedoen import versions

SRC = Path(__file__).resolve().parents[3]

# Starts Django as every process does (django.setup), with importlib.metadata reporting another Django.
START_ON_DJANGO_6 = """
from importlib import metadata
real = metadata.version
metadata.version = lambda name: "6.0.1" if name == "django" else real(name)
import django
django.setup()
print("started")
"""


def _start(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != versions.ALLOW_VARIABLE}
    env |= {"PYTHONPATH": str(SRC), "DJANGO_SETTINGS_MODULE": "meedoen.settings.test", **env_extra}
    return subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", START_ON_DJANGO_6],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_installed_versions_are_the_tested_ones():
    assert versions.untested(versions.installed_versions()) == []


def test_a_patch_release_of_the_tested_series_starts():
    versions.check_versions({"django": "5.2.25", "redis": "8.1.4"}, allow=False)


def test_another_series_is_refused_with_what_to_do():
    with pytest.raises(ImproperlyConfigured) as refused:
        versions.check_versions({"django": "6.0.1", "redis": "8.1.0"}, allow=False)
    message = str(refused.value)
    assert "django 6.0.1 is installed; Meedoen's tests ran on django 5.2.x" in message
    assert "MEEDOEN_ALLOW_UNTESTED_VERSIONS=1" in message
    assert "docs/decisions/0007-pinned-internals.md" in message
    with pytest.raises(ImproperlyConfigured, match=r"redis 9\.0\.0 is installed"):
        versions.check_versions({"django": "5.2.19", "redis": "9.0.0"}, allow=False)


def test_start_up_fails_on_an_untested_django_unless_allowed():
    refused = _start({})
    assert refused.returncode != 0
    assert "django 6.0.1 is installed; Meedoen's tests ran on django 5.2.x" in refused.stderr
    allowed = _start({versions.ALLOW_VARIABLE: "1"})
    assert allowed.returncode == 0, allowed.stderr
    assert "started" in allowed.stdout


def test_another_django_otp_series_is_refused_and_names_its_tests():
    """accounts/middleware.py keeps django-otp's middleware contract itself (decision 0011)."""
    versions.check_versions({"django": "5.2.19", "redis": "8.1.0", "django-otp": "1.7.9"}, allow=False)
    with pytest.raises(ImproperlyConfigured) as refused:
        versions.check_versions({"django": "5.2.19", "redis": "8.1.0", "django-otp": "1.8.0"}, allow=False)
    message = str(refused.value)
    assert "django-otp 1.8.0 is installed; Meedoen's tests ran on django-otp 1.7.x" in message
    assert "test_otp_middleware.py" in message
    assert "test_prepared.py" not in message  # only the checks of the library that changed
