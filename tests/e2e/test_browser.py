"""What a klantmanager sees in a real browser: the two-step login, the start page, searching the caseload
(htmx), a resident file and logging out; accessibility of the main pages (axe-core); the friendly 404."""

import re
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import PASSWORD, TOTPDeviceFactory
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = ("serious", "critical")


def code_for(device: TOTPDevice) -> str:
    """The code the authenticator app shows now (as ``code_for`` in accounts/tests/test_login.py)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def caseload(apeldoorn, alice):
    """Alice's device and three residents in her caseload, plus one resident who is not hers."""
    device = TOTPDeviceFactory(user=alice.user)
    for given, family in (("Petra", "Zandbergen"), ("Karel", "Bosman"), ("Anouk", "Visser")):
        ResidentFactory(
            municipality=apeldoorn,
            caseworker_work=alice.user,
            work=True,
            given_names=given,
            family_name=family,
        )
    ResidentFactory(municipality=apeldoorn, work=True, given_names="Jan", family_name="Jansen")
    return device


def log_in(page: Page, username: str, device: TOTPDevice) -> None:
    page.goto("/inloggen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Meedoen")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    page.wait_for_url("**/inloggen/code/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vul de code uit uw app in")
    page.fill("#id_code", code_for(device))
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url("**/start/")


def test_klantmanager_logs_in_finds_a_resident_and_logs_out(caseload, page: Page):
    log_in(page, "alice", caseload)

    expect(page.get_by_role("banner")).to_contain_text("Gemeente Apeldoorn")
    expect(page.get_by_role("heading", level=1)).to_have_text("Goedendag Alice")
    expect(page.get_by_text("U begeleidt 3 inwoners.")).to_be_visible()
    # The start page is the day's work: nothing is due yet for these three, and each section says so.
    expect(page.get_by_role("heading", name=re.compile(r"^Besprekingen"))).to_be_visible()
    expect(page.get_by_text("Geen nieuwe verslagen in de afgelopen 14 dagen.")).to_be_visible()

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Caseload").click()
    page.wait_for_url("**/inwoners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Caseload")
    results = page.locator("#resultaten")
    expect(results).to_contain_text("3 inwoners gevonden")

    # Typing searches by itself (htmx, after a short pause) and puts the search in the address bar.
    search = page.get_by_role("searchbox", name="Zoek op naam, geboortedatum of BSN")
    search.fill("zandb")
    expect(results).to_contain_text("1 inwoner gevonden")
    expect(results.get_by_role("link", name="Zandbergen, Petra")).to_be_visible()
    expect(results).not_to_contain_text("Bosman")
    expect(page).to_have_url(re.compile(r"[?&]zoek=zandb(&|$)"))

    # The Zoeken button works too: set the text without typing (no input event), then press the button.
    search.evaluate("(element, value) => { element.value = value; }", "Visser")
    page.get_by_role("button", name="Zoeken").click()
    expect(results.get_by_role("link", name="Visser, Anouk")).to_be_visible()
    expect(results).to_contain_text("1 inwoner gevonden")
    expect(results).not_to_contain_text("Zandbergen")
    expect(page).to_have_url(re.compile(r"[?&]zoek=Visser(&|$)"))

    page.wait_for_load_state("networkidle")  # the search's htmx swaps are done: click the final link
    results.get_by_role("link", name="Visser, Anouk").click()
    page.wait_for_url(re.compile(r"/inwoners/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Anouk Visser")

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij Meedoen")
    expect(page.get_by_role("status")).to_contain_text("U bent uitgelogd.")
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)

    # The session is really gone: the start page sends her back to the login page.
    page.goto("/start/")
    expect(page).to_have_url(re.compile(r"/inloggen/"))


def test_the_sections_of_a_file_load_side_by_side(caseload, apeldoorn, alice, page: Page):
    """The resident file fetches its route and placements sections at the same moment; many such fetches
    at once all succeed (the browser runs up to six in parallel against the live server)."""
    resident = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    log_in(page, "alice", caseload)
    sections = [f"/inwoners/{resident.pk}/route/kort/", f"/inwoners/{resident.pk}/plaatsingen/"] * 12
    statuses = page.evaluate(
        "urls => Promise.all(urls.map(u => fetch(u, {headers: {'HX-Request': 'true'}}).then(r => r.status)))",
        sections,
    )
    assert statuses == [200] * len(sections)


def blocking_violations(page: Page, axe_script: Path) -> str:
    """Serious and critical axe-core violations on the current page, one line per rule, or ''.

    axe-core is injected once per page load and asked for violations only (not the passes): quicker when a
    test checks one page at several widths."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    violations = page.evaluate("axe.run({resultTypes: ['violations']}).then(r => r.violations)")
    lines = []
    for violation in violations:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)


def test_login_and_start_page_have_no_serious_accessibility_problems(
    caseload, axe_page: Page, axe_script: Path
):
    axe_page.goto("/inloggen/")
    problems = blocking_violations(axe_page, axe_script)
    assert not problems, f"axe-core on the login page:\n{problems}"

    log_in(axe_page, "alice", caseload)
    expect(axe_page.get_by_role("heading", level=1)).to_have_text("Goedendag Alice")
    problems = blocking_violations(axe_page, axe_script)
    assert not problems, f"axe-core on the start page:\n{problems}"


def test_unknown_address_shows_a_friendly_page_in_the_normal_layout(page: Page):
    response = page.goto("/bestaat-niet/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze pagina bestaat niet")
    expect(page).to_have_title("Pagina niet gevonden · Meedoen")
    expect(page.get_by_role("banner").get_by_role("link", name="Meedoen")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_contain_text("iedereen doet mee")
    page.get_by_role("link", name="Naar de startpagina").click()
    page.wait_for_url("**/inloggen/")
