"""The catalogue through the REST API: the same selectors, actions and rules as the screens, errors as
problem+json, and a provider sees only the minimal data of a proposed resident."""

import copy

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.actions import do_issue_api_token
from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogEntry, ProcessingLogSubject
from meedoen.catalogue import actions
from meedoen.catalogue.models import (
    Attendance,
    Placement,
    PlacementTag,
    ProgressReport,
    Proposal,
    ProviderStaff,
    Seat,
)
from meedoen.catalogue.tests.conftest import act
from meedoen.catalogue.tests.factories import ContractFactory, PlacementFactory, ProviderFactory
from meedoen.municipalities.models import District
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"

ROW = {
    "reference": "GS-001",
    "title": "Fietsenwerkplaats Zuid",
    "description": "Fietsen nakijken en repareren, samen met een vakman.",
    "kind": "activerend_werk",
    "street": "Sluisoord 12",
    "postcode": "7324AB",
    "city": "Apeldoorn",
    "latitude": "52.20100",
    "longitude": "5.98000",
    "capacity": 4,
    "days": ["wo", "ma"],
    "start_time": "09:00",
    "end_time": "15:00",
    "workload": "midden",
    "funding": "participatiewet",
    "price": "95.00",
    "tags": ["techniek", "fietsen"],
}


def bearer(membership) -> Client:
    issued = do_issue_api_token(name="eigen systeem", actor=act(membership))
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}")


def rows(*changes: dict) -> dict:
    """A sync body: one row per change, each a copy of ROW with its own reference."""
    return {
        "placements": [
            copy.deepcopy(ROW) | {"reference": f"GS-{index:03}", "title": f"Plek {index}"} | change
            for index, change in enumerate(changes)
        ]
    }


def names(response) -> set[str]:
    return {param["name"] for param in response.json()["invalidParams"]}


def propose(caseworker, resident, placement, **extra):
    values = {"start_date": timezone.localdate(), "hours_per_week": 12, "note": "Houdt van buiten werken."}
    return actions.do_propose(resident, placement, actor=act(caseworker), **values | extra)


@pytest.fixture
def bert(apeldoorn):
    """A provider user of another provider in Apeldoorn, De Kringloop."""
    membership = MembershipFactory(municipality=apeldoorn, role=Role.PROVIDER, user__username="bert")
    provider = ProviderFactory(name="De Kringloop")
    ContractFactory(provider=provider, municipality=apeldoorn)
    ProviderStaff.objects.create(membership=membership, provider=provider)
    return membership


# ------------------------------------------------------------------------------------------------ sync


def test_a_provider_syncs_placements_with_a_token_and_a_second_sync_changes_nothing(
    paula, groene_schakel, apeldoorn
):
    client = bearer(paula)
    district = District.objects.get(municipality=apeldoorn)
    body = rows({"district": str(district.pk)}, {"tags": [], "is_open": False})
    url = reverse("api:provider-placement-sync")

    first = client.put(url, body, content_type=JSON)
    assert first.status_code == 200, first.content
    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}
    saved = Placement.objects.get(provider=groene_schakel, reference="GS-000")
    assert (saved.district, saved.days, saved.tags) == (district, ["ma", "wo"], ["fietsen", "techniek"])
    assert set(PlacementTag.objects.filter(placement=saved).values_list("code", flat=True)) == {
        "fietsen",
        "techniek",
    }

    again = client.put(url, body, content_type=JSON)
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2}
    assert Placement.objects.filter(provider=groene_schakel).count() == 2
    assert Placement.objects.get(pk=saved.pk).version == 1

    body["placements"][1]["capacity"] = 6
    changed = client.put(url, body, content_type=JSON)
    assert changed.json() == {"created": 0, "updated": 1, "unchanged": 1}
    assert Placement.objects.get(provider=groene_schakel, reference="GS-001").version == 2

    own = client.get(reverse("api:provider-placement-list")).json()
    assert own["count"] == 2
    assert {item["reference"] for item in own["results"]} == {"GS-000", "GS-001"}


