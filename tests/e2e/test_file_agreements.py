"""The file's agreements and the parts not shared, in a real browser: the Wmo-consulent reads that a part of
Ruben's file is not shared with her, and the klantmanager marks an agreement done and opens it again. The
file has no serious accessibility problems (axe-core), narrow or wide."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.tests.conftest import act
from meedoen.residents.models import Plan, PlanAction

from .test_browser import blocking_violations, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def world(alice, wendy, ruben, moestuin):
    ruben.caseworker_care = wendy.user
    ruben.save(update_fields=["caseworker_care"])
    today = timezone.localdate()
    plan = Plan.objects.create(resident=ruben)
    PlanAction.objects.create(
        plan=plan, description="Cv opsturen", owner="inwoner", due_on=today - dt.timedelta(days=2)
    )
    PlanAction.objects.create(
        plan=plan, description="Fiets laten maken", owner="inwoner", due_on=today + dt.timedelta(days=9)
    )
    catalogue_actions.do_propose(
        ruben, moestuin, start_date=today, hours_per_week=12, note="", actor=act(alice)
    )
    return {
        "alice": TOTPDeviceFactory(user=alice.user),
        "wendy": TOTPDeviceFactory(user=wendy.user),
        "ruben": ruben,
    }


@pytest.mark.parametrize("width", [360, 1280])
def test_agreements_and_parts_not_shared(world, new_page, axe_script: Path, width):
    ruben = world["ruben"]
    wendy: Page = new_page(axe=True)
    wendy.set_viewport_size({"width": width, "height": 900})
    log_in(wendy, "wendy", world["wendy"])
    wendy.goto(f"/inwoners/{ruben.pk}/")
    section = wendy.locator("section[aria-labelledby=plaatsingen]")
    expect(section).to_contain_text("Dat deel is niet met u gedeeld")
    expect(section).not_to_contain_text("Nog geen voorstellen of plaatsingen.")
    assert blocking_violations(wendy, axe_script) == ""

    alice: Page = new_page(axe=True)
    alice.set_viewport_size({"width": width, "height": 900})
    log_in(alice, "alice", world["alice"])
    alice.goto(f"/inwoners/{ruben.pk}/#plan")
    late = alice.get_by_role("row", name="Cv opsturen")
    expect(late).to_contain_text("te laat")
    late.get_by_role("button", name="Markeer als gedaan").click()
    expect(alice.get_by_role("status").first).to_contain_text("Was dat een vergissing?")
    alice.get_by_role("row", name="Cv opsturen").get_by_role("button", name="Weer open zetten").click()
    expect(alice.get_by_role("status").first).to_contain_text("De afspraak staat weer open.")
    expect(alice.get_by_role("row", name="Cv opsturen")).to_contain_text("te laat")
    assert blocking_violations(alice, axe_script) == ""
