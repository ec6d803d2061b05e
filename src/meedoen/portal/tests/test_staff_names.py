"""Who looked at my file: the resident sees the organisation and role of the staff member, and their name
only where the municipality chose so. The functioneel beheerder sets it on *Instellingen Mijn Meedoen*;
the page *Wie keek er* and the copy of the resident's data follow the same setting."""

import json

import pytest
from django.urls import reverse

from meedoen.audit.models import LogAction, ProcessingLogEntry, Purpose
from meedoen.residents.models import Resident

pytestmark = pytest.mark.django_db
SETTINGS = reverse("portal:settings")
NAME = "Alice de Vries"


@pytest.fixture
def looked_at(rita, alice, login_as) -> Resident:
    """Alice, Rita's klantmanager, opened Rita's file."""
    resident = Resident.objects.get(user=rita.user)
    resident.caseworker_work = alice.user
    resident.save()
    alice.user.last_name = "de Vries"
    alice.user.save()
    assert login_as(alice).get(f"/inwoners/{resident.pk}/").status_code == 200
    return resident


def _what_the_resident_sees(client, django_capture_on_commit_callbacks) -> tuple[str, list[dict]]:
    page = client.get(reverse("portal:looked")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:request-export"))
    document = json.loads(client.get(reverse("portal:download-json")).content)
    alices = [e for e in document["verwerkingen"] if e["role"] == "Klantmanager (werk)"]
    assert alices, "Alice's look is in the copy"
    return page, alices


def test_by_default_the_resident_sees_organisation_and_role_not_the_name(
    looked_at, rita, ada, login_as, django_capture_on_commit_callbacks
):
    admin = login_as(ada)
    assert "Nu: inwoners zien de organisatie en de rol, niet de naam." in admin.get(SETTINGS).content.decode()
    page, in_copy = _what_the_resident_sees(login_as(rita), django_capture_on_commit_callbacks)
    assert "Gemeente Apeldoorn, Klantmanager (werk)" in page and NAME not in page and "Alice" not in page
    assert all(e["organisation"] == "Gemeente Apeldoorn" and "person" not in e for e in in_copy)


def test_when_the_municipality_chooses_names_the_resident_sees_the_name_too(
    looked_at, rita, ada, login_as, django_capture_on_commit_callbacks
):
    admin = login_as(ada)
    saved = admin.post(SETTINGS, {"show_staff_names": "on"}, follow=True).content.decode()
    assert "De instelling is opgeslagen." in saved and "Nu: inwoners zien de naam van de medewerker." in saved
    assert ProcessingLogEntry.objects.filter(
        actor=ada.user, action=LogAction.UPDATE, purpose=Purpose.ADMINISTRATION
    ).exists()

    page, in_copy = _what_the_resident_sees(login_as(rita), django_capture_on_commit_callbacks)
    assert f"Gemeente Apeldoorn, Klantmanager (werk) ({NAME})" in page
    assert all(e["person"] == NAME and e["role"] == "Klantmanager (werk)" for e in in_copy)

    # and off again: the name is gone from the page
    admin.post(SETTINGS, {})
    assert NAME not in login_as(rita).get(reverse("portal:looked")).content.decode()


def test_only_the_functioneel_beheerder_changes_the_setting(alice, rita, ada, login_as, apeldoorn):
    for someone in (alice, rita):
        assert login_as(someone).post(SETTINGS, {"show_staff_names": "on"}).status_code == 403
    assert "Nu: inwoners zien de organisatie en de rol" in login_as(ada).get(SETTINGS).content.decode()
