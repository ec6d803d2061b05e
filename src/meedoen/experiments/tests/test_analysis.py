"""The analysis against statsmodels' own results, a coverage simulation, textbook cases and exact
randomisation inference. Pure: no database."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from meedoen.experiments import analysis
from meedoen.experiments.analysis import AnalysisError, Spec


def _three_arms(seed: int = 7, n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {
            "groep": rng.choice(["controle", "eigen_regie", "intensief"], n),
            "leeftijd": rng.integers(18, 65, n).astype(float),
            "maanden": rng.integers(1, 120, n).astype(float),
            "wijk": rng.choice(["noord", "zuid", "oost"], n),
        }
    )
    noise = rng.normal(0, 1 + (data["groep"] == "intensief"), n)  # unequal variances: HC2 differs from OLS
    data["uren"] = (
        4 + 2.0 * (data["groep"] == "eigen_regie") + 0.5 * (data["groep"] == "intensief")
        + 0.05 * data["leeftijd"] - 0.02 * data["maanden"] + (data["wijk"] == "noord") + noise
    )  # fmt: skip
    return data


def _effect(result: analysis.Analysis, arm: str, outcome: str = "uren") -> analysis.ArmEffect:
    return next(e for e in result.effects if e.arm == arm and e.outcome == outcome)


def test_difference_in_means_with_hc2_equals_statsmodels_own_fit() -> None:
    data = _three_arms()
    result = analysis.analyse(data, Spec(arm="groep", control="controle", outcomes=("uren",)))
    own = smf.ols("uren ~ C(groep, Treatment('controle'))", data).fit(cov_type="HC2", use_t=True)
    for arm in ("eigen_regie", "intensief"):
        name = f"C(groep, Treatment('controle'))[T.{arm}]"
        effect = _effect(result, arm)
        assert effect.effect == pytest.approx(own.params[name], abs=1e-10)
        assert effect.se == pytest.approx(own.bse[name], abs=1e-10)
        assert effect.p == pytest.approx(own.pvalues[name], abs=1e-10)
        assert (effect.ci_low, effect.ci_high) == pytest.approx(tuple(own.conf_int().loc[name]), abs=1e-10)
        assert effect.n_treated == (data["groep"] == arm).sum()
        assert effect.n_control == (data["groep"] == "controle").sum()
    # A difference in means: the coefficient is the plain difference of the two group means.
    means = data.groupby("groep")["uren"].mean()
    assert _effect(result, "eigen_regie").effect == pytest.approx(means["eigen_regie"] - means["controle"])


def test_hc2_of_a_difference_in_means_is_neymans_variance() -> None:
    data = _three_arms()
    result = analysis.analyse(data, Spec(arm="groep", control="controle", outcomes=("uren",)))
    groups = data.groupby("groep")["uren"]
    variance, count = groups.var(ddof=1), groups.count()
    neyman = math.sqrt(variance["intensief"] / count["intensief"] + variance["controle"] / count["controle"])
    assert _effect(result, "intensief").se == pytest.approx(neyman, rel=1e-10)


def test_classical_and_cluster_errors_equal_statsmodels() -> None:
    data = _three_arms()
    data["team"] = np.repeat(np.arange(30), 10).astype(str)
    formula = "uren ~ C(groep, Treatment('controle'))"
    name = "C(groep, Treatment('controle'))[T.intensief]"
    classical = analysis.analyse(
        data, Spec(arm="groep", control="controle", outcomes=("uren",), se="classical")
    )
    own = smf.ols(formula, data).fit()
    assert _effect(classical, "intensief").se == pytest.approx(own.bse[name], abs=1e-10)
    assert _effect(classical, "intensief").p == pytest.approx(own.pvalues[name], abs=1e-10)
    clustered = analysis.analyse(
        data, Spec(arm="groep", control="controle", outcomes=("uren",), cluster="team", se="cluster")
    )
    groups = pd.factorize(data["team"])[0]
    own = smf.ols(formula, data).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    assert _effect(clustered, "intensief").se == pytest.approx(own.bse[name], abs=1e-10)
    assert _effect(clustered, "intensief").ci_low == pytest.approx(own.conf_int().loc[name][0], abs=1e-10)


def test_lins_estimator_equals_the_interacted_regression_on_centred_covariates() -> None:
    data = _three_arms()
    spec = Spec(arm="groep", control="controle", outcomes=("uren",), covariates=("leeftijd", "maanden"))
    result = analysis.analyse(data, spec)
    centred = data.assign(
        leeftijd=data["leeftijd"] - data["leeftijd"].mean(), maanden=data["maanden"] - data["maanden"].mean()
    )
    own = smf.ols("uren ~ C(groep, Treatment('controle')) * (leeftijd + maanden)", centred).fit(
        cov_type="HC2", use_t=True
    )
    name = "C(groep, Treatment('controle'))[T.eigen_regie]"
    assert _effect(result, "eigen_regie").effect == pytest.approx(own.params[name], abs=1e-10)
    assert _effect(result, "eigen_regie").se == pytest.approx(own.bse[name], abs=1e-10)
    assert "Lin" in result.estimator


def test_lins_estimator_on_a_textbook_case_is_the_imputation_estimate() -> None:
    """Lin (2013): the coefficient is the mean over everyone of the difference between the two arms'
    regression lines of the outcome on the covariate, here worked out by hand from the two separate fits."""
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8])
    arm = np.array(["c", "t", "c", "t", "c", "t", "c", "t"])
    y = np.array([2.0, 5, 3, 8, 5, 10, 6, 13])
    data = pd.DataFrame({"arm": arm, "x": x, "y": y})
    result = analysis.analyse(data, Spec(arm="arm", control="c", outcomes=("y",), covariates=("x",)))
    treated_line = np.polyfit(x[arm == "t"], y[arm == "t"], 1)
    control_line = np.polyfit(x[arm == "c"], y[arm == "c"], 1)
    by_hand = float(np.mean(np.polyval(treated_line, x) - np.polyval(control_line, x)))
    assert result.effects[0].effect == pytest.approx(by_hand, abs=1e-10)
    # Not the unadjusted difference (the treated sit higher on x), so the adjustment did something.
    assert by_hand != pytest.approx(y[arm == "t"].mean() - y[arm == "c"].mean())


def test_strata_fixed_effects_on_a_textbook_case_weight_the_strata_effects_by_their_variance() -> None:
    """With a constant effect per stratum and strata fixed effects, OLS gives the mean of the strata's
    differences weighted by n·p·(1−p) (Angrist & Pischke, Mostly Harmless Econometrics, 3.3)."""
    rows = []
    # stratum a: 4 treated of 8, effect 2; stratum b: 2 treated of 8, effect 6.
    for stratum, treated, effect, base in (("a", 4, 2.0, 10.0), ("b", 2, 6.0, 20.0)):
        for i in range(8):
            is_treated = i < treated
            rows.append(
                {"arm": "t" if is_treated else "c", "s": stratum, "y": base + effect * is_treated + (i % 2)}
            )
    data = pd.DataFrame(rows)
    result = analysis.analyse(data, Spec(arm="arm", control="c", outcomes=("y",), strata="s"))
    weights = {"a": 8 * 0.5 * 0.5, "b": 8 * 0.25 * 0.75}
    differences = {
        s: group.loc[group.arm == "t", "y"].mean() - group.loc[group.arm == "c", "y"].mean()
        for s, group in data.groupby("s")
    }
    expected = sum(weights[s] * differences[s] for s in weights) / sum(weights.values())
    assert result.effects[0].effect == pytest.approx(expected, abs=1e-10)
    own = smf.ols("y ~ C(arm) + C(s)", data).fit(cov_type="HC2", use_t=True)
    assert result.effects[0].se == pytest.approx(own.bse["C(arm)[T.t]"], abs=1e-10)


def test_the_95_percent_interval_covers_the_planted_effect_in_about_95_of_1000_repetitions() -> None:
    rng = np.random.default_rng(20260415)
    planted, n, repetitions = 1.5, 60, 1000
    spec = Spec(arm="arm", control="c", outcomes=("y",))
    covered = 0
    arms = np.array(["c", "t"] * (n // 2))
    for _ in range(repetitions):
        treated = rng.permutation(arms)
        y = rng.normal(0, 1, n) * np.where(treated == "t", 2.0, 1.0) + planted * (treated == "t")
        effect = analysis.effects_of_arrays(y, treated, spec)[0]
        covered += effect.ci_low <= planted <= effect.ci_high
    # The array path the simulation uses gives what the table path gives.
    table = analysis.analyse(pd.DataFrame({"arm": treated, "y": y}), spec).effects[0]
    assert (table.effect, table.se, table.ci_low) == pytest.approx((effect.effect, effect.se, effect.ci_low))
    # 95% of 1,000 has a binomial standard deviation of about 7: 930–970 holds with room to spare.
    assert 930 <= covered <= 970


def test_randomisation_inference_on_a_small_case_is_exact() -> None:
    # 6 residents, 3 treated: 20 possible assignments. The observed one puts the three highest in "t".
    data = pd.DataFrame({"arm": ["t", "t", "t", "c", "c", "c"], "y": [9.0, 8, 7, 1, 2, 3]})
    result = analysis.analyse(data, Spec(arm="arm", control="c", outcomes=("y",), permutations=1000))
    effect = result.effects[0]
    # By hand: of the 20 assignments only this one and its mirror image are as extreme (|6| = |-6|).
    differences = []
    for chosen in itertools.combinations(range(6), 3):
        mask = np.isin(np.arange(6), chosen)
        differences.append(abs(data.y[mask].mean() - data.y[~mask].mean()))
    assert effect.p_randomisation == pytest.approx(sum(d >= 6 - 1e-12 for d in differences) / 20)
    assert effect.p_randomisation == pytest.approx(2 / 20)
    assert effect.randomisation_exact


def test_randomisation_inference_within_strata_only_permutes_inside_each_stratum() -> None:
    # Two strata of 4 with 2 treated each: 6 × 6 = 36 assignments, enumerated exactly.
    data = pd.DataFrame(
        {"arm": ["t", "t", "c", "c"] * 2, "s": ["a"] * 4 + ["b"] * 4, "y": [5.0, 4, 1, 0, 15, 14, 11, 10]}
    )
    result = analysis.analyse(
        data, Spec(arm="arm", control="c", outcomes=("y",), strata="s", permutations=100)
    )
    assert result.effects[0].randomisation_exact
    assert result.effects[0].p_randomisation == pytest.approx(2 / 36)


def test_randomisation_inference_samples_with_a_seed_when_there_are_too_many_assignments() -> None:
    data = _three_arms(n=120)
    spec = Spec(arm="groep", control="controle", outcomes=("uren",), permutations=200, seed=3)
    first, second = analysis.analyse(data, spec), analysis.analyse(data, spec)
    assert not first.effects[0].randomisation_exact
    assert first.effects[0].p_randomisation == second.effects[0].p_randomisation
    assert first.effects[0].p_randomisation < 0.01  # the planted effect of 2 hours is found


def test_holm_runs_over_every_arm_and_every_outcome() -> None:
    data = _three_arms()
    data["uren2"] = data["uren"] * 0.5 + np.random.default_rng(1).normal(size=len(data))
    result = analysis.analyse(data, Spec(arm="groep", control="controle", outcomes=("uren", "uren2")))
    raw = [effect.p for effect in result.effects]
    own = sm.stats.multipletests(raw, method="holm")[1]
    assert [effect.p_holm for effect in result.effects] == pytest.approx(list(own))
    assert len(result.effects) == 4


def test_attrition_per_arm_and_a_test_of_differential_attrition() -> None:
    data = _three_arms(n=300)
    # Half of "intensief" is not measured, nobody else is missing: a clear difference.
    intensive = data.index[data["groep"] == "intensief"]
    data.loc[intensive[::2], "uren"] = np.nan
    result = analysis.analyse(data, Spec(arm="groep", control="controle", outcomes=("uren",)))
    attrition = result.attrition[0]
    by_arm = {arm.arm: arm for arm in attrition.arms}
    assert by_arm["intensief"].missing == len(intensive[::2])
    assert by_arm["controle"].missing == 0
    assert attrition.p_differential is not None and attrition.p_differential < 0.001
    # The estimate uses those measured only.
    assert _effect(result, "intensief").n_treated == len(intensive) - len(intensive[::2])


def test_balance_table_means_per_arm_and_a_joint_test() -> None:
    data = _three_arms()
    table = analysis.balance(
        {"leeftijd": list(data["leeftijd"]), "maanden": list(data["maanden"])},
        list(data["groep"]),
        "controle",
    )
    assert table.arms == ("controle", "eigen_regie", "intensief")
    row = table.rows[0]
    assert row.means["intensief"] == pytest.approx(data.loc[data.groep == "intensief", "leeftijd"].mean())
    assert all(p is not None and 0 <= p <= 1 for p in table.p_joint.values())
    # A characteristic that *is* the arm is caught by the joint test.
    leaky = analysis.balance(
        {"leeftijd": list(data["leeftijd"] + 20 * (data["groep"] == "intensief"))},
        list(data["groep"]),
        "controle",
    )
    assert leaky.p_joint["intensief"] is not None and leaky.p_joint["intensief"] < 1e-6


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"spec": {"outcomes": ("inkomen",)}}, "inkomen", "staat niet in"),
        ({"data": {"groep": ["controle"] * 4}}, "groep", "maar één waarde"),
        ({"data": {"uren": ["1", "twee", "3", "4"]}}, "uren", "geen getal"),
        ({"spec": {"control": "geen"}}, "groep", "komt niet voor"),
        ({"spec": {"se": "cluster"}}, "cluster", "clusterkolom"),
        ({"data": {"leeftijd": ["30", "", "40", "50"]}}, "leeftijd", "lege cellen"),
    ],
)
def test_bad_input_is_a_dutch_error_naming_the_column(change: dict, column: str, words: str) -> None:
    values = {
        "groep": ["controle", "t", "controle", "t"],
        "uren": ["1", "2", "3", "4"],
        "leeftijd": ["30", "31", "40", "50"],
    }
    values.update(change.get("data", {}))
    spec = {"arm": "groep", "control": "controle", "outcomes": ("uren",), "covariates": ("leeftijd",)}
    spec.update(change.get("spec", {}))
    with pytest.raises(AnalysisError, match=words) as caught:
        analysis.analyse(pd.DataFrame(values), Spec(**spec))
    assert caught.value.column == column
    assert column in str(caught.value) or column == "cluster"


def test_power_needed_per_arm_equals_statsmodels_and_grows_with_arms() -> None:
    two = analysis.required_sample(
        baseline=0.20, effect=0.05, alpha=0.05, power=0.8, ratios={"c": 1, "t": 1}, control="c"
    )
    size = sm.stats.proportion_effectsize(0.25, 0.20)
    own = sm.stats.NormalIndPower().solve_power(effect_size=size, alpha=0.05, power=0.8, ratio=1)
    assert two.per_arm["t"] == math.ceil(own)
    assert 1000 < two.per_arm["t"] < 1200  # the well-known ≈1,100 per arm for 20% → 25%
    four = analysis.required_sample(
        baseline=0.20,
        effect=0.05,
        alpha=0.05,
        power=0.8,
        ratios={"c": 1, "a": 1, "b": 1, "d": 1},
        control="c",
    )
    assert four.alpha == pytest.approx(0.05 / 3)
    assert four.per_arm["a"] > two.per_arm["t"]
    assert four.total > 2 * two.total


def test_detectable_effect_is_the_inverse_of_the_sample_needed() -> None:
    ratios = {"c": 2, "t": 1}
    needed = analysis.required_sample(
        baseline=0.3, effect=0.1, alpha=0.05, power=0.8, ratios=ratios, control="c"
    )
    back = analysis.detectable_effect(
        baseline=0.3, available=needed.total, alpha=0.05, power=0.8, ratios=ratios, control="c"
    )
    assert back.effect == pytest.approx(0.1, abs=0.003)
    assert back.per_arm["c"] == pytest.approx(2 * back.per_arm["t"], abs=1)


def test_too_many_arms_for_the_eligible_population_warns() -> None:
    # The national lesson: four arms, a few hundred willing residents.
    needed = analysis.required_sample(
        baseline=0.2, effect=0.05, alpha=0.05, power=0.8, ratios={"c": 1, "a": 1, "b": 1, "d": 1}, control="c"
    )
    warning = analysis.too_many_arms(needed, eligible=6551, consent_rate=890 / 6551)
    assert "Te veel groepen" in warning and "890" in warning
    assert analysis.too_many_arms(needed, eligible=100_000, consent_rate=0.5) == ""


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (-1e-17, 3, "0.000"),
        (-0.0004, 3, "0.000"),
        (-0.0006, 3, "-0.001"),
        (0.125, 3, "0.125"),
        (12.5, 1, "12.5"),
    ],
)
def test_a_figure_that_rounds_to_zero_is_shown_without_a_minus_sign(
    value: float, digits: int, shown: str
) -> None:
    """A fit's zero is often -1e-17: the screen, the API and the CSV show 0.000, never -0.000."""
    assert analysis.rounded(value, digits) == shown
