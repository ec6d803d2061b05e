"""When an arm with more guidance (a review every 2 weeks) stops applying, the next review the arm's rhythm
planned goes back to what the route's own rules plan, and the timeline says why: at once when the resident
stops or the experiment is closed, and through the nightly job when a stop recorded ahead arrives. A date the
caseworker chose herself stays.

Personas: pim (programme manager, Apeldoorn), alice (klantmanager, Apeldoorn)."""

import datetime as dt
import io
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import ProcessingLogEntry
from meedoen.experiments import actions, design
from meedoen.experiments.models import Participant
from meedoen.experiments.tests.factories import actor_of, make_experiment
from meedoen.residents import actions as resident_actions
from meedoen.residents.models import ExperimentArm, Plan, TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory
from meedoen.routes import actions as route_actions
from meedoen.routes.transitions import add_months

pytestmark = pytest.mark.django_db

WITH_GUIDANCE = (
    design.Arm("regulier", "Regulier"),
    design.Arm("intensief", "Intensieve begeleiding", review_every_weeks=2),
)
REPLANNED = "Volgende bespreking opnieuw gepland: het experiment 'Regelluwe bijstand' geldt niet meer."


def _today() -> dt.date:
    return timezone.localdate()


OPENED_DAYS_AGO = 10  # kennismaken: normally a review a month after the start


def _normal() -> dt.date:
    return add_months(_today() - dt.timedelta(days=OPENED_DAYS_AGO), 1)


def _rhythm() -> dt.date:
    return _today() + dt.timedelta(weeks=2)


def _guided(apeldoorn, pim, alice) -> Participant:  # type: ignore[no-untyped-def]
    """Two residents of alice with an open route consent; returns the one randomised into more guidance."""
    experiment = make_experiment(pim, recruiting=True, arms=WITH_GUIDANCE, strata=())
    actor = actor_of(alice)
    participants = []
    for name in ("Eerste", "Tweede"):
        resident = ResidentFactory(
            municipality=apeldoorn, family_name=name, caseworker_work=alice.user, work=True
        )
        opened = _today() - dt.timedelta(days=OPENED_DAYS_AGO)
        route_actions.do_open_route(resident, starts_on=opened, actor=actor)
        participant = actions.do_invite(experiment, resident, on=_today(), actor=actor)
        participants.append(actions.do_record_consent(participant, on=_today(), actor=actor))
    guided = next(p for p in participants if p.arm == "intensief")
    assert _review_on(guided) == _rhythm()
    return guided


def _review_on(participant: Participant) -> dt.date | None:
    return Plan.objects.get(resident_id=participant.resident_id).review_on


def _lines(participant: Participant) -> list[TimelineEvent]:
    return list(TimelineEvent.objects.filter(resident_id=participant.resident_id, text=REPLANNED))


def _nightly() -> str:
    out = io.StringIO()
    call_command("rollup", "--municipality", "apeldoorn", "--no-successes", stdout=out)
    return out.getvalue()


def test_stopping_plans_the_next_review_by_the_routes_own_interval_and_says_why(
    login_as, apeldoorn, pim, alice
) -> None:
    guided = _guided(apeldoorn, pim, alice)
    client = login_as(alice)
    response = client.post(
        f"/experimenten/{guided.experiment_id}/deelnemers/{guided.pk}/stoppen/", {"on": _today().isoformat()}
    )
    assert response.status_code == 302
    assert _review_on(guided) == _normal()
    (line,) = _lines(guided)
    assert line.author == alice.user
    page = unescape(client.get(f"/inwoners/{guided.resident_id}/").content.decode())
    assert REPLANNED in page
    assert (
        f"{_normal():%d-%m-%Y}"
        in client.get(reverse("routes:route", args=[guided.resident_id])).content.decode()
    )


def test_closing_the_experiment_plans_the_next_review_by_the_routes_own_interval(
    login_as, apeldoorn, pim, alice
) -> None:
    guided = _guided(apeldoorn, pim, alice)
    assert login_as(pim).post(f"/experimenten/{guided.experiment_id}/afsluiten/").status_code == 302
    assert _review_on(guided) == _normal()
    (line,) = _lines(guided)
    assert line.author is None  # the programme manager does not open files: a line of the experiment
    assert REPLANNED in unescape(login_as(alice).get(f"/inwoners/{guided.resident_id}/").content.decode())
    # The control resident had the normal date all along: nothing replanned, no line.
    control = Participant.objects.exclude(pk=guided.pk).get(experiment_id=guided.experiment_id)
    assert _review_on(control) == _normal() and not _lines(control)


