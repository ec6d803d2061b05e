"""Domain-bound text stays in its domain: what the route's timeline lines say about the benefit
(Participatiewet) reaches the Wmo-consulent only with the resident's consent; the file says that a part is
not shared, and every line of the file's forms names who wrote it."""

import datetime as dt
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.catalogue.tests.conftest import act
from meedoen.residents.models import Consent, TimelineEvent
from meedoen.routes import actions as route_actions

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
NOT_SHARED = "Een deel van de tijdlijn hoort bij de Participatiewet. Dat deel is niet met u gedeeld"


@pytest.fixture
def ruben_on_the_route(ruben, alice, wendy):
    """Ruben, also guided by wendy, stepped back on his route and left for paid work."""
    ruben.caseworker_care = wendy.user
    ruben.save(update_fields=["caseworker_care"])
    route = route_actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=30), actor=act(alice))
    route_actions.do_record_step(
        route, phase="verkennen", starts_on=TODAY() - dt.timedelta(days=20), reason="klaar_voor_meer",
        actor=act(alice),
    )  # fmt: skip
    route_actions.do_record_step(
        route, phase="kennismaken", starts_on=TODAY() - dt.timedelta(days=10), reason="te_zwaar",
        actor=act(alice),
    )  # fmt: skip
    route_actions.do_end_route(
        route, closed_on=TODAY(), outcome="betaald_werk_zonder_uitkering", actor=act(alice)
    )
    return ruben


def _timeline(client, resident) -> str:
    html = client.get(reverse("residents:detail", args=[resident.pk])).content.decode()
    return html[html.index('id="tijdlijn"') :]


def test_wendy_without_consent_does_not_read_about_the_benefit(ruben_on_the_route, wendy, login_as):
    timeline = _timeline(login_as(wendy), ruben_on_the_route)
    assert "Stap terug naar kennismaken" in timeline  # the shared route line is there
    assert "Route beëindigd per" in timeline and "betaald werk." in timeline
    assert "uitkering" not in timeline.lower()
    assert NOT_SHARED in timeline


def test_wendy_with_consent_reads_it(ruben_on_the_route, wendy, alice, login_as):
    Consent.objects.create(
        resident=ruben_on_the_route, shared_domain="participatiewet", given_on=TODAY(), recorded_by=alice.user
    )
    timeline = _timeline(login_as(wendy), ruben_on_the_route)
    assert "De grondslag en het plan blijven zoals ze zijn. De uitkering blijft ook zoals die is." in timeline
    assert "betaald werk. Zonder uitkering." in timeline
    assert NOT_SHARED not in timeline


def test_alice_reads_it_in_her_own_domain(ruben_on_the_route, alice, login_as):
    timeline = _timeline(login_as(alice), ruben_on_the_route)
    assert "De uitkering blijft ook zoals die is." in timeline and "Zonder uitkering." in timeline
    assert "niet met u gedeeld" not in timeline


def test_the_api_follows_the_same_rule(ruben_on_the_route, wendy, alice, login_as):
    url = reverse("api:resident-timeline", args=[ruben_on_the_route.pk])
    texts = " ".join(event["text"] for event in login_as(wendy).get(url).json())
    assert "Stap terug naar kennismaken" in texts and "uitkering" not in texts.lower()
    texts = " ".join(event["text"] for event in login_as(alice).get(url).json())
    assert "Zonder uitkering." in texts


def test_a_line_of_the_other_domain_is_announced_not_shown(ruben, alice, wendy, login_as):
    ruben.caseworker_care = wendy.user
    ruben.save(update_fields=["caseworker_care"])
    TimelineEvent.objects.create(
        resident=ruben,
        kind="notitie",
        domain="participatiewet",
        occurred_at=timezone.now(),
        text="Alleen werk",
    )
    timeline = _timeline(login_as(wendy), ruben)
    assert "Alleen werk" not in timeline and NOT_SHARED in timeline


@pytest.mark.parametrize(
    ("url_name", "data", "kind"),
    [
        (
            "residents:ladder",
            {"rung": "3", "scored_on": "2026-01-10", "rationale": "Gaat naar de club."},
            "ladder",
        ),
        ("residents:plan", {"goals": "", "review_on": "", "version": "1"}, "plan"),
        (
            "residents:plan-action",
            {"description": "Cv opsturen", "owner": "inwoner", "due_on": "2026-12-15"},
            "plan",
        ),
    ],
)
def test_lines_of_the_file_forms_name_who_wrote_them(url_name, data, kind, ruben, alice, login_as):
    client = login_as(alice)
    assert client.post(reverse(url_name, args=[ruben.pk]), data).status_code == 302
    line = TimelineEvent.objects.get(resident=ruben, kind=kind)
    assert line.author == alice.user
    timeline = _timeline(client, ruben)
    assert escape(f"{line.get_kind_display()} · {alice.user.display_name()}") in timeline


def test_marking_an_agreement_done_names_who_did(ruben, alice, login_as):
    client = login_as(alice)
    client.post(
        reverse("residents:plan-action", args=[ruben.pk]),
        {"description": "Cv opsturen", "owner": "inwoner", "due_on": "2026-12-15"},
    )
    action = ruben.plan.actions.get()
    client.post(reverse("residents:plan-action-done", args=[ruben.pk, action.pk]))
    assert TimelineEvent.objects.get(text="Afspraak gedaan: Cv opsturen.").author == alice.user


def test_nothing_yet_only_when_nothing_is_hidden(ruben, wendy, login_as):
    ruben.caseworker_care = wendy.user
    ruben.save(update_fields=["caseworker_care"])
    TimelineEvent.objects.filter(resident=ruben).delete()
    assert "Nog niets op de tijdlijn." in _timeline(login_as(wendy), ruben)
    TimelineEvent.objects.create(
        resident=ruben, kind="notitie", domain="participatiewet", occurred_at=timezone.now(), text="Werk"
    )
    timeline = _timeline(login_as(wendy), ruben)
    assert "Nog niets op de tijdlijn." not in timeline and NOT_SHARED in timeline
