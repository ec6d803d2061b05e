"""The provider's invoices and the controller's review in Chromium at 360 and 1280 px: a provider enters an
invoice with the optional parts left empty, the controller approves it; no sideways scrolling, no serious
axe-core problem, and the amounts and flags a user must see."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.budgets.models import InvoiceLine, LedgerEntry
from meedoen.budgets.tests.commitment_helpers import act, open_year, propose
from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.models import Attendance
from meedoen.catalogue.tests.factories import PlacementFactory

from .test_accessibility import log_in_as
from .test_commitment_screens import SHOTS, check
from .test_layout import sideways_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def world(alice, paula, carla, ruben, groene_schakel, apeldoorn):
    today = timezone.localdate()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month
    open_year(apeldoorn, carla, amount=Decimal("10000.00"), year=month.year)
    placement = PlacementFactory(
        provider=groene_schakel, title="Fietsenwerkplaats met een lange naam", price=Decimal("15.00"),
        price_unit="uur",
    )  # fmt: skip
    seat = catalogue_actions.do_accept_proposal(
        propose(placement, alice, start=month, resident=ruben), actor=act(paula)
    )
    monday = month - dt.timedelta(days=month.weekday())
    while monday <= month + dt.timedelta(days=27):
        Attendance.objects.create(
            seat=seat, week=monday, days_present=3, hours_present=Decimal("10"), recorded_by=paula.user,
            recorded_at=timezone.now(),
        )  # fmt: skip
        monday += dt.timedelta(days=7)
    devices = {m.user.username: TOTPDeviceFactory(user=m.user) for m in (paula, carla)}
    return {"seat": seat, "month": month, "devices": devices}


def test_a_provider_invoices_and_the_controller_pays(world, ruben, axe_page: Page, axe_script: Path):
    page = axe_page
    problems: list[str] = []
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_as(page, "paula", world["devices"]["paula"], "/aanbieder/")
    page.get_by_role("link", name="Facturen", exact=True).first.click()
    check(page, "/aanbieder/facturen/", "invoice-list", axe_script, problems)
    check(page, "/aanbieder/facturen/nieuw/", "invoice-new", axe_script, problems)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.fill("#id_number", "2026-031")
    page.select_option("#id_month", f"{world['month']:%Y-%m}")
    page.select_option("#id_seat_1", str(world["seat"].pk))
    page.select_option("#id_unit_1", "uur")
    page.fill("#id_units_1", "100")  # more than the hours attended
    page.fill("#id_unit_price_1", "15,00")
    page.get_by_role("button", name="Factuur indienen").click()
    page.wait_for_url("**/aanbieder/facturen/*/")
    text = check(page, page.url, "invoice-detail", axe_script, problems)
    assert "€\u00a01.500,00" in text and "volgens de gemelde aanwezigheid" in text
    check(page, "/aanbieder/facturen/inlezen/", "invoice-import", axe_script, problems)
    page.context.clear_cookies()

    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_as(page, "carla", world["devices"]["carla"], "/")
    text = check(page, "/budget/declaraties/", "review", axe_script, problems)
    assert "De Groene Schakel" in text
    page.get_by_role("link", name="De Groene Schakel").click()
    text = check(page, page.url, "review-group", axe_script, problems)
    assert ruben.full_name in text
    page.get_by_role("link", name=ruben.full_name).click()
    text = check(page, page.url, "review-line", axe_script, problems)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.fill("#id_approve_reason", "Extra uren afgesproken.")
    page.get_by_role("button", name="Goedkeuren").click()
    page.wait_for_url("**/budget/declaraties/*/?maand=*")
    assert InvoiceLine.objects.get().status == "goedgekeurd"
    assert LedgerEntry.objects.get(kind="betaling").amount == Decimal("1500.00")
    assert not problems, "\n".join(problems)


def test_the_controller_corrects_an_approved_line(
    world, ruben, paula, carla, axe_page: Page, axe_script: Path
):
    """An approved line of € 1.500,00 was 20 hours too many: the controller opens it from the month's
    approved lines, fills in the right amount and a reason (no optional field), and sees the correction
    booked beside the original entries, at 360 and 1280 px."""
    from meedoen.budgets import actions
    from meedoen.budgets.tests.invoice_helpers import line

    invoice = actions.do_submit_invoice(
        number="2026-040", month=world["month"], lines=[line(world["seat"], units="100")], channel="portaal",
        actor=act(paula),
    )  # fmt: skip
    actions.do_approve_invoice_lines(list(invoice.lines.all()), reason="Afgesproken", actor=act(carla))
    page = axe_page
    problems: list[str] = []
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_as(page, "carla", world["devices"]["carla"], "/")
    provider = invoice.provider_id
    group = f"/budget/declaraties/{provider}/?maand={world['month']:%Y-%m}"
    text = check(page, group, "approved", axe_script, problems)
    assert "Goedgekeurde regels van deze maand" in text
    page.get_by_role("link", name=ruben.full_name).click()
    line_url = page.url
    text = check(page, line_url, "correct-line", axe_script, problems)
    assert "Betaald voor deze regel: €\u00a01.500,00." in text
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(line_url)
        amount = "1.200,00" if width == 360 else "1.350,00"
        page.fill("#id_correct_amount", amount.replace(".", ""))
        page.fill("#id_correct_reason", f"Twintig uur te veel gefactureerd ({width})")
        page.get_by_role("button", name="Correctie boeken").click()
        page.wait_for_load_state()
        text = page.content().replace("&nbsp;", "\u00a0")
        assert page.url.split("#")[0] == line_url.split("#")[0], page.locator("main").inner_text()
        assert f"Betaald voor deze regel: €\u00a0{amount}." in text
        assert f"te veel gefactureerd ({width})" in text
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"corrected-{width}.png"), full_page=True)
        if overflow := sideways_scroll(page):
            problems.append(f"{line_url} at {width} px scrolls sideways: {overflow}")
    paid = sum(e.amount for e in LedgerEntry.objects.filter(kind="betaling"))
    assert paid == Decimal("1350.00")
    assert not problems, "\n".join(problems)
