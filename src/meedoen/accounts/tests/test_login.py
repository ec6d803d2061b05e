"""Logging in with a password and a code from an authenticator app; lockout; logout; roles."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts.tests.factories import PASSWORD, MembershipFactory, TOTPDeviceFactory

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def password_step(client: Client, username: str, password: str = PASSWORD, next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def test_staff_login_needs_password_and_code(alice):
    device = TOTPDeviceFactory(user=alice.user)
    client = Client()

    response = password_step(client, "alice")
    assert response.status_code == 302
    assert response.url == reverse("accounts:verify")
    # Not logged in until the code is given.
    assert client.get(reverse("web:home")).status_code == 302

    response = client.post(reverse("accounts:verify"), {"code": code_for(device)})
    assert response.status_code == 302
    assert response.url == reverse("web:home")
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert "Gemeente Apeldoorn" in home.content.decode()


def test_wrong_code_is_a_field_error_in_dutch(alice):
    TOTPDeviceFactory(user=alice.user)
    client = Client()
    password_step(client, "alice")
    response = client.post(reverse("accounts:verify"), {"code": "000000"})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get(reverse("web:home")).status_code == 302


def test_code_must_be_six_digits(alice):
    TOTPDeviceFactory(user=alice.user)
    client = Client()
    password_step(client, "alice")
    response = client.post(reverse("accounts:verify"), {"code": "12ab"})
    assert "Vul de 6 cijfers in" in response.content.decode()


def test_first_login_links_an_app(alice):
    client = Client()
    response = password_step(client, "alice")
    assert response.url == reverse("accounts:enrol")
    page = client.get(reverse("accounts:enrol"))
    assert "<svg" in page.content.decode()  # the QR code
    device = TOTPDevice.objects.get(user=alice.user, confirmed=False)

    response = client.post(reverse("accounts:enrol"), {"code": code_for(device)})
    assert response.url == reverse("web:home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("web:home")).status_code == 200


def test_enrol_page_needs_a_password_first(db):
    response = Client().get(reverse("accounts:enrol"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")


def test_wrong_password_gives_a_form_error(alice):
    response = password_step(Client(), "alice", "wrong-password")
    assert response.status_code == 200
    assert "De gebruikersnaam of het wachtwoord klopt niet" in response.content.decode()


def test_five_wrong_passwords_lock_the_account(alice):
    client = Client()
    for _ in range(5):
        password_step(client, "alice", "wrong-password")
    response = password_step(client, "alice")  # even the right password is refused now
    assert response.status_code == 429
    assert "Inloggen is even geblokkeerd" in response.content.decode()
    assert AccessAttempt.objects.filter(username="alice").exists()


def test_five_wrong_codes_lock_the_account(alice):
    TOTPDeviceFactory(user=alice.user)
    client = Client()
    password_step(client, "alice")
    for _ in range(4):
        client.post(reverse("accounts:verify"), {"code": "000000"})
    response = client.post(reverse("accounts:verify"), {"code": "000000"})
    assert response.status_code == 429
    assert password_step(Client(), "alice").status_code == 429


def test_logout_ends_the_session(alice, login_as):
    client = login_as(alice)
    assert client.get(reverse("web:home")).status_code == 200
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")
    assert client.get(reverse("web:home")).status_code == 302


def test_logout_needs_post(alice, login_as):
    assert login_as(alice).get(reverse("accounts:logout")).status_code == 405


def test_resident_logs_in_without_an_app_in_demo_mode(rita, settings):
    # Outside the demo residents log in with DigiD (portal/tests/test_digid_login.py).
    settings.MEEDOEN_DEMO_MODE = True
    client = Client()
    response = password_step(client, "rita")
    assert response.url == reverse("web:home")
    assert "Welkom, Rita" in client.get(reverse("web:home"), follow=True).content.decode()


def test_user_without_a_role_cannot_log_in(db):
    membership = MembershipFactory(is_active=False)
    response = password_step(Client(), membership.user.username)
    assert "geen actieve rol" in response.content.decode()


def test_next_only_goes_to_this_site(rita, settings):
    settings.MEEDOEN_DEMO_MODE = True  # a resident's password works only in the demo
    client = Client()
    response = password_step(client, "rita", next_url="https://evil.example/")
    assert response.url == reverse("web:home")


def test_demo_exemption_only_works_in_demo_mode(alice, settings):
    alice.user.demo_exempt_from_otp = True
    alice.user.save()
    settings.MEEDOEN_DEMO_MODE = False
    assert password_step(Client(), "alice").url == reverse("accounts:enrol")
    settings.MEEDOEN_DEMO_MODE = True
    assert password_step(Client(), "alice").url == reverse("web:home")


def test_session_without_second_factor_is_refused(alice):
    """A session that skipped the code (e.g. a stolen cookie from before the code step) gets nowhere."""
    client = Client()
    client.force_login(alice.user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_user_with_two_roles_chooses_one(alice, apeldoorn, login_as):
    second = MembershipFactory(user=alice.user, municipality=apeldoorn, role="programmamanager")
    client = login_as(alice)
    session = client.session
    del session["meedoen_membership"]
    session.save()
    assert client.get(reverse("web:home")).url == reverse("accounts:choose-membership")
    page = client.get(reverse("accounts:choose-membership")).content.decode()
    assert "Programmamanager" in page and "Klantmanager" in page
    client.post(reverse("accounts:choose-membership"), {"membership": str(second.pk)})
    assert "Het programma in cijfers" in client.get(reverse("web:home")).content.decode()
