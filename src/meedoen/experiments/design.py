"""An experiment's design as data: eligibility, arms, strata, outcomes, primary analysis. Pure Python.

The design is what is pre-registered: ``canonical_json`` writes it with sorted keys and no spaces, and
``fingerprint`` is the SHA-256 of those bytes, so the same design always has the same hash, whoever computes
it (``sha256sum`` of the exported JSON gives it too)."""

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from meedoen.errors import RuleError

# The outcomes a design can name, with their measurement moment in months after assignment. Binary outcomes
# (a share) are the ones the power calculation plans for. All but the NOT_MEASURABLE ones can be measured from
# the route and ladder data.
OUTCOMES: dict[str, tuple[str, int, bool]] = {
    "betaald_werk_6": ("Betaald werk na 6 maanden", 6, True),
    "betaald_werk_12": ("Betaald werk na 12 maanden", 12, True),
    "betaald_werk_24": ("Betaald werk na 24 maanden", 24, True),
    "uren_werk_12": ("Uren betaald werk per week na 12 maanden (niet meetbaar)", 12, False),
    "uitstroom_12": ("Uit de bijstand na 12 maanden", 12, True),
    "uitstroom_24": ("Uit de bijstand na 24 maanden", 24, True),
    "trede_12": ("Verandering op de participatieladder na 12 maanden", 12, False),
    "sociale_participatie_12": ("Sociale participatie (trede 3 of hoger) na 12 maanden", 12, True),
}

# Named by older designs, so still read and shown ("niet meetbaar"), but no longer offered: Meedoen records no
# hours of paid work (only hours at a placement), so this outcome can never be measured.
NOT_MEASURABLE = frozenset({"uren_werk_12"})
OFFERED_OUTCOMES = tuple(code for code in OUTCOMES if code not in NOT_MEASURABLE)

# What a stratum is made of; every one is read from the resident file at the moment of randomisation.
STRATA: dict[str, str] = {
    "gemeente": "Gemeente",
    "leeftijdsgroep": "Leeftijdsgroep (tot 27, 27–44, 45 en ouder)",
    "uitkeringsduur": "Duur van de uitkering (tot 1 jaar, 1–3 jaar, langer)",
    "wijk": "Stadsdeel of kern",
}

STANDARD_ERRORS: dict[str, str] = {
    "hc2": "HC2 (robuust, standaard)",
    "classical": "Klassiek (gelijke spreiding)",
    "cluster": "Clustergevoelig (loting per cluster)",
}

# The standard errors a check beside the registered analysis may use: not cluster-robust ones, because Meedoen
# randomises per resident (validate refuses them in a design too).
CHECK_STANDARD_ERRORS = tuple(code for code in STANDARD_ERRORS if code != "cluster")

LEGAL_BASES = ("bijstand", "wmo_begeleiding", "wmo_dagbesteding")
MAX_ARMS = 6
MAX_REVIEW_WEEKS = 26


@dataclass(frozen=True)
class Arm:
    """A group of the experiment and what applies to whoever is randomised into it, while they take part:
    ``exempt_from_obligations`` ("eigen regie": the resident's agreements in the plan are voluntary) and
    ``review_every_weeks`` (more guidance: the route plans a review at least this often)."""

    code: str
    name: str
    ratio: int = 1
    exempt_from_obligations: bool = False
    description: str = ""
    review_every_weeks: int | None = None


# Fields of an arm added after designs were first registered. Left out of the canonical form while unset,
# so a design that does not use them (every design registered before they existed) has the same JSON and
# the same SHA-256 as it always had.
LATER_ARM_FIELDS = ("review_every_weeks",)


@dataclass(frozen=True)
class Eligibility:
    legal_bases: tuple[str, ...] = ("bijstand",)
    min_age: int | None = None
    max_age: int | None = None
    min_months_on_benefit: int | None = None
    areas: tuple[str, ...] = ()  # stadsdeel or kern; empty: the whole municipality
    target_groups: tuple[str, ...] = ()  # codes; empty: everyone


@dataclass(frozen=True)
class Planning:
    """The power calculation's inputs, registered with the design."""

    baseline: float = 0.20  # share with the primary outcome without intervention
    effect: float = 0.05  # the smallest difference worth finding
    alpha: float = 0.05
    power: float = 0.80
    consent_rate: float = 0.15  # Groningen: 890 of 6,551 invited took part


