"""A copy of my data (AVG art. 15): one at a time, a stuck one does not block a new one for ever, and two
requests at the same moment make one copy."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from meedoen.accounts.actor import Actor
from meedoen.errors import RuleError
from meedoen.portal import actions
from meedoen.portal.models import DataExport
from meedoen.residents.models import Resident

pytestmark = pytest.mark.django_db

SIMULTANEOUS = 16


def _unfinished(resident, *, minutes_ago: int, status=DataExport.Status.RUNNING) -> DataExport:
    return DataExport.objects.create(
        municipality=resident.municipality,
        resident=resident,
        requested_by=resident.user,
        requested_at=timezone.now() - timezone.timedelta(minutes=minutes_ago),
        status=status,
        progress=40,
    )


def test_a_stuck_copy_is_marked_failed_and_a_new_one_is_made(
    rita, login_as, django_capture_on_commit_callbacks
):
    resident = Resident.objects.get(user=rita.user)
    stuck = _unfinished(resident, minutes_ago=20)
    client = login_as(rita)
    page = client.get("/mijn/gegevens/").content.decode()
    assert "Dat is niet gelukt. Probeer het opnieuw." in page
    assert "Maak een kopie van mijn gegevens" in page  # the resident may ask again
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/mijn/gegevens/kopie/", follow=True)
    assert "Uw kopie wordt gemaakt." in response.content.decode()
    stuck.refresh_from_db()
    assert stuck.status == DataExport.Status.FAILED
    new = DataExport.objects.exclude(pk=stuck.pk).get(resident=resident)
    assert new.status == DataExport.Status.DONE


def test_a_stuck_waiting_copy_is_marked_failed_too(rita):
    resident = Resident.objects.get(user=rita.user)
    stuck = _unfinished(resident, minutes_ago=16, status=DataExport.Status.WAITING)
    actions.do_request_export(resident, actor=Actor(rita.user, rita, "test"))
    stuck.refresh_from_db()
    assert stuck.status == DataExport.Status.FAILED
    assert DataExport.objects.filter(resident=resident).count() == 2


def test_a_copy_being_made_still_blocks_a_second_one(rita, login_as):
    resident = Resident.objects.get(user=rita.user)
    running = _unfinished(resident, minutes_ago=2)
    response = login_as(rita).post("/mijn/gegevens/kopie/", follow=True)
    assert "Uw kopie wordt al gemaakt. Even geduld." in response.content.decode()
    running.refresh_from_db()
    assert running.status == DataExport.Status.RUNNING
    assert DataExport.objects.filter(resident=resident).count() == 1


def test_a_copy_marked_failed_is_not_made_after_all(rita):
    """The old job of a stuck copy may still come round: it leaves the copy failed."""
    from meedoen.portal.export import make_export

    resident = Resident.objects.get(user=rita.user)
    failed = _unfinished(resident, minutes_ago=30, status=DataExport.Status.FAILED)
    make_export(failed.pk)
    failed.refresh_from_db()
    assert failed.status == DataExport.Status.FAILED and failed.data_json == ""


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; this race runs in the PostgreSQL pass")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_make_one_copy(postgres_only, rita):
    resident = Resident.objects.get(user=rita.user)
    start = threading.Barrier(SIMULTANEOUS)

    def ask(_: int) -> str:
        try:
            start.wait()
            actions.do_request_export(
                Resident.objects.get(pk=resident.pk), actor=Actor(rita.user, rita, "test")
            )
            return "started"
        except RuleError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=SIMULTANEOUS) as pool:
        outcomes = list(pool.map(ask, range(SIMULTANEOUS)))

    assert outcomes.count("started") == 1
    assert DataExport.objects.filter(resident=resident).count() == 1


STAFF_TEXTS = {
    "step": "Intern: te veel prikkels op de werkvloer.",
    "review": "Intern: motivatie wisselend, let op thuissituatie.",
    "ladder": "Intern: nog weinig sociaal netwerk.",
    "consent": "Intern: gebeld, akkoord telefonisch.",
    "note": "Intern: werkaantekening.",
}


def test_the_copy_leaves_out_the_staff_texts_the_pages_leave_out_by_the_same_rule(
    rita, alice, login_as, django_capture_on_commit_callbacks
):
    import datetime as dt

    from meedoen.residents import actions as resident_actions
    from meedoen.routes import actions as route_actions

    resident = Resident.objects.get(user=rita.user)
    resident.caseworker_work = alice.user
    resident.save()
    staff = Actor(alice.user, alice, "test")
    today = timezone.localdate()
    route = route_actions.do_open_route(resident, starts_on=today - dt.timedelta(days=30), actor=staff)
    route_actions.do_record_step(
        route,
        phase="verkennen",
        starts_on=today - dt.timedelta(days=20),
        reason="klaar_voor_meer",
        reason_text=STAFF_TEXTS["step"],
        actor=staff,
    )
    route_actions.do_record_review(
        route, held_on=today - dt.timedelta(days=1), progress=STAFF_TEXTS["review"], decision="blijven",
        actor=staff,
    )  # fmt: skip
    resident_actions.do_score_ladder(
        resident, rung=3, scored_on=today, rationale=STAFF_TEXTS["ladder"], actor=staff
    )
    resident_actions.do_record_consent(
        resident, shared_domain="wmo", given_on=today, note=STAFF_TEXTS["consent"], actor=staff
    )
    resident_actions.do_add_note(
        resident, kind="notitie", text=STAFF_TEXTS["note"], occurred_at=timezone.now(), domain_only=False,
        attachment=None,
        actor=staff,
    )  # fmt: skip

    client = login_as(rita)
    for path in ("/mijn/", "/mijn/route/", "/mijn/delen/", "/mijn/gegevens/", "/mijn/wat-ik-wil/"):
        page = client.get(path).content.decode()
        assert not [k for k, text in STAFF_TEXTS.items() if text in page], path
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mijn/gegevens/kopie/")
    copy = client.get("/mijn/gegevens/kopie/json/").content.decode()
    assert not [k for k, text in STAFF_TEXTS.items() if text in copy]
    document = json.loads(copy)
    # The facts are there: the step and its reason, the review's decision, the rung, the consent's date.
    steps = document["route"][0]["steps"]
    assert [s["reason"] for s in steps] == ["start", "klaar_voor_meer"]
    assert document["route"][0]["reviews"][0]["decision"] == "blijven"
    assert document["participatieladder"][0]["rung"] == 3
    assert document["toestemmingen"][0]["given_on"] == today.isoformat()
    # Lines that repeat no staff text stay on the timeline; the copy says what it leaves out.
    assert any(line["text"].startswith("Route begonnen") for line in document["tijdlijn"])
    assert any(line["kind"] == "toestemming" for line in document["tijdlijn"])
    assert "aantekeningen van een bespreking" in document["left_out"]
    assert "onderbouwing van een trede" in document["left_out"]
    page = client.get("/mijn/gegevens/").content.decode()
    assert document["left_out"] in page  # the page says the same before the resident asks
