"""Correcting an approved invoice line: the controller books the difference as a correcting entry with a
reason, on the line's review screen; nothing is edited, and who may not do it cannot."""

from decimal import Decimal

import pytest
from django.urls import reverse

from meedoen.accounts.policies import Role
from meedoen.accounts.tests.factories import MembershipFactory
from meedoen.budgets import actions
from meedoen.budgets.models import InvoiceLine, LedgerEntry
from meedoen.budgets.tests.commitment_helpers import sums
from meedoen.budgets.tests.invoice_helpers import MARCH, act, invoice_world, line

pytestmark = pytest.mark.django_db
__all__ = ["invoice_world"]


@pytest.fixture
def approved(invoice_world, paula, carla) -> InvoiceLine:
    """A line of 40 hours at € 15,00 (€ 600,00), approved and paid."""
    invoice = actions.do_submit_invoice(
        number="C-1", month=MARCH, lines=[line(invoice_world["seat"])], channel="portaal", actor=act(paula)
    )
    the_line = invoice.lines.get()
    actions.do_approve_invoice_lines([the_line], actor=act(carla))
    the_line.refresh_from_db()
    return the_line


def test_the_controller_corrects_an_approved_line_and_the_ledger_books_the_difference(
    approved, carla, login_as
):
    client = login_as(carla)
    group = reverse("budgets:invoice-review-group", args=[approved.invoice.provider_id]) + "?maand=2026-03"
    assert reverse("budgets:invoice-line", args=[approved.pk]) in client.get(group).content.decode()
    page = client.get(reverse("budgets:invoice-line", args=[approved.pk])).content.decode()
    assert "Corrigeren" in page and "Betaald voor deze regel: €\u00a0600,00." in page
    url = reverse("budgets:invoice-line-correct", args=[approved.pk])
    response = client.post(url, {"amount": "450,00", "reason": "Tien uur dubbel gefactureerd"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Betaald voor deze regel: €\u00a0450,00." in page and "Tien uur dubbel gefactureerd" in page
    assert "correctie" in page
    corrections = LedgerEntry.objects.filter(invoice_line=approved, corrects__isnull=False)
    assert sorted((e.kind, e.amount) for e in corrections) == [
        ("betaling", Decimal("-150.00")),
        ("factuur", Decimal("-150.00")),
    ]
    assert all(e.author == carla.user and "Tien uur" in e.reason for e in corrections)
    # The line keeps what the provider invoiced; the earlier entries are still there.
    approved.refresh_from_db()
    assert approved.amount == Decimal("600.00") and approved.status == "goedgekeurd"
    assert LedgerEntry.objects.filter(invoice_line=approved).count() == 4
    assert sums(commitment=approved.commitment)["betaling"] == Decimal("450.00")
    # The budget page reads the running totals: they moved with the correction.
    budget = client.get(reverse("budgets:budget", args=[approved.commitment.budget_year_id])).content.decode()
    assert "€\u00a0450,00" in budget


def test_a_correction_needs_a_reason_and_a_new_amount_and_saves_nothing_without(approved, carla, login_as):
    client = login_as(carla)
    url = reverse("budgets:invoice-line-correct", args=[approved.pk])
    response = client.post(url, {"amount": "450,00", "reason": ""})
    assert response.status_code == 200
    assert "Schrijf op waarom deze regel wordt gecorrigeerd." in response.content.decode()
    response = client.post(url, {"amount": "600,00", "reason": "Toch goed"})
    assert "Er is al €\u00a0600,00 betaald voor deze regel." in response.content.decode()
    response = client.post(url, {"amount": "-5", "reason": "Fout"})
    assert "Het bedrag kan niet negatief zijn." in response.content.decode()
    assert not LedgerEntry.objects.filter(invoice_line=approved, corrects__isnull=False).exists()


def test_a_waiting_line_is_not_corrected_but_approved_or_rejected(invoice_world, paula, carla, login_as):
    invoice = actions.do_submit_invoice(
        number="C-2", month=MARCH, lines=[line(invoice_world["seat"])], channel="portaal", actor=act(paula)
    )
    waiting = invoice.lines.get()
    client = login_as(carla)
    assert (
        "Correctie boeken"
        not in client.get(reverse("budgets:invoice-line", args=[waiting.pk])).content.decode()
    )
    response = client.post(
        reverse("budgets:invoice-line-correct", args=[waiting.pk]), {"amount": "1,00", "reason": "x"}
    )
    assert "Alleen een goedgekeurde regel kan worden gecorrigeerd." in response.content.decode()
    assert not LedgerEntry.objects.filter(invoice_line=waiting).exists()


def test_other_roles_and_municipalities_cannot_correct(approved, paula, alice, charlie, login_as):
    url = reverse("budgets:invoice-line-correct", args=[approved.pk])
    data = {"amount": "0,00", "reason": "Niet gewerkt"}
    assert login_as(paula).post(url, data).status_code == 403
    assert login_as(alice).post(url, data).status_code == 403
    epe_controller = MembershipFactory(municipality=charlie.municipality, role=Role.CONTROLLER)
    assert login_as(epe_controller).post(url, data).status_code == 404
    assert not LedgerEntry.objects.filter(invoice_line=approved, corrects__isnull=False).exists()
