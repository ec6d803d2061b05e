"""What a step towards paid work does to a resident's income, month by month: the bijstandsnorm, the income
from work, what is disregarded (inkomstenvrijlating) and what is left of the benefit. Pure Python, no Django.

The norms and rules are dated reference data (``Reference``), never constants here: a month uses the entries
in force on its first day, so a period across 1 July uses both the January and the July figures. An entry
without an amount (a figure that was not found in the official publication) makes the month it governs
incomplete, said in so many words, instead of borrowing another date's figure.

Without a net wage from the payslip, the net wage is an estimate from the gross wage: the loonheffing
(belasting and premie volksverzekeringen, below the AOW age) of the year's brackets, less the algemene
heffingskorting and the arbeidskorting, on the monthly gross × 12 (holiday pay not included), never below
zero. The tax figures are dated reference data like the norms.

Money is ``Decimal`` throughout and rounded to whole cents, half up, as the normenbrief and the Staatscourant
round. Each figure comes with one Dutch sentence (``Say``: a catalogue text and its values, translated and
formatted by ``switching.labels``)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from meedoen.errors import RuleError

CENT = Decimal("0.01")
MONTHS_SHOWN = 12
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
MAX_HOURS = Decimal(60)
# The AOW age (art. 7a AOW) is 67 in 2026 and 2027. A resident of that age or older gets the AOW norms.
AOW_AGE = 67
ADULT_WAGE_AGE = 21  # the minimum wage for 21 and older; 18, 19 and 20 have their own (youth) minimum

ALONE = "alleenstaande"
SINGLE_PARENT = "alleenstaande_ouder"
COUPLE = "gehuwden"
COUPLE_WITH_CHILDREN = "gehuwden_kinderen"
HOUSEHOLDS = (ALONE, SINGLE_PARENT, COUPLE, COUPLE_WITH_CHILDREN)

# Every norm category of art. 20-22 Participatiewet this calculation uses, with its Dutch name.
NORM_CATEGORIES: dict[str, str] = {
    "alleenstaande_18_20": "alleenstaande van 18 tot 21 jaar",
    "alleenstaande_ouder_18_20": "alleenstaande ouder van 18 tot 21 jaar",
    "gehuwden_beiden_18_20": "gehuwden, beiden 18 tot 21 jaar, zonder kinderen",
    "gehuwden_beiden_18_20_kinderen": "gehuwden, beiden 18 tot 21 jaar, met kinderen",
    "gehuwden_een_18_20": "gehuwden, één van beiden 18 tot 21 jaar, zonder kinderen",
    "gehuwden_een_18_20_kinderen": "gehuwden, één van beiden 18 tot 21 jaar, met kinderen",
    "alleenstaande_21_aow": "alleenstaande van 21 jaar tot de AOW-leeftijd",
    "alleenstaande_ouder_21_aow": "alleenstaande ouder van 21 jaar tot de AOW-leeftijd",
    "gehuwden_21_aow": "gehuwden van 21 jaar tot de AOW-leeftijd",
    "alleenstaande_aow": "alleenstaande met de AOW-leeftijd",
    "alleenstaande_ouder_aow": "alleenstaande ouder met de AOW-leeftijd",
    "gehuwden_aow": "gehuwden, één of beiden met de AOW-leeftijd",
}
WAGE_AGES = (18, 19, 20, ADULT_WAGE_AGE)


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Say:
    """One sentence: a Dutch catalogue text with ``%(name)s`` values. A ``Decimal`` value is money, a date is
    shown as dd-mm-jjjj; anything else as text."""

    text: str
    values: dict[str, object] = field(default_factory=dict)


# Reference data, as the database keeps it: one dated figure a row, each key on its own dates (a change of
# "Participatiewet in balans" on a date is an entry of that date). Of one key and date, the last row wins.

EURO, PERCENT, MONTHS, YEARS = "euro", "procent", "maanden", "jaar"

# The loonheffing of a year (Wet op de loonbelasting 1964, Wet inkomstenbelasting 2001: belasting and premie
# volksverzekeringen below the AOW age, the algemene heffingskorting and the arbeidskorting), to estimate the
# net wage. They are set per calendar year, as entries per 1 January; like every figure, an entry stays in
# force until a later one, and the sentence of the estimate says from which date the figures it used are.
TAX_KEYS: dict[str, tuple[str, str]] = {
    "loonheffing.schijf1.tot": (
        "Loonheffing onder de AOW-leeftijd: schijf 1 loopt tot dit loon per jaar",
        EURO,
    ),
    "loonheffing.schijf1.tarief": ("Loonheffing onder de AOW-leeftijd: tarief schijf 1", PERCENT),
    "loonheffing.schijf2.tot": ("Loonheffing: schijf 2 loopt tot dit loon per jaar", EURO),
    "loonheffing.schijf2.tarief": ("Loonheffing: tarief schijf 2", PERCENT),
    "loonheffing.schijf3.tarief": ("Loonheffing: tarief schijf 3 (het loon daarboven)", PERCENT),
    "ahk.maximum": ("Algemene heffingskorting onder de AOW-leeftijd: hoogste bedrag per jaar", EURO),
    "ahk.afbouw_vanaf": ("Algemene heffingskorting: wordt lager boven dit inkomen per jaar", EURO),
    "ahk.afbouw_deel": (
        "Algemene heffingskorting: gaat omlaag met dit deel van het inkomen daarboven",
        PERCENT,
    ),
    "ahk.nihil_vanaf": ("Algemene heffingskorting: nul vanaf dit inkomen per jaar", EURO),
    "arbeidskorting.k1.tot": (
        "Arbeidskorting onder de AOW-leeftijd: schijf 1 loopt tot dit arbeidsinkomen per jaar",
        EURO,
    ),
    "arbeidskorting.k1.deel": ("Arbeidskorting schijf 1: dit deel van het arbeidsinkomen", PERCENT),
    "arbeidskorting.k2.tot": ("Arbeidskorting: schijf 2 loopt tot dit arbeidsinkomen per jaar", EURO),
    "arbeidskorting.k2.basis": ("Arbeidskorting schijf 2: vast bedrag", EURO),
    "arbeidskorting.k2.deel": (
        "Arbeidskorting schijf 2: plus dit deel van het arbeidsinkomen boven schijf 1",
        PERCENT,
    ),
    "arbeidskorting.k3.tot": ("Arbeidskorting: schijf 3 loopt tot dit arbeidsinkomen per jaar", EURO),
    "arbeidskorting.k3.basis": ("Arbeidskorting schijf 3: vast bedrag", EURO),
    "arbeidskorting.k3.deel": (
        "Arbeidskorting schijf 3: plus dit deel van het arbeidsinkomen boven schijf 2",
        PERCENT,
    ),
    "arbeidskorting.k4.tot": ("Arbeidskorting: nul vanaf dit arbeidsinkomen per jaar", EURO),
    "arbeidskorting.k4.basis": ("Arbeidskorting schijf 4: vast bedrag", EURO),
    "arbeidskorting.k4.deel": (
        "Arbeidskorting schijf 4: min dit deel van het arbeidsinkomen boven schijf 3",
        PERCENT,
    ),
}

# key -> (what it is, in Dutch; its unit)
KEYS: dict[str, tuple[str, str]] = {
    **{f"norm.{c}": (f"Bijstandsnorm: {name}", EURO) for c, name in NORM_CATEGORIES.items()},
    "vrijlating.deel": ("Vrijlating inkomsten uit arbeid (art. 31 lid 2 n): deel van het inkomen", PERCENT),
    "vrijlating.maximum": ("Vrijlating inkomsten uit arbeid (art. 31 lid 2 n): maximum per maand", EURO),
    "vrijlating.maanden": ("Vrijlating inkomsten uit arbeid (art. 31 lid 2 n): aantal maanden", MONTHS),
    "vrijlating.minimumleeftijd": (
        "Vrijlating inkomsten uit arbeid (art. 31 lid 2 n): vanaf leeftijd",
        YEARS,
    ),
    "vrijlating.ouder.deel": (
        "Extra vrijlating alleenstaande ouder (art. 31 lid 2 r): deel van het inkomen",
        PERCENT,
    ),
    "vrijlating.ouder.maximum": (
        "Extra vrijlating alleenstaande ouder (art. 31 lid 2 r): maximum per maand",
        EURO,
    ),
    "vrijlating.ouder.maanden": (
        "Extra vrijlating alleenstaande ouder (art. 31 lid 2 r): aantal maanden",
        MONTHS,
    ),
    "vrijlating.ouder.kind_jonger_dan": (
        "Extra vrijlating alleenstaande ouder: jongste kind jonger dan",
        YEARS,
    ),
    "vrijlating.lks.deel": (
        "Vrijlating bij loonkostensubsidie (art. 31 lid 2 z): deel van het inkomen",
        PERCENT,
    ),
    "vrijlating.lks.maximum": (
        "Vrijlating bij loonkostensubsidie (art. 31 lid 2 z): maximum per maand",
        EURO,
    ),
    "minimumloon.uur.21": ("Wettelijk minimumloon per uur, 21 jaar en ouder", EURO),
    "minimumloon.uur.20": ("Wettelijk minimumjeugdloon per uur, 20 jaar", EURO),
    "minimumloon.uur.19": ("Wettelijk minimumjeugdloon per uur, 19 jaar", EURO),
    "minimumloon.uur.18": ("Wettelijk minimumjeugdloon per uur, 18 jaar", EURO),
    **TAX_KEYS,
}


@dataclass(frozen=True)
class Entry:
    key: str
    valid_from: dt.date
    value: Decimal | None  # None: the figure was not found in the publication (the source says where)
    source: str


@dataclass(frozen=True)
class Reference:
    entries: Sequence[Entry]

    def on(self, key: str, day: dt.date) -> Entry | None:
        """The entry of ``key`` in force on ``day``: the latest date on or before it (of a date, the last)."""
        found: Entry | None = None
        for entry in self.entries:
            if (
                entry.key == key
                and entry.valid_from <= day
                and (found is None or entry.valid_from >= found.valid_from)
            ):
                found = entry
        return found


def wage_key(age: int) -> str:
    return f"minimumloon.uur.{min(max(age, 18), ADULT_WAGE_AGE)}"


# The question.


@dataclass(frozen=True)
class Situation:
    household: str
    birth_date: dt.date
    partner_age: int | None = None  # couples: empty means 21 or older, below the AOW age
    youngest_child_age: int | None = None  # single parents: the age of the youngest child at the start


@dataclass(frozen=True)
class ProposedStep:
    starts_on: dt.date
    hours_per_week: Decimal
    hourly_wage: Decimal | None = None  # gross; empty: the minimum wage for the resident's age
    monthly_wage: Decimal | None = None  # gross per month, instead of an hourly wage
    net_monthly: Decimal | None = None  # the net wage per month, when known (the payslip)
    wage_cost_subsidy: bool = False


# The answer.


@dataclass(frozen=True)
class Figure:
    amount: Decimal | None
    say: Say


@dataclass(frozen=True)
class Month:
    month: dt.date
    benefit_before: Figure
    gross_wage: Figure  # the gross wage, when the net wage is estimated from it; otherwise no amount
    work_income: Figure  # net: entered, or estimated from the gross wage
    disregarded: Figure
    benefit_after: Figure
    total: Figure
    difference: Figure
    complete: bool


@dataclass(frozen=True)
class Used:
    """A reference entry the calculation used: what, from which date, the figure, and its source."""

    what: Say
    valid_from: dt.date
    amount: str  # "€ …" is formatted by the page; here the raw figure as text (money or a percentage)
    is_money: bool
    source: str


@dataclass(frozen=True)
class Insight:
    months: list[Month]
    used: list[Used]
    not_included: list[Say]
    missing: list[Say]
    net_is_estimate: bool


NOT_INCLUDED = (
    Say(
        "Toeslagen van de Belastingdienst (huurtoeslag, zorgtoeslag, kindgebonden budget, "
        "kinderopvangtoeslag) zitten niet in deze berekening. Ze kunnen veranderen als het inkomen verandert."
    ),
    Say(
        "Regelingen van de gemeente voor een laag inkomen (bijzondere bijstand, individuele inkomenstoeslag, "
        "kwijtschelding, minimaregelingen) zitten er ook niet in."
    ),
    Say(
        "Het vakantiegeld van de werkgever zit niet in het loon per maand. De bijstandsnormen zijn inclusief "
        "vakantietoeslag."
    ),
    Say(
        "Dit is een berekening om inzicht te geven, geen besluit. Over de uitkering beslist de gemeente, in "
        "het uitkeringssysteem."
    ),
)


# Said as well when the net wage is an estimate (no net wage entered).
NOT_INCLUDED_IN_ESTIMATE = (
    Say(
        "Het nettoloon is geschat met de loonheffing, de algemene heffingskorting en de arbeidskorting. "
        "Pensioenpremie, andere heffingskortingen en de precieze tabellen van de Belastingdienst zitten er "
        "niet in. Het nettoloon op de loonstrook is beter."
    ),
    Say(
        "De loonheffingskorting telt maar bij één uitbetaler. Wie hem al op de uitkering krijgt, krijgt hem "
        "niet ook op het loon: dan is het nettoloon lager dan hier staat. De bijstand vult dan meer aan, "
        "maar er blijft iets minder over."
    ),
)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def norm_category(household: str, age: int, partner_age: int | None) -> str:
    """The norm category of art. 20-22 for a household type and the ages."""
    if household not in HOUSEHOLDS:
        raise RuleError("household", "Kies het soort huishouden.")
    if age < 18:
        raise RuleError(None, "Deze berekening is voor inwoners van 18 jaar en ouder.")
    if household in (ALONE, SINGLE_PARENT):
        group = "aow" if age >= AOW_AGE else "21_aow" if age >= 21 else "18_20"
        return f"{household}_{group}"
    partner = 21 if partner_age is None else partner_age
    if age >= AOW_AGE or partner >= AOW_AGE:
        return "gehuwden_aow"
    young = (age < 21) + (partner < 21)
    if young == 0:
        return "gehuwden_21_aow"
    children = "_kinderen" if household == COUPLE_WITH_CHILDREN else ""
    return f"gehuwden_{'beiden' if young == 2 else 'een'}_18_20{children}"


def check(step: ProposedStep, situation: Situation, reference: Reference) -> None:
    """Refuse what cannot be calculated, at the field it is about (Dutch, for the form)."""
    if step.hours_per_week < 0:
        raise RuleError("hours_per_week", "Het aantal uren kan niet negatief zijn. Vul 0 of meer in.")
    if step.hours_per_week > MAX_HOURS:
        raise RuleError("hours_per_week", "Vul hoogstens 60 uur per week in.")
    for name, value in (
        ("hourly_wage", step.hourly_wage),
        ("monthly_wage", step.monthly_wage),
        ("net_monthly", step.net_monthly),
    ):
        if value is not None and value < 0:
            raise RuleError(name, "Een loon kan niet negatief zijn.")
    if situation.partner_age is not None and not 18 <= situation.partner_age <= 120:
        raise RuleError("partner_age", "Vul een leeftijd van 18 jaar of ouder in.")
    if situation.youngest_child_age is not None and not 0 <= situation.youngest_child_age < 30:
        raise RuleError("youngest_child_age", "Vul de leeftijd van het jongste kind in jaren in (0 of meer).")
    age = age_on(situation.birth_date, add_months(step.starts_on, 0))
    norm_category(situation.household, age, situation.partner_age)
    if step.wage_cost_subsidy or step.hours_per_week == 0:
        return
    hourly = _entered_hourly(step)
    minimum = reference.on(wage_key(age), add_months(step.starts_on, 0))
    if hourly is None or minimum is None or minimum.value is None:
        return
    if cents(hourly) < minimum.value:
        field_name = "hourly_wage" if step.hourly_wage is not None else "monthly_wage"
        raise RuleError(
            field_name,
            f"Dit loon is lager dan het wettelijk minimumloon ({_euro_text(minimum.value)} per uur bij "
            f"{_age_text(age)}). Dat kan alleen met loonkostensubsidie: kies die, of vul een hoger loon in.",
        )


def _euro_text(amount: Decimal) -> str:
    """Money inside a refusal (always Dutch, like every RuleError message): € 14,71."""
    whole, _, fraction = f"{cents(amount):,.2f}".partition(".")
    return f"€ {whole.replace(',', '.')},{fraction}"


def _age_text(age: int) -> str:
    return "21 jaar en ouder" if age >= ADULT_WAGE_AGE else f"{age} jaar"


def _entered_hourly(step: ProposedStep) -> Decimal | None:
    """The gross hourly wage entered, or derived from the monthly wage and the hours."""
    if step.hourly_wage is not None:
        return step.hourly_wage
    if step.monthly_wage is not None and step.hours_per_week > 0:
        return step.monthly_wage / (step.hours_per_week * WEEKS_PER_MONTH)
    return None


def _number_text(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def number_with_unit(value: Decimal, unit: str) -> str:
    """A figure that is not money as the list of norms shows it: "35,75 %", "6 maanden", "27 jaar"."""
    return _number_text(value) + {PERCENT: " %", MONTHS: " maanden", YEARS: " jaar"}.get(unit, "")


class _Month:
    """The working state of one month: the entries it needed, and the first one that was missing."""

    def __init__(self, reference: Reference, day: dt.date, used: dict[tuple[str, dt.date], Used]) -> None:
        self.reference = reference
        self.day = day
        self.used = used
        self.missing: Say | None = None

    def need(self, key: str) -> Decimal | None:
        entry = self.reference.on(key, self.day)
        what, unit = KEYS[key]
        if entry is None or entry.value is None:
            if self.missing is None:
                if entry is None:
                    self.missing = Say(
                        "%(what)s op %(month)s staat niet in Meedoen. Deze maand is niet berekend.",
                        {"what": what, "month": self.day},
                    )
                else:
                    self.missing = Say(
                        "%(what)s per %(since)s is niet gevonden (%(source)s). Deze maand is niet berekend.",
                        {"what": what, "since": entry.valid_from, "source": entry.source},
                    )
            return None
        shown = number_with_unit(entry.value, unit)
        self.used.setdefault(
            (key, entry.valid_from),
            Used(
                Say(what),
                entry.valid_from,
                str(entry.value) if unit == EURO else shown,
                unit == EURO,
                entry.source,
            ),
        )
        return entry.value


def calculate(step: ProposedStep, situation: Situation, reference: Reference) -> Insight:
    """Twelve months from the month of ``step.starts_on``, each with the norms in force that month."""
    check(step, situation, reference)
    first = add_months(step.starts_on, 0)
    used: dict[tuple[str, dt.date], Used] = {}
    missing: dict[str, Say] = {}
    months = []
    for i in range(MONTHS_SHOWN):
        state = _Month(reference, add_months(first, i), used)
        month = _month(i, state, step, situation)
        if state.missing is not None:
            missing.setdefault(state.missing.text + repr(sorted(state.missing.values.items())), state.missing)
            month = _incomplete(state.day, state.missing)
        months.append(month)
    estimate = step.net_monthly is None and step.hours_per_week > 0
    return Insight(
        months=months,
        used=sorted(used.values(), key=lambda u: (u.valid_from, u.what.text)),
        not_included=[*NOT_INCLUDED, *(NOT_INCLUDED_IN_ESTIMATE if estimate else ())],
        missing=list(missing.values()),
        net_is_estimate=estimate,
    )


def _incomplete(month: dt.date, why: Say) -> Month:
    blank = Figure(None, why)
    return Month(month, blank, blank, blank, blank, blank, blank, blank, complete=False)


def _month(index: int, state: _Month, step: ProposedStep, situation: Situation) -> Month:
    month = state.day
    age = age_on(situation.birth_date, month)
    category = norm_category(situation.household, age, situation.partner_age)
    norm = state.need(f"norm.{category}")
    gross, income, income_say = _work_income(state, step, age)
    disregarded, disregard_say = (
        _disregard(index, state, income, age, step, situation) if income is not None else (None, Say(""))
    )
    if norm is None or income is None or disregarded is None:
        return _incomplete(month, state.missing or Say(""))
    counted = income - disregarded
    after = max(Decimal(0), norm - counted)
    total = income + after
    difference = total - norm
    before_say = Say(
        "De bijstandsnorm voor een %(category)s, met vakantietoeslag: zoveel is er zonder deze stap, als er "
        "geen ander inkomen is.",
        {"category": NORM_CATEGORIES[category]},
    )
    if counted <= 0:
        after_say = Say("Er is geen inkomen dat meetelt: de bijstand blijft de hele norm.")
    elif after == 0:
        after_say = Say(
            "Het inkomen dat meetelt (%(counted)s) is hoger dan de norm: er is deze maand geen bijstand meer "
            "nodig.",
            {"counted": counted},
        )
    else:
        after_say = Say(
            "De norm (%(norm)s) min het inkomen dat meetelt: het loon min de vrijlating (%(counted)s).",
            {"norm": norm, "counted": counted},
        )
    if difference > 0:
        difference_say = Say("Zoveel is er deze maand meer dan zonder de stap.")
    elif difference == 0:
        difference_say = Say("Deze maand is er evenveel als zonder de stap.")
    else:
        difference_say = Say("Zoveel is er deze maand minder dan zonder de stap.")
    return Month(
        month=month,
        benefit_before=Figure(norm, before_say),
        gross_wage=gross,
        work_income=Figure(income, income_say),
        disregarded=Figure(disregarded, disregard_say),
        benefit_after=Figure(after, after_say),
        total=Figure(total, Say("Het inkomen uit werk plus de bijstand die overblijft.")),
        difference=Figure(difference, difference_say),
        complete=True,
    )


def _work_income(state: _Month, step: ProposedStep, age: int) -> tuple[Figure, Decimal | None, Say]:
    """The gross wage of one month (when the net wage is estimated from it), the net income from work, and
    how it was reached."""
    none = Figure(None, Say(""))
    hours = step.hours_per_week
    if hours == 0:
        return none, Decimal(0), Say("Geen uren: geen inkomen uit werk.")
    if step.net_monthly is not None:
        return none, cents(step.net_monthly), Say("Het nettoloon per maand dat is ingevuld.")
    gross = _gross_wage(state, step, age)
    if gross.amount is None:
        return none, None, Say("")
    net, net_say = _estimated_net(state, gross.amount)
    return gross, net, net_say


def _gross_wage(state: _Month, step: ProposedStep, age: int) -> Figure:
    """The gross wage of one month: entered, or hours × hourly wage × 52 ÷ 12 (at least the minimum wage
    with wage-cost subsidy)."""
    hours = step.hours_per_week
    needs_minimum = step.wage_cost_subsidy or (step.hourly_wage is None and step.monthly_wage is None)
    minimum = state.need(wage_key(age)) if needs_minimum else None
    if needs_minimum and minimum is None:
        return Figure(None, Say(""))
    values: dict[str, object] = {"hours": _number_text(hours)}
    if step.monthly_wage is not None:
        floor = cents(hours * minimum * WEEKS_PER_MONTH) if minimum is not None else None
        if floor is not None and floor > step.monthly_wage:
            return Figure(
                floor,
                Say(
                    "Met loonkostensubsidie betaalt de werkgever ten minste het minimumloon: %(hours)s uur "
                    "per week × %(wage)s per uur × 52 weken ÷ 12 maanden.",
                    {**values, "wage": minimum},
                ),
            )
        return Figure(cents(step.monthly_wage), Say("Het brutoloon per maand dat is ingevuld."))
    if step.hourly_wage is None:
        assert minimum is not None
        hourly, text = (
            minimum,
            "%(hours)s uur per week × %(wage)s per uur (het minimumloon) × 52 weken ÷ 12 maanden.",
        )
    elif minimum is not None and step.hourly_wage < minimum:
        hourly = minimum
        text = (
            "Met loonkostensubsidie betaalt de werkgever ten minste het minimumloon: %(hours)s uur per week "
            "× %(wage)s per uur × 52 weken ÷ 12 maanden."
        )
    else:
        hourly, text = step.hourly_wage, "%(hours)s uur per week × %(wage)s per uur × 52 weken ÷ 12 maanden."
    return Figure(cents(hours * hourly * WEEKS_PER_MONTH), Say(text, {**values, "wage": hourly}))


@dataclass(frozen=True)
class WageTax:
    """The loonheffing on a monthly gross wage, worked out over a year (the monthly gross × 12)."""

    annual_wage: Decimal
    brackets: int  # the highest bracket the annual wage reaches: 1, 2 or 3
    tax: Decimal  # a year, before the heffingskortingen
    general_credit: Decimal  # algemene heffingskorting, a year
    labour_credit: Decimal  # arbeidskorting, a year
    yearly: Decimal  # tax less the credits, never below zero
    monthly: Decimal  # yearly ÷ 12: what comes off the gross wage each month


def wage_tax(gross_monthly: Decimal, t: dict[str, Decimal]) -> WageTax:
    """The loonheffing below the AOW age, with the algemene heffingskorting and the arbeidskorting applied
    as loonheffingskorting, from the figures of ``TAX_KEYS``. Each amount a year is rounded to the cent."""
    wage = gross_monthly * 12
    first, second = t["loonheffing.schijf1.tot"], t["loonheffing.schijf2.tot"]
    tax = cents(
        (
            min(wage, first) * t["loonheffing.schijf1.tarief"]
            + max(Decimal(0), min(wage, second) - first) * t["loonheffing.schijf2.tarief"]
            + max(Decimal(0), wage - second) * t["loonheffing.schijf3.tarief"]
        )
        / 100
    )
    if wage <= t["ahk.afbouw_vanaf"]:
        general = t["ahk.maximum"]
    elif wage >= t["ahk.nihil_vanaf"]:
        general = Decimal(0)
    else:
        general = t["ahk.maximum"] - (wage - t["ahk.afbouw_vanaf"]) * t["ahk.afbouw_deel"] / 100
    k1, k2, k3, k4 = (t[f"arbeidskorting.k{n}.tot"] for n in (1, 2, 3, 4))
    if wage <= k1:
        labour = wage * t["arbeidskorting.k1.deel"] / 100
    elif wage <= k2:
        labour = t["arbeidskorting.k2.basis"] + (wage - k1) * t["arbeidskorting.k2.deel"] / 100
    elif wage <= k3:
        labour = t["arbeidskorting.k3.basis"] + (wage - k2) * t["arbeidskorting.k3.deel"] / 100
    elif wage < k4:
        labour = t["arbeidskorting.k4.basis"] - (wage - k3) * t["arbeidskorting.k4.deel"] / 100
    else:
        labour = Decimal(0)
    general, labour = max(Decimal(0), cents(general)), max(Decimal(0), cents(labour))
    yearly = max(Decimal(0), tax - general - labour)
    return WageTax(
        annual_wage=wage,
        brackets=1 if wage <= first else 2 if wage <= second else 3,
        tax=tax,
        general_credit=general,
        labour_credit=labour,
        yearly=yearly,
        monthly=cents(yearly / 12),
    )


# The sentence of an estimated net wage, by the highest bracket reached; 0: the credits are more than the tax.
_NET = (
    "Geschat nettoloon: het brutoloon min de loonheffing (de bedragen vanaf %(since)s). Het loon per jaar is "
    "%(annual)s (12 maanden, zonder vakantiegeld). "
)
_CREDITS = (
    " De algemene heffingskorting (%(general)s) en de arbeidskorting (%(labour)s) gaan daarvan af. Er blijft "
    "%(yearly)s loonheffing per jaar over: %(monthly)s per maand."
)
_CHECK = " Dit is een schatting: vul het nettoloon van de loonstrook in als het bekend is."
NET_ESTIMATE = {
    1: f"{_NET}De loonheffing daarover is %(rate1)s %%: %(tax)s.{_CREDITS}{_CHECK}",
    2: (
        f"{_NET}De loonheffing daarover is %(rate1)s %% tot %(limit1)s en %(rate2)s %% daarboven: %(tax)s."
        f"{_CREDITS}{_CHECK}"
    ),
    3: (
        f"{_NET}De loonheffing daarover is %(rate1)s %% tot %(limit1)s, %(rate2)s %% tot %(limit2)s en "
        f"%(rate3)s %% daarboven: %(tax)s.{_CREDITS}{_CHECK}"
    ),
    0: (
        f"{_NET}De loonheffing daarover is %(rate1)s %%: %(tax)s. De algemene heffingskorting (%(general)s) "
        "en de arbeidskorting (%(labour)s) zijn samen hoger. Er gaat dus geen loonheffing af: het nettoloon "
        f"is gelijk aan het brutoloon.{_CHECK}"
    ),
}


def _estimated_net(state: _Month, gross: Decimal) -> tuple[Decimal | None, Say]:
    """The net wage of one month estimated from the gross wage, with the tax figures in force that month."""
    figures = {key: state.need(key) for key in TAX_KEYS}
    known = {key: value for key, value in figures.items() if value is not None}
    if len(known) < len(figures):
        return None, Say("")
    tax = wage_tax(gross, known)
    dates = [entry.valid_from for key in TAX_KEYS if (entry := state.reference.on(key, state.day))]
    values: dict[str, object] = {
        "since": min(dates),
        "annual": tax.annual_wage,
        "rate1": _number_text(known["loonheffing.schijf1.tarief"]),
        "limit1": known["loonheffing.schijf1.tot"],
        "rate2": _number_text(known["loonheffing.schijf2.tarief"]),
        "limit2": known["loonheffing.schijf2.tot"],
        "rate3": _number_text(known["loonheffing.schijf3.tarief"]),
        "tax": tax.tax,
        "general": tax.general_credit,
        "labour": tax.labour_credit,
        "yearly": tax.yearly,
        "monthly": tax.monthly,
    }
    text = NET_ESTIMATE[0 if tax.yearly == 0 and tax.brackets == 1 else tax.brackets]
    used = {name for name in values if f"%({name})s" in text}
    return gross - tax.monthly, Say(text, {name: value for name, value in values.items() if name in used})


def _share(income: Decimal, share: Decimal, maximum: Decimal) -> Decimal:
    return min(cents(income * share / 100), maximum)


def _disregard(
    index: int, state: _Month, income: Decimal, age: int, step: ProposedStep, situation: Situation
) -> tuple[Decimal | None, Say]:
    """What of the income from work is not counted this month (art. 31 lid 2 n, z or r): one of them a month,
    the first that applies."""
    if income == 0:
        return Decimal(0), Say("Zonder inkomen uit werk is er niets vrij te laten.")
    months, min_age = state.need("vrijlating.maanden"), state.need("vrijlating.minimumleeftijd")
    share = state.need("vrijlating.deel")
    if months is None or min_age is None or share is None:
        return None, Say("")
    if index < months and age >= min_age:
        maximum = state.need("vrijlating.maximum")
        if maximum is None:
            return None, Say("")
        return _share(income, share, maximum), Say(
            "Maand %(n)s van %(months)s: %(share)s %% van het inkomen uit werk telt niet mee, met een "
            "maximum van %(max)s per maand (artikel 31, tweede lid, onderdeel n, Participatiewet).",
            {
                "n": str(index + 1),
                "months": _number_text(months),
                "share": _number_text(share),
                "max": maximum,
            },
        )
    if step.wage_cost_subsidy:
        lks_share, lks_max = state.need("vrijlating.lks.deel"), state.need("vrijlating.lks.maximum")
        if lks_share is None or lks_max is None:
            return None, Say("")
        return _share(income, lks_share, lks_max), Say(
            "Werk met loonkostensubsidie: %(share)s %% van het inkomen uit werk telt niet mee, met een "
            "maximum van %(max)s per maand (artikel 31, tweede lid, onderdeel z, Participatiewet).",
            {"share": _number_text(lks_share), "max": lks_max},
        )
    child = situation.youngest_child_age
    if situation.household == SINGLE_PARENT and child is not None:
        under = state.need("vrijlating.ouder.kind_jonger_dan")
        parent_months = state.need("vrijlating.ouder.maanden")
        if under is None or parent_months is None:
            return None, Say("")
        if child < under and months <= index < months + parent_months:
            parent_share, parent_max = (
                state.need("vrijlating.ouder.deel"),
                state.need("vrijlating.ouder.maximum"),
            )
            if parent_share is None or parent_max is None:
                return None, Say("")
            return _share(income, parent_share, parent_max), Say(
                "Alleenstaande ouder met een kind jonger dan %(child)s jaar, na de eerste %(months)s "
                "maanden: %(share)s %% telt niet mee, met een maximum van %(max)s per maand, hoogstens "
                "%(parent_months)s maanden (artikel 31, tweede lid, onderdeel r, Participatiewet).",
                {"child": _number_text(under), "months": _number_text(months),
                 "share": _number_text(parent_share),
                 "max": parent_max, "parent_months": _number_text(parent_months)},
            )  # fmt: skip
    if age < min_age:
        return Decimal(0), Say(
            "Jonger dan %(age)s jaar: de vrijlating van %(share)s %% geldt niet. Het hele loon telt mee.",
            {"age": _number_text(min_age), "share": _number_text(share)},
        )
    if situation.household == SINGLE_PARENT and child is None:
        return Decimal(0), Say(
            "De eerste %(months)s maanden zijn voorbij. De extra vrijlating voor een alleenstaande ouder "
            "geldt alleen met een jong kind: vul de leeftijd van het jongste kind in.",
            {"months": _number_text(months)},
        )
    return Decimal(0), Say(
        "De vrijlating geldt de eerste %(months)s maanden; die zijn voorbij. Het hele loon telt mee.",
        {"months": _number_text(months)},
    )


def totals(months: Iterable[Month]) -> dict[str, Decimal]:
    """The sums over the complete months (a year's view)."""
    keys = ("benefit_before", "work_income", "disregarded", "benefit_after", "total", "difference")
    sums = dict.fromkeys(keys, Decimal(0))
    for month in months:
        if month.complete:
            for key in keys:
                amount = getattr(month, key).amount
                sums[key] += amount if amount is not None else Decimal(0)
    return sums


def parse_reference_csv(lines: Iterable[str]) -> list[Entry]:
    """The rows of a reference file (``sleutel,geldig_vanaf,waarde,bron``): an empty value is a figure that
    was not found; an unknown key, a bad date or a bad number is refused with its line number."""
    import csv

    entries = []
    reader = csv.DictReader(lines)
    for number, row in enumerate(reader, start=2):
        key = (row.get("sleutel") or "").strip()
        if key not in KEYS:
            raise RuleError(None, f"Regel {number}: onbekende sleutel {key!r}.")
        try:
            valid_from = dt.date.fromisoformat((row.get("geldig_vanaf") or "").strip())
        except ValueError:
            raise RuleError(None, f"Regel {number}: de datum moet JJJJ-MM-DD zijn.") from None
        raw = (row.get("waarde") or "").strip()
        try:
            value = Decimal(raw) if raw else None
        except ArithmeticError:
            raise RuleError(None, f"Regel {number}: {raw!r} is geen getal.") from None
        source = (row.get("bron") or "").strip()
        if not source:
            raise RuleError(None, f"Regel {number}: de bron ontbreekt.")
        entries.append(Entry(key, valid_from, value, source))
    return entries
