"""The new screens have no serious accessibility problems (axe-core): Passende plekken and the explanation for
a klantmanager, the allocation for a programme manager, a placement and a seat in the provider portal, the
route rules for the functioneel beheerder."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.tests.conftest import act
from meedoen.matching.models import AllocationRun
from meedoen.residents.models import Resident

from .test_browser import PASSWORD, blocking_violations, code_for

pytestmark = pytest.mark.browser


def digid_log_in(page: Page, resident: Resident) -> None:
    """The whole DigiD mock flow, as the resident does it."""
    page.goto("/mijn/inloggen/")
    page.get_by_label(resident.municipality.name).check()
    page.get_by_role("button", name="Inloggen met DigiD").click()
    page.wait_for_url("**/digid/idp/inloggen/**")
    page.click("#authentication_type_account_basis")
    page.wait_for_url("**/digid/idp/inloggen_bsn/**")
    page.fill("input[name=auth_bsn]", resident.bsn)
    page.click("#submit-button")
    page.wait_for_url("**/mijn/")


def log_in_as(page: Page, username: str, device, landing: str) -> None:
    """Staff log in with password and authenticator code; a resident (device None) logs in with DigiD."""
    if device is None:
        digid_log_in(page, Resident.objects.select_related("municipality").get(user__username=username))
        page.wait_for_url(f"**{landing}")
        return
    page.goto("/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if device is not None:
        page.wait_for_url("**/inloggen/code/")
        page.fill("#id_code", code_for(device))
        page.get_by_role("button", name="Verder").click()
    page.wait_for_url(f"**{landing}")


# A finished allocation run whose figures are all large enough to show.
DONE_RUN_SUMMARY = {
    "waiting": 12,
    "free_seats": 6,
    "pairs": 30,
    "optimal": {"total_fit": 400.0, "placed": 6, "average_fit": 66.7, "average_km": 2.1},
    "fcfs": {"total_fit": 300.0, "placed": 6, "average_fit": 50.0, "average_km": 3.0},
    "share_of_optimal": 75.0,
    "by_group": [{"name": "45+", "waiting": 7, "optimal": None, "fcfs": None}],
    "by_district": [{"name": "De Maten", "waiting": 12, "optimal": 6, "fcfs": 6}],
}


@pytest.fixture
def world(alice, paula, pim, ada, ruben, moestuin, apeldoorn):
    proposal = catalogue_actions.do_propose(
        ruben, moestuin, start_date=timezone.localdate(), hours_per_week=12, note="", actor=act(alice)
    )
    seat = catalogue_actions.do_accept_proposal(proposal, actor=act(paula))
    run = AllocationRun.objects.create(
        municipality=apeldoorn,
        started_by=pim,
        status=AllocationRun.Status.DONE,
        summary=DONE_RUN_SUMMARY,
    )
    devices = {m.user.username: TOTPDeviceFactory(user=m.user) for m in (alice, paula, pim, ada)}
    return {"seat": seat, "run": run, "devices": devices}


def check(page: Page, axe_script: Path, what: str) -> None:
    problems = blocking_violations(page, axe_script)
    assert not problems, f"axe-core on {what}:\n{problems}"


def test_the_new_screens_pass_axe(world, ruben, moestuin, axe_page: Page, axe_script: Path):
    page = axe_page
    devices = world["devices"]
    log_in_as(page, "alice", devices["alice"], "/start/")
    page.goto(f"/inwoners/{ruben.pk}/passende-plekken/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Passende plekken voor Ruben Jansen")
    check(page, axe_script, "Passende plekken")
    page.goto("/matching/uitleg/")
    check(page, axe_script, "the explanation page")
    page.goto(f"/inwoners/{ruben.pk}/")
    expect(page.locator("section[aria-labelledby=plaatsingen]")).to_contain_text("Geplaatst vanaf")
    check(page, axe_script, "the resident file with its placements and route sections")
    page.get_by_role("button", name="Uitloggen").click()

    log_in_as(page, "pim", devices["pim"], "/start/")
    page.goto(f"/toewijzing/{world['run'].pk}/")
    expect(page.locator("main")).to_contain_text("12 inwoners wachten op een plek")
    check(page, axe_script, "the allocation result")
    page.goto("/toewijzing/")
    check(page, axe_script, "the allocations page")
    page.get_by_role("button", name="Uitloggen").click()

    log_in_as(page, "paula", devices["paula"], "/aanbieder/")
    page.goto(f"/aanbieder/plaatsing/{world['seat'].pk}/")
    check(page, axe_script, "a seat in the provider portal")
    page.goto(f"/aanbod/plek/{moestuin.pk}/")
    check(page, axe_script, "a placement page")
    page.goto("/aanbieder/plek/nieuw/")
    check(page, axe_script, "the new placement form")
    page.get_by_role("button", name="Uitloggen").click()

    log_in_as(page, "ada", devices["ada"], "/start/")
    page.goto("/route/regels/")
    check(page, axe_script, "the route rules")
    page.goto("/aanbieders/")
    check(page, axe_script, "the providers list")
