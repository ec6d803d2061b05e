"""Worked examples, checked by hand against the norms per 1 January 2026 in switching/data/normen_2026.csv
(alleenstaande 21+ € 1.401,50, gehuwden 21+ € 2.002,13, 18-20 € 345,99; vrijlating 25 % max € 285,00 for six
months from 27; single parent 12,5 % max € 177,66 for 30 months; minimum wage € 14,71 an hour at 21+).

The figures per 1 July 2026 were not found in the publications searched (the file says so): examples that run
past 1 July add TEST figures for that date, named as such, to show that a month uses the figures of its date.
Gross wage per month = hours × hourly wage × 52 / 12, rounded to the cent (half up).

Without a net wage entered, the income from work is the net wage estimated from the gross with the 2026 tax
figures (below the AOW age): the year's wage W = gross per month × 12 (no holiday pay); tax = 35,75 % of W
up to € 38.883, 37,56 % up to € 78.426, 49,50 % above, to the cent; algemene heffingskorting (AHK) € 3.115,
less 6,398 % of W above € 29.736, nil from € 78.426; arbeidskorting (AK) 8,324 % × W up to € 11.965,
€ 996 + 31,009 % × (W − 11.965) up to € 25.845, € 5.300 + 1,950 % × (W − 25.845) up to € 45.592,
€ 5.685 − 6,510 % × (W − 45.592) up to € 132.920, nil above; each credit to the cent; tax a year =
tax − AHK − AK, not below 0; tax a month = that ÷ 12 to the cent (half up); net = gross − tax a month. The
arithmetic below is done by hand."""

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
    # Gross 16 × 14,71 × 52 / 12 = 12.238,72 / 12 = 1.019,893 → 1.019,89. Net (see the module docstring):
    # W = 1.019,89 × 12 = 12.238,68; tax 35,75 % = 4.375,328 → 4.375,33; AHK 3.115,00 (W under 29.736);
    # AK 996 + 31,009 % × (12.238,68 − 11.965 = 273,68) = 996 + 84,865 → 1.080,87; credits 4.195,87;
    # 4.375,33 − 4.195,87 = 179,46 a year; ÷ 12 = 14,955 → 14,96 a month; net 1.019,89 − 14,96 = 1.004,93.
    # 25 % of 1.004,93 = 251,2325 → 251,23 (under the € 285 maximum); counted 1.004,93 − 251,23 = 753,70;
    # benefit 1.401,50 − 753,70 = 647,80; total 1.004,93 + 647,80 = 1.652,73.
    assert january.gross_wage.amount == D("1019.89")
    assert figures(january) == (D("1401.50"), D("1004.93"), D("251.23"), D("647.80"), D("1652.73"))
    assert january.difference.amount == D("251.23")
    assert january.work_income.say.text == rules.NET_ESTIMATE[1]
    assert january.work_income.say.values["monthly"] == D("14.96")
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
    # Gross 16 × 14,90 (test) × 52 / 12 = 1.033,067 → 1.033,07. W = 12.396,84; tax 35,75 % = 4.431,870 →
    # 4.431,87; AHK 3.115,00; AK 996 + 31,009 % × 431,84 = 996 + 133,909 → 1.129,91; 4.431,87 − 4.244,91 =
    # 186,96; ÷ 12 = 15,58; net 1.033,07 − 15,58 = 1.017,49. No disregard after six months;
    # benefit 1.420,00 − 1.017,49 = 402,51; total the norm.
    assert figures(july) == (D("1420.00"), D("1017.49"), D("0"), D("402.51"), D("1420.00"))
    assert "die zijn voorbij" in july.disregarded.say.text


