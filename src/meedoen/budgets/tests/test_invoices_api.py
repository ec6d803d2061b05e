"""The invoice API for providers: an invoice posted with amounts as strings, all lines or none with every
bad line named as ``lines[i].field``, and only the provider's own invoices readable."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from meedoen.accounts.actions import do_issue_api_token
from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.budgets.models import Invoice
from meedoen.budgets.tests.invoice_helpers import act, invoice_world

pytestmark = pytest.mark.django_db
__all__ = ["invoice_world"]
JSON = "application/json"


def bearer(membership) -> Client:
    issued = do_issue_api_token(name="eigen systeem", actor=act(membership))
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.key}")


def test_a_provider_posts_an_invoice_and_gets_its_lines_with_flags(invoice_world, paula):
    seat = invoice_world["seat"]
    body = {
        "number": "API-1",
        "month": "2026-03",
        "lines": [
            {"seat": str(seat.pk), "unit": "uur", "units": "40.00", "unit_price": "15.00"},
            {"seat": str(seat.pk), "unit": "uur", "units": "2", "unit_price": "16.00"},
        ],
    }
    client = bearer(paula)
    response = client.post(reverse("api:budget-invoices"), body, content_type=JSON)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["month"] == "2026-03" and data["total"] == "632.00"
    assert [line["amount"] for line in data["lines"]] == ["600.00", "32.00"]
    assert data["lines"][0]["flags"] == []
    assert {f["code"] for f in data["lines"][1]["flags"]} == {"andere_prijs", "dubbel", "meer_dan_aanwezig"}
    assert Invoice.objects.get().channel == "api"
    listed = client.get(reverse("api:budget-invoices")).json()
    assert [(i["number"], i["total"], i["flagged"]) for i in listed] == [("API-1", "632.00", 1)]
    detail = client.get(reverse("api:budget-invoice", args=[data["id"]]))
    assert detail.status_code == 200 and detail.json()["lines"][0]["resident_name"] == seat.resident.full_name


def test_bad_lines_save_nothing_and_each_is_named(invoice_world, paula):
    seat = invoice_world["seat"]
    body = {
        "number": "API-2",
        "month": "2026-03",
        "lines": [
            {"seat": str(seat.pk), "unit": "uur", "units": "40.00", "unit_price": "15.00"},
            {"seat": str(seat.pk), "unit": "uur", "units": 40.5, "unit_price": "15.00"},
            {"seat": "00000000-0000-0000-0000-000000000000", "unit": "uur", "units": "1", "unit_price": "1"},
            {"seat": str(seat.pk), "unit": "kilo", "units": "1,5", "unit_price": "1.005"},
        ],
    }
    response = bearer(paula).post(reverse("api:budget-invoices"), body, content_type=JSON)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    reasons = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert set(reasons) == {
        "lines[1].non_field_errors",
        "lines[2].seat",
        "lines[3].unit",
        "lines[3].unit_price",
    }
    assert "als tekst" in reasons["lines[1].non_field_errors"]
    assert reasons["lines[2].seat"].startswith("Deze plaatsing is niet bij u bekend")
    assert not Invoice.objects.exists()


def test_only_own_invoices_and_only_providers(invoice_world, paula, carla, apeldoorn):
    seat = invoice_world["seat"]
    one = {"seat": str(seat.pk), "unit": "uur", "units": "1", "unit_price": "15.00"}
    body = {"number": "API-3", "month": "2026-03", "lines": [one]}
    created = bearer(paula).post(reverse("api:budget-invoices"), body, content_type=JSON).json()
    other = MembershipFactory(municipality=apeldoorn, role=Role.PROVIDER, user__username="olaf")
    assert bearer(other).get(reverse("api:budget-invoice", args=[created["id"]])).status_code == 403
    assert bearer(carla).get(reverse("api:budget-invoices")).status_code == 403
    assert Decimal(created["total"]) == Decimal("15.00")
