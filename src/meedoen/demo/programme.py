"""The demo municipality's programme: Apeldoorn's central goal, a programme team from several departments,
the nine budget projects described (owner, goal, period, target groups, providers and placements), a few
residents put in the regelluwe-bijstand experiment by explicit choice, the default indicators with targets,
and the rollup of the last twelve months (computed here, as the background job would). Deterministic for a
given seed and day; skipped when the programme exists."""

import datetime as dt
import random

from meedoen.accounts.models import User
from meedoen.budgets.models import Project
from meedoen.catalogue.models import Contract, Placement
from meedoen.catalogue.rules import add_months
from meedoen.municipalities.models import Municipality, TargetGroup
from meedoen.programmes import rollup
from meedoen.programmes.actions import do_ensure_indicators
from meedoen.programmes.models import (
    Indicator,
    Programme,
    ProjectMember,
    ProjectProfile,
    Target,
    TeamMember,
)
from meedoen.residents.models import Resident

GOAL = "Iedereen doet mee naar vermogen én krijgt de kans om mee te kunnen doen."

TEAM = [
    ("Marieke Dijkstra", "Werk en Inkomen", "Programmamanager"),
    ("Hasan Yilmaz", "Maatschappelijke Ondersteuning (Wmo)", "Kwartiermaker Wmo"),
    ("Ellen de Graaf", "Werkleerbedrijf", "Teamleider leerwerken"),
    ("Jeroen Bos", "Financiën en Control", "Controller van het programma"),
    ("Sanne Kuipers", "Beleid Sociaal Domein", "Beleidsadviseur en monitoring"),
]

# project code -> (owner, goal, target group codes, placement kinds whose placements it involves)
PROFILES = {
    "45-plus": (
        "Ruud van Dam",
        "Werkzoekenden van 45+ vinden werk dat bij hun ervaring past.",
        ["45-plus"],
        [],
    ),
    "statushouders": (
        "Fatima El Idrissi",
        "Statushouders leren de taal in de praktijk en zetten een stap naar werk.",
        ["statushouder"],
        [],
    ),
    "psychische-kwetsbaarheid": (
        "Linda Postma",
        "Inwoners met een psychische kwetsbaarheid vinden een plek waar ze op hun tempo groeien.",
        ["psychische-kwetsbaarheid"],
        [],
    ),
    "keten-activerend-werk": (
        "Hasan Yilmaz",
        "Eén keten van arbeidsmatige dagbesteding en activerend werk: van Wmo naar werk zonder drempel.",
        [],
        ["dagbesteding", "activerend_werk"],
    ),
    "leerwerken": (
        "Ellen de Graaf",
        "Leerwerkplekken met een erkend praktijkcertificaat bij het werkleerbedrijf.",
        [],
        ["leerwerkplek"],
    ),
    "talentplekken": ("Tom Hendriks", "Inwoners ontdekken hun talent op een talentplek.", [], ["talentplek"]),
    "regelluwe-bijstand": (
        "Sanne Kuipers",
        "Onderzoeken of minder regels en meer vertrouwen tot meer meedoen leiden.",
        [],
        [],
    ),
    "jongeren": (
        "Priya Ramdin",
        "Jongeren uit het VSO en PrO krijgen na school meteen een plek of baan.",
        ["jongere-vso-pro"],
        [],
    ),
    "werkgevers": (
        "Kees Mulder",
        "Werkgevers uit de stad bieden werkervaringsplekken en banen.",
        [],
        ["werkervaringsplek", "betaalde_baan"],
    ),
}

# indicator code -> target per month (a count) or for the month's state
TARGETS = {
    "in-programma": "1000",
    "trede-omhoog": "30",
    "uitstroom-werk": "8",
    "werk-6-maanden": "75",
    "werk-12-maanden": "65",
    "stap-terug": "10",
    "wachttijd": "45",
    "bezetting": "80",
    "budgetgebruik": "75",
}
EXPERIMENT_MEMBERS = 40
ROLLUP_MONTHS = 12


def build_programme(
    municipality: Municipality, today: dt.date, rng: random.Random, *, rollup_months: int = ROLLUP_MONTHS
) -> int:
    """Build the programme of ``municipality`` and roll up its last ``rollup_months`` months; returns the
    number of months rolled up (0: the programme existed)."""
    if Programme.objects.filter(municipality=municipality).exists():
        return 0
    manager = (
        User.objects.filter(
            memberships__municipality=municipality, memberships__role="programmamanager"
        ).first()
        or User.objects.filter(memberships__municipality=municipality).order_by("date_joined").first()
    )
    assert manager is not None, "the demo municipality has staff"
    start = dt.date(today.year - 1, 1, 1)
    programme = Programme.objects.create(
        municipality=municipality,
        name=f"Meedoen {municipality.name}",
        goal=GOAL,
        starts_on=start,
        ends_on=dt.date(today.year + 2, 12, 31),
        updated_by=manager,
    )
    TeamMember.objects.bulk_create(
        TeamMember(programme=programme, name=name, department=department, task=task)
        for name, department, task in TEAM
    )
    groups = {g.code: g for g in TargetGroup.objects.filter(municipality=municipality)}
    contracted = Contract.objects.filter(municipality=municipality).values("provider_id")
    placements = list(Placement.objects.filter(provider_id__in=contracted).order_by("title"))
    for project in Project.objects.filter(municipality=municipality):
        if project.code not in PROFILES:
            continue
        owner, goal, group_codes, kinds = PROFILES[project.code]
        profile = ProjectProfile.objects.create(
            project=project, programme=programme, owner=owner, goal=goal, starts_on=start
        )
        profile.target_groups.set([groups[code] for code in group_codes if code in groups])
        profile.placements.set([p for p in placements if p.kind in kinds])
        if project.code == "regelluwe-bijstand":
            candidates = list(
                Resident.objects.filter(municipality=municipality, legal_bases__kind="bijstand")
                .order_by("pk")
                .values_list("pk", flat=True)[:400]
            )
            chosen = rng.sample(candidates, min(EXPERIMENT_MEMBERS, len(candidates)))
            ProjectMember.objects.bulk_create(
                ProjectMember(
                    municipality=municipality,
                    project=project,
                    resident_id=pk,
                    since=dt.date(today.year, 1, 1),
                    reason="Loting voor het experiment regelluwe bijstand",
                    added_by=manager,
                )
                for pk in chosen
            )
    do_ensure_indicators(municipality)
    for indicator in Indicator.objects.filter(municipality=municipality, code__in=TARGETS):
        Target.objects.create(
            indicator=indicator,
            starts_on=dt.date(today.year - 1, 1, 1),
            ends_on=dt.date(today.year, 12, 1),
            value=TARGETS[indicator.code],
        )
    this_month = today.replace(day=1)
    months = [add_months(this_month, -i) for i in range(rollup_months - 1, -1, -1)]
    for month in months:
        rollup.build_month(municipality.pk, month, today=today)
    return len(months)