def test_a_batch_with_bad_rows_saves_nothing_and_names_every_bad_row(paula, groene_schakel):
    body = rows(
        {},
        {"capacity": 0},
        {"start_time": "14:00", "end_time": "10:00"},
        {"tags": ["onbekend"]},
        {"days": ["ma", "maandag"], "start_time": "9 uur"},
    )
    response = bearer(paula).put(reverse("api:provider-placement-sync"), body, content_type=JSON)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"] == "Geen enkele rij is opgeslagen: een of meer rijen zijn niet goed ingevuld."
    assert names(response) == {
        "placements[1].capacity",
        "placements[2].end_time",
        "placements[3].tags",
        "placements[4].days[1]",
        "placements[4].start_time",
    }
    reasons = {param["name"]: param["reason"] for param in problem["invalidParams"]}
    assert reasons["placements[1].capacity"] == "Een plek heeft minstens 1 plaats."
    assert reasons["placements[2].end_time"] == "De eindtijd moet na de begintijd liggen."
    assert "onbekend" in reasons["placements[3].tags"]
    assert not Placement.objects.exists()


def test_a_reference_twice_in_one_batch_is_a_row_error(paula, groene_schakel):
    body = rows({}, {"reference": "GS-000"})
    response = bearer(paula).put(reverse("api:provider-placement-sync"), body, content_type=JSON)
    assert response.status_code == 400
    assert names(response) == {"placements[1].reference"}
    assert not Placement.objects.exists()


