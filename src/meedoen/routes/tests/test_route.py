"""The route of a resident through the actions and the screen: forward and back, placements, correction,
ending, the fall-back guarantee, reviews and the worklist, the 10a warning."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.tests.conftest import act
from meedoen.errors import RuleError
from meedoen.residents.models import TimelineEvent
from meedoen.routes import actions, selectors
from meedoen.routes.models import Route, Step
from meedoen.routes.transitions import PHASE_NAMES

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def accepted(ruben, moestuin, alice, paula):
    proposal = catalogue_actions.do_propose(
        ruben, moestuin, start_date=TODAY(), hours_per_week=12, note="", actor=act(alice)
    )
    catalogue_actions.do_accept_proposal(proposal, actor=act(paula))
    proposal.refresh_from_db()
    return proposal


def test_forward_into_a_placement_then_a_step_back_that_keeps_everything(alice, paula, ruben, moestuin):
    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=60), actor=act(alice))
    actions.do_record_step(
        route,
        phase="verkennen",
        starts_on=TODAY() - dt.timedelta(days=40),
        reason="klaar_voor_meer",
        actor=act(alice),
    )
    with pytest.raises(RuleError) as no_place:
        actions.do_record_step(
            route, phase="activerend_werk", starts_on=TODAY(), reason="klaar_voor_meer", actor=act(alice)
        )
    assert no_place.value.field == "proposal"
    proposal = accepted(ruben, moestuin, alice, paula)
    actions.do_record_step(
        route,
        phase="leerwerken",
        starts_on=TODAY(),
        reason="klaar_voor_meer",
        proposal=proposal,
        actor=act(alice),
    )
    back = actions.do_record_step(
        route,
        phase="verkennen",
        starts_on=TODAY(),
        reason="te_zwaar",
        reason_text="Te veel prikkels.",
        actor=act(alice),
    )
    assert back.is_back
    bases = list(ruben.legal_bases.values_list("kind", "end_date"))
    assert bases == [("bijstand", None)]  # a step back changes nothing of the benefit
    texts = list(TimelineEvent.objects.filter(resident=ruben, kind="route").values_list("text", flat=True))
    assert any("Stap terug naar verkennen" in t and "blijven zoals ze zijn" in t for t in texts)
    assert any("Stap naar leerwerken (werkleerbedrijf) bij Moestuin De Maten" in t for t in texts)


def test_an_illegal_step_is_refused_with_the_allowed_ones(alice, ruben):
    route = actions.do_open_route(ruben, starts_on=TODAY(), actor=act(alice))
    with pytest.raises(RuleError) as refused:
        actions.do_record_step(
            route, phase="betaald_werk", starts_on=TODAY(), reason="klaar_voor_meer", actor=act(alice)
        )
    assert "Van kennismaken kan de inwoner niet naar betaald werk" in refused.value.message
    assert Step.objects.filter(route=route).count() == 1


def test_one_open_route_per_resident_also_in_the_database(alice, ruben):
    route = actions.do_open_route(ruben, starts_on=TODAY(), actor=act(alice))
    with pytest.raises(RuleError, match="al een open route"):
        actions.do_open_route(ruben, starts_on=TODAY(), actor=act(alice))
    with pytest.raises(IntegrityError):
        Route.objects.create(
            municipality=route.municipality, resident=ruben, opened_on=TODAY(), created_by=alice.user
        )


def test_a_wrong_step_is_corrected_not_edited(alice, ruben):
    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=5), actor=act(alice))
    wrong = actions.do_record_step(
        route, phase="pauze", starts_on=TODAY(), reason="gezondheid", actor=act(alice)
    )
    actions.do_correct_step(wrong, phase="verkennen", reason_text="Verkeerde fase gekozen.", actor=act(alice))
    assert [s.phase for s in selectors.effective_steps(route)] == ["kennismaken", "verkennen"]
    wrong.refresh_from_db()
    assert wrong.phase == "pauze"  # still there, as it was
    assert Step.objects.filter(route=route).count() == 3


def test_fall_back_within_twelve_months_reopens_in_the_phase_they_had(alice, paula, ruben, moestuin):
    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=400), actor=act(alice))
    actions.do_record_step(
        route,
        phase="verkennen",
        starts_on=TODAY() - dt.timedelta(days=380),
        reason="klaar_voor_meer",
        actor=act(alice),
    )
    Step.objects.create(
        route=route,
        phase="werken_met_ondersteuning",
        starts_on=TODAY() - dt.timedelta(days=300),
        reason="klaar_voor_meer",
        decided_by=alice.user,
        recorded_at=timezone.now(),
    )
    actions.do_record_step(
        route,
        phase="betaald_werk",
        starts_on=TODAY() - dt.timedelta(days=200),
        reason="klaar_voor_meer",
        actor=act(alice),
    )
    actions.do_end_route(
        route,
        closed_on=TODAY() - dt.timedelta(days=200),
        outcome="betaald_werk_zonder_uitkering",
        actor=act(alice),
    )
    again = actions.do_fall_back(ruben, starts_on=TODAY(), actor=act(alice))
    assert again.previous == route and again.is_fall_back
    assert selectors.effective_steps(again)[0].phase == "werken_met_ondersteuning"


def test_no_fall_back_after_the_guarantee_or_after_moving(alice, ruben):
    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=800), actor=act(alice))
    actions.do_end_route(
        route,
        closed_on=TODAY() - dt.timedelta(days=400),
        outcome="betaald_werk_zonder_uitkering",
        actor=act(alice),
    )
    with pytest.raises(RuleError, match="12 maanden"):
        actions.do_fall_back(ruben, starts_on=TODAY(), actor=act(alice))


def test_reviews_set_the_next_date_and_the_worklist_shows_what_is_due(alice, ruben, login_as):
    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=45), actor=act(alice))
    page = login_as(alice).get(reverse("routes:reviews")).content.decode()
    assert ruben.full_name in page and "te laat" in page  # kennismaken: a review each month
    assert "<title>Besprekingen · Meedoen</title>" in page
    assert page.count('id="verzoeken"') == 1
    row = page[page.index(ruben.full_name) :].split("</tr>")[0]
    assert f">{PHASE_NAMES['kennismaken']}</td>" in row
    review = actions.do_record_review(
        route, held_on=TODAY(), progress="Gaat goed.", decision="blijven", actor=act(alice)
    )
    assert review.next_review_on > TODAY()
    assert ruben.full_name not in login_as(alice).get(reverse("routes:reviews")).content.decode()


def test_the_route_page_draws_the_steps_and_records_a_step(alice, ruben, login_as):
    client = login_as(alice)
    client.post(
        reverse("routes:open", args=[ruben.pk]),
        {"openen-starts_on": TODAY().isoformat()},
    )
    refused = client.post(
        reverse("routes:step", args=[ruben.pk]),
        {"stap-phase": "verkennen", "stap-starts_on": TODAY().isoformat()},
    )
    assert "Kies een reden." in refused.content.decode()
    client.post(
        reverse("routes:step", args=[ruben.pk]),
        {
            "stap-phase": "verkennen",
            "stap-starts_on": TODAY().isoformat(),
            "stap-reason": "klaar_voor_meer",
        },
    )
    page = client.get(reverse("routes:route", args=[ruben.pk])).content.decode()
    drawn = page[page.index('class="meedoen-route"') :]
    assert drawn.index("Kennismaken") < drawn.index("Verkennen")
    assert "Nu: Verkennen" in page


def test_the_10a_warning_on_the_route_page(alice, paula, ruben, moestuin, login_as):
    ruben.date_of_birth = dt.date(1980, 5, 17)
    ruben.save()
    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=700), actor=act(alice))
    proposal = accepted(ruben, moestuin, alice, paula)
    Step.objects.create(
        route=route,
        phase="activerend_werk",
        starts_on=TODAY() - dt.timedelta(days=690),
        reason="klaar_voor_meer",
        proposal=proposal,
        decided_by=alice.user,
        recorded_at=timezone.now(),
    )
    page = login_as(alice).get(reverse("routes:route", args=[ruben.pk])).content.decode()
    assert "Let op artikel 10a Participatiewet" in page


def test_the_route_is_not_for_providers_or_other_municipalities(paula, charlie, ruben, login_as):
    assert login_as(paula).get(reverse("routes:route", args=[ruben.pk])).status_code == 403
    assert login_as(charlie).get(reverse("routes:route", args=[ruben.pk])).status_code == 404


class RouteWalks(TestCase):
    """Any sequence of allowed steps keeps exactly one open route, a consistent current phase, and consistent
    seats: in a placement phase exactly the seat of that step's proposal is in use, otherwise none."""

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.integers(0, 10), max_size=12))
    def test_any_walk_keeps_one_open_route_and_consistent_seats(self, choices):
        from meedoen.accounts.policies import Role
        from meedoen.accounts.tests.factories import MembershipFactory
        from meedoen.catalogue.models import ProviderStaff, Seat
        from meedoen.catalogue.tests.factories import ContractFactory, PlacementFactory, ProviderFactory
        from meedoen.municipalities.tests.factories import MunicipalityFactory
        from meedoen.residents.tests.factories import ResidentFactory
        from meedoen.routes.transitions import DEFAULT_RULES

        town = MunicipalityFactory()
        worker = MembershipFactory(municipality=town, role=Role.CASEWORKER_WORK)
        coach = MembershipFactory(municipality=town, role=Role.PROVIDER)
        provider = ProviderFactory()
        ContractFactory(provider=provider, municipality=town)
        ProviderStaff.objects.create(membership=coach, provider=provider)
        places = [PlacementFactory(provider=provider, capacity=50) for _ in range(2)]
        resident = ResidentFactory(municipality=town, caseworker_work=worker.user, work=True)
        route = actions.do_open_route(resident, starts_on=TODAY(), actor=act(worker))
        phase = "kennismaken"
        for day, choice in enumerate(choices, start=1):
            options = sorted(DEFAULT_RULES.allowed[phase])
            phase = options[choice % len(options)]
            on = TODAY() + dt.timedelta(days=day)
            proposal = None
            if phase in DEFAULT_RULES.needs_placement:
                # A move from one placement phase to another goes to another placement.
                now_at = selectors.effective_steps(route)[-1].proposal
                placement = places[1] if now_at and now_at.placement_id == places[0].pk else places[0]
                proposal = catalogue_actions.do_propose(
                    resident, placement, start_date=on, hours_per_week=8, note="", actor=act(worker)
                )
                catalogue_actions.do_accept_proposal(proposal, actor=act(coach))
                proposal.refresh_from_db()
            actions.do_record_step(
                route,
                phase=phase,
                starts_on=on,
                reason="klaar_voor_meer",
                proposal=proposal,
                actor=act(worker),
            )
        assert Route.objects.filter(resident=resident, closed_on__isnull=True).count() == 1
        current = selectors.effective_steps(route)[-1]
        assert current.phase == phase
        in_use = list(Seat.objects.filter(resident=resident, ended_on__isnull=True))
        if current.phase in DEFAULT_RULES.needs_placement:
            assert [seat.proposal_id for seat in in_use] == [current.proposal_id]
        else:
            assert in_use == []


