"""The building blocks of ``rules.MEASURES`` as database aggregation: per month, one grouped query per
dimension and per pair of filter dimensions, never a loop over residents in Python.

A resident measure is a set of residents (the numerator) and, for shares and means, a second set (the
denominator) as querysets over ``Resident``; grouping them by a dimension gives the cells of the rollup,
and filtering them by one cell gives the residents behind a figure (the drill-down). The other measures
(occupancy, budget) count seats and money.
"""

import datetime as dt
import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from meedoen.budgets.models import Commitment, LedgerEntry
from meedoen.catalogue.models import Contract, Placement, Seat
from meedoen.catalogue.rules import add_months
from meedoen.programmes import rules
from meedoen.programmes.models import Indicator, ProjectMember, ProjectProfile
from meedoen.residents.models import LadderScore, LegalBasis, Resident
from meedoen.routes.models import Route, Step

PAID_WORK = "betaald_werk"
TargetGroupLink = Resident.target_groups.through


class DaysBetween(Func):
    """The whole days from the first date to the second, in SQL (PostgreSQL: date minus date)."""

    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def __init__(self, start: Any, end: Any) -> None:
        super().__init__(end, start)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(JULIANDAY(%(expressions)s) AS INTEGER)",
            arg_joiner=") - JULIANDAY(",
            **extra,
        )


@dataclass(frozen=True)
class Month:
    municipality_id: uuid.UUID
    first: dt.date

    @property
    def end(self) -> dt.date:
        return rules.month_end(self.first)


@dataclass(frozen=True)
class Sets:
    """The residents of a resident measure: ``numerator``, ``denominator`` (None for a count) and, for a
    mean, the value per resident (``value``, an expression over the denominator's annotations). A share's
    numerator is part of its denominator (the rollup counts both in one table)."""

    numerator: QuerySet[Resident]
    denominator: QuerySet[Resident] | None = None
    value: Any = None


# ------------------------------------------------------------------------------------ shared conditions


def _live_steps() -> QuerySet[Step]:
    """Steps that stand: a step a later correction replaced does not count."""
    return Step.objects.filter(corrected_by__isnull=True)


def open_route_at(day: dt.date) -> Exists:
    return Exists(
        Route.objects.filter(resident=OuterRef("pk"), opened_on__lte=day).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )
    )


def phase_at(day: dt.date) -> Subquery:
    """The phase of the resident's route that is open at the end of ``day``: its latest step by then."""
    return Subquery(
        _live_steps()
        .filter(route__resident=OuterRef("pk"), route__opened_on__lte=day, starts_on__lte=day)
        .filter(Q(route__closed_on__isnull=True) | Q(route__closed_on__gt=day))
        .order_by("-starts_on", "-recorded_at")
        .values("phase")[:1]
    )


def _running_seat(day: dt.date) -> QuerySet[Seat]:
    return Seat.objects.filter(starts_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))


def in_project(profile: ProjectProfile, day: dt.date, links: "ProjectLinks") -> Q:
    """A resident is in the project on ``day`` by target group, a running seat on one of its placements
    (or a placement of one of its providers), or an explicit, running membership."""
    condition: Any = Exists(
        ProjectMember.objects.filter(resident=OuterRef("pk"), project_id=profile.pk, since__lte=day).filter(
            Q(until__isnull=True) | Q(until__gte=day)
        )
    )
    groups, placements, providers = links.of(profile.pk)
    if groups:
        condition |= Exists(
            TargetGroupLink.objects.filter(resident_id=OuterRef("pk"), targetgroup_id__in=groups)
        )
    if placements or providers:
        condition |= Exists(
            _running_seat(day)
            .filter(resident_id=OuterRef("pk"))
            .filter(Q(placement_id__in=placements) | Q(placement__provider_id__in=providers))
        )
    return Q(condition)


