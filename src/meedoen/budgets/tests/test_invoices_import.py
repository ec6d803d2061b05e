"""Importing an invoice from a CSV or XLSX file: all lines or none, and every bad cell reported with its row,
its column and the reason in Dutch."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from meedoen.budgets import invoice_files
from meedoen.budgets.models import Invoice, InvoiceLine
from meedoen.budgets.tests.invoice_helpers import invoice_world, place

pytestmark = pytest.mark.django_db
__all__ = ["invoice_world"]

HEADING = "plaatsing;inwoner;eenheid;aantal;prijs per eenheid\n"


def upload(client, content: bytes, name: str = "maart.csv", number: str = "IMP-1"):
    return client.post(
        reverse("budgets:invoice-import"),
        {"number": number, "month": "2026-03", "file": SimpleUploadedFile(name, content)},
    )


def test_a_good_csv_is_read_in_whole(invoice_world, paula, apeldoorn, login_as):
    other = place(invoice_world["placement"], apeldoorn)
    seat = invoice_world["seat"]
    content = ("\ufeff" + HEADING + f"{seat.pk};Ruben;uur;40;15,00\n\n{other.pk};;uur;2,5;15.00\n").encode()
    response = upload(login_as(paula), content)
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and invoice.channel == "import"
    assert [(line.row, line.amount) for line in invoice.lines.order_by("row")] == [
        (2, Decimal("600.00")),
        (4, Decimal("37.50")),
    ]


def test_a_file_with_bad_lines_saves_nothing_and_names_every_bad_cell(invoice_world, paula, login_as):
    seat = invoice_world["seat"]
    content = (
        HEADING
        + f"{seat.pk};;uur;40;15,00\n"  # row 2: good
        + "abc;;uur;4;15\n"  # row 3: no seat code
        + f"{seat.pk};;kilo;twee;\n"  # row 4: unit, units and price
        + f"{seat.pk};;uur;-1;15,001\n"  # row 5: negative, three decimals
        + "00000000-0000-0000-0000-000000000000;;uur;1;15\n"  # row 6: not the provider's
    ).encode()
    response = upload(login_as(paula), content)
    text = response.content.decode()
    assert response.status_code == 200
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()
    assert "Er is niets ingelezen: 7 fouten in het bestand." in text
    rows = [
        (3, "plaatsing", "‘abc’ is geen code van een plaatsing."),
        (4, "eenheid", "‘kilo’ is geen eenheid."),
        (4, "aantal", "‘twee’ is geen getal."),
        (4, "prijs per eenheid", "Vul de prijs per eenheid in."),
        (5, "aantal", "Het aantal mag niet negatief zijn."),
        (5, "prijs per eenheid", "Gebruik voor de prijs per eenheid hoogstens twee cijfers achter de komma."),
        (6, "plaatsing", "Deze plaatsing is niet bij u bekend"),
    ]
    shown = [
        (int(row), column, reason)
        for row, column, reason in re.findall(
            r'numeric">(\d+)</td>\s*<td class="utrecht-table__cell">([^<]*)</td>\s*'
            r'<td class="utrecht-table__cell">([^<]*)</td>',
            text,
        )
    ]
    assert [(row, column) for row, column, _ in shown] == [(row, column) for row, column, _ in rows]
    for (_, _, reason), (_, _, said) in zip(rows, shown, strict=True):
        assert said.startswith(reason)


def test_an_xlsx_file_is_read_like_a_csv(invoice_world, paula, login_as):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Plaatsing", "Eenheid", "Aantal", "Prijs per eenheid"])
    sheet.append([str(invoice_world["seat"].pk), "uur", 40, 15])
    sheet.append([str(invoice_world["seat"].pk), "uur", "x", 15.5])
    data = io.BytesIO()
    workbook.save(data)
    response = upload(login_as(paula), data.getvalue(), name="maart.xlsx")
    assert "Er is niets ingelezen: 1 fout in het bestand." in response.content.decode()
    lines, errors = invoice_files.read_file("maart.xlsx", data.getvalue())
    assert [(e.row, e.column) for e in errors] == [(3, "aantal")]
    assert lines[0].units == Decimal("40.00") and lines[0].unit_price == Decimal("15.00")


def test_a_file_without_the_columns_or_of_another_kind_is_refused_at_the_field(
    invoice_world, paula, login_as
):
    client = login_as(paula)
    text = upload(client, b"naam;bedrag\nRuben;600\n").content.decode()
    assert (
        "Deze kolommen ontbreken in de eerste regel: plaatsing, eenheid, aantal, prijs per eenheid." in text
    )
    text = upload(client, b"%PDF-1.4", name="factuur.pdf").content.decode()
    assert "Kies een bestand van het type CSV (.csv) of Excel (.xlsx)." in text
    text = upload(client, b"PK\x03\x04broken", name="kapot.xlsx").content.decode()
    assert "Dit XLSX-bestand kan niet worden gelezen." in text
    assert not Invoice.objects.exists()


def test_the_example_file_lists_the_providers_seats_with_the_agreed_price(invoice_world, paula, login_as):
    response = login_as(paula).get(reverse("budgets:invoice-example") + "?maand=2026-03")
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0] == "plaatsing;inwoner;eenheid;aantal;prijs per eenheid"
    assert f"{invoice_world['seat'].pk};{invoice_world['seat'].resident.full_name};uur;;15,00" in text
    _lines, errors = invoice_files.read_file("voorbeeld.csv", text.encode())
    assert errors and all(e.column == "aantal" for e in errors)  # only the number of units is left to fill
