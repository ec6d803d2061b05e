"""Mijn Meedoen in a real Chromium: a resident logs in through DigiD's mock identity provider, then every
portal page passes axe-core with no violations at all, fits a 360 px phone at 200 % zoom (180 CSS px) and
1280 px without scrolling sideways, and every form of the portal can be filled in and sent with the keyboard
alone (Tab, Shift+Tab, Space, Enter and typing; no mouse), with a visible focus on what the resident uses.

MEEDOEN_SCREENSHOTS=<folder> saves what the test looked at."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meedoen.accounts.actor import Actor
from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.demo.switching import seed_norms
from meedoen.portal.models import CorrectionRequest, DataExport, OwnWords, PlaceInterest, PortalSettings
from meedoen.programmes.models import Success
from meedoen.residents.models import Consent, Plan, PlanAction, Profile, Resident
from meedoen.residents.tests.factories import ResidentFactory
from meedoen.routes.models import Route, Step

from .test_accessibility import digid_log_in, log_in_as
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


# ------------------------------------------------------------------------------------- keyboard alone

# The name of the focused element as the resident meets it: a field by its label, a button by its text.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {name: '', visible: false};
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  const name = (label || el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const ring = style.boxShadow && style.boxShadow !== 'none';
  return {name: name, visible: el.matches(':focus-visible') && (outline || ring)};
}"""