def test_single_parent_with_a_child_under_12_gets_the_extra_after_six_months():
    situation = rules.Situation(rules.SINGLE_PARENT, born(35), youngest_child_age=7)
    insight = rules.calculate(step(dt.date(2026, 1, 1), 20), situation, with_test_july())
    january, july = insight.months[0], insight.months[6]
    # January: gross 20 × 14,71 × 52 / 12 = 1.274,867 → 1.274,87. W = 15.298,44; tax 35,75 % = 5.469,193 →
    # 5.469,19; AHK 3.115,00; AK 996 + 31,009 % × 3.333,44 = 996 + 1.033,666 → 2.029,67; 5.469,19 − 5.144,67 =
    # 324,52; ÷ 12 = 27,043 → 27,04; net 1.274,87 − 27,04 = 1.247,83. 25 % = 311,96 → the maximum € 285,00;
    # 1.401,50 − (1.247,83 − 285,00) = 438,67; total 1.247,83 + 438,67 = 1.686,50 (the norm + 285,00).
    assert figures(january) == (D("1401.50"), D("1247.83"), D("285.00"), D("438.67"), D("1686.50"))
    # July (test figures): gross 20 × 14,90 × 52 / 12 = 1.291,333 → 1.291,33. W = 15.495,96; tax 35,75 % =
    # 5.539,806 → 5.539,81; AK 996 + 31,009 % × 3.530,96 = 996 + 1.094,915 → 2.090,92; 5.539,81 − 3.115,00 −
    # 2.090,92 = 333,89; ÷ 12 = 27,824 → 27,82; net 1.291,33 − 27,82 = 1.263,51. 12,5 % = 157,939 → 157,94
    # (under 180,00); 1.420,00 − (1.263,51 − 157,94) = 314,43; total 1.263,51 + 314,43 = 1.577,94.
    assert figures(july) == (D("1420.00"), D("1263.51"), D("157.94"), D("314.43"), D("1577.94"))
    assert "onderdeel r" in july.disregarded.say.text


def test_single_parent_whose_youngest_is_12_gets_no_extra():
    situation = rules.Situation(rules.SINGLE_PARENT, born(35), youngest_child_age=12)
    insight = rules.calculate(step(dt.date(2026, 1, 1), 20), situation, with_test_july())
    assert insight.months[6].disregarded.amount == 0


def test_a_couple_where_one_partner_starts_work():
    situation = rules.Situation(rules.COUPLE, born(40), partner_age=38)
    insight = rules.calculate(step(dt.date(2026, 1, 1), 24), situation, published())
    # Gross 24 × 14,71 × 52 / 12 = 1.529,84. W = 18.358,08; tax 35,75 % = 6.563,014 → 6.563,01; AHK 3.115,00;
    # AK 996 + 31,009 % × 6.393,08 = 996 + 1.982,430 → 2.978,43; 6.563,01 − 6.093,43 = 469,58; ÷ 12 = 39,132
    # → 39,13; net 1.529,84 − 39,13 = 1.490,71. 25 % = 372,68 → € 285,00;
    # 2.002,13 − (1.490,71 − 285,00) = 796,42; total 1.490,71 + 796,42 = 2.287,13.
    assert figures(insight.months[0]) == (D("2002.13"), D("1490.71"), D("285.00"), D("796.42"), D("2287.13"))
    assert "gehuwden van 21 jaar" in insight.months[0].benefit_before.say.values["category"]


def test_a_resident_under_27_gets_no_disregard():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 16), rules.Situation(rules.ALONE, born(24)), published()
    )
    january = insight.months[0]
    # Net 1.004,93 (as for the resident of 30); 1.401,50 − 1.004,93 = 396,57: work and benefit together are
    # the norm, no more.
    assert figures(january) == (D("1401.50"), D("1004.93"), D("0"), D("396.57"), D("1401.50"))
    assert january.difference.amount == 0
    assert "Jonger dan %(age)s jaar" in january.disregarded.say.text


def test_a_resident_of_19_has_the_youth_norm_and_youth_minimum_wage():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 8), rules.Situation(rules.ALONE, born(19)), published()
    )
    # Gross 8 × 8,83 × 52 / 12 = 306,1067 → 306,11. A low wage: W = 3.673,32; tax 35,75 % = 1.313,212 →
    # 1.313,21; AHK 3.115,00 alone is more, so no tax: net = gross 306,11; 345,99 − 306,11 = 39,88.
    assert figures(insight.months[0]) == (D("345.99"), D("306.11"), D("0"), D("39.88"), D("345.99"))
    assert "Er gaat dus geen loonheffing af" in insight.months[0].work_income.say.text


