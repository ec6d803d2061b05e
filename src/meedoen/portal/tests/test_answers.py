"""Only a caseworker who may open the resident's file answers what the resident asked in the portal; a
request about a part of the other domain only with the resident's consent."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.portal import actions
from meedoen.portal.models import CorrectionRequest, PlaceInterest
from meedoen.residents.models import Resident

pytestmark = pytest.mark.django_db


def act(membership) -> Actor:
    return Actor(membership.user, membership, "test")


@pytest.fixture
def rita_file(rita, alice, wendy):
    resident = Resident.objects.get(user=rita.user)
    resident.caseworker_work = alice.user
    resident.caseworker_care = wendy.user
    resident.save()
    return resident


def _correction(resident, *, domain: str = "") -> CorrectionRequest:
    return CorrectionRequest.objects.create(
        municipality=resident.municipality, resident=resident, part="uitkering" if domain else "plan",
        domain=domain, text="Klopt niet.", asked_at=timezone.now(),
    )  # fmt: skip


def _conversation(resident, placement) -> PlaceInterest:
    now = timezone.now()
    return PlaceInterest.objects.create(
        municipality=resident.municipality, resident=resident, placement=placement, marked_at=now,
        conversation_asked_at=now,
    )  # fmt: skip


def test_the_resident_and_another_municipalitys_caseworker_cannot_answer(rita, rita_file, charlie, moestuin):
    correction = _correction(rita_file)
    conversation = _conversation(rita_file, moestuin)
    for who in (rita, charlie):
        with pytest.raises(PermissionDenied):
            actions.do_answer_correction(correction, corrected=True, answer="Ja.", actor=act(who))
        with pytest.raises(PermissionDenied):
            actions.do_answer_conversation(conversation, answer="Ja.", actor=act(who))
    correction.refresh_from_db()
    conversation.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.OPEN and conversation.answered_at is None


def test_a_caseworker_who_cannot_open_the_file_cannot_answer(rita_file, apeldoorn, moestuin):
    from meedoen.accounts.policies import Role
    from meedoen.accounts.tests.factories import MembershipFactory

    other = MembershipFactory(municipality=apeldoorn, role=Role.CASEWORKER_CARE)  # not hers, no Wmo basis
    with pytest.raises(PermissionDenied):
        actions.do_answer_conversation(_conversation(rita_file, moestuin), answer="Ja.", actor=act(other))


def test_a_request_about_the_benefit_is_answered_by_the_other_domain_only_with_consent(
    rita, rita_file, alice, wendy
):
    from meedoen.residents import actions as resident_actions

    correction = _correction(rita_file, domain="participatiewet")
    with pytest.raises(PermissionDenied):
        actions.do_answer_correction(correction, corrected=False, answer="Nee.", actor=act(wendy))
    resident_actions.do_record_consent(
        rita_file, shared_domain="participatiewet", given_on=timezone.localdate(), note="", actor=act(rita)
    )
    actions.do_answer_correction(correction, corrected=False, answer="Nee.", actor=act(wendy))
    assert CorrectionRequest.objects.get(pk=correction.pk).status == CorrectionRequest.Status.NOT_CORRECTED
    other = _correction(rita_file)
    actions.do_answer_correction(other, corrected=True, answer="Aangepast.", actor=act(alice))