def tab_to(page: Page, text: str, *, back: bool = False, limit: int = 150) -> None:
    """Press Tab (Shift+Tab with ``back``) until the focused element's label or text starts with ``text``;
    that element must show where the focus is (an outline or a ring)."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = page.evaluate(FOCUSED)
        if focused["name"].startswith(text):
            assert focused["visible"], f"{text!r} has the focus but does not show it"
            return
    raise AssertionError(f"Tab never reached {text!r}")


def keyboard_page(page: Page, resident: Resident, width: int, path: str) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    digid_log_in(page, resident)
    page.goto(path)


def shot(page: Page, name: str, width: int) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"portal-{name}-{width}.png"), full_page=True)


KEYBOARD_WIDTHS = pytest.mark.parametrize("width", [360, 1280])


@KEYBOARD_WIDTHS
def test_the_resident_chooses_the_municipality_and_logs_in_with_the_keyboard(world, epe, width, page: Page):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/mijn/inloggen/")
    tab_to(page, "Apeldoorn")
    page.keyboard.press("Space")
    tab_to(page, "Inloggen met DigiD")
    page.keyboard.press("Enter")
    page.wait_for_url("**/digid/idp/inloggen/**")  # DigiD's own pages (here the mock) are not ours
    page.click("#authentication_type_account_basis")
    page.fill("input[name=auth_bsn]", world.bsn)
    page.click("#submit-button")
    page.wait_for_url("**/mijn/")
    expect(page.get_by_role("heading", name="Welkom, Rita")).to_be_visible()


@KEYBOARD_WIDTHS
def test_the_resident_says_what_they_like_and_when_they_can_with_the_keyboard(world, width, page: Page):
    keyboard_page(page, world, width, "/mijn/wat-ik-wil/")
    tab_to(page, "Groen")
    page.keyboard.press("Space")
    tab_to(page, "Vertel het in uw eigen woorden")
    page.keyboard.type("Ik ben graag buiten.")
    tab_to(page, "Hoeveel uur per week")
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    tab_to(page, "dinsdag")
    page.keyboard.press("Space")
    tab_to(page, "Opslaan")
    tab_to(page, "Iets anders over wanneer u kunt", back=True)  # back one field, with Shift+Tab
    page.keyboard.type("Niet op woensdagmiddag.")
    tab_to(page, "Opslaan")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Opgeslagen. Uw klantmanager of consulent ziet dit nu ook.")).to_be_visible()
    expect(page.get_by_label("Groen")).to_be_checked()
    expect(page.get_by_label("dinsdag")).to_be_checked()
    expect(page.get_by_label("Hoeveel uur per week")).to_have_value("12")
    shot(page, "wat-ik-wil-opgeslagen", width)
    words = OwnWords.objects.get(resident=world)
    assert (words.interests_text, words.availability_text) == (
        "Ik ben graag buiten.",
        "Niet op woensdagmiddag.",
    )
    assert Profile.objects.get(resident=world).hours_per_week == 12


@KEYBOARD_WIDTHS
def test_the_resident_shares_a_part_and_stops_sharing_it_with_the_keyboard(world, width, page: Page):
    keyboard_page(page, world, width, "/mijn/delen/")
    tab_to(page, "Wel delen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uw toestemming is bewaard.")).to_be_visible()
    expect(page.get_by_text("U deelt dit deel sinds")).to_be_visible()
    shot(page, "delen-gedeeld", width)
    tab_to(page, "Niet meer delen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uw toestemming is ingetrokken.")).to_be_visible()
    expect(page.get_by_text("U deelt dit deel sinds")).to_have_count(0)
    assert Consent.objects.get(resident=world).withdrawn_on == timezone.localdate()


@KEYBOARD_WIDTHS
def test_the_resident_marks_a_place_interesting_or_not_with_the_keyboard(world, width, page: Page):
    keyboard_page(page, world, width, "/mijn/plekken/")
    tab_to(page, "Toch niet interessant")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Deze plek staat niet meer bij uw interesses.")).to_be_visible()
    tab_to(page, "Interessant")
    page.keyboard.press("Enter")
    expect(page.get_by_text("U vindt Moestuin De Maten interessant. Dat is bewaard.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Toch niet interessant"))).to_be_visible()
    shot(page, "plek-interessant", width)
    assert PlaceInterest.objects.filter(resident=world).count() == 1


@KEYBOARD_WIDTHS
def test_the_resident_asks_for_a_conversation_with_the_keyboard_alone(world, width, page: Page):
    keyboard_page(page, world, width, "/mijn/plekken/")
    tab_to(page, "Ik wil hierover praten")
    page.keyboard.press("Enter")
    page.wait_for_url("**/gesprek/")
    tab_to(page, "Waarover wilt u praten")
    page.keyboard.type("Kan ik er met de fiets komen?")
    tab_to(page, "Vraag versturen")
    page.keyboard.press("Enter")
    page.wait_for_url("**/mijn/plekken/")
    expect(page.get_by_text("Uw vraag is verstuurd.")).to_be_visible()
    shot(page, "gesprek-gevraagd", width)
    interest = PlaceInterest.objects.get(resident=world)
    assert interest.conversation_asked_at is not None
    assert interest.conversation_question == "Kan ik er met de fiets komen?"


@KEYBOARD_WIDTHS
def test_the_resident_asks_for_a_correction_with_the_keyboard(world, width, page: Page):
    keyboard_page(page, world, width, "/mijn/gegevens/")
    tab_to(page, "Welk deel klopt niet?")
    page.keyboard.type("Mijn route")  # a closed list chooses by typing
    tab_to(page, "Wat klopt er niet")
    page.keyboard.type("Ik begon in februari, niet in januari.")
    tab_to(page, "Verzoek versturen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uw verzoek is verstuurd.")).to_be_visible()
    mine = (
        page.locator("section[aria-labelledby=correctie]")
        .get_by_role("listitem")
        .filter(has_text="Ik begon in februari")
    )
    expect(mine).to_contain_text("Mijn route")
    expect(mine).to_contain_text("Wacht op antwoord")
    shot(page, "correctie-gevraagd", width)


@KEYBOARD_WIDTHS
def test_the_resident_asks_for_a_copy_and_downloads_it_with_the_keyboard(world, width, page: Page):
    keyboard_page(page, world, width, "/mijn/gegevens/")
    tab_to(page, "Maak een kopie van mijn gegevens")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uw kopie wordt gemaakt.")).to_be_visible()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible()
    shot(page, "kopie", width)
    tab_to(page, "Download PDF")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".pdf")
    assert DataExport.objects.get(resident=world).status == DataExport.Status.DONE


@KEYBOARD_WIDTHS
def test_the_resident_agrees_to_share_a_success_with_the_keyboard(world, width, page: Page):
    keyboard_page(page, world, width, "/mijn/successen/")
    tab_to(page, "Ja, dit mag gedeeld worden")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Dank u wel. U vindt het goed dat deze tekst gedeeld wordt.")).to_be_visible()
    shot(page, "succes-akkoord", width)
    agreed = Success.objects.get(resident=world, kind=Success.Kind.RUNG_UP)
    assert (agreed.status, agreed.text) == (
        "akkoord_inwoner",
        "Een inwoner is een trede gestegen op de participatieladder: van trede 2 naar 3.",
    )


def _rung_up(resident: Resident) -> Success:
    return Success.objects.get(resident=resident, kind=Success.Kind.RUNG_UP)


@KEYBOARD_WIDTHS
def test_the_resident_refuses_to_share_a_success_with_the_keyboard(world, width, page: Page):
    keyboard_page(page, world, width, f"/mijn/successen/#succes-{_rung_up(world).pk}")
    tab_to(page, "Nee, niet delen")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Dit succes wordt niet gedeeld.").first).to_be_visible()
    shot(page, "succes-niet-delen", width)
    assert _rung_up(world).status == Success.Status.REJECTED


@KEYBOARD_WIDTHS
def test_the_resident_suggests_other_words_for_a_success_with_the_keyboard(world, width, page: Page):
    keyboard_page(page, world, width, f"/mijn/successen/#succes-{_rung_up(world).pk}")
    tab_to(page, "Wilt u het anders zeggen?")
    page.keyboard.type("Ik doe nu elke week mee in de moestuin.")
    tab_to(page, "Stuur mijn woorden")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Uw woorden zijn verstuurd.")).to_be_visible()
    expect(page.get_by_text("Ik doe nu elke week mee in de moestuin.").first).to_be_visible()
    shot(page, "succes-andere-woorden", width)
    assert _rung_up(world).resident_words == "Ik doe nu elke week mee in de moestuin."


@KEYBOARD_WIDTHS
def test_the_resident_calculates_their_income_after_a_step_with_the_keyboard(
    world, apeldoorn, width, page: Page
):
    seed_norms(apeldoorn)
    keyboard_page(page, world, width, "/mijn/inkomen/")
    tab_to(page, "Uren per week")
    page.keyboard.type("12")
    tab_to(page, "Huishouden")
    page.keyboard.type("Alleenstaande ouder")
    tab_to(page, "Bereken")
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="Overzicht van twaalf maanden")
    expect(table.get_by_role("row")).to_have_count(13)
    shot(page, "inkomen-berekend", width)


@KEYBOARD_WIDTHS
def test_the_functioneel_beheerder_shows_staff_names_with_the_keyboard_and_the_resident_sees_them(
    world, ada, alice, width, axe_page: Page, axe_script: Path
):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 800})
    log_in_as(page, "ada", TOTPDeviceFactory(user=ada.user), "/start/")
    page.goto("/beheer/mijn-meedoen/")
    expect(page.get_by_text("Nu: inwoners zien de organisatie en de rol, niet de naam.")).to_be_visible()
    assert not sideways_scroll(page) and not all_violations(page, axe_script)
    tab_to(page, "Toon namen van medewerkers aan inwoners")
    page.keyboard.press("Space")
    tab_to(page, "Opslaan")
    page.keyboard.press("Enter")
    expect(page.get_by_text("De instelling is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Nu: inwoners zien de naam van de medewerker.")).to_be_visible()
    shot(page, "instelling-namen", width)
    assert PortalSettings.objects.get(municipality=world.municipality).show_staff_names
    page.get_by_role("button", name="Uitloggen").click()
    digid_log_in(page, world)
    page.goto("/mijn/wie-keek/")
    expect(
        page.get_by_role("cell", name=f"Klantmanager (werk) ({alice.user.display_name()})")
    ).to_be_visible()
    shot(page, "wie-keek-met-namen", width)
