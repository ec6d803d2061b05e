"""Shared test setup: the database choice, and fixed personas in two municipalities.

Personas (after healthchecks' alice/bob/charlie): ``alice`` klantmanager in Apeldoorn, ``wendy`` Wmo-consulent
in Apeldoorn, ``charlie`` klantmanager in Epe, ``paula`` provider, ``pim`` programme manager, ``ada``
functioneel beheerder, ``fred`` privacy officer (all Apeldoorn), and ``rita``, a resident of Apeldoorn.
``groene_schakel`` is the werkleerbedrijf paula works for, ``moestuin`` one of its placements, and ``ruben`` a
resident in alice's caseload.
"""

import os
import socket

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import settings as hypothesis_settings

from meedoen.accounts.middleware import SESSION_KEY
from meedoen.accounts.models import Membership
from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory, TOTPDeviceFactory
from meedoen.catalogue.models import ProviderStaff
from meedoen.catalogue.tests.factories import ContractFactory, PlacementFactory, ProviderFactory
from meedoen.municipalities.actions import do_ensure_vocabularies
from meedoen.municipalities.tests.factories import DistrictFactory, MunicipalityFactory
from meedoen.residents.tests.factories import ResidentFactory

IN_CI = os.environ.get("CI", "").lower() == "true"

# Property tests check what holds, not how fast: on a busy 2-core machine a first example can take longer
# than Hypothesis's default 200 ms deadline, which made a correct property fail as "flaky".
hypothesis_settings.register_profile("meedoen", deadline=None)
hypothesis_settings.load_profile("meedoen")


def _postgres_reachable() -> bool:
    host = os.environ.get("MEEDOEN_TEST_PG_HOST", "127.0.0.1")
    port = int(os.environ.get("MEEDOEN_TEST_PG_PORT", "5432"))
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("MEEDOEN_TEST_DATABASE") != "postgres" or _postgres_reachable():
        return
    if IN_CI:
        raise pytest.UsageError(
            "CI=true but PostgreSQL is not reachable on 127.0.0.1:5432: the suite must run there."
        )
    skip = pytest.mark.skip(
        reason="PostgreSQL is not reachable on 127.0.0.1:5432 (start it to run this pass)"
    )
    for item in items:
        item.add_marker(skip)


@pytest.fixture
def apeldoorn(db):
    municipality = MunicipalityFactory(name="Apeldoorn", slug="apeldoorn", cbs_code="0200")
    DistrictFactory(municipality=municipality, area="Zuid", name="De Maten")
    return municipality


@pytest.fixture
def epe(db):
    municipality = MunicipalityFactory(name="Epe", slug="epe", cbs_code="0232")
    DistrictFactory(municipality=municipality, area="Vaassen", name="Vaassen")
    return municipality


def _persona(municipality, role: Role, username: str) -> Membership:
    return MembershipFactory(
        municipality=municipality, role=role, user__username=username, user__first_name=username.title()
    )


@pytest.fixture
def alice(apeldoorn) -> Membership:
    return _persona(apeldoorn, Role.CASEWORKER_WORK, "alice")


@pytest.fixture
def wendy(apeldoorn) -> Membership:
    return _persona(apeldoorn, Role.CASEWORKER_CARE, "wendy")


@pytest.fixture
def charlie(epe) -> Membership:
    return _persona(epe, Role.CASEWORKER_WORK, "charlie")


@pytest.fixture
def paula(apeldoorn) -> Membership:
    return _persona(apeldoorn, Role.PROVIDER, "paula")


@pytest.fixture
def pim(apeldoorn) -> Membership:
    return _persona(apeldoorn, Role.PROGRAMME_MANAGER, "pim")


@pytest.fixture
def ada(apeldoorn) -> Membership:
    return _persona(apeldoorn, Role.ADMIN, "ada")


@pytest.fixture
def fred(apeldoorn) -> Membership:
    return _persona(apeldoorn, Role.PRIVACY_OFFICER, "fred")


@pytest.fixture
def carla(apeldoorn) -> Membership:
    """The controller: the programme's money."""
    return _persona(apeldoorn, Role.CONTROLLER, "carla")


@pytest.fixture
def rita(apeldoorn) -> Membership:
    membership = _persona(apeldoorn, Role.RESIDENT, "rita")
    ResidentFactory(municipality=apeldoorn, user=membership.user, given_names="Rita", work=True)
    return membership


@pytest.fixture
def login_as():
    """A client logged in through a membership, with a verified second factor as after a real login."""

    def make(membership: Membership) -> Client:
        client = Client()
        client.force_login(membership.user)
        session = client.session
        session[SESSION_KEY] = str(membership.pk)
        device = TOTPDeviceFactory(user=membership.user)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return make


@pytest.fixture
def groene_schakel(apeldoorn, paula):
    do_ensure_vocabularies(apeldoorn)
    provider = ProviderFactory(name="De Groene Schakel")
    ContractFactory(provider=provider, municipality=apeldoorn)
    ProviderStaff.objects.create(membership=paula, provider=provider)
    return provider


@pytest.fixture
def moestuin(groene_schakel):
    return PlacementFactory(provider=groene_schakel, title="Moestuin De Maten", tags=["groen"])


@pytest.fixture
def ruben(apeldoorn, alice):
    return ResidentFactory(
        municipality=apeldoorn,
        given_names="Ruben",
        family_name="Jansen",
        caseworker_work=alice.user,
        work=True,
        phone="06-12345678",
    )
