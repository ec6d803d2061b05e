"""A resident logs in with DigiD (the library's mock identity provider): the BSN finds their file in the
municipality they chose; no file there, a clear page; a resident's password works only in the demo."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from meedoen.accounts.models import Membership
from meedoen.accounts.policies import Role
from meedoen.audit.models import ProcessingLogEntry, Purpose
from meedoen.residents.models import Resident
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def digid_login(client: Client, municipality, bsn: str):
    """Walk the whole mock flow as a browser would; returns the last response."""
    response = client.post("/mijn/inloggen/", {"municipality": str(municipality.pk)})
    assert response.status_code == 302 and response["Location"].startswith("/digid/login/")
    response = client.get(response["Location"])  # the library's login view sends us to the identity provider
    idp = urlparse(response["Location"])
    assert idp.path == "/digid/idp/inloggen/"
    params = {k: v[0] for k, v in parse_qs(idp.query).items()}
    page = client.get("/digid/idp/inloggen_bsn/", params)
    assert "Burgerservicenummer" in page.content.decode()
    response = client.post(f"/digid/idp/inloggen_bsn/?{idp.query}", {"auth_bsn": bsn})
    assert response.status_code == 302
    return client.get(response["Location"], follow=True)  # the assertion consumer service, then onwards


def test_a_resident_logs_in_with_digid_and_sees_their_plan(apeldoorn):
    resident = ResidentFactory(municipality=apeldoorn, given_names="Sanne", work=True)
    client = Client()
    response = digid_login(client, apeldoorn, resident.bsn)
    assert response.redirect_chain[-1][0] == "/mijn/"
    assert "Welkom, Sanne" in response.content.decode()
    resident.refresh_from_db()
    assert resident.user is not None  # the account was made at this first login, without a password
    assert not resident.user.has_usable_password()
    assert Membership.objects.get(user=resident.user).role == Role.RESIDENT
    login_entry = ProcessingLogEntry.objects.get(endpoint="digid:acs")
    assert login_entry.purpose == Purpose.OWN_FILE and login_entry.action == "create"
    assert client.session.get_expiry_age() <= 15 * 60  # DigiD's rule: at most a quarter of an hour


def test_a_second_login_opens_the_same_account(apeldoorn):
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    digid_login(Client(), apeldoorn, resident.bsn)
    first = Resident.objects.get(pk=resident.pk).user_id
    response = digid_login(Client(), apeldoorn, resident.bsn)
    assert response.redirect_chain[-1][0] == "/mijn/"
    assert Resident.objects.get(pk=resident.pk).user_id == first
    assert Membership.objects.filter(user_id=first).count() == 1


def test_a_bsn_without_a_file_in_that_municipality_gets_a_clear_page(apeldoorn, epe):
    in_epe = ResidentFactory(municipality=epe, work=True)
    client = Client()
    response = digid_login(client, apeldoorn, in_epe.bsn)  # lives in Epe, chose Apeldoorn
    page = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("/mijn/inloggen/terug/")
    assert "We vinden geen dossier van u" in page
    assert "de gemeente Apeldoorn heeft geen dossier van u" in page
    assert "An error occurred" not in page  # the library's English message is not shown
    assert "_auth_user_id" not in client.session
    assert Resident.objects.get(pk=in_epe.pk).user is None  # nothing was made


def test_a_resident_of_epe_opens_only_their_file_in_epe(apeldoorn, epe):
    in_epe = ResidentFactory(municipality=epe, given_names="Eva", work=True)
    ResidentFactory(municipality=apeldoorn, given_names="Anna", work=True)
    response = digid_login(Client(), epe, in_epe.bsn)
    page = response.content.decode()
    assert "Welkom, Eva" in page and "Anna" not in page


def test_a_residents_password_works_only_in_demo_mode(rita, settings):
    rita.user.set_password("een-lang-genoeg-wachtwoord")
    rita.user.save()
    settings.MEEDOEN_DEMO_MODE = False
    response = Client().post(
        "/inloggen/", {"username": "rita", "password": "een-lang-genoeg-wachtwoord"}, follow=True
    )
    assert "Inwoners loggen in met DigiD" in response.content.decode()
    settings.MEEDOEN_DEMO_MODE = True
    response = Client().post(
        "/inloggen/", {"username": "rita", "password": "een-lang-genoeg-wachtwoord"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/mijn/"


def test_cancelling_at_digid_gives_a_page_to_try_again(apeldoorn):
    client = Client()
    client.post("/mijn/inloggen/", {"municipality": str(apeldoorn.pk)})
    response = client.get("/mijn/inloggen/terug/")
    assert "Inloggen is niet gelukt" in response.content.decode()


def test_the_municipality_must_be_chosen(apeldoorn, epe):
    response = Client().post("/mijn/inloggen/", {})
    assert "Kies uw gemeente." in response.content.decode()
