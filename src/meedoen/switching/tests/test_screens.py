"""The switch insight on screen: a caseworker calculates on a proposed step (only the required fields), gets
Dutch field errors for bad input, prints it as a PDF or puts it on the timeline; the resident sees their own
at /mijn/inkomen/; the functioneel beheerder keeps the norms. Other municipality 404, wrong role 403."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from meedoen.audit.models import LogAction, ProcessingLogEntry
from meedoen.catalogue.tests.conftest import act
from meedoen.residents.models import TimelineEvent
from meedoen.switching import actions
from meedoen.switching.models import ReferenceFigure

pytestmark = pytest.mark.django_db

REQUIRED = {"starts_on": "2026-01-01", "hours_per_week": "16", "household": "alleenstaande"}


@pytest.fixture
def norms(apeldoorn):
    actions.do_load_published(actor=None, municipality_id=apeldoorn.pk)


@pytest.fixture
def petra(apeldoorn, alice):
    from meedoen.residents.tests.factories import ResidentFactory

    return ResidentFactory(
        municipality=apeldoorn, caseworker_work=alice.user, work=True, date_of_birth=dt.date(1995, 6, 1),
        household="alleenstaand", given_names="Petra", family_name="Zandbergen",
    )  # fmt: skip


def _url(name, resident):
    return reverse(f"switching:{name}", args=[resident.pk])


def test_the_route_page_links_to_the_calculation(alice, petra, login_as):
    page = login_as(alice).get(reverse("routes:route", args=[petra.pk])).content.decode()
    assert "Nieuwe route" in page  # no route yet: the link sits with the step form once there is one
    from meedoen.routes import actions as route_actions

    route_actions.do_open_route(petra, starts_on=dt.date(2026, 1, 5), actor=act(alice))
    page = login_as(alice).get(reverse("routes:route", args=[petra.pk])).content.decode()
    assert _url("step", petra) in page


def test_a_caseworker_calculates_with_only_the_required_fields(alice, petra, norms, login_as):
    page = login_as(alice).get(_url("step", petra), REQUIRED).content.decode()
    # Gross € 1.019,89, net estimated € 1.004,93 (worked out by hand in test_rules), benefit € 647,80.
    assert (
        "€\u00a01.019,89" in page
        and "€\u00a01.004,93" in page
        and "€\u00a0647,80" in page
        and "€\u00a01.652,73" in page
    )
    assert "Geschat nettoloon: het brutoloon min de loonheffing" in page and "€\u00a014,96 per maand" in page
    assert "Maand 1 van 6: 25 % van het inkomen uit werk telt niet mee" in page
    assert "De loonheffingskorting telt maar bij één uitbetaler" in page
    # The tax figures used, with their date and source.
    assert "Arbeidskorting schijf 2: vast bedrag" in page and "35,75 %" in page and "salure.nl" in page
    assert "geen besluit" in page and "Toeslagen van de Belastingdienst" in page
    assert "niet gevonden" in page  # the July 2026 figures: said, not guessed
    assert "Normenbrief 1 januari 2026" in page  # the source of the norm used
    entry = ProcessingLogEntry.objects.filter(action=LogAction.VIEW).latest("occurred_at")
    assert list(entry.subjects.values_list("resident_id", flat=True)) == [petra.pk]


def test_the_form_starts_from_the_file(alice, petra, norms, login_as):
    page = login_as(alice).get(_url("step", petra)).content.decode()
    assert (
        'value="alleenstaande" selected' in page
        or 'selected value="alleenstaande"' in page
        or ('value="alleenstaande"' in page and "selected" in page)
    )
    assert "Per maand" not in page  # nothing calculated before the question is asked


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"hours_per_week": "-3"}, "Het aantal uren kan niet negatief zijn"),
        ({"hourly_wage": "12,00"}, "lager dan het wettelijk minimumloon"),
    ],
)
def test_bad_input_is_a_dutch_error_at_the_field(alice, petra, norms, login_as, data, words):
    page = login_as(alice).get(_url("step", petra), {**REQUIRED, **data}).content.decode()
    assert words in page
    assert "Per maand" not in page


def test_a_wage_under_the_minimum_is_fine_with_wage_cost_subsidy(alice, petra, norms, login_as):
    data = {**REQUIRED, "hourly_wage": "9,00", "wage_cost_subsidy": "on"}
    page = login_as(alice).get(_url("step", petra), data).content.decode()
    assert "€\u00a01.019,89" in page and "€\u00a01.004,93" in page and "ten minste het minimumloon" in page


def test_the_calculation_is_a_pdf(alice, petra, norms, login_as):
    response = login_as(alice).get(_url("pdf", petra), REQUIRED)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "nl"  # tagged for a screen reader
    # On paper too: the estimated net wage, and the tax figures it used with their date and source.
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Geschat nettoloon" in text and "€ 1.004,93" in text
    assert "Loonheffing onder de AOW-leeftijd: tarief schijf 1" in text and "01-01-2026" in text
    assert "aplusbadviesgroep.nl" in text and "salure.nl" in text
    assert ProcessingLogEntry.objects.filter(action=LogAction.EXPORT).exists()


def test_the_calculation_goes_on_the_timeline_as_an_attachment(alice, petra, norms, login_as):
    page = login_as(alice).post(_url("attach", petra), REQUIRED, follow=True).content.decode()
    assert "De berekening staat als bijlage op de tijdlijn" in page
    event = TimelineEvent.objects.get(resident=petra, kind=TimelineEvent.Kind.ROUTE)
    assert event.domain == "participatiewet" and event.attachment.name.endswith(".pdf")
    assert "Berekening inkomen bij een stap, vanaf januari 2026: 16 uur per week" in event.text
    assert event.attachment.open("rb").read(4) == b"%PDF"
    assert ProcessingLogEntry.objects.filter(action=LogAction.CREATE, subjects__resident_id=petra.pk).exists()


def test_the_csrf_token_of_the_attach_form_never_ends_up_in_a_url(alice, petra, norms, login_as):
    """The browser posts the attach form with its CSRF token; the page it goes back to (and the PDF link on
    it) carries the question only."""
    client = login_as(alice)
    response = client.post(_url("attach", petra), {**REQUIRED, "csrfmiddlewaretoken": "geheim-token"})
    assert response.status_code == 302
    location = response["Location"]
    assert "csrfmiddlewaretoken" not in location and "geheim-token" not in location
    assert "hours_per_week=16" in location
    page = client.get(location).content.decode()
    assert "hours_per_week=16" in page and "geheim-token" not in page
    # An address that has one already (a bookmark from before): the PDF link does not pass it on.
    page = client.get(_url("step", petra), {**REQUIRED, "csrfmiddlewaretoken": "oud-token"}).content.decode()
    pdf_link = page.split(f'href="{_url("pdf", petra)}?', 1)[1].split('"', 1)[0]
    assert "hours_per_week=16" in pdf_link and "oud-token" not in pdf_link


def test_bad_input_attaches_nothing(alice, petra, norms, login_as):
    page = login_as(alice).post(_url("attach", petra), {**REQUIRED, "hours_per_week": "-1"}).content.decode()
    assert "Het aantal uren kan niet negatief zijn" in page
    assert not TimelineEvent.objects.filter(resident=petra).exists()


def test_another_municipality_gets_404(charlie, petra, norms, login_as):
    client = login_as(charlie)
    assert client.get(_url("step", petra), REQUIRED).status_code == 404
    assert client.get(_url("pdf", petra), REQUIRED).status_code == 404
    assert client.post(_url("attach", petra), REQUIRED).status_code == 404


def test_a_caseworker_without_the_resident_in_the_caseload_gets_404(apeldoorn, petra, norms, login_as):
    from meedoen.accounts.policies import Role
    from meedoen.accounts.tests.factories import MembershipFactory
    from meedoen.residents.tests.factories import ResidentFactory

    colleague = MembershipFactory(municipality=apeldoorn, role=Role.CASEWORKER_WORK, user__username="bert")
    stranger = ResidentFactory(municipality=apeldoorn)  # no caseworker, no legal basis
    assert login_as(colleague).get(_url("step", stranger), REQUIRED).status_code == 404


@pytest.mark.parametrize("persona", ["wendy", "paula", "pim", "ada", "rita"])
def test_other_roles_get_403(persona, petra, norms, login_as, request):
    client = login_as(request.getfixturevalue(persona))
    assert client.get(_url("step", petra), REQUIRED).status_code == 403
    assert client.post(_url("attach", petra), REQUIRED).status_code == 403


def test_the_resident_sees_their_own_calculation(rita, norms, login_as):
    client = login_as(rita)
    page = client.get(reverse("switching:mine")).content.decode()
    assert "Wat betekent werken voor mijn inkomen?" in page
    # It is one of the pages of Mijn Meedoen: the portal's menu is there, with this page as the current one.
    assert 'href="/mijn/"' in page and 'href="/mijn/inkomen/" aria-current="page"' in page
    page = client.get(reverse("switching:mine"), REQUIRED).content.decode()
    assert "Per maand" in page and "Als bijlage op de tijdlijn zetten" not in page
    entry = ProcessingLogEntry.objects.latest("occurred_at")
    assert entry.purpose == "inzage_inwoner"


def test_only_a_resident_has_a_own_calculation(alice, login_as):
    assert login_as(alice).get(reverse("switching:mine")).status_code == 403


def test_the_functioneel_beheerder_loads_and_adds_norms(ada, login_as):
    client = login_as(ada)
    page = client.post(reverse("switching:norms-load"), follow=True).content.decode()
    assert "65 normen en regels geladen" in page
    assert "8,324 %" in page and "€\u00a038.883,00" in page  # a percentage and an amount as people read them
    assert "niet gevonden" in page
    page = client.post(reverse("switching:norms-load"), follow=True).content.decode()
    assert "0 normen en regels geladen" in page  # loading twice adds nothing
    data = {
        "key": "norm.alleenstaande_21_aow",
        "valid_from": "2026-07-01",
        "value": "1420,00",
        "source": "Staatscourant 2026 (ingevoerd voor de test)",
    }
    page = client.post(reverse("switching:norm-add"), data, follow=True).content.decode()
    assert "De norm is opgeslagen" in page and "vervangen" in page  # the empty July row stays, struck
    figure = ReferenceFigure.objects.filter(key="norm.alleenstaande_21_aow", valid_from="2026-07-01").latest(
        "recorded_at"
    )
    assert figure.value == Decimal("1420.00") and figure.recorded_by == ada.user


def test_a_norm_without_a_source_is_refused_at_the_field(ada, login_as):
    data = {"key": "vrijlating.maximum", "valid_from": "2026-07-01", "value": "290"}
    page = login_as(ada).post(reverse("switching:norm-add"), data).content.decode()
    assert "Dit veld is verplicht" in page or "verplicht" in page
    assert not ReferenceFigure.objects.exists()


def test_norms_belong_to_the_municipality(ada, charlie, epe, login_as):
    actions.do_load_published(actor=act(ada))
    assert ReferenceFigure.objects.filter(municipality=epe).count() == 0
    assert login_as(charlie).get(reverse("switching:norms")).status_code == 403


@pytest.mark.parametrize("persona", ["alice", "rita", "carla"])
def test_only_the_functioneel_beheerder_keeps_norms(persona, login_as, request):
    client = login_as(request.getfixturevalue(persona))
    assert client.get(reverse("switching:norms")).status_code == 403
    assert client.post(reverse("switching:norms-load")).status_code == 403
