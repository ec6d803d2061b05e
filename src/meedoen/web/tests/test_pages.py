"""Start pages per role, error pages, language, and the security headers every page carries."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("alice", "U begeleidt"),
        ("wendy", "U begeleidt"),
        ("pim", "Het programma in cijfers"),
        ("paula", "U ziet alleen inwoners die aan u zijn voorgesteld"),
        ("ada", "Gebruikers en rollen beheren"),
        ("fred", "Verwerkingenlog doorzoeken"),
        ("rita", "Welkom, Rita"),
    ],
)
def test_each_role_has_its_own_start_page(persona, expected, request, login_as):
    if persona == "paula":
        request.getfixturevalue("groene_schakel")
    client = login_as(request.getfixturevalue(persona))
    page = client.get(reverse("web:home"), follow=True).content.decode()
    assert expected in page
    assert "Gemeente Apeldoorn" in page


def test_programme_manager_sees_counts_per_district_with_small_ones_hidden(pim, apeldoorn, login_as):
    district = apeldoorn.districts.get()
    ResidentFactory.create_batch(3, municipality=apeldoorn, district=district, work=True)
    page = login_as(pim).get(reverse("web:home")).content.decode()
    assert "De Maten" in page
    assert "&lt; 5" in page  # three residents: too few to show


def test_navigation_shows_only_what_the_role_may_use(alice, fred, login_as):
    caseworker = login_as(alice).get(reverse("web:home")).content.decode()
    assert "Caseload" in caseworker and "Verwerkingenlog" not in caseworker
    privacy = login_as(fred).get(reverse("web:home")).content.decode()
    assert "Verwerkingenlog" in privacy and "Caseload" not in privacy


def test_unknown_page_is_a_friendly_404_in_the_layout(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Deze pagina bestaat niet" in html
    assert "utrecht-page-header" in html


def test_server_error_is_a_friendly_500():
    from meedoen.web.views import server_error

    request = Client().get("/").wsgi_request
    response = server_error(request)
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_english_is_available(alice, login_as):
    client = login_as(alice)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("web:home")})
    page = client.get(reverse("web:home")).content.decode()
    assert 'lang="en"' in page
    assert "Log out" in page


def test_dutch_is_the_default_whatever_the_browser_says(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="nl"' in page
    assert "Inloggen bij Meedoen" in page


def test_pages_carry_a_content_security_policy_and_no_framing(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@override_settings(DEBUG=False)
def test_static_files_of_the_design_system_are_served(client):
    for path in (
        "/static/vendor/utrecht/index.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/meedoen/meedoen.css",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_health_answers_without_a_login(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("web:health"))
    assert response.json() == {"status": "ok"}
