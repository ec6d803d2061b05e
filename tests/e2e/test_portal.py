"""Mijn Meedoen in a real Chromium: a resident logs in through DigiD's mock identity provider, then every
portal page passes axe-core with no violations at all, fits a 360 px phone at 200 % zoom (180 CSS px) and
1280 px without scrolling sideways, and the main tasks work with the keyboard alone.

MEEDOEN_SCREENSHOTS=<folder> saves what the test looked at."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meedoen.accounts.actor import Actor
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.portal.models import CorrectionRequest, PlaceInterest
from meedoen.programmes.models import Success
from meedoen.residents.models import Plan, PlanAction, Resident
from meedoen.residents.tests.factories import ResidentFactory
from meedoen.routes.models import Route, Step

from .test_accessibility import digid_log_in
from .test_layout import sideways_scroll

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("MEEDOEN_SCREENSHOTS", "")
# 360 px at 200 % zoom lays out like a 180 CSS px window; 1280 px is a desk.
WIDTHS = (180, 360, 1280)
PAGES = [
    ("/mijn/", "mijn-plan"),
    ("/mijn/route/", "mijn-route"),
    ("/mijn/plekken/", "plekken"),
    ("/mijn/wat-ik-wil/", "wat-ik-wil"),
    ("/mijn/delen/", "delen"),
    ("/mijn/wie-keek/", "wie-keek"),
    ("/mijn/gegevens/", "gegevens"),
    ("/mijn/successen/", "successen"),
]


@pytest.fixture
def world(apeldoorn, alice, wendy, moestuin):
    resident = ResidentFactory(
        municipality=apeldoorn,
        given_names="Rita",
        family_name="de Haas",
        caseworker_work=alice.user,
        caseworker_care=wendy.user,
        both=True,
    )
    today = timezone.localdate()
    plan = Plan.objects.create(resident=resident, goals="Ik wil weer onder de mensen zijn.", review_on=today)
    PlanAction.objects.create(
        plan=plan, description="Bellen met de moestuin", owner="inwoner", due_on=today - dt.timedelta(days=2)
    )
    PlanAction.objects.create(
        plan=plan, description="Fiets laten maken", owner="begeleider", due_on=today + dt.timedelta(days=7)
    )
    route = Route.objects.create(
        municipality=apeldoorn, resident=resident, opened_on=dt.date(2026, 1, 5), created_by=alice.user
    )
    now = timezone.now()
    Step.objects.create(route=route, phase="activerend_werk", starts_on=dt.date(2026, 1, 5), reason="start",
                        decided_by=alice.user, recorded_at=now)  # fmt: skip
    Step.objects.create(route=route, phase="verkennen", starts_on=dt.date(2026, 3, 2), reason="te_zwaar",
                        is_back=True, decided_by=alice.user, recorded_at=now)  # fmt: skip
    log.record(Actor(alice.user, alice, "residents:detail"), LogAction.VIEW, Purpose.GUIDANCE, [resident.pk])
    PlaceInterest.objects.create(municipality=apeldoorn, resident=resident, placement=moestuin, marked_at=now)
    CorrectionRequest.objects.create(
        municipality=apeldoorn, resident=resident, part="plan", text="Mijn doel is anders.", asked_at=now,
        status="aangepast", answer="Aangepast.", answered_by=alice.user, answered_at=now,
    )  # fmt: skip
    # Mijn successen: one to answer, one the resident suggested other words for, one shared
    successes = [
        {"kind": Success.Kind.RUNG_UP, "source_key": "ladder:e2e", "rung_from": 2, "rung_to": 3},
        {
            "kind": Success.Kind.CERTIFICATE,
            "source_key": "hand:e2e",
            "certificate": "Heftruck",
            "happened_on": dt.date(2026, 1, 9),
            "resident_answer": "andere_woorden",
            "resident_words": "Ik heb mijn heftruckcertificaat gehaald!",
        },
        {
            "kind": Success.Kind.FIRST_PAID_MONTH,
            "source_key": "stap:e2e",
            "status": Success.Status.PUBLISHED,
            "text": "Een inwoner heeft de eerste maand betaald werk.",
            "consent_recorded_by": alice.user,
            "consent_recorded_at": now,
            "published_at": now,
        },
    ]
    for fields in successes:
        Success.objects.create(
            municipality=apeldoorn, resident=resident, source="route", **{"happened_on": today, **fields}
        )
    return resident


def all_violations(page: Page, axe_script: Path) -> str:
    """Every axe-core violation (any impact) on the page, one line per rule, or ''."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    violations = page.evaluate("axe.run({resultTypes: ['violations']}).then(r => r.violations)")
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"])
        for v in violations
    )


