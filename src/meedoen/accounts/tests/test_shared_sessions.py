"""Sessions in the shared cache (Redis, when REDIS_URL is set): read from Redis, still written to the
database, and gone everywhere at logout. CI runs these against the machine's Redis; elsewhere they skip
without it."""

import os
import socket
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.accounts.tests.test_login import code_for, password_step
from meedoen.settings.base import cache_settings

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("MEEDOEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def shared_cache():
    if not _redis_reachable():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                "CI=true but Redis is not reachable on 127.0.0.1:6379: the session tests must run there."
            )
        pytest.skip(
            "Redis is not reachable on 127.0.0.1:6379 (start it to test sessions in the shared cache)"
        )
    # What the settings make of REDIS_URL; a prefix of its own, so runs in parallel do not share keys.
    caches, engine = cache_settings(REDIS_URL, f"meedoen-test-{uuid.uuid4().hex[:8]}")
    with override_settings(CACHES=caches, SESSION_ENGINE=engine):
        yield cache
        cache.clear()


def test_a_login_lives_in_redis_and_the_database_and_logout_ends_both(alice, shared_cache):
    device = TOTPDeviceFactory(user=alice.user)
    client = Client()
    password_step(client, "alice")
    client.post(reverse("accounts:verify"), {"code": code_for(device)})
    assert client.get(reverse("web:home")).status_code == 200

    key = client.cookies["sessionid"].value
    assert shared_cache.get(f"django.contrib.sessions.cached_db{key}") is not None
    assert Session.objects.filter(session_key=key).exists()

    client.post(reverse("accounts:logout"))
    assert shared_cache.get(f"django.contrib.sessions.cached_db{key}") is None
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie no longer opens anything.
    again = Client()
    again.cookies["sessionid"] = key
    assert again.get(reverse("web:home")).status_code == 302


def test_a_session_survives_a_redis_restart(alice, shared_cache):
    device = TOTPDeviceFactory(user=alice.user)
    client = Client()
    password_step(client, "alice")
    client.post(reverse("accounts:verify"), {"code": code_for(device)})
    shared_cache.clear()  # what a restarted Redis looks like: it keeps nothing on disk
    assert client.get(reverse("web:home")).status_code == 200
