"""Who may see which resident file. The only place that scopes residents by municipality, role and domain;
every read of personal data here is written to the processing log."""

import datetime as dt
import functools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.http import Http404
from django.utils import timezone
from stdnum.nl import bsn as bsn_validator

from meedoen.accounts.actor import Actor
from meedoen.accounts.models import Membership, User
from meedoen.accounts.policies import Capability, suppress_small
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.municipalities.models import InterestTag, TargetGroup
from meedoen.prepared import PreparedQuery
from meedoen.residents import rules
from meedoen.residents.models import (
    Consent,
    ExperimentArm,
    LadderScore,
    LegalBasis,
    Plan,
    PlanAction,
    Profile,
    Resident,
    TimelineEvent,
)


def _active_basis(domain: str, on: dt.date) -> Exists:
    return Exists(
        LegalBasis.objects.filter(resident=OuterRef("pk"), domain=domain, start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )
    )


def visible_residents(actor: Actor) -> QuerySet[Resident]:
    """Residents whose file the actor may open: same municipality, and for a caseworker only residents in
    their own caseload or with a current legal basis in their domain. Other roles see no files here."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or actor.domain is None:
        return Resident.objects.none()
    return _visible(actor.domain, actor.municipality_id, actor.user.pk, timezone.localdate())


def may_open_file(resident_id: uuid.UUID, actor: Actor) -> bool:
    """Whether the actor may open this resident's file now (their caseload and domain as
    ``visible_residents`` scope them): asked after a change that may have moved the file out of reach, and
    for a duplicate found at registration. Reads nothing personal, so it writes no log row."""
    return visible_residents(actor).filter(pk=resident_id).exists()


def _visible(
    domain: str, municipality_id: uuid.UUID, user_id: uuid.UUID, today: dt.date
) -> QuerySet[Resident]:
    """The rule of ``visible_residents`` on plain values, so a prepared query can be built from it."""
    own = Q(caseworker_work_id=user_id) if domain == "participatiewet" else Q(caseworker_care_id=user_id)
    residents = Resident.objects.filter(municipality_id=municipality_id)
    return residents.filter(own | Q(_active_basis(domain, today)))


class Sort:
    NAME = "naam"
    BIRTH = "geboortedatum"
    ACTIVITY = "activiteit"
    REVIEW = "bespreking"

    ORDER = {
        NAME: ("family_name", "given_names", "id"),
        BIRTH: ("date_of_birth", "family_name", "id"),
        ACTIVITY: ("last_activity_at", "family_name", "id"),  # longest silent first
        REVIEW: ("plan__review_on", "family_name", "id"),
    }


@dataclass(frozen=True)
class CaseloadQuery:
    search: str = ""
    district_id: uuid.UUID | None = None
    target_group_id: uuid.UUID | None = None
    basis_kind: str = ""
    review_due: bool = False
    silent_weeks: int | None = None
    only_mine: bool = True
    sort: str = Sort.NAME
    page: int = 1
    per_page: int = 25


REVIEW_DUE_WITHIN_DAYS = 14


@dataclass(frozen=True)
class _CaseloadShape:
    """What decides the SQL of a caseload page; the values (ids, dates) are parameters."""

    domain: str
    only_mine: bool
    district: bool
    target_group: bool
    basis_kind: str
    review_due: bool
    silent: bool
    sort: str
    number: int
    per_page: int

    @property
    def values(self) -> dict[str, type]:
        """The parameters this shape takes, and their types."""
        kinds: dict[str, type] = {"municipality": uuid.UUID, "user": uuid.UUID}
        if not self.only_mine or self.basis_kind:
            kinds["today"] = dt.date
        if self.district:
            kinds["district"] = uuid.UUID
        if self.target_group:
            kinds["target_group"] = uuid.UUID
        if self.review_due:
            kinds["review_by"] = dt.date
        if self.silent:
            kinds["silent_since"] = dt.datetime
        return kinds


def _caseload(shape: _CaseloadShape, **values: Any) -> QuerySet[Resident]:
    """The residents of a caseload page before search words and paging: the one definition, used both
    prepared (no search words) and as a plain queryset."""
    if shape.only_mine:
        # The own caseload is always visible: no need for the domain condition of visible_residents.
        field = "caseworker_work_id" if shape.domain == "participatiewet" else "caseworker_care_id"
        residents = Resident.objects.filter(municipality_id=values["municipality"], **{field: values["user"]})
    else:
        residents = _visible(shape.domain, values["municipality"], values["user"], values["today"])
    if shape.district:
        residents = residents.filter(district_id=values["district"])
    if shape.target_group:
        residents = residents.filter(target_groups__id=values["target_group"])
    if shape.basis_kind:
        residents = residents.filter(
            Exists(
                LegalBasis.objects.filter(
                    resident=OuterRef("pk"), kind=shape.basis_kind, domain=shape.domain
                ).filter(Q(end_date__isnull=True) | Q(end_date__gte=values["today"]))
            )
        )
    if shape.review_due:
        residents = residents.filter(plan__review_on__lte=values["review_by"])
    if shape.silent:
        residents = residents.filter(
            Q(last_activity_at__lt=values["silent_since"]) | Q(last_activity_at__isnull=True)
        )
    return residents


def _one_page(residents: QuerySet[Resident], shape: _CaseloadShape) -> QuerySet[Resident]:
    """The rows of page ``shape.number`` with their district and plan, and the total of all matches:
    ``COUNT(*) OVER ()`` rides along with the page, because the database has to find every match to sort
    them anyway. A separate COUNT would find them all a second time (for a search over the whole domain,
    that doubled its cost)."""
    order = Sort.ORDER.get(shape.sort, Sort.ORDER[Sort.NAME])
    start = (shape.number - 1) * shape.per_page
    return (
        residents.order_by(*order)
        .only(*_LIST_FIELDS)
        .annotate(
            district_name=F("district__name"), review_on=F("plan__review_on"), total=Window(Count("pk"))
        )[start : start + shape.per_page]
    )


# What a list of residents shows (the table, the API's list): only these are read from the database, with
# ``district_name`` and ``review_on`` from the district and the plan.
_LIST_FIELDS = ("bsn", "given_names", "name_prefix", "family_name", "date_of_birth", "last_activity_at")


@functools.lru_cache(maxsize=256)
def _prepared_page(shape: _CaseloadShape) -> PreparedQuery[Resident]:
    return PreparedQuery(lambda **values: _one_page(_caseload(shape, **values), shape), **shape.values)


def search_caseload(actor: Actor, query: CaseloadQuery) -> Page:
    """One page of the actor's caseload, logged as a search with exactly the residents on the page."""
    if not actor.may(Capability.VIEW_CASELOAD) or actor.domain is None:
        raise PermissionDenied
    today = timezone.localdate()
    shape = _CaseloadShape(
        domain=actor.domain,
        only_mine=query.only_mine,
        district=query.district_id is not None,
        target_group=query.target_group_id is not None,
        basis_kind=query.basis_kind,
        review_due=query.review_due,
        silent=bool(query.silent_weeks),
        sort=query.sort if query.sort in Sort.ORDER else Sort.NAME,
        number=max(1, query.page),
        per_page=query.per_page,
    )
    given: dict[str, Any] = {
        "municipality": actor.municipality_id,
        "user": actor.user.pk,
        "today": today,
        "district": query.district_id,
        "target_group": query.target_group_id,
        "review_by": today + dt.timedelta(days=REVIEW_DUE_WITHIN_DAYS),
        "silent_since": timezone.now() - dt.timedelta(weeks=query.silent_weeks or 0),
    }
    values = {name: given[name] for name in shape.values}
    term = query.search.strip()
    if term:
        # Search words are matched with LIKE, which a prepared query cannot keep: the plain queryset.
        residents = _search(_caseload(shape, **values), term)
        rows = list(_one_page(residents, shape))
    else:
        residents = None
        rows = _prepared_page(shape)(**values)
    number = shape.number
    if not rows and number > 1:  # past the end: show the last page
        residents = residents if residents is not None else _caseload(shape, **values)
        paginator = Paginator(residents, shape.per_page)
        number = last = paginator.num_pages
        rows = list(_one_page(residents, replace(shape, number=last)))
    paginator = Paginator(rows, shape.per_page)
    # COUNT(*) OVER () came with the rows: no second query for the total.
    paginator.__dict__["count"] = rows[0].total if rows else 0  # type: ignore[attr-defined]  # the cached_property
    _add_own_bases(rows, actor.domain, shape.per_page)
    log.record(actor, LogAction.SEARCH, Purpose.GUIDANCE, [resident.pk for resident in rows])
    return Page(rows, number, paginator)


