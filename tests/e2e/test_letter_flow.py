"""Letters and the glossary in a real browser, narrow (360 px) and wide (1280 px).

The functioneel beheerder keeps the glossary and the letter templates: an avoided word typed into a
template is marked while typing and replaced in one click. The klantmanager makes a letter for Ruben from
his file: the template comes filled, she fills in what the file cannot know, makes the PDF and records
that she sent it by post."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.language.actions import do_seed_glossary
from meedoen.letters.actions import do_seed_letter_templates
from meedoen.letters.models import Letter, LetterTemplate

from .test_browser import blocking_violations, log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_the_beheerder_keeps_the_glossary_and_a_template_with_the_live_check(
    ada, new_page, axe_script: Path, width
):
    do_seed_glossary(ada.municipality)
    do_seed_letter_templates(ada.municipality)
    device = TOTPDeviceFactory(user=ada.user)
    page: Page = new_page(axe=True)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "ada", device)
    page.goto("/woordenlijst/beheer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Woordenlijst bewerken")
    expect(page.get_by_role("link", name="dagbesteding")).to_be_visible()
    assert blocking_violations(page, axe_script) == ""
    page.screenshot(path=f"var/e2e-glossary-manage-{width}.png", full_page=True)
    page.get_by_role("link", name="activerend werk").click()
    expect(page.get_by_label("Betekenis in het Engels")).to_have_value(
        "Work with a purpose, where you learn and take part. Unpaid, with guidance."
    )
    page.screenshot(path=f"var/e2e-glossary-term-{width}.png", full_page=True)

    page.goto("/brieven/sjablonen/")
    page.get_by_role("link", name="Uitnodiging voor een gesprek").click()
    body = page.get_by_label("Tekst", exact=True)
    body.click()
    body.press("Control+End")
    body.press_sequentially("\n\nElke klant mag iemand meenemen.", delay=5)
    result = page.locator(".meedoen-taalcheck__result").last
    expect(result).to_contain_text("Het gaat om inwoners van de gemeente", timeout=10_000)
    assert blocking_violations(page, axe_script) == ""
    page.get_by_role("button", name="Vervang door “inwoner”").click()
    expect(body).to_have_value(re.compile("Elke inwoner mag iemand meenemen."))
    page.screenshot(path=f"var/e2e-letter-template-{width}.png", full_page=True)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("is opgeslagen")
    template = LetterTemplate.objects.get(municipality=ada.municipality, name="Uitnodiging voor een gesprek")
    assert template.version == 2 and "Elke inwoner mag iemand meenemen." in template.body


@pytest.mark.parametrize("width", [360, 1280])
def test_the_klantmanager_makes_a_letter_from_the_file_and_records_sending(
    alice, ruben, new_page, axe_script: Path, width
):
    do_seed_glossary(alice.municipality)
    do_seed_letter_templates(alice.municipality)
    device = TOTPDeviceFactory(user=alice.user)
    page: Page = new_page(axe=True)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "alice", device)
    page.goto(f"/inwoners/{ruben.pk}/")
    page.get_by_role("link", name="Brief maken").click()
    page.get_by_label("Kies een sjabloon").select_option(label="Uitnodiging voor een gesprek")
    page.get_by_role("button", name="Brief opstellen").click()
    body = page.get_by_label("Tekst", exact=True)
    expect(body).to_have_value(re.compile("^Beste Ruben Jansen,"))
    draft = body.input_value()
    assert draft.startswith("Beste Ruben Jansen,") and "[dag en datum]" in draft
    expect(page.locator(".meedoen-taalcheck__result").last).to_contain_text("Leesbaarheid:", timeout=10_000)
    assert blocking_violations(page, axe_script) == ""
    page.screenshot(path=f"var/e2e-letter-draft-{width}.png", full_page=True)
    filled = (
        draft.replace("[dag en datum]", "dinsdag 15 december")
        .replace("[tijd]", "10 uur")
        .replace("[plaats]", "het stadhuis, Marktplein 1")
    )
    body.fill(filled)
    page.get_by_role("button", name="Maak de brief (PDF)").click()
    expect(page.get_by_role("status").first).to_contain_text("De brief is gemaakt en staat op de tijdlijn.")
    expect(page.get_by_role("link", name="Download de brief (PDF)")).to_be_visible()
    page.get_by_label("Per post").check()
    page.get_by_role("button", name="Versturen vastleggen").click()
    expect(page.get_by_role("status").first).to_contain_text("Het versturen staat op de tijdlijn.")
    expect(page.get_by_text("Verstuurd op")).to_be_visible()
    assert blocking_violations(page, axe_script) == ""
    page.screenshot(path=f"var/e2e-letter-sent-{width}.png", full_page=True)
    letter = Letter.objects.get(resident=ruben)
    assert letter.channel == "post" and "dinsdag 15 december" in letter.body
