"""The controller's commitment screens and API, the caseworker's warning on the propose page, and the
provider's accept when the money does not fit: what each user sees, and who may not see it."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import ProcessingLogEntry, Purpose
from meedoen.budgets.models import Commitment, OverspendApproval
from meedoen.budgets.tests.commitment_helpers import FOUR_WEEKS_END, act, open_year, propose
from meedoen.budgets.tests.factories import FundingSourceFactory
from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.models import Contract, Proposal, Seat
from meedoen.catalogue.tests.factories import PlacementFactory
from meedoen.routes.models import Route, Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(groene_schakel, alice, paula, carla):
    """A year with € 1.000,00, one running four-week commitment of € 480,00 and one waiting proposal."""
    Contract.objects.filter(provider=groene_schakel).update(ends_on=FOUR_WEEKS_END)
    budget_year, source = open_year(alice.municipality, carla, amount=Decimal("1000.00"))
    placement = PlacementFactory(provider=groene_schakel, title="Fietsenwerkplaats")
    proposal = propose(placement, alice)
    seat = catalogue_actions.do_accept_proposal(proposal, actor=act(paula))
    route = Route.objects.create(
        municipality=alice.municipality,
        resident=seat.resident,
        opened_on=dt.date(2026, 1, 1),
        created_by=alice.user,
    )
    Step.objects.create(
        route=route, phase="kennismaken", starts_on=dt.date(2026, 3, 10), reason="te_zwaar", is_back=True,
        decided_by=alice.user, recorded_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC),
    )  # fmt: skip
    big = PlacementFactory(provider=groene_schakel, title="Groenploeg", price=Decimal("200.00"))
    waiting = propose(big, alice)  # four weeks at 200: 800 > 520 free
    return {
        "year": budget_year,
        "source": source,
        "commitment": Commitment.objects.get(seat=seat),
        "seat": seat,
        "waiting": waiting,
    }


def test_the_controller_sees_the_commitments_of_a_year_per_source(world, carla, login_as):
    client = login_as(carla)
    response = client.get(reverse("budgets:commitments", args=[world["year"].pk]))
    text = html.unescape(response.content.decode())  # names as a person reads them ("'t Erve")
    assert response.status_code == 200
    assert world["seat"].resident.full_name in text and "Fietsenwerkplaats" in text
    assert "€\u00a0480,00" in text and "02-03-2026 – 29-03-2026" in text
    assert ProcessingLogEntry.objects.filter(
        purpose=Purpose.BUDGET,
        endpoint="budgets:commitments",
        subjects__resident_id=world["seat"].resident_id,
    ).exists()


def test_the_commitment_page_shows_entries_and_the_route_beside_them(world, carla, login_as):
    response = login_as(carla).get(reverse("budgets:commitment", args=[world["commitment"].pk]))
    text = response.content.decode()
    assert "verplichting" in text and "€\u00a0480,00" in text
    assert "10-03-2026" in text and "stap terug" in text
    assert "verplaatst zelf geen geld" in text


def test_extend_form_adds_and_refuses_at_the_field(world, carla, login_as):
    client = login_as(carla)
    url = reverse("budgets:commitment-extend", args=[world["commitment"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"ends_on": "2026-06-30"})
    assert response.status_code == 200 and "niet genoeg budget" in response.content.decode()
    response = client.post(url, {"ends_on": "2026-04-05"})
    assert response.status_code == 302
    world["commitment"].refresh_from_db()
    assert world["commitment"].ends_on == dt.date(2026, 4, 5)


def test_reattribute_form_needs_a_reason_and_moves_the_commitment(world, carla, login_as):
    other = FundingSourceFactory(budget_year=world["year"], name="Programmageld", legal_basis="programma")
    client = login_as(carla)
    url = reverse("budgets:commitment-reattribute", args=[world["commitment"].pk])
    response = client.post(url, {"source": str(other.pk), "project": "", "reason": ""})
    assert response.status_code == 200
    response = client.post(url, {"source": str(other.pk), "project": "", "reason": "Hoort bij het programma"})
    assert response.status_code == 302
    assert Commitment.objects.get(pk=world["commitment"].pk).source == other


def test_proposals_waiting_for_budget_and_the_approval(world, carla, paula, login_as):
    client = login_as(carla)
    response = client.get(reverse("budgets:commitments-waiting", args=[world["year"].pk]))
    text = response.content.decode()
    assert "Groenploeg" in text and "€\u00a0800,00" in text and "€\u00a0520,00" in text
    url = reverse("budgets:commitment-approve", args=[world["waiting"].pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Afspraak met de wethouder"}).status_code == 302
    assert OverspendApproval.objects.filter(proposal=world["waiting"]).exists()
    response = client.get(reverse("budgets:commitments-waiting", args=[world["year"].pk]))
    assert "Groenploeg" not in response.content.decode()


def test_the_api_gives_the_commitments_with_amounts_as_strings(world, carla, login_as):
    response = login_as(carla).get(reverse("api:budget-commitments", args=[world["year"].pk]))
    assert response.status_code == 200
    [row] = response.json()
    assert (
        row["committed"] == "480.00"
        and row["released"] == "0.00"
        and row["funding_source"] == "Re-integratie"
    )


def test_provider_caseworker_and_programme_manager_get_403(world, alice, paula, pim, login_as):
    urls = [
        reverse("budgets:commitment-years"),
        reverse("budgets:commitments", args=[world["year"].pk]),
        reverse("budgets:commitment", args=[world["commitment"].pk]),
        reverse("budgets:commitment-extend", args=[world["commitment"].pk]),
        reverse("budgets:commitment-reattribute", args=[world["commitment"].pk]),
        reverse("budgets:commitments-waiting", args=[world["year"].pk]),
        reverse("budgets:commitment-approve", args=[world["waiting"].pk]),
        reverse("api:budget-commitments", args=[world["year"].pk]),
    ]
    for persona in (alice, paula, pim):
        client = login_as(persona)
        for url in urls:
            assert client.get(url).status_code == 403, (persona, url)


def test_another_municipalitys_objects_are_404(world, epe, login_as):
    from meedoen.accounts.policies import Role
    from meedoen.accounts.tests.factories import MembershipFactory

    client = login_as(MembershipFactory(municipality=epe, role=Role.CONTROLLER))
    for url in [
        reverse("budgets:commitments", args=[world["year"].pk]),
        reverse("budgets:commitment", args=[world["commitment"].pk]),
        reverse("budgets:commitment-extend", args=[world["commitment"].pk]),
        reverse("budgets:commitments-waiting", args=[world["year"].pk]),
        reverse("budgets:commitment-approve", args=[world["waiting"].pk]),
        reverse("api:budget-commitments", args=[world["year"].pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("budgets:commitment-approve", args=[world["waiting"].pk]), {"reason": "x"}
        ).status_code
        == 404
    )


def test_the_propose_page_warns_the_caseworker_but_does_not_block(world, alice, login_as, ruben):
    Contract.objects.update(ends_on=None)  # the contract runs on the start date
    client = login_as(alice)
    big = world["waiting"].placement
    url = reverse("catalogue:propose", args=[ruben.pk, big.pk])
    # A start date that is never in the past (a fixed date became one after it had passed).
    start = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.get(url, {"start_date": start, "hours_per_week": "12"})
    text = response.content.decode()
    # The cost runs to the end of the contract year, so it depends on the start date: more than what is free.
    found = re.search(
        r"Let op: er is nog €\u00a0520,00 vrij in Re-integratie, deze plaatsing kost €\u00a0([\d.]+),\d\d",
        text,
    )
    assert found and int(found.group(1).replace(".", "")) > 520, text
    assert "de controller moet toestemming geven" in text
    response = client.post(url, {"start_date": start, "hours_per_week": "12", "note": ""}, follow=True)
    assert Proposal.objects.filter(resident=ruben, placement=big).exists()
    assert "Let op: er is nog" in response.content.decode()


def test_the_provider_sees_a_refused_accept_as_a_normal_error(world, paula, login_as):
    client = login_as(paula)
    response = client.post(
        reverse("catalogue:portal-proposal-accept", args=[world["waiting"].pk]), follow=True
    )
    assert response.status_code == 200
    assert "niet genoeg budget vrij in Re-integratie" in response.content.decode()
    assert not Seat.objects.filter(proposal=world["waiting"]).exists()
    api = client.post(reverse("api:proposal-accept", args=[world["waiting"].pk]))
    assert api.status_code == 400 and "niet genoeg budget" in api.content.decode()


def test_the_propose_page_takes_a_date_that_is_none_as_no_choice(world, alice, login_as, ruben):
    """A link with ?start_date=2026-02-31 (it looks like a date, Django's parse_date raises on it) opens the
    form with today's date instead of a server error."""
    Contract.objects.update(ends_on=None)  # the contract runs today
    url = reverse("catalogue:propose", args=[ruben.pk, world["waiting"].placement.pk])
    response = login_as(alice).get(url, {"start_date": "2026-02-31", "hours_per_week": "99"})
    assert response.status_code == 200
    assert timezone.localdate().isoformat() in response.content.decode()


def test_the_waiting_list_reads_the_years_terms_once_however_many_wait(world, alice, carla, login_as):
    """Each waiting proposal is priced from the year's rules, sources and contracts read once for the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_as(carla)
    url = reverse("budgets:commitments-waiting", args=[world["year"].pk])
    client.get(url)  # the session's first reads
    with CaptureQueriesContext(connection) as one:
        assert "Groenploeg" in client.get(url).content.decode()
    for _ in range(4):
        propose(world["waiting"].placement, alice)
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    assert page.count("Groenploeg") >= 5
    assert len(five) == len(one)
