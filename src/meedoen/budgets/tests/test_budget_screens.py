"""The controller's budget: set-up, mutations, the budget page with its forecast and chart, the reports, the
API and the command line; what each user sees, and who may not see it."""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from meedoen.budgets import ledger, reports, selectors
from meedoen.budgets.models import BudgetYear, FundingSource, LedgerEntry
from meedoen.budgets.tests.commitment_helpers import act, open_year, sums
from meedoen.budgets.tests.factories import CommitmentFactory, FundingSourceFactory, ProjectFactory
from meedoen.budgets.tests.invoice_helpers import invoice_world

pytestmark = pytest.mark.django_db
__all__ = ["invoice_world"]


@pytest.fixture
def world(apeldoorn, carla, groene_schakel):
    """A year with two sources (€ 1.000,00 on 6.5 and € 500,00 on 6.71) and € 300,00 committed, of which
    € 120,00 invoiced and € 100,00 paid, on a project."""
    budget_year, source = open_year(apeldoorn, carla, amount=Decimal("1000.00"))
    care = FundingSourceFactory(
        budget_year=budget_year, name="Wmo maatwerk", taakveld="6.71", amount=Decimal("500")
    )
    project = ProjectFactory(municipality=apeldoorn, code="werkfit", name="Werkfit")
    commitment = CommitmentFactory(
        municipality=apeldoorn,
        budget_year=budget_year,
        source=source,
        project=project,
        provider=groene_schakel,
        amount=Decimal("300.00"),
    )
    for kind, amount in (("factuur", "120.00"), ("betaling", "100.00")):
        LedgerEntry.objects.create(
            municipality=apeldoorn, budget_year=budget_year, source=source, project=project,
            commitment=commitment, kind=kind, amount=Decimal(amount), booked_on=dt.date(2026, 3, 1),
        )  # fmt: skip
    return {"year": budget_year, "source": source, "care": care, "project": project}


def test_the_controller_sets_up_a_year_with_a_source_and_sees_it_on_the_budget_page(carla, login_as):
    client = login_as(carla)
    response = client.post(reverse("budgets:budget-open-year"), {"year": "2027"})
    budget_year = BudgetYear.objects.get(municipality=carla.municipality, year=2027)
    assert response.status_code == 302
    response = client.post(
        reverse("budgets:budget-source-add", args=[budget_year.pk]),
        {"name": "Re-integratie", "legal_basis": "participatiewet", "taakveld": "6.5", "amount": "2500,50"},
    )
    assert response.status_code == 302
    source = FundingSource.objects.get(budget_year=budget_year)
    assert sums(source=source) == {"budget": Decimal("2500.50")}
    page = client.get(reverse("budgets:budget", args=[budget_year.pk])).content.decode()
    assert "Re-integratie" in page and "€\u00a02.500,50" in page and "<svg" in page


def test_opening_a_year_twice_is_refused_at_the_field(world, carla, login_as):
    response = login_as(carla).post(reverse("budgets:budget-open-year"), {"year": "2026"})
    assert response.status_code == 200
    assert "Begrotingsjaar 2026 is al geopend." in response.content.decode()


def test_a_mutation_is_a_new_entry_and_a_lowering_beyond_free_is_refused(world, carla, login_as):
    client = login_as(carla)
    url = reverse("budgets:budget-mutation", args=[world["source"].pk])
    ok = client.post(url, {"amount": "-200,00", "booked_on": "01-06-2026", "reason": "Rijksbijdrage lager"})
    assert ok.status_code == 302, ok.context["form"].errors
    refused = client.post(url, {"amount": "-600,00", "booked_on": "01-06-2026", "reason": "Nog lager"})
    text = refused.content.decode()
    assert refused.status_code == 200
    assert "Er is nog €\u00a0500,00 vrij in Re-integratie" in text
    assert sums(source=world["source"], kind="mutatie") == {"mutatie": Decimal("-200.00")}
    assert LedgerEntry.objects.filter(source=world["source"], kind="budget").count() == 1


@pytest.mark.parametrize(
    ("typed", "booked"),
    [("1.000,50", "1000.50"), ("€ 1.000,50", "1000.50"), ("1000,50", "1000.50"), ("1000", "1000.00"),
     ("-100", "-100.00")],
)  # fmt: skip
def test_a_mutation_takes_the_amount_in_the_format_the_page_shows(world, carla, login_as, typed, booked):
    url = reverse("budgets:budget-mutation", args=[world["source"].pk])
    response = login_as(carla).post(url, {"amount": typed, "booked_on": "01-06-2026", "reason": "Rijk"})
    assert response.status_code == 302, response.context["form"].errors
    assert sums(source=world["source"], kind="mutatie") == {"mutatie": Decimal(booked)}


