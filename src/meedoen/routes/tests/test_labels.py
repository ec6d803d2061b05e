"""The route's phases are shown in the chosen language: the pure rules keep the Dutch names, the pages and
forms translate them when they show them."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from meedoen.catalogue.tests.conftest import act
from meedoen.routes import actions
from meedoen.routes.forms import _phase_choices
from meedoen.routes.labels import CATALOGUE, PHASE_LABELS
from meedoen.routes.models import Step
from meedoen.routes.selectors import DueReview
from meedoen.routes.transitions import PHASE_NAMES

pytestmark = pytest.mark.django_db


def test_every_phase_name_is_in_the_catalogue_and_translated():
    assert sorted(CATALOGUE) == sorted(PHASE_NAMES.values())
    with translation.override("en"):
        assert PHASE_LABELS["verkennen"] == "exploring"
        assert all(PHASE_LABELS[code] != name for code, name in PHASE_NAMES.items() if code != "pauze")
        assert dict(_phase_choices(["betaald_werk"]))["betaald_werk"] == "Paid work"
        assert Step(phase="kennismaken").get_phase_display() == "Getting acquainted"
        due = DueReview(resident=None, phase="pauze", due_on=None, overdue=False, limit_10a=None)  # type: ignore[arg-type]
        assert due.phase_name == "pause"  # the worklist's column
    with translation.override("nl"):
        assert PHASE_LABELS["verkennen"] == "verkennen"
        assert Step(phase="kennismaken").get_phase_display() == "Kennismaken"


def test_the_route_page_and_the_file_name_the_phase_in_english(alice, ruben, charlie, paula, login_as):
    route = actions.do_open_route(ruben, starts_on=timezone.localdate(), actor=act(alice))
    actions.do_record_step(
        route, phase="verkennen", starts_on=timezone.localdate(), reason="klaar_voor_meer", actor=act(alice)
    )
    client = login_as(alice)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("routes:route", args=[ruben.pk])).content.decode()
    assert "Exploring" in page and "Verkennen" not in page
    file = client.get(reverse("routes:summary", args=[ruben.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "Exploring" in file
    # The other municipality and the wrong role still see nothing of it.
    assert login_as(charlie).get(reverse("routes:route", args=[ruben.pk])).status_code == 404
    assert login_as(paula).get(reverse("routes:route", args=[ruben.pk])).status_code == 403
