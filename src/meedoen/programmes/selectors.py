"""Every read of the programme, scoped to the actor's municipality and rights.

The dashboard reads only the rollup (``IndicatorValue``): one query for the figures of all indicators over
the trend's months, one for the targets. Small cells are hidden here, before anything reaches a page, the
API or the command line. The drill-down to the residents behind a figure is for caseworkers only, over
their own caseload, and is logged."""

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import Lag
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meedoen.accounts.actor import Actor
from meedoen.accounts.models import Membership, User
from meedoen.accounts.policies import Capability, Domain, Role, may
from meedoen.audit import log
from meedoen.audit.models import LogAction, Purpose
from meedoen.budgets import selectors as budget_selectors
from meedoen.budgets.models import LedgerEntry, Project
from meedoen.catalogue.models import Contract, Placement, Provider
from meedoen.formatting import euro
from meedoen.municipalities.labels import vocabulary_name
from meedoen.municipalities.models import District, Municipality, TargetGroup
from meedoen.programmes import measures, rules
from meedoen.programmes.models import (
    CouncilReport,
    Indicator,
    IndicatorValue,
    Programme,
    ProjectMember,
    ProjectProfile,
    ProjectText,
    RollupRun,
    Success,
    Target,
)
from meedoen.residents.models import LadderScore, LegalBasis, Resident
from meedoen.residents.selectors import access_own_file, visible_residents
from meedoen.routes.labels import PHASE_LABELS
from meedoen.routes.models import Step
from meedoen.routes.transitions import PHASES

TREND_MONTHS = 12
SUPPRESSED = "<5"


def _require(actor: Actor, capability: Capability) -> None:
    if not actor.may(capability):
        raise PermissionDenied


def indicator_name(indicator: Indicator) -> str:
    """The default indicators' names are translated; a name a beheerder wrote is shown as written."""
    return _(indicator.name) if indicator.created_by_id is None else indicator.name


def indicator_how(indicator: Indicator) -> str:
    return _(indicator.how_computed) if indicator.created_by_id is None else indicator.how_computed


# ------------------------------------------------------------------------------- programme and projects


def programme_of(actor: Actor) -> Programme | None:
    _require(actor, Capability.VIEW_INDICATORS)
    return Programme.objects.filter(municipality_id=actor.municipality_id).first()


def programme_for_change(actor: Actor) -> Programme | None:
    _require(actor, Capability.MANAGE_PROGRAMME)
    return Programme.objects.filter(municipality_id=actor.municipality_id).first()


def team_of(programme: Programme) -> list:
    return list(programme.team.all())


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    profile: ProjectProfile | None
    allocated: Decimal | None  # this year's money set aside for the project (None: no budget year yet)
    target_groups: list[str] = field(default_factory=list)
    providers: list[str] = field(default_factory=list)
    placements: list[str] = field(default_factory=list)


def projects_of(actor: Actor) -> list[ProjectRow]:
    """The budget's projects with what the programme describes of them, and this year's allocation."""
    _require(actor, Capability.VIEW_INDICATORS)
    projects = list(Project.objects.filter(municipality_id=actor.municipality_id).order_by("name"))
    profiles = {
        p.pk: p
        for p in ProjectProfile.objects.filter(project__in=projects).prefetch_related(
            "target_groups", "providers", "placements"
        )
    }
    year = budget_selectors.budget_year_of(actor.municipality_id, timezone.localdate().year)
    allocated: dict[object, Decimal] = {}
    if year is not None:
        sums = budget_selectors.sums_by(
            LedgerEntry.objects.filter(budget_year=year, project__isnull=False), "project_id"
        )
        allocated = {key: balance.allocated for key, balance in sums.items()}
    rows = []
    for project in projects:
        profile = profiles.get(project.pk)
        rows.append(
            ProjectRow(
                project=project,
                profile=profile,
                allocated=allocated.get(project.pk, Decimal(0)) if year is not None else None,
                target_groups=[g.label for g in profile.target_groups.all()] if profile else [],
                providers=[p.name for p in profile.providers.all()] if profile else [],
                placements=[p.title for p in profile.placements.all()] if profile else [],
            )
        )
    return rows


def project_costs(actor: Actor) -> list[budget_selectors.ProjectCost]:
    """The budget's cost per resident and per outflow per project for this year (suppressed for roles that
    may not manage the budget), or nothing when the actor may not see the budget or no year is open."""
    if not actor.may(Capability.VIEW_BUDGET):
        return []
    year = budget_selectors.budget_year_of(actor.municipality_id, timezone.localdate().year)
    return budget_selectors.project_costs(actor, year) if year is not None else []


def project_for_change(project_id: uuid.UUID, actor: Actor) -> Project:
    _require(actor, Capability.MANAGE_PROGRAMME)
    return get_object_or_404(Project, pk=project_id, municipality_id=actor.municipality_id)


def project_to_join(project_id: uuid.UUID, actor: Actor) -> Project:
    _require(actor, Capability.VIEW_RESIDENT_FILE)
    return get_object_or_404(Project, pk=project_id, municipality_id=actor.municipality_id)


def profile_of(project: Project) -> ProjectProfile | None:
    return ProjectProfile.objects.filter(project=project).first()


def contracted_providers(actor: Actor) -> list[Provider]:
    return list(
        Provider.objects.filter(contracts__municipality_id=actor.municipality_id).distinct().order_by("name")
    )


def contracted_placements(actor: Actor) -> list[Placement]:
    providers = Contract.objects.filter(municipality_id=actor.municipality_id).values("provider_id")
    return list(
        Placement.objects.filter(provider_id__in=providers).select_related("provider").order_by("title")
    )


def target_groups_of(actor: Actor) -> list[TargetGroup]:
    return list(
        TargetGroup.objects.filter(municipality_id=actor.municipality_id, is_active=True).order_by("name")
    )


