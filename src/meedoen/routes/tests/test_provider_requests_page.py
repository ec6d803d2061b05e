"""The municipality's requests to a werkleerbedrijf: htmx loads them as a section into the provider portal;
the portal's plain link (without JavaScript) opens them as a page of its own, with a title, a language and a
way back. A provider of another municipality sees none of them; other roles are refused."""

import pytest
from django.urls import reverse

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.catalogue.models import ProviderStaff
from meedoen.catalogue.tests.conftest import act
from meedoen.catalogue.tests.factories import ContractFactory
from meedoen.routes import actions

pytestmark = pytest.mark.django_db
URL = reverse("routes:provider-requests")
REASON = "Een jobcoach op de werkvloer helpt Ruben."


@pytest.fixture
def asked(alice, ruben, groene_schakel):
    return actions.do_request_reorientation(
        ruben, kind="meedoen", reason=REASON, provider=groene_schakel, actor=act(alice)
    )


def test_the_plain_link_opens_a_full_page_with_title_language_and_a_way_back(paula, asked, login_as):
    client = login_as(paula)
    portal = client.get(reverse("catalogue:portal")).content.decode()
    assert f'href="{URL}"' in portal  # the fallback link inside the htmx section
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl"' in page
    assert "<title>Verzoeken om mee te begeleiden" in page
    assert '<h1 class="utrecht-heading-1">Verzoeken om mee te begeleiden</h1>' in page
    assert f'href="{reverse("catalogue:portal")}"' in page and "Terug naar uw overzicht" in page
    assert REASON in page
    assert f'action="{reverse("routes:provider-answer", args=[asked.pk])}"' in page  # it can be answered


def test_htmx_still_gets_only_the_section(paula, asked, login_as):
    response = login_as(paula).get(URL, headers={"HX-Request": "true"})
    section = response.content.decode()
    assert response.status_code == 200
    assert REASON in section
    assert "<html" not in section and "<title>" not in section and "<h1" not in section


def test_a_provider_of_another_municipality_sees_none_of_the_requests(epe, groene_schakel, asked, login_as):
    ContractFactory(provider=groene_schakel, municipality=epe)
    elsewhere = MembershipFactory(municipality=epe, role=Role.PROVIDER)
    ProviderStaff.objects.create(membership=elsewhere, provider=groene_schakel)
    client = login_as(elsewhere)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(URL, headers=headers)
        assert response.status_code == 200
        assert REASON not in response.content.decode() and "Ruben" not in response.content.decode()


def test_other_roles_are_refused(alice, charlie, login_as):
    for member in (alice, charlie):
        assert login_as(member).get(URL).status_code == 403
