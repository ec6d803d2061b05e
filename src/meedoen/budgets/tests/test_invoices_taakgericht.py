"""A taakgericht contract (a lump sum per provider and year, no price per resident) is invoiced per month
against its one commitment: in the portal, from a file and through the API; the controller approves it and
the ledger pays it from the contract's commitment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from meedoen.budgets import actions
from meedoen.budgets.models import InvoiceLine
from meedoen.budgets.tests.commitment_helpers import sums
from meedoen.budgets.tests.factories import BudgetYearFactory, CommitmentFactory, FundingSourceFactory
from meedoen.budgets.tests.invoice_helpers import MARCH, act
from meedoen.budgets.tests.test_invoices_api import bearer
from meedoen.catalogue.models import Contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def task_contract(apeldoorn, groene_schakel, carla):
    """De Groene Schakel works taakgericht: € 24.000,00 a year, committed once for 2026."""
    contract = Contract.objects.get(provider=groene_schakel, municipality=apeldoorn)
    contract.task_budget = Decimal("24000.00")
    contract.save(update_fields=["task_budget"])
    budget_year = BudgetYearFactory(municipality=apeldoorn, year=2026, created_by=carla.user)
    source = FundingSourceFactory(budget_year=budget_year, name="Wmo maatwerk", amount=Decimal("100000.00"))
    commitment = CommitmentFactory(
        source=source, seat=None, resident=None, contract=contract, provider=groene_schakel,
        pricing="taakgericht", unit="", unit_price=Decimal("24000.00"), planned_units=Decimal(1),
        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31), amount=Decimal("24000.00"),
    )  # fmt: skip
    return {"contract": contract, "commitment": commitment}


def test_the_provider_invoices_the_monthly_lump_sum_and_the_controller_pays_it(
    task_contract, paula, carla, login_as
):
    contract = task_contract["contract"]
    client = login_as(paula)
    form = client.get(reverse("budgets:invoice-new")).content.decode()
    assert "Vast bedrag (taakgericht contract): € 2.000,00 per maand" in form
    response = client.post(
        reverse("budgets:invoice-new"),
        {"number": "T-03", "month": "2026-03", "seat_1": str(contract.pk), "unit_1": "maand", "units_1": "1",
         "unit_price_1": "2000,00"},
    )  # fmt: skip
    assert response.status_code == 302
    the_line = InvoiceLine.objects.get()
    assert the_line.commitment == task_contract["commitment"] and the_line.seat is None
    assert the_line.flags == [] and the_line.amount == Decimal("2000.00")
    assert "Vast bedrag (taakgericht contract)" in client.get(response["Location"]).content.decode()

    reviewer = login_as(carla)
    group = reverse("budgets:invoice-review-group", args=[contract.provider_id]) + "?maand=2026-03"
    assert "Vast bedrag (taakgericht contract)" in reviewer.get(group).content.decode()
    response = reviewer.post(
        reverse("budgets:invoice-approve-clean", args=[contract.provider_id]) + "?maand=2026-03",
        {"lines": [str(the_line.pk)]},
    )
    assert response.status_code == 302
    paid = sums(commitment=task_contract["commitment"])
    assert paid["factuur"] == paid["betaling"] == Decimal("2000.00")


def test_a_second_lump_sum_for_the_month_and_another_price_are_flagged(task_contract, paula):
    contract = task_contract["contract"]

    def submit(number: str, price: str):
        return actions.do_submit_invoice(
            number=number, month=MARCH, channel="portaal", actor=act(paula),
            lines=[actions.invoice_files.LineInput(1, contract.pk, "maand", Decimal(1), Decimal(price))],
        )  # fmt: skip

    submit("T-1", "2000.00")
    codes = {flag["code"] for flag in submit("T-2", "2500.00").lines.get().flags}
    assert codes == {"dubbel", "andere_prijs"}


def test_the_example_file_and_the_api_take_the_contract(task_contract, paula, login_as):
    contract = task_contract["contract"]
    example = login_as(paula).get(reverse("budgets:invoice-example") + "?maand=2026-03").content.decode()
    assert f"{contract.pk};Vast bedrag (taakgericht contract);maand;1;2000,00" in example
    client = bearer(paula)
    response = client.post(
        "/api/v1/budget/invoices",
        {"number": "T-API", "month": "2026-03",
         "lines": [{"seat": str(contract.pk), "unit": "maand", "units": "1.00", "unit_price": "2000.00"}]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    line = response.json()["lines"][0]
    assert line["contract"] == str(contract.pk) and line["seat"] is None and line["amount"] == "2000.00"
