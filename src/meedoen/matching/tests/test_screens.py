"""Passende plekken on the resident file and the explanation page, as caseworkers and admins use them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import ProcessingLogEntry
from meedoen.catalogue.tests.conftest import act
from meedoen.catalogue.tests.factories import PlacementFactory
from meedoen.matching.models import MatchingWeights
from meedoen.municipalities.models import District
from meedoen.residents.models import Profile
from meedoen.routes import actions as routes_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiled(ruben, apeldoorn, groene_schakel):
    """Ruben lives in De Maten, likes green work, cycles up to 5 km and can carry a low workload."""
    ruben.district = District.objects.get(municipality=apeldoorn, name="De Maten")
    ruben.save()
    profile = Profile.objects.create(
        resident=ruben, travel_mode="fiets", travel_radius_km=5, workload="laag", hours_per_week=12
    )
    profile.interests.set(apeldoorn.interest_tags.filter(code="groen"))
    return ruben


def test_passende_plekken_ranks_and_explains(alice, profiled, moestuin, login_as):
    PlacementFactory(provider=moestuin.provider, title="Magazijn", workload="hoog", tags=["logistiek"])
    PlacementFactory(provider=moestuin.provider, title="Kantine", tags=["koken"], latitude=52.2140)
    response = login_as(alice).get(reverse("matching:recommendations", args=[profiled.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Moestuin De Maten") < page.index("Kantine")
    assert "Magazijn" not in page  # too heavy for Ruben: never offered
    assert "past bij interesse groen en tuin" in page
    assert "per fiets" in page
    assert reverse("catalogue:propose", args=[profiled.pk, moestuin.pk]) in page
    entry = ProcessingLogEntry.objects.filter(actor=alice.user).latest("occurred_at")
    assert (entry.action, entry.purpose) == ("view", "begeleiding")


def test_passende_plekken_weighs_and_names_the_phase_on_the_route(alice, profiled, moestuin, login_as):
    """The moestuin is activerend werk: a leap while Ruben gets to know the route, the next step once he
    explores; the reasons and the explanation page speak of the route's phase, not of the ladder."""
    route = routes_actions.do_open_route(profiled, starts_on=timezone.localdate(), actor=act(alice))
    client = login_as(alice)
    url = reverse("matching:recommendations", args=[profiled.pk])
    page = client.get(url).content.decode()
    assert "activerend werk past minder bij de fase kennismaken van de route" in page
    routes_actions.do_record_step(
        route, phase="verkennen", starts_on=timezone.localdate(), reason="klaar_voor_meer", actor=act(alice)
    )
    page = client.get(url).content.decode()
    assert "activerend werk past bij de fase verkennen van de route" in page
    assert "trede" not in page
    explanation = client.get(reverse("matching:explanation")).content.decode()
    assert (
        "Fase van de route: of de soort plek past bij de fase waarin de inwoner nu op de route zit"
        in explanation
    )


def test_an_empty_profile_is_pointed_out(alice, ruben, moestuin, login_as):
    page = login_as(alice).get(reverse("matching:recommendations", args=[ruben.pk])).content.decode()
    assert "Er zijn geen interesses ingevuld." in page
    assert "Er is geen wijk bekend" in page


def test_a_care_consultant_without_the_resident_in_caseload_gets_404(wendy, ruben, login_as):
    assert login_as(wendy).get(reverse("matching:recommendations", args=[ruben.pk])).status_code == 404


def test_the_explanation_shows_the_weights_and_an_admin_changes_them(ada, alice, apeldoorn, login_as):
    page = login_as(alice).get(reverse("matching:explanation")).content.decode()
    assert "Meedoen stelt voor; een mens beslist." in page
    assert "30%" in page  # interests: 3 of 10 by default
    assert "Weging opslaan" not in page
    admin = login_as(ada)
    wrong = admin.post(
        reverse("matching:explanation"),
        {"interests": "11", "distance": "2", "hours": "1", "days": "1", "phase": "2", "waiting": "1"},
    )
    assert "Kies een gewicht van 0 tot en met 10." in wrong.content.decode()
    nothing = admin.post(
        reverse("matching:explanation"),
        {"interests": "0", "distance": "0", "hours": "0", "days": "0", "phase": "0", "waiting": "0"},
    )
    assert "Zet minstens één onderdeel hoger dan 0." in nothing.content.decode()
    admin.post(
        reverse("matching:explanation"),
        {"interests": "5", "distance": "5", "hours": "0", "days": "0", "phase": "0", "waiting": "0"},
    )
    assert MatchingWeights.objects.get(municipality=apeldoorn).interests == 5
    assert "50%" in login_as(alice).get(reverse("matching:explanation")).content.decode()


def test_the_api_gives_the_same_ranking_with_reasons(alice, charlie, profiled, moestuin):
    from django.test import Client

    from meedoen.accounts.actions import do_issue_api_token
    from meedoen.accounts.actor import Actor

    key = do_issue_api_token(name="crm", actor=Actor(alice.user, alice, "test")).key
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = client.get(reverse("api:resident-recommendations", args=[profiled.pk])).json()
    assert body[0]["placement"] == str(moestuin.pk)
    assert "past bij interesse groen en tuin" in body[0]["fits"]
    assert {part["criterion"] for part in body[0]["parts"]} >= {"interesses", "afstand"}
    other = do_issue_api_token(name="epe", actor=Actor(charlie.user, charlie, "test")).key
    response = Client(HTTP_AUTHORIZATION=f"Bearer {other}").get(
        reverse("api:resident-recommendations", args=[profiled.pk])
    )
    assert response.status_code == 404
