"""The demo's resident logs in through DigiD's mock with the BSN `meedoen demo` prints, and the demo
caseworker sees the demo resident's questions on the worklist."""

import datetime as dt
from io import StringIO

import pytest
from django.test import Client

from meedoen.demo import generator
from meedoen.demo.management.commands.demo import Command
from meedoen.demo.portal import demo_digid_logins
from meedoen.portal.tests.test_digid_login import digid_login

pytestmark = pytest.mark.django_db


def test_the_printed_digid_login_opens_the_demo_residents_portal(settings):
    generator.generate(size="small", today=dt.date(2026, 11, 1))
    out = StringIO()
    Command(stdout=out).print_digid_logins()
    login = next(login for login in demo_digid_logins() if login.municipality == "Apeldoorn")
    assert f"BSN {login.bsn}" in out.getvalue()
    from meedoen.municipalities.models import Municipality

    apeldoorn = Municipality.objects.get(slug="apeldoorn")
    response = digid_login(Client(), apeldoorn, login.bsn)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/mijn/"
    assert f"Welkom, {login.name.split()[0]}" in page

    settings.MEEDOEN_DEMO_MODE = True
    staff = Client()
    staff.post("/inloggen/", {"username": "km.apeldoorn", "password": generator.DEMO_PASSWORD})
    worklist = staff.get("/start/").content.decode()
    assert "Vragen van inwoners" in worklist and "vraagt om correctie" in worklist
