"""A request to correct the file belongs to the domain of the part it is about: staff of the other domain see
it only when the resident shares that part, as they see the part itself."""

import pytest

from meedoen.portal.models import CorrectionRequest
from meedoen.residents.models import Resident

pytestmark = pytest.mark.django_db

ABOUT_BENEFIT = "Mijn uitkering is te laag berekend."


@pytest.fixture
def rita_file(rita, alice, wendy):
    resident = Resident.objects.get(user=rita.user)
    resident.caseworker_work = alice.user
    resident.caseworker_care = wendy.user
    resident.save()
    return resident


def test_a_request_about_the_benefit_reaches_the_wmo_consultant_only_with_consent(
    rita, rita_file, alice, wendy, login_as
):
    resident_client = login_as(rita)
    resident_client.post("/mijn/gegevens/correctie/", {"part": "uitkering", "text": ABOUT_BENEFIT})
    request = CorrectionRequest.objects.get(resident=rita_file)
    assert request.domain == "participatiewet"

    assert ABOUT_BENEFIT in login_as(alice).get(f"/verzoeken-van-inwoners/{rita_file.pk}/").content.decode()
    assert "vraagt om correctie" in login_as(alice).get("/start/").content.decode()

    consultant = login_as(wendy)
    assert "vraagt om correctie" not in consultant.get("/start/").content.decode()
    assert ABOUT_BENEFIT not in consultant.get(f"/verzoeken-van-inwoners/{rita_file.pk}/").content.decode()
    answer = {"corrected": "nee", "answer": "Klopt zo."}
    assert consultant.post(f"/verzoeken-van-inwoners/correctie/{request.pk}/", answer).status_code == 404
    request.refresh_from_db()
    assert request.status == CorrectionRequest.Status.OPEN

    resident_client.post("/mijn/delen/aan/", {"shared_domain": "participatiewet"})
    assert "vraagt om correctie" in consultant.get("/start/").content.decode()
    assert ABOUT_BENEFIT in consultant.get(f"/verzoeken-van-inwoners/{rita_file.pk}/").content.decode()


def test_a_request_about_the_shared_file_reaches_both_caseworkers(rita, rita_file, alice, wendy, login_as):
    login_as(rita).post("/mijn/gegevens/correctie/", {"part": "persoonsgegevens", "text": "Nieuw adres."})
    assert CorrectionRequest.objects.get(resident=rita_file).domain == ""
    for staff in (alice, wendy):
        assert "vraagt om correctie" in login_as(staff).get("/start/").content.decode()


def test_a_request_about_a_wmo_provision_belongs_to_care(rita, rita_file, alice, login_as):
    login_as(rita).post("/mijn/gegevens/correctie/", {"part": "voorziening", "text": "Mijn scootmobiel."})
    assert CorrectionRequest.objects.get(resident=rita_file).domain == "wmo"
    assert (
        "Mijn scootmobiel."
        not in login_as(alice).get(f"/verzoeken-van-inwoners/{rita_file.pk}/").content.decode()
    )
