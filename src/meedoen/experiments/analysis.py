"""The statistics of a randomised experiment. Pure Python (numpy, pandas, statsmodels), no Django.

Every estimate is an ordinary least squares fit by statsmodels; this module only builds the design matrix:

- **difference in means**: the outcome on an intercept and one indicator per arm (the control is left out),
  so each arm's coefficient is its mean minus the control mean;
- **Lin's interacted adjustment** (Lin 2013): the covariates centred on their mean in the analysed sample, and
  their interaction with every arm indicator; the arm coefficient is then the covariate-adjusted effect;
- **strata fixed effects**: one indicator per stratum but the first;
- standard errors **HC2** (the default, Neyman's conservative variance for a difference in means),
  **classical** (homoskedastic OLS) or **cluster**-robust (by the column that was randomised), all with
  t-based intervals (residual degrees of freedom; for clusters, the number of clusters minus one);
- **randomisation inference**: the share of re-randomisations (within strata, by cluster when assignment was
  by cluster, between each arm and the control only) whose estimate is at least as far from zero as the
  observed one; exact when every assignment can be enumerated within the given number, else a seeded sample;
- **Holm** correction over all arms and outcomes (``multipletests(method="holm")``);
- **attrition**: per arm how many have no outcome, and a test that attrition is the same in every arm
  (Pearson's chi-square on the arm × measured table, statsmodels' ``Table``); those without an outcome are
  left out of the effect estimate (complete cases: intention to treat among those measured).

Errors are ``AnalysisError`` with a Dutch message naming the column; the command line turns them into exit 2.
"""

import itertools
import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

SE = Literal["hc2", "classical", "cluster"]
SE_CHOICES: tuple[str, ...] = ("hc2", "classical", "cluster")
ALPHA = 0.05


class AnalysisError(ValueError):
    """Input the analysis cannot use: a Dutch message that names the column."""

    def __init__(self, message: str, column: str = "") -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class Spec:
    """What to estimate: the columns of the data and how."""

    arm: str
    control: str
    outcomes: tuple[str, ...]
    covariates: tuple[str, ...] = ()
    strata: str | None = None
    cluster: str | None = None
    se: SE = "hc2"
    permutations: int = 0  # 0: no randomisation inference
    seed: int = 0


@dataclass(frozen=True)
class ArmEffect:
    outcome: str
    arm: str
    effect: float
    se: float
    ci_low: float
    ci_high: float
    p: float
    n_treated: int
    n_control: int
    p_holm: float = math.nan
    p_randomisation: float | None = None
    randomisation_exact: bool = False

    def as_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "outcome": self.outcome,
            "arm": self.arm,
            "effect": self.effect,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p": self.p,
            "p_holm": self.p_holm,
            "n_treated": self.n_treated,
            "n_control": self.n_control,
        }
        if self.p_randomisation is not None:
            row["p_randomisation"] = self.p_randomisation
            row["randomisation_exact"] = self.randomisation_exact
        return row


@dataclass(frozen=True)
class ArmAttrition:
    arm: str
    assigned: int
    missing: int

    @property
    def share(self) -> float:
        return self.missing / self.assigned if self.assigned else 0.0


@dataclass(frozen=True)
class Attrition:
    outcome: str
    arms: tuple[ArmAttrition, ...]
    p_differential: (
        float | None
    )  # joint test that attrition is equal in every arm; None when nobody is missing


@dataclass(frozen=True)
class Analysis:
    spec: Spec
    effects: tuple[ArmEffect, ...]
    attrition: tuple[Attrition, ...]
    estimator: str
    notes: tuple[str, ...] = field(default=())


# --- input -------------------------------------------------------------------------------------------------


def _require_column(data: pd.DataFrame, column: str) -> None:
    if column not in data.columns:
        raise AnalysisError(f"De kolom '{column}' staat niet in de gegevens.", column)


def _numeric(data: pd.DataFrame, column: str, *, allow_missing: bool) -> pd.Series:
    raw = data[column]
    text = raw.astype("string").str.strip().replace("", pd.NA)
    values = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    bad = text.notna() & values.isna()
    if bad.any():
        example = str(text[bad].iloc[0])
        raise AnalysisError(f"De kolom '{column}' moet getallen bevatten; '{example}' is geen getal.", column)
    if not allow_missing and values.isna().any():
        raise AnalysisError(f"De kolom '{column}' heeft lege cellen.", column)
    return values.astype(float)