def memberships_of(resident: Resident) -> list[ProjectMember]:
    """The explicit project memberships of a resident the caller already accessed (and logged)."""
    return list(ProjectMember.objects.filter(resident=resident).select_related("project").order_by("-since"))


def member_for_change(member_id: uuid.UUID, resident: Resident, actor: Actor) -> ProjectMember:
    _require(actor, Capability.VIEW_RESIDENT_FILE)
    return get_object_or_404(
        ProjectMember, pk=member_id, resident=resident, municipality_id=actor.municipality_id
    )


def joinable_projects(actor: Actor) -> list[Project]:
    return list(
        Project.objects.filter(municipality_id=actor.municipality_id, is_active=True).order_by("name")
    )


# ----------------------------------------------------------------------------------------- indicators


def indicators_of(actor: Actor) -> list[Indicator]:
    _require(actor, Capability.VIEW_INDICATORS)
    return list(
        Indicator.objects.filter(municipality_id=actor.municipality_id)
        .select_related("target_group")
        .prefetch_related("targets")
    )


def indicator_for_change(indicator_id: uuid.UUID, actor: Actor) -> Indicator:
    _require(actor, Capability.MANAGE_INDICATORS)
    return get_object_or_404(Indicator, pk=indicator_id, municipality_id=actor.municipality_id)


def targets_of(indicator: Indicator) -> list[Target]:
    return list(indicator.targets.all())


def latest_runs(actor: Actor, limit: int = 5) -> list[RollupRun]:
    _require(actor, Capability.VIEW_INDICATORS)
    return list(RollupRun.objects.filter(municipality_id=actor.municipality_id)[:limit])


# ------------------------------------------------------------------------------------------ dashboard


@dataclass(frozen=True)
class Filter:
    """What the dashboard is narrowed to: nothing (the whole programme), or a key of one filter dimension, or
    keys of two at once (``parts``: (dimension, key) in the order of ``rules.FILTER_DIMENSIONS``), with the
    keys' names."""

    parts: tuple[tuple[str, str], ...] = ()
    labels: tuple[str, ...] = ()

    @property
    def dimension(self) -> str:
        """The rollup's dimension of the filter's cells: "" (none), "wijk", or "project+wijk"."""
        return rules.PAIR_JOIN.join(dimension for dimension, _key in self.parts)

    @property
    def key(self) -> str:
        """The rollup's key of the filter's cell: "<district id>", or "<project id>|<district id>"."""
        return rules.KEY_JOIN.join(key for _dimension, key in self.parts)

    @property
    def label(self) -> str:
        return ", ".join(self.labels)


@dataclass(frozen=True)
class Figure:
    label: str  # the month ("2026-05") or period
    value: Decimal | None  # None: hidden or not computed
    hidden: bool
    text: str  # as shown: "<5", "—", "12,5%", "€ 1.200,00", "34"
    target: Decimal | None = None
    target_text: str = ""
    meets: bool | None = None
    computed: bool = True


@dataclass(frozen=True)
class Panel:
    indicator: Indicator
    name: str
    how: str
    unit: str
    figure: Figure
    trend: list[Figure]
    summary: str
    drill: bool  # whether the actor may open the residents behind the figure
    note: str = ""  # why there is no figure: it cannot be split by the filter ("niet te splitsen naar wijk")


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    text: str


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: list[BreakdownRow]


@dataclass(frozen=True)
class Dashboard:
    period: rules.Period
    filter: Filter
    panels: list[Panel]
    breakdowns: list[Breakdown]
    computed_at: dt.datetime | None


def _unit_text(unit: str) -> str:
    return {
        rules.Unit.RESIDENTS: _("inwoners"),
        rules.Unit.PERCENT: _("procent"),
        rules.Unit.DAYS: _("dagen"),
        rules.Unit.EURO: _("euro"),
    }.get(rules.Unit(unit), unit)


def format_value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == rules.Unit.EURO:
        return euro(value)
    if unit == rules.Unit.PERCENT:
        return f"{number_format(value, 1)}%"
    if unit == rules.Unit.DAYS:
        return number_format(value, 1)
    return number_format(value, 0 if value == value.to_integral_value() else 1, force_grouping=True)


def _figure(
    indicator: Indicator, label: str, cell: rules.Cell | None, target: Decimal | None, *, hide: bool
) -> Figure:
    """A figure as shown: "—" when not computed, "<5" when ``hide`` (decided by ``_hidden``)."""
    spec = indicator.spec
    target_text = format_value(target, indicator.unit) if target is not None else ""
    if cell is None:
        return Figure(label, None, False, "—", target, target_text, None, computed=False)
    if hide:
        return Figure(label, None, True, SUPPRESSED, target, target_text, None)
    value = rules.value_of(spec, cell)
    meets = rules.meets(target, value, higher_is_better=indicator.higher_is_better)
    return Figure(label, value, False, format_value(value, indicator.unit), target, target_text, meets)


def _target_of(targets: list[Target], month: dt.date) -> Decimal | None:
    for target in targets:
        if target.starts_on <= month <= target.ends_on:
            return target.value
    return None


def _summary(panel_name: str, figure: Figure, trend: list[Figure], period: rules.Period) -> str:
    if not figure.computed:
        return _("%(name)s: voor %(period)s is nog niets berekend.") % {
            "name": panel_name,
            "period": period.label,
        }
    if figure.hidden:
        text = _("%(name)s in %(period)s: minder dan 5 inwoners, daarom niet getoond.") % {
            "name": panel_name,
            "period": period.label,
        }
    else:
        text = _("%(name)s in %(period)s: %(value)s.") % {
            "name": panel_name,
            "period": period.label,
            "value": figure.text,
        }
    if figure.target is not None:
        if figure.meets is True:
            text += " " + _("De streefwaarde van %(target)s is gehaald.") % {"target": figure.target_text}
        elif figure.meets is False:
            text += " " + _("De streefwaarde van %(target)s is niet gehaald.") % {
                "target": figure.target_text
            }
        else:
            text += " " + _("De streefwaarde is %(target)s.") % {"target": figure.target_text}
    shown = [f for f in trend if f.value is not None]
    if len(shown) >= 2:
        text += " " + _("Van %(first_month)s tot %(last_month)s ging het van %(first)s naar %(last)s.") % {
            "first_month": shown[0].label,
            "last_month": shown[-1].label,
            "first": shown[0].text,
            "last": shown[-1].text,
        }
    return text


