"""The route of one resident (steps forward and back, correction, end, fall-back, reviews) and the worklist of
reviews due. The route page shows every form; each form posts to its own small view, which acts and goes
back to the page, or shows the page again with that one form and its errors (a RuleError at the field it
names)."""

import datetime as dt
import uuid
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.catalogue import selectors as catalogue_selectors
from meedoen.catalogue.models import Proposal, Provider
from meedoen.errors import RuleError
from meedoen.parsing import put_error
from meedoen.residents import selectors as resident_selectors
from meedoen.residents.models import Resident
from meedoen.residents.rules import other_domain
from meedoen.routes import actions, forms, selectors
from meedoen.routes.labels import PHASE_LABELS as PHASE_NAMES
from meedoen.routes.models import Step
from meedoen.routes.transitions import PHASES, placement_ends_on

FORM_NAMES = ("openen", "stap", "correctie", "einde", "terugval", "bespreking", "verzoek")


def _proposal_choices(proposals: list[Proposal]) -> list[tuple[str, str]]:
    return [(str(p.pk), f"{p.placement.title} (vanaf {p.start_date:%d-%m-%Y})") for p in proposals]


def _targets(actor: Any) -> tuple[list[tuple[str, Any]], list[Provider]]:
    """Whom a caseworker can ask: the other domain, or a werkleerbedrijf the municipality works with."""
    werkleerbedrijven = list(catalogue_selectors.werkleerbedrijven(actor))
    other = _("Een Wmo-consulent") if actor.domain == "participatiewet" else _("Een klantmanager")
    return [("ander_domein", other), *[(str(p.pk), p.name) for p in werkleerbedrijven]], werkleerbedrijven


def _leaving(current: Step | None, today: dt.date) -> str:
    """Said under the phase choice when the resident is at a placement now: a step away from it ends it."""
    if current is None or current.proposal is None:
        return ""
    ends_on = placement_ends_on(current.proposal.start_date, today)
    place = getattr(current, "shown_placement", "")
    if place:
        return _(
            "De inwoner is nu op de plek %(place)s. Een stap naar een fase zonder plek, of naar een andere "
            "plek, beëindigt die plek op de dag voor de stap (bij een stap vanaf vandaag: %(on)s)."
        ) % {"place": place, "on": f"{ends_on:%d-%m-%Y}"}
    return _(
        "De inwoner is nu op een plek. Een stap naar een fase zonder plek, of naar een andere plek, "
        "beëindigt die plek op de dag voor de stap (bij een stap vanaf vandaag: %(on)s)."
    ) % {"on": f"{ends_on:%d-%m-%Y}"}


def _form(
    name: str,
    data: Any,
    *,
    actor: Any,
    today: dt.date,
    allowed_next: list[str],
    proposals: list[Proposal],
    current: Step | None,
) -> django_forms.Form:
    """One form of the route page, bound to ``data`` (a POST) or not (``None``)."""
    if name == "openen":
        return forms.OpenForm(data, initial={"starts_on": today}, prefix=name)
    if name == "stap":
        return forms.StepForm(
            data,
            initial={"starts_on": today},
            prefix=name,
            phases=allowed_next,
            proposals=_proposal_choices(proposals),
            leaving=_leaving(current, today),
        )
    if name == "correctie":
        return forms.CorrectForm(data, prefix=name, phases=list(PHASES))
    if name == "einde":
        return forms.EndForm(data, initial={"closed_on": today}, prefix=name)
    if name == "terugval":
        return forms.FallBackForm(data, initial={"starts_on": today}, prefix=name)
    if name == "bespreking":
        return forms.ReviewForm(data, initial={"held_on": today}, prefix=name)
    return forms.ReorientationForm(data, prefix=name, targets=_targets(actor)[0])