def test_rows_the_action_refuses_come_back_per_row(alice, paula, apeldoorn, moestuin):
    """The action's own rules (here: fewer places than seats in use) come back by row as well."""
    moestuin.reference = "GS-001"
    moestuin.save()
    for _ in range(2):
        resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
        actions.do_accept_proposal(propose(alice, resident, moestuin), actor=act(paula))
    body = rows({}, {"capacity": 1})
    response = bearer(paula).put(reverse("api:provider-placement-sync"), body, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Geen enkele rij is opgeslagen")
    assert names(response) == {"placements[1].capacity"}
    assert not Placement.objects.filter(reference="GS-000").exists()
    assert Placement.objects.get(pk=moestuin.pk).capacity == 3


def test_a_district_of_another_municipality_is_a_row_error(paula, groene_schakel, epe):
    vaassen = District.objects.get(municipality=epe)
    body = rows({}, {"district": str(vaassen.pk)})
    response = bearer(paula).put(reverse("api:provider-placement-sync"), body, content_type=JSON)
    assert response.status_code == 400
    assert names(response) == {"placements[1].district"}
    assert not Placement.objects.exists()


def test_a_sync_body_must_hold_a_list(paula, groene_schakel):
    response = bearer(paula).put(
        reverse("api:provider-placement-sync"), {"placements": "alles"}, content_type=JSON
    )
    assert response.status_code == 400
    assert names(response) == {"placements"}


# --------------------------------------------------------------------------------- one placement at a time


def test_a_provider_adds_and_changes_a_placement_with_its_version(paula, groene_schakel, login_as):
    client = login_as(paula)
    created = client.post(reverse("api:provider-placement-list"), ROW, content_type=JSON)
    assert created.status_code == 201, created.content
    item = created.json()
    assert (item["reference"], item["version"], item["free_seats"], item["hours_per_week"]) == (
        "GS-001",
        1,
        4,
        12.0,
    )
    assert item["days"] == ["ma", "wo"] and item["start_time"] == "09:00"
    assert len(item["occupancy"]) == 12
    url = reverse("api:provider-placement-detail", args=[item["id"]])

    no_version = client.patch(url, {"capacity": 5}, content_type=JSON)
    assert no_version.status_code == 400
    assert names(no_version) == {"version"}
    bad_hours = client.patch(url, {"end_time": "08:00", "version": 1}, content_type=JSON)
    assert bad_hours.status_code == 400
    assert names(bad_hours) == {"end_time"}
    bad_time = client.patch(url, {"end_time": "acht uur", "version": 1}, content_type=JSON)
    assert names(bad_time) == {"end_time"}

    changed = client.patch(url, {"capacity": 5, "version": 1}, content_type=JSON)
    assert changed.status_code == 200, changed.content
    assert (changed.json()["capacity"], changed.json()["version"]) == (5, 2)
    assert Placement.objects.get(pk=item["id"]).title == ROW["title"]  # the rest stays as it was

    stale = client.patch(url, {"capacity": 6, "version": 1}, content_type=JSON)
    assert stale.status_code == 409
    assert Placement.objects.get(pk=item["id"]).capacity == 5


def test_a_provider_cannot_change_the_placement_of_another(bert, moestuin, login_as):
    url = reverse("api:provider-placement-detail", args=[moestuin.pk])
    response = login_as(bert).patch(url, {"capacity": 9, "version": 1}, content_type=JSON)
    assert response.status_code == 404
    assert Placement.objects.get(pk=moestuin.pk).capacity == 3


# ---------------------------------------------------------------------------------------------- catalogue


def test_a_caseworker_browses_the_catalogue(alice, moestuin, groene_schakel, login_as):
    PlacementFactory(provider=groene_schakel, title="Gesloten kas", is_open=False)
    client = login_as(alice)
    listing = client.get(reverse("api:placement-list"))
    assert listing.status_code == 200
    body = listing.json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    item = body["results"][0]
    assert item["title"] == "Moestuin De Maten"
    assert item["provider"] == {"id": str(groene_schakel.pk), "name": "De Groene Schakel"}
    assert item["reference"] is None
    assert item["free_seats"] == 3
    assert client.get(reverse("api:placement-list"), {"include_closed": "true"}).json()["count"] == 2
    assert client.get(reverse("api:placement-list"), {"kind": "dagbesteding"}).json()["count"] == 0

    wrong = client.get(reverse("api:placement-list"), {"kind": "kantoor"})
    assert wrong.status_code == 400
    assert names(wrong) == {"kind"}

    detail = client.get(reverse("api:placement-detail", args=[moestuin.pk])).json()
    assert detail["tags"] == ["groen"]
    assert {"month", "seats_used", "capacity"} <= set(detail["occupancy"][0])


def test_the_catalogue_pages_with_next_and_previous(alice, groene_schakel, login_as):
    PlacementFactory.create_batch(3, provider=groene_schakel)
    client = login_as(alice)
    first = client.get(reverse("api:placement-list"), {"page_size": 2}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    second = client.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (1, None)
    assert "page=" not in second["previous"]


def test_epe_does_not_see_the_apeldoorn_catalogue(charlie, moestuin, login_as):
    client = login_as(charlie)
    assert client.get(reverse("api:placement-list")).json()["count"] == 0
    assert client.get(reverse("api:placement-detail", args=[moestuin.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------- proposals


def test_a_caseworker_proposes_and_the_provider_accepts_through_the_api(
    alice, paula, ruben, moestuin, login_as
):
    caseworker = login_as(alice)
    proposals_url = reverse("api:resident-proposals", args=[ruben.pk])
    sent = caseworker.post(
        proposals_url,
        {
            "placement": str(moestuin.pk),
            "start_date": timezone.localdate().isoformat(),
            "hours_per_week": 12,
            "note": "Houdt van buiten werken.",
            "shared_items": ["taal"],
            "resident_agreed": True,
        },
        content_type=JSON,
    )
    assert sent.status_code == 201, sent.content
    proposal_id = sent.json()["id"]
    assert (sent.json()["status"], sent.json()["seat"], sent.json()["decline_reason"]) == (
        "verstuurd",
        None,
        None,
    )

    provider = bearer(paula)
    incoming = provider.get(reverse("api:proposal-list")).json()
    assert [(p["id"], p["name"]) for p in incoming] == [(proposal_id, "Ruben Jansen")]

    detail = provider.get(reverse("api:proposal-detail", args=[proposal_id]))
    seen = detail.json()
    assert (seen["name"], seen["phone"], seen["hours_per_week"]) == ("Ruben Jansen", "06-12345678", 12)
    assert seen["placement"] == {"id": str(moestuin.pk), "title": "Moestuin De Maten"}
    assert [item["label"] for item in seen["shared"]] == ["Talen en niveau Nederlands"]
    assert "bsn" not in detail.content.decode().lower()
    assert ruben.bsn not in detail.content.decode()
    assert ProcessingLogEntry.objects.filter(endpoint="api:proposal-detail", action="view").exists()

    accepted = provider.post(reverse("api:proposal-accept", args=[proposal_id]))
    assert accepted.status_code == 200, accepted.content
    seat = Seat.objects.get(proposal_id=proposal_id)
    assert accepted.json()["id"] == str(seat.pk) and accepted.json()["number"] == 1
    assert Proposal.objects.get(pk=proposal_id).status == Proposal.Status.ACCEPTED
    again = provider.post(reverse("api:proposal-accept", args=[proposal_id]))
    assert again.status_code == 400
    after = caseworker.get(reverse("api:placement-detail", args=[moestuin.pk])).json()
    assert after["free_seats"] == 2

    placements = caseworker.get(proposals_url)
    assert placements.status_code == 200
    assert placements.json()[0]["seat"]["id"] == str(seat.pk)
    assert ProcessingLogEntry.objects.filter(
        endpoint="api:resident-proposals", action="view", purpose="plaatsing"
    ).exists()

    today = timezone.localdate().isoformat()
    attendance = provider.post(
        reverse("api:seat-attendance", args=[seat.pk]),
        {"week": today, "days_present": 3, "hours_present": "11.5"},
        content_type=JSON,
    )
    assert attendance.status_code == 200, attendance.content
    assert Attendance.objects.get(seat=seat).hours_present == pytest.approx(11.5)
    report = provider.post(
        reverse("api:seat-progress-reports", args=[seat.pk]),
        {"month": today, "went_well": "Komt op tijd.", "next_steps": "Zelfstandiger werken."},
        content_type=JSON,
    )
    assert report.status_code == 201, report.content
    assert ProgressReport.objects.get(seat=seat).suggested_rung is None
    no_reason = provider.post(
        reverse("api:seat-end", args=[seat.pk]), {"ended_on": today, "reason": ""}, content_type=JSON
    )
    assert names(no_reason) == {"reason"}
    ended = provider.post(
        reverse("api:seat-end", args=[seat.pk]),
        {"ended_on": today, "reason": "Begint met betaald werk."},
        content_type=JSON,
    )
    assert ended.status_code == 200, ended.content
    assert Seat.objects.get(pk=seat.pk).ended_on == timezone.localdate()


def test_a_placement_outside_the_catalogue_is_a_field_error(alice, ruben, charlie, epe, login_as):
    elsewhere = ProviderFactory()
    ContractFactory(provider=elsewhere, municipality=epe)
    placement = PlacementFactory(provider=elsewhere)
    response = login_as(alice).post(
        reverse("api:resident-proposals", args=[ruben.pk]),
        {"placement": str(placement.pk), "start_date": timezone.localdate().isoformat(), "hours_per_week": 8},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert names(response) == {"placement"}
    assert not Proposal.objects.exists()


def test_declining_without_a_reason_names_the_field(alice, paula, ruben, moestuin, login_as):
    proposal = propose(alice, ruben, moestuin)
    client = login_as(paula)
    url = reverse("api:proposal-decline", args=[proposal.pk])

    no_reason = client.post(url, {"text": "Sorry"}, content_type=JSON)
    assert no_reason.status_code == 400
    assert names(no_reason) == {"reason"}
    assert "Kies een reden." in no_reason.json()["invalidParams"][0]["reason"]
    other_without_text = client.post(url, {"reason": "anders"}, content_type=JSON)
    assert names(other_without_text) == {"text"}
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SENT

    declined = client.post(url, {"reason": "vol"}, content_type=JSON)
    assert declined.status_code == 200
    assert declined.json()["status"] == "afgewezen"
    assert Proposal.objects.get(pk=proposal.pk).decline_reason == "vol"
    assert client.get(reverse("api:proposal-list"), {"status": "afgewezen"}).json()[0]["id"] == str(
        proposal.pk
    )
    assert names(client.get(reverse("api:proposal-list"), {"status": "klaar"})) == {"status"}


def test_accepting_when_every_seat_is_taken_is_a_conflict(alice, paula, apeldoorn, moestuin, login_as):
    moestuin.capacity = 1
    moestuin.save()
    first, second = (
        propose(
            alice, ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True), moestuin
        )
        for _ in range(2)
    )
    client = login_as(paula)
    assert client.post(reverse("api:proposal-accept", args=[first.pk])).status_code == 200
    full = client.post(reverse("api:proposal-accept", args=[second.pk]))
    assert full.status_code == 409
    assert full["Content-Type"] == "application/problem+json"
    assert "Alle plaatsen van deze plek zijn bezet" in full.json()["detail"]
    assert Proposal.objects.get(pk=second.pk).status == Proposal.Status.SENT


def test_another_provider_cannot_read_or_answer_the_proposal(alice, bert, ruben, moestuin, login_as):
    proposal = propose(alice, ruben, moestuin)
    client = login_as(bert)
    assert client.get(reverse("api:proposal-detail", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("api:proposal-accept", args=[proposal.pk])).status_code == 404
    declined = client.post(
        reverse("api:proposal-decline", args=[proposal.pk]), {"reason": "vol"}, content_type=JSON
    )
    assert declined.status_code == 404
    assert client.get(reverse("api:proposal-list")).json() == []
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SENT
    assert not Seat.objects.exists()


def test_another_provider_cannot_report_on_the_seat(alice, paula, bert, ruben, moestuin, login_as):
    seat = actions.do_accept_proposal(propose(alice, ruben, moestuin), actor=act(paula))
    client = login_as(bert)
    today = timezone.localdate().isoformat()
    attendance = client.post(
        reverse("api:seat-attendance", args=[seat.pk]),
        {"week": today, "days_present": 1, "hours_present": "4"},
        content_type=JSON,
    )
    assert attendance.status_code == 404
    ended = client.post(
        reverse("api:seat-end", args=[seat.pk]), {"ended_on": today, "reason": "x"}, content_type=JSON
    )
    assert ended.status_code == 404
    assert not Attendance.objects.exists()
    assert Seat.objects.get(pk=seat.pk).ended_on is None


def test_an_epe_caseworker_gets_404_for_the_proposals_of_an_apeldoorn_resident(
    charlie, alice, ruben, moestuin, login_as
):
    propose(alice, ruben, moestuin)
    client = login_as(charlie)
    url = reverse("api:resident-proposals", args=[ruben.pk])
    assert client.get(url).status_code == 404
    sent = client.post(
        url,
        {"placement": str(moestuin.pk), "start_date": timezone.localdate().isoformat(), "hours_per_week": 8},
        content_type=JSON,
    )
    assert sent.status_code == 404
    assert sent["Content-Type"] == "application/problem+json"
    assert Proposal.objects.filter(resident=ruben).count() == 1
    assert not ProcessingLogSubject.objects.filter(resident_id=ruben.pk, entry__actor=charlie.user).exists()


@pytest.mark.parametrize(
    ("persona", "method", "name", "needs"),
    [
        ("paula", "get", "api:resident-proposals", "resident"),
        ("alice", "put", "api:provider-placement-sync", None),
        ("alice", "get", "api:proposal-list", None),
        ("alice", "post", "api:seat-end", "seat"),
        ("fred", "get", "api:placement-list", None),
    ],
)
def test_the_wrong_role_is_refused(
    persona, method, name, needs, request, alice, paula, ruben, moestuin, login_as
):
    seat = actions.do_accept_proposal(propose(alice, ruben, moestuin), actor=act(paula))
    args = {"resident": [ruben.pk], "seat": [seat.pk], None: []}[needs]
    response = getattr(login_as(request.getfixturevalue(persona)), method)(
        reverse(name, args=args), {}, content_type=JSON
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_the_catalogue_needs_authentication(client):
    response = client.get(reverse("api:placement-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_schema_describes_the_catalogue(client):
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200
    body = schema.content.decode()
    for path in (
        "/api/v1/placements/{placement_id}",
        "/api/v1/provider-placements/sync",
        "/api/v1/proposals/{proposal_id}/accept",
        "/api/v1/residents/{resident_id}/proposals",
        "/api/v1/seats/{seat_id}/progress-reports",
    ):
        assert path in body
    assert "PlacementKindEnum" in body
