"""Synthetic people for the demo, drawn from published marginals (../shared/data/demo_marginals.md).
Pure Python: deterministic for a given seed, no Django import. All people are fictional."""

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from faker import Faker
from stdnum.nl import bsn as stdnum_bsn

# Welfare stock by age (CBS, end 2025): 42k under 27, 139k 27–45, 229k 45 to AOW age (≈ 67).
WELFARE_AGE_BANDS = [((18, 26), 42), ((27, 44), 139), ((45, 66), 229)]
# Wmo guidance clients are older on average; a flatter spread over adult ages.
WMO_AGE_BANDS = [((18, 26), 15), ((27, 44), 30), ((45, 66), 40), ((67, 85), 15)]
SHARE_WOMEN = 229 / 410
# Mix of legal bases in an integrated programme: work only, care only, both.
BASIS_MIX = [("work", 55), ("care", 30), ("both", 15)]
WMO_KINDS = [("wmo_begeleiding", 70), ("wmo_dagbesteding", 30)]


@dataclass(frozen=True)
class Person:
    bsn: str
    given_names: str
    name_prefix: str
    family_name: str
    date_of_birth: dt.date
    email: str
    phone: str
    street: str
    postcode: str
    bases: tuple[tuple[str, str, dt.date, dt.date | None], ...]  # (domain, kind, start, end)


def valid_bsn(rng: random.Random, taken: set[str]) -> str:
    """A fresh number that passes the 11-proef (elfproef); never a real person's on purpose. python-stdnum
    (the library the forms validate with) gives the check digit: for eight digits plus a 0, its checksum is
    the digit that brings the 11-proef to zero."""
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        if digits[0] == 0:
            continue
        prefix = "".join(map(str, digits))
        check = stdnum_bsn.checksum(prefix + "0")
        if check == 10:
            continue
        number = prefix + str(check)
        if number not in taken:
            taken.add(number)
            return number


T = TypeVar("T")


def _weighted(rng: random.Random, options: Sequence[tuple[T, int]]) -> T:
    values = [value for value, _weight in options]
    return rng.choices(values, weights=[weight for _value, weight in options])[0]


def _birth_date(rng: random.Random, bands: list[tuple[tuple[int, int], int]], today: dt.date) -> dt.date:
    low, high = _weighted(rng, bands)
    age_days = rng.randint(low * 365 + 1, high * 365 + 364)
    return today - dt.timedelta(days=age_days)


class NamePool:
    """Pools of Dutch names and streets from Faker, drawn once: sampling from them is fast at region size."""

    def __init__(self, seed: int, size: int = 1500) -> None:
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        self.women = [fake.first_name_female() for _ in range(size)]
        self.men = [fake.first_name_male() for _ in range(size)]
        self.last_names = [fake.last_name() for _ in range(size * 2)]
        self.streets = [fake.street_name() for _ in range(size)]
        self.postcodes = [fake.postcode() for _ in range(size)]


PREFIXES = ["de", "van", "van der", "van den", "van de", "ten", "ter"]


def people(seed: int, count: int, pool: NamePool, today: dt.date, taken_bsn: set[str]) -> Iterator[Person]:
    rng = random.Random(seed)
    for _ in range(count):
        woman = rng.random() < SHARE_WOMEN
        given = rng.choice(pool.women if woman else pool.men)
        family = rng.choice(pool.last_names)
        prefix = ""
        for candidate in PREFIXES:  # Faker's nl_NL last names carry their prefix; split it off
            if family.lower().startswith(candidate + " "):
                prefix, family = candidate, family[len(candidate) + 1 :]
        mix = _weighted(rng, BASIS_MIX)
        bands = WELFARE_AGE_BANDS if mix != "care" else WMO_AGE_BANDS
        born = _birth_date(rng, bands, today)
        bases: list[tuple[str, str, dt.date, dt.date | None]] = []
        if mix in ("work", "both"):
            # Many long benefits: start up to ten years back, skewed towards recent years.
            start = today - dt.timedelta(days=int(rng.triangular(30, 3650, 400)))
            bases.append(
                ("participatiewet", "bijstand", max(start, born + dt.timedelta(days=18 * 365)), None)
            )
        if mix in ("care", "both"):
            start = today - dt.timedelta(days=int(rng.triangular(30, 2500, 300)))
            kind = _weighted(rng, WMO_KINDS)
            start = max(start, born + dt.timedelta(days=18 * 365))
            # Most provisions run on; some were granted for a fixed period.
            end = None if rng.random() < 0.6 else start + dt.timedelta(days=rng.choice([730, 1095, 1825]))
            bases.append(("wmo", kind, start, end))
        email = ""
        if rng.random() < 0.7:
            email = f"{given.lower()}.{family.lower().replace(' ', '')}{rng.randint(1, 99)}@example.nl"
        yield Person(
            bsn=valid_bsn(rng, taken_bsn),
            given_names=given,
            name_prefix=prefix,
            family_name=family,
            date_of_birth=born,
            email=email,
            phone=f"06{rng.randint(10_000_000, 99_999_999)}",
            street=f"{rng.choice(pool.streets)} {rng.randint(1, 250)}",
            postcode=rng.choice(pool.postcodes),
            bases=tuple(bases),
        )


