"""Registering a resident: BSN checked, no duplicate files, every field error in Dutch at its field."""

import pytest
from django.urls import reverse
from stdnum.nl import bsn

from meedoen.audit.models import ProcessingLogEntry
from meedoen.municipalities.models import TargetGroup
from meedoen.residents.models import LegalBasis, Resident, TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

VALID_BSN = "111222333"
assert bsn.is_valid(VALID_BSN)


def form_data(**overrides):
    data = {
        "bsn": VALID_BSN,
        "given_names": "Fatima",
        "family_name": "El Amrani",
        "date_of_birth": "1979-03-14",
        "postcode": "7311 AA",
        "work_basis": "on",
        "work_start": "2024-02-01",
        "care_kind": "",
    }
    data.update(overrides)
    return data


def test_caseworker_registers_a_resident_and_takes_them_on(alice, apeldoorn, login_as):
    group = TargetGroup.objects.create(municipality=apeldoorn, code="45-plus", name="45+")
    response = login_as(alice).post(reverse("residents:register"), form_data(target_groups=[str(group.pk)]))
    resident = Resident.objects.get(bsn=VALID_BSN)
    assert response.status_code == 302
    assert response.url == reverse("residents:detail", args=[resident.pk])
    assert resident.caseworker_work == alice.user
    assert resident.postcode == "7311AA"
    assert list(resident.target_groups.all()) == [group]
    assert resident.legal_bases.get().kind == LegalBasis.Kind.BIJSTAND
    assert TimelineEvent.objects.filter(resident=resident, kind="aanmelding").exists()
    entry = ProcessingLogEntry.objects.get(action="create")
    assert entry.subjects.get().resident_id == resident.pk


def test_both_laws_at_once(wendy, apeldoorn, login_as):
    login_as(wendy).post(
        reverse("residents:register"),
        form_data(care_kind="wmo_dagbesteding", care_start="2025-01-01", care_end="2026-12-31"),
    )
    resident = Resident.objects.get(bsn=VALID_BSN)
    assert sorted(resident.legal_bases.values_list("domain", flat=True)) == ["participatiewet", "wmo"]
    assert resident.caseworker_care == wendy.user


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"bsn": "123456789"}, "Dit is geen geldig BSN"),
        ({"bsn": "12345"}, "Dit is geen geldig BSN"),
        ({"date_of_birth": "2199-01-01"}, "De geboortedatum ligt in de toekomst."),
        ({"date_of_birth": "31-02-1980"}, "Vul een datum in"),
        ({"postcode": "ABCD 12"}, "Vul een postcode in zoals 7311 AA."),
        ({"work_basis": "", "care_kind": ""}, "Kies een bijstandsuitkering, een Wmo-voorziening of allebei."),
        ({"work_start": ""}, "Vul in sinds wanneer de uitkering loopt."),
        (
            {"care_kind": "wmo_begeleiding", "care_start": "2025-05-01", "care_end": "2025-04-01"},
            "De einddatum ligt voor de begindatum.",
        ),
        ({"family_name": ""}, "Dit veld is vereist."),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_saved(overrides, field_error, alice, login_as):
    response = login_as(alice).post(reverse("residents:register"), form_data(**overrides))
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not Resident.objects.exists()
    assert not ProcessingLogEntry.objects.filter(action="create").exists()


def test_a_known_bsn_points_to_the_existing_file(alice, apeldoorn, login_as):
    existing = ResidentFactory(municipality=apeldoorn, bsn=VALID_BSN, caseworker_work=alice.user, work=True)
    response = login_as(alice).post(reverse("residents:register"), form_data())
    html = response.content.decode()
    assert "Er is al een dossier met dit BSN in uw gemeente" in html
    assert reverse("residents:detail", args=[existing.pk]) in html
    assert Resident.objects.count() == 1


def test_a_known_bsn_outside_my_view_is_named_but_not_linked(wendy, apeldoorn, login_as):
    existing = ResidentFactory(municipality=apeldoorn, bsn=VALID_BSN, work=True)
    html = login_as(wendy).post(reverse("residents:register"), form_data()).content.decode()
    assert "U heeft er geen toegang toe" in html
    assert str(existing.pk) not in html


def test_the_same_bsn_in_another_municipality_is_another_file(alice, epe, login_as):
    ResidentFactory(municipality=epe, bsn=VALID_BSN, work=True)
    login_as(alice).post(reverse("residents:register"), form_data())
    assert Resident.objects.filter(bsn=VALID_BSN).count() == 2


def test_a_district_of_another_municipality_is_refused(alice, epe, login_as):
    other = epe.districts.get()
    response = login_as(alice).post(reverse("residents:register"), form_data(district=str(other.pk)))
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Resident.objects.exists()


def test_the_form_says_up_front_that_a_benefit_or_a_provision_is_needed(alice, login_as):
    page = login_as(alice).get(reverse("residents:register")).content.decode()
    assert "Waarvoor komt de inwoner? Kies er minstens één" in page
    for field in ("id_work_basis", "id_care_kind"):
        label = page.split(f'for="{field}"')[1].split("</label>")[0]
        assert "niet verplicht" not in label
    date_label = page.split('for="id_work_start"')[1].split("</label>")[0]
    assert "niet verplicht" in date_label


def test_with_only_the_required_fields_the_error_names_the_choice_at_its_field(alice, login_as):
    data = {
        "bsn": VALID_BSN,
        "given_names": "Fatima",
        "family_name": "El Amrani",
        "date_of_birth": "1979-03-14",
    }
    response = login_as(alice).post(reverse("residents:register"), data)
    page = response.content.decode()
    error = page.split('id="id_work_basis_error"')[1].split("</div>")[0]
    assert "Kies een bijstandsuitkering, een Wmo-voorziening of allebei." in error
    assert not Resident.objects.exists()
