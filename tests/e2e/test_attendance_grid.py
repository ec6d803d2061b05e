"""Paula reports a week of attendance for her placed residents in one go, in a real browser, on a phone and
on a desktop: 70 residents, 25 a page, half the rows filled and half left empty (not reported). The grid has
no serious accessibility problems (axe-core)."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.catalogue import rules
from meedoen.catalogue.models import Attendance
from meedoen.catalogue.tests.factories import PlacementFactory, SeatFactory

from .test_browser import blocking_violations
from .test_placement_flow import log_in_provider

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("MEEDOEN_SCREENSHOTS", "")  # a folder to keep screenshots in, for a person to look at


@pytest.fixture
def seventy(apeldoorn, alice, paula, groene_schakel):
    placements = [PlacementFactory(provider=groene_schakel, capacity=30, title=f"Plek {n}") for n in "ABC"]
    start = timezone.localdate() - dt.timedelta(weeks=8)
    seats = [
        SeatFactory(
            proposal__placement=placements[i % 3],
            proposal__municipality=apeldoorn,
            proposal__proposed_by=alice.user,
            proposal__start_date=start,
            proposal__resident__family_name=f"Achternaam{i:02d}",
        )
        for i in range(70)
    ]
    return seats, TOTPDeviceFactory(user=paula.user)


@pytest.mark.parametrize("width", [360, 1280])
def test_paula_fills_half_a_week_and_empty_rows_stay_not_reported(seventy, new_page, axe_script: Path, width):
    seats, device = seventy
    page = new_page(axe=True)
    page.set_viewport_size({"width": width, "height": 900})
    log_in_provider(page, "paula", device)
    page.get_by_role("link", name="Aanwezigheid van een week invullen voor iedereen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanwezigheid per week")
    expect(page.get_by_text("70 inwoners geplaatst in deze week")).to_be_visible()
    problems = blocking_violations(page, axe_script)
    assert not problems, problems

    for index in range(0, 25, 2):  # every other resident of the first page; the others stay empty
        name = seats[index].resident.full_name
        page.get_by_label(f"Dagen aanwezig: {name}").fill("2")
        page.get_by_label(f"Uren aanwezig: {name}").fill("7,5")
    page.get_by_label(f"Reden afwezig of opmerking: {seats[2].resident.full_name}").fill("Eén dag ziek")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/provider-grid-filled-{width}.png", full_page=True)
    page.get_by_role("button", name="Aanwezigheid van deze pagina opslaan").click()

    expect(page.get_by_text("13 opgeslagen, 0 niet veranderd, 12 niet gemeld (lege rij)")).to_be_visible()
    week = rules.monday_of(timezone.localdate()) - dt.timedelta(weeks=1)
    assert Attendance.objects.filter(week=week).count() == 13
    expect(page.get_by_text("Nog niet gemeld")).to_have_count(12)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/provider-grid-saved-{width}.png", full_page=True)
        page.locator(f"[id='rij-{seats[0].pk}']").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/provider-grid-saved-rows-{width}.png")

    # Changing a reported row without saying so is refused, with the saved values and who reported them.
    page.get_by_label(f"Uren aanwezig: {seats[0].resident.full_name}").fill("6")
    page.get_by_role("button", name="Aanwezigheid van deze pagina opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Al gemeld op")
    expect(page.get_by_role("alert")).to_contain_text("Wijzigen?")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/provider-grid-asked-{width}.png")
        page.locator(f"[id='rij-{seats[0].pk}']").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/provider-grid-asked-row-{width}.png")