@dataclass(frozen=True)
class ProjectLinks:
    """The target groups, placements and providers of every project profile of a municipality, read once."""

    links: dict[uuid.UUID, tuple[list[uuid.UUID], list[uuid.UUID], list[uuid.UUID]]]

    def of(self, project_id: uuid.UUID) -> tuple[list[uuid.UUID], list[uuid.UUID], list[uuid.UUID]]:
        return self.links.get(project_id, ([], [], []))

    @classmethod
    def read(cls, profiles: Iterable[ProjectProfile]) -> "ProjectLinks":
        ids = [profile.pk for profile in profiles]
        links: dict[uuid.UUID, tuple[list[uuid.UUID], list[uuid.UUID], list[uuid.UUID]]] = {
            pk: ([], [], []) for pk in ids
        }
        for pk, other in ProjectProfile.target_groups.through.objects.filter(
            projectprofile_id__in=ids
        ).values_list("projectprofile_id", "targetgroup_id"):
            links[pk][0].append(other)
        for pk, other in ProjectProfile.placements.through.objects.filter(
            projectprofile_id__in=ids
        ).values_list("projectprofile_id", "placement_id"):
            links[pk][1].append(other)
        for pk, other in ProjectProfile.providers.through.objects.filter(
            projectprofile_id__in=ids
        ).values_list("projectprofile_id", "provider_id"):
            links[pk][2].append(other)
        return cls(links)


def profiles_of(municipality_id: uuid.UUID) -> list[ProjectProfile]:
    return list(
        ProjectProfile.objects.filter(project__municipality_id=municipality_id).order_by("project__name")
    )


# -------------------------------------------------------------------------------------- resident sets


def _base(indicator: Indicator, month: Month) -> QuerySet[Resident]:
    residents = Resident.objects.filter(municipality_id=month.municipality_id)
    if indicator.min_age:
        residents = residents.filter(date_of_birth__lte=add_months(month.end, -12 * indicator.min_age))
    if indicator.target_group_id:
        residents = residents.filter(
            Exists(
                TargetGroupLink.objects.filter(
                    resident_id=OuterRef("pk"), targetgroup_id=indicator.target_group_id
                )
            )
        )
    return residents


def _stepped_into(phase: str, first: dt.date, last: dt.date) -> QuerySet[Step]:
    return _live_steps().filter(
        route__resident=OuterRef("pk"), phase=phase, starts_on__gte=first, starts_on__lte=last
    )


