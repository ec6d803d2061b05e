"""Any page number in the address of a list shows a page: the last one past the end, the first one for
nonsense. Never an error page."""

import pytest
from django.urls import reverse

from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

ODD_PAGES = [str(10**20), "-3", "0", "twee", "1e9", "9" * 5000, ""]


@pytest.fixture
def caseload(alice, apeldoorn):
    return ResidentFactory.create_batch(3, municipality=apeldoorn, caseworker_work=alice.user, work=True)


@pytest.mark.parametrize("number", ODD_PAGES)
def test_the_caseload_shows_a_page_for_any_page_number(alice, caseload, login_as, number):
    response = login_as(alice).get(reverse("residents:caseload"), {"pagina": number})
    assert response.status_code == 200
    assert "3 inwoners gevonden" in response.content.decode()


@pytest.mark.parametrize("number", ODD_PAGES)
def test_a_search_in_the_caseload_shows_a_page_for_any_page_number(alice, caseload, login_as, number):
    response = login_as(alice).get(
        reverse("residents:caseload"), {"pagina": number, "zoek": caseload[0].family_name}
    )
    assert response.status_code == 200
    assert "gevonden" in response.content.decode()


@pytest.mark.parametrize("number", ODD_PAGES)
def test_the_catalogue_and_the_processing_log_show_a_page_for_any_page_number(
    alice, fred, moestuin, login_as, number
):
    catalogue = login_as(alice).get(reverse("catalogue:catalogue"), {"pagina": number})
    assert catalogue.status_code == 200
    assert moestuin.title in catalogue.content.decode()
    assert login_as(fred).get(reverse("audit:log"), {"pagina": number}).status_code == 200


def test_an_odd_page_number_keeps_the_list_to_the_own_municipality_and_role(
    charlie, paula, caseload, login_as
):
    page = login_as(charlie).get(reverse("residents:caseload"), {"pagina": str(10**20)})
    assert page.status_code == 200
    assert caseload[0].family_name not in page.content.decode()
    assert login_as(paula).get(reverse("residents:caseload"), {"pagina": str(10**20)}).status_code == 403
