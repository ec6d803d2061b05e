"""The live language check in a real browser: the klantmanager writes a note about Ruben with a word from
the glossary's avoid list; while she types, the check marks it with the reason and the level, one click
replaces it, and the note saves with the preferred word. Narrow and wide."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.language.tests.factories import TermFactory
from meedoen.residents.models import TimelineEvent

from .test_browser import blocking_violations, log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_an_avoided_word_is_marked_while_typing_and_replaced_in_one_click(
    alice, ruben, new_page, axe_script: Path, width
):
    TermFactory(
        municipality=alice.municipality,
        word="dagbesteding",
        alternatives="activerend werk",
        why="Het gaat om meedoen en werken, niet om de dag vullen.",
    )
    device = TOTPDeviceFactory(user=alice.user)
    page: Page = new_page(axe=True)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "alice", device)
    page.goto(f"/inwoners/{ruben.pk}/notitie/")
    text = page.get_by_label("Tekst")
    text.click()
    text.press_sequentially("Ruben gaat drie dagen naar de dagbesteding. Dat gaat goed.", delay=5)
    result = page.locator(".meedoen-taalcheck__result")
    expect(result).to_contain_text("Het gaat om meedoen en werken", timeout=10_000)
    expect(result).to_contain_text("Leesbaarheid:")
    assert blocking_violations(page, axe_script) == ""
    page.get_by_role("button", name="Vervang door “activerend werk”").click()
    expect(text).to_have_value("Ruben gaat drie dagen naar de activerend werk. Dat gaat goed.")
    expect(result).not_to_contain_text("Het gaat om meedoen en werken", timeout=10_000)
    page.screenshot(path=f"var/e2e-language-{width}.png", full_page=True)
    page.get_by_role("button", name="Opslaan").first.click()
    expect(page.get_by_role("status").first).to_contain_text("De notitie staat op de tijdlijn.")
    assert TimelineEvent.objects.filter(resident=ruben, text__contains="activerend werk").exists()
