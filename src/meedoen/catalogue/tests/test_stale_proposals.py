"""No stale items after an answer: the resident's other open proposals are offered for withdrawal once one is
accepted, and a provider's message about a proposal goes away once the proposal has been answered."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.accounts.models import Notification
from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogEntry
from meedoen.catalogue import actions
from meedoen.catalogue.models import Proposal, ProviderStaff
from meedoen.catalogue.tests.conftest import act
from meedoen.catalogue.tests.factories import ContractFactory, PlacementFactory, ProviderFactory
from meedoen.errors import RuleError

pytestmark = pytest.mark.django_db


@pytest.fixture
def kringloop(apeldoorn):
    """Another provider, with its own user ``piet``, and one placement."""
    provider = ProviderFactory(name="Kringloop Apeldoorn")
    ContractFactory(provider=provider, municipality=apeldoorn)
    piet = MembershipFactory(municipality=apeldoorn, role=Role.PROVIDER, user__username="piet")
    ProviderStaff.objects.create(membership=piet, provider=provider)
    return PlacementFactory(provider=provider, title="Kringloopwinkel"), piet


@pytest.fixture
def three_proposals(alice, ruben, moestuin, kringloop):
    """Ruben proposed by alice for the moestuin and another placement of paula's, and the kringloop."""
    second = PlacementFactory(provider=moestuin.provider, title="Fietsenwerkplaats")
    today = timezone.localdate()
    return [
        actions.do_propose(ruben, placement, start_date=today, hours_per_week=12, note="", actor=act(alice))
        for placement in (moestuin, second, kringloop[0])
    ]


def unread(membership) -> list[str]:
    return list(
        Notification.objects.filter(user=membership.user, read_at__isnull=True).values_list("text", flat=True)
    )


def test_after_acceptance_the_caseworker_is_offered_to_withdraw_the_other_open_proposals(
    alice, paula, ruben, kringloop, three_proposals, login_as
):
    accepted, second, third = three_proposals
    piet = kringloop[1]
    login_as(paula).post(reverse("catalogue:portal-proposal-accept", args=[accepted.pk]))

    caseworker = login_as(alice)
    home = caseworker.get(reverse("web:home")).content.decode()
    assert "Er wachten nog 2 andere voorstellen op antwoord: trek die in." in home
    page_url = reverse("catalogue:accepted", args=[ruben.pk, accepted.pk])
    assert page_url in home
    page = caseworker.get(page_url).content.decode()
    assert "Fietsenwerkplaats" in page and "Kringloopwinkel" in page
    assert "Andere voorstellen die nog wachten op antwoord" in page

    done = caseworker.post(page_url, {"voorstel": [str(second.pk), str(third.pk)]}, follow=True)
    assert "2 voorstellen ingetrokken. De aanbieders krijgen bericht." in done.content.decode()
    assert set(Proposal.objects.values_list("status", flat=True)) == {"geaccepteerd", "ingetrokken"}
    assert Proposal.objects.get(pk=third.pk).decided_by == alice.user
    # The other provider was told, and no longer has an open question about it.
    assert unread(piet) == [
        f"Voorstel ingetrokken door de gemeente: Kringloopwinkel, start {timezone.localdate():%d-%m-%Y}."
    ]
    withdrawn_logs = ProcessingLogEntry.objects.filter(actor=alice.user, action="update", purpose="plaatsing")
    assert withdrawn_logs.count() == 2


def test_the_page_offers_only_what_still_waits_and_withdraws_all_chosen_or_none(
    alice, ruben, kringloop, three_proposals, login_as, paula
):
    accepted, second, third = three_proposals
    actions.do_accept_proposal(accepted, actor=act(paula))
    actions.do_accept_proposal(third, actor=act(kringloop[1]))  # answered meanwhile
    page_url = reverse("catalogue:accepted", args=[ruben.pk, accepted.pk])

    page = login_as(alice).get(page_url).content.decode()
    assert "Kringloopwinkel" not in page and "Fietsenwerkplaats" in page  # only what still waits
    with pytest.raises(RuleError):
        actions.do_withdraw_proposals([second, third], actor=act(alice))
    assert Proposal.objects.get(pk=second.pk).status == "verstuurd"  # nothing half-done

    done = login_as(alice).post(page_url, {"voorstel": [str(second.pk), str(third.pk)]}, follow=True)
    assert "1 voorstel ingetrokken. De aanbieder krijgt bericht." in done.content.decode()
    assert Proposal.objects.get(pk=second.pk).status == "ingetrokken"
    assert Proposal.objects.get(pk=third.pk).status == "geaccepteerd"


