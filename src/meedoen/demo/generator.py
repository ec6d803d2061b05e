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
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from meedoen.accounts.models import Membership, User
from meedoen.accounts.password_validation import PUBLISHED_DEMO_PASSWORD
from meedoen.accounts.policies import Role
from meedoen.catalogue.models import (
    Attendance,
    Contract,
    Placement,
    PlacementTag,
    ProgressReport,
    Proposal,
    Provider,
    ProviderStaff,
    Seat,
)
from meedoen.language.actions import do_seed_glossary
from meedoen.letters import rules as letter_rules
from meedoen.letters.actions import do_seed_letter_templates
from meedoen.letters.models import Letter, LetterKind, LetterTemplate
from meedoen.letters.pdf import letter_pdf
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
from meedoen.routes import transitions
from meedoen.routes.models import Review, Route, Step, StepReason

from . import offer
from .budget import build_budget
from .experiment import build_experiment, build_joint_invitation
from .population import FileContent, NamePool, Person, file_content, people
from .portal import build_portal
from .programme import build_programme
from .switching import seed_norms

DEMO_PASSWORD = PUBLISHED_DEMO_PASSWORD
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
    (Role.CONTROLLER, "controller", "Controller"),
    (Role.RESEARCHER, "onderzoek", "Onderzoeker"),
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


class DemoRefused(Exception):
    """Demo data asked for under production settings."""


PRODUCTION_REFUSAL = (
    "Demogegevens horen niet in een productiedatabase: dit draait met productie-instellingen "
    "(MEEDOEN_PRODUCTION). Er is niets geschreven.\n"
    "Demo data does not belong in a production database: these are production settings "
    "(MEEDOEN_PRODUCTION). Nothing was written."
)


def refuse_in_production() -> None:
    """Every demo loader calls this before it writes: the demo accounts share a published password."""
    if settings.MEEDOEN_PRODUCTION:
        raise DemoRefused(PRODUCTION_REFUSAL)


def generate(size: str = "city", seed: int = 2017, today: dt.date | None = None) -> dict[str, int]:
    """Build the demo; returns the number of residents per municipality. Skips when the demo is there.

    Refused (DemoRefused) under production settings."""
    refuse_in_production()
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
            do_seed_glossary(municipality)
            do_seed_letter_templates(municipality)
            if Resident.objects.filter(municipality=municipality).exists():
                counts[slug] = Resident.objects.filter(municipality=municipality).count()
                # A demo made before the budget existed gets its controller and this year's budget.
                _ensure_logins(municipality, password)
                build_budget(municipality, today, random.Random(seed + 200 + index))
                seed_norms(municipality)
                if index == 0:
                    build_experiment(municipality, today, random.Random(seed + 300))
                _analyze_before_rollup()
                build_programme(municipality, today, random.Random(seed + 300 + index))
                build_portal(municipality, today)
                continue
            count = SIZES[size][slug]
            persons = list(people(seed + index, count, pool, today, taken))
            counts[slug] = _build_municipality(
                municipality, persons, password, random.Random(seed + 100 + index), today
            )
            build_budget(municipality, today, random.Random(seed + 200 + index))
            seed_norms(municipality)
            if index == 0:  # the demo municipality runs the regelluwe bijstand experiment
                build_experiment(municipality, today, random.Random(seed + 300))
            _analyze_before_rollup()
            build_programme(municipality, today, random.Random(seed + 300 + index))
            build_portal(municipality, today)
    with transaction.atomic():
        build_joint_invitation()  # Apeldoorn invites Epe to a joint design
    if connection.vendor == "postgresql":
        _analyze_filled_tables()
    return counts


def _ensure_logins(municipality: Municipality, password: str) -> None:
    """The demo login of every staff role that has one per municipality (a role added later included)."""
    for role, prefix, label in LOGIN_ROLES:
        if role in (Role.CASEWORKER_WORK, Role.CASEWORKER_CARE, Role.RESIDENT, Role.PROVIDER):
            continue
        if not User.objects.filter(username=f"{prefix}.{municipality.slug}").exists():
            _staff(municipality, role, f"{prefix}.{municipality.slug}", label, municipality.name, password)


