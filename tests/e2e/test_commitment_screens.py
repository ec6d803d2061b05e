"""The controller's commitment screens and the caseworker's budget warning, in Chromium at 360 and 1280 px:
no sideways scrolling, no serious axe-core problem, and the amounts a user must see."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.budgets.models import Commitment
from meedoen.budgets.tests.commitment_helpers import act, open_year, propose
from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.tests.factories import PlacementFactory

from .test_accessibility import log_in_as
from .test_browser import blocking_violations
from .test_layout import HEIGHT, WIDTHS, sideways_scroll

pytestmark = pytest.mark.browser
# Set MEEDOEN_SCREENSHOTS=<folder> to keep a screenshot of each page at each width, to look at.
SHOTS = os.environ.get("MEEDOEN_SCREENSHOTS", "")


@pytest.fixture
def world(alice, paula, carla, ruben, groene_schakel, apeldoorn):
    today = timezone.localdate()
    budget_year, _source = open_year(apeldoorn, carla, amount=Decimal("1000.00"), year=today.year)
    placement = PlacementFactory(provider=groene_schakel, title="Fietsenwerkplaats met een lange naam")
    seat = catalogue_actions.do_accept_proposal(propose(placement, alice, start=today), actor=act(paula))
    big = PlacementFactory(provider=groene_schakel, title="Groenploeg", price=Decimal("400.00"))
    waiting = propose(big, alice, start=today + dt.timedelta(days=1))
    devices = {m.user.username: TOTPDeviceFactory(user=m.user) for m in (alice, carla)}
    return {
        "year": budget_year,
        "commitment": Commitment.objects.get(seat=seat),
        "big": big,
        "waiting": waiting,
        "devices": devices,
    }


def check(page: Page, path: str, name: str, axe_script: Path, problems: list[str]) -> str:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response}"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
        if overflow := sideways_scroll(page):
            problems.append(f"{path} at {width} px scrolls sideways: {overflow}")
        if violations := blocking_violations(page, axe_script):
            problems.append(f"{path} at {width} px, axe-core:\n{violations}")
    return page.content().replace("&nbsp;", "\u00a0")  # Chromium writes a no-break space as &nbsp;


def test_the_controllers_screens_and_the_caseworkers_warning(world, ruben, axe_page: Page, axe_script: Path):
    page = axe_page
    problems: list[str] = []
    page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
    log_in_as(page, "carla", world["devices"]["carla"], "/")
    c = world["commitment"].pk
    text = check(page, f"/budget/{world['year'].pk}/verplichtingen/", "list", axe_script, problems)
    assert "Fietsenwerkplaats" in text and "Re-integratie" in text
    check(page, f"/budget/verplichtingen/{c}/", "detail", axe_script, problems)
    check(page, f"/budget/verplichtingen/{c}/verlengen/", "extend", axe_script, problems)
    check(page, f"/budget/verplichtingen/{c}/andere-bron/", "reattribute", axe_script, problems)
    text = check(page, f"/budget/{world['year'].pk}/wachten-op-budget/", "waiting", axe_script, problems)
    assert "Groenploeg" in text
    page.context.clear_cookies()

    page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
    log_in_as(page, "alice", world["devices"]["alice"], "/start/")
    text = check(page, f"/inwoners/{ruben.pk}/voorstel/{world['big'].pk}/", "propose", axe_script, problems)
    assert "Let op: er is nog" in text and "de controller moet toestemming geven" in text
    assert not problems, "\n".join(problems)
