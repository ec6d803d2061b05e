"""Views of the budget: the budget page (per source, project and taakveld, with the forecast and a chart), the
set-up (open a year, funding sources, projects, allocations, funding rules), mutations of a source's budget,
and the reports. One view per form; parse, select, act."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meedoen.accounts.actor import Actor
from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.budgets import actions, forms, reports, selectors, taakvelden
from meedoen.budgets.models import BudgetYear, FundingSource, Project
from meedoen.errors import RuleError
from meedoen.formatting import euro
from meedoen.forms import Form
from meedoen.parsing import put_error


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _form_page(
    request: HttpRequest, form: object, *, title: str, intro: str, back: str, button: str
) -> HttpResponse:
    context = {"form": form, "title": title, "intro": intro, "back": back, "button": button}
    return render(request, "budgets/budget_form.html", context)


@requires(Capability.VIEW_BUDGET)
@require_GET
def start_view(request: HttpRequest) -> HttpResponse:
    """The budget page of the current year; without any year, the invitation to open one."""
    actor = _actor(request)
    budget_year = selectors.current_budget_year(actor, timezone.localdate())
    if budget_year is None:
        return render(
            request, "budgets/budget_none.html", {"may_manage": actor.may(Capability.MANAGE_BUDGET)}
        )
    return redirect("budgets:budget", budget_year.pk)


@requires(Capability.VIEW_BUDGET)
@require_GET
def budget_view(request: HttpRequest, year_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    budget_year, years = selectors.budget_year_and_years(year_id, actor)
    page = selectors.budget_page(budget_year, actor, today=timezone.localdate())
    may_manage = actor.may(Capability.MANAGE_BUDGET)
    context = {
        "page": page,
        "years": years,
        "figures_html": _figures_html(page, may_manage),
        "may_manage": may_manage,
        "rules": selectors.rules_of_year(budget_year) if may_manage else [],
        "formats": REPORT_FORMATS,
        "kinds": REPORT_KINDS,
    }
    return render(request, "budgets/budget_page.html", context)


_FIGURES: dict[tuple[object, ...], str] = {}


def _figures_html(page: selectors.BudgetPage, may_manage: bool) -> str:
    """The summary, the chart and the three tables, rendered once per set of figures and kept per process
    (docs/decisions/0014): a pure function of its key (every label and figure shown, the language and
    whether the links to change a budget are shown), so a new entry changes the key and a stale table
    cannot be shown; nothing to invalidate."""
    rows = [*page.sources, None, *page.projects, None, *page.taakvelden, None, page.total]
    key = (
        get_language() or "nl",
        may_manage,
        page.budget_year.pk,
        tuple(None if r is None else (r.key, r.label, r.over, *reports.figures(r)) for r in rows),
    )
    html = _FIGURES.get(key)
    if html is None:
        context = {
            "page": page,
            "chart": reports.chart_svg(page.sources) if page.sources else "",
            "summary": reports.summary(page.sources, page.total),
            "titles": reports.column_titles(),
            "figures": reports.figures,
            "euro": euro,
            "may_manage": may_manage,
        }
        html = render_to_string("budgets/_budget_figures.html", context)
        if len(_FIGURES) >= 256:
            _FIGURES.clear()
        _FIGURES[key] = html
    return html


@requires(Capability.MANAGE_BUDGET)
@require_http_methods(["GET", "POST"])
def open_year_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = forms.OpenBudgetYearForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            budget_year = actions.do_open_budget_year(form.cleaned_data["year"], actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Begrotingsjaar %(year)s is geopend.") % {"year": budget_year.year})
            return redirect("budgets:budget", budget_year.pk)
    return _form_page(
        request,
        form,
        title=_("Begrotingsjaar openen"),
        intro=_("Open het jaar. Daarna voegt u de geldbronnen met hun bedrag toe."),
        back="",
        button=_("Jaar openen"),
    )


def _managed_year(year_id: uuid.UUID, actor: Actor) -> BudgetYear:
    return selectors.access_budget_year(year_id, actor)


def _setup_page(
    request: HttpRequest,
    budget_year: BudgetYear,
    form: Form,
    *,
    act: Callable[[dict[str, Any]], str],
    title: str,
    intro: str,
    button: str,
) -> HttpResponse:
    """The shape of every set-up page of a budget year: GET shows the form; a valid POST runs ``act`` (the
    action, which returns the success message) and goes back to the budget page; a broken rule is shown at
    its field and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            success = act(form.cleaned_data)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, success)
            return redirect("budgets:budget", budget_year.pk)
    return _form_page(request, form, title=title, intro=intro, back=str(budget_year.pk), button=button)


