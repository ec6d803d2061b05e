"""The budget page's chart and the budget reports (CSV, XLSX, PDF), built from the selectors' rows.

The chart is a Vega-Lite specification made with Altair on the server and rendered to SVG with
vl-convert, so the page needs no script; the table beside it is the accessible alternative and a text summary
says what the chart shows."""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from meedoen.budgets import ledger
from meedoen.budgets.selectors import BudgetRow
from meedoen.formatting import euro
from meedoen.pdf import tagged_pdf

COLUMNS = ("budget", "committed", "invoiced", "paid", "free", "forecast")


def column_titles() -> list[str]:
    return [
        _("Budget"),
        _("Verplicht"),
        _("Gefactureerd"),
        _("Betaald"),
        _("Vrij"),
        _("Prognose eind van het jaar"),
    ]


def figures(row: BudgetRow) -> list[Decimal]:
    """A row's figures in the order of ``COLUMNS``: budget after mutations, net committed, invoiced, paid,
    free and the forecast to year end."""
    b = row.balance
    return [b.available, b.net_committed, b.invoiced, b.paid, b.free, row.forecast.expected]


def provider_titles() -> list[str]:
    """A provider has no budget of its own: its report starts from what is committed to it."""
    return [
        _("Verplicht (geen eigen budget)"),
        _("Gefactureerd"),
        _("Betaald"),
        _("Nog open (verplicht min gefactureerd)"),
        _("Prognose eind van het jaar"),
    ]


def provider_figures(row: BudgetRow) -> list[Decimal]:
    """A provider's row in the order of ``provider_titles``: net committed, invoiced, paid, still open on
    its commitments and the forecast."""
    b = row.balance
    return [b.net_committed, b.invoiced, b.paid, b.open_commitment, row.forecast.expected]


def provider_report(rows: Sequence[BudgetRow]) -> "Report":
    return Report(
        _("Per aanbieder"),
        _("Aanbieder"),
        provider_titles(),
        [(row.label, provider_figures(row)) for row in rows],
        None,
        note=_(
            "Een aanbieder heeft geen eigen budget. De eerste kolom is wat aan de aanbieder verplicht is; "
            "nog open is wat daarvan nog niet gefactureerd is."
        ),
    )


def chart_svg(rows: Sequence[BudgetRow]) -> str:
    """Budget, net committed, paid and the forecast per row as grouped horizontal bars, as SVG. Rendering
    takes ~250 ms, so the SVG is kept per process for the same figures and language (see
    docs/decisions/0013-budget-chart-cache.md): a new entry changes the figures and so the key."""
    key = tuple(
        (row.label, row.balance.available, row.balance.net_committed, row.balance.paid, row.forecast.expected)
        for row in rows
    )
    return _render_chart(key, get_language() or "nl")


# The axis in the reader's number format, in euro: € 1.234.567 (Dutch); € 1,234,567 (English).
CHART_LOCALES: dict[str, dict[str, Any]] = {
    "nl": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€\u00a0", ""]},
}


@lru_cache(maxsize=256)
def _render_chart(key: tuple[tuple[str, Decimal, Decimal, Decimal, Decimal], ...], language: str) -> str:
    data = []
    names = {
        "budget": _("Budget"),
        "committed": _("Verplicht"),
        "paid": _("Betaald"),
        "forecast": _("Prognose"),
    }
    for label, available, committed, paid, expected in key:
        values = {"budget": available, "committed": committed, "paid": paid, "forecast": expected}
        for name, value in values.items():
            data.append({"rij": label, "soort": names[name], "bedrag": float(value)})
    order = list(names.values())
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y("rij:N", title=None, sort=None),
            yOffset=alt.YOffset("soort:N", sort=order),
            x=alt.X("bedrag:Q", title=_("Bedrag"), axis=alt.Axis(format="$,.0f")),
            color=alt.Color(
                "soort:N",
                sort=order,
                title=None,
                scale=alt.Scale(domain=order, range=["#0b4f8a", "#c65d00", "#2e7d32", "#6a1b9a"]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
        .properties(width="container", height=max(120, 70 * len(key)))
    )
    spec = chart.to_dict()
    spec["width"] = 560
    svg = vl_convert.vegalite_to_svg(spec, format_locale=CHART_LOCALES.get(language, CHART_LOCALES["nl"]))
    # Without a fixed width and height the SVG scales to the page's width by its viewBox (a phone too).
    return re.sub(r'^(<svg[^>]*?) width="[\d.]+" height="[\d.]+"', r"\1", svg, count=1)


def warm_chart() -> None:
    """Draw a tiny chart the way the page does (Altair's schema check, vl-convert's JavaScript engine), so a
    worker's first budget page does not pay for starting them (≈2.5 s, the first render in a process). A
    served worker calls this once when it loads (``meedoen.wsgi``); later renders of new figures take
    ≈0.1 s."""
    zero = ledger.ZERO
    _render_chart.__wrapped__((("-", zero, zero, zero, zero),), "nl")


def summary(rows: Sequence[BudgetRow], total: BudgetRow) -> str:
    """One or two sentences that say what the chart shows."""
    over = [row.label for row in rows if row.over]
    text = _(
        "Van het budget van %(budget)s is %(committed)s verplicht en %(paid)s betaald; %(free)s is nog vrij. "
        "Aan het eind van het jaar is naar verwachting %(forecast)s uitgegeven."
    ) % {
        "budget": euro(total.balance.available),
        "committed": euro(total.balance.net_committed),
        "paid": euro(total.balance.paid),
        "free": euro(total.balance.free),
        "forecast": euro(total.forecast.expected),
    }
    if over:
        text += " " + _("Naar verwachting te weinig budget bij: %(names)s.") % {"names": ", ".join(over)}
    return text


@dataclass(frozen=True)
class Report:
    """A report table: a title, column titles and rows of a label and amounts."""

    title: str
    label_title: str
    titles: list[str]
    rows: list[tuple[str, list[Decimal]]]
    total: tuple[str, list[Decimal]] | None = None
    note: str = ""  # says what the columns mean when they are not the budget's (the provider report)

    def all_rows(self) -> Iterable[tuple[str, list[Decimal]]]:
        yield from self.rows
        if self.total is not None:
            yield self.total


def report_of(title: str, label_title: str, rows: Sequence[BudgetRow], total: BudgetRow | None) -> Report:
    return Report(
        title,
        label_title,
        column_titles(),
        [(row.label, figures(row)) for row in rows],
        (_("Totaal"), figures(total)) if total is not None else None,
    )


def to_csv(report: Report) -> str:
    """Semicolon-separated with a decimal point-free comma, as Dutch spreadsheets open it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([report.label_title, *report.titles])
    for label, amounts in report.all_rows():
        writer.writerow([label, *(str(ledger.money(a)).replace(".", ",") for a in amounts)])
    return out.getvalue()


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = report.title[:31]
    sheet.append([report.label_title, *report.titles])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for label, amounts in report.all_rows():
        sheet.append([label, *(ledger.money(a) for a in amounts)])
    for row in sheet.iter_rows(min_row=2, min_col=2):
        for cell in row:
            cell.number_format = "#,##0.00"
    sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(report: Report, *, heading: str) -> bytes:
    html = render_to_string(
        "budgets/budget_report_pdf.html", {"report": report, "heading": heading, "euro": euro}
    )
    return tagged_pdf(html)
