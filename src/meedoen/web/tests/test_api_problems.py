"""Every answer under /api/ is JSON, errors as RFC 9457 problems; keys only work for roles that may hold one;
page numbers out of range never break a list; free text has a length limit with a Dutch field error."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from meedoen.accounts.actions import do_issue_api_token
from meedoen.accounts.actor import Actor
from meedoen.accounts.models import ApiToken, hash_token
from meedoen.web.views import server_error

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def bearer(membership) -> Client:
    issued = do_issue_api_token(name="eigen systeem", actor=Actor(membership.user, membership, "test"))
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}", raise_request_exception=False)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == status
    assert {"type", "title", "status", "detail", "instance"} <= problem.keys()
    return problem


# ------------------------------------------------------------------------------------- problem+json


@pytest.mark.parametrize(
    "url", ["/api/v1/bestaat-niet", "/api/v2/residents", "/api/v1/residents/geen-uuid", "/api/v1/me/extra"]
)
def test_an_unknown_api_url_is_a_problem_not_a_web_page(alice, url):
    problem = assert_problem(bearer(alice).get(url), 404)
    assert problem["title"] == "Niet gevonden"
    assert problem["instance"] == url


def test_a_server_error_under_the_api_is_a_problem():
    response = server_error(RequestFactory().get("/api/v1/residents"))
    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM
    assert b'"title": "Serverfout"' in response.content


def test_a_server_error_on_a_page_stays_the_friendly_page():
    response = server_error(RequestFactory().get("/inwoners/"))
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("name", ["api:schema", "api:docs", "api:root"])
def test_a_wrong_method_is_a_json_problem_also_on_the_schema_and_docs(alice, name):
    response = bearer(alice).post(reverse(name))
    problem = assert_problem(response, 405)
    assert problem["title"] == "Methode niet toegestaan"


def test_a_wrong_content_type_is_a_problem_with_a_dutch_title(alice):
    response = bearer(alice).post(reverse("api:caseload-transfers"), data="a=b", content_type="text/plain")
    assert assert_problem(response, 415)["title"] == "Soort inhoud niet ondersteund"


def test_malformed_json_is_a_problem(alice):
    response = bearer(alice).post(
        reverse("api:caseload-transfers"), data="{kapot", content_type="application/json"
    )
    assert assert_problem(response, 400)["title"] == "Ongeldige invoer"


def test_a_session_post_without_csrf_token_is_a_problem(alice, login_as):
    client = login_as(alice)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("api:caseload-transfers"), data="{}", content_type="application/json")
    assert "CSRF" in assert_problem(response, 403)["detail"]


def test_html_asked_for_is_still_a_json_problem(alice):
    response = bearer(alice).get(reverse("api:me"), HTTP_ACCEPT="text/html")
    assert assert_problem(response, 406)["title"] == "Antwoordvorm niet beschikbaar"


# ------------------------------------------------------------------------------------------- keys


def _key_for(membership) -> str:
    """A key stored as if made earlier (by a role that may hold one, or by hand in the admin)."""
    key = "mdn_" + membership.user.username + "-sleutel-voor-de-test-0123456789"
    ApiToken.objects.create(membership=membership, name="oud", key_hash=hash_token(key), prefix=key[:8])
    return key


@pytest.mark.parametrize("persona", ["fred", "ada", "rita"])
def test_a_key_of_a_role_that_may_not_hold_one_does_not_authenticate(persona, request):
    membership = request.getfixturevalue(persona)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {_key_for(membership)}")
    problem = assert_problem(client.get(reverse("api:me")), 401)
    assert problem["detail"] == "Met deze rol kunt u geen API-sleutel gebruiken."
    # Not even the privacy officer's own part of the API opens with it.
    assert_problem(client.get(reverse("api:processing-log-entry-list")), 401)


def test_a_key_made_before_the_role_changed_stops_working(alice):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {_key_for(alice)}")
    assert client.get(reverse("api:me")).status_code == 200
    alice.role = "privacy_officer"
    alice.save(update_fields=["role"])
    assert_problem(client.get(reverse("api:me")), 401)


def test_a_key_of_an_inactive_user_or_an_ended_membership_does_not_authenticate(alice, paula):
    alice_client = Client(HTTP_AUTHORIZATION=f"Bearer {_key_for(alice)}")
    paula_client = Client(HTTP_AUTHORIZATION=f"Bearer {_key_for(paula)}")
    alice.user.is_active = False
    alice.user.save(update_fields=["is_active"])
    paula.is_active = False
    paula.save(update_fields=["is_active"])
    assert_problem(alice_client.get(reverse("api:me")), 401)
    assert_problem(paula_client.get(reverse("api:me")), 401)


def test_a_key_of_epe_sees_nothing_of_apeldoorn(charlie, ruben):
    response = bearer(charlie).get(reverse("api:resident-detail", args=[ruben.pk]))
    assert_problem(response, 404)


# ------------------------------------------------------------------------------------------ pages


@pytest.mark.parametrize("page", [str(10**20), "999999999999", "-3", "0"])
def test_a_caseload_page_out_of_range_shows_a_page_instead_of_breaking(alice, ruben, page):
    response = bearer(alice).get(reverse("api:resident-list"), {"page": page})
    assert response.status_code == 200
    body = response.json()
    assert body["page"] == 1 == body["pages"]
    assert [row["id"] for row in body["results"]] == [str(ruben.pk)]


@pytest.mark.parametrize("weeks", ["1342701761347010", "-5"])
def test_any_number_of_silent_weeks_gives_a_caseload(alice, ruben, weeks):
    response = bearer(alice).get(reverse("api:resident-list"), {"silent-weeks": weeks})
    assert response.status_code == 200
    assert response.json()["count"] in (0, 1)


def test_silent_weeks_that_are_no_number_name_their_own_field(alice):
    response = bearer(alice).get(reverse("api:resident-list"), {"silent-weeks": "veel"})
    assert assert_problem(response, 400)["invalidParams"][0]["name"] == "silent-weeks"


def test_a_caseload_page_that_is_no_number_is_a_field_error(alice):
    response = bearer(alice).get(reverse("api:resident-list"), {"page": "twee"})
    assert assert_problem(response, 400)["invalidParams"][0]["name"] == "page"


@pytest.mark.parametrize("page", [str(10**20), "-1", "0", "twee"])
def test_a_page_past_the_end_of_a_paged_list_is_a_dutch_not_found(paula, groene_schakel, page):
    response = bearer(paula).get(reverse("api:provider-placement-list"), {"page": page})
    assert assert_problem(response, 404)["detail"].startswith("Deze pagina bestaat niet.")


@pytest.mark.parametrize(("page", "catalogue_answer"), [(str(10**20), 200), ("twee", 400)])
def test_the_catalogue_and_the_processing_log_survive_any_page_number(
    alice, fred, login_as, page, catalogue_answer
):
    # the catalogue caps the number (an empty last page) and refuses a word as a field error
    assert bearer(alice).get(reverse("api:placement-list"), {"page": page}).status_code == catalogue_answer
    response = login_as(fred).get(reverse("api:processing-log-entry-list"), {"page": page})
    assert_problem(response, 404)


def test_the_wrong_role_gets_a_problem_for_a_list(pim):
    assert_problem(bearer(pim).get(reverse("api:resident-list"), {"page": str(10**20)}), 403)


# ------------------------------------------------------------------------------------ text limits


def test_a_note_longer_than_ten_thousand_characters_is_a_dutch_field_error(alice, ruben):
    url = reverse("api:resident-timeline", args=[ruben.pk])
    client = bearer(alice)
    note = {"kind": "notitie", "occurred_at": "2026-11-30T10:00:00+01:00"}
    response = client.post(url, note | {"text": "x" * 10_001}, content_type="application/json")
    problem = assert_problem(response, 400)
    assert problem["invalidParams"] == [
        {
            "name": "text",
            "code": "invalid",
            "reason": "Deze tekst is te lang. Gebruik hoogstens 10.000 tekens.",
        }
    ]
    assert client.post(url, note | {"text": "x" * 10_000}, content_type="application/json").status_code == 201


def test_a_name_longer_than_two_hundred_characters_is_a_dutch_field_error(alice, ruben):
    client = bearer(alice)
    url = reverse("api:resident-detail", args=[ruben.pk])
    version = client.get(url).json()["resident"]["version"]
    response = client.patch(
        url, {"family_name": "J" * 201, "version": version}, content_type="application/json"
    )
    problem = assert_problem(response, 400)
    assert {
        "name": "family_name",
        "code": "invalid",
        "reason": "Deze naam is te lang. Gebruik hoogstens 200 tekens.",
    } in problem["invalidParams"]
    ruben.refresh_from_db()
    assert ruben.family_name == "Jansen"


def test_a_long_progress_note_on_a_route_review_is_refused(alice, ruben):
    client = bearer(alice)
    client.post(
        reverse("api:resident-route", args=[ruben.pk]),
        {"starts_on": "2026-01-05"},
        content_type="application/json",
    )
    response = client.post(
        reverse("api:resident-route-reviews", args=[ruben.pk]),
        {"held_on": "2026-01-06", "progress": "x" * 10_001, "decision": "blijven"},
        content_type="application/json",
    )
    assert assert_problem(response, 400)["invalidParams"][0]["name"] == "progress"


def test_a_note_dated_before_1900_is_a_field_error_not_an_invalid_time(alice, ruben):
    response = bearer(alice).post(
        reverse("api:resident-timeline", args=[ruben.pk]),
        {"kind": "notitie", "occurred_at": "0018-01-13T14:18:54Z", "text": "Oud."},
        content_type="application/json",
    )
    problem = assert_problem(response, 400)
    assert problem["invalidParams"] == [
        {"name": "occurred_at", "code": "invalid", "reason": "Vul een datum vanaf 1 januari 1900 in."}
    ]
    assert not ruben.timeline.filter(text="Oud.").exists()