def test_every_portal_page_is_accessible_and_fits_every_width(world, axe_page: Page, axe_script: Path):
    digid_log_in(axe_page, world)
    expect(axe_page.get_by_role("heading", name="Welkom, Rita")).to_be_visible()
    problems = []
    for path, name in PAGES:
        axe_page.goto(path)
        for width in WIDTHS:
            axe_page.set_viewport_size({"width": width, "height": 800})
            if scroll := sideways_scroll(axe_page):
                problems.append(f"{path} at {width} px: {scroll}")
            if width != 180 and (found := all_violations(axe_page, axe_script)):
                problems.append(f"{path} at {width} px:\n{found}")
            if SHOTS:
                axe_page.screenshot(path=str(Path(SHOTS) / f"portal-{name}-{width}.png"), full_page=True)
    assert not problems, "\n".join(problems)


def test_the_login_pages_are_accessible(apeldoorn, epe, axe_page: Page, axe_script: Path):
    axe_page.goto("/mijn/inloggen/")
    for width in WIDTHS:
        axe_page.set_viewport_size({"width": width, "height": 800})
        assert not sideways_scroll(axe_page), width
        if width != 180:
            assert not all_violations(axe_page, axe_script), width
    if SHOTS:
        axe_page.screenshot(path=str(Path(SHOTS) / "portal-inloggen-360.png"), full_page=True)
    outsider = ResidentFactory(municipality=epe, work=True)
    digid_log_in_expecting_no_file(axe_page, outsider)
    for width in WIDTHS:
        axe_page.set_viewport_size({"width": width, "height": 800})
        assert not sideways_scroll(axe_page), width
    assert not all_violations(axe_page, axe_script)
    if SHOTS:
        axe_page.screenshot(path=str(Path(SHOTS) / "portal-geen-dossier-360.png"), full_page=True)


def digid_log_in_expecting_no_file(page: Page, resident: Resident) -> None:
    page.goto("/mijn/inloggen/")
    page.get_by_label("Apeldoorn").check()
    page.get_by_role("button", name="Inloggen met DigiD").click()
    page.click("#authentication_type_account_basis")
    page.fill("input[name=auth_bsn]", resident.bsn)
    page.click("#submit-button")
    page.wait_for_url("**/mijn/inloggen/terug/")
    expect(page.get_by_role("heading", name="We vinden geen dossier van u")).to_be_visible()


def tab_to(page: Page, text: str, limit: int = 120) -> None:
    """Press Tab until the focused element's accessible text starts with ``text``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => (document.activeElement.innerText || document.activeElement.value || '').trim()"
        )
        if focused.startswith(text):
            return
    raise AssertionError(f"Tab never reached {text!r}")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_resident_asks_for_a_conversation_with_the_keyboard_alone(world, width, page: Page):
    page.set_viewport_size({"width": width, "height": 800})
    digid_log_in(page, world)
    page.goto("/mijn/plekken/")
    tab_to(page, "Ik wil hierover praten")
    page.keyboard.press("Enter")
    page.wait_for_url("**/gesprek/")
    page.keyboard.press("Tab")  # skip link
    tab_to(page, "Vraag versturen")  # the question is optional: left empty
    page.keyboard.press("Enter")
    page.wait_for_url("**/mijn/plekken/")
    expect(page.get_by_text("Uw vraag is verstuurd.")).to_be_visible()
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"portal-gesprek-gevraagd-{width}.png"), full_page=True)
    assert PlaceInterest.objects.get(resident=world).conversation_asked_at is not None


@pytest.mark.parametrize("width", [360, 1280])
def test_the_resident_shares_a_part_and_asks_a_copy_with_the_keyboard(world, width, page: Page):
    page.set_viewport_size({"width": width, "height": 800})
    digid_log_in(page, world)
    page.goto("/mijn/delen/")
    tab_to(page, "Wel delen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uw toestemming is bewaard.")).to_be_visible()
    page.goto("/mijn/gegevens/")
    tab_to(page, "Maak een kopie van mijn gegevens")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uw kopie wordt gemaakt.")).to_be_visible()
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"portal-kopie-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_resident_agrees_to_share_a_success_with_the_keyboard(world, width, page: Page):
    page.set_viewport_size({"width": width, "height": 800})
    digid_log_in(page, world)
    page.goto("/mijn/successen/")
    tab_to(page, "Ja, dit mag gedeeld worden")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Dank u wel. U vindt het goed dat deze tekst gedeeld wordt.")).to_be_visible()
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"portal-succes-akkoord-{width}.png"), full_page=True)
    agreed = Success.objects.get(resident=world, kind=Success.Kind.RUNG_UP)
    assert (agreed.status, agreed.text) == (
        "akkoord_inwoner",
        "Een inwoner is een trede gestegen op de participatieladder: van trede 2 naar 3.",
    )
