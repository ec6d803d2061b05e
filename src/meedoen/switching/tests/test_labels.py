"""Every sentence the pure calculation says is in the catalogue: in English none of them stays Dutch."""

import datetime as dt
from decimal import Decimal as D

from django.utils import translation
from django.utils.translation import gettext

from meedoen.switching import rules
from meedoen.switching.labels import say
from meedoen.switching.tests.test_rules import born, published, step, with_test_july

ALONE_30 = rules.Situation(rules.ALONE, born(30))
ALONE_24 = rules.Situation(rules.ALONE, born(24))
JAN = dt.date(2026, 1, 1)


def _sentences() -> set[str]:
    cases = [
        (step(JAN, 16), ALONE_30, published()),
        (step(JAN, 0), rules.Situation(rules.COUPLE, born(40)), with_test_july()),
        (step(JAN, 38), ALONE_24, with_test_july()),
        (step(JAN, 16, net_monthly=D("900")), ALONE_24, published()),
        (step(JAN, 16, monthly_wage=D("1100")), ALONE_30, published()),
        (step(JAN, 16, monthly_wage=D("500"), wage_cost_subsidy=True),
         ALONE_30, with_test_july()),
        (step(JAN, 16, hourly_wage=D("20")), ALONE_30, published()),
        (step(JAN, 16, hourly_wage=D("8"), wage_cost_subsidy=True),
         ALONE_30, with_test_july()),
        (step(JAN, 20), rules.Situation(rules.SINGLE_PARENT, born(30), youngest_child_age=4),
         with_test_july()),
        (step(JAN, 20), rules.Situation(rules.SINGLE_PARENT, born(30)), with_test_july()),
        (step(JAN, 20), ALONE_30, rules.Reference([])),
        (step(JAN, 8), rules.Situation(rules.ALONE, born(19)), published()),
        (step(JAN, 40, hourly_wage=D("25")), ALONE_30, published()),
        (step(JAN, 36, monthly_wage=D("8000")), ALONE_30, published()),
        (step(dt.date(2026, 12, 1), 16), ALONE_30, with_test_july()),
    ]  # fmt: skip
    texts = set()
    for proposed, situation, reference in cases:
        insight = rules.calculate(proposed, situation, reference)
        for month in insight.months:
            texts.update(
                figure.say.text
                for figure in (
                    month.benefit_before,
                    month.gross_wage,
                    month.work_income,
                    month.disregarded,
                    month.benefit_after,
                    month.total,
                    month.difference,
                )
            )
        texts.update(
            s.text for s in [*insight.missing, *insight.not_included, *(u.what for u in insight.used)]
        )
    return {text for text in texts if text}


def test_every_sentence_of_the_calculation_has_an_english_translation():
    texts = _sentences()
    assert len(texts) > 30
    with translation.override("en"):
        untranslated = [text for text in texts if gettext(text) == text]
        assert not untranslated, untranslated[:3]
        first_month = rules.Say(
            "Maand %(n)s van %(months)s: %(share)s %% van het inkomen uit werk telt niet mee, met een "
            "maximum van %(max)s per maand (artikel 31, tweede lid, onderdeel n, Participatiewet).",
            {"n": "1", "months": "6", "share": "25", "max": D("285")},
        )
        assert say(first_month).startswith("Month 1 of 6: 25 % of the income")
