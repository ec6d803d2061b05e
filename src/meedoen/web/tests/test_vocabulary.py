"""Target groups and interest words speak the language of the page: a row that still has the default name for
its code is shown translated; a name the municipality chose itself is shown as written. What is stored, and
what the API gives, stays as it is."""

import pytest
from django.urls import reverse

from meedoen.matching.models import AllocationRun
from meedoen.municipalities.actions import do_ensure_vocabularies
from meedoen.residents.models import Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocabularies(apeldoorn, epe):
    """Apeldoorn renamed "Statushouder" and "Dieren" in its own words; Epe keeps the defaults."""
    do_ensure_vocabularies(apeldoorn)
    do_ensure_vocabularies(epe)
    apeldoorn.target_groups.filter(code="statushouder").update(name="Nieuwkomers")
    apeldoorn.interest_tags.filter(code="dieren").update(name="Dierenverzorging")
    return apeldoorn


@pytest.fixture
def ruben_in_groups(ruben, vocabularies):
    ruben.target_groups.set(vocabularies.target_groups.filter(code__in=["45-plus", "statushouder"]))
    profile = Profile.objects.create(resident=ruben)
    profile.interests.set(vocabularies.interest_tags.filter(code__in=["groen", "dieren"]))
    return ruben


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_caseload_filter_in_english(alice, charlie, paula, vocabularies, login_as):
    page = english(login_as(alice)).get(reverse("residents:caseload")).content.decode()
    assert ">Mental health vulnerability</option>" in page
    assert ">Long-term on social assistance</option>" in page
    assert ">Nieuwkomers</option>" in page  # Apeldoorn's own name
    assert ">Psychische kwetsbaarheid</option>" not in page
    dutch = login_as(alice).get(reverse("residents:caseload")).content.decode()
    assert ">Psychische kwetsbaarheid</option>" in dutch
    # Epe's caseworker sees Epe's groups (its own default "Statushouder", not Apeldoorn's "Nieuwkomers").
    epe_page = english(login_as(charlie)).get(reverse("residents:caseload")).content.decode()
    assert ">Refugee with a residence permit</option>" in epe_page and "Nieuwkomers" not in epe_page
    assert login_as(paula).get(reverse("residents:caseload")).status_code == 403


def test_the_resident_file_in_english(alice, charlie, paula, ruben_in_groups, login_as):
    url = reverse("residents:detail", args=[ruben_in_groups.pk])
    page = english(login_as(alice)).get(url).content.decode()
    assert "45+, Nieuwkomers" in page
    assert "Dierenverzorging, Green spaces and gardening" in page
    assert "Groen en tuin" not in page
    assert login_as(charlie).get(url).status_code == 404
    assert login_as(paula).get(url).status_code == 403


def test_the_forms_label_their_checkboxes_in_english(alice, ruben_in_groups, login_as):
    client = english(login_as(alice))
    register = client.get(reverse("residents:register")).content.decode()
    assert "Mental health vulnerability" in register and "Nieuwkomers" in register
    assert "Psychische kwetsbaarheid" not in register
    profile = client.get(reverse("residents:profile", args=[ruben_in_groups.pk])).content.decode()
    assert "Computers and IT" in profile and "Dierenverzorging" in profile
    assert "Computers en ICT" not in profile


def test_the_catalogue_and_a_placement_in_english(alice, charlie, rita, vocabularies, moestuin, login_as):
    moestuin.tags = ["groen", "dieren"]
    moestuin.save()
    client = english(login_as(alice))
    catalogue = client.get(reverse("catalogue:catalogue")).content.decode()
    assert "Green spaces and gardening" in catalogue and "Dierenverzorging" in catalogue
    assert "Groen en tuin" not in catalogue
    url = reverse("catalogue:placement", args=[moestuin.pk])
    page = client.get(url).content.decode()
    assert "Green spaces and gardening" in page and "Dierenverzorging" in page
    assert login_as(charlie).get(url).status_code == 404
    assert login_as(rita).get(url).status_code == 403


def test_an_allocation_names_its_groups_in_english(pim, charlie, rita, vocabularies, login_as):
    """The stored summary keeps the Dutch names; the page shows them in the language of the page."""
    outcome = {"placed": 6, "total_fit": 300.0, "average_fit": 50.0, "average_km": 2.0}
    row = {"waiting": 6, "optimal": 6, "fcfs": 5}
    run = AllocationRun.objects.create(
        municipality=vocabularies,
        started_by=pim,
        status=AllocationRun.Status.DONE,
        target_group=vocabularies.target_groups.get(code="langdurig-bijstand"),
        summary={
            "waiting": 6,
            "free_seats": 6,
            "pairs": 20,
            "optimal": outcome,
            "fcfs": outcome | {"placed": 5},
            "share_of_optimal": 90.0,
            "by_group": [row | {"name": "Langdurig in de bijstand"}, row | {"name": "Nieuwkomers"}],
            "by_district": [],
        },
    )
    url = reverse("matching:allocation", args=[run.pk])
    page = english(login_as(pim)).get(url).content.decode()
    assert 'scope="row">Long-term on social assistance</th>' in page
    assert 'scope="row">Nieuwkomers</th>' in page
    assert "Long-term on social assistance, " in page  # the group the run was limited to
    assert "Langdurig in de bijstand" not in page
    assert run.summary["by_group"][0]["name"] == "Langdurig in de bijstand"  # what is stored stays Dutch
    assert login_as(charlie).get(url).status_code == 404
    assert login_as(rita).get(url).status_code == 403


@pytest.mark.django_db
def test_a_request_in_english_leaves_the_next_work_in_dutch(client):
    from django.utils import translation

    client.cookies["django_language"] = "en"
    response = client.get("/health")
    assert response["Content-Language"] == "en"
    assert translation.get_language() == "nl"  # a form checked after it speaks Dutch again
