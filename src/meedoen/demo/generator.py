"""The deterministic demo: Apeldoorn, Epe and Oss with districts, staff for every role, and residents.

Idempotent: running it again on a database that has the demo keeps what is there. Labelled synthetic:
every person is fictional, numbers follow published marginals, e-mail addresses are @example.nl.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from meedoen.accounts.models import Membership, User
from meedoen.accounts.policies import Role
from meedoen.municipalities.actions import (
    do_ensure_municipality,
    do_ensure_vocabularies,
    do_sync_districts,
    read_district_csv,
)
from meedoen.municipalities.models import District, InterestTag, Municipality, TargetGroup
from meedoen.residents.models import (
    Consent,
    LadderScore,
    LegalBasis,
    Plan,
    PlanAction,
    Profile,
    Resident,
    TimelineEvent,
)

from .population import FileContent, NamePool, Person, file_content, people

DEMO_PASSWORD = "Meedoen-demo-2026"
MUNICIPALITIES = [("Apeldoorn", "apeldoorn", "0200"), ("Epe", "epe", "0232"), ("Oss", "oss", "0828")]
SIZES: dict[str, dict[str, int]] = {
    "small": {"apeldoorn": 60, "epe": 20, "oss": 30},
    "city": {"apeldoorn": 3000, "epe": 350, "oss": 750},
    "region": {"apeldoorn": 80_000, "epe": 8_000, "oss": 12_000},
}
CASELOAD_WORK = 75  # residents per klantmanager
CASELOAD_CARE = 110  # residents per Wmo-consulent
LOGIN_ROLES = [
    (Role.CASEWORKER_WORK, "km", "Klantmanager"),
    (Role.CASEWORKER_CARE, "wmo", "Wmo-consulent"),
    (Role.PROVIDER, "aanbieder", "Aanbieder"),
    (Role.PROGRAMME_MANAGER, "pm", "Programmamanager"),
    (Role.RESIDENT, "inwoner", "Inwoner"),
    (Role.ADMIN, "beheer", "Functioneel beheerder"),
    (Role.PRIVACY_OFFICER, "fg", "Privacy officer"),
]


@dataclass(frozen=True)
class DemoLogin:
    municipality: str
    role: str
    username: str
    password: str


def district_csv() -> Path:
    configured = getattr(settings, "MEEDOEN_DISTRICTS_CSV", None)
    candidates = [Path(configured)] if configured else []
    candidates += [
        Path(__file__).resolve().parent / "data" / "districts.csv",
        settings.BASE_DIR.parent / "shared" / "data" / "apeldoorn_districts.csv",
    ]
    for path in candidates:
        if path.exists():
            return path
    raise FileNotFoundError("No district reference data found (src/meedoen/demo/data/districts.csv).")


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin(name, role.value, f"{prefix}.{slug}", DEMO_PASSWORD)
        for name, slug, _code in MUNICIPALITIES
        for role, prefix, _label in LOGIN_ROLES
    ]


def is_prepared() -> bool:
    return Resident.objects.filter(municipality__slug="apeldoorn").exists()


def generate(size: str = "city", seed: int = 2017, today: dt.date | None = None) -> dict[str, int]:
    """Build the demo; returns the number of residents per municipality. Skips when the demo is there."""
    if size not in SIZES:
        raise ValueError(f"Unknown size {size!r}; choose from {', '.join(SIZES)}.")
    today = today or timezone.localdate()
    rows = read_district_csv(district_csv())
    password = make_password(DEMO_PASSWORD)  # hash once: hashing is slow on purpose
    pool = NamePool(seed)
    taken: set[str] = set()
    counts: dict[str, int] = {}
    for index, (name, slug, code) in enumerate(MUNICIPALITIES):
        with transaction.atomic():
            municipality = do_ensure_municipality(name=name, slug=slug, cbs_code=code)
            do_sync_districts(municipality, rows)
            do_ensure_vocabularies(municipality)
            if Resident.objects.filter(municipality=municipality).exists():
                counts[slug] = Resident.objects.filter(municipality=municipality).count()
                continue
            count = SIZES[size][slug]
            persons = list(people(seed + index, count, pool, today, taken))
            counts[slug] = _build_municipality(
                municipality, persons, password, random.Random(seed + 100 + index), today
            )
    return counts


def _place(municipality_name: str, district: District | None) -> str:
    """The place name in an address: the village for Apeldoorn's villages and for Epe's and Oss's kernen."""
    if district is None:
        return municipality_name
    if municipality_name == "Apeldoorn":
        return district.name if district.area == "Dorpen" else "Apeldoorn"
    return district.area