@dataclass(frozen=True)
class Design:
    question: str
    arms: tuple[Arm, ...]
    control: str
    eligibility: Eligibility = field(default_factory=Eligibility)
    strata: tuple[str, ...] = ()
    primary_outcome: str = "betaald_werk_12"
    secondary_outcomes: tuple[str, ...] = ()
    standard_errors: str = "hc2"
    covariates: tuple[str, ...] = ()  # baseline characteristics for Lin's adjustment: age, months on benefit
    planning: Planning = field(default_factory=Planning)
    # A joint experiment: the ids of the municipalities that take part (sorted), written when the design is
    # frozen. Empty for an experiment of one municipality, and then left out of the canonical form, so such a
    # design keeps the SHA-256 it had before joint experiments existed.
    municipalities: tuple[str, ...] = ()

    @property
    def joint(self) -> bool:
        return len(self.municipalities) > 1

    @property
    def ratios(self) -> dict[str, float]:
        return {arm.code: float(arm.ratio) for arm in self.arms}

    def arm(self, code: str) -> Arm:
        return next(arm for arm in self.arms if arm.code == code)

    @property
    def outcomes(self) -> tuple[str, ...]:
        return (self.primary_outcome, *[o for o in self.secondary_outcomes if o != self.primary_outcome])


COVARIATES: dict[str, str] = {"leeftijd": "Leeftijd", "maanden_uitkering": "Maanden met uitkering"}


def validate(design: Design) -> None:
    """Raise RuleError (Dutch, naming the field) for a design that cannot be run."""
    if not design.question.strip():
        raise RuleError("question", "Schrijf de onderzoeksvraag op.")
    codes = [arm.code for arm in design.arms]
    if len(design.arms) < 2:
        raise RuleError(
            "arms", "Een experiment heeft minstens twee groepen: een controlegroep en een andere."
        )
    if len(design.arms) > MAX_ARMS:
        raise RuleError("arms", f"Een experiment heeft hoogstens {MAX_ARMS} groepen.")
    if len(set(codes)) != len(codes):
        raise RuleError("arms", "Twee groepen hebben dezelfde naam.")
    if design.control not in codes:
        raise RuleError("control", "Kies welke groep de controlegroep is.")
    if any(arm.ratio < 1 or arm.ratio > 10 for arm in design.arms):
        raise RuleError("arms", "De verdeelsleutel van een groep is een heel getal van 1 tot en met 10.")
    if design.arm(design.control).exempt_from_obligations:
        raise RuleError(
            "arms", "De controlegroep houdt de gewone regels; vrijstelling kan alleen in een andere groep."
        )
    if design.arm(design.control).review_every_weeks is not None:
        raise RuleError(
            "arms",
            "De controlegroep houdt de gewone regels; meer besprekingen kan alleen in een andere groep.",
        )
    if any(
        arm.review_every_weeks is not None and not 1 <= arm.review_every_weeks <= MAX_REVIEW_WEEKS
        for arm in design.arms
    ):
        raise RuleError(
            "arms", f"Een bespreking elke zoveel weken: kies 1 tot en met {MAX_REVIEW_WEEKS} weken."
        )
    unknown = [s for s in design.strata if s not in STRATA]
    if unknown:
        raise RuleError("strata", f"Onbekend stratum: {unknown[0]}.")
    for outcome in design.outcomes:
        if outcome not in OUTCOMES:
            raise RuleError("primary_outcome", f"Onbekende uitkomst: {outcome}.")
        if outcome in NOT_MEASURABLE:
            field = "primary_outcome" if outcome == design.primary_outcome else "secondary_outcomes"
            raise RuleError(
                field, "Gewerkte uren worden in Meedoen niet vastgelegd: kies een andere uitkomst."
            )
    if design.standard_errors not in STANDARD_ERRORS:
        raise RuleError("standard_errors", "Kies de standaardfouten van de hoofdanalyse.")
    if design.standard_errors == "cluster":
        raise RuleError(
            "standard_errors",
            "Meedoen loot per inwoner; clustergevoelige standaardfouten horen bij loting per cluster "
            "(gebruik daarvoor meedoen experiment analyse).",
        )
    rules = design.eligibility
    if rules.min_age is not None and rules.max_age is not None and rules.min_age > rules.max_age:
        raise RuleError("max_age", "De minimumleeftijd is hoger dan de maximumleeftijd.")
    if not rules.legal_bases or any(kind not in LEGAL_BASES for kind in rules.legal_bases):
        raise RuleError("legal_bases", "Kies minstens één grondslag.")


# --- canonical form and fingerprint ------------------------------------------------------------------------


def as_data(design: Design) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(asdict(design)))  # tuples become lists, as read back
    for arm in data["arms"]:
        for name in LATER_ARM_FIELDS:
            if arm.get(name) is None:
                del arm[name]
    if len(data["municipalities"]) < 2:  # one municipality: the key is left out, the hash stays as it was
        del data["municipalities"]
    return data