def test_a_period_across_1_july_uses_both_dates():
    insight = rules.calculate(
        step(dt.date(2026, 4, 1), 16), rules.Situation(rules.ALONE, born(30)), with_test_july()
    )
    june, july, october = insight.months[2], insight.months[3], insight.months[6]
    assert figures(june) == (D("1401.50"), D("1004.93"), D("251.23"), D("647.80"), D("1652.73"))
    # July, month 4 of 6: net 1.017,49 (as in test_after_six_months); 25 % = 254,3725 → 254,37;
    # 1.420,00 − (1.017,49 − 254,37) = 656,88; total 1.017,49 + 656,88 = 1.674,37.
    assert figures(july) == (D("1420.00"), D("1017.49"), D("254.37"), D("656.88"), D("1674.37"))
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
    # The minimum wage, not € 9,00 an hour: gross 1.019,89, net 1.004,93 (as for the resident of 30).
    assert insight.months[0].gross_wage.amount == D("1019.89")
    assert insight.months[0].work_income.amount == D("1004.93")
    # July: 15 % of the net 1.017,49 = 152,6235 → 152,62 (under the test maximum 183,00).
    assert insight.months[6].disregarded.amount == D("152.62")


def test_a_net_wage_entered_is_used_as_it_is():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 16, net_monthly=D("950.00")),
        rules.Situation(rules.ALONE, born(30)),
        published(),
    )
    assert insight.months[0].work_income.amount == D("950.00")
    assert insight.months[0].gross_wage.amount is None  # nothing estimated
    assert insight.months[0].disregarded.amount == D("237.50")
    assert not insight.net_is_estimate
    assert not any("loonheffingskorting" in s.text for s in insight.not_included)


def test_full_time_at_minimum_wage_the_tax_is_more_than_the_credits():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 40), rules.Situation(rules.ALONE, born(30)), published()
    )
    january = insight.months[0]
    # Gross 40 × 14,71 × 52 / 12 = 30.596,80 / 12 = 2.549,733 → 2.549,73. W = 30.596,76; tax 35,75 % =
    # 10.938,342 → 10.938,34. AHK 3.115 − 6,398 % × (30.596,76 − 29.736 = 860,76) = 3.115 − 55,071 → 3.059,93.
    # AK 5.300 + 1,950 % × (30.596,76 − 25.845 = 4.751,76) = 5.300 + 92,659 → 5.392,66. Credits 8.452,59;
    # 10.938,34 − 8.452,59 = 2.485,75 a year; ÷ 12 = 207,146 → 207,15; net 2.549,73 − 207,15 = 2.342,58.
    # 25 % = 585,65 → € 285,00; counted 2.057,58 is more than the norm: no benefit; total 2.342,58.
    assert january.gross_wage.amount == D("2549.73")
    assert figures(january) == (D("1401.50"), D("2342.58"), D("285.00"), D("0"), D("2342.58"))
    assert january.difference.amount == D("941.08")
    values = january.work_income.say.values
    assert (values["general"], values["labour"], values["yearly"]) == (
        D("3059.93"),
        D("5392.66"),
        D("2485.75"),
    )


def test_a_wage_in_the_second_bracket():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 40, hourly_wage=D("25.00")),
        rules.Situation(rules.ALONE, born(30)),
        published(),
    )
    january = insight.months[0]
    # Gross 40 × 25 × 52 / 12 = 4.333,333 → 4.333,33. W = 51.999,96. Tax: 38.883 × 35,75 % = 13.900,6725, plus
    # (51.999,96 − 38.883 = 13.116,96) × 37,56 % = 4.926,7302: 18.827,4027 → 18.827,40.
    # AHK 3.115 − 6,398 % × (51.999,96 − 29.736 = 22.263,96) = 3.115 − 1.424,448 → 1.690,55.
    # AK 5.685 − 6,510 % × (51.999,96 − 45.592 = 6.407,96) = 5.685 − 417,158 → 5.267,84.
    # 18.827,40 − 1.690,55 − 5.267,84 = 11.869,01 a year; ÷ 12 = 989,084 → 989,08; net 3.344,25.
    assert january.gross_wage.amount == D("4333.33")
    assert january.work_income.amount == D("3344.25")
    say = january.work_income.say
    assert say.text == rules.NET_ESTIMATE[2] and "%(rate2)s %% daarboven" in say.text
    assert (say.values["rate1"], say.values["rate2"], say.values["limit1"]) == ("35,75", "37,56", D("38883"))


