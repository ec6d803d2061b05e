"""The switch insight in a real browser: a klantmanager goes from Ruben's route to the calculation, fills in
only the hours (the start date is filled in, the household chosen) and sees twelve months with explanations,
at 360 and 1280 px; puts it on the timeline; a bad input shows a Dutch error at the field. The resident sees
their own at /mijn/inkomen/. No serious accessibility problems (axe-core)."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.catalogue.tests.conftest import act
from meedoen.demo.switching import seed_norms
from meedoen.routes import actions as route_actions

from .test_accessibility import log_in_as
from .test_browser import blocking_violations
from .test_layout import sideways_scroll

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("MEEDOEN_SCREENSHOTS", "")


@pytest.fixture
def device(alice, ruben, apeldoorn):
    seed_norms(apeldoorn)  # the 2026 file, with DEMO rows for the July figures that were not found
    route_actions.do_open_route(
        ruben, starts_on=timezone.localdate() - dt.timedelta(days=20), actor=act(alice)
    )
    return TOTPDeviceFactory(user=alice.user)


@pytest.mark.parametrize("width", [360, 1280])
def test_a_caseworker_calculates_a_step_with_optional_fields_empty(
    device, ruben, width, axe_page: Page, axe_script: Path
):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 800})
    log_in_as(page, "alice", device, "/start/")
    page.goto(f"/inwoners/{ruben.pk}/route/")
    page.get_by_role("link", name="Wat betekent een stap naar (meer) betaald werk voor het inkomen?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inkomen bij een stap: Ruben Jansen")

    page.get_by_label("Uren per week").fill("-2")
    page.get_by_label("Huishouden").select_option(label="Alleenstaand")
    page.get_by_role("button", name="Bereken").click()
    expect(page.locator("main")).to_contain_text("Het aantal uren kan niet negatief zijn")

    page.get_by_label("Uren per week").fill("16")
    page.get_by_role("button", name="Bereken").click()
    table = page.get_by_role("table", name="Overzicht van twaalf maanden")
    expect(table.get_by_role("row")).to_have_count(13)
    expect(page.locator("main")).to_contain_text("telt niet mee")
    expect(page.locator("main")).to_contain_text("geen besluit")
    assert not sideways_scroll(page), sideways_scroll(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/switch-insight-{width}.png", full_page=True)
    problems = blocking_violations(page, axe_script)
    assert not problems, f"axe-core on the switch insight:\n{problems}"

    page.get_by_role("button", name="Als bijlage op de tijdlijn zetten").click()
    expect(page.get_by_role("status")).to_contain_text("De berekening staat als bijlage op de tijdlijn")
    page.goto(f"/inwoners/{ruben.pk}/")
    expect(page.locator("main")).to_contain_text("Berekening inkomen bij een stap")
    expect(page.get_by_role("link", name="Bijlage downloaden").first).to_be_visible()


def test_the_resident_sees_their_own(rita, apeldoorn, axe_page: Page, axe_script: Path):
    seed_norms(apeldoorn)
    page = axe_page
    page.set_viewport_size({"width": 360, "height": 800})
    log_in_as(page, "rita", None, "/mijn/")  # a resident lands in Mijn Meedoen
    page.goto("/mijn/inkomen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat betekent werken voor mijn inkomen?")
    page.get_by_label("Uren per week").fill("12")
    page.get_by_label("Huishouden").select_option(label="Alleenstaande ouder")
    page.get_by_role("button", name="Bereken").click()
    expect(page.get_by_role("table", name="Overzicht van twaalf maanden").get_by_role("row")).to_have_count(
        13
    )
    assert not sideways_scroll(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/switch-insight-mine-360.png", full_page=True)
    problems = blocking_violations(page, axe_script)
    assert not problems, f"axe-core on /mijn/inkomen/:\n{problems}"
