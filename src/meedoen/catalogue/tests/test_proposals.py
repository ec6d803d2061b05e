"""Proposal → decline with reason → forward → accept → attendance → report → end, through the actions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from meedoen.accounts.models import Notification
from meedoen.audit.models import ProcessingLogEntry
from meedoen.catalogue import actions, selectors
from meedoen.catalogue.models import Proposal, Seat
from meedoen.catalogue.tests.conftest import act
from meedoen.catalogue.tests.factories import PlacementFactory
from meedoen.errors import RuleError
from meedoen.residents.models import TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


def propose(resident, placement, caseworker, **kwargs):
    values = {"start_date": timezone.localdate(), "hours_per_week": 12, "note": "Houdt van buiten werken."}
    return actions.do_propose(resident, placement, actor=act(caseworker), **values | kwargs)


def test_the_whole_flow_shows_on_the_timeline_and_notifies_the_caseworker(alice, paula, ruben, moestuin):
    other = PlacementFactory(provider=moestuin.provider, title="Fietsenwerkplaats")
    first = propose(ruben, moestuin, alice)
    assert first.status == Proposal.Status.SENT

    actions.do_decline_proposal(first, reason="vol", text="", actor=act(paula))
    forwarded = actions.do_forward_proposal(
        first, other, start_date=timezone.localdate(), note="Misschien hier?", actor=act(alice)
    )
    assert forwarded.previous == first
    seat = actions.do_accept_proposal(forwarded, actor=act(paula))
    assert seat.number == 1
    actions.do_record_attendance(
        seat,
        week=timezone.localdate(),
        days_present=3,
        hours_present=Decimal("11.5"),
        note="",
        actor=act(paula),
    )
    actions.do_add_progress_report(
        seat,
        month=timezone.localdate(),
        went_well="Komt op tijd.",
        next_steps="Meer zelfstandig werken.",
        suggested_rung=4,
        actor=act(paula),
    )
    actions.do_end_seat(
        seat, ended_on=timezone.localdate(), reason="Begint met betaald werk.", actor=act(paula)
    )

    texts = [event.text for event in TimelineEvent.objects.filter(resident=ruben).order_by("created_at")]
    assert texts[0].startswith("Voorgesteld voor Moestuin De Maten")
    assert "afgewezen: Vol" in texts[1]
    assert texts[2].startswith("Doorgestuurd naar Fietsenwerkplaats")
    assert "geaccepteerd" in texts[3]
    assert "3 dagen, 11.5 uur" in texts[4]
    assert "Voorgestelde trede: 4" in texts[5]
    assert "beëindigd" in texts[6]
    notices = [n.text for n in Notification.objects.filter(user=alice.user).order_by("created_at")]
    assert notices[0].startswith("Voorstel afgewezen: Ruben Jansen bij Moestuin De Maten (Vol)")
    assert notices[1].startswith("Voorstel geaccepteerd")
    assert Notification.objects.filter(user=paula.user, text__startswith="Nieuw voorstel").count() == 2
    assert Seat.objects.get(pk=seat.pk).ended_on == timezone.localdate()


def test_declining_needs_a_reason_and_other_needs_an_explanation(alice, paula, ruben, moestuin):
    proposal = propose(ruben, moestuin, alice)
    with pytest.raises(RuleError) as no_reason:
        actions.do_decline_proposal(proposal, reason="", text="", actor=act(paula))
    assert no_reason.value.field == "reason"
    with pytest.raises(RuleError) as no_text:
        actions.do_decline_proposal(proposal, reason="anders", text="  ", actor=act(paula))
    assert no_text.value.field == "text"
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SENT


def test_a_full_placement_refuses_the_next_accept(alice, paula, apeldoorn, moestuin):
    moestuin.capacity = 1
    moestuin.save()
    first = propose(
        ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True), moestuin, alice
    )
    second = propose(
        ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True), moestuin, alice
    )
    actions.do_accept_proposal(first, actor=act(paula))
    with pytest.raises(actions.SeatsFull):
        actions.do_accept_proposal(second, actor=act(paula))
    assert Proposal.objects.get(pk=second.pk).status == Proposal.Status.SENT


def test_ending_a_placement_frees_its_seat(alice, paula, apeldoorn, moestuin):
    moestuin.capacity = 1
    moestuin.save()
    first = propose(
        ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True), moestuin, alice
    )
    seat = actions.do_accept_proposal(first, actor=act(paula))
    actions.do_end_seat(seat, ended_on=timezone.localdate(), reason="Verhuisd.", actor=act(alice))
    second = propose(
        ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True), moestuin, alice
    )
    assert actions.do_accept_proposal(second, actor=act(paula)).number == 1


def test_a_placement_funded_by_the_wmo_is_not_for_a_resident_with_only_a_benefit(alice, ruben, moestuin):
    moestuin.funding = "wmo"
    moestuin.save()
    with pytest.raises(RuleError, match="geen grondslag"):
        propose(ruben, moestuin, alice)


def test_a_closed_placement_takes_no_proposals(alice, ruben, moestuin):
    moestuin.is_open = False
    moestuin.save()
    with pytest.raises(RuleError, match="geen nieuwe voorstellen"):
        propose(ruben, moestuin, alice)


def test_a_start_date_in_the_past_is_a_field_error(alice, ruben, moestuin):
    with pytest.raises(RuleError) as error:
        propose(ruben, moestuin, alice, start_date=timezone.localdate() - dt.timedelta(days=1))
    assert error.value.field == "start_date"


def test_sharing_details_needs_the_residents_agreement(alice, ruben, moestuin):
    with pytest.raises(RuleError) as error:
        propose(ruben, moestuin, alice, shared_items=["lichamelijk"])
    assert error.value.field == "resident_agreed"
    proposal = propose(ruben, moestuin, alice, shared_items=["lichamelijk"], resident_agreed=True)
    assert proposal.shared_items == ["lichamelijk"]


def test_the_provider_sees_name_contact_and_hours_but_never_the_bsn(alice, paula, ruben, moestuin):
    proposal = propose(ruben, moestuin, alice)
    seen = selectors.access_provider_proposal(proposal.pk, act(paula))
    assert (seen.name, seen.phone, seen.hours_per_week) == ("Ruben Jansen", "06-12345678", 12)
    assert seen.shared == []
    assert not hasattr(seen, "bsn")
    entry = ProcessingLogEntry.objects.filter(actor=paula.user).latest("occurred_at")
    assert (entry.action, entry.purpose) == ("view", "plaatsing")
    assert list(entry.subjects.values_list("resident_id", flat=True)) == [ruben.pk]


def test_a_provider_does_not_answer_for_another_provider(alice, paula, ruben, apeldoorn):
    elsewhere = PlacementFactory(title="Kringloopwinkel")
    from meedoen.catalogue.tests.factories import ContractFactory

    ContractFactory(provider=elsewhere.provider, municipality=apeldoorn)
    proposal = propose(ruben, elsewhere, alice)
    with pytest.raises(PermissionDenied):
        actions.do_accept_proposal(proposal, actor=act(paula))


def test_attendance_is_one_row_per_week_and_can_be_corrected(alice, paula, ruben, moestuin):
    seat = actions.do_accept_proposal(propose(ruben, moestuin, alice), actor=act(paula))
    today = timezone.localdate()
    actions.do_record_attendance(
        seat, week=today, days_present=2, hours_present=Decimal(8), note="", actor=act(paula)
    )
    actions.do_record_attendance(
        seat, week=today, days_present=3, hours_present=Decimal(12), note="", actor=act(paula)
    )
    assert [(a.days_present, a.hours_present) for a in seat.attendance.all()] == [(3, Decimal("12.0"))]
    with pytest.raises(RuleError) as error:
        actions.do_record_attendance(
            seat, week=today, days_present=1, hours_present=Decimal(30), note="", actor=act(paula)
        )
    assert error.value.field == "hours_present"