CellMap = dict[tuple[uuid.UUID, dt.date, str, str], rules.Cell]
Columns = dict[tuple[uuid.UUID, dt.date, str], dict[str, rules.Cell]]


def _cells(
    municipality_id: uuid.UUID,
    first: dt.date,
    last: dt.date,
    flt: Filter,
    indicator_ids: Sequence[uuid.UUID] | None = None,
) -> CellMap:
    """The rollup's cells a filter's figures and their suppression need: the whole programme's; for each
    filter every key of its dimension (whether the filter's figure may be shown depends on the others); for
    two filters the pair's mark and its two lines (the first key with every key of the second dimension,
    and the second key with every key of the first)."""
    values = IndicatorValue.objects.filter(municipality_id=municipality_id, month__gte=first, month__lte=last)
    if indicator_ids is not None:
        values = values.filter(indicator_id__in=indicator_ids)
    which = Q(dimension="", key="")
    for dimension, _key in flt.parts:
        which |= Q(dimension=dimension)
    if len(flt.parts) == 2:
        (_first, first_key), (_second, second_key) = flt.parts
        which |= Q(dimension=flt.dimension) & (
            Q(key="")
            | Q(key__startswith=f"{first_key}{rules.KEY_JOIN}")
            | Q(key__endswith=f"{rules.KEY_JOIN}{second_key}")
        )
    rows = values.filter(which).values_list(
        "indicator_id", "month", "dimension", "key", "numerator", "denominator"
    )
    return {(i, m, d, k): rules.Cell(n, den) for i, m, d, k, n, den in rows}


@dataclass(frozen=True)
class _Cells:
    """An indicator's cells for a filter in a month (or a period): the filter's own (None: not computed),
    the whole programme's, and each filter's alone (for one filter that is its own)."""

    own: rules.Cell | None
    whole: rules.Cell | None = None
    alone: tuple[rules.Cell, ...] = ()


def _month_cells(cells: CellMap, indicator: Indicator, month: dt.date, flt: Filter) -> _Cells:
    """A key without a row in a computed month is zero; a pair of filters is computed for the month only
    when its mark is there (a month closed before the rollup stored pairs waits for ``build_month``)."""
    whole = cells.get((indicator.pk, month, "", ""))
    if not flt.parts:
        return _Cells(whole)
    if whole is None:
        return _Cells(None)
    zero = rules.Cell(0, None if indicator.spec.kind is rules.Kind.COUNT else 0)
    alone = tuple(cells.get((indicator.pk, month, d, k), zero) for d, k in flt.parts)
    if len(flt.parts) == 1:
        return _Cells(alone[0], whole, alone)
    if (indicator.pk, month, flt.dimension, "") not in cells:
        return _Cells(None)
    return _Cells(cells.get((indicator.pk, month, flt.dimension, flt.key), zero), whole, alone)


def _columns(cells: CellMap, flt: Filter) -> Columns:
    """The cells of every key of each dimension read for the filter, per indicator, month and dimension."""
    columns: Columns = defaultdict(dict)
    if flt.parts:
        for (indicator_id, month, dimension, key), cell in cells.items():
            if dimension and key:
                columns[(indicator_id, month, dimension)][key] = cell
    return columns


def _hidden(
    spec: rules.Measure,
    flt: Filter,
    found: _Cells,
    columns: Columns | None = None,
    where: tuple[uuid.UUID, dt.date] | None = None,
) -> bool:
    """Whether a figure is "<5". Unfiltered: by its own counts. Filtered: wherever one of the filters alone
    is hidden, by its counts beside the whole programme's or because the breakdown of its dimension hides
    that key (``columns`` at ``where``, an indicator and month, holds the month's cells of each dimension;
    a period has none: its months decide). For two filters at once also by the pair's two-by-two table
    with the filters alone and the whole programme (``rules.hidden_pair``), and by its lines
    (``rules.hidden_in_pair_lines``), so no difference of two shown figures gives a small group."""
    own, whole = found.own, found.whole
    if own is None:
        return False

    def column(dimension: str) -> dict[str, rules.Cell]:
        return {} if columns is None or where is None else columns.get((*where, dimension), {})

    if not flt.parts or whole is None:
        return rules.hidden(spec, own)
    for (dimension, key), alone in zip(flt.parts, found.alone, strict=True):
        if rules.hidden(spec, alone, whole):
            return True
        if where is not None and rules.hidden_in_column(spec, column(dimension), key):
            return True
    if len(flt.parts) == 1:
        return False
    (_first, first_key), (_second, second_key) = flt.parts
    first, second = found.alone
    if rules.hidden_pair(spec, own, first, second, whole):
        return True
    return where is not None and rules.hidden_in_pair_lines(
        spec, column(flt.dimension), first_key, second_key
    )


def _period_hidden(spec: rules.Measure, months: Sequence[dt.date], hidden: dict[dt.date, bool]) -> bool:
    """A period's figure is hidden when a month it is made of is: a flow adds its months up, so the period
    minus the shown months would give the hidden one; a stock shows its last month."""
    present = [m for m in months if m in hidden]
    if not present:
        return False
    return hidden[present[-1]] if spec.stock else any(hidden[m] for m in present)


