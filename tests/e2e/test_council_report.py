"""The programme manager in Chromium at 1280 and 360 px: opens the council reports from the programme page,
starts the report of the last quarter, sees the progress bar wait while the job is queued, and sees it finish
(htmx asks for the status every second) with the downloads; no sideways scrolling, no serious axe-core
problem. Screenshots go to MEEDOEN_SCREENSHOTS when it is set.

The job is left queued (django-tasks' dummy backend) so the page shows it waiting; the test then does what
the worker does. While it does, the page's status requests are held back: on in-memory SQLite the live
server shares the test's one database connection."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.budgets.tests.factories import ProjectFactory
from meedoen.programmes import rollup, selectors
from meedoen.programmes.actions import do_ensure_indicators
from meedoen.programmes.council_report import do_build_council_report
from meedoen.programmes.models import CouncilReport, Programme
from meedoen.programmes.tests.helpers import route
from meedoen.residents.tests.factories import ResidentFactory

from .test_accessibility import log_in_as
from .test_browser import blocking_violations
from .test_layout import HEIGHT, sideways_scroll

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("MEEDOEN_SCREENSHOTS", "")
QUARTER = selectors.last_quarter(timezone.localdate())


@pytest.fixture
def world(apeldoorn, pim, alice, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    for index in range(8):
        resident = ResidentFactory(municipality=apeldoorn, work=True, caseworker_work=alice.user)
        steps = [("leerwerken", QUARTER.first + dt.timedelta(days=3))] if index < 2 else []
        route(resident, alice.user, dt.date(2025, 1, 6), steps)
    Programme.objects.create(
        municipality=apeldoorn,
        name="Meedoen Apeldoorn",
        goal="Iedereen doet mee",
        starts_on=dt.date(2025, 1, 1),
        updated_by=pim.user,
    )
    do_ensure_indicators(apeldoorn)
    for month in QUARTER.months:
        rollup.build_month(apeldoorn.pk, month, today=timezone.localdate())
    ProjectFactory(municipality=apeldoorn, name="Re-integratie 45+")
    return {"device": TOTPDeviceFactory(user=pim.user)}


def test_the_programme_manager_starts_a_report_and_sees_the_progress_bar_finish(
    world, axe_page: Page, axe_script: Path
):
    page = axe_page
    problems: list[str] = []
    page.set_viewport_size({"width": 1280, "height": HEIGHT})
    log_in_as(page, "pim", world["device"], "/start/")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.goto("/programma/")
        page.get_by_role("link", name="Raadsrapportage per kwartaal").click()
        page.wait_for_url("**/programma/raadsrapportage/")
        expect(page.locator("#id_quarter")).to_have_value(QUARTER.label)
        page.get_by_role("button", name="Rapportage maken").click()
        page.wait_for_url("**/programma/raadsrapportage/*-*/")
        report = CouncilReport.objects.order_by("-created_at").first()
        assert report is not None and report.status == CouncilReport.Status.QUEUED
        bar = page.locator("progress.meedoen-progress")
        expect(bar).to_have_attribute("value", "0")
        expect(page.get_by_role("status")).to_contain_text("In de wachtrij")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"council-report-queued-{width}.png"), full_page=True)

        status_url = f"/programma/raadsrapportage/{report.pk}/"
        page.route(lambda url, path=status_url: url.endswith(path), lambda r: r.abort())
        page.wait_for_timeout(1500)  # a status request already on its way comes back first
        do_build_council_report(report.pk)  # what the worker does
        page.unroute_all()

        expect(page.get_by_role("status")).to_contain_text("Klaar: de rapportage is gemaakt.")
        expect(bar).to_have_attribute("value", "100")
        expect(page.get_by_role("link", name="Download de PDF")).to_be_visible()
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"council-report-done-{width}.png"), full_page=True)
        if overflow := sideways_scroll(page):
            problems.append(f"report page at {width} px scrolls sideways: {overflow}")
        if violations := blocking_violations(page, axe_script):
            problems.append(f"report page at {width} px, axe-core:\n{violations}")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download de PDF").click()
        assert download.value.suggested_filename == f"raadsrapportage-{QUARTER.label}.pdf"

        page.get_by_role("link", name="Terug naar de rapportages").click()
        page.wait_for_url("**/programma/raadsrapportage/")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"council-reports-{width}.png"), full_page=True)
        if overflow := sideways_scroll(page):
            problems.append(f"reports page at {width} px scrolls sideways: {overflow}")
        if violations := blocking_violations(page, axe_script):
            problems.append(f"reports page at {width} px, axe-core:\n{violations}")
    assert CouncilReport.objects.filter(status=CouncilReport.Status.DONE).count() == 2
    assert not problems, "\n".join(problems)


def test_the_projects_owner_writes_the_text_with_the_live_language_check(
    world, apeldoorn, alice, new_page, axe_script: Path
):
    from meedoen.language.tests.factories import TermFactory
    from meedoen.programmes.models import ProjectProfile, ProjectText

    TermFactory(
        municipality=apeldoorn,
        word="klant",
        alternatives="inwoner",
        why="We spreken over inwoners, niet over klanten.",
    )
    project = ProjectFactory(municipality=apeldoorn, name="Talentplekken")
    ProjectProfile.objects.create(
        project=project,
        programme=Programme.objects.get(municipality=apeldoorn),
        owner="Alice",
        owner_user=alice.user,
        goal="Talenten benutten",
        starts_on=dt.date(2025, 1, 1),
    )
    device = TOTPDeviceFactory(user=alice.user)
    page: Page = new_page(axe=True)
    problems: list[str] = []
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": HEIGHT})
        if width == 1280:
            log_in_as(page, "alice", device, "/start/")
        page.goto("/programma/")
        page.get_by_role("link", name="Teksten van de projecten voor de raad").click()
        page.wait_for_url("**/raadsrapportage/teksten/")
        again = "aanpassen" if width == 360 else "schrijven"  # the second time the text is there already
        page.get_by_role("link", name=f"Tekst {again} Talentplekken").click()
        text = page.get_by_label("Tekst voor de raad")
        text.fill("")
        text.press_sequentially("Elke klant kreeg een plek. Het ging goed.", delay=5)
        result = page.locator(".meedoen-taalcheck__result")
        expect(result).to_contain_text("We spreken over inwoners", timeout=10_000)
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"project-text-{width}.png"), full_page=True)
        if overflow := sideways_scroll(page):
            problems.append(f"text page at {width} px scrolls sideways: {overflow}")
        if violations := blocking_violations(page, axe_script):
            problems.append(f"text page at {width} px, axe-core:\n{violations}")
        page.get_by_role("button", name="Vervang door “inwoner”").click()
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_role("status").first).to_contain_text("De tekst is opgeslagen.")
    assert ProjectText.objects.get(project=project).text == "Elke inwoner kreeg een plek. Het ging goed."
    assert not problems, "\n".join(problems)