@dataclass(frozen=True)
class FileContent:
    """The rest of a demo file: situation, profile, plan, ladder history, notes and consent."""

    household: str
    languages: str
    dutch_level: str
    target_groups: tuple[str, ...]
    interests: tuple[str, ...]
    talents: str
    hours_per_week: int
    workload: str
    travel_radius_km: int
    travel_mode: str
    physical_needs: tuple[str, ...]
    preferred_days: tuple[str, ...]
    goals: str
    review_in_days: int
    actions: tuple[tuple[str, str, int, bool], ...]  # description, owner, due in days (may be negative), done
    ladder: tuple[tuple[int, int, str], ...]  # days ago, rung, rationale (oldest first)
    notes: tuple[tuple[int, str, str, str], ...]  # days ago, kind, domain ("" = shared), text
    consent_to_share: tuple[str, ...]  # domains whose section the resident agreed to share
    last_activity_days_ago: int


INTEREST_CODES = [
    "groen",
    "dieren",
    "techniek",
    "koken",
    "zorg",
    "administratie",
    "schoonmaak",
    "logistiek",
    "creatief",
    "winkel",
    "ict",
    "sport",
    "bouw",
    "fietsen",
]
GOALS = [
    "Ik wil weer een ritme in mijn week.",
    "Ik wil iets doen met mijn handen, het liefst buiten.",
    "Ik wil beter Nederlands leren door te werken.",
    "Ik wil mensen ontmoeten en minder alleen thuis zijn.",
    "Ik wil laten zien wat ik kan en later betaald werk vinden.",
    "Ik wil leren omgaan met stress op het werk.",
    "Ik wil een diploma halen, stap voor stap.",
    "Ik wil iets betekenen voor anderen in mijn wijk.",
]
ACTIONS = [
    ("Kennismaken bij een werkplek in de buurt", "inwoner"),
    ("Gesprek plannen met de jobcoach", "begeleider"),
    ("Taalcursus zoeken op niveau A2", "begeleider"),
    ("Fiets laten repareren zodat reizen lukt", "inwoner"),
    ("Proefdag bij de kringloop", "aanbieder"),
    ("Verslag van de eerste maand bespreken", "begeleider"),
]
NOTES = [
    ("contact", "Telefonisch contact: het gaat goed, afspraak over twee weken."),
    ("contact", "Huisbezoek gehad. Inwoner vertelde over wat lukt en wat lastig is."),
    ("notitie", "Afgesproken om eerst een ritme op te bouwen van twee ochtenden per week."),
    ("notitie", "Inwoner gaf aan meer uren te willen proberen."),
    ("contact", "Driegesprek met de werkplek: positief, volgende stap besproken."),
    ("notitie", "Even pauze afgesproken vanwege gezondheid; over een maand weer bellen."),
]
TALENTS = [
    "Handig met gereedschap. Werkte eerder in een magazijn.",
    "Goed met mensen, geduldig. Zorgde jaren voor een familielid.",
    "Kookt graag en veel, ook voor grote groepen.",
    "Nauwkeurig, houdt van orde en administratie.",
    "Creatief: tekent en naait.",
    "Sportief, heeft een rijbewijs B.",
]
RATIONALE = {
    1: "Komt nauwelijks buiten en heeft weinig contact.",
    2: "Heeft wekelijks contact met familie en buren.",
    3: "Gaat elke week naar een cursus of de buurtkamer.",
    4: "Doet vrijwilligerswerk of werkt met behoud van uitkering.",
    5: "Werkt betaald met ondersteuning van een jobcoach.",
    6: "Werkt betaald zonder extra ondersteuning.",
}