def _dimension_words(dimensions: Sequence[rules.Dimension]) -> str:
    """The filters' words in a sentence ("wijk", "wijk en groep")."""
    words = {
        rules.Dimension.PROJECT: pgettext("filter", "project"),
        rules.Dimension.DISTRICT: pgettext("filter", "wijk"),
        rules.Dimension.TARGET_GROUP: pgettext("filter", "groep"),
        rules.Dimension.LEGAL_BASIS: pgettext("filter", "grondslag"),
    }
    named = [str(words.get(d, d.value)) for d in dimensions]
    if len(named) == 1:
        return named[0]
    return _("%(first)s en %(second)s") % {"first": ", ".join(named[:-1]), "second": named[-1]}


def _unsplit_panel(
    indicator: Indicator, period: rules.Period, months: list[dt.date], missing: list[rules.Dimension]
) -> Panel:
    """The panel of an indicator that cannot be split by the filter (seats and money by district, say): no
    figure, and the reason on the panel, not the whole programme's figure under the filter's name."""
    name = indicator_name(indicator)
    note = _("Dit cijfer is niet te splitsen naar %(what)s.") % {"what": _dimension_words(missing)}
    return Panel(
        indicator=indicator,
        name=name,
        how=indicator_how(indicator),
        unit=_unit_text(indicator.unit),
        figure=Figure(period.label, None, False, "—"),
        trend=[Figure(month.strftime("%Y-%m"), None, False, "—") for month in months],
        summary=f"{name}: {note}",
        drill=False,
        note=note,
    )


