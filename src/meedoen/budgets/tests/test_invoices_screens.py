"""The provider's invoice screens and the controller's review: what each user sees and does, who may not
see it, and what the ledger holds after a review."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.audit.models import ProcessingLogEntry, Purpose
from meedoen.budgets import actions
from meedoen.budgets.models import Invoice, InvoiceLine, LedgerEntry
from meedoen.budgets.tests.commitment_helpers import sums
from meedoen.budgets.tests.invoice_helpers import MARCH, act, invoice_world, line
from meedoen.catalogue.models import ProviderStaff
from meedoen.catalogue.tests.factories import ContractFactory, ProviderFactory

pytestmark = pytest.mark.django_db
__all__ = ["invoice_world"]


def new_invoice(client, seat, *, units="40", price="15,00", number="2026-031"):
    return client.post(
        reverse("budgets:invoice-new"),
        {"number": number, "month": "2026-03", "seat_1": str(seat.pk), "unit_1": "uur", "units_1": units,
         "unit_price_1": price},
    )  # fmt: skip


def test_the_provider_enters_an_invoice_and_sees_the_amount_and_flags(invoice_world, paula, login_as):
    client = login_as(paula)
    page = client.get(reverse("budgets:invoice-new"))
    name = escape(invoice_world["seat"].resident.full_name)  # "van 't Erve" stands escaped in the page
    assert page.status_code == 200 and name in page.content.decode()
    response = new_invoice(client, invoice_world["seat"], units="44")
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "budgets:invoice", args=[invoice.pk]
    )
    assert invoice.channel == "portaal" and invoice.month == MARCH
    text = client.get(response["Location"]).content.decode()
    assert "€\u00a0660,00" in text and "volgens de gemelde aanwezigheid 40" in text
    assert "Wacht op controle" in text
    assert ProcessingLogEntry.objects.filter(purpose=Purpose.BUDGET, endpoint="budgets:invoice").exists()


def test_the_invoice_names_the_units_in_the_plural_when_there_are_more(invoice_world, paula, login_as):
    client = login_as(paula)
    response = client.post(
        reverse("budgets:invoice-new"),
        {"number": "2026-032", "month": "2026-03", "seat_1": str(invoice_world["seat"].pk),
         "unit_1": "dagdeel", "units_1": "3", "unit_price_1": "47,50"},
    )  # fmt: skip
    assert response.status_code == 302
    text = client.get(response["Location"]).content.decode()
    assert "3 dagdelen" in text and "3 dagdeel<" not in text and "3 dagdeel " not in text


def test_one_unit_is_singular_and_hours_stay_uur():
    from meedoen.formatting import quantity

    assert quantity(1, "dagdeel") == "1 dagdeel" and quantity(2, "week") == "2 weken"
    assert quantity(Decimal("1.5"), "uur") == "1,5 uur" and quantity(40, "uur") == "40 uur"


def test_the_invoice_form_shows_errors_at_the_field_and_saves_nothing(invoice_world, paula, login_as):
    client = login_as(paula)
    response = client.post(
        reverse("budgets:invoice-new"),
        {"number": "", "month": "2026-03", "seat_1": str(invoice_world["seat"].pk), "unit_1": "uur",
         "units_1": "veertig", "unit_price_1": ""},
    )  # fmt: skip
    text = response.content.decode()
    assert response.status_code == 200 and not Invoice.objects.exists()
    assert "‘veertig’ is geen getal" in text and "Vul de prijs per eenheid in." in text
    response = client.post(reverse("budgets:invoice-new"), {"number": "X", "month": "2026-03"})
    assert "Een factuur heeft minstens één regel." in response.content.decode()


def test_an_invoice_number_is_used_once_per_provider(invoice_world, paula, login_as):
    client = login_as(paula)
    new_invoice(client, invoice_world["seat"], number="F-1")
    response = new_invoice(client, invoice_world["seat"], number="F-1")
    assert "al een factuur met nummer F-1" in response.content.decode()
    assert Invoice.objects.count() == 1


def test_a_provider_sees_only_its_own_invoices(invoice_world, paula, apeldoorn, login_as):
    invoice = actions.do_submit_invoice(
        number="G-1", month=MARCH, lines=[line(invoice_world["seat"])], channel="portaal", actor=act(paula)
    )
    other = ProviderFactory(name="Andere aanbieder")
    ContractFactory(provider=other, municipality=apeldoorn)
    peter = MembershipFactory(municipality=apeldoorn, role=Role.PROVIDER, user__username="peter")
    ProviderStaff.objects.create(membership=peter, provider=other)
    client = login_as(peter)
    assert "G-1" not in client.get(reverse("budgets:invoices")).content.decode()
    assert client.get(reverse("budgets:invoice", args=[invoice.pk])).status_code == 404
    assert "G-1" in login_as(paula).get(reverse("budgets:invoices")).content.decode()


def test_other_roles_and_municipalities_cannot_reach_invoices(invoice_world, paula, alice, charlie, login_as):
    invoice = actions.do_submit_invoice(
        number="H-1", month=MARCH, lines=[line(invoice_world["seat"])], channel="portaal", actor=act(paula)
    )
    the_line = invoice.lines.get()
    assert login_as(alice).get(reverse("budgets:invoices")).status_code == 403
    assert login_as(alice).get(reverse("budgets:invoice-review")).status_code == 403
    assert login_as(paula).get(reverse("budgets:invoice-review")).status_code == 403
    epe_controller = MembershipFactory(municipality=charlie.municipality, role=Role.CONTROLLER)
    client = login_as(epe_controller)
    assert client.get(reverse("budgets:invoice-line", args=[the_line.pk])).status_code == 404
    url = reverse("budgets:invoice-line-approve", args=[the_line.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    group = reverse("budgets:invoice-review-group", args=[invoice.provider_id]) + "?maand=2026-03"
    assert client.get(group).status_code == 404
    assert "De Groene Schakel" not in client.get(reverse("budgets:invoice-review")).content.decode()
    assert InvoiceLine.objects.get().status == "wacht" and not LedgerEntry.objects.filter(kind="betaling")


def test_the_controller_approves_the_clean_lines_at_once_and_the_ledger_pays_them(
    invoice_world, paula, carla, apeldoorn, login_as
):
    from meedoen.budgets.tests.invoice_helpers import place, report

    second = place(invoice_world["placement"], apeldoorn)
    report(second, dt.date(2026, 3, 2), by=paula.user)
    invoice = actions.do_submit_invoice(
        number="K-1", month=MARCH, channel="portaal", actor=act(paula),
        lines=[line(invoice_world["seat"], units="40"), line(second, units="9", row=2)],
    )  # fmt: skip
    clean, flagged = invoice.lines.order_by("row")
    assert clean.flags == [] and flagged.flags  # the second seat has no commitment
    client = login_as(carla)
    overview = client.get(reverse("budgets:invoice-review")).content.decode()
    assert "De Groene Schakel" in overview and "maart 2026" in overview
    group = reverse("budgets:invoice-review-group", args=[invoice.provider_id]) + "?maand=2026-03"
    text = client.get(group).content.decode()
    assert "geen verplichting" in text and escape(invoice_world["seat"].resident.full_name) in text
    approve = reverse("budgets:invoice-approve-clean", args=[invoice.provider_id]) + "?maand=2026-03"
    response = client.post(approve, {"lines": [str(clean.pk)]})
    assert response.status_code == 302
    clean.refresh_from_db()
    assert clean.status == "goedgekeurd" and clean.reviewed_by == carla.user
    ledger = sums(commitment=invoice_world["commitment"])
    assert ledger["factuur"] == Decimal("600.00") and ledger["betaling"] == Decimal("600.00")
    assert ledger["verplichting"] == Decimal("1200.00")
    # A flagged line cannot be slipped into the bulk form.
    response = client.post(approve, {"lines": [str(flagged.pk)]})
    assert response.status_code == 200 and InvoiceLine.objects.get(pk=flagged.pk).status == "wacht"


def test_a_flagged_line_needs_a_reason_to_approve_and_to_reject(invoice_world, paula, carla, login_as):
    invoice = actions.do_submit_invoice(
        number="L-1", month=MARCH, lines=[line(invoice_world["seat"], units="44")], channel="portaal",
        actor=act(paula),
    )  # fmt: skip
    the_line = invoice.lines.get()
    client = login_as(carla)
    page = client.get(reverse("budgets:invoice-line", args=[the_line.pk])).content.decode()
    assert "volgens de gemelde aanwezigheid 40" in page and "€\u00a01.200,00 verplicht" in page
    approve = reverse("budgets:invoice-line-approve", args=[the_line.pk])
    response = client.post(approve, {"reason": ""})
    assert "schrijf op waarom u hem toch goedkeurt" in response.content.decode()
    assert not LedgerEntry.objects.filter(kind="betaling").exists()
    reject = reverse("budgets:invoice-line-reject", args=[the_line.pk])
    refused = client.post(reject, {"reason": " "})
    assert (
        refused.status_code == 200
        and "Schrijf op waarom deze regel wordt afgekeurd" in refused.content.decode()
    )
    response = client.post(approve, {"reason": "Extra uren afgesproken met de consulent."})
    assert response.status_code == 302
    payment = LedgerEntry.objects.get(kind="betaling")
    assert payment.amount == Decimal("660.00") and "Extra uren afgesproken" in payment.reason
    assert payment.invoice_line_id == the_line.pk
    assert client.post(reject, {"reason": "te laat"}).status_code == 200  # already reviewed: refused
    assert InvoiceLine.objects.get().status == "goedgekeurd"


def test_over_the_commitment_needs_the_reviewed_reason(invoice_world, paula, carla):
    seat = invoice_world["seat"]
    invoice = actions.do_submit_invoice(
        number="M-1", month=MARCH, lines=[line(seat, units="40", row=1), line(seat, units="40", row=2),
                                          line(seat, units="1", row=3)],
        channel="portaal", actor=act(paula),
    )  # fmt: skip
    rows = list(invoice.lines.order_by("row"))
    with pytest.raises(actions.RuleError, match="opvallend"):
        actions.do_approve_invoice_lines(rows, actor=act(carla))
    assert not LedgerEntry.objects.filter(kind="factuur").exists()  # all or nothing
    actions.do_approve_invoice_lines(rows, reason="Twee begeleiders; verplichting volgt.", actor=act(carla))
    ledger = sums(commitment=invoice_world["commitment"])
    assert ledger["factuur"] == ledger["betaling"] == Decimal("1215.00")
    assert ledger["factuur"] > ledger["verplichting"]  # the reviewed exception, with its reason
    assert set(LedgerEntry.objects.filter(kind="factuur").values_list("reason", flat=True)) == {
        f"Factuur M-1, regel {n}: Twee begeleiders; verplichting volgt." for n in (1, 2, 3)
    }
