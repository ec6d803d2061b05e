"""The programme manager in Chromium at 360 and 1280 px: describes the programme with the optional end date
left empty, opens the dashboard, sees the charts drawn by vega-embed under the page's Content Security
Policy, each with its table and summary, and filters on a district; no sideways scrolling, no serious
axe-core problem."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.budgets.tests.factories import ProjectFactory
from meedoen.catalogue.rules import add_months
from meedoen.municipalities.models import District
from meedoen.programmes import rollup
from meedoen.programmes.actions import do_ensure_indicators
from meedoen.programmes.tests.helpers import route, score
from meedoen.residents.tests.factories import ResidentFactory

from .test_accessibility import log_in_as
from .test_browser import blocking_violations
from .test_layout import HEIGHT, WIDTHS, sideways_scroll

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("MEEDOEN_SCREENSHOTS", "")


@pytest.fixture
def world(apeldoorn, pim, alice):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    phases = ["verkennen", "activerend_werk", "leerwerken", "betaald_werk"]
    for index in range(24):
        resident = ResidentFactory(
            municipality=apeldoorn,
            work=True,
            district=maten if index % 2 else None,
            caseworker_work=alice.user,
        )
        route(
            resident,
            alice.user,
            dt.date(2025, 1, 6),
            [(phases[index % 4], this_month - dt.timedelta(days=40))],
        )
        score(resident, 2, dt.date(2025, 1, 10), alice.user)
        score(resident, 2 + index % 3, today, alice.user)
    ProjectFactory(municipality=apeldoorn, name="Re-integratie 45+")
    do_ensure_indicators(apeldoorn)
    for back in range(3):
        rollup.build_month(apeldoorn.pk, add_months(this_month, -back), today=today)
    return {"device": TOTPDeviceFactory(user=pim.user), "maten": maten}


def _check(page: Page, name: str, axe_script: Path, problems: list[str]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"programme-{name}-{width}.png"), full_page=True)
            page.screenshot(path=str(Path(SHOTS) / f"programme-{name}-{width}-top.png"))
            if page.locator("#indicator-1").count():
                page.locator("#indicator-1").screenshot(
                    path=str(Path(SHOTS) / f"programme-{name}-{width}-panel.png")
                )
        if overflow := sideways_scroll(page):
            problems.append(f"{name} at {width} px scrolls sideways: {overflow}")
        if violations := blocking_violations(page, axe_script):
            problems.append(f"{name} at {width} px, axe-core:\n{violations}")


def test_the_programme_manager_describes_the_programme_and_reads_the_dashboard(
    world, axe_page: Page, axe_script: Path
):
    page = axe_page
    problems: list[str] = []
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
    log_in_as(page, "pim", world["device"], "/start/")
    page.get_by_role("link", name="Programma", exact=True).first.click()
    page.get_by_role("link", name="Programma beschrijven").click()
    page.fill("#id_name", "Meedoen Apeldoorn")
    page.fill("#id_goal", "Iedereen doet mee naar vermogen én krijgt de kans om mee te kunnen doen.")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/programma/")
    assert "Meedoen Apeldoorn" in page.content()
    _check(page, "programme", axe_script, problems)

    page.get_by_role("link", name="Naar het dashboard").click()
    page.wait_for_url("**/programma/dashboard/")
    page.wait_for_selector("[data-chart='spec-0'][data-drawn='true'] svg", timeout=15000)
    drawn = page.locator("[data-drawn='true']").count()
    assert drawn == page.locator("[data-chart]").count() > 10, "every chart is drawn"
    text = page.inner_text("main")
    assert "Inwoners in het programma" in text and "24" in text
    assert "Inwoners in het programma per maand" in text  # the table beside the chart
    _check(page, "dashboard", axe_script, problems)

    page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
    page.select_option("#id_wijk", str(world["maten"].pk))
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url("**wijk=*")
    assert "Zuid · De Maten" in page.inner_text("main")
    _check(page, "dashboard-filtered", axe_script, problems)
    assert not [e for e in errors if "Content Security Policy" in e or "vega" in e.lower()], errors
    assert not problems, "\n".join(problems)
