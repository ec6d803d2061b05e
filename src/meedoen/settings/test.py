"""Settings for the test suite.

SQLite in memory by default; PostgreSQL with MEEDOEN_TEST_DATABASE=postgres."""

import os

from meedoen.settings.base import *  # noqa: F403
from meedoen.settings.base import POSTGRES_OPTIONS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEEDOEN_DEMO_MODE = False
DEBUG = False

if os.environ.get("MEEDOEN_TEST_DATABASE") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.environ.get("MEEDOEN_TEST_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("MEEDOEN_TEST_PG_PORT", "5432"),
            "USER": os.environ.get("MEEDOEN_TEST_PG_USER", "postgres"),
            "PASSWORD": os.environ.get("MEEDOEN_TEST_PG_PASSWORD", ""),
            # pytest-django creates test_<NAME> and drops it afterwards: a throwaway database per run.
            "NAME": f"meedoen_{os.getpid()}",
            "OPTIONS": {**POSTGRES_OPTIONS, "connect_timeout": 3},
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"handlers": [], "level": "CRITICAL"}}

# Tasks run at once, in the test's own transaction.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The tests log residents in through DigiD's mock identity provider (docs/portal.md).
MEEDOEN_DIGID_MOCK = True
AUTHENTICATION_BACKENDS = [
    *[b for b in AUTHENTICATION_BACKENDS if not b.startswith("meedoen.portal.")],  # noqa: F405
    "meedoen.portal.backends.MockDigiDBackend",
]