@pytest.mark.parametrize("typed", ["1.00", "12.5", "1000.50"])
def test_an_amount_with_a_point_for_the_cents_is_refused_with_a_request_for_a_comma(
    world, carla, login_as, typed
):
    url = reverse("budgets:budget-mutation", args=[world["source"].pk])
    response = login_as(carla).post(url, {"amount": typed, "booked_on": "01-06-2026", "reason": "Rijk"})
    assert response.status_code == 200
    assert "Gebruik een komma voor de centen" in response.content.decode()
    assert sums(source=world["source"], kind="mutatie") == {}


def test_the_budget_page_shows_the_ledger_per_source_project_and_taakveld(world, carla, login_as):
    text = login_as(carla).get(reverse("budgets:budget", args=[world["year"].pk])).content.decode()
    assert "€\u00a01.000,00" in text and "€\u00a0300,00" in text
    assert "€\u00a0120,00" in text and "€\u00a0100,00" in text
    assert "€\u00a0700,00" in text  # free of the source: 1000 - 300
    assert "€\u00a01.200,00" in text  # free in total: 1500 - 300
    assert "Werkfit" in text and "6.71" in text
    assert 'role="img"' in text and "Van het budget van €\u00a01.500,00 is €\u00a0300,00 verplicht" in text


def test_an_amount_never_wraps_between_the_euro_sign_and_the_number(world, carla, login_as):
    text = login_as(carla).get(reverse("budgets:budget", args=[world["year"].pk])).content.decode()
    assert "€\u00a01.000,00" in text
    assert not re.search(r"€\s*\n|€ \d", text)  # a plain space or a line break could end a line at "€"


def test_the_page_invariants_match_the_ledger(world, carla):
    page = selectors.budget_page(world["year"], act(carla), today=dt.date(2026, 7, 1))
    s = sums(budget_year=world["year"])
    assert page.total.balance.free == s["budget"] - s["verplichting"]
    assert sum(row.balance.free for row in page.sources) == page.total.balance.free
    assert sum(row.balance.free for row in page.taakvelden) == page.total.balance.free
    assert page.sources[0].forecast == ledger.forecast(
        page.sources[0].balance, year=2026, today=dt.date(2026, 7, 1)
    )


def test_an_allocation_beyond_the_unallocated_budget_is_refused(world, carla, login_as):
    client = login_as(carla)
    url = reverse("budgets:budget-allocate", args=[world["year"].pk])
    data = {"source": str(world["source"].pk), "project": str(world["project"].pk), "reason": "Start"}
    assert client.post(url, data | {"amount": "400"}).status_code == 302
    refused = client.post(url, data | {"amount": "700"})
    assert "Er is nog €\u00a0600,00 van Re-integratie niet toegewezen." in refused.content.decode()