def test_a_stop_recorded_ahead_keeps_the_rhythm_until_its_day_and_the_nightly_job_replans_once(
    apeldoorn, epe, pim, alice
) -> None:
    guided = _guided(apeldoorn, pim, alice)
    stop_on = _today() + dt.timedelta(days=7)
    actions.do_withdraw(guided, on=stop_on, actor=actor_of(alice))
    assert _review_on(guided) == _rhythm() and not _lines(guided)
    # The nights before the stop: nothing changes.
    for night in (_today(), stop_on - dt.timedelta(days=1)):
        assert route_actions.do_replan_reviews_nightly(apeldoorn.pk, today=night) == []
    assert _review_on(guided) == _rhythm()
    assert "apeldoorn: 0 review dates planned again" in _nightly()
    # The night of the stop: the route's own interval again, said on the timeline, logged as a job.
    assert route_actions.do_replan_reviews_nightly(apeldoorn.pk, today=stop_on) == [guided.resident_id]
    assert _review_on(guided) == _normal()
    (line,) = _lines(guided)
    assert line.author is None
    (entry,) = ProcessingLogEntry.objects.filter(endpoint=route_actions.REPLAN_ENDPOINT)
    assert (entry.actor, entry.action, entry.purpose, entry.municipality) == (
        None,
        "update",
        "begeleiding",
        apeldoorn,
    )
    assert list(entry.subjects.values_list("resident_id", flat=True)) == [guided.resident_id]
    # Twice, or a night later: nothing twice. Another municipality's job leaves Apeldoorn alone.
    for night in (stop_on, stop_on + dt.timedelta(days=1)):
        assert route_actions.do_replan_reviews_nightly(apeldoorn.pk, today=night) == []
    assert route_actions.do_replan_reviews_nightly(epe.pk, today=stop_on) == []
    assert len(_lines(guided)) == 1 and _review_on(guided) == _normal()
    assert ProcessingLogEntry.objects.filter(endpoint=route_actions.REPLAN_ENDPOINT).count() == 1


def test_the_nightly_command_replans_when_the_day_recorded_ahead_has_come(apeldoorn, pim, alice) -> None:
    guided = _guided(apeldoorn, pim, alice)
    actions.do_withdraw(guided, on=_today() + dt.timedelta(days=3), actor=actor_of(alice))
    # The command runs on today's date; let the day recorded ahead be today.
    ExperimentArm.objects.filter(participant_id=guided.pk).update(ends_on=_today())
    assert "apeldoorn: 1 review dates planned again" in _nightly()
    assert _review_on(guided) == _normal() and len(_lines(guided)) == 1
    assert "apeldoorn: 0 review dates planned again" in _nightly()
    assert len(_lines(guided)) == 1


def test_a_date_the_caseworker_chose_is_not_overwritten(apeldoorn, pim, alice) -> None:
    guided = _guided(apeldoorn, pim, alice)
    actor = actor_of(alice)
    chosen = _today() + dt.timedelta(days=5)
    plan = Plan.objects.get(resident_id=guided.resident_id)
    resident_actions.do_update_plan(
        guided.resident, goals="Werk in de zorg", review_on=chosen, version=plan.version, actor=actor
    )
    actions.do_withdraw(guided, on=_today(), actor=actor)
    assert _review_on(guided) == chosen and not _lines(guided)
    assert route_actions.do_replan_reviews_nightly(apeldoorn.pk, today=_today()) == []
    assert _review_on(guided) == chosen


def test_saving_the_plan_with_the_rhythms_date_unchanged_still_lets_it_go_back(apeldoorn, pim, alice) -> None:
    guided = _guided(apeldoorn, pim, alice)
    plan = Plan.objects.get(resident_id=guided.resident_id)
    resident_actions.do_update_plan(
        guided.resident, goals="Werk in de zorg", review_on=plan.review_on, version=plan.version,
        actor=actor_of(alice),
    )  # fmt: skip
    actions.do_close_experiment(guided.experiment, on=_today(), actor=actor_of(pim))
    assert _review_on(guided) == _normal()
