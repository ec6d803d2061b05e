"""Tenant isolation: nobody in Epe can read, list, search or change anything of Apeldoorn.

The test walks every URL pattern of the project. A pattern that takes an id must have an entry in
``APELDOORN_OBJECTS``; a new one without it fails here, so isolation is checked for every new screen.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogSubject
from meedoen.programmes.models import Success
from tests.conftest import assert_apeldoorn_unchanged


def walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, list(pattern.pattern.converters)


ALL_ROUTES = list(walk(get_resolver().url_patterns))
ROUTES_WITH_IDS = sorted({(name, tuple(kwargs)) for name, kwargs in ALL_ROUTES if kwargs})


APELDOORN_OBJECTS = {
    "resident_id",
    "basis_id",
    "membership_id",
    "token_id",
    "consent_id",
    "action_id",
    "event_id",
    "provider_id",
    "placement_id",
    "proposal_id",
    "seat_id",
    "run_id",
    "request_id",
    "step_id",
    "route_id",
    "year_id",
    "commitment_id",
    "invoice_id",
    "line_id",
    "source_id",
    "term_id",
    "experiment_id",
    "participant_id",
    "letter_template_id",
    "letter_id",
    "project_id",
    "indicator_id",
    "report_id",
    "success_id",
}


def test_every_route_with_an_id_is_covered():
    missing = {
        (name, kwarg)
        for name, kwargs in ROUTES_WITH_IDS
        for kwarg in kwargs
        if kwarg not in APELDOORN_OBJECTS
    }
    assert not missing, f"Add these URL keywords to the isolation test: {missing}"


def _share_a_success(world) -> None:
    """A shared success of Apeldoorn whose approved text names the resident (as she wished)."""
    now = timezone.now()
    Success.objects.create(
        municipality=world["_resident"].municipality, resident=world["_resident"],
        kind=Success.Kind.CERTIFICATE, happened_on=dt.date(2026, 3, 1), source=Success.Source.BY_HAND,
        source_key="hand:shared",
        status=Success.Status.PUBLISHED, text="Petra Zandbergen haalde haar certificaat.",
        consent_recorded_by=world["_membership"].user, consent_recorded_at=now, published_at=now,
        proposed_by=world["_membership"].user,
    )  # fmt: skip


@pytest.fixture
def epe_people(epe):
    return {role: MembershipFactory(municipality=epe, role=role) for role in Role}


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "kwargs"), ROUTES_WITH_IDS)
@pytest.mark.parametrize("role", list(Role))
def test_epe_cannot_reach_apeldoorn_objects(route, kwargs, role, apeldoorn_world, epe_people, login_as):
    client: Client = login_as(epe_people[role])
    url = reverse(route, kwargs={k: apeldoorn_world[k] for k in kwargs})
    attempt = {"family_name": "Overschreven", "version": 1, "goals": "Overschreven", "title": "Overschreven"}
    for method in ("get", "post", "patch", "put"):
        if method in ("patch", "put"):  # the API's changes: JSON bodies
            response = getattr(client, method)(url, attempt, content_type="application/json")
        else:
            response = getattr(client, method)(url, attempt)
        assert response.status_code in (403, 404, 405), (
            f"{method.upper()} {url} as {role}: {response.status_code}"
        )

    assert_apeldoorn_unchanged(apeldoorn_world)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_epe_lists_and_searches_show_nothing_of_apeldoorn(role, apeldoorn_world, epe_people, login_as):
    client = login_as(epe_people[role])
    resident = apeldoorn_world["_resident"]
    _share_a_success(apeldoorn_world)
    for url, params in [
        (reverse("web:home"), {}),
        (reverse("residents:caseload"), {"zoek": "Zandbergen", "alle": "1"}),
        (reverse("residents:caseload"), {"zoek": resident.bsn, "alle": "1"}),
        (reverse("api:resident-list"), {"search": "Zandbergen", "all": "true"}),
        (reverse("accounts:users"), {}),
        (reverse("accounts:tokens"), {}),
        (reverse("audit:log"), {}),
        (reverse("api:processing-log-entry-list"), {}),
        (reverse("api:district-list"), {}),
        (reverse("catalogue:catalogue"), {"zoek": "Zorgboerderij"}),
        (reverse("catalogue:providers"), {}),
        (reverse("matching:allocations"), {}),
        (reverse("matching:explanation"), {}),
        (reverse("routes:reviews"), {}),
        (reverse("programmes:successes"), {}),
        (reverse("programmes:own-successes"), {}),
        (reverse("programmes:success-certificate"), {}),
    ]:
        body = client.get(url, params).content.decode()
        searched = set(params.values())  # the page may echo the search term itself
        for secret in {
            "Petra",
            "Zandbergen",
            resident.bsn,
            "colleague",
            "crm-koppeling",  # a hyphen: no random token (CSRF, nonce) can contain it
            "De Maten",
            "alice",
            "Zorgboerderij De Maten",
        } - searched:
            assert secret not in body, f"{url} as {role} shows {secret!r}"
    assert not ProcessingLogSubject.objects.filter(resident_id=resident.pk).exists()


@pytest.mark.django_db
def test_an_epe_api_token_cannot_reach_apeldoorn(apeldoorn_world, charlie):
    from meedoen.accounts.actions import do_issue_api_token
    from meedoen.accounts.actor import Actor

    issued = do_issue_api_token(name="epe-crm", actor=Actor(charlie.user, charlie, "test"))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}")
    response = client.get(reverse("api:resident-detail", args=[apeldoorn_world["resident_id"]]))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    listing = client.get(reverse("api:resident-list"), {"all": "true"}).json()
    assert listing["count"] == 0
