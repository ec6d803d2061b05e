"""Worked examples, checked by hand against the norms per 1 January 2026 in switching/data/normen_2026.csv
(alleenstaande 21+ € 1.401,50, gehuwden 21+ € 2.002,13, 18-20 € 345,99; vrijlating 25 % max € 285,00 for six
months from 27; single parent 12,5 % max € 177,66 for 30 months; minimum wage € 14,71 an hour at 21+).

The figures per 1 July 2026 were not found in the publications searched (the file says so): examples that run
past 1 July add TEST figures for that date, named as such, to show that a month uses the figures of its date.
Income per month = hours × hourly wage × 52 / 12, rounded to the cent (half up)."""

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from meedoen.errors import RuleError
from meedoen.switching import rules

FILE = Path(__file__).resolve().parents[1] / "data" / "normen_2026.csv"
PUBLISHED = rules.parse_reference_csv(FILE.read_text(encoding="utf-8").splitlines())
TEST_JULY = "TESTBEDRAG voor deze test, geen gepubliceerd bedrag"
JULY = dt.date(2026, 7, 1)


def published() -> rules.Reference:
    return rules.Reference(PUBLISHED)


def with_test_july() -> rules.Reference:
    test = [
        rules.Entry("norm.alleenstaande_21_aow", JULY, D("1420.00"), TEST_JULY),
        rules.Entry("norm.alleenstaande_ouder_21_aow", JULY, D("1420.00"), TEST_JULY),
        rules.Entry("norm.gehuwden_21_aow", JULY, D("2028.57"), TEST_JULY),
        rules.Entry("vrijlating.maximum", JULY, D("290.00"), TEST_JULY),
        rules.Entry("vrijlating.ouder.maximum", JULY, D("180.00"), TEST_JULY),
        rules.Entry("vrijlating.lks.maximum", JULY, D("183.00"), TEST_JULY),
        rules.Entry("minimumloon.uur.21", JULY, D("14.90"), TEST_JULY),
    ]
    return rules.Reference([*PUBLISHED, *test])


def born(age: int) -> dt.date:
    """A birth date that makes the resident ``age`` on 1 January 2026 (and one year older on 1 June)."""
    return dt.date(2026 - age - 1, 6, 1)


def step(start: dt.date, hours: int | str, **kwargs) -> rules.ProposedStep:
    return rules.ProposedStep(starts_on=start, hours_per_week=D(str(hours)), **kwargs)


def figures(month: rules.Month) -> tuple:
    return (
        month.benefit_before.amount,
        month.work_income.amount,
        month.disregarded.amount,
        month.benefit_after.amount,
        month.total.amount,
    )


def test_the_shipped_file_cites_a_source_for_every_figure_and_says_which_were_not_found():
    assert all(entry.source for entry in PUBLISHED)
    july = [entry for entry in PUBLISHED if entry.valid_from == JULY]
    assert july and all(entry.value is None and entry.source.startswith("niet gevonden") for entry in july)
    assert {e.key for e in PUBLISHED if e.valid_from == dt.date(2026, 1, 1)} == set(rules.KEYS)


def test_single_resident_of_30_starting_16_hours_at_minimum_wage():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 16), rules.Situation(rules.ALONE, born(30)), published()
    )
    january = insight.months[0]
    # 16 × 14,71 × 52 / 12 = 1.019,893 → 1.019,89; 25 % = 254,97 (under the € 285 maximum);
    # counted 1.019,89 − 254,97 = 764,92; benefit 1.401,50 − 764,92 = 636,58; total 1.656,47.
    assert figures(january) == (D("1401.50"), D("1019.89"), D("254.97"), D("636.58"), D("1656.47"))
    assert january.difference.amount == D("254.97")
    assert all(figures(m) == figures(january) for m in insight.months[:6])
    # From 1 July the published figures were not found: those months are not calculated, and it is said why.
    assert not any(m.complete for m in insight.months[6:])
    assert "niet gevonden" in insight.months[6].benefit_before.say.text
    assert insight.missing and insight.net_is_estimate


def test_after_six_months_the_whole_wage_counts():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 16), rules.Situation(rules.ALONE, born(30)), with_test_july()
    )
    july = insight.months[6]
    # 16 × 14,90 (test) × 52 / 12 = 1.033,07; no disregard after six months; 1.420,00 − 1.033,07 = 386,93.
    assert figures(july) == (D("1420.00"), D("1033.07"), D("0"), D("386.93"), D("1420.00"))
    assert "die zijn voorbij" in july.disregarded.say.text


def test_single_parent_with_a_child_under_12_gets_the_extra_after_six_months():
    situation = rules.Situation(rules.SINGLE_PARENT, born(35), youngest_child_age=7)
    insight = rules.calculate(step(dt.date(2026, 1, 1), 20), situation, with_test_july())
    january, july = insight.months[0], insight.months[6]
    # January: 20 × 14,71 × 52 / 12 = 1.274,87; 25 % = 318,72 → the maximum € 285,00;
    # 1.401,50 − (1.274,87 − 285,00) = 411,63; total 1.686,50.
    assert figures(january) == (D("1401.50"), D("1274.87"), D("285.00"), D("411.63"), D("1686.50"))
    # July (test figures): 20 × 14,90 × 52 / 12 = 1.291,33; 12,5 % = 161,42 (under 180,00);
    # 1.420,00 − (1.291,33 − 161,42) = 290,09; total 1.581,42.
    assert figures(july) == (D("1420.00"), D("1291.33"), D("161.42"), D("290.09"), D("1581.42"))
    assert "onderdeel r" in july.disregarded.say.text