def test_a_caseworker_asks_the_other_domain_and_the_colleague_accepts(alice, wendy, ruben, login_as):
    from meedoen.accounts.models import Notification
    from meedoen.routes.models import ReorientationRequest

    alice_client, wendy_client = login_as(alice), login_as(wendy)
    empty = alice_client.post(
        reverse("routes:request", args=[ruben.pk]),
        {"verzoek-to": "ander_domein", "verzoek-reason": "x"},
    )
    assert "Kies wat u vraagt." in empty.content.decode()
    alice_client.post(
        reverse("routes:request", args=[ruben.pk]),
        {
            "verzoek-to": "ander_domein",
            "verzoek-kind": "meedoen",
            "verzoek-reason": "Ruben heeft ook hulp thuis nodig.",
        },
    )
    request = ReorientationRequest.objects.get()
    assert (request.from_domain, request.to_domain) == ("participatiewet", "wmo")
    inbox = wendy_client.get(reverse("routes:reviews")).content.decode()
    assert "Ruben heeft ook hulp thuis nodig." in inbox
    assert wendy_client.get(reverse("residents:detail", args=[ruben.pk])).status_code == 404  # not hers yet
    declined_without_reason = wendy_client.post(
        reverse("routes:answer-request", args=[request.pk]), {"besluit": "afwijzen"}, follow=True
    )
    assert "Schrijf kort op waarom u het verzoek afwijst." in declined_without_reason.content.decode()
    wendy_client.post(reverse("routes:answer-request", args=[request.pk]), {"besluit": "accepteren"})
    ruben.refresh_from_db()
    assert ruben.caseworker_care == wendy.user
    assert wendy_client.get(reverse("residents:detail", args=[ruben.pk])).status_code == 200
    assert Notification.objects.filter(user=alice.user, text__contains="geaccepteerd").exists()
    page = alice_client.get(reverse("routes:route", args=[ruben.pk])).content.decode()
    assert "Geaccepteerd" in page


