"""Tenant isolation: nobody in Epe can read, list, search or change anything of Apeldoorn.

The test walks every URL pattern of the project. A pattern that takes an id must have an entry in
``APELDOORN_OBJECTS``; a new one without it fails here, so isolation is checked for every new screen.
"""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from meedoen.accounts.models import ApiToken, Membership
from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogSubject
from meedoen.catalogue.models import Placement, Proposal, Seat
from meedoen.catalogue.tests.factories import ContractFactory, PlacementFactory, ProviderFactory
from meedoen.matching.models import AllocatedPair, AllocationRun
from meedoen.residents.models import Consent, LegalBasis, Plan, PlanAction, Resident, TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory
from meedoen.routes.models import ReorientationRequest, Route, Step


def walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, list(pattern.pattern.converters)


ALL_ROUTES = list(walk(get_resolver().url_patterns))
ROUTES_WITH_IDS = sorted({(name, tuple(kwargs)) for name, kwargs in ALL_ROUTES if kwargs})


@pytest.fixture
def apeldoorn_world(apeldoorn, alice):
    """One object of each kind in Apeldoorn, by the URL keyword that names it."""
    resident = ResidentFactory(
        municipality=apeldoorn,
        caseworker_work=alice.user,
        work=True,
        family_name="Zandbergen",
        given_names="Petra",
    )
    colleague = MembershipFactory(
        municipality=apeldoorn, role=Role.CASEWORKER_CARE, user__username="colleague"
    )
    token = ApiToken.objects.create(membership=alice, name="crm", key_hash="x" * 64, prefix="mdn_xxxx")
    consent = Consent.objects.create(
        resident=resident,
        shared_domain="participatiewet",
        given_on=dt.date(2026, 1, 5),
        recorded_by=alice.user,
    )
    plan = Plan.objects.create(resident=resident, goals="Petra wil koken.")
    action = PlanAction.objects.create(
        plan=plan, description="Kookcursus", owner="inwoner", due_on=dt.date(2026, 3, 1)
    )
    event = TimelineEvent(
        resident=resident, kind="notitie", occurred_at=timezone.now(), author=alice.user, text="Gesprek gehad"
    )
    event.attachment.save("verslag.txt", ContentFile(b"Petra Zandbergen: verslag"), save=True)
    provider = ProviderFactory(name="Zorgboerderij Zandbergen")
    ContractFactory(provider=provider, municipality=apeldoorn)
    placement = PlacementFactory(provider=provider, title="Zorgboerderij De Maten")
    proposal = Proposal.objects.create(
        municipality=apeldoorn,
        resident=resident,
        placement=placement,
        domain="participatiewet",
        start_date=dt.date(2026, 2, 1),
        hours_per_week=12,
        status=Proposal.Status.ACCEPTED,
        proposed_by=alice.user,
        proposed_at=timezone.now(),
    )
    seat = Seat.objects.create(
        municipality=apeldoorn,
        placement=placement,
        proposal=proposal,
        resident=resident,
        number=1,
        starts_on=dt.date(2026, 2, 1),
    )
    manager = MembershipFactory(municipality=apeldoorn, role=Role.PROGRAMME_MANAGER, user__username="pm")
    run = AllocationRun.objects.create(
        municipality=apeldoorn, started_by=manager, status=AllocationRun.Status.DONE, summary={"waiting": 1}
    )
    AllocatedPair.objects.create(run=run, resident=resident, placement=placement, score=80, distance_km=1.0)
    route = Route.objects.create(
        municipality=apeldoorn, resident=resident, opened_on=dt.date(2026, 1, 1), created_by=alice.user
    )
    step = Step.objects.create(
        route=route,
        phase="kennismaken",
        starts_on=dt.date(2026, 1, 1),
        reason="start",
        decided_by=alice.user,
        recorded_at=timezone.now(),
    )
    reorientation = ReorientationRequest.objects.create(
        municipality=apeldoorn,
        resident=resident,
        from_domain="participatiewet",
        to_domain="wmo",
        kind="meedoen",
        reason="Petra heeft hulp thuis nodig",
        requested_by=alice.user,
        requested_at=timezone.now(),
    )
    return {
        "resident_id": resident.pk,
        "basis_id": resident.legal_bases.get().pk,
        "membership_id": colleague.pk,
        "token_id": token.pk,
        "consent_id": consent.pk,
        "action_id": action.pk,
        "event_id": event.pk,
        "provider_id": provider.pk,
        "placement_id": placement.pk,
        "proposal_id": proposal.pk,
        "seat_id": seat.pk,
        "run_id": run.pk,
        "request_id": reorientation.pk,
        "step_id": step.pk,
        "_resident": resident,
        "_membership": colleague,
        "_token": token,
    }


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
}


def test_every_route_with_an_id_is_covered():
    missing = {
        (name, kwarg)
        for name, kwargs in ROUTES_WITH_IDS
        for kwarg in kwargs
        if kwarg not in APELDOORN_OBJECTS
    }
    assert not missing, f"Add these URL keywords to the isolation test: {missing}"


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

    # Nothing changed, and nothing of Apeldoorn was read.
    assert Membership.objects.get(pk=apeldoorn_world["_membership"].pk).is_active
    assert ApiToken.objects.get(pk=apeldoorn_world["_token"].pk).revoked_at is None
    assert Consent.objects.get(pk=apeldoorn_world["consent_id"]).withdrawn_on is None
    assert LegalBasis.objects.get(pk=apeldoorn_world["basis_id"]).end_date is None
    assert PlanAction.objects.get(pk=apeldoorn_world["action_id"]).done_on is None
    assert TimelineEvent.objects.filter(resident=apeldoorn_world["_resident"]).count() == 1
    assert Proposal.objects.filter(resident=apeldoorn_world["_resident"]).count() == 1
    assert Seat.objects.get(pk=apeldoorn_world["seat_id"]).ended_on is None
    assert Placement.objects.get(pk=apeldoorn_world["placement_id"]).version == 1
    assert AllocationRun.objects.get(pk=apeldoorn_world["run_id"]).cancel_requested is False
    assert ReorientationRequest.objects.get(pk=apeldoorn_world["request_id"]).status == "open"
    assert Step.objects.filter(route__resident=apeldoorn_world["_resident"]).count() == 1
    resident = Resident.objects.get(pk=apeldoorn_world["resident_id"])
    assert (resident.family_name, resident.version) == ("Zandbergen", 1)
    assert Plan.objects.get(resident=resident).goals == "Petra wil koken."
    assert not ProcessingLogSubject.objects.filter(resident_id=apeldoorn_world["_resident"].pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_epe_lists_and_searches_show_nothing_of_apeldoorn(role, apeldoorn_world, epe_people, login_as):
    client = login_as(epe_people[role])
    resident = apeldoorn_world["_resident"]
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
    ]:
        body = client.get(url, params).content.decode()
        searched = set(params.values())  # the page may echo the search term itself
        for secret in {
            "Petra",
            "Zandbergen",
            resident.bsn,
            "colleague",
            "crm",
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
