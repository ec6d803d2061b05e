"""The pure rules: periods, building blocks, what may be shown, quarters from months."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meedoen.programmes import rules

COUNT = rules.MEASURES["in_programma"]
SHARE = rules.MEASURES["trede_omhoog"]
MEAN = rules.MEASURES["wachttijd"]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("2026-05", [dt.date(2026, 5, 1)]),
        ("2026-Q4", [dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1)]),
        (" 2026-q1 ", [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]),
    ],
)
def test_a_period_is_a_month_or_a_quarter(text, months):
    assert list(rules.parse_period(text).months) == months


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "mei", "26-05", ""])
def test_anything_else_is_refused_in_dutch(text):
    with pytest.raises(rules.FormulaError, match="Schrijf een maand"):
        rules.parse_period(text)


@pytest.mark.parametrize(
    ("cell", "hidden"),
    [
        (rules.Cell(0, None), False),
        (rules.Cell(4, None), True),
        (rules.Cell(5, None), False),
    ],
)
def test_a_count_under_five_is_hidden_but_zero_is_not(cell, hidden):
    assert rules.hidden(COUNT, cell) is hidden


def test_a_share_hides_small_numerators_small_denominators_and_small_remainders():
    assert rules.hidden(SHARE, rules.Cell(3, 100))  # 3 residents climbed
    assert rules.hidden(SHARE, rules.Cell(97, 100))  # 3 did not
    assert rules.hidden(SHARE, rules.Cell(0, 4))  # a share of four people
    assert not rules.hidden(SHARE, rules.Cell(50, 100))
    assert not rules.hidden(SHARE, rules.Cell(0, 100))


def test_a_mean_over_fewer_than_five_residents_is_hidden():
    assert rules.hidden(MEAN, rules.Cell(90, 2))
    assert not rules.hidden(MEAN, rules.Cell(500, 10))


def test_a_filtered_cell_is_hidden_when_the_rest_of_the_programme_is_under_five():
    assert rules.hidden(COUNT, rules.Cell(97, None), rules.Cell(100, None))
    assert not rules.hidden(COUNT, rules.Cell(90, None), rules.Cell(100, None))
    assert rules.hidden(SHARE, rules.Cell(40, 96), rules.Cell(50, 100))


def test_a_lonely_hidden_cell_in_a_breakdown_takes_the_smallest_other_one_with_it():
    assert rules.hide_breakdown([3, 10, 7]) == [True, False, True]
    assert rules.hide_breakdown([3, 2, 7]) == [True, True, False]
    assert rules.hide_breakdown([12, 10, 7]) == [False, False, False]


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12))
def test_no_breakdown_leaves_exactly_one_small_cell_to_be_worked_out(counts):
    hidden = rules.hide_breakdown(counts)
    hidden_nonzero = [c for c, h in zip(counts, hidden, strict=True) if h and c]
    if len(hidden_nonzero) == 1:  # then nothing else is shown that the total could be reduced by
        assert sum(1 for c in counts if c) == 1
    assert all(h for c, h in zip(counts, hidden, strict=True) if 0 < c < 5)


def test_a_quarter_of_a_stock_is_its_last_month_and_of_a_flow_the_sum():
    cells = [rules.Cell(10, 40), rules.Cell(12, 40), rules.Cell(15, 50)]
    assert rules.combine(SHARE, cells) == rules.Cell(15, 50)
    flow = rules.MEASURES["duurzaam_in_fase"]
    assert rules.combine(flow, cells) == rules.Cell(37, 130)
    assert rules.value_of(flow, rules.Cell(37, 130)) == Decimal("28.5")


def test_a_flow_target_for_a_quarter_is_three_months_of_targets():
    flow = rules.MEASURES["stap_naar_fase"]
    assert rules.target_for_period(flow, Decimal(8), 3) == Decimal(24)
    assert rules.target_for_period(SHARE, Decimal(30), 3) == Decimal(30)


def test_a_count_under_a_filter_is_not_held_against_the_whole_programmes_target():
    count = rules.MEASURES["stap_naar_fase"]
    assert count.kind is rules.Kind.COUNT
    assert rules.target_applies(count, filtered=False)
    assert not rules.target_applies(count, filtered=True)
    assert rules.target_applies(SHARE, filtered=True)  # a rate holds for a part too


@pytest.mark.parametrize(
    ("measure", "params", "field"),
    [
        ("bestaat_niet", {}, "measure"),
        ("stap_naar_fase", {}, "phase"),
        ("duurzaam_in_fase", {"phase": "betaald_werk"}, "months"),
        ("bezetting", {"phase": "betaald_werk"}, "phase"),
        ("trede_omhoog", {"months": 40}, "months"),
    ],
)
def test_a_formula_that_does_not_fit_its_building_block_is_refused_at_the_field(measure, params, field):
    with pytest.raises(rules.FormulaError) as refused:
        rules.check_formula(measure, params)
    assert refused.value.field == field


def test_every_building_block_has_a_dutch_choice_and_a_unit():
    from meedoen.programmes.models import MEASURE_CHOICES

    assert {code for code, _label in MEASURE_CHOICES} == set(rules.MEASURES)


def test_a_filter_is_hidden_where_the_breakdown_of_its_dimension_hides_it():
    column = {"maten": rules.Cell(6, None), "zuid": rules.Cell(20, None), "orden": rules.Cell(3, None)}
    assert rules.hidden_in_column(COUNT, column, "maten")  # the smallest neighbour of the three
    assert rules.hidden_in_column(COUNT, column, "orden")
    assert not rules.hidden_in_column(COUNT, column, "zuid")
    assert not rules.hidden_in_column(COUNT, column, "elsewhere")  # no residents: zero, nothing to hide
    shares = {"a": rules.Cell(10, 12), "b": rules.Cell(10, 30), "c": rules.Cell(10, 40)}
    assert rules.hidden_in_column(SHARE, shares, "a")  # two of twelve did not: the remainder is small
    assert rules.hidden_in_column(SHARE, shares, "b")  # its smallest neighbour among the remainders
    assert not rules.hidden_in_column(SHARE, shares, "c")


# ----------------------------------------------------------------------------------- two filters at once


def test_cells_of_two_filters_are_stored_for_every_two_filter_dimensions_of_a_resident_measure_only():
    assert rules.pairs_of(COUNT) == [
        (rules.Dimension.PROJECT, rules.Dimension.DISTRICT),
        (rules.Dimension.PROJECT, rules.Dimension.TARGET_GROUP),
        (rules.Dimension.PROJECT, rules.Dimension.LEGAL_BASIS),
        (rules.Dimension.DISTRICT, rules.Dimension.TARGET_GROUP),
        (rules.Dimension.DISTRICT, rules.Dimension.LEGAL_BASIS),
        (rules.Dimension.TARGET_GROUP, rules.Dimension.LEGAL_BASIS),
    ]
    assert rules.dimension_name(rules.pairs_of(COUNT)[0]) == "project+wijk"
    assert rules.pairs_of(rules.MEASURES["budgetgebruik"]) == []  # money stays per project


def test_a_money_figure_cannot_be_split_by_district_with_or_without_a_project_beside_it():
    money = rules.MEASURES["budgetgebruik"]
    project, district = rules.Dimension.PROJECT, rules.Dimension.DISTRICT
    assert rules.unsplit(money, [project]) == []
    assert rules.unsplit(money, [district]) == [district]
    assert rules.unsplit(money, [project, district]) == [district]
    assert rules.unsplit(COUNT, [project, district]) == []


def test_a_filtered_share_is_hidden_when_those_outside_the_filter_who_did_not_climb_are_under_five():
    # 57 of 100 climbed; in the filter 50 of 90: outside it 7 of 10 climbed, so 3 did not.
    assert rules.hidden(SHARE, rules.Cell(50, 90), rules.Cell(57, 100))
    assert not rules.hidden(SHARE, rules.Cell(50, 90), rules.Cell(55, 100))  # outside: 5 of 10


WHOLE = rules.Cell(100, None)


@pytest.mark.parametrize(
    ("pair", "first", "second", "hidden", "why"),
    [
        (20, 40, 30, False, "every cell of the two-by-two table is five or more"),
        (3, 40, 30, True, "the pair itself is three"),
        (37, 40, 50, True, "in the project but not the district: 40 - 37 = 3"),
        (28, 40, 30, True, "in the district but not the project: 30 - 28 = 2"),
        (20, 60, 57, True, "in neither: 100 - 60 - 57 + 20 = 3"),
        (0, 40, 30, False, "nobody in both: zero is no one to protect"),
    ],
)
def test_a_cell_of_two_filters_is_hidden_when_a_cell_of_its_two_by_two_table_is_small(
    pair, first, second, hidden, why
):
    assert (
        rules.hidden_pair(
            COUNT, rules.Cell(pair, None), rules.Cell(first, None), rules.Cell(second, None), WHOLE
        )
        is hidden
    ), why


def test_a_share_of_two_filters_hides_a_small_remainder_in_its_table_too():
    whole, both, project = rules.Cell(50, 100), rules.Cell(10, 20), rules.Cell(20, 40)
    # The district: 15 of 30 climbed; in the district but not the project 5 of 10, in neither 25 of 50.
    assert not rules.hidden_pair(SHARE, both, project, rules.Cell(15, 30), whole)
    # The district: 18 of 31; in the district but not the project 8 of 11 climbed, so 3 did not.
    assert rules.hidden_pair(SHARE, both, project, rules.Cell(18, 31), whole)


def test_a_cell_of_two_filters_is_hidden_where_its_line_of_cells_would_give_a_small_one_away():
    # Project p in three districts: 3, 10 and 17 (the project's own figure is 30): 30 - 10 - 17 = 3.
    cells = {
        "p|maten": rules.Cell(3, None),
        "p|zuid": rules.Cell(10, None),
        "p|orden": rules.Cell(17, None),
        "q|zuid": rules.Cell(40, None),
    }
    assert rules.hidden_in_pair_lines(COUNT, cells, "p", "maten")
    assert rules.hidden_in_pair_lines(COUNT, cells, "p", "zuid")  # the smallest neighbour of the three
    assert not rules.hidden_in_pair_lines(COUNT, cells, "p", "orden")
    assert not rules.hidden_in_pair_lines(COUNT, cells, "q", "zuid")  # district zuid: 10 and 40, both shown
    assert not rules.hidden_in_pair_lines(COUNT, cells, "q", "maten")  # no residents: nothing to hide
