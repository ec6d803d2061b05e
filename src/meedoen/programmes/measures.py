"""The building blocks of ``rules.MEASURES`` as database aggregation: per month, one grouped query per
dimension (and one per project), never a loop over residents in Python.

A resident measure is a set of residents (the numerator) and, for shares and means, a second set (the
denominator) as querysets over ``Resident``; grouping them by a dimension gives the cells of the rollup,
and filtering them by one cell gives the residents behind a figure (the drill-down). The other measures
(occupancy, budget) count seats and money.
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
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
    mean, the value per resident (``value``, an expression over the denominator's annotations)."""

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


Cells = dict[tuple[str, str], list[int]]  # (dimension, key) -> [count, sum of values]


def _agg(value: Any) -> dict[str, Any]:
    return {
        "n": Count("pk", distinct=True),
        "s": Sum(value) if value is not None else Count("pk", distinct=True),
    }


def _group(
    residents: QuerySet[Resident],
    dimension: rules.Dimension,
    month: Month,
    value: Any,
    profiles: list[ProjectProfile],
    links: ProjectLinks,
) -> dict[str, tuple[int, int]]:
    residents = residents.order_by()
    end = month.end
    if dimension is rules.Dimension.ALL:
        row = residents.aggregate(**_agg(value))
        return {"": (row["n"] or 0, row["s"] or 0)}
    if dimension is rules.Dimension.PROJECT:
        result = {}
        for profile in profiles:
            row = residents.filter(in_project(profile, end, links)).aggregate(**_agg(value))
            if row["n"]:
                result[str(profile.pk)] = (row["n"], row["s"] or 0)
        return result
    if dimension is rules.Dimension.DISTRICT:
        grouped, field = residents.filter(district__isnull=False), "district_id"
    elif dimension is rules.Dimension.TARGET_GROUP:
        grouped, field = residents.filter(target_groups__isnull=False), "target_groups"
    elif dimension is rules.Dimension.LEGAL_BASIS:
        grouped, field = (
            residents.filter(
                Q(legal_bases__start_date__lte=end)
                & (Q(legal_bases__end_date__isnull=True) | Q(legal_bases__end_date__gte=end))
            ),
            "legal_bases__kind",
        )
    else:
        grouped, field = (
            residents.annotate(phase_now=phase_at(end)).filter(phase_now__isnull=False),
            "phase_now",
        )
    rows = grouped.values(field).annotate(**_agg(value)).values_list(field, "n", "s")
    return {str(key): (n, s or 0) for key, n, s in rows}


def behind(residents: QuerySet[Resident], dimension: str, key: str, month: Month) -> QuerySet[Resident]:
    """The residents of one cell: ``residents`` narrowed to one key of a dimension."""
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


@dataclass(frozen=True)
class Row:
    dimension: str
    key: str
    numerator: int
    denominator: int | None


def compute(
    indicator: Indicator, month: Month, profiles: list[ProjectProfile], links: ProjectLinks
) -> list[Row]:
    """Every cell of one indicator in one month."""
    spec = indicator.spec
    if not spec.residents:
        if indicator.measure == "bezetting":
            cells = _seat_cells(month, profiles, links)
        else:
            cells = _money_cells(indicator, month)
        return [
            Row("" if key == "" else rules.Dimension.PROJECT.value, key, numerator, denominator)
            for key, (numerator, denominator) in cells.items()
        ]
    sets = resident_sets(indicator, month)
    rows = []
    for dimension in spec.dimensions:
        if spec.kind is rules.Kind.COUNT:
            counts = _group(sets.numerator, dimension, month, None, profiles, links)
            rows += [Row(dimension.value, key, n, None) for key, (n, _s) in counts.items()]
        elif spec.kind is rules.Kind.MEAN:
            assert sets.denominator is not None
            means = _group(sets.denominator, dimension, month, sets.value, profiles, links)
            rows += [Row(dimension.value, key, s, n) for key, (n, s) in means.items()]
        else:
            assert sets.denominator is not None
            tops = _group(sets.numerator, dimension, month, None, profiles, links)
            bottoms = _group(sets.denominator, dimension, month, None, profiles, links)
            rows += [
                Row(dimension.value, key, tops.get(key, (0, 0))[0], n) for key, (n, _s) in bottoms.items()
            ]
    if not any(row.dimension == "" for row in rows):
        rows.append(Row("", "", 0, None if spec.kind is rules.Kind.COUNT else 0))
    return rows