def resident_sets(indicator: Indicator, month: Month) -> Sets:
    """The residents an indicator counts in ``month`` (only for measures with ``residents``)."""
    base = _base(indicator, month)
    end, first = month.end, month.first
    code = indicator.measure
    if code == "in_programma":
        residents = base.filter(open_route_at(end))
        if indicator.phase:
            residents = residents.annotate(phase_now=phase_at(end)).filter(phase_now=indicator.phase)
        return Sets(residents)
    if code == "stap_naar_fase":
        return Sets(base.filter(Exists(_stepped_into(indicator.phase, first, end))))
    if code == "duurzaam_in_fase":
        months = indicator.months or rules.DEFAULT_MONTHS
        cohort_first = add_months(first, -months)
        cohort_end = rules.month_end(cohort_first)
        entered = Subquery(
            _stepped_into(indicator.phase, cohort_first, cohort_end)
            .order_by("starts_on")
            .values("starts_on")[:1]
        )
        cohort = base.filter(Exists(_stepped_into(indicator.phase, cohort_first, cohort_end))).annotate(
            entered=entered
        )
        left = _live_steps().filter(
            route__resident=OuterRef("pk"), starts_on__gt=OuterRef("entered"), starts_on__lte=end
        )
        return Sets(cohort.exclude(Exists(left.exclude(phase=indicator.phase))), cohort)
    if code == "trede_omhoog":
        months = indicator.months or rules.DEFAULT_MONTHS
        window = add_months(end, -months)
        scores = LadderScore.objects.filter(resident=OuterRef("pk"))
        current = Subquery(
            scores.filter(scored_on__lte=end).order_by("-scored_on", "-created_at").values("rung")[:1]
        )
        baseline = Coalesce(
            Subquery(
                scores.filter(scored_on__lte=window).order_by("-scored_on", "-created_at").values("rung")[:1]
            ),
            Subquery(
                scores.filter(scored_on__gt=window, scored_on__lte=end)
                .order_by("scored_on", "created_at")
                .values("rung")[:1]
            ),
        )
        scored = base.filter(open_route_at(end), Exists(scores.filter(scored_on__lte=end)))
        climbed = scored.annotate(rung_now=current, rung_then=baseline).filter(rung_now__gt=F("rung_then"))
        return Sets(climbed, scored)
    if code == "stap_terug":
        steps = _live_steps().filter(route__resident=OuterRef("pk"), is_back=True, starts_on__gte=first)
        return Sets(base.filter(Exists(steps.filter(starts_on__lte=end))))
    if code == "terugval":
        routes = Route.objects.filter(
            resident=OuterRef("pk"), is_fall_back=True, opened_on__gte=first, opened_on__lte=end
        )
        return Sets(base.filter(Exists(routes)))
    if code == "wachttijd":
        seats = Seat.objects.filter(resident=OuterRef("pk"))
        first_seat = Subquery(seats.order_by("starts_on").values("starts_on")[:1])
        intake = Subquery(
            Route.objects.filter(resident=OuterRef("pk")).order_by("opened_on").values("opened_on")[:1]
        )
        measured = (
            base.filter(Exists(seats.filter(starts_on__gte=first, starts_on__lte=end)))
            .annotate(first_seat=first_seat, intake=intake)
            .filter(first_seat__gte=first, intake__isnull=False, intake__lte=F("first_seat"))
        )
        return Sets(measured, measured, DaysBetween(F("intake"), F("first_seat")))
    raise ValueError(f"{code} is not a resident measure")


# ------------------------------------------------------------------------------------------ grouping


def behind(residents: QuerySet[Resident], dimension: str, key: str, month: Month) -> QuerySet[Resident]:
    """The residents of one cell: ``residents`` narrowed to one key of a dimension (call it once per
    filter for a cell of two filters at once)."""
    end = month.end
    if dimension == rules.Dimension.PROJECT:
        try:
            project_id = uuid.UUID(key)
        except ValueError:
            return residents.none()
        profile = ProjectProfile.objects.filter(
            pk=project_id, project__municipality_id=month.municipality_id
        ).first()
        if profile is None:
            return residents.none()
        return residents.filter(in_project(profile, end, ProjectLinks.read([profile])))
    if dimension == rules.Dimension.DISTRICT:
        return residents.filter(district_id=key)
    if dimension == rules.Dimension.TARGET_GROUP:
        return residents.filter(
            Exists(TargetGroupLink.objects.filter(resident_id=OuterRef("pk"), targetgroup_id=key))
        )
    if dimension == rules.Dimension.LEGAL_BASIS:
        bases = LegalBasis.objects.filter(resident=OuterRef("pk"), kind=key, start_date__lte=end)
        return residents.filter(Exists(bases.filter(Q(end_date__isnull=True) | Q(end_date__gte=end))))
    if dimension == rules.Dimension.PHASE:
        return residents.annotate(phase_now=phase_at(end)).filter(phase_now=key)
    return residents


# ---------------------------------------------------------------------------------- seats and money


def _cents(amount: Decimal | None) -> int:
    return int((amount or Decimal(0)) * 100)


