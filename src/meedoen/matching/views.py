"""Passende plekken for one resident, and the plain-Dutch explanation of how matching works."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.actor import Actor
from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.catalogue import selectors as catalogue_selectors
from meedoen.errors import RuleError
from meedoen.matching import actions, allocation, forms, reasons, scoring, selectors
from meedoen.matching.models import WEIGHT_FIELDS, AllocationRun
from meedoen.municipalities.selectors import target_group_labels
from meedoen.parsing import put_error
from meedoen.residents import selectors as resident_selectors


@requires(Capability.MAKE_PROPOSALS)
@require_GET
def recommendations_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    match = selectors.resident_for_matching(resident, actor)
    waiting_list = request.GET.get("wachtlijst") == "1"
    recommendations = selectors.recommend(match, actor, top=10, waiting_list=waiting_list)
    placements = catalogue_selectors.catalogue_placements(actor).in_bulk(
        [r.placement_id for r in recommendations]
    )
    rows = [
        (r, placements[uuid.UUID(r.placement_id)], reasons.shown_explanation(r.explanation))
        for r in recommendations
    ]
    context = {
        "resident": resident,
        "match": match,
        "rows": rows,
        "waiting_list": waiting_list,
        "missing": _missing_profile(match.features, match.location_known),
    }
    return render(request, "matching/recommendations.html", context)


def _missing_profile(features: scoring.Resident, location_known: bool) -> list[str]:
    """What is not filled in, so the caseworker knows why the list is broad (or empty)."""
    missing = []
    if not features.domains:
        missing.append(
            _("De inwoner heeft nu geen wettelijke grondslag: geen enkele plek kan worden betaald.")
        )
    if not location_known:
        missing.append(_("Er is geen wijk bekend; afstanden zijn gemeten vanaf het midden van de gemeente."))
    if not features.interests:
        missing.append(_("Er zijn geen interesses ingevuld."))
    if not features.travel_mode and not features.travel_radius_km:
        missing.append(_("Er is niet ingevuld hoe en hoe ver de inwoner reist; we nemen 10 km."))
    if not features.workload:
        missing.append(_("Er is niet ingevuld welke werkdruk de inwoner aankan."))
    return missing


@requires()
@require_http_methods(["GET", "POST"])
def explanation_view(request: HttpRequest) -> HttpResponse:
    """How Meedoen proposes places, in plain Dutch, with this municipality's weights (algorithm register)."""
    actor = request.actor  # type: ignore[attr-defined]
    weights = selectors.weights_for(actor.municipality_id)
    may_change = actor.may(Capability.CONFIGURE_PROGRAMME)
    form = None
    if may_change:
        initial = {name: int(getattr(weights, name)) for name in WEIGHT_FIELDS}
        form = forms.WeightsForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                actions.do_set_weights(form.cleaned_data, actor=actor)
            except RuleError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request, _("De weging is opgeslagen. Passende plekken gebruiken die meteen.")
                )
                return redirect("matching:explanation")
    elif request.method == "POST":
        return redirect("matching:explanation")
    total = sum(getattr(weights, name) for name in WEIGHT_FIELDS) or 1
    shares = [
        (label, round(100 * getattr(weights, name) / total))
        for name, label in zip(WEIGHT_FIELDS, _labels(), strict=True)
    ]
    return render(request, "matching/explanation.html", {"shares": shares, "form": form})


def _labels() -> list[str]:
    return [_("Interesses"), _("Afstand"), _("Uren"), _("Dagen"), _("Fase van de route"), _("Wachttijd")]


@requires()
@require_http_methods(["GET", "POST"])
def allocations_view(request: HttpRequest) -> HttpResponse:
    """The programme manager's batch allocations: start one (optionally for one group or district)."""
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.may(Capability.RUN_ALLOCATION):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None  # an empty POST (no filters) is still a POST
    form = forms.AllocationForm(data, municipality=actor.municipality)
    if request.method == "POST" and form.is_valid():
        try:
            run = actions.do_start_allocation(
                target_group=form.cleaned_data["target_group"],
                district=form.cleaned_data["district"],
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            return redirect("matching:allocation", run.pk)
    return render(request, "matching/allocations.html", {"form": form, "runs": selectors.list_runs(actor)})


def _shown_groups(rows: list[dict[str, Any]], actor: Actor) -> list[dict[str, Any]]:
    """The rows per target group of a stored summary, each group named in the language of the page."""
    labels = target_group_labels(actor.municipality_id)
    return [row | {"name": labels.get(row["name"], row["name"])} for row in rows]


@requires()
@require_GET
def allocation_view(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """One run: progress and the comparison for the programme manager; the pairs of their own residents,
    ready to propose, for a caseworker."""
    actor = request.actor  # type: ignore[attr-defined]
    run = selectors.access_run(run_id, actor)
    running = run.status in (AllocationRun.Status.QUEUED, AllocationRun.Status.RUNNING)
    if actor.may(Capability.RUN_ALLOCATION):
        template = "matching/allocation.html#status" if request.htmx else "matching/allocation.html"  # type: ignore[attr-defined]
        tables = [
            (_("Per groep"), _shown_groups(run.summary.get("by_group", []), actor)),
            (_("Per wijk"), run.summary.get("by_district", [])),
        ]
        summary = allocation.shown_summary(run.summary) if run.summary else run.summary
        context = {"run": run, "running": running, "summary": summary, "tables": tables}
        return render(request, template, context)
    pairs = selectors.pairs_for_caseworker(run, actor) if run.status == AllocationRun.Status.DONE else []
    return render(request, "matching/allocation_pairs.html", {"run": run, "pairs": pairs})


@requires()
@require_POST
def cancel_allocation_view(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    run = selectors.access_run(run_id, actor)
    try:
        actions.do_cancel_allocation(run, actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De toewijzing wordt geannuleerd."))
    return redirect("matching:allocation", run.pk)
