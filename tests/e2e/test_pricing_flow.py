"""Pricing in a real browser: the provider prices a new placement (a wrong unit first, then the right one) and
reads the price on the placement page; the functioneel beheerder enters a contract's yearly lump sum. Both
forms fit 360 px and 1280 px without scrolling sideways and have no serious accessibility problems."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.catalogue.models import Contract, Placement

from .test_accessibility import log_in_as
from .test_browser import blocking_violations
from .test_layout import HEIGHT, WIDTHS, sideways_scroll

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("MEEDOEN_SCREENSHOTS", "/tmp/meedoen-screenshots"))  # noqa: S108 - test output


def check_widths(page: Page, axe_script: Path, name: str) -> list[str]:
    problems = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        if overflow := sideways_scroll(page):
            problems.append(f"{name} at {width} px scrolls sideways: {overflow}")
        if violations := blocking_violations(page, axe_script):
            problems.append(f"{name} at {width} px, axe-core:\n{violations}")
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        for field in ("#id_price", "#id_contract_task_budget"):  # the part this test is about, readable
            if page.locator(field).count():
                page.locator(field).scroll_into_view_if_needed()
                page.screenshot(path=str(SHOTS / f"{name}-{width}-field.png"))
    page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
    return problems


def test_the_provider_prices_a_placement_and_reads_it_back(paula, groene_schakel, axe_page: Page, axe_script):
    device = TOTPDeviceFactory(user=paula.user)
    page = axe_page
    log_in_as(page, "paula", device, "/aanbieder/")
    page.goto("/aanbieder/plek/nieuw/")
    problems = check_widths(page, axe_script, "placement-form")
    page.fill("#id_title", "Leerwerktraject Horeca")
    page.fill("#id_description", "Een jaar leren en werken in de keuken, met een diploma aan het eind.")
    page.select_option("#id_kind", "leerwerkplek")
    page.fill("#id_street", "Hoofdstraat 1")
    page.fill("#id_postcode", "7311AB")
    page.fill("#id_city", "Apeldoorn")
    page.fill("#id_latitude", "52.21")
    page.fill("#id_longitude", "5.96")
    page.fill("#id_capacity", "4")
    page.get_by_label("maandag").check()
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "13:00")
    page.get_by_label("Outputgericht: een vaste prijs per traject of per maand").check()
    page.fill("#id_price", "3250")
    page.select_option("#id_price_unit", "uur")  # does not fit outputgericht
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#id_price_unit_error")).to_have_text(
        "Kies een eenheid die past bij outputgericht: traject of maand."
    )
    problems += check_widths(page, axe_script, "placement-form-error")
    page.select_option("#id_price_unit", "traject")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("€\u00a03.250,00 per traject · outputgericht")).to_be_visible()
    problems += check_widths(page, axe_script, "placement-page")
    placement = Placement.objects.get(title="Leerwerktraject Horeca")
    assert (placement.pricing, placement.price_unit) == ("outputgericht", "traject")
    assert not problems, "\n".join(problems)


def test_the_beheerder_enters_the_yearly_lump_sum(ada, groene_schakel, axe_page: Page, axe_script):
    device = TOTPDeviceFactory(user=ada.user)
    page = axe_page
    log_in_as(page, "ada", device, "/start/")
    page.goto(f"/aanbieders/{groene_schakel.pk}/")
    problems = check_widths(page, axe_script, "contract-form")
    page.fill("#id_contract_task_budget", "96000")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De gegevens van De Groene Schakel zijn opgeslagen.")).to_be_visible()
    expect(page.locator("#id_contract_task_budget")).to_have_value("96000,00")
    problems += check_widths(page, axe_script, "contract-saved")
    assert str(Contract.objects.get(provider=groene_schakel).task_budget) == "96000.00"
    assert not problems, "\n".join(problems)