def _seat_cells(
    month: Month, profiles: list[ProjectProfile], links: ProjectLinks
) -> dict[str, tuple[int, int]]:
    end = month.end
    contracted = Contract.objects.filter(municipality_id=month.municipality_id, starts_on__lte=end).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=end)
    )
    placements = Placement.objects.filter(provider_id__in=contracted.values("provider_id"))
    seats = _running_seat(end).filter(municipality_id=month.municipality_id)
    result = {"": (seats.count(), placements.aggregate(c=Sum("capacity"))["c"] or 0)}
    for profile in profiles:
        _groups, placement_ids, provider_ids = links.of(profile.pk)
        if not placement_ids and not provider_ids:
            continue
        which = Q(pk__in=placement_ids) | Q(provider_id__in=provider_ids)
        capacity = placements.filter(which).aggregate(c=Sum("capacity"))["c"] or 0
        used = seats.filter(
            Q(placement_id__in=placement_ids) | Q(placement__provider_id__in=provider_ids)
        ).count()
        result[str(profile.pk)] = (used, capacity)
    return result


def _money_cells(indicator: Indicator, month: Month) -> dict[str, tuple[int, int]]:
    end = month.end
    entries = LedgerEntry.objects.filter(
        municipality_id=month.municipality_id, budget_year__year=end.year, booked_on__lte=end
    ).order_by()
    paid = {
        str(key or ""): total
        for key, total in entries.filter(kind="betaling")
        .values_list("project_id")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "total")
    }
    all_paid = _cents(sum(paid.values(), Decimal(0)))
    paid_cents = {key: _cents(total) for key, total in paid.items() if key}
    code = indicator.measure
    if code == "budgetgebruik":
        budget = entries.filter(kind__in=["budget", "mutatie"]).aggregate(t=Sum("amount"))["t"]
        allocated = dict(
            entries.filter(kind="toewijzing", project__isnull=False)
            .values_list("project_id")
            .annotate(t=Sum("amount"))
            .values_list("project_id", "t")
        )
        result = {"": (all_paid, _cents(budget))}
        for key, total in allocated.items():
            result[str(key)] = (paid_cents.get(str(key), 0), _cents(total))
        return result
    commitments = Commitment.objects.filter(
        municipality_id=month.municipality_id,
        budget_year__year=end.year,
        starts_on__lte=end,
        resident__isnull=False,
    ).order_by()
    if code == "kosten_per_uitstroom":
        out = _live_steps().filter(
            route__resident=OuterRef("resident_id"),
            phase=PAID_WORK,
            starts_on__gte=dt.date(end.year, 1, 1),
            starts_on__lte=end,
        )
        commitments = commitments.filter(Exists(out))
    people = commitments.aggregate(n=Count("resident_id", distinct=True))["n"] or 0
    result = {"": (all_paid, people)}
    per_project = (
        commitments.filter(project__isnull=False)
        .values_list("project_id")
        .annotate(n=Count("resident_id", distinct=True))
        .values_list("project_id", "n")
    )
    for key, n in per_project:
        result[str(key)] = (paid_cents.get(str(key), 0), n)
    return result


# ------------------------------------------------------------------------------------------- a month
#
# The rollup evaluates each resident set once, into a temporary table, and groups it by joining that table
# with the dimensions: the resident's district and target groups, the legal bases running at the month's
# end, and two tables made once per month (the phase at the month's end, the project members). So a month is
# a few passes over the residents, not one per dimension and project. For the cells of two filters at once
# the month also gets one table per pair of filter dimensions with each resident's pairs of keys (made once,
# from the same sources), so grouping a resident set by a pair is one join, as by a single dimension.

NUM, DEN, PHASES, MEMBERS = (
    "meedoen_rollup_num",
    "meedoen_rollup_den",
    "meedoen_rollup_phase",
    "meedoen_rollup_members",
)


@dataclass(frozen=True)
class Row:
    dimension: str
    key: str
    numerator: int
    denominator: int | None