def _labels(data: pd.DataFrame, column: str) -> pd.Series:
    labels = data[column].astype("string").str.strip()
    if labels.isna().any() or (labels == "").any():
        raise AnalysisError(f"De kolom '{column}' heeft lege cellen.", column)
    return labels.astype(str)


def check(data: pd.DataFrame, spec: Spec) -> dict[str, pd.Series]:
    """Raise AnalysisError for input the analysis cannot use; else the columns, converted once."""
    if spec.se not in SE_CHOICES:
        raise AnalysisError(f"Onbekende standaardfout '{spec.se}': kies hc2, classical of cluster.", "se")
    if spec.se == "cluster" and not spec.cluster:
        raise AnalysisError(
            "Clustergevoelige standaardfouten vragen een clusterkolom (--cluster).", "cluster"
        )
    if not spec.outcomes:
        raise AnalysisError("Geef minstens één uitkomstkolom.", "outcome")
    for column in (spec.arm, *spec.outcomes, *spec.covariates, spec.strata, spec.cluster):
        if column:
            _require_column(data, column)
    columns: dict[str, pd.Series] = {spec.arm: _labels(data, spec.arm)}
    values = set(columns[spec.arm])
    if len(values) < 2:
        raise AnalysisError(
            f"De kolom '{spec.arm}' heeft maar één waarde; een experiment vergelijkt minstens twee groepen.",
            spec.arm,
        )
    if spec.control not in values:
        raise AnalysisError(
            f"De controlegroep '{spec.control}' komt niet voor in de kolom '{spec.arm}'.", spec.arm
        )
    for outcome in spec.outcomes:
        columns[outcome] = _numeric(data, outcome, allow_missing=True)
    for covariate in spec.covariates:
        columns[covariate] = _numeric(data, covariate, allow_missing=False)
    for column in (spec.strata, spec.cluster):
        if column:
            columns[column] = _labels(data, column)
    return columns


# --- estimation --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    y: np.ndarray
    arm: np.ndarray  # arm labels
    covariates: np.ndarray  # n × k, not centred
    strata: np.ndarray | None
    cluster: np.ndarray | None


def _design(prepared: _Prepared, treated: Sequence[str], arm: np.ndarray) -> np.ndarray:
    """Intercept, one indicator per treated arm, Lin's centred covariates and their interactions, strata."""
    columns = [np.ones(len(arm))]
    indicators = [(arm == name).astype(float) for name in treated]
    columns.extend(indicators)
    if prepared.covariates.shape[1]:
        centred = prepared.covariates - prepared.covariates.mean(axis=0)
        columns.extend(centred.T)
        for indicator in indicators:
            columns.extend((centred * indicator[:, None]).T)
    if prepared.strata is not None:
        levels = np.unique(prepared.strata)
        columns.extend((prepared.strata == level).astype(float) for level in levels[1:])
    return np.column_stack(columns)


def _fit(prepared: _Prepared, treated: Sequence[str], se: SE) -> Any:
    x = _design(prepared, treated, prepared.arm)
    model = sm.OLS(prepared.y, x)
    if se == "classical":
        return model.fit(use_t=True)
    if se == "cluster":
        assert prepared.cluster is not None
        groups = pd.factorize(prepared.cluster)[0]
        return model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    return model.fit(cov_type="HC2", use_t=True)


def _prepare(columns: dict[str, pd.Series], spec: Spec, outcome: str) -> tuple[_Prepared, pd.Series]:
    y = columns[outcome]
    observed = y.notna().to_numpy()
    arms = columns[spec.arm].to_numpy()
    covariates = (
        np.column_stack([columns[c].to_numpy() for c in spec.covariates])
        if spec.covariates
        else np.empty((len(arms), 0))
    )
    prepared = _Prepared(
        y=y.to_numpy()[observed],
        arm=arms[observed],
        covariates=covariates[observed],
        strata=columns[spec.strata].to_numpy()[observed] if spec.strata else None,
        cluster=columns[spec.cluster].to_numpy()[observed] if spec.cluster else None,
    )
    return prepared, y


