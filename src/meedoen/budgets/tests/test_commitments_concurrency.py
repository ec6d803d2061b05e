"""Simultaneous accepts cannot overspend a source: the accept locks the source's row before it reads the free
budget (PostgreSQL, real threads)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection, connections

from meedoen.budgets.models import Commitment
from meedoen.budgets.tests.commitment_helpers import FOUR_WEEKS_END, act, free, open_year, propose
from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.models import Contract, Seat
from meedoen.catalogue.tests.factories import PlacementFactory
from meedoen.errors import RuleError

ACCEPTS = 50
COST = Decimal("480.00")  # four weeks at 120 a week


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite lets one writer in at a time; this race runs in the PostgreSQL pass "
            "(CI, or MEEDOEN_TEST_DATABASE=postgres)"
        )


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_accepts_against_room_for_three(
    postgres_only, alice, paula, carla, groene_schakel
):
    Contract.objects.filter(provider=groene_schakel).update(ends_on=FOUR_WEEKS_END)
    _, source = open_year(alice.municipality, carla, amount=COST * 3)
    # Seats enough for everyone, on two placements: only the money is short.
    placements = [PlacementFactory(provider=groene_schakel, capacity=ACCEPTS) for _ in range(2)]
    proposals = [propose(placements[i % 2], alice) for i in range(ACCEPTS)]
    start = threading.Barrier(ACCEPTS)

    def accept(proposal) -> str:
        try:
            start.wait()
            catalogue_actions.do_accept_proposal(proposal, actor=act(paula))
            return "accepted"
        except RuleError as error:
            return "no budget" if "niet genoeg budget" in error.message else error.message
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=ACCEPTS) as pool:
        outcomes = list(pool.map(accept, proposals))

    assert outcomes.count("accepted") == 3
    assert outcomes.count("no budget") == ACCEPTS - 3
    assert Commitment.objects.filter(source=source).count() == 3
    assert Seat.objects.count() == 3
    assert free(source) == Decimal("0.00")