def test_only_the_asked_domain_can_answer(alice, ruben):
    from django.core.exceptions import PermissionDenied

    request = actions.do_request_reorientation(
        ruben, kind="overnemen", reason="Past beter bij zorg.", actor=act(alice)
    )
    with pytest.raises(PermissionDenied):
        actions.do_answer_reorientation(request, accept=True, answer_text="", actor=act(alice))
    with pytest.raises(RuleError, match="al een verzoek open"):
        actions.do_request_reorientation(ruben, kind="meedoen", reason="Nog een keer.", actor=act(alice))


def test_the_route_through_the_api(alice, charlie, paula, ruben, moestuin):
    from django.test import Client

    from meedoen.accounts.actions import do_issue_api_token
    from meedoen.accounts.actor import Actor

    client = Client(
        HTTP_AUTHORIZATION=f"Bearer {do_issue_api_token(name='crm', actor=Actor(alice.user, alice, 't')).key}"
    )
    url = reverse("api:resident-route", args=[ruben.pk])
    assert client.get(url).json()["current_phase"] is None
    opened = client.post(
        url, {"starts_on": (TODAY() - dt.timedelta(days=10)).isoformat()}, content_type="application/json"
    )
    assert opened.status_code == 201 and opened.json()["current_phase"] == "kennismaken"
    from meedoen.audit.models import ProcessingLogEntry

    views = ProcessingLogEntry.objects.filter(actor=alice.user, action="view")
    before = views.count()
    refused = client.post(
        reverse("api:resident-route-steps", args=[ruben.pk]),
        {"phase": "betaald_werk", "starts_on": TODAY().isoformat(), "reason": "klaar_voor_meer"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["invalidParams"][0]["name"] == "phase"
    assert views.count() == before  # refused: nothing was shown
    stepped = client.post(
        reverse("api:resident-route-steps", args=[ruben.pk]),
        {"phase": "verkennen", "starts_on": TODAY().isoformat(), "reason": "klaar_voor_meer"},
        content_type="application/json",
    ).json()
    assert views.count() == before + 1  # the route in the answer, read once
    last = stepped["steps"][-1]["id"]
    corrected = client.post(
        reverse("api:resident-route-corrections", args=[ruben.pk, last]),
        {"phase": "pauze", "reason_text": "Verkeerd gekozen."},
        content_type="application/json",
    ).json()
    assert corrected["current_phase"] == "pauze"
    assert [s["corrected"] for s in corrected["steps"]] == [False, True, False]
    other_key = do_issue_api_token(name="x", actor=Actor(charlie.user, charlie, "t")).key
    other = Client(HTTP_AUTHORIZATION=f"Bearer {other_key}")
    assert other.get(url).status_code == 404


def test_the_resident_file_shows_the_route_drawn_small(alice, ruben, login_as):
    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=10), actor=act(alice))
    actions.do_record_step(
        route, phase="verkennen", starts_on=TODAY(), reason="klaar_voor_meer", actor=act(alice)
    )
    client = login_as(alice)
    file_page = client.get(reverse("residents:detail", args=[ruben.pk])).content.decode()
    assert reverse("routes:summary", args=[ruben.pk]) in file_page
    summary = client.get(reverse("routes:summary", args=[ruben.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert summary.index("Kennismaken") < summary.index("Verkennen")


def test_a_review_with_a_ladder_score_adds_to_the_ladder_history(alice, ruben):
    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=10), actor=act(alice))
    actions.do_record_review(
        route, held_on=TODAY(), progress="Gaat goed.", decision="blijven", rung=3, actor=act(alice)
    )
    assert list(ruben.ladder_scores.values_list("rung", flat=True)) == [3]


def test_a_municipality_sets_its_own_route_rules(ada, alice, ruben, login_as):
    from meedoen.routes.transitions import DEFAULT_RULES, PHASES

    form = {f"bespreking_{p}": str(DEFAULT_RULES.review_months[p]) for p in PHASES} | {"terugval": "18"}
    for source, targets in DEFAULT_RULES.allowed.items():
        for target in targets:
            form[f"stap_{source}_{target}"] = "1"
    form["stap_kennismaken_betaald_werk"] = "1"  # Apeldoorn allows a direct step into paid work
    admin = login_as(ada)
    page = admin.get(reverse("routes:rules")).content.decode()
    header = page[page.index("<thead") : page.index("</thead>")]
    assert [cell.split("</th>")[0] for cell in header.split('scope="col">')[2:-1]] == [
        PHASE_NAMES[p] for p in PHASES
    ]
    # A screen reader names each checkbox and field by its phases, not by placeholders.
    assert 'aria-label="Van kennismaken naar verkennen"' in page
    assert 'aria-label="Bespreken in pauze, elke zoveel maanden"' in page
    assert "%(" not in page
    wrong = admin.post(reverse("routes:rules"), form | {"bespreking_pauze": "0"})
    assert "Kies 1 tot en met 24 maanden." in wrong.content.decode()
    admin.post(reverse("routes:rules"), form)
    rules = selectors.rules_for(ruben.municipality_id)
    assert rules.fallback_months == 18 and "betaald_werk" in rules.allowed["kennismaken"]
    route = actions.do_open_route(ruben, starts_on=TODAY(), actor=act(alice))
    actions.do_record_step(
        route, phase="betaald_werk", starts_on=TODAY(), reason="klaar_voor_meer", actor=act(alice)
    )
    assert login_as(alice).get(reverse("routes:rules")).status_code == 403


def test_the_werkleerbedrijf_is_asked_and_answers_in_its_portal(
    alice, paula, ruben, groene_schakel, login_as
):
    from meedoen.accounts.models import Notification
    from meedoen.routes.models import ReorientationRequest

    alice_client = login_as(alice)
    form = alice_client.get(reverse("routes:route", args=[ruben.pk])).content.decode()
    assert "De Groene Schakel" in form
    alice_client.post(
        reverse("routes:request", args=[ruben.pk]),
        {
            "verzoek-to": str(groene_schakel.pk),
            "verzoek-kind": "meedoen",
            "verzoek-reason": "Een jobcoach op de werkvloer helpt Ruben.",
        },
    )
    request = ReorientationRequest.objects.get()
    assert (request.to_domain, request.provider) == ("werkleerbedrijf", groene_schakel)
    notice = Notification.objects.get(user=paula.user)
    assert "Nieuw verzoek" in notice.text
    assert "Ruben" not in notice.text  # every staff member sees notifications, unlogged
    provider = login_as(paula)
    portal = provider.get(reverse("catalogue:portal")).content.decode()
    assert reverse("routes:provider-requests") in portal
    inbox = provider.get(reverse("routes:provider-requests"), HTTP_HX_REQUEST="true").content.decode()
    assert "Een jobcoach op de werkvloer helpt Ruben." in inbox and ruben.bsn not in inbox
    provider.post(reverse("routes:provider-answer", args=[request.pk]), {"besluit": "accepteren"})
    request.refresh_from_db()
    assert request.status == "geaccepteerd"
    ruben.refresh_from_db()
    assert ruben.caseworker_care is None  # the werkleerbedrijf joins on its side; it gets no file
    assert Notification.objects.filter(user=alice.user, text__contains="geaccepteerd").exists()
    assert provider.get(reverse("residents:detail", args=[ruben.pk])).status_code == 403


def test_the_step_form_offers_only_proposals_of_a_domain_the_caseworker_sees(
    alice, wendy, paula, ruben, moestuin, login_as
):
    from meedoen.residents.models import Consent
    from meedoen.residents.tests.factories import LegalBasisFactory

    LegalBasisFactory(resident=ruben, domain="wmo", kind="wmo_begeleiding")
    actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=60), actor=act(alice))
    proposal = accepted(ruben, moestuin, alice, paula)  # a Participatiewet proposal
    url = reverse("routes:route", args=[ruben.pk])
    assert f'value="{proposal.pk}"' in login_as(alice).get(url).content.decode()
    assert f'value="{proposal.pk}"' not in login_as(wendy).get(url).content.decode()
    Consent.objects.create(
        resident=ruben, shared_domain="participatiewet", given_on=TODAY(), recorded_by=alice.user
    )
    assert f'value="{proposal.pk}"' in login_as(wendy).get(url).content.decode()


