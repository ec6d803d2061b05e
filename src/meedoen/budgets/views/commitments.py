"""Views of the budget: commitments. The controller's list of a year's commitments per source, a
commitment's page (its entries, and the resident's route beside it), the extend and re-attribute forms, and
the proposals waiting for budget with the form to let one go over. One view per form; parse, select, act."""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.actor import Actor
from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.budgets import actions, forms, selectors
from meedoen.errors import RuleError
from meedoen.formatting import euro
from meedoen.parsing import put_error


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


@requires(Capability.MANAGE_BUDGET)
@require_GET
def years_view(request: HttpRequest) -> HttpResponse:
    """The budget years, each with a link to its commitments and to the proposals waiting for budget."""
    years = selectors.budget_years(_actor(request))
    return render(request, "budgets/commitment_years.html", {"years": years})


@requires(Capability.MANAGE_BUDGET)
@require_GET
def commitments_view(request: HttpRequest, year_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    budget_year = selectors.access_budget_year(year_id, actor)
    per_source = selectors.commitments_of_year(budget_year, actor)
    context = {"budget_year": budget_year, "per_source": per_source, "euro": euro}
    return render(request, "budgets/commitment_list.html", context)


@requires(Capability.MANAGE_BUDGET)
@require_POST
def commit_running_view(request: HttpRequest, year_id: uuid.UUID) -> HttpResponse:
    """Commit every seat that already runs in the year (a year opened after the seats started)."""
    actor = _actor(request)
    budget_year = selectors.access_budget_year(year_id, actor)
    try:
        made = actions.do_commit_running_seats(budget_year, actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(count)s lopende plaatsingen zijn nu verplicht in %(year)s.")
            % {"count": len(made), "year": budget_year.year},
        )
    return redirect("budgets:commitments", budget_year.pk)


@requires(Capability.MANAGE_BUDGET)
@require_GET
def commitment_view(request: HttpRequest, commitment_id: uuid.UUID) -> HttpResponse:
    seen = selectors.access_commitment(commitment_id, _actor(request))
    return render(request, "budgets/commitment_detail.html", {"seen": seen, "euro": euro})


@requires(Capability.MANAGE_BUDGET)
@require_http_methods(["GET", "POST"])
def extend_view(request: HttpRequest, commitment_id: uuid.UUID) -> HttpResponse:
    """A new planned end of the commitment: later adds money (within the free budget), earlier releases."""
    actor = _actor(request)
    commitment = selectors.commitment_for_change(commitment_id, actor)
    form = forms.ExtendCommitmentForm(request.POST or None, initial={"ends_on": commitment.ends_on})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_extend_commitment(commitment, ends_on=form.cleaned_data["ends_on"], actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("De einddatum van de verplichting is aangepast."))
            return redirect("budgets:commitment", commitment.pk)
    context = {"form": form, "commitment": commitment}
    return render(request, "budgets/commitment_extend.html", context)


@requires(Capability.MANAGE_BUDGET)
@require_http_methods(["GET", "POST"])
def reattribute_view(request: HttpRequest, commitment_id: uuid.UUID) -> HttpResponse:
    """Pay the commitment from another source or project than the rule chose, with a reason."""
    actor = _actor(request)
    commitment = selectors.commitment_for_change(commitment_id, actor)
    sources = {str(s.pk): s for s in selectors.sources_of_year(commitment.budget_year)}
    projects = {str(p.pk): p for p in selectors.projects_of(actor)}
    form = forms.ReattributeCommitmentForm(
        request.POST or None,
        sources=[(pk, s.name) for pk, s in sources.items()],
        projects=[(pk, p.name) for pk, p in projects.items()],
        initial={"source": str(commitment.source_id), "project": str(commitment.project_id or "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_reattribute_commitment(
                commitment,
                sources[data["source"]],
                projects.get(data["project"]),
                data["reason"],
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request,
                _("De verplichting wordt nu uit %(source)s betaald.")
                % {"source": sources[data["source"]].name},
            )
            return redirect("budgets:commitment", commitment.pk)
    context = {"form": form, "commitment": commitment}
    return render(request, "budgets/commitment_reattribute.html", context)


@requires(Capability.APPROVE_OVERSPEND)
@require_GET
def waiting_view(request: HttpRequest, year_id: uuid.UUID) -> HttpResponse:
    """Open proposals whose expected cost is more than the free budget of the source that would pay."""
    actor = _actor(request)
    budget_year = selectors.access_budget_year(year_id, actor)
    waiting = selectors.proposals_waiting_for_budget(budget_year, actor)
    # One form per proposal, each with its own field ids.
    rows = [(item, forms.ApproveOverspendForm(auto_id=f"id_{item.proposal.pk}_%s")) for item in waiting]
    context = {"budget_year": budget_year, "rows": rows, "euro": euro}
    return render(request, "budgets/commitment_waiting.html", context)


@requires(Capability.APPROVE_OVERSPEND)
@require_http_methods(["GET", "POST"])
def approve_view(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    """Let one proposal's commitment go over the free budget of its source, with a reason."""
    actor = _actor(request)
    proposal = selectors.proposal_for_approval(proposal_id, actor)
    form = forms.ApproveOverspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            approval = actions.do_approve_overspend(proposal, form.cleaned_data["reason"], actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s mag over het budget van %(source)s. De aanbieder kan het voorstel nu accepteren.")
                % {"name": proposal.resident.full_name, "source": approval.source.name},
            )
            budget_year = selectors.budget_year_of(actor.municipality_id, proposal.start_date.year)
            if budget_year is not None:
                return redirect("budgets:commitments-waiting", budget_year.pk)
            return redirect("budgets:commitment-years")
    selectors.record_proposal_read(proposal, actor)
    return render(request, "budgets/commitment_approve.html", {"form": form, "proposal": proposal})


urlpatterns: list[URLPattern] = [
    path("budget/verplichtingen/", years_view, name="commitment-years"),
    path("budget/<uuid:year_id>/verplichtingen/", commitments_view, name="commitments"),
    path(
        "budget/<uuid:year_id>/verplichtingen/lopende-plaatsingen/",
        commit_running_view,
        name="commitments-running",
    ),
    path("budget/<uuid:year_id>/wachten-op-budget/", waiting_view, name="commitments-waiting"),
    path("budget/verplichtingen/<uuid:commitment_id>/", commitment_view, name="commitment"),
    path("budget/verplichtingen/<uuid:commitment_id>/verlengen/", extend_view, name="commitment-extend"),
    path(
        "budget/verplichtingen/<uuid:commitment_id>/andere-bron/",
        reattribute_view,
        name="commitment-reattribute",
    ),
    path("budget/voorstellen/<uuid:proposal_id>/toestemming/", approve_view, name="commitment-approve"),
]