def dashboard(
    actor: Actor, period: rules.Period, flt: Filter, *, indicator_id: uuid.UUID | None = None
) -> Dashboard:
    """Every indicator (or one: ``indicator_id``, a single panel) for ``period``, for the whole programme or
    one or two filters at once, with its target and the trend of the twelve months up to the period's end.
    An indicator that cannot be split by a filter says so on its panel."""
    _require(actor, Capability.VIEW_INDICATORS)
    found = Indicator.objects.filter(municipality_id=actor.municipality_id)
    if indicator_id is not None:
        found = found.filter(pk=indicator_id)
    indicators = list(found)
    trend_months = rules.months_back(period.last, TREND_MONTHS)
    first = min(trend_months[0], period.first)
    cells = _cells(
        actor.municipality_id,
        first,
        period.last,
        flt,
        [i.pk for i in indicators] if indicator_id is not None else None,
    )
    columns = _columns(cells, flt)
    targets: dict[uuid.UUID, list[Target]] = defaultdict(list)
    for row in Target.objects.filter(
        indicator__in=indicators, starts_on__lte=period.last, ends_on__gte=first
    ).order_by("-starts_on"):
        targets[row.indicator_id].append(row)
    may_drill = actor.may(Capability.VIEW_RESIDENT_FILE) and actor.domain is not None
    dimensions = [rules.Dimension(d) for d, _k in flt.parts]
    panels = []
    for indicator in indicators:
        spec = indicator.spec
        missing = rules.unsplit(spec, dimensions)
        if missing:
            panels.append(_unsplit_panel(indicator, period, trend_months, missing))
            continue
        months = sorted({*trend_months, *period.months})
        month_cells = {m: _month_cells(cells, indicator, m, flt) for m in months}
        own_targets = targets[indicator.pk] if rules.target_applies(spec, bool(flt.parts)) else []
        hidden = {
            m: _hidden(spec, flt, c, columns, (indicator.pk, m))
            for m, c in month_cells.items()
            if c.own is not None
        }
        trend = [
            _figure(
                indicator,
                month.strftime("%Y-%m"),
                month_cells[month].own,
                _target_of(own_targets, month),
                hide=hidden.get(month, False),
            )
            for month in trend_months
        ]
        present = [month_cells[m] for m in period.months if month_cells[m].own is not None]
        combined = _Cells(None)
        if present:
            combined = _Cells(
                rules.combine(spec, [c.own for c in present if c.own is not None]),
                rules.combine(spec, [c.whole for c in present if c.whole is not None]),
                tuple(
                    rules.combine(spec, [c.alone[index] for c in present]) or rules.Cell(0, None)
                    for index in range(len(flt.parts))
                ),
            )
        monthly_target = _target_of(own_targets, period.last)
        goal = rules.target_for_period(spec, monthly_target, len(period.months))
        figure = _figure(
            indicator,
            period.label,
            combined.own,
            goal,
            hide=_period_hidden(spec, period.months, hidden) or _hidden(spec, flt, combined),
        )
        name = indicator_name(indicator)
        panels.append(
            Panel(
                indicator=indicator,
                name=name,
                how=indicator_how(indicator),
                unit=_unit_text(indicator.unit),
                figure=figure,
                trend=trend,
                summary=_summary(name, figure, trend, period),
                drill=may_drill and spec.residents and not figure.hidden and figure.computed,
            )
        )
    breakdowns = [] if flt.parts or indicator_id else _breakdowns(actor, indicators, period.last)
    last_run = (
        RollupRun.objects.filter(municipality_id=actor.municipality_id, status=RollupRun.Status.DONE)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    return Dashboard(period, flt, panels, breakdowns, last_run)


def _breakdowns(actor: Actor, indicators: list[Indicator], month: dt.date) -> list[Breakdown]:
    """The residents in the programme at the end of ``month`` by phase, target group, district and legal
    basis (the default indicator ``in-programma``); a lonely hidden cell hides its smallest neighbour."""
    main = next((i for i in indicators if i.code == "in-programma"), None)
    if main is None:
        return []
    rows = {
        (d, k): n
        for d, k, n in IndicatorValue.objects.filter(
            indicator=main,
            month=month,
            dimension__in=[
                rules.Dimension.PHASE.value,
                rules.Dimension.TARGET_GROUP.value,
                rules.Dimension.DISTRICT.value,
                rules.Dimension.LEGAL_BASIS.value,
            ],
        ).values_list("dimension", "key", "numerator")
    }
    names = _key_names(actor.municipality_id)
    result = []
    for dimension, title, order in (
        (rules.Dimension.PHASE, _("Per fase"), list(PHASES)),
        (rules.Dimension.TARGET_GROUP, _("Per groep"), list(names[rules.Dimension.TARGET_GROUP])),
        (rules.Dimension.DISTRICT, _("Per wijk"), list(names[rules.Dimension.DISTRICT])),
        (rules.Dimension.LEGAL_BASIS, _("Per grondslag"), list(names[rules.Dimension.LEGAL_BASIS])),
    ):
        keys = [k for k in order if (dimension.value, k) in rows]
        counts = [rows[(dimension.value, k)] for k in keys]
        hide = rules.hide_breakdown(counts)
        labels = names[dimension]
        result.append(
            Breakdown(
                title,
                [
                    BreakdownRow(labels.get(k, k), SUPPRESSED if h else format_value(Decimal(n), "inwoners"))
                    for k, n, h in zip(keys, counts, hide, strict=True)
                ],
            )
        )
    return result


def _key_names(municipality_id: uuid.UUID) -> dict[rules.Dimension, dict[str, str]]:
    districts = {
        str(pk): f"{area} · {name}"
        for pk, area, name in District.objects.filter(municipality_id=municipality_id)
        .order_by("area", "name")
        .values_list("pk", "area", "name")
    }
    groups = {
        str(pk): vocabulary_name(code, name)
        for pk, code, name in TargetGroup.objects.filter(municipality_id=municipality_id)
        .order_by("name")
        .values_list("pk", "code", "name")
    }
    projects = {
        str(pk): name
        for pk, name in Project.objects.filter(municipality_id=municipality_id)
        .order_by("name")
        .values_list("pk", "name")
    }
    return {
        rules.Dimension.PHASE: {code: str(PHASE_LABELS[code]) for code in PHASES},
        rules.Dimension.TARGET_GROUP: groups,
        rules.Dimension.DISTRICT: districts,
        rules.Dimension.LEGAL_BASIS: {kind.value: str(kind.label) for kind in LegalBasis.Kind},
        rules.Dimension.PROJECT: projects,
    }


def filter_choices(actor: Actor) -> dict[str, dict[str, str]]:
    """The keys a dashboard can be filtered on, by dimension, with their names."""
    _require(actor, Capability.VIEW_INDICATORS)
    names = _key_names(actor.municipality_id)
    return {
        dimension.value: names[dimension] for dimension in names if dimension is not rules.Dimension.PHASE
    }


def filter_of(actor: Actor, chosen: Sequence[tuple[str, str]]) -> Filter:
    """A filter of at most ``rules.MAX_FILTERS`` keys of different filter dimensions, named; a key that is
    not the municipality's own raises LookupError with its dimension (the view answers 404, the API 400 at
    that field). More filters, or one dimension twice, raise ValueError (the forms refuse them first)."""
    given = dict(chosen)
    if len(given) != len(chosen) or len(given) > rules.MAX_FILTERS:
        raise ValueError("at most two filters, each of another dimension")
    ordered = rules.in_filter_order(given)
    if len(ordered) != len(given):
        raise LookupError(next(d for d in given if d not in {o.value for o in ordered}))
    if not ordered:
        return Filter()
    names = _key_names(actor.municipality_id)
    parts, labels = [], []
    for dimension in ordered:
        key = given[dimension.value]
        if key not in names[dimension]:
            raise LookupError(dimension.value)
        parts.append((dimension.value, key))
        labels.append(names[dimension][key])
    return Filter(tuple(parts), tuple(labels))


# ------------------------------------------------------------------------------------------ drill-down


@dataclass(frozen=True)
class Behind:
    indicator: Indicator
    name: str
    month: dt.date
    filter: Filter
    residents: list[Resident]
    truncated: bool


DRILL_LIMIT = 200


def residents_behind(actor: Actor, indicator_id: uuid.UUID, month: dt.date, flt: Filter) -> Behind:
    """The residents behind one figure, only those of the caseworker's own caseload (and whose file they may
    open). Computed from the same building block as the figure, narrowed by each filter (two filters: the
    residents in both); the read is logged."""
    _require(actor, Capability.VIEW_RESIDENT_FILE)
    indicator = get_object_or_404(Indicator, pk=indicator_id, municipality_id=actor.municipality_id)
    if not indicator.spec.residents or actor.domain is None:
        raise PermissionDenied
    scope = measures.Month(actor.municipality_id, rules.month_of(month))
    sets = measures.resident_sets(indicator, scope)
    residents = sets.numerator
    for dimension, key in flt.parts:
        residents = measures.behind(residents, dimension, key, scope)
    own = (
        Q(caseworker_work_id=actor.user.pk)
        if actor.domain == Domain.WORK
        else Q(caseworker_care_id=actor.user.pk)
    )
    residents = residents.filter(own).filter(pk__in=visible_residents(actor).values("pk"))
    found = list(residents.order_by("family_name", "given_names", "pk")[: DRILL_LIMIT + 1])
    shown = found[:DRILL_LIMIT]
    log.record(actor, LogAction.SEARCH, Purpose.GUIDANCE, [r.pk for r in shown])
    return Behind(indicator, indicator_name(indicator), scope.first, flt, shown, len(found) > DRILL_LIMIT)


# ------------------------------------------------------------------------------------- command line


def municipality_by_slug(slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).first()


def report_maker(municipality_id: uuid.UUID, username: str | None) -> Membership | None:
    """The membership a council report from the command line is made for: an active programme manager of
    the municipality (``username``'s, or the first)."""
    found = Membership.objects.filter(
        municipality_id=municipality_id,
        role=Role.PROGRAMME_MANAGER.value,
        is_active=True,
        user__is_active=True,
    ).select_related("user", "municipality")
    if username:
        found = found.filter(user__username=username)
    return found.order_by("created_at").first()


@dataclass(frozen=True)
class ReportLine:
    code: str
    name: str
    unit: str
    value: Decimal | None
    target: Decimal | None
    suppressed: bool
    computed: bool


def indicator_report(municipality_id: uuid.UUID, period: rules.Period) -> list[ReportLine]:
    """Every indicator of a municipality for a period, from the rollup, small cells suppressed (the command
    line shows aggregates only, as a programme role sees them)."""
    indicators = list(Indicator.objects.filter(municipality_id=municipality_id))
    cells = _cells(municipality_id, period.first, period.last, Filter())
    targets: dict[uuid.UUID, list[Target]] = defaultdict(list)
    for row in Target.objects.filter(indicator__in=indicators).order_by("-starts_on"):
        targets[row.indicator_id].append(row)
    lines = []
    for indicator in indicators:
        spec = indicator.spec
        by_month = {m: c for m in period.months if (c := cells.get((indicator.pk, m, "", ""))) is not None}
        cell = rules.combine(spec, list(by_month.values()))
        goal = rules.target_for_period(
            spec, _target_of(targets[indicator.pk], period.last), len(period.months)
        )
        hidden = {m: rules.hidden(spec, c) for m, c in by_month.items()}
        suppressed = cell is not None and (
            rules.hidden(spec, cell) or _period_hidden(spec, period.months, hidden)
        )
        value = None if cell is None or suppressed else rules.value_of(spec, cell)
        lines.append(
            ReportLine(
                indicator.code, indicator.name, indicator.unit, value, goal, suppressed, cell is not None
            )
        )
    return lines


def has_month(municipality_id: uuid.UUID, month: dt.date) -> bool:
    """Whether the rollup holds figures of ``month`` (final or not)."""
    return IndicatorValue.objects.filter(municipality_id=municipality_id, month=month).exists()


def all_municipalities() -> list[Municipality]:
    """Every municipality of the installation (the nightly command proposes each one's successes)."""
    return list(Municipality.objects.order_by("slug"))


def municipalities_with_indicators() -> list[Municipality]:
    return list(
        Municipality.objects.filter(pk__in=Indicator.objects.values("municipality_id")).order_by("slug")
    )


# ------------------------------------------------------------------------------------- council report


def quarter_of(day: dt.date) -> rules.Period:
    """The quarter ``day`` falls in."""
    return rules.parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def last_quarter(today: dt.date) -> rules.Period:
    """The last quarter that is over: the one a council report is usually made for."""
    return quarter_of(quarter_of(today).first - dt.timedelta(days=1))


def _may_write_text(actor: Actor, profile: ProjectProfile | None) -> bool:
    """A programme manager writes any project's text; the project's owner (their login chosen in the
    project's description) writes their own."""
    if actor.may(Capability.MAKE_COUNCIL_REPORT):
        return True
    return (
        actor.may(Capability.VIEW_INDICATORS)
        and profile is not None
        and profile.owner_user_id == actor.user.pk
    )


def may_write_text(actor: Actor, project: Project) -> bool:
    return _may_write_text(actor, ProjectProfile.objects.filter(project=project).first())


@dataclass(frozen=True)
class ProjectTextRow:
    project: Project
    owner: str
    text: str  # empty: not written yet for the quarter


def project_texts(actor: Actor, period: rules.Period) -> list[ProjectTextRow]:
    """The projects whose text for ``period`` the actor may write (every project for a programme manager,
    their own for a project owner), with what is written so far."""
    _require(actor, Capability.VIEW_INDICATORS)
    projects = list(Project.objects.filter(municipality_id=actor.municipality_id).order_by("name"))
    profiles = {p.pk: p for p in ProjectProfile.objects.filter(project__in=projects)}
    texts = dict(
        ProjectText.objects.filter(project__in=projects, quarter=period.label).values_list(
            "project_id", "text"
        )
    )
    return [
        ProjectTextRow(
            project,
            profiles[project.pk].owner if project.pk in profiles else "",
            texts.get(project.pk, ""),
        )
        for project in projects
        if _may_write_text(actor, profiles.get(project.pk))
    ]


def project_text_for_change(
    project_id: uuid.UUID, period: rules.Period, actor: Actor
) -> tuple[Project, ProjectText | None]:
    """A project of the actor's municipality (404 otherwise) whose text the actor may write (403 otherwise),
    and its text for the quarter when one was written."""
    _require(actor, Capability.VIEW_INDICATORS)
    project = get_object_or_404(Project, pk=project_id, municipality_id=actor.municipality_id)
    if not _may_write_text(actor, ProjectProfile.objects.filter(project=project).first()):
        raise PermissionDenied
    return project, ProjectText.objects.filter(project=project, quarter=period.label).first()


def possible_owners(actor: Actor) -> list[User]:
    """The colleagues who can be a project's owner in Meedoen: active staff of the municipality whose role
    sees the programme."""
    _require(actor, Capability.MANAGE_PROGRAMME)
    roles = [role.value for role in Role if may(role, Capability.VIEW_INDICATORS)]
    users = Membership.objects.filter(
        municipality_id=actor.municipality_id, role__in=roles, is_active=True, user__is_active=True
    ).values("user_id")
    return list(User.objects.filter(pk__in=users).order_by("last_name", "first_name", "username"))


_BLOBS = ("pdf", "csv", "xlsx", "tables")


def council_reports(actor: Actor, limit: int = 40) -> list[CouncilReport]:
    """The municipality's council reports, newest first (without their files)."""
    _require(actor, Capability.VIEW_COUNCIL_REPORTS)
    found = CouncilReport.objects.filter(municipality_id=actor.municipality_id).defer(*_BLOBS)
    return list(found.select_related("requested_by")[:limit])


def access_council_report(report_id: uuid.UUID, actor: Actor, *, files: bool = False) -> CouncilReport:
    """One council report of the actor's municipality (404 for another's); with ``files`` its stored PDF,
    CSV and XLSX too. It holds aggregates only, so reading it is not a processing of personal data."""
    _require(actor, Capability.VIEW_COUNCIL_REPORTS)
    found = CouncilReport.objects.select_related("requested_by")
    if not files:
        found = found.defer(*_BLOBS)
    return get_object_or_404(found, pk=report_id, municipality_id=actor.municipality_id)


@dataclass(frozen=True)
class ReportIndicator:
    panel: Panel
    months: list[Figure]  # the quarter's months, oldest first


@dataclass(frozen=True)
class ReportProject:
    name: str
    owner: str
    text: str  # empty: the owner wrote nothing for the quarter


@dataclass(frozen=True)
class ReportSuccess:
    kind: str
    month: str
    text: str  # as the resident approved it


@dataclass(frozen=True)
class CouncilContent:
    """Everything a council report shows, read with the rights of the one who asked for it: the dashboard's
    panels and breakdowns (suppressed by the dashboard's own rules), the projects' texts and the budget."""

    municipality: str
    programme: Programme | None
    period: rules.Period
    indicators: list[ReportIndicator]
    breakdowns: list[Breakdown]
    projects: list[ReportProject]
    budget: budget_selectors.BudgetPage | None
    successes: list[ReportSuccess] = field(default_factory=list)


def council_report_content(actor: Actor, period: rules.Period) -> CouncilContent:
    _require(actor, Capability.MAKE_COUNCIL_REPORT)
    board = dashboard(actor, period, Filter())
    count = len(period.months)
    indicators = [ReportIndicator(panel, panel.trend[-count:]) for panel in board.panels]
    projects = list(Project.objects.filter(municipality_id=actor.municipality_id).order_by("name"))
    owners = dict(ProjectProfile.objects.filter(project__in=projects).values_list("project_id", "owner"))
    texts = dict(
        ProjectText.objects.filter(project__in=projects, quarter=period.label).values_list(
            "project_id", "text"
        )
    )
    budget = None
    if actor.may(Capability.VIEW_BUDGET):
        year = budget_selectors.budget_year_of(actor.municipality_id, period.first.year)
        if year is not None:
            as_of = min(rules.month_end(period.last), timezone.localdate())
            budget = budget_selectors.budget_page(year, actor, today=as_of)
    return CouncilContent(
        municipality=actor.municipality.name,
        programme=Programme.objects.filter(municipality_id=actor.municipality_id).first(),
        period=period,
        indicators=indicators,
        breakdowns=board.breakdowns,
        projects=[
            ReportProject(p.name, owners.get(p.pk, ""), texts.get(p.pk, ""))
            for p in projects
            if p.is_active or p.pk in texts
        ],
        budget=budget,
        successes=[
            ReportSuccess(s.get_kind_display(), date_format(s.happened_on, "F Y"), s.text)
            for s in successes_of_quarter(actor, period)
        ],
    )


# ------------------------------------------------------------------------------------------- successes

PAID_PHASES = frozenset({"betaald_werk"})  # the phases of paid work on the route (routes.transitions)
PROPOSE_DAYS = 365  # events of the last year are proposed; older ones were celebrated already, or not
SHARED_LIMIT = 100


def own_caseload(actor: Actor) -> QuerySet[Resident]:
    """The caseworker's own caseload, as far as they may open the files: the residents whose successes they
    propose, write with the resident and share. Other roles never get here (403)."""
    _require(actor, Capability.RECORD_SUCCESSES)
    if actor.domain is None:
        raise PermissionDenied
    own = (
        Q(caseworker_work_id=actor.user.pk)
        if actor.domain == Domain.WORK
        else Q(caseworker_care_id=actor.user.pk)
    )
    return visible_residents(actor).filter(own)


@dataclass(frozen=True)
class SuccessEvent:
    """An event in the data that may be a success, not yet stored."""

    resident_id: uuid.UUID
    kind: str
    happened_on: dt.date
    source: str
    source_key: str
    rung_from: int | None = None
    rung_to: int | None = None


def success_events(actor: Actor, today: dt.date) -> list[SuccessEvent]:
    """The events of the last year in the own caseload that are successes (``_success_events``)."""
    return _success_events(own_caseload(actor).values("pk"), today)


def success_events_of_municipality(municipality_id: uuid.UUID, today: dt.date) -> list[SuccessEvent]:
    """The same for the nightly job: the residents of every caseworker's own caseload in the municipality
    (a resident with a klantmanager or a Wmo-consulent). No person reads them: the job stores the new ones."""
    residents = Resident.objects.filter(municipality_id=municipality_id).filter(
        Q(caseworker_work__isnull=False) | Q(caseworker_care__isnull=False)
    )
    return _success_events(residents.values("pk"), today)


def _success_events(residents: QuerySet, today: dt.date) -> list[SuccessEvent]:
    """The events of the last year of these residents that are successes: a ladder score higher than the
    resident's score before it, and the resident's first step ever into paid work on the route (a step
    that was corrected does not count). Includes events already stored; the action leaves those out."""
    since = today - dt.timedelta(days=PROPOSE_DAYS)
    events = []
    scores = (
        LadderScore.objects.filter(resident__in=residents)
        .annotate(
            before=Window(
                Lag("rung"),
                partition_by=[F("resident_id")],
                order_by=[F("scored_on").asc(), F("created_at").asc()],
            )
        )
        .values_list("pk", "resident_id", "rung", "before", "scored_on")
    )
    for pk, resident_id, rung, before, scored_on in scores:
        if before is not None and rung > before and since <= scored_on <= today:
            events.append(
                SuccessEvent(
                    resident_id, Success.Kind.RUNG_UP, scored_on, Success.Source.LADDER, f"ladder:{pk}",
                    rung_from=before, rung_to=rung,
                )
            )  # fmt: skip
    first_paid: dict[uuid.UUID, tuple[uuid.UUID, dt.date]] = {}
    steps = (
        Step.objects.filter(route__resident__in=residents, phase__in=PAID_PHASES, corrected_by__isnull=True)
        .order_by("starts_on", "recorded_at")
        .values_list("pk", "route__resident_id", "starts_on")
    )
    for pk, resident_id, starts_on in steps:
        first_paid.setdefault(resident_id, (pk, starts_on))
    for resident_id, (pk, starts_on) in first_paid.items():
        if since <= starts_on <= today:
            events.append(
                SuccessEvent(
                    resident_id, Success.Kind.FIRST_PAID_MONTH, starts_on, Success.Source.ROUTE, f"stap:{pk}"
                )
            )
    return events


def known_success_events(
    resident_ids: Sequence[uuid.UUID],
) -> tuple[set[tuple[uuid.UUID, str]], set[uuid.UUID]]:
    """What is stored already for these residents: (resident, source key) pairs, and who has a first paid
    month (of any source)."""
    found = Success.objects.filter(resident_id__in=resident_ids)
    keys = set(found.values_list("resident_id", "source_key"))
    paid = set(found.filter(kind=Success.Kind.FIRST_PAID_MONTH).values_list("resident_id", flat=True))
    return keys, paid


_OPEN = (Success.Status.PROPOSED, Success.Status.APPROVED, Success.Status.PUBLISHED)


def own_successes(actor: Actor) -> list[Success]:
    """The successes of the own caseload that are proposed, approved or shared; the read is logged."""
    found = list(
        Success.objects.filter(
            municipality_id=actor.municipality_id,
            resident__in=own_caseload(actor).values("pk"),
            status__in=_OPEN,
        )
        .select_related("resident")
        .order_by("status", "-happened_on", "-created_at")[:500]
    )
    if found:
        log.record(actor, LogAction.SEARCH, Purpose.GUIDANCE, [s.resident_id for s in found])
    return found


def access_success_for_change(success_id: uuid.UUID, actor: Actor) -> Success:
    """A success of the own caseload (404 for any other: another caseload, another municipality); the action
    or the screen logs what it does with it."""
    return get_object_or_404(
        Success.objects.select_related("resident"),
        pk=success_id,
        municipality_id=actor.municipality_id,
        resident__in=own_caseload(actor).values("pk"),
    )


def access_success(success_id: uuid.UUID, actor: Actor) -> Success:
    """A success of the own caseload shown on its page, with the resident's name: logged as a read."""
    success = access_success_for_change(success_id, actor)
    record_success_read(success, actor)
    return success


def record_success_read(success: Success, actor: Actor) -> None:
    """A success fetched for a change is shown after all (its page again, with an error): a read, logged."""
    log.record(actor, LogAction.VIEW, Purpose.GUIDANCE, [success.resident_id])


def caseload_for_choice(actor: Actor) -> list[Resident]:
    """The own caseload by name, to choose whose certificate it is; the names shown are logged."""
    found = list(own_caseload(actor).order_by("family_name", "given_names", "pk")[:1000])
    if found:
        log.record(actor, LogAction.SEARCH, Purpose.GUIDANCE, [r.pk for r in found])
    return found


def own_resident(resident_id: uuid.UUID, actor: Actor) -> Resident:
    """A resident of the own caseload (404 for any other); the action logs the write."""
    return get_object_or_404(own_caseload(actor), pk=resident_id)


def shared_successes(actor: Actor, limit: int = SHARED_LIMIT) -> list[Success]:
    """The municipality's shared successes, newest first: the text the resident approved, the kind and the
    month, nothing else of the resident. The text is about a resident, so the read is logged."""
    _require(actor, Capability.VIEW_SUCCESSES)
    found = list(
        Success.objects.filter(municipality_id=actor.municipality_id, status=Success.Status.PUBLISHED)
        .only("id", "resident_id", "kind", "happened_on", "text")
        .order_by("-happened_on", "-published_at")[:limit]
    )
    if found:
        log.record(actor, LogAction.VIEW, Purpose.GUIDANCE, [s.resident_id for s in found])
    return found


def successes_of_quarter(actor: Actor, period: rules.Period) -> list[Success]:
    """The shared successes that happened in the quarter, for the council report (the texts the residents
    approved, which the approval names as going into the report)."""
    _require(actor, Capability.MAKE_COUNCIL_REPORT)
    return list(
        Success.objects.filter(
            municipality_id=actor.municipality_id,
            status=Success.Status.PUBLISHED,
            happened_on__gte=period.first,
            happened_on__lte=rules.month_end(period.last),
        )
        .only("id", "kind", "happened_on", "text")
        .order_by("happened_on", "published_at")
    )


# ------------------------------------------------------------------------------ successes in Mijn Meedoen

OWN_FILE_LIMIT = 100


def own_file_successes(actor: Actor) -> tuple[Resident, list[Success]]:
    """The resident's own successes, for Mijn Meedoen, newest first. The resident's own file is read first
    (``residents.selectors.access_own_file``: 403 for staff, 404 without a file), which logs the page."""
    resident = access_own_file(actor)
    found = Success.objects.filter(resident=resident, municipality_id=actor.municipality_id)
    return resident, list(found.order_by("-happened_on", "-created_at")[:OWN_FILE_LIMIT])


def access_own_file_success(success_id: uuid.UUID, actor: Actor) -> Success:
    """One success of the resident's own file (404 for any other resident's); the own file is read first,
    as on every portal page, and the action logs what the resident does with it."""
    resident = access_own_file(actor)
    return get_object_or_404(
        Success.objects.select_related("resident"),
        pk=success_id,
        resident=resident,
        municipality_id=actor.municipality_id,
    )