@functools.lru_cache(maxsize=16)
def _own_bases_query(domain: str, size: int) -> PreparedQuery[LegalBasis]:
    """The legal bases in ``domain`` of up to ``size`` residents; fewer ids are padded with a repeat."""
    names = [f"resident_{i}" for i in range(size)]
    return PreparedQuery(
        lambda **ids: LegalBasis.objects.filter(domain=domain, resident_id__in=[ids[name] for name in names]),
        **dict.fromkeys(names, uuid.UUID),
    )


def _add_own_bases(rows: list[Resident], domain: str, size: int) -> None:
    """``resident.own_bases``: the legal bases in the actor's own domain of the residents of a page (at most
    ``size``), in one prepared query."""
    if not rows:
        return
    ids = [resident.pk for resident in rows]
    ids += [ids[0]] * (size - len(ids))
    bases: dict[uuid.UUID, list[LegalBasis]] = {resident.pk: [] for resident in rows}
    values: dict[str, Any] = {f"resident_{i}": pk for i, pk in enumerate(ids)}
    for basis in _own_bases_query(domain, size)(**values):
        bases[basis.resident_id].append(basis)
    for resident in rows:
        resident.own_bases = bases[resident.pk]  # type: ignore[attr-defined]


def _search(residents: QuerySet[Resident], term: str) -> QuerySet[Resident]:
    """By BSN (a valid one, with or without dots and spaces), by date of birth, or by words of the name."""
    digits = term.replace(" ", "").replace(".", "")
    if digits.isdigit() and len(digits) in (8, 9) and bsn_validator.is_valid(digits.zfill(9)):
        return residents.filter(bsn=digits.zfill(9))
    if (born := _as_date(term)) is not None:
        return residents.filter(date_of_birth=born)
    for word in term.split():
        residents = residents.filter(Q(family_name__icontains=word) | Q(given_names__icontains=word))
    return residents


