"""A place for Ruben, in a real browser: the klantmanager finds a placement in the catalogue and proposes him,
the provider declines (full), the klantmanager sends the proposal on, the provider accepts, records a week
of attendance and ends the placement; the file shows every step. The catalogue and the provider portal
have no serious accessibility problems (axe-core)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.catalogue.tests.factories import PlacementFactory

from .test_browser import PASSWORD, blocking_violations, code_for, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def world(alice, paula, ruben, moestuin):
    PlacementFactory(provider=moestuin.provider, title="Kringloop Centrum", tags=["winkel"])
    return {
        "alice": TOTPDeviceFactory(user=alice.user),
        "paula": TOTPDeviceFactory(user=paula.user),
        "ruben": ruben,
    }


@pytest.fixture
def two_people(world, new_page) -> tuple[Page, Page]:
    """Alice (klantmanager) and Paula (provider), each in her own browser; axe-core may be injected."""
    return new_page(axe=True), new_page(axe=True)


def log_in_provider(page: Page, username: str, device) -> None:
    """A provider's start page is the provider portal."""
    page.goto("/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/inloggen/code/")
    page.fill("#id_code", code_for(device))
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url("**/aanbieder/")


def placements_section(page: Page):
    return page.locator("section[aria-labelledby=plaatsingen]")


def test_a_place_for_ruben_from_proposal_to_the_end(world, two_people, axe_script: Path):
    alice, paula = two_people
    ruben = world["ruben"]
    log_in(alice, "alice", world["alice"])
    log_in_provider(paula, "paula", world["paula"])

    # Alice opens Ruben's file; the placements section loads by itself.
    alice.goto(f"/inwoners/{ruben.pk}/")
    expect(placements_section(alice)).to_contain_text("Nog geen voorstellen of plaatsingen.")
    placements_section(alice).get_by_role("link", name="Een plek zoeken in het aanbod").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("Een plek zoeken voor Ruben Jansen")
    problems = blocking_violations(alice, axe_script)
    assert not problems, f"axe-core on the catalogue:\n{problems}"

    # Filtering on an interest narrows the list without a page load.
    alice.get_by_label("Interesse").select_option(label="Groen en tuin")
    results = alice.locator("#resultaten")
    expect(results).to_contain_text("1 plek gevonden")
    results.get_by_role("link", name="Voorstellen Moestuin De Maten").click()
    heading = alice.get_by_role("heading", level=1)
    expect(heading).to_have_text("Ruben Jansen voorstellen voor Moestuin De Maten")
    alice.get_by_label("Toelichting voor de aanbieder").fill("Ruben werkt graag buiten.")
    alice.get_by_role("button", name="Voorstel versturen").click()
    expect(alice.get_by_role("status")).to_contain_text("Het voorstel is naar De Groene Schakel gestuurd.")
    expect(placements_section(alice)).to_contain_text("Wacht op antwoord")

    # Paula sees the proposal in her portal, without the BSN, and declines it: full.
    paula.goto("/start/")
    expect(paula).to_have_url(re.compile(r"/aanbieder/$"))
    problems = blocking_violations(paula, axe_script)
    assert not problems, f"axe-core on the provider portal:\n{problems}"
    paula.get_by_role("table", name="Nieuwe voorstellen").get_by_role("link", name="Ruben Jansen").click()
    expect(paula.locator("main")).to_contain_text("Ruben werkt graag buiten.")
    expect(paula.locator("main")).not_to_contain_text(ruben.bsn)
    paula.get_by_role("button", name="Voorstel afwijzen").click()
    expect(paula.get_by_role("link", name="Reden: Kies een reden.")).to_be_visible()
    paula.get_by_label("Reden").select_option(label="Vol")
    paula.get_by_role("button", name="Voorstel afwijzen").click()
    expect(paula.get_by_role("status")).to_contain_text("U heeft het voorstel afgewezen.")

    # Alice sends it on to the Kringloop in one step.
    alice.goto("/start/")
    expect(alice.get_by_role("region", name="Meldingen")).to_contain_text("Voorstel afgewezen: Ruben Jansen")
    alice.goto(f"/inwoners/{ruben.pk}/")
    expect(placements_section(alice)).to_contain_text("Afgewezen: vol")
    placements_section(alice).get_by_role("link", name=re.compile("Doorsturen naar andere plek")).click()
    alice.get_by_label("Andere plek").select_option(label="Kringloop Centrum (De Groene Schakel)")
    alice.get_by_role("button", name="Doorsturen").click()
    expect(placements_section(alice)).to_contain_text("doorgestuurd na een afwijzing")

    # Paula accepts, fills in a week and ends the placement.
    paula.goto("/aanbieder/")
    paula.get_by_role("table", name="Nieuwe voorstellen").get_by_role("link", name="Ruben Jansen").click()
    paula.get_by_role("button", name="Voorstel accepteren").click()
    expect(paula.get_by_role("status")).to_contain_text("Ruben Jansen krijgt plaats 1.")
    paula.get_by_label("Dagen aanwezig").fill("3")
    paula.get_by_label("Uren aanwezig").fill("12")
    paula.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(paula.get_by_role("status")).to_contain_text("De aanwezigheid is opgeslagen.")
    paula.get_by_label("Waarom eindigt de plaatsing?").fill("Ruben begint bij een bakker.")
    paula.get_by_role("button", name="Plaatsing beëindigen").click()
    expect(paula.get_by_role("status")).to_contain_text("De plaats is weer vrij.")

    # The file tells the whole story.
    alice.goto(f"/inwoners/{ruben.pk}/")
    expect(placements_section(alice)).to_contain_text("Geplaatst, beëindigd op")
    timeline = alice.locator("section[aria-labelledby=tijdlijn]")
    expect(timeline).to_contain_text("Aanwezigheid week van")
    expect(timeline).to_contain_text("Ruben begint bij een bakker.")
