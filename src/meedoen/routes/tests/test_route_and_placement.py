"""Route and placement tell the same story: no step into a placement before it starts, the step form says
what a step away does to the placement, ending a route is confirmed and points at the benefit that still
runs, and after a fall-back the earlier route stays reachable."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.models import Seat
from meedoen.catalogue.tests.conftest import act
from meedoen.errors import RuleError
from meedoen.residents.tests.factories import ResidentFactory
from meedoen.routes import actions
from meedoen.routes.models import Step

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _accepted(ruben, moestuin, alice, paula, start):
    proposal = catalogue_actions.do_propose(
        ruben, moestuin, start_date=start, hours_per_week=12, note="", actor=act(alice)
    )
    catalogue_actions.do_accept_proposal(proposal, actor=act(paula))
    proposal.refresh_from_db()
    return proposal


def _exploring(ruben, alice):
    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=60), actor=act(alice))
    actions.do_record_step(
        route, phase="verkennen", starts_on=TODAY() - dt.timedelta(days=40), reason="klaar_voor_meer",
        actor=act(alice),
    )  # fmt: skip
    return route


def test_no_step_into_a_placement_before_it_starts(alice, paula, ruben, moestuin, login_as):
    route = _exploring(ruben, alice)
    starts = TODAY() + dt.timedelta(days=14)
    proposal = _accepted(ruben, moestuin, alice, paula, starts)
    with pytest.raises(RuleError) as early:
        actions.do_record_step(
            route, phase="activerend_werk", starts_on=TODAY(), reason="klaar_voor_meer", proposal=proposal,
            actor=act(alice),
        )  # fmt: skip
    assert early.value.field == "starts_on"
    assert f"De plek bij Moestuin De Maten begint op {starts:%d-%m-%Y}" in early.value.message
    response = login_as(alice).post(
        reverse("routes:step", args=[ruben.pk]),
        {
            "stap-phase": "activerend_werk",
            "stap-starts_on": TODAY().isoformat(),
            "stap-reason": "klaar_voor_meer",
            "stap-proposal": str(proposal.pk),
        },
    )
    assert f"begint op {starts:%d-%m-%Y}" in response.content.decode()
    assert Step.objects.filter(route=route).count() == 2
    actions.do_record_step(
        route, phase="activerend_werk", starts_on=starts, reason="klaar_voor_meer", proposal=proposal,
        actor=act(alice),
    )  # fmt: skip


def test_the_step_form_says_a_step_away_ends_the_placement(alice, paula, ruben, moestuin, login_as):
    route = _exploring(ruben, alice)
    proposal = _accepted(ruben, moestuin, alice, paula, TODAY())
    actions.do_record_step(
        route, phase="activerend_werk", starts_on=TODAY(), reason="klaar_voor_meer", proposal=proposal,
        actor=act(alice),
    )  # fmt: skip
    client = login_as(alice)
    page = client.get(reverse("routes:route", args=[ruben.pk])).content.decode()
    form = page[page.index('action="' + reverse("routes:step", args=[ruben.pk])) :].split("</form>")[0]
    assert "De inwoner is nu op de plek Moestuin De Maten." in form
    assert "beëindigt die plek op de dag voor de stap" in form
    tomorrow = TODAY() + dt.timedelta(days=1)
    done = client.post(
        reverse("routes:step", args=[ruben.pk]),
        {"stap-phase": "verkennen", "stap-starts_on": tomorrow.isoformat(), "stap-reason": "te_zwaar"},
        follow=True,
    ).content.decode()
    assert f"De plek die de inwoner had, is beëindigd per {TODAY():%d-%m-%Y}." in done
    assert Seat.objects.get(proposal=proposal).ended_on == TODAY()


def test_ending_the_route_points_at_the_benefit_that_still_runs(alice, wendy, ruben, login_as):
    _exploring(ruben, alice)
    basis = ruben.legal_bases.get()
    client = login_as(alice)
    page = client.get(reverse("routes:route", args=[ruben.pk])).content.decode()
    end_section = page[page.index('id="einde-titel"') :].split("</section>")[0]
    assert "Bijstandsuitkering (Participatiewet) loopt nog" in end_section
    assert "Meedoen beslist niet over uitkeringen" in end_section
    assert reverse("residents:end-legal-basis", args=[ruben.pk, basis.pk]) in end_section
    assert 'name="einde-confirm"' in end_section
    done = client.post(
        reverse("routes:end", args=[ruben.pk]),
        {
            "einde-closed_on": TODAY().isoformat(),
            "einde-outcome": "betaald_werk_zonder_uitkering",
            "einde-confirm": "on",
        },
        follow=True,
    ).content.decode()
    assert "De route is beëindigd." in done
    assert "Bijstandsuitkering (Participatiewet) loopt nog" in done
    basis.refresh_from_db()
    assert basis.end_date is None  # Meedoen does not decide benefits


def test_after_a_fall_back_the_earlier_route_and_its_steps_are_reachable(
    alice, charlie, paula, apeldoorn, ruben, login_as
):
    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=300), actor=act(alice))
    for phase, days_ago in (("verkennen", 280), ("werken_met_ondersteuning", 250), ("betaald_werk", 200)):
        actions.do_record_step(
            route, phase=phase, starts_on=TODAY() - dt.timedelta(days=days_ago), reason="klaar_voor_meer",
            reason_text=f"Toelichting bij {phase}.", actor=act(alice),
        )  # fmt: skip
    actions.do_end_route(
        route, closed_on=TODAY() - dt.timedelta(days=100), outcome="betaald_werk_zonder_uitkering",
        actor=act(alice),
    )  # fmt: skip
    actions.do_fall_back(ruben, starts_on=TODAY(), actor=act(alice))
    client = login_as(alice)
    earlier_url = reverse("routes:earlier", args=[ruben.pk, route.pk])
    page = client.get(reverse("routes:route", args=[ruben.pk])).content.decode()
    assert page.count(f'href="{earlier_url}"') == 2  # under the fall-back notice and in "Eerdere routes"
    earlier = client.get(earlier_url).content.decode()
    steps = earlier[earlier.index('class="meedoen-route"') :].split("</ol>")[0]
    assert "Toelichting bij werken_met_ondersteuning." in steps and "Betaald werk" in steps
    assert "Einde" in steps and "Betaald werk, zonder uitkering" in steps
    assert "Stap vastleggen" not in earlier  # read only
    other = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    assert client.get(reverse("routes:earlier", args=[other.pk, route.pk])).status_code == 404
    assert login_as(charlie).get(earlier_url).status_code == 404
    assert login_as(paula).get(earlier_url).status_code == 403