def file_content(rng: random.Random, person: Person, today: dt.date) -> FileContent:
    age = (today - person.date_of_birth).days // 365
    domains = {b[0] for b in person.bases}
    groups = []
    if age >= 45:
        groups.append("45-plus")
    statushouder = rng.random() < 0.12
    if statushouder:
        groups.append("statushouder")
    if rng.random() < 0.18:
        groups.append("psychische-kwetsbaarheid")
    if age < 27 and rng.random() < 0.35:
        groups.append("jongere-vso-pro")
    if rng.random() < 0.1:
        groups.append("fysieke-beperking")
    work_start = next((b[2] for b in person.bases if b[0] == "participatiewet"), None)
    if work_start is not None and (today - work_start).days > 3 * 365:
        groups.append("langdurig-bijstand")
    if statushouder:
        languages, level = (
            rng.choice(["Arabisch", "Tigrinya", "Dari", "Turks, Koerdisch"]),
            rng.choice(["A1", "A2", "B1"]),
        )
    else:
        languages, level = "", rng.choice(["moedertaal"] * 8 + ["B2", "B1"])
    # A ladder history over the last two years: mostly upward, with steps back, as routes go.
    rung = _weighted(rng, [(1, 15), (2, 35), (3, 30), (4, 20)])
    ladder = []
    days = rng.randint(500, 730)
    for _ in range(rng.randint(1, 5)):
        ladder.append((days, rung, RATIONALE[rung]))
        days -= rng.randint(60, 200)
        if days < 5:
            break
        rung = max(1, min(6, rung + _weighted(rng, [(-1, 20), (0, 35), (1, 40), (2, 5)])))
    notes = []
    for _ in range(rng.randint(1, 4)):
        kind, text = rng.choice(NOTES)
        domain = rng.choice(sorted(domains)) if rng.random() < 0.4 else ""
        notes.append((rng.randint(1, 400), kind, domain, text))
    physical = []
    if "fysieke-beperking" in groups:
        physical = rng.sample(["geen_zwaar_tillen", "rolstoel", "niet_lang_staan", "toilet_dichtbij"], k=2)
    elif rng.random() < 0.15:
        physical = ["geen_zwaar_tillen"]
    if "psychische-kwetsbaarheid" in groups:
        physical.append("rustige_omgeving")
    consent: tuple[str, ...] = ()
    if len(domains) == 2 and rng.random() < 0.6:
        consent = (
            ("participatiewet", "wmo") if rng.random() < 0.7 else (rng.choice(["participatiewet", "wmo"]),)
        )
    actions = tuple(
        (description, owner, rng.randint(-40, 90), rng.random() < 0.35)
        for description, owner in rng.sample(ACTIONS, k=rng.randint(1, 3))
    )
    return FileContent(
        household=_weighted(
            rng, [("alleenstaand", 45), ("eenouder", 20), ("samen", 15), ("gezin", 15), ("anders", 5)]
        ),
        languages=languages,
        dutch_level=level,
        target_groups=tuple(groups),
        interests=tuple(rng.sample(INTEREST_CODES, k=rng.randint(1, 3))),
        talents=rng.choice(TALENTS),
        hours_per_week=rng.choice([4, 8, 12, 16, 20, 24, 32]),
        workload=_weighted(rng, [("laag", 45), ("midden", 40), ("hoog", 15)]),
        travel_radius_km=rng.choice([2, 3, 5, 8, 10, 15]),
        travel_mode=_weighted(rng, [("fiets", 45), ("ov", 25), ("lopen", 15), ("auto", 15)]),
        physical_needs=tuple(physical),
        preferred_days=tuple(sorted(rng.sample(["ma", "di", "wo", "do", "vr"], k=rng.randint(2, 4)))),
        goals=rng.choice(GOALS),
        review_in_days=rng.randint(-30, 120),
        actions=actions,
        ladder=tuple(ladder),
        notes=tuple(notes),
        consent_to_share=consent,
        last_activity_days_ago=min(n[0] for n in notes),
    )
