"""The switch insight: the caseworker's calculation for a proposed step on the route (a page, a PDF, and the
PDF put on the file's timeline), the resident's own at /mijn/inkomen/, and the functioneel beheerder's page
of dated norms. The calculation is a GET (it changes nothing); attaching it and the norms are POSTs."""

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.errors import RuleError
from meedoen.parsing import put_error
from meedoen.residents.models import Resident
from meedoen.switching import actions, forms, presentation, rules, selectors
from meedoen.switching.labels import figure_text, key_label


def _first_of_next_month(today: dt.date) -> dt.date:
    return rules.add_months(today, 1)


def _form(data: Any, resident: Resident) -> forms.InsightForm:
    initial = {
        "starts_on": _first_of_next_month(timezone.localdate()),
        "household": forms.FROM_FILE.get(resident.household, ""),
    }
    return forms.InsightForm(data, initial=initial)


def _calculate(form: forms.InsightForm, resident: Resident) -> rules.Insight | None:
    """The calculation for a valid form, or None with the refusal at its field."""
    if not form.is_valid():
        return None
    reference = selectors.reference_for(resident.municipality_id)
    try:
        return rules.calculate(form.step(), form.situation(resident.date_of_birth), reference)
    except RuleError as error:
        put_error(form, error)
        return None


def _question(form: forms.InsightForm) -> list[tuple[str, str]]:
    """What was asked, as label and value, for the PDF."""
    rows = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", False):
            continue
        if name == "household":
            value = dict(forms.HOUSEHOLD_CHOICES)[value]
        elif name == "wage_cost_subsidy":
            value = _("ja")
        elif isinstance(value, dt.date):
            value = f"{value:%d-%m-%Y}"
        rows.append((str(field.label), str(value)))
    return rows


def _pdf(form: forms.InsightForm, resident: Resident, shown: presentation.InsightView) -> bytes:
    heading = _("Inkomen bij een stap: %(name)s") % {"name": resident.full_name}
    return presentation.to_pdf(shown, heading=heading, question=_question(form), made_on=timezone.localdate())


def _question_query(data: QueryDict, form: forms.InsightForm) -> str:
    """The question as a query string for a link or a redirect: only the form's own fields, so nothing else
    that came with the request (the CSRF token of the attach form) ever ends up in a URL."""
    query = QueryDict(mutable=True)
    for name in form.fields:
        values = data.getlist(form.add_prefix(name))
        if values:
            query.setlist(form.add_prefix(name), values)
    return query.urlencode()


def _page(request: HttpRequest, resident: Resident, form: forms.InsightForm, *, own: bool) -> HttpResponse:
    insight = _calculate(form, resident) if form.is_bound else None
    context = {
        "resident": resident,
        "form": form,
        "insight": presentation.view(insight) if insight else None,
        "own": own,
        "query": _question_query(request.GET, form),
        "has_norms": bool(selectors.reference_for(resident.municipality_id).entries),
    }
    return render(request, "switching/insight.html", context)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_GET
def insight_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    """The calculation on a proposed step: the question, and after it the twelve months."""
    resident = selectors.access_resident_for_insight(resident_id, request.actor)  # type: ignore[attr-defined]
    bound = "hours_per_week" in request.GET
    return _page(request, resident, _form(request.GET if bound else None, resident), own=False)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_GET
def insight_pdf_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = selectors.access_resident_for_insight(resident_id, actor)
    form = _form(request.GET, resident)
    insight = _calculate(form, resident)
    if insight is None:
        return _page(request, resident, form, own=False)
    selectors.record_export(resident, actor)
    response = HttpResponse(_pdf(form, resident, presentation.view(insight)), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="inkomen-bij-een-stap.pdf"'
    return response


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def attach_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    """Put the calculation on the file's timeline, as a PDF with the norms it used and their dates."""
    actor = request.actor  # type: ignore[attr-defined]
    resident = selectors.access_resident_for_insight(resident_id, actor)
    form = _form(request.POST, resident)
    insight = _calculate(form, resident)
    if insight is None:
        return _page(request, resident, form, own=False)
    shown = presentation.view(insight)
    summary = _("Berekening inkomen bij een stap, vanaf %(month)s: %(hours)s uur per week. %(summary)s") % {
        "month": presentation.month_name(form.cleaned_data["starts_on"]),
        "hours": form.cleaned_data["hours_per_week"],
        "summary": shown.summary,
    }
    actions.do_attach_insight(resident, pdf=_pdf(form, resident, shown), summary=summary, actor=actor)
    messages.success(request, _("De berekening staat als bijlage op de tijdlijn van het dossier."))
    query = _question_query(request.POST, form)
    return redirect(reverse("switching:step", args=[resident.pk]) + "?" + query)


@requires(Capability.VIEW_OWN_FILE)
@require_GET
def mine_view(request: HttpRequest) -> HttpResponse:
    """The resident's own calculation: what a step would mean for their income."""
    resident = selectors.own_resident(request.actor)  # type: ignore[attr-defined]
    bound = "hours_per_week" in request.GET
    return _page(request, resident, _form(request.GET if bound else None, resident), own=True)


def _norms_page(request: HttpRequest, form: forms.FigureForm | None = None) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    figures = list(selectors.figures_for_admin(actor))
    in_force: dict[tuple[str, dt.date], uuid.UUID] = {}
    for figure in sorted(figures, key=lambda f: f.recorded_at):
        in_force[(figure.key, figure.valid_from)] = figure.pk
    rows = [
        (
            figure,
            key_label(figure.key),
            in_force[(figure.key, figure.valid_from)] == figure.pk,
            figure_text(figure.key, figure.value) if figure.value is not None else "",
        )
        for figure in figures
    ]
    context = {"rows": rows, "form": form or forms.FigureForm(initial={"valid_from": timezone.localdate()})}
    return render(request, "switching/norms.html", context)


@requires(Capability.CONFIGURE_PROGRAMME)
@require_GET
def norms_view(request: HttpRequest) -> HttpResponse:
    """The dated norms and rules, with their history: the functioneel beheerder keeps them."""
    return _norms_page(request)


@requires(Capability.CONFIGURE_PROGRAMME)
@require_POST
def norm_add_view(request: HttpRequest) -> HttpResponse:
    form = forms.FigureForm(request.POST)
    if not form.is_valid():
        return _norms_page(request, form)
    data = form.cleaned_data
    try:
        actions.do_add_figure(
            key=data["key"], valid_from=data["valid_from"], value=data["value"], source=data["source"],
            actor=request.actor,  # type: ignore[attr-defined]
        )  # fmt: skip
    except RuleError as error:
        put_error(form, error)
        return _norms_page(request, form)
    messages.success(request, _("De norm is opgeslagen. Berekeningen vanaf die datum gebruiken hem."))
    return redirect("switching:norms")


@requires(Capability.CONFIGURE_PROGRAMME)
@require_POST
def norms_load_view(request: HttpRequest) -> HttpResponse:
    """Load the published 2026 figures that come with Meedoen (switching/data/normen_2026.csv)."""
    added = actions.do_load_published(actor=request.actor)  # type: ignore[attr-defined]
    messages.success(request, _("%(n)s normen en regels geladen uit het bestand.") % {"n": added})
    return redirect("switching:norms")