def test_the_other_domain_does_not_see_which_placement_without_consent(
    alice, wendy, paula, ruben, moestuin, login_as
):
    from meedoen.residents.tests.factories import LegalBasisFactory

    LegalBasisFactory(resident=ruben, domain="wmo", kind="wmo_begeleiding")
    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=60), actor=act(alice))
    actions.do_record_step(
        route, phase="verkennen", starts_on=TODAY() - dt.timedelta(days=40), reason="klaar_voor_meer",
        actor=act(alice),
    )  # fmt: skip
    actions.do_record_step(
        route, phase="leerwerken", starts_on=TODAY(), reason="klaar_voor_meer",
        proposal=accepted(ruben, moestuin, alice, paula), actor=act(alice),
    )  # fmt: skip
    pages = [
        reverse("routes:route", args=[ruben.pk]),
        reverse("routes:summary", args=[ruben.pk]),
        reverse("residents:detail", args=[ruben.pk]),
    ]
    alice_client, wendy_client = login_as(alice), login_as(wendy)
    for url in pages:
        assert moestuin.title in alice_client.get(url).content.decode(), url
        page = wendy_client.get(url).content.decode()
        assert moestuin.title not in page, url
        assert "Leerwerken" in page or url == pages[2]  # the step itself is shared


def test_only_werkleerbedrijven_with_a_running_contract_can_be_asked(alice, ruben, groene_schakel, login_as):
    from meedoen.catalogue.models import ProviderKind
    from meedoen.catalogue.tests.factories import ContractFactory, ProviderFactory

    former = ProviderFactory(name="Oude Werkplaats", kind=ProviderKind.SOCIAL_ENTERPRISE)
    ContractFactory(provider=former, municipality=ruben.municipality, ends_on=TODAY() - dt.timedelta(days=1))
    form = login_as(alice).get(reverse("routes:route", args=[ruben.pk])).content.decode()
    assert "De Groene Schakel" in form
    assert "Oude Werkplaats" not in form