def _treated_arms(arms: Sequence[str], control: str) -> list[str]:
    return sorted(set(arms) - {control})


def _subset(prepared: _Prepared, keep: np.ndarray) -> _Prepared:
    return _Prepared(
        y=prepared.y[keep],
        arm=prepared.arm[keep],
        covariates=prepared.covariates[keep],
        strata=prepared.strata[keep] if prepared.strata is not None else None,
        cluster=prepared.cluster[keep] if prepared.cluster is not None else None,
    )


def analyse(data: pd.DataFrame, spec: Spec) -> Analysis:
    """Effect of every arm against the control on every outcome, with attrition and Holm-adjusted p-values."""
    columns = check(data, spec)
    all_arms = columns[spec.arm]
    treated = _treated_arms(list(all_arms), spec.control)
    effects: list[ArmEffect] = []
    attrition: list[Attrition] = []
    for outcome in spec.outcomes:
        prepared, y = _prepare(columns, spec, outcome)
        attrition.append(_attrition(outcome, all_arms, y, spec.control, treated))
        for name in treated:
            if not (prepared.arm == name).any() or not (prepared.arm == spec.control).any():
                raise AnalysisError(
                    f"De kolom '{outcome}' heeft geen enkele meting in de groep "
                    f"'{name if not (prepared.arm == name).any() else spec.control}'.",
                    outcome,
                )
        effects.extend(_effects(prepared, spec, outcome, treated))
    adjusted = holm([effect.p for effect in effects])
    effects = [_with_holm(effect, p) for effect, p in zip(effects, adjusted, strict=True)]
    return Analysis(
        spec=spec, effects=tuple(effects), attrition=tuple(attrition), estimator=describe_estimator(spec)
    )


def _effects(prepared: _Prepared, spec: Spec, outcome: str, treated: list[str]) -> list[ArmEffect]:
    result = _fit(prepared, treated, spec.se)
    if not np.all(np.isfinite(result.bse[1 : 1 + len(treated)])) or not np.all(
        result.bse[1 : 1 + len(treated)] > 0
    ):
        raise AnalysisError(
            f"De kolom '{outcome}' heeft te weinig metingen per groep voor een standaardfout.", outcome
        )
    ci = result.conf_int(alpha=ALPHA)
    effects = []
    for index, name in enumerate(treated, start=1):
        p_ri, exact = (None, False)
        if spec.permutations:
            p_ri, exact = randomisation_p(prepared, spec, name)
        effects.append(
            ArmEffect(
                outcome=outcome,
                arm=name,
                effect=float(result.params[index]),
                se=float(result.bse[index]),
                ci_low=float(ci[index][0]),
                ci_high=float(ci[index][1]),
                p=float(result.pvalues[index]),
                n_treated=int((prepared.arm == name).sum()),
                n_control=int((prepared.arm == spec.control).sum()),
                p_randomisation=p_ri,
                randomisation_exact=exact,
            )
        )
    return effects


def effects_of_arrays(
    y: np.ndarray,
    arm: np.ndarray,
    spec: Spec,
    *,
    covariates: np.ndarray | None = None,
    strata: np.ndarray | None = None,
    cluster: np.ndarray | None = None,
) -> list[ArmEffect]:
    """The same estimate from arrays that are already clean (no missing outcome): for simulations, where
    checking and converting a table a thousand times would cost more than the fits."""
    prepared = _Prepared(
        y=np.asarray(y, dtype=float),
        arm=np.asarray(arm),
        covariates=np.empty((len(y), 0)) if covariates is None else np.asarray(covariates, dtype=float),
        strata=strata,
        cluster=cluster,
    )
    return _effects(
        prepared, spec, spec.outcomes[0], _treated_arms(list(np.unique(prepared.arm)), spec.control)
    )


