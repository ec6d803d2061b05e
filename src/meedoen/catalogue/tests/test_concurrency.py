"""Seats never exceed capacity, also when many people accept at the same moment (PostgreSQL, real threads)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from meedoen.catalogue import actions
from meedoen.catalogue.models import Proposal, Seat
from meedoen.catalogue.tests.conftest import act
from meedoen.residents.tests.factories import ResidentFactory

ACCEPTS = 50
CAPACITY = 10
TAKEN = CAPACITY - 3


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite lets one writer in at a time; this race runs in the PostgreSQL pass "
            "(CI, or MEEDOEN_TEST_POSTGRES=1 make test)"
        )


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_accepts_for_the_last_three_seats(
    postgres_only, alice, paula, moestuin, apeldoorn
):
    moestuin.capacity = CAPACITY
    moestuin.save()
    proposals = []
    for _ in range(ACCEPTS + TAKEN):
        resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
        proposals.append(
            Proposal.objects.create(
                municipality=apeldoorn,
                resident=resident,
                placement=moestuin,
                domain="participatiewet",
                start_date=timezone.localdate(),
                hours_per_week=12,
                proposed_by=alice.user,
                proposed_at=timezone.now(),
            )
        )
    for proposal in proposals[:TAKEN]:
        actions.do_accept_proposal(proposal, actor=act(paula))
    racing = proposals[TAKEN:]
    start = threading.Barrier(ACCEPTS)

    def accept(proposal: Proposal) -> str:
        try:
            start.wait()
            actions.do_accept_proposal(proposal, actor=act(paula))
            return "accepted"
        except actions.SeatsFull:
            return "full"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=ACCEPTS) as pool:
        outcomes = list(pool.map(accept, racing))

    assert outcomes.count("accepted") == 3
    assert outcomes.count("full") == ACCEPTS - 3
    in_use = Seat.objects.filter(placement=moestuin, ended_on__isnull=True)
    assert in_use.count() == CAPACITY
    assert sorted(in_use.values_list("number", flat=True)) == list(range(1, CAPACITY + 1))
    assert Proposal.objects.filter(placement=moestuin, status=Proposal.Status.SENT).count() == ACCEPTS - 3


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_second_seat_with_the_same_number(
    postgres_only, alice, paula, moestuin, ruben
):
    """Even code that skipped the row lock could not hand out a seat twice: the unique index says no."""
    from django.db import IntegrityError

    first = actions.do_propose(
        ruben, moestuin, start_date=timezone.localdate(), hours_per_week=8, note="", actor=act(alice)
    )
    seat = actions.do_accept_proposal(first, actor=act(paula))
    other = ResidentFactory(municipality=ruben.municipality, caseworker_work=alice.user, work=True)
    second = actions.do_propose(
        other, moestuin, start_date=timezone.localdate(), hours_per_week=8, note="", actor=act(alice)
    )
    with pytest.raises(IntegrityError):
        Seat.objects.create(
            municipality=ruben.municipality,
            placement=moestuin,
            proposal=second,
            resident=other,
            number=seat.number,
            starts_on=timezone.localdate(),
        )
