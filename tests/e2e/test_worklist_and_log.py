"""The caseworker's worklist and the privacy officer's log search, in a browser at phone and desk width:
the work is there, one click leads to it, and axe-core finds no serious problem."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meedoen.accounts.actor import Actor
from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.catalogue.tests.factories import PlacementFactory
from meedoen.web.tests.test_worklist import caseload_with_work

from .test_accessibility import check, log_in_as

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)
SHOTS = os.environ.get("MEEDOEN_SCREENSHOTS", "")  # a folder: save what the test looked at, to look at it too


def _shot(page: Page, name: str, width: int) -> None:
    """Nothing sticks out of the content sideways (a wide table scrolls in its own box); saved when asked."""
    main = page.evaluate(
        "[document.querySelector('main').scrollWidth, document.querySelector('main').clientWidth]"
    )
    assert main[0] <= main[1], f"{name} at {width} px: content {main[0]} px in {main[1]} px"
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)


@pytest.fixture
def world(alice, fred, apeldoorn, groene_schakel):
    place = PlacementFactory(provider=groene_schakel, title="Moestuin De Maten", capacity=20)
    residents = caseload_with_work(apeldoorn, alice, place, 3)
    looked = Actor(alice.user, alice, "residents:detail")
    for resident in residents:
        log.record(looked, LogAction.VIEW, Purpose.GUIDANCE, [resident.pk])
    devices = {m.user.username: TOTPDeviceFactory(user=m.user) for m in (alice, fred)}
    return {"residents": residents, "devices": devices}


@pytest.mark.parametrize("width", WIDTHS)
def test_worklist_and_log_search_at_phone_and_desk_width(width, world, axe_page: Page, axe_script: Path):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 900})
    first = world["residents"][0]

    log_in_as(page, "alice", world["devices"]["alice"], "/start/")
    expect(page.locator("#werk-afspraken")).to_contain_text("3")
    check(page, axe_script, f"the worklist at {width} px")
    _shot(page, "worklist", width)
    reviews = page.locator("section[aria-labelledby=werk-besprekingen]")
    reviews.get_by_role("link", name=first.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.full_name)
    page.get_by_role("button", name="Uitloggen").click()

    log_in_as(page, "fred", world["devices"]["fred"], "/start/")
    page.goto("/verwerkingenlog/")
    page.fill("#id_inwoner", first.bsn)
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("main")).to_contain_text(f"Verwerkingen over {first.full_name}")
    expect(page.locator("main table")).to_contain_text("Dossier van inwoner")
    check(page, axe_script, f"the log searched by BSN at {width} px")
    _shot(page, "log-bsn", width)
    page.fill("#id_inwoner", "Inwoner")
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("main")).to_contain_text("3 inwoners gevonden")
    check(page, axe_script, f"the log searched by name at {width} px")
    _shot(page, "log-name", width)
