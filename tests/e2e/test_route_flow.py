"""The route in a real browser: a klantmanager starts Ruben's route, records a step and sees it drawn; the
route page has no serious accessibility problems (axe-core)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory

from .test_browser import blocking_violations, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def device(alice, ruben):
    return TOTPDeviceFactory(user=alice.user)


def test_a_route_is_started_and_a_step_recorded(device, ruben, axe_page: Page, axe_script: Path):
    page = axe_page
    log_in(page, "alice", device)
    page.goto(f"/inwoners/{ruben.pk}/")
    page.get_by_role("navigation", name="Onderdelen van het dossier").get_by_role(
        "link", name="Route en besprekingen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Route van Ruben Jansen")
    page.get_by_role("button", name="Route beginnen").click()
    expect(page.get_by_role("status")).to_contain_text("De route is begonnen.")
    expect(page.locator("main")).to_contain_text("Nu: Kennismaken")

    page.get_by_label("Naar fase").select_option(label="Verkennen")
    page.get_by_role("button", name="Stap vastleggen").click()
    expect(page.get_by_role("link", name="Waarom: Kies een reden.")).to_be_visible()
    page.get_by_label("Naar fase").select_option(label="Verkennen")
    page.get_by_label("Waarom", exact=True).select_option(label="Klaar voor een volgende stap")
    page.get_by_role("button", name="Stap vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("De stap is vastgelegd.")
    steps = page.get_by_role("list", name="Stappen van de route, oudste eerst")
    expect(steps.get_by_role("listitem")).to_have_count(2)
    expect(steps.get_by_role("listitem").last).to_contain_text("Verkennen")
    problems = blocking_violations(page, axe_script)
    assert not problems, f"axe-core on the route page:\n{problems}"
