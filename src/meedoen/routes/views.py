"""The route of one resident (steps forward and back, correction, end, fall-back, reviews) and the worklist of
reviews due. Every form posts to the route page; a RuleError goes back to the field it names."""

import uuid
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.catalogue import selectors as catalogue_selectors
from meedoen.parsing import put_error
from meedoen.residents import selectors as resident_selectors
from meedoen.residents.rules import RuleError, other_domain
from meedoen.routes import actions, forms, selectors
from meedoen.routes.labels import PHASE_LABELS as PHASE_NAMES
from meedoen.routes.transitions import PHASES


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def route_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    today = timezone.localdate()
    which = request.POST.get("formulier") if request.method == "POST" else None
    state = selectors.access_route(resident, actor)
    proposals = [
        (str(p.pk), f"{p.placement.title} (vanaf {p.start_date:%d-%m-%Y})") for p in state.accepted_proposals
    ]

    werkleerbedrijven = list(catalogue_selectors.werkleerbedrijven(actor))
    other = _("Een Wmo-consulent") if actor.domain == "participatiewet" else _("Een klantmanager")
    targets = [("ander_domein", other), *[(str(p.pk), p.name) for p in werkleerbedrijven]]

    def bound(name: str) -> Any:
        return request.POST if which == name else None

    all_forms: dict[str, django_forms.Form] = {
        "openen": forms.OpenForm(bound("openen"), initial={"starts_on": today}, prefix="openen"),
        "stap": forms.StepForm(
            bound("stap"),
            initial={"starts_on": today},
            prefix="stap",
            phases=state.allowed_next,
            proposals=proposals,
        ),
        "correctie": forms.CorrectForm(bound("correctie"), prefix="correctie", phases=list(PHASES)),
        "einde": forms.EndForm(bound("einde"), initial={"closed_on": today}, prefix="einde"),
        "terugval": forms.FallBackForm(bound("terugval"), initial={"starts_on": today}, prefix="terugval"),
        "bespreking": forms.ReviewForm(bound("bespreking"), initial={"held_on": today}, prefix="bespreking"),
        "verzoek": forms.ReorientationForm(bound("verzoek"), prefix="verzoek", targets=targets),
    }
    if which in all_forms and all_forms[which].is_valid():
        form = all_forms[which]
        data = form.cleaned_data
        proposal = next((p for p in state.accepted_proposals if str(p.pk) == data.get("proposal")), None)
        try:
            if which == "openen":
                actions.do_open_route(resident, starts_on=data["starts_on"], actor=actor)
                done = _("De route is begonnen.")
            elif which == "stap" and state.route:
                actions.do_record_step(
                    state.route,
                    phase=data["phase"],
                    starts_on=data["starts_on"],
                    reason=data["reason"],
                    reason_text=data["reason_text"],
                    proposal=proposal,
                    actor=actor,
                )
                done = _("De stap is vastgelegd.")
            elif which == "correctie" and state.current:
                actions.do_correct_step(
                    state.current, phase=data["phase"], reason_text=data["reason_text"], actor=actor
                )
                done = _("De stap is gecorrigeerd. De verkeerde stap blijft zichtbaar in de geschiedenis.")
            elif which == "einde" and state.route:
                actions.do_end_route(
                    state.route,
                    closed_on=data["closed_on"],
                    outcome=data["outcome"],
                    outcome_text=data["outcome_text"],
                    actor=actor,
                )
                done = _("De route is beëindigd.")
            elif which == "terugval":
                actions.do_fall_back(resident, starts_on=data["starts_on"], actor=actor)
                done = _("De inwoner is terug op de route, in de fase en met het plan van toen.")
            elif which == "verzoek":
                provider = next((p for p in werkleerbedrijven if str(p.pk) == data["to"]), None)
                actions.do_request_reorientation(
                    resident, kind=data["kind"], reason=data["reason"], provider=provider, actor=actor
                )
                done = _("Het verzoek is verstuurd. U krijgt een melding als er antwoord is.")
            elif which == "bespreking" and state.route:
                actions.do_record_review(
                    state.route,
                    held_on=data["held_on"],
                    progress=data["progress"],
                    decision=data["decision"],
                    rung=data["rung"],
                    actor=actor,
                )
                done = _("De bespreking is vastgelegd.")
            else:
                raise RuleError(None, _("Dit kan nu niet: de route is veranderd. Kijk opnieuw."))
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, done)
            return redirect("routes:route", resident.pk)
    phases = [(period, PHASE_NAMES[period.phase]) for period in state.periods]
    context = {
        "resident": resident,
        "file": state,
        "forms": all_forms,
        "phases": phases,
        "phase_names": PHASE_NAMES,
        "today": today,
        "open_form": which,
        "requests": selectors.requests_about(resident),
        "other_domain": other_domain(str(actor.domain)),
    }
    return render(request, "routes/route.html", context)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_GET