@requires(Capability.MANAGE_BUDGET)
@require_http_methods(["GET", "POST"])
def source_add_view(request: HttpRequest, year_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    budget_year = _managed_year(year_id, actor)

    def act(data: dict[str, Any]) -> str:
        source = actions.do_add_funding_source(
            budget_year,
            name=data["name"],
            legal_basis=data["legal_basis"],
            taakveld=data["taakveld"],
            amount=data["amount"],
            actor=actor,
        )
        return _("Geldbron %(name)s is toegevoegd.") % {"name": source.name}

    return _setup_page(
        request,
        budget_year,
        forms.FundingSourceForm(request.POST or None, taakvelden=taakvelden.choices(budget_year.year)),
        act=act,
        title=_("Geldbron toevoegen aan %(year)s") % {"year": budget_year.year},
        intro=_("Het bedrag wordt de begroting van deze geldbron. Later verandert u die met een mutatie."),
        button=_("Geldbron toevoegen"),
    )


@requires(Capability.MANAGE_BUDGET)
@require_http_methods(["GET", "POST"])
def project_add_view(request: HttpRequest, year_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    budget_year = _managed_year(year_id, actor)

    def act(data: dict[str, Any]) -> str:
        project = actions.do_add_project(
            code=data["code"], name=data["name"], description=data["description"], actor=actor
        )
        return _("Project %(name)s is toegevoegd.") % {"name": project.name}

    return _setup_page(
        request,
        budget_year,
        forms.ProjectForm(request.POST or None),
        act=act,
        title=_("Project toevoegen"),
        intro=_("Een project van het programma. Daarna wijst u er geld uit een geldbron aan toe."),
        button=_("Project toevoegen"),
    )


def _choices(budget_year: BudgetYear, actor: Actor) -> tuple[dict[str, FundingSource], dict[str, Project]]:
    sources = {str(s.pk): s for s in selectors.sources_of_year(budget_year)}
    projects = {str(p.pk): p for p in selectors.projects_of(actor)}
    return sources, projects


def _source_project_choices(
    sources: dict[str, FundingSource], projects: dict[str, Project]
) -> dict[str, list[tuple[str, str]]]:
    return {
        "sources": [(pk, s.name) for pk, s in sources.items()],
        "projects": [(pk, p.name) for pk, p in projects.items()],
    }


@requires(Capability.MANAGE_BUDGET)
@require_http_methods(["GET", "POST"])
def allocate_view(request: HttpRequest, year_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    budget_year = _managed_year(year_id, actor)
    sources, projects = _choices(budget_year, actor)

    def act(data: dict[str, Any]) -> str:
        project = projects[data["project"]]
        actions.do_allocate(sources[data["source"]], project, data["amount"], data["reason"], actor=actor)
        return _("%(amount)s is toegewezen aan %(project)s.") % {
            "amount": euro(data["amount"]),
            "project": project.name,
        }

    return _setup_page(
        request,
        budget_year,
        forms.AllocationForm(request.POST or None, **_source_project_choices(sources, projects)),
        act=act,
        title=_("Geld toewijzen aan een project"),
        intro=_("Zet een deel van een geldbron apart voor een project."),
        button=_("Toewijzen"),
    )


@requires(Capability.MANAGE_BUDGET)
@require_http_methods(["GET", "POST"])
def rule_add_view(request: HttpRequest, year_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    budget_year = _managed_year(year_id, actor)
    sources, projects = _choices(budget_year, actor)

    def act(data: dict[str, Any]) -> str:
        actions.do_add_funding_rule(
            budget_year,
            domain=data["domain"],
            placement_funding=data["placement_funding"],
            placement_kind=data["placement_kind"],
            source=sources[data["source"]],
            project=projects.get(data["project"]),
            actor=actor,
        )
        return _("De verdeelregel is toegevoegd.")

    return _setup_page(
        request,
        budget_year,
        forms.FundingRuleForm(request.POST or None, **_source_project_choices(sources, projects)),
        act=act,
        title=_("Verdeelregel toevoegen"),
        intro=_("Welke geldbron betaalt een plaatsing. De meest precieze regel die past, geldt."),
        button=_("Regel toevoegen"),
    )


@requires(Capability.MANAGE_BUDGET)
@require_http_methods(["GET", "POST"])
def mutation_view(request: HttpRequest, source_id: uuid.UUID) -> HttpResponse:
    """A change of a source's budget during the year, as a new entry beside the earlier ones."""
    actor = _actor(request)
    source = selectors.source_for_change(source_id, actor)
    form = forms.MutationForm(request.POST or None, initial={"booked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_mutate_budget(
                source, data["amount"], data["reason"], booked_on=data["booked_on"], actor=actor
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Het budget van %(name)s is aangepast.") % {"name": source.name})
            return redirect("budgets:budget-mutation", source.pk)
    context = {
        "form": form,
        "source": source,
        "entries": selectors.mutations_of(source),
        "free": selectors.free_of(source.pk),
        "euro": euro,
    }
    return render(request, "budgets/budget_mutation.html", context)


REPORT_KINDS = {
    "bron": gettext_lazy("Per geldbron"),
    "aanbieder": gettext_lazy("Per aanbieder"),
    "project": gettext_lazy("Per project"),
}
REPORT_FORMATS = ("csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def build_report(budget_year: BudgetYear, actor: Actor, kind: str) -> reports.Report:
    today = timezone.localdate()
    if kind == "aanbieder":
        rows = selectors.budget_by_provider(budget_year, actor, today=today)
        return reports.provider_report(rows)
    page = selectors.budget_page(budget_year, actor, today=today)
    if kind == "project":
        return reports.report_of(_("Per project"), _("Project"), page.projects, None)
    return reports.report_of(_("Per geldbron"), _("Geldbron"), page.sources, page.total)


@requires(Capability.VIEW_BUDGET)
@require_GET
def report_view(request: HttpRequest, year_id: uuid.UUID) -> HttpResponse:
    """A report as a file: ``?soort=bron|aanbieder|project&formaat=csv|xlsx|pdf``."""
    actor = _actor(request)
    kind = request.GET.get("soort", "")
    fmt = request.GET.get("formaat", "")
    budget_year = selectors.view_budget_year(year_id, actor)
    if kind not in REPORT_KINDS or fmt not in REPORT_FORMATS:
        raise Http404
    report = build_report(budget_year, actor, kind)
    name = f"budget-{budget_year.year}-{kind}.{fmt}"
    body: str | bytes
    if fmt == "csv":
        body = reports.to_csv(report)
    elif fmt == "xlsx":
        body = reports.to_xlsx(report)
    else:
        body = reports.to_pdf(report, heading=_("Budget %(year)s") % {"year": budget_year.year})
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns: list[URLPattern] = [
    path("budget/", start_view, name="budget-start"),
    path("budget/jaar-openen/", open_year_view, name="budget-open-year"),
    path("budget/<uuid:year_id>/", budget_view, name="budget"),
    path("budget/<uuid:year_id>/geldbron/", source_add_view, name="budget-source-add"),
    path("budget/<uuid:year_id>/project/", project_add_view, name="budget-project-add"),
    path("budget/<uuid:year_id>/toewijzen/", allocate_view, name="budget-allocate"),
    path("budget/<uuid:year_id>/verdeelregel/", rule_add_view, name="budget-rule-add"),
    path("budget/geldbron/<uuid:source_id>/mutatie/", mutation_view, name="budget-mutation"),
    path("budget/<uuid:year_id>/rapport/", report_view, name="budget-report"),
]