def _as_date(text: str) -> dt.date | None:
    for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


# --- what an experiment's arm changes on the file -----------------------------------------------------------


def arms_in_force(on: dt.date) -> QuerySet[ExperimentArm]:
    """The one rule of whether an experiment's arm applies on a day: the resident takes part from the day they
    consented and were randomised (``starts_on``) up to the day they stopped or the experiment ended
    (``ends_on``, from which the normal rules apply again). The experiment pushes both dates
    (``actions.do_record_experiment_arm``, ``do_end_experiment_arm``); every screen and list asks here."""
    return ExperimentArm.objects.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))


def _exempting_arms(on: dt.date) -> QuerySet[ExperimentArm]:
    """The arms in force on ``on`` that exempt the resident of an outer plan action from obligations."""
    return arms_in_force(on).filter(resident=OuterRef("plan__resident"), voluntary_agreements=True)


def voluntary_agreement(on: dt.date) -> Q:
    """A condition on plan actions (``PlanAction``): an agreement with the resident as owner, while an arm in
    force exempts the resident from obligations, is voluntary that day: nobody chases it as overdue."""
    return Q(owner=PlanAction.Owner.RESIDENT) & Q(Exists(_exempting_arms(on)))


def overdue_agreement(on: dt.date) -> Q:
    """A condition on plan actions: past its date on ``on``, not done, and not voluntary
    (``voluntary_agreement``): what a caseworker follows up as late."""
    return Q(done_on__isnull=True, due_on__lt=on) & ~voluntary_agreement(on)


def overdue_plan_actions(on: dt.date) -> QuerySet[PlanAction]:
    """Agreements past their date on ``on`` and not done, without the voluntary ones: what a caseworker
    follows up (the worklist). The caller scopes the residents."""
    return PlanAction.objects.filter(overdue_agreement(on))