def _execute(sql: str, params: Iterable[Any] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def _fetch(sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def _insert(table: str, queryset: QuerySet[Any], columns: str = "") -> None:
    sql, params = queryset.query.sql_with_params()
    _execute(f"INSERT INTO {table} {columns} {sql}", params)


def _id_type() -> str:
    return str(Resident._meta.pk.db_type(connection))


def pair_table(pair: tuple[rules.Dimension, rules.Dimension]) -> str:
    return f"meedoen_rollup_pair_{pair[0].value}_{pair[1].value}"


PAIR_TABLES = [pair_table(pair) for pair in itertools.combinations(rules.FILTER_DIMENSIONS, 2)]


def _drop(*tables: str) -> None:
    for table in tables:
        _execute(f"DROP TABLE IF EXISTS {table}")


class Scratch:
    """The month's temporary tables: the phase of every resident with an open route at the month's end, who
    is in which project then, and (``pairs``) each resident's keys of every two filter dimensions. Made on
    entering, dropped on leaving."""

    def __init__(
        self, month: Month, profiles: list[ProjectProfile], links: ProjectLinks, *, pairs: bool = True
    ) -> None:
        self.month, self.profiles, self.links, self.pairs = month, profiles, links, pairs

    def __enter__(self) -> "Scratch":
        end, ids = self.month.end, _id_type()
        _drop(PHASES, MEMBERS, NUM, DEN, *PAIR_TABLES)
        _execute(f"CREATE TEMPORARY TABLE {PHASES} (resident_id {ids} NOT NULL, phase VARCHAR(30) NOT NULL)")
        phases = (
            Resident.objects.filter(municipality_id=self.month.municipality_id)
            .annotate(phase_now=phase_at(end))
            .filter(phase_now__isnull=False)
            .values_list("pk", "phase_now")
        )
        _insert(PHASES, phases)
        _execute(
            f"CREATE TEMPORARY TABLE {MEMBERS} (project_key VARCHAR(64) NOT NULL, resident_id {ids} NOT NULL)"
        )
        for profile in self.profiles:
            key = Value(str(profile.pk), output_field=CharField())
            groups, placements, providers = self.links.of(profile.pk)
            parts: list[QuerySet[Any]] = [
                ProjectMember.objects.filter(project_id=profile.pk, since__lte=end)
                .filter(Q(until__isnull=True) | Q(until__gte=end))
                .annotate(key=key)
                .values_list("key", "resident_id")
            ]
            if groups:
                parts.append(
                    TargetGroupLink.objects.filter(
                        targetgroup_id__in=groups, resident__municipality_id=self.month.municipality_id
                    )
                    .annotate(key=key)
                    .values_list("key", "resident_id")  # type: ignore[misc]
                )
            if placements or providers:
                parts.append(
                    _running_seat(end)
                    .filter(municipality_id=self.month.municipality_id)
                    .filter(Q(placement_id__in=placements) | Q(placement__provider_id__in=providers))
                    .annotate(key=key)
                    .values_list("key", "resident_id")
                )
            for part in parts:
                _insert(MEMBERS, part)
        if self.pairs:
            for pair in itertools.combinations(rules.FILTER_DIMENSIONS, 2):
                self._fill_pair(pair)
        return self

    def _fill_pair(self, pair: tuple[rules.Dimension, rules.Dimension]) -> None:
        """Every pair of keys (first dimension, second) a resident of the municipality has at the month's
        end, once: the same sources the grouping by one dimension joins."""
        table = pair_table(pair)
        _execute(
            f"CREATE TEMPORARY TABLE {table} "
            f"(resident_id {_id_type()} NOT NULL, ka VARCHAR(64) NOT NULL, kb VARCHAR(64) NOT NULL)"
        )
        joined, keys, params = _joins([_source(d, self.month) for d in pair])
        municipality = Resident._meta.get_field("municipality").get_db_prep_value(
            self.month.municipality_id, connection
        )
        _execute(
            f"INSERT INTO {table} (resident_id, ka, kb) SELECT DISTINCT t.id, {', '.join(keys)} "  # noqa: S608
            f"FROM {Resident._meta.db_table} t {joined} WHERE t.municipality_id = %s",
            [*params, municipality],
        )

    def __exit__(self, *_exc: object) -> None:
        _drop(PHASES, MEMBERS, NUM, DEN, *PAIR_TABLES)


def _fill(table: str, residents: QuerySet[Resident], value: Any) -> None:
    _drop(table)
    _execute(f"CREATE TEMPORARY TABLE {table} (id {_id_type()} NOT NULL, v BIGINT)")
    if value is None:
        _insert(table, residents.values_list("pk"), "(id)")
    else:
        _insert(table, residents.annotate(v=value).values_list("pk", "v"), "(id, v)")


def _uuid_key(key: Any) -> str:
    return str(uuid.UUID(str(key)))


@dataclass(frozen=True)
class _Source:
    """Where a dimension's keys of a resident are, to join a filled table with: a table (or derived table),
    its resident column and key column, and more of the join's condition (``{a}`` is the alias)."""

    table: str
    resident: str
    key: str
    condition: str = ""
    params: tuple[Any, ...] = ()
    repeats: bool = False  # a resident may have the same key twice: count them once (DISTINCT)
    uuids: bool = False  # the keys are UUIDs, written as text with dashes


def _source(dimension: rules.Dimension, month: Month) -> _Source:
    if dimension is rules.Dimension.DISTRICT:
        return _Source(
            Resident._meta.db_table, "id", "district_id", "{a}.district_id IS NOT NULL", uuids=True
        )
    if dimension is rules.Dimension.TARGET_GROUP:
        return _Source(TargetGroupLink._meta.db_table, "resident_id", "targetgroup_id", uuids=True)
    if dimension is rules.Dimension.LEGAL_BASIS:
        end = connection.ops.adapt_datefield_value(month.end)
        return _Source(
            LegalBasis._meta.db_table,
            "resident_id",
            "kind",
            "{a}.start_date <= %s AND ({a}.end_date IS NULL OR {a}.end_date >= %s)",
            (end, end),
            repeats=True,
        )
    if dimension is rules.Dimension.PHASE:
        return _Source(PHASES, "resident_id", "phase")
    if dimension is rules.Dimension.PROJECT:
        return _Source(
            f"(SELECT DISTINCT project_key, resident_id FROM {MEMBERS})",  # noqa: S608
            "resident_id",
            "project_key",
        )
    raise ValueError(f"{dimension!r} is not a dimension to group by")


def _joins(sources: list[_Source]) -> tuple[str, list[str], list[Any]]:
    """The joins of table ``t`` (its ``id`` a resident's) with each source, their key columns, and params."""
    joins: list[str] = []
    keys: list[str] = []
    params: list[Any] = []
    for index, source in enumerate(sources):
        alias = f"d{index}"
        condition = f" AND {source.condition.format(a=alias)}" if source.condition else ""
        joins.append(f"JOIN {source.table} {alias} ON {alias}.{source.resident} = t.id{condition}")
        keys.append(f"{alias}.{source.key}")
        params += source.params
    return " ".join(joins), keys, params


def _grouped(
    table: str, dimensions: tuple[rules.Dimension, ...], month: Month, has_value: bool
) -> dict[str, tuple[int, int]]:
    """Count (and sum of values) of a filled table's residents per key of one dimension, or per pair of keys
    of two filter dimensions (key "<first>|<second>", from the month's pair table): one query each."""
    s = "SUM(t.v)" if has_value else "COUNT(*)"
    if dimensions == (rules.Dimension.ALL,):
        ((n, total),) = _fetch(f"SELECT COUNT(*), {s} FROM {table} t")  # noqa: S608
        return {"": (int(n or 0), int(total or 0))}
    sources = [_source(dimension, month) for dimension in dimensions]
    if len(dimensions) == 2:
        first, second = dimensions
        sql = (
            f"SELECT p.ka, p.kb, COUNT(*), {s} FROM {table} t "  # noqa: S608
            f"JOIN {pair_table((first, second))} p ON p.resident_id = t.id GROUP BY p.ka, p.kb"
        )
        params: list[Any] = []
    else:
        joined, keys, params = _joins(sources)
        if sources[0].repeats:
            v = "SUM(q.v)" if has_value else "COUNT(*)"
            sql = (
                f"SELECT q.k0, COUNT(*), {v} FROM "  # noqa: S608
                f"(SELECT DISTINCT t.id AS id, t.v AS v, {keys[0]} AS k0 FROM {table} t {joined}) q "
                "GROUP BY q.k0"
            )
        else:
            sql = f"SELECT {keys[0]}, COUNT(*), {s} FROM {table} t {joined} GROUP BY {keys[0]}"  # noqa: S608
    result = {}
    for *found, n, total in _fetch(sql, params):
        key = rules.KEY_JOIN.join(
            _uuid_key(k) if source.uuids else str(k) for k, source in zip(found, sources, strict=True)
        )
        result[key] = (int(n or 0), int(total or 0))
    return result


def compute(
    indicator: Indicator,
    month: Month,
    profiles: list[ProjectProfile],
    links: ProjectLinks,
    *,
    singles: bool = True,
    pairs: Iterable[tuple[rules.Dimension, rules.Dimension]] | None = None,
) -> list[Row]:
    """The cells of one indicator in one month (resident measures inside ``Scratch`` of that month): the
    whole programme's and each dimension's (``singles``), and those of two filter dimensions at once
    (``pairs``: by default every pair the building block has, ``rules.pairs_of``), each pair with its row
    of an empty key that marks it as computed."""
    spec = indicator.spec
    if not spec.residents:
        if not singles:
            return []
        if indicator.measure == "bezetting":
            cells = _seat_cells(month, profiles, links)
        else:
            cells = _money_cells(indicator, month)
        return [
            Row("" if key == "" else rules.Dimension.PROJECT.value, key, numerator, denominator)
            for key, (numerator, denominator) in cells.items()
        ]
    paired = rules.pairs_of(spec) if pairs is None else list(pairs)
    groupings: list[tuple[rules.Dimension, ...]] = [(d,) for d in spec.dimensions] if singles else []
    groupings += paired
    sets = resident_sets(indicator, month)
    rows = []
    if spec.kind is rules.Kind.COUNT:
        _fill(NUM, sets.numerator, None)
        for grouping in groupings:
            counts = _grouped(NUM, grouping, month, False)
            name = rules.dimension_name(grouping)
            rows += [Row(name, key, n, None) for key, (n, _s) in counts.items()]
    elif spec.kind is rules.Kind.MEAN:
        assert sets.denominator is not None
        _fill(DEN, sets.denominator, sets.value)
        for grouping in groupings:
            means = _grouped(DEN, grouping, month, True)
            name = rules.dimension_name(grouping)
            rows += [Row(name, key, s, n) for key, (n, s) in means.items() if n]
    else:
        # A share's numerator is part of its denominator: one table of the denominator, with v = 1 for the
        # residents of the numerator, gives both in one grouped query (the count and the sum of v).
        assert sets.denominator is not None
        _fill(NUM, sets.numerator, None)
        _fill(DEN, sets.denominator, None)
        _execute(f"UPDATE {DEN} SET v = 1 WHERE id IN (SELECT id FROM {NUM})")  # noqa: S608
        for grouping in groupings:
            shares = _grouped(DEN, grouping, month, True)
            name = rules.dimension_name(grouping)
            rows += [Row(name, key, s, n) for key, (n, s) in shares.items() if n]
    rows += [Row(rules.dimension_name(pair), "", 0, None) for pair in paired]
    if singles and not any(row.dimension == "" for row in rows):
        rows.append(Row("", "", 0, None if spec.kind is rules.Kind.COUNT else 0))
    return rows
