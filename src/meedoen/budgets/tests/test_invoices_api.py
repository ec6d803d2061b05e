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


def test_the_controller_lists_waiting_lines_and_approves_and_rejects_them_through_the_api(
    invoice_world, paula, carla
):
    from meedoen.budgets import actions
    from meedoen.budgets.models import LedgerEntry
    from meedoen.budgets.tests.invoice_helpers import MARCH, line

    seat = invoice_world["seat"]
    invoice = actions.do_submit_invoice(
        number="R-1", month=MARCH, channel="api", actor=act(paula),
        lines=[line(seat, units="20", row=1), line(seat, units="20", row=2)],
    )  # fmt: skip
    first, second = invoice.lines.order_by("row")
    client = bearer(carla)
    listed = client.get("/api/v1/budget/review/lines?month=2026-03")
    assert listed.status_code == 200
    assert listed.json()["count"] == 2
    rows = {row["id"]: row for row in listed.json()["results"]}
    assert set(rows) == {str(first.pk), str(second.pk)}
    assert rows[str(second.pk)]["flags"][0]["code"] == "dubbel"  # the second row of the same seat and month
    assert rows[str(first.pk)]["amount"] == "300.00" and rows[str(first.pk)]["invoice_number"] == "R-1"
    approved = client.post(f"/api/v1/budget/review/lines/{first.pk}/approve", {}, content_type=JSON)
    assert approved.status_code == 200 and approved.json()["status"] == "goedgekeurd"
    refused = client.post(f"/api/v1/budget/review/lines/{second.pk}/approve", {}, content_type=JSON)
    assert refused.status_code == 400 and "reason" in refused.json()["invalidParams"][0]["name"]
    no_reason = client.post(f"/api/v1/budget/review/lines/{second.pk}/reject", {}, content_type=JSON)
    assert no_reason.status_code == 400
    rejected = client.post(
        f"/api/v1/budget/review/lines/{second.pk}/reject", {"reason": "Dubbel"}, content_type=JSON
    )
    assert rejected.status_code == 200 and rejected.json()["review_reason"] == "Dubbel"
    assert [e.amount for e in LedgerEntry.objects.filter(kind="betaling")] == [Decimal("300.00")]
    assert client.get("/api/v1/budget/review/lines?status=goedgekeurd").json()["results"][0]["id"] == str(
        first.pk
    )
    assert client.get("/api/v1/budget/review/lines?status=iets").status_code == 400


def test_the_review_api_is_the_controllers_and_scoped_to_the_municipality(invoice_world, paula, charlie):
    from meedoen.budgets import actions
    from meedoen.budgets.tests.invoice_helpers import MARCH, line

    invoice = actions.do_submit_invoice(
        number="R-2", month=MARCH, channel="api", actor=act(paula), lines=[line(invoice_world["seat"])]
    )
    the_line = invoice.lines.get()
    assert bearer(paula).get("/api/v1/budget/review/lines").status_code == 403
    url = f"/api/v1/budget/review/lines/{the_line.pk}/approve"
    assert bearer(paula).post(url, {}, content_type=JSON).status_code == 403
    epe_controller = MembershipFactory(municipality=charlie.municipality, role=Role.CONTROLLER)
    other = bearer(epe_controller)
    assert other.get("/api/v1/budget/review/lines").json()["results"] == []
    assert other.post(url, {}, content_type=JSON).status_code == 404
    the_line.refresh_from_db()
    assert the_line.status == "wacht"


def test_the_review_endpoints_are_in_the_openapi_schema(client):
    schema = client.get(reverse("api:schema")).content.decode()
    for path in ("/api/v1/budget/review/lines", "/api/v1/budget/review/lines/{line_id}/approve"):
        assert path in schema


def _waiting_lines(invoice_world, paula, count: int):
    from meedoen.budgets import actions
    from meedoen.budgets.tests.invoice_helpers import MARCH, line

    invoice = actions.do_submit_invoice(
        number="P-1", month=MARCH, channel="api", actor=act(paula),
        lines=[line(invoice_world["seat"], units="1", row=row) for row in range(1, count + 1)],
    )  # fmt: skip
    return list(invoice.lines.order_by("row"))


def test_the_review_lines_come_in_pages_like_every_list_of_the_api(invoice_world, paula, carla):
    from meedoen.audit.models import LogAction, ProcessingLogEntry

    lines = _waiting_lines(invoice_world, paula, 3)
    client = bearer(carla)
    first = client.get("/api/v1/budget/review/lines?page_size=2").json()
    assert first["count"] == 3 and first["previous"] is None
    assert [row["row"] for row in first["results"]] == [1, 2]
    second = client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [str(lines[2].pk)] and second["next"] is None
    assert client.get("/api/v1/budget/review/lines?page=9").status_code == 404
    resident = lines[0].resident_id
    assert (
        ProcessingLogEntry.objects.filter(action=LogAction.VIEW, subjects__resident_id=resident).count() == 2
    )  # one entry per page shown


def test_a_reason_longer_than_the_screen_allows_is_refused_and_nothing_is_reviewed(
    invoice_world, paula, carla
):
    (the_line,) = _waiting_lines(invoice_world, paula, 1)
    url = f"/api/v1/budget/review/lines/{the_line.pk}/reject"
    response = bearer(carla).post(url, {"reason": "x" * 10_001}, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["reason"].startswith("Deze tekst is te lang")
    the_line.refresh_from_db()
    assert the_line.status == "wacht"


def test_the_controller_corrects_an_approved_line_through_the_api(invoice_world, paula, carla, charlie):
    from meedoen.audit.models import LogAction, ProcessingLogEntry
    from meedoen.budgets.models import LedgerEntry

    (the_line,) = _waiting_lines(invoice_world, paula, 1)  # 1 hour at € 15,00
    client = bearer(carla)
    url = f"/api/v1/budget/review/lines/{the_line.pk}/correct"
    not_yet = client.post(url, {"amount": "10.00", "reason": "Te vroeg"}, content_type=JSON)
    assert not_yet.status_code == 400 and "goedgekeurde" in str(not_yet.json())
    client.post(f"/api/v1/budget/review/lines/{the_line.pk}/approve", {"reason": "Klopt"}, content_type=JSON)
    as_number = client.post(url, {"amount": 10, "reason": "Een half uur"}, content_type=JSON)
    assert as_number.status_code == 400 and as_number.json()["invalidParams"][0]["name"] == "amount"
    no_reason = client.post(url, {"amount": "7.50"}, content_type=JSON)
    assert no_reason.status_code == 400 and no_reason.json()["invalidParams"][0]["name"] == "reason"
    half = {"amount": "7.50", "reason": "Een half uur"}
    assert bearer(paula).post(url, half, content_type=JSON).status_code == 403
    epe = bearer(MembershipFactory(municipality=charlie.municipality, role=Role.CONTROLLER))
    assert epe.post(url, half, content_type=JSON).status_code == 404

    response = client.post(url, half, content_type=JSON)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["paid"] == "7.50" and data["amount"] == "15.00" and data["status"] == "goedgekeurd"
    corrections = LedgerEntry.objects.filter(invoice_line=the_line, corrects__isnull=False)
    assert sorted((e.kind, e.amount) for e in corrections) == [
        ("betaling", Decimal("-7.50")),
        ("factuur", Decimal("-7.50")),
    ]
    assert all(e.author == carla.user and "Een half uur" in e.reason for e in corrections)
    resident = the_line.resident_id
    logged = ProcessingLogEntry.objects.filter(action=LogAction.UPDATE, subjects__resident_id=resident)
    assert logged.count() == 2  # the approval and the correction