def agreements_with_status(on: dt.date) -> QuerySet[PlanAction]:
    """Plan actions with what the file says of each on ``on``: ``is_voluntary`` (``voluntary_agreement``),
    ``is_overdue`` (``overdue_agreement``: never for a voluntary one) and, for a voluntary one, the
    experiment and arm that make it so (``voluntary_experiment``, ``voluntary_arm``; empty otherwise). For
    the API; the caller scopes the plan and logs the read."""
    voluntary = voluntary_agreement(on)
    exempting = _exempting_arms(on).order_by("starts_on", "created_at")

    def named(field: str) -> Case:
        return Case(
            When(voluntary, then=Subquery(exempting.values(field)[:1])),
            default=Value(""),
            output_field=CharField(),
        )

    return PlanAction.objects.annotate(
        is_voluntary=ExpressionWrapper(voluntary, output_field=BooleanField()),
        is_overdue=ExpressionWrapper(overdue_agreement(on), output_field=BooleanField()),
        voluntary_experiment=named("experiment_title"),
        voluntary_arm=named("arm_name"),
    )


def agreements_of(plan: Plan, on: dt.date) -> list[PlanAction]:
    """The plan's agreements with their status on ``on`` (``agreements_with_status``), in the file's order.
    For a plan the caller has scoped (``access_resident`` or ``access_resident_for_change``), which logs."""
    if plan._state.adding:
        return []
    return list(agreements_with_status(on).filter(plan_id=plan.pk))


def rhythm_of(arms: Iterable[ExperimentArm]) -> ExperimentArm | None:
    """Of the arms in force, the one that asks for the most frequent reviews (``review_every_weeks``)."""
    return min(
        (arm for arm in arms if arm.review_every_weeks),
        key=lambda arm: (arm.review_every_weeks or 0, arm.starts_on),
        default=None,
    )


def review_rhythm(resident: Resident, on: dt.date) -> ExperimentArm | None:
    """The arm in force on ``on`` whose rhythm the route follows when it plans the next review
    (``rhythm_of``), or None. For a resident the caller has scoped."""
    return rhythm_of(arms_in_force(on).filter(resident=resident))


def rhythms_ended(municipality_id: uuid.UUID, *, after: dt.date, on: dt.date) -> QuerySet[ExperimentArm]:
    """The arms with their own review rhythm in the municipality that stopped applying after ``after`` and no
    later than ``on`` (``ends_on`` in that span: from ``ends_on`` on, ``arms_in_force`` leaves them out), with
    their resident: for the nightly job that plans those residents' reviews by the normal rules again. The
    job logs what it changes."""
    return ExperimentArm.objects.filter(
        resident__municipality_id=municipality_id,
        review_every_weeks__isnull=False,
        ends_on__gt=after,
        ends_on__lte=on,
    ).select_related("resident")


@dataclass(frozen=True)
class ResidentFile:
    resident: Resident
    target_groups: list[TargetGroup]
    visible_domains: set[str]
    bases: list[LegalBasis]
    other_domain: str
    other_domain_exists: bool
    other_domain_shared: bool
    other_domain_withdrawn_on: dt.date | None  # not shared because the resident withdrew consent that day
    consents: list[Consent]
    ladder: list[LadderScore]
    ladder_change: rules.LadderChange | None
    profile: Profile
    interests: list[InterestTag]
    plan: Plan
    plan_actions: list[PlanAction]  # with ``is_voluntary`` and ``is_overdue`` (``overdue_agreement``)
    experiment_arms: list[ExperimentArm]  # the arms in force today
    review_rhythm: ExperimentArm | None  # of those, the one whose review rhythm the route follows
    timeline: list[TimelineEvent]
    timeline_more: bool
    timeline_hidden: bool  # lines (or parts) of the other domain are left out: the file says so


TIMELINE_PAGE = 30


