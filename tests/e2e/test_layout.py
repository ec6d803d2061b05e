"""Guard-rail for the layout: every main page of every role fits a phone (360 px) and a desktop (1280 px)
without the page scrolling sideways, and has no serious accessibility problems (axe-core) at either width.

A wide table may scroll inside its own box; the page itself may not. One browser, one page per role, the
viewport resized between the two measurements (no reload needed: the layout follows the viewport).
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meedoen.accounts.tests.factories import TOTPDeviceFactory
from meedoen.budgets import actions as budget_actions
from meedoen.budgets import invoice_files
from meedoen.budgets.tests.factories import BudgetYearFactory, FundingSourceFactory
from meedoen.catalogue import actions as catalogue_actions
from meedoen.catalogue.tests.conftest import act
from meedoen.demo.switching import seed_norms
from meedoen.matching.models import AllocationRun
from meedoen.programmes.models import Success
from meedoen.residents import actions as resident_actions
from meedoen.residents.models import Plan, Resident
from meedoen.residents.tests.factories import ResidentFactory
from meedoen.routes import actions as route_actions

from .test_accessibility import DONE_RUN_SUMMARY, log_in_as
from .test_browser import blocking_violations

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)
HEIGHT = 800

# The innermost elements (and their table) that stick out of the viewport while no ancestor clips or scrolls
# them: the culprits of a page that scrolls sideways.
WIDEST_ELEMENTS_JS = """
() => {
  const limit = window.innerWidth + 0.5;
  const scrolls = (el) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  const right = (el) => {
    const box = el.getBoundingClientRect();
    return scrolls(el) ? box.right : Math.max(box.right, box.left + el.scrollWidth);
  };
  const sticksOut = (el) => right(el) > limit;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    const classes = [...el.classList].slice(0, 2);
    if (classes.length) name += '.' + classes.join('.');
    return name + ' (right edge ' + Math.round(right(el)) + ' px)';
  };
  const culprits = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticksOut(el) || [...el.children].some(sticksOut)) continue;
    // Clipped by a scrolling ancestor? An absolutely placed element escapes those below its positioned one.
    let inside = false, escaped = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    for (let a = el.parentElement; a && a !== document.body && !inside; a = a.parentElement) {
      if (escaped && getComputedStyle(a).position !== 'static') escaped = false;
      inside = !escaped && scrolls(a);
    }
    const box = el.parentElement && el.parentElement.closest('table, pre');
    if (!inside) culprits.add(describe(el) + (box ? ' in ' + describe(box) : ''));
  }
  return [...culprits].slice(0, 3);
}
"""


def sideways_scroll(page: Page) -> str:
    """'' when the page fits its viewport, else how wide it is and which elements make it so."""
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width <= inner_width:
        return ""
    culprits = page.evaluate(WIDEST_ELEMENTS_JS)
    return f"{scroll_width} px wide in a {inner_width} px window; widest: {', '.join(culprits) or '?'}"


@pytest.fixture
def world(alice, paula, pim, ada, fred, rita, ruben, moestuin, apeldoorn, carla):
    """Enough data that the tables and files are filled: a caseload, a route with steps, a plan, a note with
    a long unbroken word, a proposal waiting at the provider, a running placement and an allocation run."""
    today = timezone.localdate()
    for given, family in (("Petra", "Zandbergen-Vermeulen"), ("Karel", "Bosman"), ("Anouk", "Visser")):
        ResidentFactory(
            municipality=apeldoorn,
            caseworker_work=alice.user,
            work=True,
            given_names=given,
            family_name=family,
        )
    route = route_actions.do_open_route(ruben, starts_on=today - dt.timedelta(days=30), actor=act(alice))
    route_actions.do_record_step(
        route, phase="verkennen", starts_on=today, reason="klaar_voor_meer", actor=act(alice)
    )
    plan_version = Plan.objects.get(resident=ruben).version  # the route keeps the plan's review date
    resident_actions.do_update_plan(
        ruben,
        goals="Drie dagen per week buiten werken.",
        review_on=today,
        version=plan_version,
        actor=act(alice),
    )
    resident_actions.do_add_plan_action(
        ruben, description="Kennismaken bij de moestuin", owner="Ruben", due_on=today, actor=act(alice)
    )
    resident_actions.do_add_note(
        ruben,
        kind="notitie",
        text="Zie https://www.voorbeeld.nl/een/heel/lang/adres/zonder/spaties/dat/niet/past/op/een/telefoon",
        occurred_at=timezone.now(),
        domain_only=False,
        attachment=None,
        actor=act(alice),
    )
    seat = catalogue_actions.do_accept_proposal(
        catalogue_actions.do_propose(
            ruben, moestuin, start_date=today, hours_per_week=12, note="", actor=act(alice)
        ),
        actor=act(paula),
    )
    petra = ResidentFactory(municipality=apeldoorn, caseworker_work=alice.user, work=True)
    waiting = catalogue_actions.do_propose(
        petra, moestuin, start_date=today, hours_per_week=8, note="", actor=act(alice)
    )
    run = AllocationRun.objects.create(
        municipality=apeldoorn,
        started_by=pim,
        status=AllocationRun.Status.DONE,
        summary=DONE_RUN_SUMMARY,
    )
    Success.objects.create(
        municipality=apeldoorn, resident=Resident.objects.get(user=rita.user), kind=Success.Kind.RUNG_UP,
        happened_on=today, source=Success.Source.LADDER, source_key="ladder:layout", rung_from=2, rung_to=3,
    )  # fmt: skip  # Mijn successen with a text to answer
    devices = {m.user.username: TOTPDeviceFactory(user=m.user) for m in (alice, paula, pim, ada, fred, carla)}
    seed_norms(apeldoorn)  # the switch insight's figures, with the demo's July rows: every month filled
    invoice = budget_actions.do_submit_invoice(
        number="2026-LANG-FACTUURNUMMER-0001", month=today.replace(day=1), channel="portaal",
        actor=act(paula),
        lines=[invoice_files.LineInput(1, seat.pk, "week", Decimal("1"), Decimal("120.00"))],
    )  # fmt: skip
    budget_year = BudgetYearFactory(municipality=apeldoorn, year=today.year, created_by=carla.user)
    source = FundingSourceFactory(budget_year=budget_year, name="Re-integratiemiddelen Participatiewet")
    return {
        "seat": seat,
        "proposal": waiting,
        "run": run,
        "devices": devices,
        "invoice": invoice,
        "budget": (budget_year, source),
    }


def test_every_main_page_fits_a_phone_and_a_desktop(world, ruben, moestuin, axe_page: Page, axe_script: Path):
    page = axe_page
    r = ruben.pk
    roles = [
        (
            "alice",
            "/start/",
            [
                "/start/",
                "/inwoners/",
                f"/inwoners/{r}/",
                f"/inwoners/{r}/route/",
                f"/inwoners/{r}/plan/",
                "/route/besprekingen/",
                "/aanbod/",
                f"/aanbod/plek/{moestuin.pk}/",
                f"/inwoners/{r}/passende-plekken/",
                "/matching/uitleg/",
                f"/inwoners/{r}/route/inkomen/?starts_on=2026-12-01&hours_per_week=16&household=alleenstaande",
                "/experimenten/",
                f"/inwoners/{r}/brieven/",
                "/successen/",
                "/successen/mijn-inwoners/",
                "/successen/certificaat/",
            ],
        ),
        (
            "paula",
            "/aanbieder/",
            [
                "/aanbieder/",
                "/aanbieder/verzoeken/",  # the portal's requests as a page, without htmx
                f"/aanbieder/voorstel/{world['proposal'].pk}/",
                f"/aanbieder/plaatsing/{world['seat'].pk}/",
                "/aanbieder/facturen/",
                "/aanbieder/facturen/nieuw/",
                "/aanbieder/facturen/inlezen/",
                f"/aanbieder/facturen/{world['invoice'].pk}/",
                "/successen/",
            ],
        ),
        (
            "pim",
            "/start/",
            [
                "/start/",
                "/toewijzing/",
                f"/toewijzing/{world['run'].pk}/",
                "/experimenten/",
                "/experimenten/nieuw/",
                "/programma/",
                "/programma/dashboard/",
                "/programma/indicatoren/",
                "/programma/raadsrapportage/",
                "/programma/raadsrapportage/teksten/",
                "/successen/",
            ],
        ),
        (
            "ada",
            "/start/",
            [
                "/start/",
                "/beheer/gebruikers/",
                "/route/regels/",
                "/matching/uitleg/",
                "/aanbieders/",
                "/beheer/inkomen/normen/",
                "/beheer/mijn-meedoen/",
                "/woordenlijst/beheer/",
                "/brieven/sjablonen/",
            ],
        ),
        ("fred", "/start/", ["/start/", "/verwerkingenlog/"]),
        (
            "rita",
            "/mijn/",
            [
                "/mijn/",
                "/mijn/inkomen/?starts_on=2026-12-01&hours_per_week=12&household=gehuwden",
                "/mijn/successen/",
            ],
        ),
        (
            "carla",
            f"/budget/{world['budget'][0].pk}/",
            [
                f"/budget/{world['budget'][0].pk}/",
                f"/budget/geldbron/{world['budget'][1].pk}/mutatie/",
                f"/budget/{world['budget'][0].pk}/geldbron/",
                "/budget/declaraties/",
                f"/budget/declaraties/{world['invoice'].provider_id}/",
                f"/budget/declaraties/regel/{world['invoice'].lines.get().pk}/",
            ],
        ),
    ]
    problems: list[str] = []
    for username, landing, paths in roles:
        page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
        log_in_as(page, username, world["devices"].get(username), landing)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, f"{username} {path}: {response}"
            if page.locator("[hx-trigger~=load]").count():  # sections that htmx loads (the file, the portal)
                page.wait_for_load_state("networkidle")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                where = f"{username} {path} at {width} px"
                if overflow := sideways_scroll(page):
                    problems.append(f"{where} scrolls sideways: {overflow}")
                if violations := blocking_violations(page, axe_script):
                    problems.append(f"{where}, axe-core:\n{violations}")
        page.context.clear_cookies()  # the next role logs in afresh
    assert not problems, "\n".join(problems)


def test_a_printed_file_is_a_clean_summary(alice, ruben, page: Page):
    """On paper the file keeps its contents but drops the menu, the buttons, the forms and the links to work
    on it; links print as plain black text."""
    today = timezone.localdate()
    route_actions.do_open_route(ruben, starts_on=today, actor=act(alice))
    resident_actions.do_add_plan_action(
        ruben, description="Kennismaken bij de moestuin", owner="Ruben", due_on=today, actor=act(alice)
    )
    device = TOTPDeviceFactory(user=alice.user)
    log_in_as(page, "alice", device, "/start/")
    page.goto(f"/inwoners/{ruben.pk}/")
    expect(page.locator("section[aria-labelledby=route]")).to_contain_text("Kennismaken")
    working = [
        page.get_by_role("navigation", name="Hoofdmenu"),
        page.get_by_role("navigation", name="Onderdelen van het dossier"),
        page.get_by_role("button", name="Uitloggen"),
        page.get_by_role("button", name="Gedaan : Kennismaken bij de moestuin"),
        page.get_by_role("link", name="Gegevens wijzigen"),
        page.get_by_role("link", name="beëindigen"),
        page.get_by_role("link", name="Notitie of contact toevoegen"),
        page.locator("section[aria-labelledby=route]").get_by_role("link", name="Route en besprekingen"),
        page.get_by_role("contentinfo"),
    ]
    for locator in working:  # on screen, as the test expects them
        expect(locator).to_be_visible()

    page.emulate_media(media="print")
    for kept in ("Ruben Jansen", "Gegevens", "Afspraken", "Route", "Tijdlijn"):
        expect(page.get_by_role("heading", name=kept, exact=True)).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("Gemeente Apeldoorn")
    expect(page.get_by_role("cell", name="Kennismaken bij de moestuin", exact=True)).to_be_visible()
    for locator in working:
        expect(locator).to_be_hidden()

    ink = page.get_by_role("heading", name="Gegevens", exact=True).evaluate(
        "h => [getComputedStyle(h).color, getComputedStyle(h.closest('section')).backgroundColor]"
    )
    assert ink == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
