"""The demo offer: fictional providers and placements of a Dutch municipality. Pure Python, no Django import.

Every name is made up; kinds, hours, prices and mixes are plausible for a municipal participation programme.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

PROVIDERS = [
    ("Werkleerbedrijf De Brug", "werkleerbedrijf"),
    ("Stichting Groen Doen", "cmo"),
    ("Kringloop De Cirkel", "lokaal"),
    ("Zorgboerderij Het Klaverblad", "lokaal"),
    ("Buurthuis De Schakel", "cmo"),
    ("Leerwerkplaats Smaakmakers", "werkleerbedrijf"),
    ("Fietsenwerkplaats Op Weg", "lokaal"),
    ("Technisch Leerbedrijf Vakwerk", "werkleerbedrijf"),
    ("Dierenweide De Kikker", "cmo"),
    ("Vrijwilligerscentrale Samen", "cmo"),
    ("Bakkerij Brood en Meer", "werkgever"),
    ("Schoonmaakbedrijf Glans", "werkgever"),
    ("Logistiek Centrum Oost", "werkgever"),
    ("Atelier Kleur", "lokaal"),
]


@dataclass(frozen=True)
class PlacementTemplate:
    title: str
    kind: str
    tags: tuple[str, ...]
    workload: str
    demands: tuple[str, ...]
    funding: str
    description: str
    learning: str
    dutch_level: str = ""


TEMPLATES = [
    PlacementTemplate(
        "Tuinploeg",
        "activerend_werk",
        ("groen",),
        "laag",
        ("buiten",),
        "beide",
        "Met een kleine ploeg houdt u tuinen en plantsoenen in de wijk netjes. Een begeleider werkt mee.",
        "Samenwerken, op tijd komen, werken met gereedschap.",
    ),
    PlacementTemplate(
        "Moestuin",
        "dagbesteding",
        ("groen", "koken"),
        "laag",
        ("buiten",),
        "wmo",
        "Zaaien, wieden en oogsten in een rustige moestuin. De groente gaat naar de buurtkeuken.",
        "Ritme in de week, zorgen voor planten.",
    ),
    PlacementTemplate(
        "Kringloopwinkel",
        "werkervaringsplek",
        ("winkel", "logistiek"),
        "midden",
        ("zwaar_tillen",),
        "participatiewet",
        "Spullen sorteren, prijzen en in de winkel zetten. Klanten helpen bij de kassa.",
        "Klantcontact, kassa, werken in een team.",
        "A2",
    ),
    PlacementTemplate(
        "Dierenverzorging",
        "dagbesteding",
        ("dieren", "groen"),
        "laag",
        ("buiten",),
        "wmo",
        "Dieren voeren, hokken schoonmaken en bezoekers rondleiden op de dierenweide.",
        "Verantwoordelijkheid dragen, vaste taken.",
    ),
    PlacementTemplate(
        "Keuken en bediening",
        "leerwerkplek",
        ("koken",),
        "hoog",
        ("lang_staan", "drukke_omgeving"),
        "participatiewet",
        "Meewerken in een echte lunchroom: groente snijden, broodjes maken en bedienen.",
        "Hygiëne, werken onder tijdsdruk; op weg naar een diploma Zelfstandig werkend kok.",
        "A2",
    ),
    PlacementTemplate(
        "Fietsenwerkplaats",
        "activerend_werk",
        ("fietsen", "techniek"),
        "midden",
        (),
        "beide",
        "Oude fietsen opknappen voor mensen die er zelf geen kunnen kopen.",
        "Techniek, zelfstandig een klus afmaken.",
    ),
    PlacementTemplate(
        "Magazijn en orderpicken",
        "werkervaringsplek",
        ("logistiek",),
        "hoog",
        ("zwaar_tillen", "lang_staan"),
        "participatiewet",
        "Bestellingen verzamelen en klaarzetten in een groot magazijn. Werken met een handscanner.",
        "Heftruckcertificaat mogelijk, werken in ploegen.",
        "A2",
    ),
    PlacementTemplate(
        "Schoonmaakploeg",
        "betaalde_baan",
        ("schoonmaak",),
        "midden",
        ("lang_staan",),
        "participatiewet",
        "Kantoren schoonmaken in een vaste ploeg, met een loonkostensubsidie van de gemeente.",
        "Vaste werktijden, werken met schoonmaakmiddelen.",
    ),
    PlacementTemplate(
        "Administratie en receptie",
        "talentplek",
        ("administratie", "ict"),
        "midden",
        (),
        "participatiewet",
        "Post verwerken, de telefoon opnemen en bezoekers ontvangen in een buurthuis.",
        "Werken met de computer, klantvriendelijk zijn.",
        "B1",
    ),
    PlacementTemplate(
        "Creatief atelier",
        "dagbesteding",
        ("creatief",),
        "laag",
        (),
        "wmo",
        "Schilderen, houtbewerking en textiel in een rustig atelier. Werk wordt verkocht op de markt.",
        "Concentratie, iets afmaken waar u trots op bent.",
    ),
    PlacementTemplate(
        "Bakkerij",
        "leerwerkplek",
        ("koken", "winkel"),
        "hoog",
        ("lang_staan",),
        "participatiewet",
        "Vroeg beginnen: deeg maken, brood bakken en de winkel klaarzetten.",
        "Vakmanschap, op weg naar betaald werk bij de bakker.",
        "A2",
    ),
    PlacementTemplate(
        "Klussenteam",
        "activerend_werk",
        ("bouw", "techniek"),
        "midden",
        ("zwaar_tillen", "buiten"),
        "beide",
        "Kleine klussen in huizen van ouderen en in het buurthuis: schilderen, repareren, opruimen.",
        "Gereedschap gebruiken, netjes werken bij mensen thuis.",
    ),
    PlacementTemplate(
        "Buurtkamer gastvrouw of gastheer",
        "vrijwilligerswerk",
        ("zorg", "koken"),
        "laag",
        (),
        "beide",
        "Koffie schenken en een praatje maken met buurtbewoners in de buurtkamer.",
        "Contact met anderen, Nederlands oefenen.",
    ),
    PlacementTemplate(
        "Sportvereniging",
        "vrijwilligerswerk",
        ("sport",),
        "laag",
        ("buiten",),
        "beide",
        "Helpen bij trainingen en wedstrijden: velden klaarzetten, de kantine draaien.",
        "Samenwerken, afspraken nakomen.",
    ),
    PlacementTemplate(
        "Begeleid werken in de productie",
        "begeleid_werk",
        ("techniek", "logistiek"),
        "midden",
        ("lang_staan",),
        "participatiewet",
        "Eenvoudig productiewerk met een vaste jobcoach in de buurt.",
        "Werkritme opbouwen, naar een vast contract.",
    ),
]

DAY_PATTERNS = [
    ("ma", "di", "do"),
    ("di", "wo", "do"),
    ("ma", "wo", "vr"),
    ("ma", "di", "wo", "do", "vr"),
    ("di", "do"),
]
HOURS = [(9, 13), (9, 15), (8, 12), (13, 17), (9, 16)]
# How each kind of place is priced (the iWmo uitvoeringsvariant), the unit and the range of the price in euro:
# dagbesteding per dagdeel, begeleiding per uur, werkervaring per week, a leerwerktraject as one price per
# route, jobcoaching towards a paid job per month.
PRICING_BY_KIND: dict[str, tuple[str, str, Decimal, Decimal]] = {
    "activerend_werk": ("inspanningsgericht", "week", Decimal(95), Decimal(135)),
    "dagbesteding": ("inspanningsgericht", "dagdeel", Decimal(40), Decimal(60)),
    "leerwerkplek": ("outputgericht", "traject", Decimal(2500), Decimal(4000)),
    "talentplek": ("inspanningsgericht", "dagdeel", Decimal(35), Decimal(50)),
    "werkervaringsplek": ("inspanningsgericht", "week", Decimal(100), Decimal(150)),
    "vrijwilligerswerk": ("inspanningsgericht", "week", Decimal(25), Decimal(45)),
    "begeleid_werk": ("inspanningsgericht", "uur", Decimal(60), Decimal(75)),
    "betaalde_baan": ("outputgericht", "maand", Decimal(350), Decimal(500)),
}
# One provider is on a taakgericht contract: the community organisation that runs the first buurtkamer (the
# buurthuis or the vrijwilligerscentrale) gets a lump sum per year for everyone it serves, so its placements
# have no price of their own.
TASK_TEMPLATE = "Buurtkamer gastvrouw of gastheer"
TASK_BUDGET = Decimal("96000.00")
STEPS = 8  # the price's place in its range, drawn as one of 8 steps


def price_of(kind: str, step: int) -> tuple[str, str, Decimal]:
    """(pricing, unit, price) of a kind of place, ``step`` 0–7 from the low to the high end of its range,
    rounded to 50 cents (to 50 euro for a price per route)."""
    pricing, unit, low, high = PRICING_BY_KIND[kind]
    grain = Decimal(50) if unit == "traject" else Decimal("0.5")
    price = low + (high - low) * step / (STEPS - 1)
    return pricing, unit, ((price / grain).quantize(Decimal(1)) * grain).quantize(Decimal("0.01"))


DECLINE_REASONS = [
    ("vol", 30),
    ("past_niet", 30),
    ("reistijd", 15),
    ("begeleiding", 10),
    ("inwoner_zag_af", 15),
]
REPORTS_WELL = [
    "Komt elke week op tijd en neemt zelf initiatief.",
    "Werkt rustig en nauwkeurig; collega's vragen om hulp.",
    "Durft steeds meer te vragen als iets niet duidelijk is.",
    "Heeft het naar de zin en houdt de afspraken goed vast.",
]
REPORTS_NEXT = [
    "Een dagdeel erbij proberen.",
    "Oefenen met zelfstandig een taak afmaken.",
    "Samen kijken naar een opleiding of certificaat.",
    "Verkennen of een betaalde baan haalbaar is.",
]


# Which providers run which kind of place (indexes into PROVIDERS); the werkleerbedrijf (0) runs many kinds.
PROVIDERS_OF = {
    "Tuinploeg": (0, 1),
    "Moestuin": (1, 3),
    "Kringloopwinkel": (2, 0),
    "Dierenverzorging": (8, 3),
    "Keuken en bediening": (5, 4),
    "Fietsenwerkplaats": (6, 0),
    "Magazijn en orderpicken": (12, 0),
    "Schoonmaakploeg": (11,),
    "Administratie en receptie": (4, 0),
    "Creatief atelier": (13, 4),
    "Bakkerij": (10, 5),
    "Klussenteam": (7, 0),
    "Buurtkamer gastvrouw of gastheer": (4, 9),
    "Sportvereniging": (9,),
    "Begeleid werken in de productie": (0, 7),
}


@dataclass(frozen=True)
class PlannedPlacement:
    provider_index: int
    template: PlacementTemplate
    title: str
    capacity: int
    days: tuple[str, ...]
    start: dt.time
    end: dt.time
    pricing: str
    price_unit: str
    price: Decimal


def plan_placements(rng: random.Random, count: int, providers: int) -> list[PlannedPlacement]:
    """``count`` placements of ``providers`` providers, each kind with a provider that fits it, priced as its
    kind is (``PRICING_BY_KIND``), except the placements of the taakgericht provider (``task_provider``)."""
    drawn = []
    for index in range(count):
        template = TEMPLATES[index % len(TEMPLATES)] if index < len(TEMPLATES) else rng.choice(TEMPLATES)
        provider_index = rng.choice(PROVIDERS_OF[template.title]) % providers
        start_hour, end_hour = rng.choice(HOURS)
        capacity = rng.choice([2, 3, 4, 5, 6, 8, 10, 12])
        days = rng.choice(DAY_PATTERNS)
        drawn.append((template, provider_index, start_hour, end_hour, capacity, days, rng.randrange(STEPS)))
    task = task_provider_of([(template.title, provider) for template, provider, *_rest in drawn])
    planned = []
    for template, provider_index, start_hour, end_hour, capacity, days, step in drawn:
        if provider_index == task:
            pricing, unit, price = "taakgericht", "", Decimal("0.00")
        else:
            pricing, unit, price = price_of(template.kind, step)
        planned.append(
            PlannedPlacement(
                provider_index=provider_index,
                template=template,
                title=template.title,
                capacity=capacity,
                days=days,
                start=dt.time(start_hour),
                end=dt.time(end_hour),
                pricing=pricing,
                price_unit=unit,
                price=price,
            )
        )
    return planned


def task_provider_of(placements: list[tuple[str, int]]) -> int | None:
    """The provider (index) on the taakgericht contract: the one running the first buurtkamer, from
    (title, provider index) pairs in the order they were planned."""
    return next((provider for title, provider in placements if title == TASK_TEMPLATE), None)