def test_single_parent_whose_youngest_is_12_gets_no_extra():
    situation = rules.Situation(rules.SINGLE_PARENT, born(35), youngest_child_age=12)
    insight = rules.calculate(step(dt.date(2026, 1, 1), 20), situation, with_test_july())
    assert insight.months[6].disregarded.amount == 0


def test_a_couple_where_one_partner_starts_work():
    situation = rules.Situation(rules.COUPLE, born(40), partner_age=38)
    insight = rules.calculate(step(dt.date(2026, 1, 1), 24), situation, published())
    # 24 × 14,71 × 52 / 12 = 1.529,84; 25 % = 382,46 → € 285,00; 2.002,13 − (1.529,84 − 285,00) = 757,29.
    assert figures(insight.months[0]) == (D("2002.13"), D("1529.84"), D("285.00"), D("757.29"), D("2287.13"))
    assert "gehuwden van 21 jaar" in insight.months[0].benefit_before.say.values["category"]


def test_a_resident_under_27_gets_no_disregard():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 16), rules.Situation(rules.ALONE, born(24)), published()
    )
    january = insight.months[0]
    # 1.401,50 − 1.019,89 = 381,61: work and benefit together are the norm, no more.
    assert figures(january) == (D("1401.50"), D("1019.89"), D("0"), D("381.61"), D("1401.50"))
    assert january.difference.amount == 0
    assert "Jonger dan %(age)s jaar" in january.disregarded.say.text


def test_a_resident_of_19_has_the_youth_norm_and_youth_minimum_wage():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 8), rules.Situation(rules.ALONE, born(19)), published()
    )
    # 8 × 8,83 × 52 / 12 = 306,11 (306,1067); 345,99 − 306,11 = 39,88.
    assert figures(insight.months[0]) == (D("345.99"), D("306.11"), D("0"), D("39.88"), D("345.99"))


def test_a_period_across_1_july_uses_both_dates():
    insight = rules.calculate(
        step(dt.date(2026, 4, 1), 16), rules.Situation(rules.ALONE, born(30)), with_test_july()
    )
    june, july, october = insight.months[2], insight.months[3], insight.months[6]
    assert figures(june) == (D("1401.50"), D("1019.89"), D("254.97"), D("636.58"), D("1656.47"))
    # July, month 4 of 6: 1.033,07 × 25 % = 258,27 (258,2675); 1.420,00 − (1.033,07 − 258,27) = 645,20.
    assert figures(july) == (D("1420.00"), D("1033.07"), D("258.27"), D("645.20"), D("1678.27"))
    assert october.disregarded.amount == 0
    used = {(u.what.text, u.valid_from) for u in insight.used}
    norm = "Bijstandsnorm: alleenstaande van 21 jaar tot de AOW-leeftijd"
    assert (norm, dt.date(2026, 1, 1)) in used and (norm, JULY) in used


def test_the_latest_entry_of_a_date_counts():
    correction = rules.Entry("norm.alleenstaande_21_aow", dt.date(2026, 1, 1), D("1400.00"), "correctie")
    reference = rules.Reference([*PUBLISHED, correction])
    insight = rules.calculate(step(dt.date(2026, 1, 1), 0), rules.Situation(rules.ALONE, born(30)), reference)
    assert insight.months[0].benefit_before.amount == D("1400.00")


def test_wage_cost_subsidy_pays_at_least_the_minimum_and_has_its_own_disregard():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 16, hourly_wage=D("9.00"), wage_cost_subsidy=True),
        rules.Situation(rules.ALONE, born(30)),
        with_test_july(),
    )
    assert insight.months[0].work_income.amount == D("1019.89")  # the minimum wage, not € 9,00 an hour
    # July: 15 % of 1.033,07 = 154,96 (under the test maximum 183,00).
    assert insight.months[6].disregarded.amount == D("154.96")


def test_a_net_wage_entered_is_used_as_it_is():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 16, net_monthly=D("950.00")),
        rules.Situation(rules.ALONE, born(30)),
        published(),
    )
    assert insight.months[0].work_income.amount == D("950.00")
    assert insight.months[0].disregarded.amount == D("237.50")
    assert not insight.net_is_estimate


@pytest.mark.parametrize(
    ("proposed", "field", "words"),
    [
        (step(dt.date(2026, 1, 1), -4), "hours_per_week", "negatief"),
        (
            step(dt.date(2026, 1, 1), 16, hourly_wage=D("12.00")),
            "hourly_wage",
            "minimumloon (€ 14,71 per uur",
        ),
        (step(dt.date(2026, 1, 1), 16, monthly_wage=D("800")), "monthly_wage", "loonkostensubsidie"),
        (step(dt.date(2026, 1, 1), 16, hourly_wage=D("-1")), "hourly_wage", "negatief"),
    ],
)
def test_bad_input_is_refused_at_its_field_in_dutch(proposed, field, words):
    with pytest.raises(RuleError) as refused:
        rules.calculate(proposed, rules.Situation(rules.ALONE, born(30)), published())
    assert refused.value.field == field and words in refused.value.message


def test_a_file_with_an_unknown_key_is_refused_with_its_line():
    with pytest.raises(RuleError, match="Regel 2: onbekende sleutel"):
        rules.parse_reference_csv(["sleutel,geldig_vanaf,waarde,bron", "norm.kat,2026-01-01,1,x"])


def test_months_are_rounded_half_up_to_the_cent():
    assert rules.cents(D("254.9725")) == D("254.97") and rules.cents(D("258.2675")) == D("258.27")
    assert rules.cents(D("0.005")) == D("0.01")
