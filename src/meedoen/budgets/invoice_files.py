"""Reading an invoice file (CSV or XLSX) into lines, with every bad cell reported by row and column.

The file has a heading row and one row per invoice line::

    plaatsing;inwoner;eenheid;aantal;prijs per eenheid
    6f1c…;Ruben Jansen;uur;48;15,50

``plaatsing`` is the id of the seat (as in the provider's portal and the file the portal hands out),
``inwoner`` is only there for the reader and is not checked, ``aantal`` and ``prijs per eenheid`` take a comma
or a point for the decimals. CSV may be separated by ``;`` (Excel with Dutch settings) or ``,``, in UTF-8
(with or without a byte order mark). Row numbers are the spreadsheet's: the heading is row 1.

Nothing here touches the database: ``budgets.actions.do_submit_invoice`` checks the seats and saves all or
nothing.
"""

import csv
import io
import uuid
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Heading in the file → the field of a line. Headings are matched without case and surrounding spaces.
COLUMNS = {
    "plaatsing": "seat",
    "eenheid": "unit",
    "aantal": "units",
    "prijs per eenheid": "unit_price",
    "prijs": "unit_price",
}
REQUIRED = ("seat", "unit", "units", "unit_price")
HEADING_OF = {"seat": "plaatsing", "unit": "eenheid", "units": "aantal", "unit_price": "prijs per eenheid"}
UNITS = ("uur", "dagdeel", "etmaal", "week", "traject", "maand")
FIELD_ORDER = {
    name: i for i, name in enumerate(("number", "month", "lines", "seat", "unit", "units", "unit_price"))
}
MAX_ROWS = 20_000
MAX_UNITS = Decimal("99999999.99")
MAX_PRICE = Decimal("999999999999.99")


@dataclass(frozen=True)
class LineInput:
    """One line as entered, before it is matched: ``row`` is the row number (file) or the position (form,
    API), ``seat`` the seat's id."""

    row: int
    seat: uuid.UUID
    unit: str
    units: Decimal
    unit_price: Decimal


@dataclass(frozen=True)
class LineError:
    """A bad cell: row, field (``seat``, ``unit``, ``units``, ``unit_price``, or ``""`` for the whole row)
    and the reason in Dutch."""

    row: int
    field: str
    message: str

    @property
    def column(self) -> str:
        return HEADING_OF.get(self.field, "")


class FileUnreadable(ValueError):
    """The file as a whole cannot be read; the message is Dutch."""


def parse_decimal(text: str) -> Decimal | None:
    """12,5 / 12.50 / 1.234,56 → Decimal; None when it is no number."""
    text = text.strip().replace(" ", "").replace("€", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_amount(
    text: str, field: str, row: int, *, limit: Decimal
) -> tuple[Decimal | None, LineError | None]:
    label = "het aantal" if field == "units" else "de prijs per eenheid"
    if not text.strip():
        return None, LineError(row, field, f"Vul {label} in.")
    value = parse_decimal(text)
    if value is None:
        return None, LineError(
            row, field, f"‘{text.strip()[:30]}’ is geen getal. Schrijf bijvoorbeeld 12,50."
        )
    if value < 0:
        return None, LineError(row, field, f"{label.capitalize()} mag niet negatief zijn.")
    if value != value.quantize(Decimal("0.01")):
        return None, LineError(row, field, f"Gebruik voor {label} hoogstens twee cijfers achter de komma.")
    if value > limit:
        return None, LineError(row, field, f"{label.capitalize()} is te groot.")
    return value.quantize(Decimal("0.01")), None


def parse_line(row: int, cells: dict[str, str]) -> tuple[LineInput | None, list[LineError]]:
    """One line from its cells by field name; every bad cell is an error."""
    errors: list[LineError] = []
    seat_text = cells.get("seat", "").strip()
    seat: uuid.UUID | None = None
    if not seat_text:
        errors.append(LineError(row, "seat", "Vul de plaatsing in (de code uit het portaal)."))
    else:
        try:
            seat = uuid.UUID(seat_text)
        except ValueError:
            errors.append(LineError(row, "seat", f"‘{seat_text[:40]}’ is geen code van een plaatsing."))
    unit = cells.get("unit", "").strip().lower()
    if unit.startswith("per "):
        unit = unit[4:]
    if not unit:
        errors.append(LineError(row, "unit", "Vul de eenheid in: " + ", ".join(UNITS) + "."))
    elif unit not in UNITS:
        errors.append(LineError(row, "unit", f"‘{unit[:20]}’ is geen eenheid. Kies uit: {', '.join(UNITS)}."))
    units, error = parse_amount(cells.get("units", ""), "units", row, limit=MAX_UNITS)
    if error:
        errors.append(error)
    price, error = parse_amount(cells.get("unit_price", ""), "unit_price", row, limit=MAX_PRICE)
    if error:
        errors.append(error)
    if errors or seat is None or units is None or price is None:
        return None, errors
    return LineInput(row=row, seat=seat, unit=unit, units=units, unit_price=price), []


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value)


def _rows_of_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileUnreadable(
            "Dit XLSX-bestand kan niet worden gelezen. Sla het opnieuw op als .xlsx."
        ) from error
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _rows_of_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def read_file(name: str, data: bytes) -> tuple[list[LineInput], list[LineError]]:
    """Every line of the file, or every bad cell (row, column, reason). Raises ``FileUnreadable`` when the
    file as a whole cannot be used (not CSV or XLSX, no heading, a column missing, empty)."""
    lower = name.lower()
    if lower.endswith(".xlsx") or data[:2] == b"PK":
        rows = _rows_of_xlsx(data)
    elif lower.endswith((".csv", ".txt")):
        rows = _rows_of_csv(data)
    else:
        raise FileUnreadable("Kies een bestand van het type CSV (.csv) of Excel (.xlsx).")
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise FileUnreadable("Het bestand is leeg. De eerste regel moet de kolomnamen hebben.")
    heading = [cell.strip().lower() for cell in rows[0]]
    index: dict[str, int] = {}
    for position, title in enumerate(heading):
        field = COLUMNS.get(title)
        if field and field not in index:
            index[field] = position
    missing = [HEADING_OF[field] for field in REQUIRED if field not in index]
    if missing:
        raise FileUnreadable(
            "Deze kolommen ontbreken in de eerste regel: "
            + ", ".join(missing)
            + ". Gebruik het voorbeeldbestand uit het portaal."
        )
    if len(rows) - 1 > MAX_ROWS:
        raise FileUnreadable(
            f"Het bestand heeft meer dan {MAX_ROWS:,} regels. Splits het in delen.".replace(",", ".")
        )
    lines: list[LineInput] = []
    errors: list[LineError] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # an empty row is no line
        cells = {field: (row[position] if position < len(row) else "") for field, position in index.items()}
        line, row_errors = parse_line(number, cells)
        errors += row_errors
        if line is not None:
            lines.append(line)
    if not lines and not errors:
        raise FileUnreadable("Het bestand heeft geen regels onder de kolomnamen.")
    return lines, errors
