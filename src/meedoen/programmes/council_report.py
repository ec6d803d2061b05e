"""The quarterly report for the council (raadsinformatie): the body of the background task
``tasks.build_council_report``.

The figures come from the dashboard's own selector (``selectors.council_report_content`` →
``selectors.dashboard``), so every figure is suppressed by the same rules as on the screen ("<5", and
figures from which a hidden count could be worked out); this module only lays them out. The budget comes
from the budget's selector and report helpers (``budgets.selectors.budget_page``, ``budgets.reports``), so
its figures are computed in one place. The charts are the dashboard's Vega-Lite specs, rendered to SVG with
vl-convert. The PDF is tagged (PDF/UA-1, ``meedoen.pdf``); the CSV and XLSX hold every table of the report.
All of it is stored on the ``CouncilReport``: a download gives the stored file again.

The report is in Dutch whatever language the programme manager reads Meedoen in: it is written for the
council.
"""

import base64
import csv
import io
import uuid
from dataclasses import asdict, dataclass
from typing import Any

import vl_convert
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meedoen.accounts.actor import Actor
from meedoen.budgets import reports as budget_reports
from meedoen.formatting import euro
from meedoen.pdf import tagged_pdf
from meedoen.programmes import charts, rules, selectors
from meedoen.programmes.models import CouncilReport

ENDPOINT = "programmes:council-report-build"
CHART_WIDTH = 480


@dataclass(frozen=True)
class Table:
    """A table of the report as shown: every cell is text ("<5", "12,5%", "€ 1.200,00")."""

    title: str
    columns: list[str]
    rows: list[list[str]]


UNFINISHED = (CouncilReport.Status.QUEUED, CouncilReport.Status.RUNNING)


def _progress(report_id: uuid.UUID, percent: int) -> None:
    """Save progress outside any transaction of the job, so the page sees it while the job runs; unless
    the report was marked failed meanwhile (stuck: a new one was asked for)."""
    CouncilReport.objects.filter(pk=report_id, status__in=UNFINISHED).update(
        status=CouncilReport.Status.RUNNING, progress=percent
    )


def _met(meets: bool | None) -> str:
    return _("ja") if meets is True else _("nee") if meets is False else "—"


def tables_of(content: selectors.CouncilContent) -> list[Table]:
    """Every table of the report, in the order of the PDF."""
    period = content.period
    tables = [
        Table(
            _("Alle indicatoren in %(period)s") % {"period": period.label},
            [_("Indicator"), _("Waarde"), _("Streefwaarde"), _("Gehaald?")],
            [
                [p.name, p.figure.text, p.figure.target_text or "—", _met(p.figure.meets)]
                for p in (item.panel for item in content.indicators)
            ],
        )
    ]
    for item in content.indicators:
        tables.append(
            Table(
                _("%(name)s per maand") % {"name": item.panel.name},
                [
                    _("Maand"),
                    _("Waarde (%(unit)s)") % {"unit": item.panel.unit},
                    _("Streefwaarde"),
                    _("Gehaald?"),
                ],
                [[f.label, f.text, f.target_text or "—", _met(f.meets)] for f in item.months],
            )
        )
    month = period.last.strftime("%m-%Y")
    for breakdown in content.breakdowns:
        if breakdown.rows:
            tables.append(
                Table(
                    _("Inwoners in het programma eind %(month)s: %(what)s")
                    % {"month": month, "what": breakdown.title.lower()},
                    [breakdown.title, _("Inwoners")],
                    [[row.label, row.text] for row in breakdown.rows],
                )
            )
    tables.append(
        Table(
            _("Successen in %(period)s") % {"period": period.label},
            [_("Soort"), _("Maand"), _("Tekst van de inwoner")],
            [[item.kind, item.month, item.text] for item in content.successes],
        )
    )
    for report in _budget_reports(content):
        tables.append(
            Table(
                _("Budget %(year)s: %(what)s")
                % {
                    "year": content.budget.budget_year.year if content.budget else "",
                    "what": report.title.lower(),
                },
                [report.label_title, *report.titles],
                [[label, *(euro(a) for a in amounts)] for label, amounts in report.all_rows()],
            )
        )
    return tables


