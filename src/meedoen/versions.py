"""The start-up guard for the modules that lean on a library more than its ordinary use: ``prepared.py``
(Django's SQL compiler and QuerySet) and ``redis_cache.py`` (Django's Redis cache client, which builds
redis-py clients) read private attributes; ``accounts/middleware.py`` and ``accounts/selectors.py`` keep
django-otp's middleware contract themselves (``user.otp_device``, ``is_verified()``, the device stored by
``django_otp.login`` under ``DEVICE_ID_SESSION_KEY`` and named by its ``persistent_id``), on its documented
API only (decision 0011). Their tests ran on the release series below, the ones ``requirements.lock`` pins;
on any other series Meedoen refuses to start, with a message that says what to do (decision 0007). To try a
new version on purpose (to run the tests on it), set ``MEEDOEN_ALLOW_UNTESTED_VERSIONS=1``."""

import logging
from collections.abc import Mapping
from importlib import metadata

from django.core.exceptions import ImproperlyConfigured

# The release series (major.minor) the suite ran on; requirements.lock pins django 5.2.19, redis 8.1.0 and
# django-otp 1.7.5.
TESTED = {"django": "5.2", "redis": "8.1", "django-otp": "1.7"}
# What to run before trusting a new series, per distribution.
CHECKS = {
    "django": "tests/test_prepared.py",
    "redis": "src/meedoen/accounts/tests/test_shared_sessions.py",
    "django-otp": "src/meedoen/accounts/tests/test_otp_middleware.py and test_login.py",
}
ALLOW_VARIABLE = "MEEDOEN_ALLOW_UNTESTED_VERSIONS"

logger = logging.getLogger(__name__)


def installed_versions() -> dict[str, str]:
    """The installed version of each guarded distribution (a missing one is left out)."""
    found = {}
    for name in TESTED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found


def _untested_names(installed: Mapping[str, str]) -> list[str]:
    return [
        name
        for name, version in sorted(installed.items())
        if ".".join(version.split(".")[:2]) != TESTED[name]
    ]


def untested(installed: Mapping[str, str]) -> list[str]:
    """One line per guarded distribution whose installed release series the tests have not run on."""
    return [
        f"{name} {installed[name]} is installed; Meedoen's tests ran on {name} {TESTED[name]}.x"
        for name in _untested_names(installed)
    ]


def check_versions(installed: Mapping[str, str], *, allow: bool) -> None:
    """Refuse to start on an untested version (or only log it, when ``allow`` is set)."""
    problems = untested(installed)
    if not problems:
        return
    message = (
        "; ".join(problems)
        + ". meedoen/prepared.py and meedoen/redis_cache.py read private attributes of Django and redis-py, "
        + "meedoen/accounts/middleware.py keeps django-otp's middleware contract. Run "
        + ", ".join(CHECKS[name] for name in _untested_names(installed))
        + f" and the suite with {ALLOW_VARIABLE}=1, re-measure as "
        + "docs/decisions/0007-pinned-internals.md says, then update TESTED in meedoen/versions.py."
    )
    if not allow:
        raise ImproperlyConfigured(message)
    logger.warning("Untested versions allowed: %s", message)
