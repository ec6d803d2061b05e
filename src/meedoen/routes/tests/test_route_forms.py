"""Each form of the route page posts to its own view: posted with only its required fields it does what it
says; an outsider (other municipality) gets 404, a role without resident files 403."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.catalogue.tests.conftest import act
from meedoen.residents.models import LadderScore
from meedoen.routes import actions
from meedoen.routes.models import ReorientationRequest, Review, Route

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _open(ruben, alice, days_ago=30):
    return actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=days_ago), actor=act(alice))


def _paid_work_ended(ruben, alice):
    route = _open(ruben, alice, days_ago=200)
    for phase, days_ago in (("verkennen", 180), ("werken_met_ondersteuning", 150), ("betaald_werk", 100)):
        actions.do_record_step(
            route,
            phase=phase,
            starts_on=TODAY() - dt.timedelta(days=days_ago),
            reason="klaar_voor_meer",
            actor=act(alice),
        )
    actions.do_end_route(
        route, closed_on=TODAY() - dt.timedelta(days=60), outcome="betaald_werk_zonder_uitkering",
        actor=act(alice),
    )  # fmt: skip
    return route


def _post(client, name, ruben, data):
    return client.post(reverse(f"routes:{name}", args=[ruben.pk]), data, follow=True)


def test_opening_needs_only_a_date(alice, ruben, login_as):
    page = _post(login_as(alice), "open", ruben, {"openen-starts_on": TODAY().isoformat()})
    assert "De route is begonnen." in page.content.decode()
    assert "Nu: Kennismaken" in page.content.decode()


def test_a_step_needs_only_phase_date_and_reason(alice, ruben, login_as):
    _open(ruben, alice)
    data = {
        "stap-phase": "verkennen",
        "stap-starts_on": TODAY().isoformat(),
        "stap-reason": "klaar_voor_meer",
    }
    page = _post(login_as(alice), "step", ruben, data).content.decode()
    assert "De stap is vastgelegd." in page and "Nu: Verkennen" in page


def test_a_correction_needs_only_the_phase_and_what_was_wrong(alice, ruben, login_as):
    route = _open(ruben, alice)
    actions.do_record_step(route, phase="pauze", starts_on=TODAY(), reason="gezondheid", actor=act(alice))
    data = {"correctie-phase": "verkennen", "correctie-reason_text": "Verkeerde fase gekozen."}
    page = _post(login_as(alice), "correct", ruben, data).content.decode()
    assert "De stap is gecorrigeerd." in page and "Nu: Verkennen" in page


@pytest.mark.parametrize("decision", ["blijven", "pauze", "stap_vooruit", "stap_terug", "einde"])
def test_a_review_needs_no_ladder_score(alice, ruben, login_as, decision):
    _open(ruben, alice)
    data = {
        "bespreking-held_on": TODAY().isoformat(),
        "bespreking-progress": "Ruben komt elke week, het gaat goed.",
        "bespreking-decision": decision,
    }
    response = _post(login_as(alice), "review", ruben, data)
    assert response.status_code == 200
    assert "De bespreking is vastgelegd." in response.content.decode()
    assert Review.objects.get().rung is None
    assert not LadderScore.objects.filter(resident=ruben).exists()


def test_a_review_may_score_the_ladder(alice, ruben, login_as):
    _open(ruben, alice)
    data = {
        "bespreking-held_on": TODAY().isoformat(),
        "bespreking-progress": "Ruben doet mee aan de tuinclub.",
        "bespreking-decision": "blijven",
        "bespreking-rung": "3",
    }
    page = _post(login_as(alice), "review", ruben, data).content.decode()
    assert "De bespreking is vastgelegd." in page and "trede 3" in page
    assert list(LadderScore.objects.filter(resident=ruben).values_list("rung", flat=True)) == [3]


def test_a_review_without_a_decision_shows_the_page_with_that_error(alice, ruben, login_as):
    _open(ruben, alice)
    response = login_as(alice).post(
        reverse("routes:review", args=[ruben.pk]),
        {"bespreking-held_on": TODAY().isoformat(), "bespreking-progress": "Gaat goed."},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kies een besluit." in page
    assert "Route van Ruben Jansen" in page and "Een stap vastleggen" in page  # the whole page is there
    assert not Review.objects.exists()


def test_ending_needs_date_outcome_and_a_confirmation(alice, ruben, login_as):
    _open(ruben, alice)
    client = login_as(alice)
    data = {"einde-closed_on": TODAY().isoformat(), "einde-outcome": "verhuisd"}
    unconfirmed = _post(client, "end", ruben, data).content.decode()
    assert "Vink aan dat u de route wilt beëindigen." in unconfirmed
    assert Route.objects.get().closed_on is None
    page = _post(client, "end", ruben, data | {"einde-confirm": "on"}).content.decode()
    assert "De route is beëindigd." in page
    assert Route.objects.get().closed_on == TODAY()


def test_a_fall_back_needs_only_a_date(alice, ruben, login_as):
    _paid_work_ended(ruben, alice)
    page = _post(login_as(alice), "fall-back", ruben, {"terugval-starts_on": TODAY().isoformat()})
    assert "De inwoner is terug op de route" in page.content.decode()
    assert "Nu: Werken met ondersteuning" in page.content.decode()


def test_a_request_needs_only_whom_what_and_why(alice, ruben, login_as):
    data = {"verzoek-to": "ander_domein", "verzoek-kind": "meedoen", "verzoek-reason": "Hulp thuis."}
    page = _post(login_as(alice), "request", ruben, data).content.decode()
    assert "Het verzoek is verstuurd." in page
    assert ReorientationRequest.objects.get().to_domain == "wmo"


FORMS = {
    "open": {"openen-starts_on": "2026-01-05"},
    "step": {"stap-phase": "verkennen", "stap-starts_on": "2026-01-05", "stap-reason": "klaar_voor_meer"},
    "correct": {"correctie-phase": "verkennen", "correctie-reason_text": "x"},
    "end": {"einde-closed_on": "2026-01-05", "einde-outcome": "verhuisd", "einde-confirm": "on"},
    "fall-back": {"terugval-starts_on": "2026-01-05"},
    "review": {
        "bespreking-held_on": "2026-01-05",
        "bespreking-progress": "x",
        "bespreking-decision": "blijven",
    },
    "request": {"verzoek-to": "ander_domein", "verzoek-kind": "meedoen", "verzoek-reason": "x"},
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_another_municipality_gets_404_and_changes_nothing(charlie, alice, ruben, login_as, name):
    _open(ruben, alice)
    response = login_as(charlie).post(reverse(f"routes:{name}", args=[ruben.pk]), FORMS[name])
    assert response.status_code == 404
    assert Route.objects.get().steps.count() == 1 and not Review.objects.exists()


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_provider_gets_403(paula, alice, ruben, login_as, name):
    _open(ruben, alice)
    response = login_as(paula).post(reverse(f"routes:{name}", args=[ruben.pk]), FORMS[name])
    assert response.status_code == 403


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_forms_post_only_and_the_page_links_each_to_its_own_view(alice, ruben, login_as, name):
    client = login_as(alice)
    assert client.get(reverse(f"routes:{name}", args=[ruben.pk])).status_code == 405
    if name == "fall-back":
        _paid_work_ended(ruben, alice)
    elif name not in ("open", "request"):
        route = _open(ruben, alice)
        actions.do_record_step(
            route, phase="verkennen", starts_on=TODAY(), reason="bespreking", actor=act(alice)
        )
    page = client.get(reverse("routes:route", args=[ruben.pk])).content.decode()
    assert f'action="{reverse(f"routes:{name}", args=[ruben.pk])}#' in page  # back at the form on errors