def _staff(
    municipality: Municipality, role: Role, username: str, first: str, last: str, password: str
) -> User:
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.nl",
        password=password,
        demo_exempt_from_otp=True,
    )
    user.save()
    Membership.objects.create(user=user, municipality=municipality, role=role)
    return user


def _build_municipality(
    municipality: Municipality, persons: list[Person], password: str, rng: random.Random, today: dt.date
) -> int:
    slug, name = municipality.slug, municipality.name
    districts = list(District.objects.filter(municipality=municipality))
    # Larger, more central districts have more residents in the programme.
    weights = [3 if d.area in ("Centrum", "Zuid", "Oost", "Noord", "Oss") else 1 for d in districts]
    n_work = sum(1 for p in persons if any(b[0] == "participatiewet" for b in p.bases))
    n_care = sum(1 for p in persons if any(b[0] == "wmo" for b in p.bases))
    first_names = ["Anouk", "Bram", "Chantal", "Dennis", "Esra", "Fleur", "Gijs", "Hanna", "Imran", "Joke"]
    last_names = [
        "Visser",
        "Bakker",
        "Jansen",
        "Smit",
        "Meijer",
        "Mulder",
        "Bos",
        "Vos",
        "Peters",
        "Hendriks",
    ]

    def staff_names(i: int) -> tuple[str, str]:
        return first_names[i % len(first_names)], last_names[(i * 3 + len(slug)) % len(last_names)]

    caseworkers_work = [
        _staff(
            municipality,
            Role.CASEWORKER_WORK,
            f"km.{slug}" if i == 0 else f"km{i + 1}.{slug}",
            *staff_names(i),
            password,
        )
        for i in range(max(1, math.ceil(n_work / CASELOAD_WORK)))
    ]
    caseworkers_care = [
        _staff(
            municipality,
            Role.CASEWORKER_CARE,
            f"wmo.{slug}" if i == 0 else f"wmo{i + 1}.{slug}",
            *staff_names(i + 5),
            password,
        )
        for i in range(max(1, math.ceil(n_care / CASELOAD_CARE)))
    ]
    for role, prefix, label in LOGIN_ROLES:
        if role in (Role.CASEWORKER_WORK, Role.CASEWORKER_CARE, Role.RESIDENT):
            continue
        _staff(municipality, role, f"{prefix}.{slug}", label, name, password)

    residents: list[Resident] = []
    bases: list[LegalBasis] = []
    for index, person in enumerate(persons):
        district = rng.choices(districts, weights=weights)[0] if districts else None
        domains = {b[0] for b in person.bases}
        resident = Resident(
            municipality=municipality,
            bsn=person.bsn,
            given_names=person.given_names,
            name_prefix=person.name_prefix,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
            email=person.email,
            phone=person.phone,
            street=person.street,
            postcode=person.postcode,
            city=_place(name, district),
            district=district,
            caseworker_work=caseworkers_work[index % len(caseworkers_work)]
            if "participatiewet" in domains
            else None,
            caseworker_care=caseworkers_care[index % len(caseworkers_care)] if "wmo" in domains else None,
        )
        residents.append(resident)
        for domain, kind, start, end in person.bases:
            bases.append(
                LegalBasis(resident=resident, domain=domain, kind=kind, start_date=start, end_date=end)
            )
    contents = [file_content(rng, person, today) for person in persons]
    now = timezone.now()
    for resident, content in zip(residents, contents, strict=True):
        resident.household = content.household
        resident.languages = content.languages
        resident.dutch_level = content.dutch_level
        resident.last_activity_at = now - dt.timedelta(days=content.last_activity_days_ago)
    Resident.objects.bulk_create(residents, batch_size=2000)
    LegalBasis.objects.bulk_create(bases, batch_size=4000)
    _fill_files(municipality, residents, contents, today)

    # The demo resident login opens a file that both domains work on, with a caseworker on each side.
    both = next((r for r in residents if r.caseworker_work_id and r.caseworker_care_id), residents[0])
    resident_user = User(
        username=f"inwoner.{slug}",
        first_name=both.given_names,
        last_name=" ".join(p for p in (both.name_prefix, both.family_name) if p),
        email=f"inwoner.{slug}@example.nl",
        password=password,
    )
    resident_user.save()
    Membership.objects.create(user=resident_user, municipality=municipality, role=Role.RESIDENT)
    Resident.objects.filter(pk=both.pk).update(user=resident_user)
    return len(residents)


