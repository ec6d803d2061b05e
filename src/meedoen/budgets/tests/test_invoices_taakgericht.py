"""A taakgericht contract (a lump sum per provider and year, no price per resident) is invoiced per month
against its one commitment: in the portal, from a file and through the API; the controller approves it and
the ledger pays it from the contract's commitment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from meedoen.budgets import actions, ledger
from meedoen.budgets.models import Commitment, InvoiceLine
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
    assert "Vast bedrag (taakgericht contract): €\u00a02.000,00 per maand" in form
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


@pytest.mark.parametrize("yearly", ["60001.50", "24000.00", "0.11", "100000.07", "12.00", "99999.99"])
def test_the_twelve_monthly_amounts_add_up_to_the_yearly_amount_exactly(yearly):
    months = ledger.task_months(Decimal(yearly))
    assert len(months) == 12 and sum(months) == Decimal(yearly)
    assert max(months) - min(months) <= Decimal("0.01")
    assert all(month == month.quantize(Decimal("0.01")) for month in months)


def test_a_lump_sum_that_does_not_divide_by_twelve_is_paid_to_the_cent_in_twelve_months(
    task_contract, paula, carla, login_as
):
    """€ 60.001,50 a year: a twelfth is € 5.000,125. The label, the example file and the check of a line use
    one rule (€ 5.000,13 from January to June, € 5.000,12 after), so every month as the example file says
    goes through without a flag and the twelve together pay exactly what was committed."""
    contract, commitment = task_contract["contract"], task_contract["commitment"]
    Contract.objects.filter(pk=contract.pk).update(task_budget=Decimal("60001.50"))
    Commitment.objects.filter(pk=commitment.pk).update(unit_price=Decimal("60001.50"))
    actions._book(
        ledger.Kind.COMMITMENT, Decimal("36001.50"), source=commitment.source, commitment=commitment,
        booked_on=dt.date(2026, 1, 1), actor=None, reason="Vast bedrag verhoogd",
    )  # fmt: skip
    client = login_as(paula)
    form = client.get(reverse("budgets:invoice-new")).content.decode()
    assert "€\u00a05.000,13 per maand tot en met juni, daarna €\u00a05.000,12" in form
    lines = []
    for month in range(1, 13):
        example = client.get(reverse("budgets:invoice-example") + f"?maand=2026-{month:02}").content.decode()
        price = example.split(f"{contract.pk};Vast bedrag (taakgericht contract);maand;1;", 1)[1].split()[0]
        one = actions.invoice_files.LineInput(
            1, contract.pk, "maand", Decimal(1), Decimal(price.replace(",", "."))
        )
        invoice = actions.do_submit_invoice(
            number=f"T-{month:02}",
            month=dt.date(2026, month, 1),
            channel="portaal",
            actor=act(paula),
            lines=[one],
        )
        lines.append(invoice.lines.get())
    assert [line.flags for line in lines] == [[]] * 12
    assert [line.amount for line in lines] == [Decimal("5000.13")] * 6 + [Decimal("5000.12")] * 6
    actions.do_approve_invoice_lines(lines, actor=act(carla))
    paid = sums(commitment=commitment)
    assert paid["verplichting"] == paid["factuur"] == paid["betaling"] == Decimal("60001.50")