def route_summary_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    """The route drawn small, for the resident file (loaded into it by htmx)."""
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    state = selectors.access_route(resident, actor)
    effective = [s for s in state.steps if s.pk not in state.corrected_ids]
    return render(
        request, "routes/_summary.html", {"resident": resident, "file": state, "effective": effective}
    )


@requires(Capability.VIEW_CASELOAD)
@require_GET
def reviews_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    context = {
        "rows": selectors.reviews_due(actor),
        "incoming": [(r, forms.AnswerForm(prefix=str(r.pk))) for r in selectors.incoming_requests(actor)],
        "today": timezone.localdate(),
    }
    return render(request, "routes/reviews.html", context)


@requires(Capability.VIEW_CASELOAD)
@require_POST
def answer_request_view(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    reorientation = selectors.access_request(request_id, actor)
    form = forms.AnswerForm(request.POST, prefix=str(reorientation.pk))
    accept = request.POST.get("besluit") == "accepteren"
    if form.is_valid():
        try:
            actions.do_answer_reorientation(
                reorientation, accept=accept, answer_text=form.cleaned_data["answer_text"], actor=actor
            )
        except RuleError as error:
            messages.error(request, error.message)
        else:
            if accept:
                messages.success(
                    request,
                    _("U bent nu ook de begeleider van %(name)s.")
                    % {"name": reorientation.resident.full_name},
                )
                return redirect("residents:detail", reorientation.resident.pk)
            messages.success(request, _("U heeft het verzoek afgewezen. Uw collega krijgt een melding."))
    return redirect("routes:reviews")


@requires(Capability.CONFIGURE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def rules_view(request: HttpRequest) -> HttpResponse:
    """The functioneel beheerder sets which steps are allowed, how often each phase is reviewed, and how long
    the fall-back guarantee lasts."""
    actor = request.actor  # type: ignore[attr-defined]
    rules = selectors.rules_for(actor.municipality_id)
    error = None
    if request.method == "POST":
        allowed = {p: [q for q in PHASES if request.POST.get(f"stap_{p}_{q}") == "1"] for p in PHASES}
        try:
            review_months = {p: int(request.POST.get(f"bespreking_{p}", "")) for p in PHASES}
            fallback = int(request.POST.get("terugval", ""))
        except ValueError:
            error = RuleError(None, _("Vul overal een heel aantal maanden in."))
        else:
            try:
                actions.do_set_route_rules(
                    allowed=allowed, review_months=review_months, fallback_months=fallback, actor=actor
                )
            except RuleError as refused:
                error = refused
            else:
                messages.success(request, _("De regels van de route zijn opgeslagen."))
                return redirect("routes:rules")
    rows = [
        (
            p,
            PHASE_NAMES[p],
            rules.review_months.get(p, 3),
            [(q, PHASE_NAMES[q], q in rules.allowed.get(p, ()), q == p) for q in PHASES],
        )
        for p in PHASES
    ]
    context = {
        "rows": rows,
        "fallback": rules.fallback_months,
        "error": error,
        "phase_labels": [PHASE_NAMES[p] for p in PHASES],
    }
    return render(request, "routes/rules.html", context)


@requires(Capability.RUN_PLACEMENTS)
@require_GET
def provider_requests_view(request: HttpRequest) -> HttpResponse:
    """Requests from the municipality to the werkleerbedrijf (loaded into the provider portal)."""
    rows = [(r, forms.AnswerForm(prefix=str(r.pk))) for r in selectors.requests_for_provider(request.actor)]  # type: ignore[attr-defined]
    return render(request, "routes/_provider_requests.html", {"rows": rows})


@requires(Capability.RUN_PLACEMENTS)
@require_POST
def provider_answer_view(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    reorientation = selectors.access_provider_request(request_id, actor)
    form = forms.AnswerForm(request.POST, prefix=str(reorientation.pk))
    if form.is_valid():
        try:
            actions.do_answer_reorientation(
                reorientation,
                accept=request.POST.get("besluit") == "accepteren",
                answer_text=form.cleaned_data["answer_text"],
                actor=actor,
            )
        except RuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Uw antwoord is verstuurd. De gemeente krijgt een melding."))
    return redirect("catalogue:portal")