@pytest.mark.parametrize("kind", ["bron", "aanbieder", "project"])
def test_the_reports_give_the_ledger_figures(world, carla, login_as, kind):
    client = login_as(carla)
    text = client.get(
        reverse("budgets:budget-report", args=[world["year"].pk]) + f"?soort={kind}&formaat=csv"
    ).content.decode()
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    if kind == "aanbieder":  # no budget of its own: committed, invoiced, paid and still open, said so
        assert rows[0][1] == "Verplicht (geen eigen budget)"
        assert rows[1][1:5] == ["300,00", "120,00", "100,00", "180,00"]
    else:
        assert rows[1][1:5] == (
            ["1000,00", "300,00", "120,00", "100,00"]
            if kind == "bron"
            else ["0,00", "300,00", "120,00", "100,00"]
        )
    xlsx = client.get(
        reverse("budgets:budget-report", args=[world["year"].pk]) + f"?soort={kind}&formaat=xlsx"
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    committed_column = 2 if kind == "aanbieder" else 3
    assert Decimal(str(sheet.cell(2, committed_column).value)) == Decimal("300.00")
    pdf = client.get(reverse("budgets:budget-report", args=[world["year"].pk]) + f"?soort={kind}&formaat=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    root = PdfReader(io.BytesIO(pdf.content)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "nl"  # tagged for a screen reader


def test_the_command_line_prints_the_per_source_table(world):
    out = io.StringIO()
    call_command("budget", "report", "--municipality", world["year"].municipality.slug, "--year", "2026",
                 "--format", "json", stdout=out)  # fmt: skip
    table = json.loads(out.getvalue())
    assert table[0] == {
        "funding_source": "Re-integratie", "budget": "1000.00", "committed": "300.00",
        "invoiced": "120.00", "paid": "100.00", "free": "700.00",
    }  # fmt: skip
    assert table[-1]["free"] == "1200.00"
    out = io.StringIO()
    call_command("budget", "report", "--municipality", world["year"].municipality.slug, "--year", "2026",
                 "--format", "csv", stdout=out)  # fmt: skip
    assert out.getvalue().splitlines()[1] == "Re-integratie,1000.00,300.00,120.00,100.00,700.00"


def test_the_api_gives_balances_as_strings(world, carla, login_as):
    response = login_as(carla).get(f"/api/v1/budget/years/{world['year'].pk}/balances")
    assert response.status_code == 200
    first = response.json()[0]
    assert first["free"] == "700.00" and first["committed"] == "300.00"


def test_the_controller_starts_at_the_budget_page_of_the_year(world, carla, login_as):
    response = login_as(carla).get(reverse("web:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("budgets:budget", args=[world["year"].pk])


def test_the_programme_manager_may_view_but_not_change(world, pim, login_as):
    client = login_as(pim)
    assert client.get(reverse("budgets:budget", args=[world["year"].pk])).status_code == 200
    assert client.get(reverse("budgets:budget-mutation", args=[world["source"].pk])).status_code == 403


def test_another_municipality_gets_404_and_a_provider_403(world, epe, paula, login_as):
    from conftest import _persona

    from meedoen.accounts.policies import Role

    other = _persona(epe, Role.CONTROLLER, "erik")
    client = login_as(other)
    assert client.get(reverse("budgets:budget", args=[world["year"].pk])).status_code == 404
    assert client.get(reverse("budgets:budget-mutation", args=[world["source"].pk])).status_code == 404
    assert login_as(paula).get(reverse("budgets:budget", args=[world["year"].pk])).status_code == 403


def test_project_costs_per_resident_and_suppressed_for_programme_roles(world, carla, pim):
    for_controller = selectors.project_costs(act(carla), world["year"])
    assert for_controller[0].paid == Decimal("100.00")
    assert for_controller[0].residents == "1" and for_controller[0].per_resident == Decimal("100.00")
    for_programme = selectors.project_costs(act(pim), world["year"])
    assert for_programme[0].residents == "<5" and for_programme[0].per_resident is None


def test_a_project_budget_is_what_was_allocated_to_it(world, carla, login_as):
    client = login_as(carla)
    url = reverse("budgets:budget-allocate", args=[world["year"].pk])
    data = {"source": str(world["source"].pk), "project": str(world["project"].pk), "reason": "Start"}
    assert client.post(url, data | {"amount": "400"}).status_code == 302
    page = selectors.budget_page(world["year"], act(carla), today=dt.date(2026, 7, 1))
    project = page.projects[0].balance
    assert project.available == Decimal("400.00") and project.free == Decimal("100.00")


def test_the_chart_axis_is_in_dutch_euro():
    balance = ledger.Balance(budget=Decimal("1234567.00"), committed=Decimal("234567.00"))
    row = selectors.BudgetRow("x", "Re-integratie", balance, ledger.forecast(balance, year=2026,
                              today=dt.date(2026, 7, 1)))  # fmt: skip
    svg = reports.chart_svg([row])
    assert "€\u00a01.000.000" in svg and "1,000,000" not in svg


def test_on_an_invoice_page_only_the_invoices_menu_item_is_current(invoice_world, paula, login_as):
    page = login_as(paula).get(reverse("budgets:invoice-new")).content.decode()
    current = re.findall(r'href="([^"]+)" aria-current="page"', page)
    assert current == [reverse("budgets:invoices")]


def test_the_budget_page_reads_the_years_once_and_the_figures_in_one_query(world, carla, login_as):
    """Four queries for the whole page after the login's own: the membership, the years (the one shown and
    the links to the others), the sources with their running totals and projects, and the funding rules; a
    second source, project or year adds none."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meedoen.budgets.tests.factories import BudgetYearFactory

    client = login_as(carla)
    url = reverse("budgets:budget", args=[world["year"].pk])
    client.get(url)

    def budget_queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url).content.decode()
        assert "Werkfit" in page and "Wmo maatwerk" in page
        return [q["sql"] for q in captured.captured_queries if "budgets_" in q["sql"]]

    before = budget_queries()
    assert len(before) == 3
    BudgetYearFactory(municipality=world["year"].municipality, year=2025, created_by=carla.user)
    FundingSourceFactory(budget_year=world["year"], name="Programmageld", taakveld="6.5")
    ProjectFactory(municipality=world["year"].municipality, code="tweede", name="Tweede project")
    assert len(budget_queries()) == 3
