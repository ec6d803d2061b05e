"""The reasons of a match speak the language of the page: scoring keeps Dutch templates with codes, the page
shows them in English when English is chosen, and in Dutch (the same sentences as always) otherwise."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from meedoen.accounts.actions import do_issue_api_token
from meedoen.accounts.actor import Actor
from meedoen.catalogue.tests.conftest import act
from meedoen.matching import reasons, scoring
from meedoen.municipalities.models import District
from meedoen.residents.models import Profile
from meedoen.routes import actions as routes_actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def exploring(ruben, apeldoorn, groene_schakel, alice):
    """Ruben lives in De Maten, likes green work, cycles up to 5 km, can carry a low workload and explores on
    his route."""
    ruben.district = District.objects.get(municipality=apeldoorn, name="De Maten")
    ruben.save()
    profile = Profile.objects.create(
        resident=ruben, travel_mode="fiets", travel_radius_km=5, workload="laag", hours_per_week=12
    )
    profile.interests.set(apeldoorn.interest_tags.filter(code="groen"))
    route = routes_actions.do_open_route(ruben, starts_on=timezone.localdate(), actor=act(alice))
    routes_actions.do_record_step(
        route, phase="verkennen", starts_on=timezone.localdate(), reason="klaar_voor_meer", actor=act(alice)
    )
    return ruben


def test_every_word_and_template_is_in_the_catalogue_and_translated():
    words = {word for vocabulary in scoring.VOCABULARIES.values() for word in vocabulary.values()}
    assert words - set(reasons.WORDS) <= set(scoring.PHASE_NAMES.values())  # routes.labels lists those
    with translation.override("en"):
        untranslated = [
            text for text in reasons.TEMPLATES + reasons.WORDS if translation.gettext(text) == text
        ]
    assert untranslated == ["%(km)s km", "%(first)s, %(rest)s"]  # the same in English


def test_a_reason_renders_in_the_active_language():
    reason = scoring.Reason(
        "%(kind)s past bij de fase %(phase)s van de route",
        {"kind": scoring.Term("kind", "werkervaringsplek"), "phase": scoring.Term("phase", "verkennen")},
    )
    days = scoring.Reason(
        "%(days)s, %(hours)s uur per week",
        {
            "days": scoring.Reason(
                "%(first)s en %(last)s",
                {"first": scoring.Term("day", "di"), "last": scoring.Term("day", "do")},
            ),
            "hours": scoring.Number(12.5, trim=True),
        },
    )
    with translation.override("en"):
        assert reasons.shown(reason) == "a work experience placement fits the phase of the route: exploring"
        assert reasons.shown(days) == "Tue and Thu, 12.5 hours a week"
        assert reasons.shown(scoring.Term("criterion", "phase")) == "phase of the route"
    with translation.override("nl"):
        assert (
            reasons.shown(reason)
            == str(reason)
            == "een werkervaringsplek past bij de fase verkennen van de route"
        )
        assert reasons.shown(days) == str(days) == "di en do, 12,5 uur per week"


def test_passende_plekken_in_english_give_the_reasons_in_english(
    alice, charlie, paula, exploring, moestuin, login_as
):
    client = login_as(alice)
    url = reverse("matching:recommendations", args=[exploring.pk])
    dutch = client.get(url).content.decode()
    assert "past bij interesse groen en tuin" in dutch
    assert "activerend werk past bij de fase verkennen van de route" in dutch
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert "by bike (about" in page
    assert "matches interest in green spaces and gardening" in page  # still the default name: translated
    assert "low workload, as asked" in page
    assert "Tue and Thu, " in page and " hours a week" in page
    assert "activating work fits the phase of the route: exploring" in page
    assert "interests: " in page and "phase of the route: " in page  # how the points add up
    for dutch_word in ("per fiets", "werkdruk", "uur per week", "past bij", "vrije plek", "interesses:"):
        assert dutch_word not in page
    # The other municipality and the wrong role still see nothing of it.
    assert login_as(charlie).get(url).status_code == 404
    assert login_as(paula).get(url).status_code == 403


def test_an_interest_the_municipality_renamed_keeps_its_own_words_in_english(
    alice, apeldoorn, exploring, moestuin, login_as
):
    apeldoorn.interest_tags.filter(code="groen").update(name="Moestuinieren")
    client = login_as(alice)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("matching:recommendations", args=[exploring.pk])).content.decode()
    assert "matches interest in moestuinieren" in page
    assert "green spaces" not in page


def test_the_explanation_page_in_english(alice, login_as):
    client = login_as(alice)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("matching:explanation")).content.decode()
    assert "Phase of the route" in page
    assert "Fase van de route" not in page and "Meedoen stelt voor" not in page


def test_the_api_keeps_giving_the_reasons_in_dutch(alice, exploring, moestuin):
    key = do_issue_api_token(name="crm", actor=Actor(alice.user, alice, "test")).key
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    body = client.get(reverse("api:resident-recommendations", args=[exploring.pk])).json()
    assert "past bij interesse groen en tuin" in body[0]["fits"]
    assert "activerend werk past bij de fase verkennen van de route" in body[0]["fits"]
    assert {part["criterion"] for part in body[0]["parts"]} >= {"interesses", "fase van de route"}
