"""The resident file through the REST API: same rules, same errors (problem+json), same processing log."""

import pytest
from django.urls import reverse

from meedoen.audit.models import ProcessingLogEntry
from meedoen.municipalities.models import InterestTag
from meedoen.residents.models import Resident
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

NEW = {
    "bsn": "111222333",
    "given_names": "Sanne",
    "family_name": "Kok",
    "date_of_birth": "1990-04-02",
    "legal_bases": [{"kind": "bijstand", "start_date": "2025-01-01"}],
}


def test_register_through_the_api(alice, login_as):
    response = login_as(alice).post(reverse("api:resident-list"), NEW, content_type="application/json")
    assert response.status_code == 201, response.content
    resident = Resident.objects.get(bsn="111222333")
    assert response.json()["id"] == str(resident.pk)
    assert resident.caseworker_work == alice.user
    assert ProcessingLogEntry.objects.filter(action="create", endpoint="api:resident-list").exists()


def test_a_wrong_bsn_is_a_problem_naming_the_field(alice, login_as):
    response = login_as(alice).post(
        reverse("api:resident-list"), {**NEW, "bsn": "123456789"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalidParams"][0]["name"] == "bsn"


def test_a_duplicate_bsn_is_a_conflict(alice, apeldoorn, login_as):
    ResidentFactory(municipality=apeldoorn, bsn="111222333", work=True)
    response = login_as(alice).post(reverse("api:resident-list"), NEW, content_type="application/json")
    assert response.status_code == 409
    assert "Er is al een dossier met dit BSN" in response.json()["detail"]


def test_patch_needs_the_version_and_detects_a_clash(alice, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    client = login_as(alice)
    url = reverse("api:resident-detail", args=[resident.pk])
    assert client.patch(url, {"phone": "0612345678"}, content_type="application/json").status_code == 400
    ok = client.patch(url, {"phone": "0612345678", "version": 1}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = client.patch(url, {"phone": "0600000000", "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    assert Resident.objects.get(pk=resident.pk).phone == "0612345678"


def test_only_a_caseworker_of_the_domain_can_be_named_as_caseworker(alice, wendy, paula, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    client = login_as(alice)
    url = reverse("api:resident-detail", args=[resident.pk])
    for wrong in (paula.user, wendy.user):  # a provider's login; a Wmo-consulent as klantmanager
        response = client.patch(
            url, {"caseworker_work": str(wrong.pk), "version": 1}, content_type="application/json"
        )
        assert response.status_code == 400
        assert [p["name"] for p in response.json()["invalidParams"]] == ["caseworker_work"]
    right = client.patch(
        url, {"caseworker_care": str(wendy.user.pk), "version": 1}, content_type="application/json"
    )
    assert right.status_code == 200
    assert Resident.objects.get(pk=resident.pk).caseworker_care == wendy.user


def test_ladder_profile_plan_and_timeline_through_the_api(alice, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    InterestTag.objects.create(municipality=apeldoorn, code="dieren", name="Dieren")
    client = login_as(alice)

    def url(name):
        return reverse(f"api:resident-{name}", args=[resident.pk])

    future = client.post(
        url("ladder-scores"),
        {"rung": 3, "scored_on": "2199-01-01", "rationale": "x"},
        content_type="application/json",
    )
    assert future.status_code == 400
    assert future.json()["invalidParams"][0]["name"] == "scored_on"
    assert (
        client.post(
            url("ladder-scores"),
            {"rung": 3, "scored_on": "2026-01-01", "rationale": "Cursus"},
            content_type="application/json",
        ).status_code
        == 201
    )
    assert [s["rung"] for s in client.get(url("ladder-scores")).json()] == [3]

    empty = client.get(url("profile")).json()
    assert empty["interests"] == [] and empty["version"] == 1 and empty["hours_per_week"] is None
    profile = {"interests": ["dieren"], "hours_per_week": 16, "workload": "midden", "version": 1}
    saved = client.put(url("profile"), profile, content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["interests"] == ["dieren"]
    assert client.get(url("profile")).json()["interests"] == ["dieren"]
    assert (
        client.put(
            url("profile"), {**profile, "interests": ["onbekend"]}, content_type="application/json"
        ).status_code
        == 400
    )

    assert (
        client.put(
            url("plan"), {"goals": "Werken met dieren", "version": 1}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        client.post(
            url("plan-actions"),
            {"description": "Stage zoeken", "owner": "inwoner", "due_on": "2026-12-31"},
            content_type="application/json",
        ).status_code
        == 201
    )
    plan = client.get(url("plan")).json()
    assert plan["goals"] == "Werken met dieren" and plan["actions"][0]["description"] == "Stage zoeken"

    note = {"kind": "notitie", "occurred_at": "2026-11-01T09:00:00+01:00", "text": "Gebeld"}
    assert client.post(url("timeline"), note, content_type="application/json").status_code == 201
    assert "Gebeld" in {event["text"] for event in client.get(url("timeline")).json()}


def test_transfer_through_the_api(alice, apeldoorn, login_as):
    from meedoen.accounts.tests.factories import MembershipFactory

    colleague = MembershipFactory(municipality=apeldoorn, role="klantmanager")
    ResidentFactory.create_batch(2, municipality=apeldoorn, caseworker_work=alice.user, work=True)
    response = login_as(alice).post(
        reverse("api:caseload-transfers"),
        {"from_user": str(alice.user.pk), "to_user": str(colleague.user.pk), "domain": "participatiewet"},
        content_type="application/json",
    )
    assert response.json() == {"moved": 2}


@pytest.mark.parametrize("persona", ["paula", "pim", "fred", "rita"])
def test_other_roles_cannot_use_the_file_api(persona, request, apeldoorn, login_as):
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    client = login_as(request.getfixturevalue(persona))
    assert client.post(reverse("api:resident-list"), NEW, content_type="application/json").status_code == 403
    assert client.get(reverse("api:resident-timeline", args=[resident.pk])).status_code == 403
    assert not Resident.objects.filter(bsn="111222333").exists()


def test_the_caseload_list_names_district_bases_and_next_review(alice, apeldoorn, login_as):
    import datetime as dt

    from meedoen.municipalities.tests.factories import DistrictFactory
    from meedoen.residents.models import Plan

    district = DistrictFactory(municipality=apeldoorn, name="Zevenhuizen")
    placed = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True, district=district)
    Plan.objects.create(resident=placed, review_on=dt.date(2027, 1, 15))
    bare = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True, district=None)
    body = login_as(alice).get(reverse("api:resident-list")).json()
    rows = {row["id"]: row for row in body["results"]}
    assert body["count"] == 2
    first, second = rows[str(placed.pk)], rows[str(bare.pk)]
    assert (first["district"], first["review_on"]) == ("Zevenhuizen", "2027-01-15")
    assert (second["district"], second["review_on"]) == (None, None)
    assert [basis["kind"] for basis in first["legal_bases"]] == ["bijstand"]