def test_a_wage_in_the_third_bracket_has_no_algemene_heffingskorting():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 36, monthly_wage=D("8000")),
        rules.Situation(rules.ALONE, born(30)),
        published(),
    )
    # W = 96.000. Tax: 13.900,6725 + (78.426 − 38.883 = 39.543) × 37,56 % = 14.852,3508, plus
    # (96.000 − 78.426 = 17.574) × 49,50 % = 8.699,13: 37.452,1533 → 37.452,15. AHK nil (W from 78.426 on).
    # AK 5.685 − 6,510 % × (96.000 − 45.592 = 50.408) = 5.685 − 3.281,5608 → 2.403,44.
    # 37.452,15 − 2.403,44 = 35.048,71 a year; ÷ 12 = 2.920,7258 → 2.920,73; net 8.000 − 2.920,73 = 5.079,27.
    january = insight.months[0]
    assert january.work_income.amount == D("5079.27")
    assert january.work_income.say.values["general"] == 0
    assert january.work_income.say.text == rules.NET_ESTIMATE[3]


def test_the_tax_figures_are_listed_with_their_date_and_source():
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 16), rules.Situation(rules.ALONE, born(30)), published()
    )
    used = {u.what.text: u for u in insight.used}
    assert {what for what, _unit in rules.TAX_KEYS.values()} <= set(used)  # every one, with its date
    rate = used["Loonheffing onder de AOW-leeftijd: tarief schijf 1"]
    assert (rate.valid_from, rate.amount, rate.is_money) == (dt.date(2026, 1, 1), "35,75 %", False)
    assert "Belastingplan 2026" in rate.source and "aplusbadviesgroep.nl" in rate.source
    credit = used["Arbeidskorting schijf 1: dit deel van het arbeidsinkomen"]
    assert credit.amount == "8,324 %" and "salure.nl" in credit.source
    assert (
        used["Algemene heffingskorting: gaat omlaag met dit deel van het inkomen daarboven"].amount
        == "6,398 %"
    )
    # What the estimate leaves out is said, with the loonheffingskorting that counts only once.
    assert any("loonheffingskorting telt maar bij één uitbetaler" in s.text for s in insight.not_included)


def test_a_month_uses_the_tax_figures_in_force_and_says_from_when():
    situation = rules.Situation(rules.ALONE, born(30))
    insight = rules.calculate(step(dt.date(2026, 12, 1), 16), situation, with_test_july())
    december, january = insight.months[0], insight.months[1]
    assert december.work_income.amount == D("1017.49")  # the net of 16 × 14,90 (test), see above
    # The figures for 2027 are not in the file: January 2027 goes on with those of 2026, and says so.
    assert january.complete and january.work_income.say.values["since"] == dt.date(2026, 1, 1)
    # A 2027 figure once entered counts from its date (a TEST rate of 36 % here): W = 12.396,84; tax 36 % =
    # 4.462,8624 → 4.462,86; credits 3.115,00 + 1.129,91 = 4.244,91; 217,95 a year; ÷ 12 = 18,1625 → 18,16;
    # net 1.033,07 − 18,16 = 1.014,91.
    rate_2027 = rules.Entry("loonheffing.schijf1.tarief", dt.date(2027, 1, 1), D("36.00"), TEST_JULY)
    reference = rules.Reference([*with_test_july().entries, rate_2027])
    insight = rules.calculate(step(dt.date(2026, 12, 1), 16), situation, reference)
    assert insight.months[0].work_income.amount == D("1017.49")
    assert insight.months[1].work_income.amount == D("1014.91")
    rates = {(u.valid_from, u.amount) for u in insight.used if u.what.text.endswith("tarief schijf 1")}
    assert rates == {(dt.date(2026, 1, 1), "35,75 %"), (dt.date(2027, 1, 1), "36 %")}


def test_without_tax_figures_the_month_is_not_calculated():
    norms_only = rules.Reference([e for e in PUBLISHED if e.key not in rules.TAX_KEYS])
    insight = rules.calculate(
        step(dt.date(2026, 1, 1), 16), rules.Situation(rules.ALONE, born(30)), norms_only
    )
    assert not insight.months[0].complete
    assert "staat niet in Meedoen" in insight.months[0].benefit_before.say.text


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