def _at(today: dt.date, days_ago: int, hour: int = 10) -> dt.datetime:
    day = today - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _fill_files(
    municipality: Municipality, residents: list[Resident], contents: list[FileContent], today: dt.date
) -> None:
    """Profiles, plans, ladder histories, timelines and consents for the demo residents, in bulk."""
    groups = {g.code: g for g in TargetGroup.objects.filter(municipality=municipality)}
    tags = {t.code: t for t in InterestTag.objects.filter(municipality=municipality)}
    group_links, interest_links, profiles, plans, plan_actions = [], [], [], [], []
    scores, events, consents = [], [], []
    group_through = Resident.target_groups.through
    interest_through = Profile.interests.through
    for resident, content in zip(residents, contents, strict=True):
        caseworker = resident.caseworker_work or resident.caseworker_care
        group_links += [
            group_through(resident_id=resident.pk, targetgroup_id=groups[c].pk) for c in content.target_groups
        ]
        profiles.append(
            Profile(
                resident=resident,
                talents=content.talents,
                hours_per_week=content.hours_per_week,
                workload=content.workload,
                travel_radius_km=content.travel_radius_km,
                travel_mode=content.travel_mode,
                physical_needs=list(content.physical_needs),
                preferred_days=list(content.preferred_days),
            )
        )
        interest_links += [
            interest_through(profile_id=resident.pk, interesttag_id=tags[c].pk) for c in content.interests
        ]
        plans.append(
            Plan(
                resident=resident,
                goals=content.goals,
                review_on=today + dt.timedelta(days=content.review_in_days),
                updated_by=caseworker,
            )
        )
        for description, owner, due_in, done in content.actions:
            due = today + dt.timedelta(days=due_in)
            plan_actions.append(
                PlanAction(
                    plan_id=resident.pk,
                    description=description,
                    owner=owner,
                    due_on=due,
                    done_on=min(due, today) if done else None,
                )
            )
        first_day = max((days for days, _rung, _why in content.ladder), default=30)
        events.append(
            TimelineEvent(
                resident=resident,
                kind=TimelineEvent.Kind.REGISTRATION,
                occurred_at=_at(today, first_day + 7, 9),
                author=caseworker,
                text="Aangemeld in Meedoen.",
            )
        )
        for days_ago, rung, rationale in content.ladder:
            scores.append(
                LadderScore(
                    resident=resident,
                    rung=rung,
                    scored_on=today - dt.timedelta(days=days_ago),
                    rationale=rationale,
                    scored_by=caseworker,
                )
            )
            events.append(
                TimelineEvent(
                    resident=resident,
                    kind=TimelineEvent.Kind.LADDER,
                    occurred_at=_at(today, days_ago, 11),
                    author=caseworker,
                    text=f"Participatieladder: trede {rung}. {rationale}",
                )
            )
        for days_ago, kind, domain, text in content.notes:
            author = resident.caseworker_care if domain == "wmo" else caseworker
            events.append(
                TimelineEvent(
                    resident=resident,
                    kind=kind,
                    domain=domain,
                    occurred_at=_at(today, days_ago, 14),
                    author=author,
                    text=text,
                )
            )
        for domain in content.consent_to_share:
            consents.append(
                Consent(
                    resident=resident,
                    shared_domain=domain,
                    given_on=today - dt.timedelta(days=first_day),
                    note="Mondeling gegeven in het kennismakingsgesprek.",
                    recorded_by=caseworker,
                )
            )
    group_through.objects.bulk_create(group_links, batch_size=5000)
    Profile.objects.bulk_create(profiles, batch_size=2000)
    interest_through.objects.bulk_create(interest_links, batch_size=5000)
    Plan.objects.bulk_create(plans, batch_size=2000)
    PlanAction.objects.bulk_create(plan_actions, batch_size=5000)
    LadderScore.objects.bulk_create(scores, batch_size=5000)
    TimelineEvent.objects.bulk_create(events, batch_size=5000)
    Consent.objects.bulk_create(consents, batch_size=5000)
