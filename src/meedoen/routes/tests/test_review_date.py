"""One next-review date per resident: the open route owns it and keeps it in the plan, so the resident file,
the route page, the route summary, the caseload (column, sort, filter) and the reviews worklist all show
the same date."""

import datetime as dt

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation

from meedoen.catalogue.tests.conftest import act
from meedoen.residents.models import Plan
from meedoen.residents.tests.factories import ResidentFactory
from meedoen.routes import actions
from meedoen.routes.transitions import DEFAULT_RULES, next_review

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _screens(client, resident):
    return {
        "file": client.get(reverse("residents:detail", args=[resident.pk])).content.decode(),
        "route": client.get(reverse("routes:route", args=[resident.pk])).content.decode(),
        "summary": client.get(reverse("routes:summary", args=[resident.pk])).content.decode(),
        "caseload": client.get(reverse("residents:caseload")).content.decode(),
        "worklist": client.get(reverse("routes:reviews")).content.decode(),
    }


def _shown_on_every_screen(client, resident, on: dt.date) -> dict[str, bool]:
    with translation.override("nl"):
        long = date_filter(on, "j F Y")  # the file writes the date out
    short = f"{on:%d-%m-%Y}"
    screens = _screens(client, resident)
    return {
        "file": f"Volgende bespreking: {long}" in screens["file"],
        "route": short in screens["route"],
        "summary": f"Volgende bespreking: {short}" in screens["summary"],
        "caseload": short in screens["caseload"].split(resident.family_name, 1)[1].split("</tr>")[0],
        "worklist": short in screens["worklist"].split(resident.family_name, 1)[1].split("</tr>")[0],
    }


def test_the_same_review_date_on_every_screen(alice, ruben, login_as):
    # The caseworker had put a date in the plan before the route began.
    Plan.objects.create(resident=ruben, review_on=TODAY() + dt.timedelta(days=200))
    opened = TODAY() - dt.timedelta(days=45)
    route = actions.do_open_route(ruben, starts_on=opened, actor=act(alice))
    due = next_review(DEFAULT_RULES, "kennismaken", opened)  # a month after the start: overdue now
    client = login_as(alice)
    assert _shown_on_every_screen(client, ruben, due) == dict.fromkeys(
        ("file", "route", "summary", "caseload", "worklist"), True
    )
    route_page = client.get(reverse("routes:route", args=[ruben.pk])).content.decode()
    assert f"De bespreking is te laat (was {due:%d-%m-%Y})" in route_page
    caseload_due = client.get(reverse("residents:caseload"), {"bespreken": "1"}).content.decode()
    assert ruben.family_name in caseload_due

    # A review held today moves the date for everyone; the worklist no longer lists Ruben.
    actions.do_record_review(
        route, held_on=TODAY(), progress="Gaat goed.", decision="blijven", actor=act(alice)
    )
    later = next_review(DEFAULT_RULES, "kennismaken", TODAY())
    assert Plan.objects.get(resident=ruben).review_on == later
    screens = _screens(client, ruben)
    assert f"Volgende bespreking: {later:%d-%m-%Y}" in screens["route"]
    assert ruben.family_name not in screens["worklist"]
    assert f"{later:%d-%m-%Y}" in screens["caseload"]
    assert (
        ruben.family_name
        not in client.get(reverse("residents:caseload"), {"bespreken": "1"}).content.decode()
    )


def test_each_route_event_pushes_the_date_into_the_plan(alice, ruben):
    def plan_date():
        return Plan.objects.get(resident=ruben).review_on

    start = TODAY() - dt.timedelta(days=200)
    route = actions.do_open_route(ruben, starts_on=start, actor=act(alice))
    assert plan_date() == next_review(DEFAULT_RULES, "kennismaken", start)
    step_on = TODAY() - dt.timedelta(days=150)
    wrong = actions.do_record_step(
        route, phase="pauze", starts_on=step_on, reason="gezondheid", actor=act(alice)
    )
    assert plan_date() == next_review(DEFAULT_RULES, "pauze", step_on)  # pauze: 3 months
    actions.do_correct_step(wrong, phase="verkennen", reason_text="Verkeerde fase.", actor=act(alice))
    assert plan_date() == next_review(DEFAULT_RULES, "verkennen", step_on)  # verkennen: 2 months
    actions.do_record_step(
        route, phase="werken_met_ondersteuning", starts_on=TODAY() - dt.timedelta(days=120),
        reason="klaar_voor_meer", actor=act(alice),
    )  # fmt: skip
    actions.do_record_step(
        route, phase="betaald_werk", starts_on=TODAY() - dt.timedelta(days=90), reason="klaar_voor_meer",
        actor=act(alice),
    )  # fmt: skip
    actions.do_end_route(
        route, closed_on=TODAY() - dt.timedelta(days=30), outcome="betaald_werk_zonder_uitkering",
        actor=act(alice),
    )  # fmt: skip
    assert plan_date() is None  # no route, no route reviews
    actions.do_fall_back(ruben, starts_on=TODAY(), actor=act(alice))
    assert plan_date() == next_review(DEFAULT_RULES, "werken_met_ondersteuning", TODAY())


def test_the_worklist_and_the_caseload_sort_on_the_same_dates(alice, apeldoorn, ruben, login_as):
    anna = ResidentFactory(
        municipality=apeldoorn,
        given_names="Anna",
        family_name="Bakker",
        caseworker_work=alice.user,
        work=True,
    )
    actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=40), actor=act(alice))  # due earlier
    actions.do_open_route(anna, starts_on=TODAY() - dt.timedelta(days=35), actor=act(alice))
    client = login_as(alice)
    worklist = client.get(reverse("routes:reviews")).content.decode()
    caseload = client.get(reverse("residents:caseload"), {"sorteer": "bespreking"}).content.decode()
    assert worklist.index("Jansen") < worklist.index("Bakker")
    assert caseload.index("Jansen") < caseload.index("Bakker")


def test_a_route_event_is_one_row_in_the_processing_log(alice, ruben):
    """Pushing the review date is part of the route's write, not a second processing of the file."""
    from meedoen.audit.models import ProcessingLogEntry

    route = actions.do_open_route(ruben, starts_on=TODAY() - dt.timedelta(days=10), actor=act(alice))
    before = ProcessingLogEntry.objects.count()
    actions.do_record_review(
        route, held_on=TODAY(), progress="Gaat goed.", decision="blijven", rung=None, actor=act(alice)
    )
    assert ProcessingLogEntry.objects.count() == before + 1