def from_data(data: dict[str, Any]) -> Design:
    eligibility = data.get("eligibility", {})
    return Design(
        question=data["question"],
        arms=tuple(Arm(**arm) for arm in data["arms"]),
        control=data["control"],
        eligibility=Eligibility(
            legal_bases=tuple(eligibility.get("legal_bases", ("bijstand",))),
            min_age=eligibility.get("min_age"),
            max_age=eligibility.get("max_age"),
            min_months_on_benefit=eligibility.get("min_months_on_benefit"),
            areas=tuple(eligibility.get("areas", ())),
            target_groups=tuple(eligibility.get("target_groups", ())),
        ),
        strata=tuple(data.get("strata", ())),
        primary_outcome=data.get("primary_outcome", "betaald_werk_12"),
        secondary_outcomes=tuple(data.get("secondary_outcomes", ())),
        standard_errors=data.get("standard_errors", "hc2"),
        covariates=tuple(data.get("covariates", ())),
        planning=Planning(**data.get("planning", {})),
        municipalities=tuple(data.get("municipalities", ())),
    )


def joined(plan: Design, municipality_ids: list[str]) -> Design:
    """The design as frozen for these municipalities: with more than one, the design names them (sorted) and
    the randomisation is stratified by municipality (the stratum ``gemeente`` first), so each municipality has
    its own balanced sequence and the analysis its fixed effect. With one, the design is unchanged."""
    if len(set(municipality_ids)) < 2:
        return replace(plan, municipalities=())
    strata = plan.strata if "gemeente" in plan.strata else ("gemeente", *plan.strata)
    return replace(plan, municipalities=tuple(sorted(set(municipality_ids))), strata=strata)


def canonical_json(data: dict[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 as is: one text for one design."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def fingerprint(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def registration(design: Design, *, title: str, version: int, registered_on: dt.date) -> dict[str, Any]:
    """What is hashed at pre-registration and at every amendment: the design with its title and version."""
    return {
        "title": title,
        "version": version,
        "registered_on": registered_on.isoformat(),
        "design": as_data(design),
    }


# --- residents: eligibility and stratum --------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentFacts:
    """What the design reads from a resident file at the moment of recruitment or randomisation."""

    age: int
    legal_bases: frozenset[str]  # kinds running today
    months_on_benefit: int  # of the longest running benefit
    area: str
    target_groups: frozenset[str]
    municipality: str


def reasons_not_eligible(facts: ResidentFacts, rules: Eligibility) -> list[str]:
    """Why a resident falls outside the rules (Dutch); empty when eligible."""
    reasons = []
    if not facts.legal_bases & set(rules.legal_bases):
        reasons.append("geen lopende grondslag die meedoet")
    if rules.min_age is not None and facts.age < rules.min_age:
        reasons.append(f"jonger dan {rules.min_age}")
    if rules.max_age is not None and facts.age > rules.max_age:
        reasons.append(f"ouder dan {rules.max_age}")
    if rules.min_months_on_benefit is not None and facts.months_on_benefit < rules.min_months_on_benefit:
        reasons.append(f"korter dan {rules.min_months_on_benefit} maanden een uitkering")
    if rules.areas and facts.area not in rules.areas:
        reasons.append("woont buiten de gekozen stadsdelen of kernen")
    if rules.target_groups and not facts.target_groups & set(rules.target_groups):
        reasons.append("hoort niet bij een gekozen groep")
    return reasons


def age_group(age: int) -> str:
    return "tot 27" if age < 27 else "27–44" if age < 45 else "45+"


def duration_group(months: int) -> str:
    return "tot 1 jaar" if months < 12 else "1–3 jaar" if months < 36 else "langer dan 3 jaar"


def stratum_of(facts: ResidentFacts, strata: tuple[str, ...]) -> str:
    """The resident's stratum as a readable key, e.g. "leeftijdsgroep=45+|uitkeringsduur=1–3 jaar"."""
    values = {
        "gemeente": facts.municipality,
        "leeftijdsgroep": age_group(facts.age),
        "uitkeringsduur": duration_group(facts.months_on_benefit),
        "wijk": facts.area,
    }
    return "|".join(f"{name}={values[name]}" for name in strata) or "alle"


def months_between(start: dt.date, end: dt.date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day))


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_registered_analysis(design: Design, standard_errors: str, randomisation: bool) -> bool:
    """Whether an analysis with these choices is the registered primary analysis, or a check beside it."""
    return standard_errors == design.standard_errors and not randomisation
