"""The second factor of a session (meedoen.accounts.middleware.OTPMiddleware, decision 0011): a session
counts as verified only while the device it was verified with is a confirmed device of its user, and the
usual case reads no device of its own."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts.middleware import SESSION_KEY
from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.accounts.tests.test_login import code_for, password_step

pytestmark = pytest.mark.django_db

DEVICE_TABLE = "otp_totp_totpdevice"


def _session_with(membership, persistent_id: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = str(membership.pk)
    session[DEVICE_ID_SESSION_KEY] = persistent_id
    session.save()
    return client


def _device_reads(queries: CaptureQueriesContext) -> list[str]:
    """The queries that read authenticator apps, other than the session user's own read."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if DEVICE_TABLE in q["sql"] and "accounts_membership" not in q["sql"]
    ]


def _is_logged_out(client: Client) -> bool:
    response = client.get(reverse("web:home"))
    return response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_real_login_is_verified_without_reading_the_app_again(alice):
    """After password and code (django_otp.login stores the device), a page reads no device of its own:
    the session user's read brings the app's id along. This pins what the middleware relies on."""
    device = TOTPDeviceFactory(user=alice.user)
    client = Client()
    password_step(client, "alice")
    client.post(reverse("accounts:verify"), {"code": code_for(device)})

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert "Gemeente Apeldoorn" in response.content.decode()
    assert _device_reads(queries) == []
    user = response.wsgi_request.user
    assert user.is_verified()
    assert user.otp_device.pk == device.pk
    assert user.otp_device.name == "app"  # the fields not read with the user load when used


def test_a_deleted_app_no_longer_counts(alice):
    device = TOTPDeviceFactory(user=alice.user)
    client = _session_with(alice, device.persistent_id)
    assert client.get(reverse("web:home")).status_code == 200

    TOTPDevice.objects.filter(user=alice.user).delete()  # as "reset second factor" does
    client.get(reverse("web:health"))
    assert DEVICE_ID_SESSION_KEY not in client.session  # the stale id leaves the session
    assert _is_logged_out(client)


def test_an_unconfirmed_app_does_not_count(alice):
    device = TOTPDeviceFactory(user=alice.user)
    client = _session_with(alice, device.persistent_id)
    assert client.get(reverse("web:home")).status_code == 200

    device.confirmed = False
    device.save()
    assert _is_logged_out(client)


def test_another_users_app_does_not_count(alice, wendy):
    TOTPDeviceFactory(user=alice.user)  # alice has an app of her own, but the session names wendy's
    theirs = TOTPDeviceFactory(user=wendy.user)
    assert _is_logged_out(_session_with(alice, theirs.persistent_id))


@pytest.mark.parametrize("persistent_id", ["otp_totp.totpdevice/999999", "otp_totp.totpdevice/x", "onzin"])
def test_a_made_up_device_id_does_not_count(alice, persistent_id):
    TOTPDeviceFactory(user=alice.user)
    assert _is_logged_out(_session_with(alice, persistent_id))


def test_an_older_confirmed_app_still_counts_with_one_read(alice):
    """The user's read brings their latest app; a session verified with an older one reads it."""
    older = TOTPDeviceFactory(user=alice.user)
    TOTPDeviceFactory(user=alice.user)
    client = _session_with(alice, older.persistent_id)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert response.wsgi_request.user.otp_device == older
    assert len(_device_reads(queries)) == 1


def test_a_session_without_a_code_is_not_verified_and_reads_no_app(alice):
    TOTPDeviceFactory(user=alice.user)
    client = Client()
    client.force_login(alice.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:health"))
    assert response.wsgi_request.user.is_verified() is False
    assert response.wsgi_request.user.otp_device is None
    assert _device_reads(queries) == []


def test_an_anonymous_visitor_is_not_verified(db):
    response = Client().get(reverse("web:health"))
    assert response.wsgi_request.user.is_verified() is False