def _page(
    request: HttpRequest, resident: Resident, *, bound: str | None = None, error: RuleError | None = None
) -> HttpResponse:
    """The route page with all its forms; ``bound`` names the one form that was posted and did not go
    through, shown again with its errors (and ``error``, the action's refusal, at its field)."""
    actor = request.actor  # type: ignore[attr-defined]
    today = timezone.localdate()
    state = selectors.access_route(resident, actor)
    all_forms = {
        name: _form(
            name,
            request.POST if name == bound else None,
            actor=actor,
            today=today,
            allowed_next=state.allowed_next,
            proposals=state.accepted_proposals,
            current=state.current,
        )
        for name in FORM_NAMES
    }
    if bound is not None and all_forms[bound].is_valid() and error is not None:
        put_error(all_forms[bound], error)
    context = {
        "resident": resident,
        "file": state,
        "forms": all_forms,
        "phase_names": PHASE_NAMES,
        "today": today,
        "bound": bound,
        "requests": selectors.requests_about(resident),
        "other_domain": other_domain(str(actor.domain)),
        "benefits": resident_selectors.running_benefits(resident, actor, on=today) if state.current else [],
    }
    return render(request, "routes/route.html", context)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_GET
def route_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    """The route page: the route drawn, and a form for each thing a caseworker can do; each form posts to
    its own view below."""
    resident = resident_selectors.access_resident_for_change(resident_id, request.actor)  # type: ignore[attr-defined]
    return _page(request, resident)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_GET
def earlier_route_view(request: HttpRequest, resident_id: uuid.UUID, route_id: uuid.UUID) -> HttpResponse:
    """One route of the resident as it went (an earlier one, e.g. the route before a fall-back): read only."""
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    state = selectors.access_route(resident, actor, route_id=route_id)
    return render(request, "routes/earlier.html", {"resident": resident, "file": state})


def _route_url(resident: Resident) -> str:
    """The route page at the top of its content, where the message of what was done is shown (a form's own
    anchor, which the browser would otherwise keep after the redirect, would scroll past it)."""
    return reverse("routes:route", args=[resident.pk]) + "#inhoud"


