"""Every page and API list without an id, for every role: the roles with the capability get it, the others
403. (Pages with an id are covered per role and municipality by test_isolation.py.)"""

import pytest
from django.urls import reverse

from meedoen.accounts.policies import Capability, Role, may
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.catalogue.models import ProviderStaff

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