def _with_holm(effect: ArmEffect, p_holm: float) -> ArmEffect:
    return ArmEffect(**{**effect.__dict__, "p_holm": p_holm})


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment over a family of p-values (statsmodels' multipletests)."""
    if len(pvalues) < 2:
        return [float(p) for p in pvalues]  # a family of one needs no correction
    return [float(p) for p in multipletests(list(pvalues), alpha=ALPHA, method="holm")[1]]


def rounded(value: float, digits: int) -> str:
    """A figure rounded for reading, with a decimal point: ``0.125``; never ``-0.000`` for one that rounds to
    zero. The screen (with a comma) and the API (with the point) both show it this way."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def describe_estimator(spec: Spec) -> str:
    parts = ["verschil in gemiddelden (OLS)"]
    if spec.covariates:
        parts.append("Lin-correctie voor " + ", ".join(spec.covariates))
    if spec.strata:
        parts.append(f"vaste effecten per stratum ({spec.strata})")
    parts.append(
        {"hc2": "HC2-standaardfouten", "classical": "klassieke standaardfouten"}.get(
            spec.se, f"clustergevoelige standaardfouten ({spec.cluster})"
        )
    )
    return "; ".join(parts)


# --- attrition and balance ---------------------------------------------------------------------------------


def _attrition(outcome: str, arms: pd.Series, y: pd.Series, control: str, treated: list[str]) -> Attrition:
    missing = y.isna().to_numpy()
    labels = arms.to_numpy()
    rows = tuple(
        ArmAttrition(
            arm=name, assigned=int((labels == name).sum()), missing=int(missing[labels == name].sum())
        )
        for name in [control, *treated]
    )
    if not missing.any() or missing.all():
        return Attrition(outcome=outcome, arms=rows, p_differential=None)
    table = np.array([[arm.missing, arm.assigned - arm.missing] for arm in rows])
    test = Table(table).test_nominal_association()  # Pearson's chi-square: the same attrition in every arm
    return Attrition(outcome=outcome, arms=rows, p_differential=float(test.pvalue))


def _joint_arm_test(values: np.ndarray, labels: np.ndarray, treated: list[str]) -> float:
    """p-value of the Wald test (HC2) that every arm has the same mean of ``values``."""
    x = np.column_stack([np.ones(len(labels)), *[(labels == name).astype(float) for name in treated]])
    result = sm.OLS(values, x).fit(cov_type="HC2")
    restriction = np.eye(x.shape[1])[1:]
    return float(np.asarray(result.wald_test(restriction, scalar=True).pvalue))


@dataclass(frozen=True)
class BalanceRow:
    characteristic: str
    means: dict[str, float]  # per arm
    p: float | None  # test that the arms have the same mean (HC2 Wald); None when it cannot be computed


@dataclass(frozen=True)
class Balance:
    arms: tuple[str, ...]
    counts: dict[str, int]
    rows: tuple[BalanceRow, ...]
    p_joint: dict[str, float | None]  # per treated arm: all characteristics jointly predict nothing


def balance(characteristics: Mapping[str, Sequence[float]], arms: Sequence[str], control: str) -> Balance:
    """Means of baseline characteristics per arm, a test per characteristic, and per treated arm a joint
    Wald test (HC2) of the regression of its indicator on all characteristics, among it and the control."""
    labels = np.asarray(arms, dtype=object)
    treated = _treated_arms(list(arms), control)
    order = (control, *treated)
    rows = []
    for name, values in characteristics.items():
        column = np.asarray(values, dtype=float)
        means = {
            arm: float(column[labels == arm].mean()) if (labels == arm).any() else math.nan for arm in order
        }
        p = _safe(lambda column=column: _joint_arm_test(column, labels, treated))
        rows.append(BalanceRow(characteristic=name, means=means, p=p))
    p_joint: dict[str, float | None] = {}
    varying = [
        np.asarray(v, dtype=float) for v in characteristics.values() if np.ptp(np.asarray(v, dtype=float)) > 0
    ]
    matrix = np.column_stack(varying) if varying else None
    for name in treated:
        keep = (labels == name) | (labels == control)
        if matrix is None:
            p_joint[name] = None
            continue
        indicator = (labels[keep] == name).astype(float)
        x = sm.add_constant(matrix[keep], has_constant="add")
        p_joint[name] = _safe(
            lambda x=x, indicator=indicator: float(
                sm.OLS(indicator, x).fit(cov_type="HC2").f_test(np.eye(x.shape[1])[1:]).pvalue
            )
        )
    counts = {arm: int((labels == arm).sum()) for arm in order}
    return Balance(arms=order, counts=counts, rows=tuple(rows), p_joint=p_joint)


def _safe(compute: Any) -> float | None:
    """A test's p-value, or None when the data cannot give one (a characteristic without variation)."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("error")
            value = float(compute())
    except (ValueError, Warning, np.linalg.LinAlgError, ZeroDivisionError):
        return None
    return value if math.isfinite(value) else None


# --- randomisation inference -------------------------------------------------------------------------------


def _distinct_arrangements(labels: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """Every distinct ordering of a multiset of labels (each once)."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    names = sorted(counts)
    size = len(labels)

    def extend(prefix: list[str]) -> Iterator[tuple[str, ...]]:
        if len(prefix) == size:
            yield tuple(prefix)
            return
        for name in names:
            if counts[name]:
                counts[name] -= 1
                prefix.append(name)
                yield from extend(prefix)
                prefix.pop()
                counts[name] += 1

    yield from extend([])


def _arrangement_count(labels: Sequence[str]) -> int:
    total = math.factorial(len(labels))
    for label in set(labels):
        total //= math.factorial(list(labels).count(label))
    return total


def randomisation_p(prepared: _Prepared, spec: Spec, name: str) -> tuple[float, bool]:
    """Two-sided randomisation p-value of arm ``name`` against the control under the sharp null of no effect.

    The labels are re-drawn the way they were assigned: within strata, and by cluster when there is a cluster
    column. Exact (every distinct assignment once) when their number is at most ``spec.permutations``; else
    ``spec.permutations`` seeded draws plus the observed assignment."""
    keep = (prepared.arm == name) | (prepared.arm == spec.control)
    data = _subset(prepared, keep)
    units = data.cluster if data.cluster is not None else np.arange(len(data.arm)).astype(str)
    unit_ids, unit_index = np.unique(units, return_index=True)
    unit_of_row = np.searchsorted(unit_ids, units)
    unit_arm = data.arm[unit_index]
    unit_stratum = data.strata[unit_index] if data.strata is not None else np.zeros(len(unit_ids)).astype(str)
    groups = [np.flatnonzero(unit_stratum == s) for s in np.unique(unit_stratum)]
    x = _design(data, [name], data.arm)

    def statistic(unit_labels: np.ndarray) -> float:
        arm = unit_labels[unit_of_row]
        design = x.copy()
        design[:, 1] = (arm == name).astype(float)
        if data.covariates.shape[1]:
            k = data.covariates.shape[1]
            centred = design[:, 2 : 2 + k]
            design[:, 2 + k : 2 + 2 * k] = centred * design[:, 1][:, None]
        coefficients, *_ = np.linalg.lstsq(design, data.y, rcond=None)
        return float(coefficients[1])

    observed = abs(statistic(unit_arm))
    tolerance = 1e-9 * max(1.0, observed)
    total = math.prod(_arrangement_count(list(unit_arm[g])) for g in groups)
    if total <= spec.permutations:
        extreme = 0
        for combination in itertools.product(*[_distinct_arrangements(list(unit_arm[g])) for g in groups]):
            labels = unit_arm.copy()
            for group, arrangement in zip(groups, combination, strict=True):
                labels[group] = arrangement
            extreme += abs(statistic(labels)) >= observed - tolerance
        return extreme / total, True
    rng = np.random.default_rng(spec.seed)
    extreme = 1  # the observed assignment counts as one of the draws
    for _ in range(spec.permutations):
        labels = unit_arm.copy()
        for group in groups:
            labels[group] = rng.permutation(unit_arm[group])
        extreme += abs(statistic(labels)) >= observed - tolerance
    return extreme / (spec.permutations + 1), False


# --- power -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Power:
    """The planning figures for a design with a binary primary outcome (e.g. paid work at 12 months)."""

    baseline: float  # share with the outcome in the control arm
    effect: float  # difference in shares (percentage points / 100), the minimal detectable effect
    alpha: float  # per comparison, after Bonferroni over the treated arms
    power: float
    per_arm: dict[str, int]  # residents needed (or available) per arm
    total: int
    warning: str = ""


def _alpha_per_comparison(alpha: float, treated_arms: int) -> float:
    return alpha / max(1, treated_arms)


def _shares(ratios: dict[str, float]) -> dict[str, float]:
    total = sum(ratios.values())
    return {arm: ratio / total for arm, ratio in ratios.items()}


def required_sample(
    *, baseline: float, effect: float, alpha: float, power: float, ratios: dict[str, float], control: str
) -> Power:
    """Residents needed per arm to detect ``effect`` on a share of ``baseline`` in every comparison with the
    control (two-sided, alpha split over the treated arms), for the allocation ``ratios``."""
    _check_rates(baseline, effect, alpha, power, ratios, control)
    if effect == 0:
        raise AnalysisError("Het kleinste effect dat u wilt kunnen zien is groter dan nul.", "effect")
    treated = [arm for arm in ratios if arm != control]
    size = abs(float(proportion_effectsize(baseline + effect, baseline)))
    per_comparison = _alpha_per_comparison(alpha, len(treated))
    needed_control = 0.0
    for arm in treated:
        ratio = ratios[arm] / ratios[control]
        n_control = NormalIndPower().solve_power(
            effect_size=size, alpha=per_comparison, power=power, ratio=ratio, alternative="two-sided"
        )
        needed_control = max(needed_control, float(n_control))
    per_arm = {arm: math.ceil(needed_control * ratios[arm] / ratios[control] - 1e-9) for arm in ratios}
    return Power(baseline, effect, per_comparison, power, per_arm, sum(per_arm.values()))


def detectable_effect(
    *, baseline: float, available: int, alpha: float, power: float, ratios: dict[str, float], control: str
) -> Power:
    """The smallest rise in the share that ``available`` residents, split by ``ratios``, can detect."""
    _check_rates(baseline, 0.0, alpha, power, ratios, control)
    if available < 2 * len(ratios):
        raise AnalysisError("Te weinig inwoners om een effect te kunnen meten.", "available")
    shares = _shares(ratios)
    per_arm = {arm: int(available * share) for arm, share in shares.items()}
    treated = [arm for arm in ratios if arm != control]
    per_comparison = _alpha_per_comparison(alpha, len(treated))
    worst = 0.0
    for arm in treated:
        size = NormalIndPower().solve_power(
            nobs1=per_arm[control],
            alpha=per_comparison,
            power=power,
            ratio=per_arm[arm] / per_arm[control],
            alternative="two-sided",
        )
        worst = max(worst, float(size))
    # Cohen's h back to a share: h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p0)).
    angle = min(math.pi / 2, worst / 2 + math.asin(math.sqrt(baseline)))
    effect = math.sin(angle) ** 2 - baseline
    return Power(baseline, effect, per_comparison, power, per_arm, sum(per_arm.values()))


def _check_rates(
    baseline: float, effect: float, alpha: float, power: float, ratios: dict[str, float], control: str
) -> None:
    if not 0 < baseline < 1:
        raise AnalysisError("Het uitgangspercentage ligt tussen 0 en 100.", "baseline")
    if not 0 < baseline + effect < 1:
        raise AnalysisError("Uitgangspercentage plus effect ligt tussen 0 en 100.", "effect")
    if not 0 < alpha < 0.5:
        raise AnalysisError("Alfa ligt tussen 0 en 0,5.", "alpha")
    if not 0.5 <= power < 1:
        raise AnalysisError("Het onderscheidend vermogen ligt tussen 50 en 100 procent.", "power")
    if control not in ratios or len(ratios) < 2:
        raise AnalysisError("Een experiment heeft een controlegroep en minstens één andere groep.", "arms")
    if any(ratio <= 0 for ratio in ratios.values()):
        raise AnalysisError("Elke verdeelsleutel is groter dan nul.", "arms")


def too_many_arms(needed: Power, *, eligible: int, consent_rate: float) -> str:
    """A Dutch warning when the eligible residents, at the expected consent rate, cannot fill the arms."""
    expected = math.floor(eligible * consent_rate)
    if expected >= needed.total:
        return ""
    arms = len(needed.per_arm)
    return (
        f"Te veel groepen voor het aantal inwoners: {arms} groepen vragen samen {needed.total} deelnemers, "
        f"maar van de {eligible} inwoners die meedoen mogen, doen er bij {consent_rate:.0%} instemming naar "
        f"verwachting {expected} mee. Kies minder groepen, een groter effect of meer inwoners."
    )