def _done(request: HttpRequest, resident: Resident, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(_route_url(resident))


def _open_route(request: HttpRequest, resident: Resident) -> selectors.RouteForChange | None:
    """The open route a form is about, or None (with a message) when it was ended in the meantime."""
    try:
        return selectors.open_route_for_change(resident, request.actor)  # type: ignore[attr-defined]
    except RuleError as error:
        messages.error(request, error.message)
        return None


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def open_route_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    form = forms.OpenForm(request.POST, prefix="openen")
    if not form.is_valid():
        return _page(request, resident, bound="openen")
    try:
        actions.do_open_route(resident, starts_on=form.cleaned_data["starts_on"], actor=actor)
    except RuleError as error:
        return _page(request, resident, bound="openen", error=error)
    return _done(request, resident, _("De route is begonnen."))


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def step_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    change = _open_route(request, resident)
    if change is None:
        return redirect(_route_url(resident))
    form = forms.StepForm(
        request.POST,
        prefix="stap",
        phases=change.allowed_next,
        proposals=_proposal_choices(change.accepted_proposals),
    )
    if not form.is_valid():
        return _page(request, resident, bound="stap")
    data = form.cleaned_data
    proposal = next((p for p in change.accepted_proposals if str(p.pk) == data["proposal"]), None)
    try:
        step = actions.do_record_step(
            change.route,
            phase=data["phase"],
            starts_on=data["starts_on"],
            reason=data["reason"],
            reason_text=data["reason_text"],
            proposal=proposal,
            actor=actor,
        )
    except RuleError as error:
        return _page(request, resident, bound="stap", error=error)
    done = _("De stap is vastgelegd.")
    if step.placement_ended_on is not None:
        done += " " + _("De plek die de inwoner had, is beëindigd per %(on)s.") % {
            "on": f"{step.placement_ended_on:%d-%m-%Y}"
        }
    return _done(request, resident, done)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def correct_step_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    change = _open_route(request, resident)
    if change is None:
        return redirect(_route_url(resident))
    form = forms.CorrectForm(request.POST, prefix="correctie", phases=list(PHASES))
    if not form.is_valid():
        return _page(request, resident, bound="correctie")
    try:
        actions.do_correct_step(
            change.current,
            phase=form.cleaned_data["phase"],
            reason_text=form.cleaned_data["reason_text"],
            actor=actor,
        )
    except RuleError as error:
        return _page(request, resident, bound="correctie", error=error)
    done = _("De stap is gecorrigeerd. De verkeerde stap blijft zichtbaar in de geschiedenis.")
    return _done(request, resident, done)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def end_route_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    change = _open_route(request, resident)
    if change is None:
        return redirect(_route_url(resident))
    form = forms.EndForm(request.POST, prefix="einde")
    if not form.is_valid():
        return _page(request, resident, bound="einde")
    data = form.cleaned_data
    try:
        actions.do_end_route(
            change.route,
            closed_on=data["closed_on"],
            outcome=data["outcome"],
            outcome_text=data["outcome_text"],
            actor=actor,
        )
    except RuleError as error:
        return _page(request, resident, bound="einde", error=error)
    messages.success(request, _("De route is beëindigd."))
    for basis in resident_selectors.running_benefits(resident, actor, on=data["closed_on"]):
        messages.warning(
            request,
            _(
                "%(kind)s loopt nog (sinds %(since)s). Meedoen beslist niet over uitkeringen: het einde "
                "van de route stopt de uitkering niet. Stopt de uitkering, zet dat dan in het "
                "uitkeringssysteem en beëindig de grondslag in het dossier."
            )
            % {"kind": basis.get_kind_display(), "since": f"{basis.start_date:%d-%m-%Y}"},
        )
    return redirect(_route_url(resident))


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def fall_back_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    form = forms.FallBackForm(request.POST, prefix="terugval")
    if not form.is_valid():
        return _page(request, resident, bound="terugval")
    try:
        actions.do_fall_back(resident, starts_on=form.cleaned_data["starts_on"], actor=actor)
    except RuleError as error:
        return _page(request, resident, bound="terugval", error=error)
    done = _("De inwoner is terug op de route, in de fase en met het plan van toen.")
    return _done(request, resident, done)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def review_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    change = _open_route(request, resident)
    if change is None:
        return redirect(_route_url(resident))
    form = forms.ReviewForm(request.POST, prefix="bespreking")
    if not form.is_valid():
        return _page(request, resident, bound="bespreking")
    data = form.cleaned_data
    try:
        actions.do_record_review(
            change.route,
            held_on=data["held_on"],
            progress=data["progress"],
            decision=data["decision"],
            rung=data["rung"],
            actor=actor,
        )
    except RuleError as error:
        return _page(request, resident, bound="bespreking", error=error)
    return _done(request, resident, _("De bespreking is vastgelegd."))


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def request_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    targets, werkleerbedrijven = _targets(actor)
    form = forms.ReorientationForm(request.POST, prefix="verzoek", targets=targets)
    if not form.is_valid():
        return _page(request, resident, bound="verzoek")
    data = form.cleaned_data
    provider = next((p for p in werkleerbedrijven if str(p.pk) == data["to"]), None)
    try:
        actions.do_request_reorientation(
            resident, kind=data["kind"], reason=data["reason"], provider=provider, actor=actor
        )
    except RuleError as error:
        return _page(request, resident, bound="verzoek", error=error)
    return _done(request, resident, _("Het verzoek is verstuurd. U krijgt een melding als er antwoord is."))


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
    """Requests from the municipality to the werkleerbedrijf: a section htmx loads into the provider portal,
    or, followed as a plain link (without JavaScript), a page of its own."""
    rows = [(r, forms.AnswerForm(prefix=str(r.pk))) for r in selectors.requests_for_provider(request.actor)]  # type: ignore[attr-defined]
    template = "routes/_provider_requests.html" if request.htmx else "routes/provider_requests.html"  # type: ignore[attr-defined]
    return render(request, template, {"rows": rows})


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
