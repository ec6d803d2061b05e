"""Successes in Chromium at 1280 and 360 px: the caseworker looks for new successes, writes the text of one
with the resident, records the approval and shares it; a provider then reads it on the successes page, with
no name. No sideways scrolling, no serious axe-core problem. Screenshots: MEEDOEN_SCREENSHOTS when set."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.programmes.models import Success
from meedoen.programmes.tests.helpers import route, score
from meedoen.residents.tests.factories import ResidentFactory

from .test_accessibility import log_in_as
from .test_browser import blocking_violations
from .test_layout import HEIGHT, sideways_scroll

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("MEEDOEN_SCREENSHOTS", "")
TEXT = (
    "Ik werk nu drie dagen per week in de keuken van het buurthuis, en ik krijg er loon voor. Dat voelt goed."
)


@pytest.fixture
def world(apeldoorn, alice, paula, groene_schakel):
    today = timezone.localdate()
    for index in range(2):
        resident = ResidentFactory(
            municipality=apeldoorn, work=True, caseworker_work=alice.user, family_name=f"Bakker-{index}"
        )
        score(resident, 2, today - dt.timedelta(days=120), alice.user)
        score(resident, 4, today - dt.timedelta(days=20), alice.user)
        route(
            resident,
            alice.user,
            today - dt.timedelta(days=200),
            [("betaald_werk", today - dt.timedelta(days=9))],
        )
    return {m.user.username: TOTPDeviceFactory(user=m.user) for m in (alice, paula)}


def _check(page: Page, axe_script: Path, name: str, width: int, problems: list[str]) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"successes-{name}-{width}.png"), full_page=True)
    if overflow := sideways_scroll(page):
        problems.append(f"{name} at {width} px scrolls sideways: {overflow}")
    if violations := blocking_violations(page, axe_script):
        problems.append(f"{name} at {width} px, axe-core:\n{violations}")


def test_a_caseworker_shares_a_success_with_approval_and_a_provider_reads_it(
    world, new_page, axe_script: Path
):
    problems: list[str] = []
    page = new_page(axe=True)
    page.set_viewport_size({"width": 1280, "height": HEIGHT})
    log_in_as(page, "alice", world["alice"], "/start/")
    page.goto("/successen/mijn-inwoners/")
    page.get_by_role("button", name="Nieuwe successen zoeken").click()
    expect(page.get_by_text("Er zijn 4 nieuwe successen gevonden.")).to_be_visible()
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": HEIGHT})
        page.goto("/successen/mijn-inwoners/")
        _check(page, axe_script, "own", width, problems)
    success = Success.objects.filter(kind="eerste_betaalde_maand").order_by("resident__family_name").first()
    assert success is not None
    page.goto(f"/successen/{success.pk}/")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": HEIGHT})
        _check(page, axe_script, "one", width, problems)
    page.get_by_label("Tekst om te delen").fill(TEXT)
    page.get_by_role("button", name="Akkoord van de inwoner vastleggen").click()
    expect(page.get_by_text("Vink aan dat de inwoner deze tekst goedvindt.", exact=True)).to_be_visible()
    page.get_by_label("Tekst om te delen").fill(TEXT)
    page.get_by_label("De inwoner las deze tekst", exact=False).check()
    page.get_by_role("button", name="Akkoord van de inwoner vastleggen").click()
    expect(page.get_by_text("Het akkoord van de inwoner is vastgelegd.")).to_be_visible()
    page.get_by_role("button", name="Delen op de pagina Successen").click()
    expect(page.get_by_text("Het succes staat nu op de pagina Successen.")).to_be_visible()
    page.close()

    provider = new_page(axe=True)
    provider.set_viewport_size({"width": 1280, "height": HEIGHT})
    log_in_as(provider, "paula", world["paula"], "/aanbieder/")
    for width in (1280, 360):
        provider.set_viewport_size({"width": width, "height": HEIGHT})
        provider.goto("/successen/")
        expect(provider.get_by_text(TEXT)).to_be_visible()
        assert "Bakker" not in provider.content()
        _check(provider, axe_script, "shared", width, problems)
    assert not problems, "\n".join(problems)
