"""The REST API skeleton: public schema and docs, authentication on everything else, problem+json errors."""

import pytest
from django.test import Client
from django.urls import reverse

from meedoen.accounts.actions import do_issue_api_token, do_revoke_api_token
from meedoen.accounts.actor import Actor

pytestmark = pytest.mark.django_db


def test_schema_and_docs_are_public(client):
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200
    body = schema.content.decode()
    assert "openapi: 3" in body
    assert "/api/v1/residents/{resident_id}" in body
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200


@pytest.mark.parametrize("name", ["api:root", "api:me", "api:district-list", "api:resident-list"])
def test_everything_else_needs_authentication(name, client):
    response = client.get(reverse(name))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_a_bearer_token_acts_as_its_membership(alice):
    issued = do_issue_api_token(name="crm", actor=Actor(alice.user, alice, "test"))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}")
    me = client.get(reverse("api:me")).json()
    assert me == {
        "username": "alice",
        "name": alice.user.display_name(),
        "municipality": "Apeldoorn",
        "role": "klantmanager",
    }


def test_a_revoked_token_no_longer_works(alice):
    actor = Actor(alice.user, alice, "test")
    issued = do_issue_api_token(name="crm", actor=actor)
    do_revoke_api_token(issued.token, actor=actor)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}").get(reverse("api:me"))
    assert response.status_code == 401
    assert "ingetrokken" in response.json()["detail"]


def test_only_the_hash_of_a_token_is_stored(alice):
    issued = do_issue_api_token(name="crm", actor=Actor(alice.user, alice, "test"))
    issued.token.refresh_from_db()
    assert issued.key not in issued.token.key_hash
    assert len(issued.token.key_hash) == 64


def test_bad_input_is_a_problem_with_the_field_named(fred, login_as):
    response = login_as(fred).get(reverse("api:processing-log-entry-list"), {"from": "gisteren"})
    assert response.status_code == 400
    problem = response.json()
    assert problem["invalidParams"][0]["name"] == "from"
    assert "jjjj-mm-dd" in problem["invalidParams"][0]["reason"]


def test_tokens_page_shows_a_new_key_once_and_can_revoke_it(alice, login_as):
    client = login_as(alice)
    page = client.post(reverse("accounts:tokens"), {"name": "Mijn CRM"}).content.decode()
    assert "ziet hem maar één keer" in page
    token = alice.api_tokens.get()
    assert token.prefix in page
    after = client.post(reverse("accounts:revoke-token", args=[token.pk]), follow=True).content.decode()
    assert "De sleutel Mijn CRM werkt niet meer." in after
    assert "U heeft nog geen sleutels." in after
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_providers_can_make_tokens_but_administrators_cannot(paula, ada, login_as):
    assert login_as(paula).get(reverse("accounts:tokens")).status_code == 200
    assert login_as(ada).get(reverse("accounts:tokens")).status_code == 403
