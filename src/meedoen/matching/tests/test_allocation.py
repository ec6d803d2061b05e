"""The batch allocation: a programme manager runs it and sees aggregates; caseworkers see the pairs of their
own residents and turn them into proposals; it can be cancelled."""

import html

import pytest
from django.urls import reverse

from meedoen.audit.models import ProcessingLogEntry
from meedoen.catalogue.tests.factories import PlacementFactory
from meedoen.matching import allocation
from meedoen.matching.models import AllocatedPair, AllocationRun
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(alice, wendy, apeldoorn, moestuin):
    """Eight residents waiting (six of alice's, two with only a Wmo basis in wendy's), three placements with
    five free seats between them."""
    moestuin.capacity = 2
    moestuin.save()
    PlacementFactory(provider=moestuin.provider, title="Kringloop", capacity=2, funding="participatiewet")
    PlacementFactory(provider=moestuin.provider, title="Atelier", capacity=1, funding="wmo")
    work = ResidentFactory.create_batch(6, municipality=apeldoorn, caseworker_work=alice.user, work=True)
    district = apeldoorn.districts.get()
    care = ResidentFactory.create_batch(
        2, municipality=apeldoorn, caseworker_care=wendy.user, care=True, district=district
    )
    return work + care


def test_a_programme_manager_runs_an_allocation_and_sees_only_aggregates(
    pim, waiting, login_as, django_capture_on_commit_callbacks
):
    client = login_as(pim)
    assert "Toewijzing starten" in client.get(reverse("matching:allocations")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:allocations"), {})
    run = AllocationRun.objects.get()
    assert response.url == reverse("matching:allocation", args=[run.pk])
    assert run.status == AllocationRun.Status.DONE
    assert run.summary["waiting"] == 8 and run.summary["free_seats"] == 5
    assert run.summary["optimal"]["placed"] == 5
    assert run.summary["optimal"]["total_fit"] >= run.summary["fcfs"]["total_fit"]
    assert AllocatedPair.objects.filter(run=run).count() == 5
    page = client.get(reverse("matching:allocation", args=[run.pk])).content.decode()
    assert "8 inwoners wachten op een plek; er zijn 5 vrije plaatsen." in page
    assert "&lt; 5" in page  # per district: too few to show
    text = html.unescape(page)  # names as a person reads them ("'s Gravensande" is escaped in the HTML)
    for resident in waiting:
        assert resident.full_name not in text and resident.bsn not in text
    entry = ProcessingLogEntry.objects.filter(actor=pim.user, action="search").get()
    assert entry.subject_count == 8


def test_caseworkers_see_the_pairs_of_their_own_residents_and_propose(
    pim, alice, wendy, waiting, login_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login_as(pim).post(reverse("matching:allocations"), {})
    run = AllocationRun.objects.get()
    mine = AllocatedPair.objects.filter(run=run, resident__caseworker_work=alice.user)
    assert mine.count() >= 2  # four seats only residents with a benefit can take; the optimum may share one
    home = login_as(alice).get(reverse("web:home")).content.decode()
    assert f"heeft een plek voor {mine.count()} inwoners uit uw caseload" in home
    page = login_as(alice).get(reverse("matching:allocation", args=[run.pk])).content.decode()
    text = html.unescape(page)  # names as a person reads them ("'s Gravensande" is escaped in the HTML)
    for pair in mine:
        assert pair.resident.full_name in text
        assert reverse("catalogue:propose", args=[pair.resident_id, pair.placement_id]) in page
    for theirs in AllocatedPair.objects.filter(run=run, resident__caseworker_care=wendy.user):
        assert theirs.resident.full_name not in text
    assert AllocatedPair.objects.filter(
        run=run, placement__title="Atelier", resident__caseworker_care=wendy.user
    ).exists()


def test_starting_twice_is_refused_and_cancelling_stops_the_run(pim, waiting):
    from meedoen.catalogue.tests.conftest import act
    from meedoen.matching import actions

    run = actions.do_start_allocation(actor=act(pim))  # not executed: no on_commit in this test
    from meedoen.errors import RuleError

    with pytest.raises(RuleError, match="Er loopt al een toewijzing"):
        actions.do_start_allocation(actor=act(pim))
    AllocationRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    allocation.do_run_allocation(run.pk)
    run.refresh_from_db()
    assert run.status == AllocationRun.Status.CANCELLED
    assert not AllocatedPair.objects.exists()
    queued = AllocationRun.objects.create(municipality=run.municipality, started_by=pim)
    actions.do_cancel_allocation(queued, actor=act(pim))
    queued.refresh_from_db()
    assert queued.status == AllocationRun.Status.CANCELLED


def test_a_running_allocation_shows_progress_and_polls(pim, apeldoorn, login_as):
    run = AllocationRun.objects.create(
        municipality=apeldoorn,
        started_by=pim,
        status=AllocationRun.Status.RUNNING,
        progress=40,
        stage="Zoeken",
    )
    page = login_as(pim).get(reverse("matching:allocation", args=[run.pk])).content.decode()
    assert '<progress class="meedoen-progress" max="100" value="40"' in page
    assert 'hx-trigger="every 1s"' in page
    assert "Annuleren" in page
    # The poll gets only the status block, which stops polling once the run is done.
    poll = login_as(pim).get(reverse("matching:allocation", args=[run.pk]), HTTP_HX_REQUEST="true")
    polled = poll.content.decode()
    assert polled.lstrip().startswith('<div id="toewijzing-status"') and "<html" not in polled
    assert 'value="40"' in polled


def test_roles_without_allocation_cannot_start_one(alice, fred, login_as):
    assert login_as(alice).get(reverse("matching:allocations")).status_code == 403
    assert login_as(fred).post(reverse("matching:allocations"), {}).status_code == 403
    assert not AllocationRun.objects.exists()


def test_a_run_whose_worker_died_after_cancelling_does_not_block_a_new_one(pim, waiting):
    from meedoen.catalogue.tests.conftest import act
    from meedoen.matching import actions

    stuck = actions.do_start_allocation(actor=act(pim))
    AllocationRun.objects.filter(pk=stuck.pk).update(status=AllocationRun.Status.RUNNING)
    actions.do_cancel_allocation(stuck, actor=act(pim))  # asked to stop; no worker is left to stop it
    again = actions.do_start_allocation(actor=act(pim))
    assert again.status == AllocationRun.Status.QUEUED
    assert AllocationRun.objects.get(pk=stuck.pk).status == AllocationRun.Status.RUNNING
