"""Every page and API list without an id, for every role: the roles with the capability get it, the others
403. Every page and API endpoint with an id, for every role without its capability: refused (403 or 404),
nothing changed and nothing read, for an object of the role's own municipality. (Other municipalities:
test_isolation.py.)"""

import uuid

import pytest
from django.urls import resolve, reverse

from meedoen.accounts.policies import Capability, Role, may
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.catalogue.models import ProviderStaff
from tests.conftest import assert_apeldoorn_unchanged
from tests.test_isolation import ROUTES_WITH_IDS

PAGES = {
    "catalogue:catalogue": Capability.BROWSE_CATALOGUE,
    "catalogue:providers": Capability.MANAGE_PROVIDERS,
    "catalogue:provider-new": Capability.MANAGE_PROVIDERS,
    "catalogue:portal": Capability.RUN_PLACEMENTS,
    "catalogue:placement-new": Capability.RUN_PLACEMENTS,
    "matching:allocations": Capability.RUN_ALLOCATION,
    "routes:reviews": Capability.VIEW_CASELOAD,
    "routes:rules": Capability.CONFIGURE_PROGRAMME,
    "routes:provider-requests": Capability.RUN_PLACEMENTS,
    "residents:caseload": Capability.VIEW_CASELOAD,
    "api:placement-list": Capability.BROWSE_CATALOGUE,
    "api:provider-placement-list": Capability.RUN_PLACEMENTS,
    "api:proposal-list": Capability.RUN_PLACEMENTS,
    "api:route-reviews-due": Capability.VIEW_CASELOAD,
    "budgets:budget-start": Capability.VIEW_BUDGET,
    "budgets:budget-open-year": Capability.MANAGE_BUDGET,
    "experiments:new": Capability.DESIGN_EXPERIMENTS,
    "api:experiment-list": Capability.DESIGN_EXPERIMENTS,
    "letters:templates": Capability.MANAGE_GLOSSARY,
    "letters:template-new": Capability.MANAGE_GLOSSARY,
    "programmes:programme": Capability.VIEW_INDICATORS,
    "programmes:programme-edit": Capability.MANAGE_PROGRAMME,
    "programmes:dashboard": Capability.VIEW_INDICATORS,
    "programmes:indicators": Capability.VIEW_INDICATORS,
    "programmes:indicator-add": Capability.MANAGE_INDICATORS,
    "api:indicator-list": Capability.VIEW_INDICATORS,
    "switching:norms": Capability.CONFIGURE_PROGRAMME,
    "portal:settings": Capability.CONFIGURE_PROGRAMME,
    "programmes:council-reports": Capability.VIEW_COUNCIL_REPORTS,
    "programmes:project-texts": Capability.VIEW_INDICATORS,
    "programmes:successes": Capability.VIEW_SUCCESSES,
    "programmes:own-successes": Capability.RECORD_SUCCESSES,
    "programmes:success-certificate": Capability.RECORD_SUCCESSES,
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", list(Role))
def test_only_roles_with_the_capability_get_the_page(page, role, apeldoorn, groene_schakel, login_as):
    membership = MembershipFactory(municipality=apeldoorn, role=role)
    if role == Role.PROVIDER:
        ProviderStaff.objects.create(membership=membership, provider=groene_schakel)
    status = login_as(membership).get(reverse(page)).status_code
    assert status == (200 if may(role, PAGES[page]) else 403), f"{page} as {role}: {status}"


# Pages with an id whose guard lets several roles in and leaves the rest to the selector or action.
SHARED_BY_ROLES = {
    "matching:allocation": {Capability.RUN_ALLOCATION, Capability.MAKE_PROPOSALS},
    "matching:cancel-allocation": {Capability.RUN_ALLOCATION},
    "experiments:detail": {Capability.DESIGN_EXPERIMENTS, Capability.RECRUIT_PARTICIPANTS},
}


def _capabilities(route: str, kwargs: tuple[str, ...]) -> set[Capability]:
    if route in SHARED_BY_ROLES:
        return SHARED_BY_ROLES[route]
    view = resolve(reverse(route, kwargs={k: uuid.uuid4() for k in kwargs})).func
    owner = getattr(view, "view_class", view)  # an API view declares it on its class
    capability = getattr(owner, "required_capability", None)
    assert capability is not None, f"{route} declares no capability: guard it or add it to SHARED_BY_ROLES"
    return {capability}


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "kwargs"), ROUTES_WITH_IDS)
def test_roles_without_the_capability_cannot_reach_objects_of_their_own_municipality(
    route, kwargs, apeldoorn, apeldoorn_world, groene_schakel, login_as
):
    needed = _capabilities(route, kwargs)
    url = reverse(route, kwargs={k: apeldoorn_world[k] for k in kwargs})
    attempt = {"family_name": "Overschreven", "version": 1, "goals": "Overschreven", "title": "Overschreven"}
    for role in Role:
        if any(may(role, capability) for capability in needed):
            continue
        membership = MembershipFactory(municipality=apeldoorn, role=role)
        if role == Role.PROVIDER:
            ProviderStaff.objects.create(membership=membership, provider=groene_schakel)
        client = login_as(membership)
        for method in ("get", "post"):
            status = getattr(client, method)(url, attempt).status_code
            assert status in (403, 404, 405), f"{method.upper()} {url} as {role}: {status}"
    assert_apeldoorn_unchanged(apeldoorn_world)


# Mijn Meedoen: the resident's own pages. Only a resident with a file gets them; every staff role is refused.
PORTAL_PAGES = (
    "portal:home",
    "portal:route",
    "portal:places",
    "portal:wishes",
    "portal:sharing",
    "portal:looked",
    "portal:data",
    "programmes:my-successes",  # Mijn successen: the programme serves it in the portal's frame
)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if not may(r, Capability.VIEW_OWN_FILE)])
def test_staff_roles_cannot_open_the_portal_pages(role, apeldoorn, groene_schakel, login_as):
    membership = MembershipFactory(municipality=apeldoorn, role=role)
    if role == Role.PROVIDER:
        ProviderStaff.objects.create(membership=membership, provider=groene_schakel)
    client = login_as(membership)
    for page in PORTAL_PAGES:
        status = client.get(reverse(page)).status_code
        assert status in (302, 403), f"{page} as {role}: {status}"


@pytest.mark.django_db
def test_a_resident_logged_in_with_digid_gets_every_portal_page(apeldoorn, groene_schakel, moestuin):
    from django.test import Client

    from meedoen.portal.tests.test_digid_login import digid_login
    from meedoen.residents.tests.factories import ResidentFactory

    assert [r for r in Role if may(r, Capability.VIEW_OWN_FILE)] == [Role.RESIDENT]
    resident = ResidentFactory(municipality=apeldoorn, work=True)
    client = Client()
    digid_login(client, apeldoorn, resident.bsn)
    for page in PORTAL_PAGES:
        status = client.get(reverse(page)).status_code
        assert status == 200, f"{page} as a resident: {status}"