def _analyze_filled_tables() -> None:
    """Statistics for the bulk-loaded tables: without them the planner ignores the name indexes and scans a
    whole municipality. Only tables that hold rows: a table analysed while empty (the processing log before
    anyone logged in) is planned as empty, and a connection keeps that plan for the foreign-key checks of
    every insert while the table fills (measured: 4.9 ms instead of 0.7 ms per processing-log write)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608 - our own table names
            if cursor.fetchone()[0]:
                cursor.execute(f"ANALYZE {quote(table)}")


def _analyze_before_rollup() -> None:
    """The programme's rollup reads routes and steps just loaded in this transaction: without statistics the
    planner takes them for empty and the phase of every resident becomes a nested loop over all steps
    (measured at region size: one month's phase table ran for more than 7 minutes instead of seconds)."""
    if connection.vendor == "postgresql":
        _analyze_filled_tables()


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
    seats = _build_offer(municipality, residents, contents, districts, rng, today, password)
    _build_routes(municipality, residents, contents, seats, rng, today)
    _demo_letter(municipality, residents, caseworkers_work[0], today)

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


def _demo_letter(municipality: Municipality, residents: list[Resident], author: User, today: dt.date) -> None:
    """One invitation made (not yet sent) for the first resident of the demo klantmanager: the letters
    screens have something to show, and the sending can be recorded."""
    resident = next((r for r in residents if r.caseworker_work_id == author.pk), None)
    template = LetterTemplate.objects.filter(municipality=municipality, kind=LetterKind.INVITATION).first()
    if resident is None or template is None:
        return
    values = {
        "naam": resident.full_name,
        "afzender": author.get_full_name(),
        "functie": "klantmanager",
        "gemeente": municipality.name,
    }
    body = letter_rules.fill(template.body, values, {})
    for place, filled in (("[dag en datum]", "dinsdag"), ("[tijd]", "10 uur"), ("[plaats]", "het stadhuis")):
        body = body.replace(place, filled)
    content = letter_pdf(
        municipality=municipality.name,
        subject=template.subject,
        body=body,
        recipient=[resident.full_name, resident.street, f"{resident.postcode} {resident.city}".strip()],
        sender=author.get_full_name(),
        on=today,
    )
    event = TimelineEvent(
        resident=resident,
        kind=TimelineEvent.Kind.CONTACT,
        occurred_at=timezone.now(),
        author=author,
        text=f"Brief gemaakt: {template.subject}",
    )
    event.attachment.save(f"brief-{today:%Y-%m-%d}-uitnodiging.pdf", ContentFile(content), save=True)
    Letter.objects.create(
        municipality=municipality,
        resident=resident,
        template=template,
        kind=template.kind,
        subject=template.subject,
        body=body,
        event=event,
        made_by=author,
        made_at=event.occurred_at,
    )


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


PLACEMENTS_PER_RESIDENT = 1 / 25  # about one placement for every 25 residents in the programme
SHARE_WITH_PROPOSAL = 0.14


def _build_offer(
    municipality: Municipality,
    residents: list[Resident],
    contents: list[FileContent],
    districts: list[District],
    rng: random.Random,
    today: dt.date,
    password: str,
) -> list[Seat]:
    """Providers with contracts, their placements, and proposals over the last year and a half: most
    accepted (a seat, attendance, monthly reports; some ended), some declined and sent on, some waiting.
    Seats never exceed capacity. The demo provider login works for the first provider, a werkleerbedrijf."""
    slug = municipality.slug
    providers = []
    for name, kind in offer.PROVIDERS:
        provider = Provider.objects.create(
            name=f"{name} ({municipality.name})",
            kind=kind,
            contact_name="Contactpersoon",
            email=f"info@{slug}.{name.split()[-1].lower()}.example.nl",
            phone="055-0000000",
        )
        Contract.objects.create(
            provider=provider, municipality=municipality, starts_on=dt.date(today.year - 2, 1, 1)
        )
        providers.append(provider)
    login = Membership.objects.get(user__username=f"aanbieder.{slug}", municipality=municipality)
    ProviderStaff.objects.create(membership=login, provider=providers[0])
    staff = {providers[0].pk: login.user}
    for number, provider in enumerate(providers[1:], start=2):
        user = _staff(
            municipality, Role.PROVIDER, f"aanbieder{number}.{slug}", "Medewerker", provider.name, password
        )
        ProviderStaff.objects.create(membership=user.memberships.get(), provider=provider)
        staff[provider.pk] = user

    count = max(len(offer.TEMPLATES), round(len(residents) * PLACEMENTS_PER_RESIDENT))
    placements: list[Placement] = []
    tag_rows: list[PlacementTag] = []
    plan = offer.plan_placements(rng, count, len(providers))
    task_provider = offer.task_provider_of([(p.title, p.provider_index) for p in plan])
    if task_provider is not None:
        Contract.objects.filter(provider=providers[task_provider], municipality=municipality).update(
            task_budget=offer.TASK_BUDGET
        )
    for planned in plan:
        district = rng.choice(districts) if districts else None
        template = planned.template
        placement = Placement(
            provider=providers[planned.provider_index],
            reference=f"P{len(placements) + 1:05d}",
            title=f"{planned.title} {district.name}" if district else planned.title,
            description=template.description,
            kind=template.kind,
            street=f"{rng.choice(['Hoofdstraat', 'Kerkweg', 'Industrieweg', 'Parklaan', 'Molenstraat'])} "
            f"{rng.randint(1, 180)}",
            postcode=f"{7300 + rng.randint(0, 99)}{rng.choice('ABCDEGHJKL')}{rng.choice('ABCDEGHJKL')}",
            city=_place(municipality.name, district),
            district=district,
            latitude=round(float(district.latitude) + rng.uniform(-0.006, 0.006), 5) if district else 52.2,
            longitude=round(float(district.longitude) + rng.uniform(-0.009, 0.009), 5) if district else 5.96,
            wheelchair_accessible=rng.random() < 0.6,
            transit_nearby=rng.random() < 0.7,
            capacity=planned.capacity,
            days=list(planned.days),
            start_time=planned.start,
            end_time=planned.end,
            workload=template.workload,
            physical_demands=list(template.demands),
            dutch_level=template.dutch_level,
            tags=sorted(template.tags),
            learning=template.learning,
            funding=template.funding,
            pricing=planned.pricing,
            price=planned.price,
            price_unit=planned.price_unit,
            is_open=rng.random() < 0.92,
        )
        placements.append(placement)
        tag_rows += [PlacementTag(placement=placement, code=code) for code in placement.tags]
    Placement.objects.bulk_create(placements, batch_size=2000)
    PlacementTag.objects.bulk_create(tag_rows, batch_size=5000)

    proposals, seats, attendance, reports, events = [], [], [], [], []
    spans: dict[object, list[tuple[int, dt.date, dt.date | None]]] = {p.pk: [] for p in placements}
    now = timezone.now()
    candidates = [
        (resident, content)
        for resident, content in zip(residents, contents, strict=True)
        if rng.random() < SHARE_WITH_PROPOSAL
    ]
    for position, (resident, content) in enumerate(candidates):
        domain = "participatiewet" if resident.caseworker_work_id else "wmo"
        caseworker = resident.caseworker_work if domain == "participatiewet" else resident.caseworker_care
        fitting = [
            p
            for p in placements
            if p.funding in (domain, "beide")
            and (set(p.tags) & set(content.interests) or rng.random() < 0.05)
        ] or [p for p in placements if p.funding in (domain, "beide")]
        if not fitting:
            continue
        # The demo provider's placements get the first waiting proposals, so its portal has work to do.
        waiting = position % 9 == 0
        if waiting and position < 9 * 6:
            own = [p for p in fitting if p.provider_id == providers[0].pk] or fitting
            fitting = own
        placement = rng.choice(fitting)
        days_ago = 2 + rng.randrange(14) if waiting else 30 + rng.randrange(520)
        proposed_at = _at(today, days_ago, 10)
        start = (
            today + dt.timedelta(days=7 + rng.randrange(21))
            if waiting
            else (proposed_at + dt.timedelta(days=14)).date()
        )
        hours = max(4, min(32, content.hours_per_week or 12))
        previous = None
        if not waiting and rng.random() < 0.2:
            # Declined first, then sent on to another placement.
            reason = rng.choices(
                [r for r, _w in offer.DECLINE_REASONS], [w for _r, w in offer.DECLINE_REASONS]
            )[0]
            declined_at = proposed_at + dt.timedelta(days=3)
            previous = Proposal(
                municipality=municipality,
                resident=resident,
                placement=placement,
                domain=domain,
                start_date=start,
                hours_per_week=hours,
                note="Past bij de interesses uit het profiel.",
                status=Proposal.Status.DECLINED,
                decline_reason=reason,
                proposed_by=caseworker,
                proposed_at=proposed_at,
                decided_by=staff[placement.provider_id],
                decided_at=declined_at,
            )
            proposals.append(previous)
            events.append(
                _placement_event(resident, domain, proposed_at, f"Voorgesteld voor {placement.title}.")
            )
            events.append(
                _placement_event(
                    resident,
                    domain,
                    declined_at,
                    f"{placement.title}: voorstel afgewezen ({reason}).",
                )
            )
            placement = rng.choice([p for p in fitting if p.pk != placement.pk] or placements)
            proposed_at = declined_at + dt.timedelta(days=2)
            start = (proposed_at + dt.timedelta(days=14)).date()
        proposal = Proposal(
            municipality=municipality,
            resident=resident,
            placement=placement,
            domain=domain,
            start_date=start,
            hours_per_week=hours,
            note="Past bij de interesses uit het profiel."
            if previous is None
            else "Doorgestuurd na een afwijzing.",
            previous=previous,
            proposed_by=caseworker,
            proposed_at=proposed_at,
        )
        proposals.append(proposal)
        verb = "Doorgestuurd naar" if previous else "Voorgesteld voor"
        events.append(_placement_event(resident, domain, proposed_at, f"{verb} {placement.title}."))
        if waiting or start > today:
            continue
        ended = rng.random() < 0.3 and (today - start).days > 60
        ended_on = start + dt.timedelta(days=30 + rng.randrange((today - start).days - 30)) if ended else None
        seat_number = _free_seat(spans[placement.pk], placement.capacity, start, ended_on)
        if seat_number is None:
            proposal.status = Proposal.Status.DECLINED
            proposal.decline_reason = "vol"
            proposal.decided_by = staff[placement.provider_id]
            proposal.decided_at = proposed_at + dt.timedelta(days=2)
            continue
        proposal.status = Proposal.Status.ACCEPTED
        proposal.decided_by = staff[placement.provider_id]
        proposal.decided_at = proposed_at + dt.timedelta(days=4)
        events.append(
            _placement_event(
                resident, domain, proposal.decided_at, f"{placement.title}: voorstel geaccepteerd."
            )
        )
        seat = Seat(
            municipality=municipality,
            placement=placement,
            proposal=proposal,
            resident=resident,
            number=seat_number,
            starts_on=start,
            ended_on=ended_on,
            end_reason=rng.choice(["Begint met betaald werk.", "Stopt op eigen verzoek.", "Past toch niet."])
            if ended
            else "",
        )
        spans[placement.pk].append((seat_number, start, ended_on))
        seats.append(seat)
        last_day = ended_on or today
        week = last_day - dt.timedelta(days=last_day.weekday())
        for _ in range(8):
            if week < start - dt.timedelta(days=start.weekday()):
                break
            days_present = rng.choices([len(placement.days), len(placement.days) - 1, 0], [70, 22, 8])[0]
            attendance.append(
                Attendance(
                    seat=seat,
                    week=week,
                    days_present=max(0, days_present),
                    hours_present=round(
                        max(0, days_present) * (placement.end_time.hour - placement.start_time.hour), 1
                    ),
                    note="Ziek gemeld." if days_present == 0 else "",
                    recorded_by=staff[placement.provider_id],
                    recorded_at=now,
                )
            )
            week -= dt.timedelta(days=7)
        month = last_day.replace(day=1)
        for _ in range(3):
            if month < start.replace(day=1):
                break
            report = ProgressReport(
                seat=seat,
                month=month,
                went_well=rng.choice(offer.REPORTS_WELL),
                next_steps=rng.choice(offer.REPORTS_NEXT),
                suggested_rung=rng.choice([None, 3, 4, 4, 5]),
                recorded_by=staff[placement.provider_id],
                recorded_at=now,
            )
            reports.append(report)
            events.append(
                _placement_event(
                    resident,
                    domain,
                    _at(month, 0, 16) if month <= today else now,
                    f"Voortgangsverslag {month:%m-%Y}: {report.went_well} Volgende stap: {report.next_steps}",
                )
            )
            month = (month - dt.timedelta(days=1)).replace(day=1)
    Proposal.objects.bulk_create([p for p in proposals if p.previous is None], batch_size=2000)
    Proposal.objects.bulk_create([p for p in proposals if p.previous is not None], batch_size=2000)
    Seat.objects.bulk_create(seats, batch_size=2000)
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    ProgressReport.objects.bulk_create(reports, batch_size=5000)
    TimelineEvent.objects.bulk_create(events, batch_size=5000)
    return seats


def _placement_event(resident: Resident, domain: str, when: dt.datetime, text: str) -> TimelineEvent:
    return TimelineEvent(
        resident=resident, kind=TimelineEvent.Kind.PLACEMENT, domain=domain, occurred_at=when, text=text
    )


def _free_seat(
    spans: list[tuple[int, dt.date, dt.date | None]], capacity: int, start: dt.date, end: dt.date | None
) -> int | None:
    """The lowest seat number not taken by another seat at any day of [start, end]; None when full."""
    far = dt.date.max
    for number in range(1, capacity + 1):
        if all(
            other != number or (other_end or far) < start or (end or far) < other_start
            for other, other_start, other_end in spans
        ):
            return number
    return None


PHASE_OF_KIND = {
    "activerend_werk": "activerend_werk",
    "dagbesteding": "activerend_werk",
    "vrijwilligerswerk": "activerend_werk",
    "talentplek": "activerend_werk",
    "leerwerkplek": "leerwerken",
    "werkervaringsplek": "leerwerken",
    "begeleid_werk": "werken_met_ondersteuning",
    "betaalde_baan": "werken_met_ondersteuning",
}
SHARE_WITH_ROUTE = 0.7


def _build_routes(
    municipality: Municipality,
    residents: list[Resident],
    contents: list[FileContent],
    seats: list[Seat],
    rng: random.Random,
    today: dt.date,
) -> None:
    """Routes over the last two years that follow the route's rules: kennismaken, verkennen, then the phase
    of the resident's placement; a placement that did not fit is a step back, stopping is a pause, paid work
    ends the route, and some come back under the fall-back guarantee."""
    seat_of = {seat.resident_id: seat for seat in seats}
    routes, steps, events = [], [], []
    reviews: list[Review] = []
    review_dates: list[Plan] = []
    shown_fall_back = False
    now = timezone.now()
    for resident, content in zip(residents, contents, strict=True):
        seat = seat_of.get(resident.pk)
        if seat is None and rng.random() > SHARE_WITH_ROUTE:
            continue
        caseworker = resident.caseworker_work or resident.caseworker_care
        first_day = max((days for days, _rung, _why in content.ladder), default=30) + 7
        opened = today - dt.timedelta(days=min(first_day, 720))
        if seat is not None and seat.starts_on <= opened + dt.timedelta(days=20):
            opened = seat.starts_on - dt.timedelta(days=40)
        route = Route(municipality=municipality, resident=resident, opened_on=opened, created_by=caseworker)
        plan: list[tuple[str, dt.date, str, Proposal | None]] = [
            ("kennismaken", opened, StepReason.START, None),
            ("verkennen", opened + dt.timedelta(days=21), StepReason.READY, None),
        ]
        closed: tuple[dt.date, str] | None = None
        if seat is not None:
            phase = PHASE_OF_KIND.get(seat.placement.kind, "activerend_werk")
            plan.append((phase, seat.starts_on, StepReason.READY, seat.proposal))
            if seat.ended_on is not None:
                if seat.end_reason.startswith("Begint met betaald werk"):
                    plan.append(("betaald_werk", seat.ended_on, StepReason.READY, None))
                    end = seat.ended_on + dt.timedelta(days=rng.randint(20, 60))
                    if end <= today:
                        closed = (end, "betaald_werk_zonder_uitkering")
                elif seat.end_reason.startswith("Stopt") or phase == "werken_met_ondersteuning":
                    plan.append(("pauze", seat.ended_on, StepReason.HOME, None))
                else:
                    plan.append(("verkennen", seat.ended_on, StepReason.TOO_MUCH, None))
        elif rng.random() < 0.15 and opened + dt.timedelta(days=90) <= today:
            plan.append(("pauze", opened + dt.timedelta(days=rng.randint(60, 90)), StepReason.HEALTH, None))
        plan = [item for item in plan if item[1] <= today]
        if closed is not None:
            route.closed_on, route.outcome = closed
        routes.append(route)
        previous_phase = None
        for phase, starts_on, reason, proposal in plan:
            steps.append(
                Step(
                    route=route,
                    phase=phase,
                    starts_on=starts_on,
                    reason=reason,
                    is_back=previous_phase is not None and transitions.is_step_back(previous_phase, phase),
                    proposal=proposal,
                    decided_by=caseworker,
                    recorded_at=now,
                )
            )
            word = "Stap terug naar" if steps[-1].is_back else "Stap naar"
            if reason == StepReason.START:
                word = "Route begonnen:"
            events.append(
                TimelineEvent(
                    resident=resident,
                    kind=TimelineEvent.Kind.ROUTE,
                    occurred_at=_at(starts_on, 0, 12),
                    author=caseworker,
                    text=f"{word} {transitions.PHASE_NAMES[phase]}.",
                )
            )
            previous_phase = phase
        # A quarter of those who left for paid work come back; the first one always, so that every demo
        # municipality shows the fall-back guarantee.
        if closed is not None and (rng.random() < 0.25 or not shown_fall_back):
            back_on = closed[0] + dt.timedelta(days=rng.randint(40, 300))
            if back_on <= today:
                again = Route(
                    municipality=municipality,
                    resident=resident,
                    opened_on=back_on,
                    previous=route,
                    is_fall_back=True,
                    created_by=caseworker,
                )
                routes.append(again)
                shown_fall_back = True
                phase = transitions.phase_to_return_to([item[0] for item in plan])
                steps.append(
                    Step(
                        route=again,
                        phase=phase,
                        starts_on=back_on,
                        reason=StepReason.FALL_BACK,
                        decided_by=caseworker,
                        recorded_at=now,
                    )
                )
                events.append(
                    TimelineEvent(
                        resident=resident,
                        kind=TimelineEvent.Kind.ROUTE,
                        occurred_at=_at(back_on, 0, 12),
                        author=caseworker,
                        text="Terug na betaald werk (terugvalgarantie): verder in "
                        f"{transitions.PHASE_NAMES[phase]}.",
                    )
                )
    # The open route owns the resident's next review date (as routes.actions keeps it in the plan): reviews
    # were held on time until the last one, which set the date every screen shows; a few are overdue.
    last_step = {step.route.pk: step for step in steps}  # steps are appended in order, per route
    for route in routes:
        if route.closed_on is not None:
            continue
        step = last_step[route.pk]
        caseworker = route.created_by
        held, due = None, transitions.next_review(transitions.DEFAULT_RULES, step.phase, step.starts_on)
        overdue_at_most = dt.timedelta(days=rng.randint(0, 21))
        while due < today - overdue_at_most:
            held, due = due, transitions.next_review(transitions.DEFAULT_RULES, step.phase, due)
        if held is not None:
            reviews.append(
                Review(
                    route=route,
                    held_on=held,
                    phase=step.phase,
                    progress="Gaat volgens plan; de afspraken blijven staan.",
                    decision=Review.Decision.STAY,
                    next_review_on=due,
                    held_by=caseworker,
                    recorded_at=now,
                )
            )
            events.append(
                TimelineEvent(
                    resident=route.resident,
                    kind=TimelineEvent.Kind.ROUTE,
                    occurred_at=_at(held, 0, 11),
                    author=caseworker,
                    text=f"Bespreking ({transitions.PHASE_NAMES[step.phase]}): {Review.Decision.STAY.label}.",
                )
            )
        review_dates.append(Plan(resident=route.resident, review_on=due))
    Route.objects.bulk_create([r for r in routes if r.previous is None], batch_size=2000)
    Route.objects.bulk_create([r for r in routes if r.previous is not None], batch_size=2000)
    Step.objects.bulk_create(steps, batch_size=5000)
    Review.objects.bulk_create(reviews, batch_size=5000)
    Plan.objects.bulk_update(review_dates, ["review_on"], batch_size=2000)
    TimelineEvent.objects.bulk_create(events, batch_size=5000)