def _file_resident(resident_id: uuid.UUID, actor: Actor) -> Resident:
    if not actor.may(Capability.VIEW_RESIDENT_FILE):
        raise PermissionDenied
    residents = visible_residents(actor).select_related("district", "caseworker_work", "caseworker_care")
    try:
        return residents.get(pk=resident_id)
    except (Resident.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


# The resident page is the most-read screen: its queries are prepared (compiled once per process), see
# meedoen/prepared.py. Each is the same queryset as elsewhere in this module, on plain values.
_ID = uuid.UUID


@functools.cache
def _whole_file_query(domain: str) -> PreparedQuery[Resident]:
    """The resident with district, caseworkers, profile and plan, if the actor may open the file."""
    return PreparedQuery(
        lambda resident, municipality, user, today: _visible(domain, municipality, user, today)
        .filter(pk=resident)
        .select_related("district", "caseworker_work", "caseworker_care", "profile", "plan"),
        resident=_ID, municipality=_ID, user=_ID, today=dt.date,
    )  # fmt: skip


_target_groups_of = PreparedQuery(
    lambda resident: TargetGroup.objects.filter(residents=resident).order_by("name"), resident=_ID
)
_interests_of = PreparedQuery(
    lambda resident: InterestTag.objects.filter(profiles=resident).order_by("name"), resident=_ID
)
_consents_of = PreparedQuery(lambda resident: Consent.objects.filter(resident_id=resident), resident=_ID)
_bases_of = PreparedQuery(
    lambda resident: LegalBasis.objects.filter(resident_id=resident).order_by("domain", "start_date"),
    resident=_ID,
)
_ladder_of = PreparedQuery(
    lambda resident: LadderScore.objects.filter(resident_id=resident).select_related("scored_by"),
    resident=_ID,
)
_plan_actions_of: PreparedQuery[PlanAction] = PreparedQuery(
    lambda plan, today: PlanAction.objects.filter(plan_id=plan).annotate(
        is_voluntary=ExpressionWrapper(voluntary_agreement(today), output_field=BooleanField()),
        is_overdue=ExpressionWrapper(overdue_agreement(today), output_field=BooleanField()),
    ),
    plan=_ID, today=dt.date,
)  # fmt: skip
_arms_of = PreparedQuery(
    lambda resident, today: arms_in_force(today).filter(resident_id=resident), resident=_ID, today=dt.date
)


def _visible_lines(visible: frozenset[str] | set[str]) -> QuerySet[TimelineEvent]:
    """Timeline lines of the shared file and of the ``visible`` domains. A line's domain-bound detail comes
    along as ``shown_detail`` only when its domain is visible too: the database leaves it out otherwise."""
    domains = sorted(visible)
    return (
        TimelineEvent.objects.filter(Q(domain="") | Q(domain__in=domains))
        .defer("detail")
        .annotate(
            shown_detail=Case(
                When(Q(detail_domain="") | Q(detail_domain__in=domains), then=F("detail")),
                default=Value(""),
                output_field=TextField(),
            )
        )
    )


@functools.cache
def _timeline_query(visible: frozenset[str], limit: int) -> PreparedQuery[TimelineEvent]:
    return PreparedQuery(
        lambda resident: (
            _visible_lines(visible).filter(resident_id=resident).select_related("author")[:limit]
        ),
        resident=_ID,
    )


@functools.cache
def _hidden_lines_query(visible: frozenset[str]) -> PreparedQuery[tuple[Any, ...]]:
    """Whether the resident's timeline has lines, or parts of lines, of a domain the actor does not see."""
    domains = sorted(visible)
    return PreparedQuery(
        lambda resident: (
            TimelineEvent.objects.filter(resident_id=resident)
            .filter(
                (~Q(domain="") & ~Q(domain__in=domains))
                | (~Q(detail_domain="") & ~Q(detail_domain__in=domains) & ~Q(detail=""))
            )
            .values_list("pk")[:1]
        ),
        resident=_ID,
    )


def access_resident(
    resident_id: uuid.UUID, actor: Actor, *, timeline_limit: int = TIMELINE_PAGE
) -> ResidentFile:
    """The file of one resident, as far as the actor may see it. 403 for roles that never see files;
    404 for a resident of another municipality or outside the actor's caseload and domain. The sections
    of the other domain are shown only with the resident's consent."""
    if not actor.may(Capability.VIEW_RESIDENT_FILE) or actor.domain is None:
        raise PermissionDenied
    if not isinstance(resident_id, uuid.UUID):
        raise Http404
    today = timezone.localdate()
    found = _whole_file_query(actor.domain)(
        resident=resident_id, municipality=actor.municipality_id, user=actor.user.pk, today=today
    )
    if not found:
        raise Http404
    resident = found[0]
    consents = _consents_of(resident=resident.pk)
    consented = rules.consented_domains([(c.shared_domain, c.withdrawn_on) for c in consents], today)
    domain = str(actor.domain)
    visible = rules.visible_domains(domain, consented)
    other = rules.other_domain(domain)
    all_bases = _bases_of(resident=resident.pk)
    # A file registered before profiles and plans existed shows empty ones; the first save creates them.
    profile = getattr(resident, "profile", None) or Profile(resident=resident)
    plan = getattr(resident, "plan", None) or Plan(resident=resident)
    ladder = _ladder_of(resident=resident.pk)
    timeline = _timeline_query(frozenset(visible), timeline_limit + 1)(resident=resident.pk)
    arms = _arms_of(resident=resident.pk, today=today)
    timeline_hidden = bool(_hidden_lines_query(frozenset(visible))(resident=resident.pk))
    log.record(actor, LogAction.VIEW, Purpose.GUIDANCE, [resident.pk])
    return ResidentFile(
        resident=resident,
        target_groups=_target_groups_of(resident=resident.pk),
        visible_domains=visible,
        bases=[b for b in all_bases if b.domain in visible],
        other_domain=other,
        other_domain_exists=any(b.domain == other for b in all_bases),
        other_domain_shared=other in visible,
        other_domain_withdrawn_on=None
        if other in visible
        else max(
            (c.withdrawn_on for c in consents if c.shared_domain == other and c.withdrawn_on), default=None
        ),
        consents=consents,
        ladder=ladder,
        ladder_change=rules.ladder_change([score.rung for score in ladder]),
        profile=profile,
        interests=[] if profile._state.adding else _interests_of(resident=resident.pk),
        plan=plan,
        plan_actions=[] if plan._state.adding else _plan_actions_of(plan=plan.pk, today=today),
        experiment_arms=arms,
        review_rhythm=rhythm_of(arms),
        timeline=timeline[:timeline_limit],
        timeline_more=len(timeline) > timeline_limit,
        timeline_hidden=timeline_hidden,
    )


def access_resident_for_change(resident_id: uuid.UUID, actor: Actor) -> Resident:
    """The resident a write is about, scoped like a read; the action itself logs the write."""
    return _file_resident(resident_id, actor)


def access_resident_for_screen(
    resident_id: uuid.UUID, actor: Actor, *, purpose: Purpose = Purpose.GUIDANCE
) -> Resident:
    """A resident shown on a screen of another part of Meedoen (name, district: a proposal form, the
    catalogue searched for them): scoped like the file, and written to the processing log as a read."""
    resident = _file_resident(resident_id, actor)
    record_screen_read(resident, actor, purpose=purpose)
    return resident


def record_screen_read(resident: Resident, actor: Actor, *, purpose: Purpose = Purpose.GUIDANCE) -> None:
    """A resident fetched for a change (``access_resident_for_change``) is shown after all: an edit form
    with the resident's data, on opening it or again with errors. That is a read, and it is logged."""
    log.record(actor, LogAction.VIEW, purpose, [resident.pk])


def profile_of(resident: Resident) -> Profile:
    """The resident's profile; an empty, unsaved one for a file registered before profiles existed."""
    return Profile.objects.filter(resident=resident).first() or Profile(resident=resident)


def interests_of(profile: Profile) -> list[InterestTag]:
    return [] if profile._state.adding else list(profile.interests.all())


def plan_of(resident: Resident) -> Plan:
    """The resident's plan; an empty, unsaved one until the first save."""
    return Plan.objects.filter(resident=resident).first() or Plan(resident=resident)


def access_legal_basis(resident: Resident, basis_id: uuid.UUID, actor: Actor) -> LegalBasis:
    """A legal basis of the actor's own domain (the other domain's bases are not theirs to change)."""
    try:
        return LegalBasis.objects.select_related("resident").get(
            pk=basis_id, resident=resident, domain=actor.domain
        )
    except (LegalBasis.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def access_consent(resident: Resident, consent_id: uuid.UUID) -> Consent:
    try:
        return Consent.objects.select_related("resident").get(pk=consent_id, resident=resident)
    except (Consent.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def access_plan_action(resident: Resident, action_id: uuid.UUID) -> PlanAction:
    try:
        return PlanAction.objects.select_related("plan__resident").get(pk=action_id, plan__resident=resident)
    except (PlanAction.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def access_attachment(resident_id: uuid.UUID, event_id: uuid.UUID, actor: Actor) -> TimelineEvent:
    """A timeline attachment, only when its event is visible to the actor; reading it is logged as export."""
    resident = _file_resident(resident_id, actor)
    visible = visible_domains_of(resident, actor)
    try:
        event = TimelineEvent.objects.get(
            Q(domain="") | Q(domain__in=visible), pk=event_id, resident=resident, attachment__gt=""
        )
    except (TimelineEvent.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    log.record(actor, LogAction.EXPORT, Purpose.GUIDANCE, [resident.pk])
    return event


def _caseworker_role(domain: str) -> str:
    return "klantmanager" if domain == "participatiewet" else "wmo_consulent"


def list_caseworkers(actor: Actor, domain: str, *, active_only: bool = True) -> QuerySet[Membership]:
    """Colleagues in a domain of the actor's municipality, for assigning and transferring."""
    memberships = Membership.objects.filter(
        municipality_id=actor.municipality_id, role=_caseworker_role(domain)
    )
    if active_only:
        memberships = memberships.filter(is_active=True)
    return memberships.select_related("user").order_by("user__last_name", "user__first_name")


def caseworker_users(municipality_id: uuid.UUID, domain: str) -> QuerySet[User]:
    """The active caseworkers of a domain as users: the choices for a resident's caseworker."""
    return User.objects.filter(
        memberships__municipality_id=municipality_id,
        memberships__role=_caseworker_role(domain),
        memberships__is_active=True,
    ).order_by("last_name", "first_name")


def caseload_size(actor: Actor, user_id: uuid.UUID, domain: str) -> int:
    field = "caseworker_work" if domain == "participatiewet" else "caseworker_care"
    return Resident.objects.filter(municipality_id=actor.municipality_id, **{field: user_id}).count()


def access_own_file(actor: Actor) -> Resident:
    """A resident's own file, for the resident."""
    if not actor.may(Capability.VIEW_OWN_FILE):
        raise PermissionDenied
    try:
        resident = (
            Resident.objects.select_related("district", "caseworker_work", "caseworker_care")
            .prefetch_related("legal_bases")
            .get(user=actor.user, municipality_id=actor.municipality_id)
        )
    except Resident.DoesNotExist:
        raise Http404 from None
    log.record(actor, LogAction.VIEW, Purpose.OWN_FILE, [resident.pk])
    return resident


def file_for_digid_login(municipality_id: uuid.UUID, bsn: str) -> Resident | None:
    """The file in this municipality of the person DigiD says logs in, or None. Nothing is shown from it: the
    login that asks makes the account and logs that processing (``portal.actions.do_digid_login``)."""
    if not (bsn.isdigit() and len(bsn) <= 9 and bsn_validator.is_valid(bsn.zfill(9))):
        return None
    return (
        Resident.objects.select_related("user")
        .filter(municipality_id=municipality_id, bsn=bsn.zfill(9))
        .first()
    )


@dataclass(frozen=True)
class DistrictCount:
    area: str
    district: str
    count: int | None  # None: fewer than the threshold, not shown


def count_by_district(actor: Actor) -> list[DistrictCount]:
    """Residents in the programme per district; small counts suppressed. Aggregates only, nothing personal."""
    if not actor.may(Capability.VIEW_AGGREGATES):
        raise PermissionDenied
    rows = (
        Resident.objects.filter(municipality_id=actor.municipality_id, district__isnull=False)
        .values("district__area", "district__name")
        .annotate(n=Count("id"))
        .order_by("district__area", "district__name")
    )
    return [
        DistrictCount(row["district__area"], row["district__name"], suppress_small(row["n"])) for row in rows
    ]


def visible_domains_of(resident: Resident, actor: Actor) -> set[str]:
    """The domains of this file the actor sees: their own, and the other one with the resident's consent."""
    pairs = Consent.objects.filter(resident=resident).values_list("shared_domain", "withdrawn_on")
    consented = rules.consented_domains(list(pairs), timezone.localdate())
    return rules.visible_domains(str(actor.domain), consented)


def running_benefits(resident: Resident, actor: Actor, *, on: dt.date) -> list[LegalBasis]:
    """The resident's Participatiewet legal bases still running on ``on`` that the actor may see (their own
    domain, or the other one with the resident's consent): what a caseworker must end in the benefit
    system when the route ends for paid work."""
    if LegalBasis.DOMAIN_OF_KIND[LegalBasis.Kind.BIJSTAND] not in visible_domains_of(resident, actor):
        return []
    return list(
        LegalBasis.objects.filter(
            resident=resident, domain=LegalBasis.DOMAIN_OF_KIND[LegalBasis.Kind.BIJSTAND]
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    )


# The privacy officer's processing log: finding a resident, and naming the residents its entries concern.


@dataclass(frozen=True)
class LogSubject:
    """A resident as the processing log names them: full name and only the last digits of the BSN, enough
    to tell two people of the same name apart (the FG may see a BSN, but needs no more of it here)."""

    id: uuid.UUID
    name: str
    bsn_tail: str

    @property
    def masked_bsn(self) -> str:
        return "*" * 6 + self.bsn_tail


LOG_SUBJECT_MATCHES = 50


def find_log_subjects(
    actor: Actor, *, bsn: str = "", name: str = "", resident_id: uuid.UUID | None = None
) -> list[uuid.UUID]:
    """The residents of the actor's municipality with this BSN, this id, or every word of ``name`` in their
    first or last name, for the privacy officer; at most ``LOG_SUBJECT_MATCHES`` + 1 (one more says "too
    many"). Ids only: what is shown of them is read, and logged, by ``describe_log_subjects``."""
    if not actor.may(Capability.VIEW_PROCESSING_LOG):
        raise PermissionDenied
    residents = Resident.objects.filter(municipality_id=actor.municipality_id)
    if bsn:
        residents = residents.filter(bsn=bsn)
    elif resident_id is not None:
        residents = residents.filter(pk=resident_id)
    else:
        words = name.split()
        if not words:
            return []
        for word in words:
            residents = residents.filter(
                Q(given_names__icontains=word)
                | Q(name_prefix__icontains=word)
                | Q(family_name__icontains=word)
            )
    ordered = residents.order_by("family_name", "given_names", "id").values_list("pk", flat=True)
    return list(ordered[: LOG_SUBJECT_MATCHES + 1])


def describe_log_subjects(
    actor: Actor, resident_ids: list[uuid.UUID], *, action: LogAction = LogAction.SEARCH
) -> dict[uuid.UUID, LogSubject]:
    """Name and masked BSN of residents the privacy officer's log screen (or export) shows, of the actor's
    municipality only. Always written to the processing log as supervision, with exactly these residents:
    it is the one row for a look at the log (``audit.selectors.list_log_entries(..., logged=False)``)."""
    if not actor.may(Capability.VIEW_PROCESSING_LOG):
        raise PermissionDenied
    ids = list(dict.fromkeys(resident_ids))
    found: dict[uuid.UUID, LogSubject] = {}
    if ids:
        rows = Resident.objects.filter(municipality_id=actor.municipality_id, pk__in=ids).only(
            "bsn", "given_names", "name_prefix", "family_name"
        )
        found = {r.pk: LogSubject(r.pk, r.full_name, r.bsn[-3:]) for r in rows}
    log.record(actor, action, Purpose.SUPERVISION, [pk for pk in ids if pk in found])
    return found
