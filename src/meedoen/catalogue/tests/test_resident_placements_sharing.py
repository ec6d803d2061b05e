"""The file's section of proposals and placements says when a part is not shared, instead of "nog geen"."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.catalogue import actions
from meedoen.catalogue.tests.conftest import act
from meedoen.residents.models import Consent

pytestmark = pytest.mark.django_db
NOT_SHARED = (
    "Dit dossier heeft ook voorstellen of plaatsingen onder de Participatiewet. "
    "Dat deel is niet met u gedeeld"
)
NONE_YET = "Nog geen voorstellen of plaatsingen."


@pytest.fixture
def ruben_with_a_proposal(ruben, moestuin, alice, wendy):
    ruben.caseworker_care = wendy.user
    ruben.save(update_fields=["caseworker_care"])
    actions.do_propose(
        ruben, moestuin, start_date=timezone.localdate(), hours_per_week=12, note="", actor=act(alice)
    )
    return ruben


def _section(client, resident, *, htmx: bool = True) -> str:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(reverse("catalogue:resident-placements", args=[resident.pk]), headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("htmx", [True, False])
def test_without_consent_the_section_says_a_part_is_not_shared(ruben_with_a_proposal, wendy, login_as, htmx):
    html = _section(login_as(wendy), ruben_with_a_proposal, htmx=htmx)
    assert NOT_SHARED in html
    assert NONE_YET not in html
    assert "Moestuin De Maten" not in html


def test_with_consent_the_proposal_is_shown(ruben_with_a_proposal, wendy, alice, login_as):
    Consent.objects.create(
        resident=ruben_with_a_proposal,
        shared_domain="participatiewet",
        given_on=timezone.localdate(),
        recorded_by=alice.user,
    )
    html = _section(login_as(wendy), ruben_with_a_proposal)
    assert "Moestuin De Maten" in html
    assert NOT_SHARED not in html and NONE_YET not in html


def test_in_the_own_domain_nothing_is_hidden(ruben_with_a_proposal, alice, login_as):
    html = _section(login_as(alice), ruben_with_a_proposal)
    assert "Moestuin De Maten" in html and "niet met u gedeeld" not in html


def test_none_yet_only_when_there_really_are_none(ruben, wendy, login_as):
    ruben.caseworker_care = wendy.user
    ruben.save(update_fields=["caseworker_care"])
    html = _section(login_as(wendy), ruben)
    assert NONE_YET in html and "niet met u gedeeld" not in html


def test_another_municipality_and_a_wrong_role_do_not_get_the_section(
    ruben_with_a_proposal, charlie, pim, login_as
):
    url = reverse("catalogue:resident-placements", args=[ruben_with_a_proposal.pk])
    assert login_as(charlie).get(url).status_code == 404
    assert login_as(pim).get(url).status_code == 403