def _budget_reports(content: selectors.CouncilContent) -> list[budget_reports.Report]:
    page = content.budget
    if page is None:
        return []
    return [
        budget_reports.report_of(_("Per geldbron"), _("Geldbron"), page.sources, page.total),
        budget_reports.report_of(_("Per project"), _("Project"), page.projects, None),
    ]


def chart_svg(panel: selectors.Panel) -> str:
    """The dashboard's chart of one indicator (the same Vega-Lite spec) as SVG, at a fixed width."""
    spec = charts.trend_spec(panel)
    spec["width"] = CHART_WIDTH
    locale = budget_reports.CHART_LOCALES["nl"]
    return vl_convert.vegalite_to_svg(spec, format_locale=locale)


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _cell(text: str) -> str:
    """A cell Excel would run as a formula gets a ' in front."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def to_csv(tables: list[Table]) -> str:
    """Every table one after another (its title, its header, its rows, an empty line), ``;``-separated,
    UTF-8 with a byte order mark: how Excel with Dutch settings opens it."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for table in tables:
        writer.writerow([_cell(table.title)])
        writer.writerow([_cell(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([_cell(c) for c in row])
        writer.writerow([])
    return out.getvalue()


def to_xlsx(tables: list[Table], *, title: str) -> bytes:
    """One sheet per table, the table's title above it. The cells are the report's text ("<5" stays "<5")."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.properties.title = title
    first = book.active
    assert first is not None
    book.remove(first)
    for index, table in enumerate(tables, start=1):
        sheet = book.create_sheet(f"{index} {table.title}"[:31].replace("/", "-").replace(":", ""))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        sheet.column_dimensions["A"].width = 45
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _title(content: selectors.CouncilContent) -> str:
    return _("Raadsrapportage %(period)s") % {"period": content.period.label}


def pdf_of(content: selectors.CouncilContent, svgs: list[str], budget_chart: str, made_at: Any) -> bytes:
    reports = _budget_reports(content)
    html = render_to_string(
        "programmes/council_report_pdf.html",
        {
            "title": _title(content),
            "content": content,
            "indicators": list(zip(content.indicators, [_data_uri(s) for s in svgs], strict=True)),
            "budget_reports": reports,
            "budget_chart": _data_uri(budget_chart) if budget_chart else "",
            "budget_summary": budget_reports.summary(content.budget.sources, content.budget.total)
            if content.budget
            else "",
            "made_at": made_at,
            "euro": euro,
        },
    )
    return tagged_pdf(html)


def do_build_council_report(report_id: uuid.UUID) -> CouncilReport:
    """Build one queued report with the rights of the membership that asked for it, saving progress on the
    way; store the PDF, the CSV, the XLSX and the tables. A report that is done is left as it is, and so is
    one marked failed (stuck: its old job, if it still comes round, leaves it failed)."""
    report = CouncilReport.objects.select_related("requested_by", "membership__municipality").get(
        pk=report_id
    )
    if report.status not in UNFINISHED:
        return report
    actor = Actor(report.requested_by, report.membership, ENDPOINT)
    try:
        with translation.override("nl"):
            _progress(report.pk, 5)
            content = selectors.council_report_content(actor, rules.parse_period(report.quarter))
            _progress(report.pk, 20)
            svgs = []
            for index, item in enumerate(content.indicators, start=1):
                svgs.append(chart_svg(item.panel))
                _progress(report.pk, 20 + 55 * index // len(content.indicators))
            page = content.budget
            budget_chart = budget_reports.chart_svg(page.sources) if page and page.sources else ""
            _progress(report.pk, 80)
            made_at = timezone.now()
            pdf = pdf_of(content, svgs, budget_chart, made_at)
            _progress(report.pk, 92)
            tables = tables_of(content)
            csv_text = to_csv(tables)
            xlsx = to_xlsx(tables, title=_title(content))
        with transaction.atomic():
            CouncilReport.objects.filter(pk=report.pk, status__in=UNFINISHED).update(
                status=CouncilReport.Status.DONE,
                progress=100,
                tables=[asdict(table) for table in tables],
                pdf=pdf,
                csv=csv_text,
                xlsx=xlsx,
                finished_at=made_at,
            )
    except Exception:
        CouncilReport.objects.filter(pk=report.pk).update(
            status=CouncilReport.Status.FAILED, finished_at=timezone.now()
        )
        raise
    report.refresh_from_db()
    return report