def test_without_other_open_proposals_the_message_leads_to_the_file_as_before(
    alice, paula, ruben, moestuin, login_as
):
    proposal = actions.do_propose(
        ruben, moestuin, start_date=timezone.localdate(), hours_per_week=8, note="", actor=act(alice)
    )
    actions.do_accept_proposal(proposal, actor=act(paula))
    notice = Notification.objects.get(user=alice.user)
    assert notice.text == f"Voorstel geaccepteerd: {ruben.full_name} bij {moestuin.title}."
    assert notice.url == reverse("residents:detail", args=[ruben.pk]) + "#plaatsingen"


@pytest.mark.parametrize("answer", ["accept", "decline", "withdraw"])
def test_a_providers_message_about_a_proposal_is_resolved_once_it_is_answered(
    answer, apeldoorn, alice, paula, groene_schakel, kringloop, three_proposals, login_as
):
    colleague = MembershipFactory(municipality=apeldoorn, role=Role.PROVIDER, user__username="sanne")
    ProviderStaff.objects.create(membership=colleague, provider=groene_schakel)
    proposal = three_proposals[0]
    actions.do_propose(
        three_proposals[0].resident,
        PlacementFactory(provider=groene_schakel, title="Later voorstel"),
        start_date=timezone.localdate(),
        hours_per_week=4,
        note="",
        actor=act(alice),
    )
    assert "Nieuw voorstel voor Moestuin De Maten." in unread(paula)
    if answer == "accept":
        actions.do_accept_proposal(proposal, actor=act(paula))
    elif answer == "decline":
        actions.do_decline_proposal(proposal, reason="vol", text="", actor=act(colleague))
    else:
        actions.do_withdraw_proposal(proposal, actor=act(alice))

    for staff in (paula, colleague):
        assert "Nieuw voorstel voor Moestuin De Maten." not in unread(staff)
        assert "Nieuw voorstel voor Later voorstel." in unread(staff)  # other proposals stay
    assert "Nieuw voorstel voor Kringloopwinkel." in unread(kringloop[1])
    portal = login_as(paula).get(reverse("catalogue:portal")).content.decode()
    assert "Nieuw voorstel voor Moestuin De Maten." not in portal


def test_a_forwarded_proposal_leaves_no_message_for_the_provider_that_declined_it(
    alice, paula, ruben, moestuin, kringloop, login_as
):
    proposal = actions.do_propose(
        ruben, moestuin, start_date=timezone.localdate(), hours_per_week=8, note="", actor=act(alice)
    )
    # Declined before answering resolved messages: paula's message about it is still unread.
    Proposal.objects.filter(pk=proposal.pk).update(status="afgewezen", decline_reason="vol")
    actions.do_forward_proposal(
        proposal, kringloop[0], start_date=timezone.localdate(), note="", actor=act(alice)
    )
    assert unread(paula) == []
    assert unread(kringloop[1]) == ["Nieuw voorstel voor Kringloopwinkel."]


def test_the_page_after_acceptance_is_refused_to_other_municipalities_and_roles(
    alice, charlie, paula, ruben, three_proposals, login_as
):
    page_url = reverse("catalogue:accepted", args=[ruben.pk, three_proposals[0].pk])
    assert login_as(charlie).get(page_url).status_code == 404
    assert login_as(charlie).post(page_url, {"voorstel": [str(three_proposals[1].pk)]}).status_code == 404
    assert login_as(paula).get(page_url).status_code == 403
    assert Proposal.objects.filter(status="ingetrokken").count() == 0
