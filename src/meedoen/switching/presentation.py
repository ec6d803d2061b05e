"""The calculation as a page and a PDF show it: each month's figures with their sentence, in the page's
language; the norms used with their dates and sources; what is not included."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from meedoen.formatting import euro
from meedoen.pdf import tagged_pdf
from meedoen.switching import rules
from meedoen.switching.labels import say

MONTH_NAMES = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def month_name(day: dt.date) -> str:
    return f"{_(MONTH_NAMES[day.month - 1])} {day.year}"


@dataclass(frozen=True)
class Line:
    label: str
    amount: str
    explanation: str
    strong: bool = False


@dataclass(frozen=True)
class MonthView:
    name: str
    complete: bool
    lines: list[Line]
    note: str
    before: str
    income: str
    after: str
    total: str
    difference: str


@dataclass(frozen=True)
class UsedView:
    what: str
    valid_from: dt.date
    amount: str
    source: str


@dataclass(frozen=True)
class InsightView:
    months: list[MonthView]
    used: list[UsedView]
    not_included: list[str]
    missing: list[str]
    net_is_estimate: bool
    year_total: str
    year_difference: str
    summary: str


def _amount(value: Decimal | None) -> str:
    return euro(value) if value is not None else "–"


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return ("+ " if value > 0 else "− " if value < 0 else "") + euro(abs(value))


def view(insight: rules.Insight) -> InsightView:
    months = []
    for month in insight.months:
        lines = [
            Line(
                _("Bijstand zonder de stap"),
                _amount(month.benefit_before.amount),
                say(month.benefit_before.say),
            ),
            *(
                [Line(_("Brutoloon"), _amount(month.gross_wage.amount), say(month.gross_wage.say))]
                if month.gross_wage.amount is not None
                else []
            ),
            Line(_("Inkomen uit werk"), _amount(month.work_income.amount), say(month.work_income.say)),
            Line(
                _("Vrijgelaten (telt niet mee)"),
                _amount(month.disregarded.amount),
                say(month.disregarded.say),
            ),
            Line(_("Bijstand na de stap"), _amount(month.benefit_after.amount), say(month.benefit_after.say)),
            Line(_("Totaal netto inkomen"), _amount(month.total.amount), say(month.total.say), strong=True),
            Line(
                _("Verschil met zonder de stap"), _signed(month.difference.amount), say(month.difference.say)
            ),
        ]
        months.append(
            MonthView(
                name=month_name(month.month),
                complete=month.complete,
                lines=lines if month.complete else [],
                note="" if month.complete else say(month.benefit_before.say),
                before=_amount(month.benefit_before.amount),
                income=_amount(month.work_income.amount),
                after=_amount(month.benefit_after.amount),
                total=_amount(month.total.amount),
                difference=_signed(month.difference.amount),
            )
        )
    sums = rules.totals(insight.months)
    complete = sum(1 for m in insight.months if m.complete)
    summary = _(
        "Over %(n)s berekende maanden: totaal %(total)s netto, %(difference)s vergeleken met zonder de stap."
    ) % {"n": complete, "total": euro(sums["total"]), "difference": _signed(sums["difference"])}
    return InsightView(
        months=months,
        used=[
            UsedView(say(u.what), u.valid_from, euro(Decimal(u.amount)) if u.is_money else u.amount, u.source)
            for u in insight.used
        ],
        not_included=[say(s) for s in insight.not_included],
        missing=[say(s) for s in insight.missing],
        net_is_estimate=insight.net_is_estimate,
        year_total=euro(sums["total"]),
        year_difference=_signed(sums["difference"]),
        summary=summary,
    )


def to_pdf(shown: InsightView, *, heading: str, question: list[tuple[str, str]], made_on: dt.date) -> bytes:
    html = render_to_string(
        "switching/insight_pdf.html",
        {"insight": shown, "heading": heading, "question": question, "made_on": made_on},
    )
    return tagged_pdf(html)
