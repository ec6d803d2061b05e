"""The resident's own pages (/mijn/…), the DigiD login that leads there, and the caseworker's page to answer
what residents ask through the portal. Each view: parse, select, act, render."""

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.catalogue.selectors import catalogue_placements
from meedoen.errors import RuleError
from meedoen.matching import reasons
from meedoen.matching import selectors as matching_selectors
from meedoen.municipalities.models import Municipality
from meedoen.parsing import put_error
from meedoen.portal import actions, forms, selectors, shown
from meedoen.portal.backends import MUNICIPALITY_KEY, NO_FILE, OUTCOME_KEY
from meedoen.portal.models import DataExport
from meedoen.residents import actions as resident_actions
from meedoen.residents import selectors as resident_selectors
from meedoen.routes.labels import PHASE_LABELS

PLACES_SHOWN = 10


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, context, status=status)


# ------------------------------------------------------------------------------------------------ login


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Choose your municipality, then log in with DigiD."""
    if request.user.is_authenticated and getattr(request, "membership", None) is not None:
        return redirect("portal:home")
    municipalities = list(Municipality.objects.order_by("name"))
    choices = [(str(m.pk), m.name) for m in municipalities]
    initial = {"municipality": choices[0][0]} if len(choices) == 1 else {}
    data = request.POST if request.method == "POST" else None
    form = forms.MunicipalityForm(data, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        request.session[MUNICIPALITY_KEY] = form.cleaned_data["municipality"]
        request.session.pop(OUTCOME_KEY, None)
        query = urlencode({"next": reverse("portal:home"), "cancel": reverse("portal:login")})
        return redirect(f"{reverse('digid:login')}?{query}")
    return _page(request, "portal/login.html", {"form": form})


@never_cache
@require_GET
def digid_back_view(request: HttpRequest) -> HttpResponse:
    """Where DigiD sends someone whose login did not open a file: no file in this municipality, or the
    login was stopped or failed. The library's English-language message is replaced by ours."""
    if list(messages.get_messages(request)):
        # The library's English message is read (and so dropped); the page comes once more without it.
        return redirect("portal:digid-back")
    outcome = request.session.pop(OUTCOME_KEY, None)
    chosen = request.session.get(MUNICIPALITY_KEY)
    municipality = Municipality.objects.filter(pk=chosen).first() if chosen else None
    if outcome == NO_FILE:
        return _page(request, "portal/no_file.html", {"municipality": municipality})
    return _page(request, "portal/login_failed.html", {"municipality": municipality})


# ------------------------------------------------------------------------------------------ my pages


def _resident(request: HttpRequest) -> Any:
    return selectors.own_file(request.actor)  # type: ignore[attr-defined]


@requires(Capability.VIEW_OWN_FILE)
@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    """My plan: goals, agreed actions (overdue first), my place now, the next review, my caseworkers."""
    resident = _resident(request)
    today = timezone.localdate()
    context = {"resident": resident, "plan": selectors.my_plan(resident, today), "today": today}
    return _page(request, "portal/home.html", context)


@requires(Capability.VIEW_OWN_FILE)
@require_GET
def route_view(request: HttpRequest) -> HttpResponse:
    resident = _resident(request)
    context = {"resident": resident, "route": selectors.my_route(resident), "phases": PHASE_LABELS}
    return _page(request, "portal/route.html", context)


@requires(Capability.VIEW_OWN_FILE)
@require_GET
def places_view(request: HttpRequest) -> HttpResponse:
    """Places that fit me, with the reasons the caseworker sees too."""
    actor = request.actor  # type: ignore[attr-defined]
    resident = _resident(request)
    match = matching_selectors.resident_for_matching(resident, actor)
    # An empty catalogue is skipped: scoring fails on zero placements (noted in docs/portal.md).
    has_places = catalogue_placements(actor).exists()
    recommendations = matching_selectors.recommend(match, actor, top=PLACES_SHOWN) if has_places else []
    placements = catalogue_placements(actor).in_bulk([uuid.UUID(r.placement_id) for r in recommendations])
    interests = selectors.interests_of(resident)
    rows = [
        (
            r,
            placements[uuid.UUID(r.placement_id)],
            reasons.shown_explanation(r.explanation),
            interests.get(uuid.UUID(r.placement_id)),
        )
        for r in recommendations
    ]
    shown = {uuid.UUID(r.placement_id) for r in recommendations}
    others = [i for i in selectors.own_interests(resident) if i.placement_id not in shown]
    return _page(request, "portal/places.html", {"resident": resident, "rows": rows, "others": others})


@requires(Capability.VIEW_OWN_FILE)
@require_POST
def mark_interest_view(request: HttpRequest, placement_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = _resident(request)
    placement = selectors.placement_for_resident(placement_id, actor)
    actions.do_mark_interest(resident, placement, actor=actor)
    messages.success(
        request, _("U vindt %(place)s interessant. Dat is bewaard.") % {"place": placement.title}
    )
    return redirect(f"{reverse('portal:places')}#plek-{placement.pk}")


@requires(Capability.VIEW_OWN_FILE)
@require_POST
def unmark_interest_view(request: HttpRequest, placement_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = _resident(request)
    interest = selectors.access_own_interest(placement_id, resident)
    try:
        actions.do_unmark_interest(interest, actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Deze plek staat niet meer bij uw interesses."))
    return redirect("portal:places")


@requires(Capability.VIEW_OWN_FILE)
@require_http_methods(["GET", "POST"])
def conversation_view(request: HttpRequest, placement_id: uuid.UUID) -> HttpResponse:
    """Ask my caseworker for a conversation about a place."""
    actor = request.actor  # type: ignore[attr-defined]
    resident = _resident(request)
    placement = selectors.placement_for_resident(placement_id, actor)
    form = forms.ConversationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_ask_conversation(
                resident, placement, question=form.cleaned_data["question"], actor=actor
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request, _("Uw vraag is verstuurd. Uw klantmanager of consulent neemt contact met u op.")
            )
            return redirect("portal:places")
    context = {
        "resident": resident,
        "placement": placement,
        "form": form,
        "caseworkers": selectors.caseworkers_of(resident),
    }
    return _page(request, "portal/conversation.html", context)


def _availability_initial(resident: Any) -> dict[str, Any]:
    profile = resident_selectors.profile_of(resident)
    words = selectors.own_words_of(resident)
    return {
        "interests": resident_selectors.interests_of(profile),
        "hours_per_week": profile.hours_per_week,
        "preferred_days": profile.preferred_days,
        "interests_text": words.interests_text if words else "",
        "availability_text": words.availability_text if words else "",
        "version": profile.version,
    }


@requires(Capability.VIEW_OWN_FILE)
@require_http_methods(["GET", "POST"])
def wishes_view(request: HttpRequest) -> HttpResponse:
    """What I like and when I can: the profile fields a resident may change, and my own words."""
    actor = request.actor  # type: ignore[attr-defined]
    resident = _resident(request)
    form = forms.AvailabilityForm(
        request.POST if request.method == "POST" else None,
        initial=_availability_initial(resident),
        municipality=actor.municipality,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_save_wishes(
                resident,
                hours_per_week=data["hours_per_week"],
                preferred_days=data["preferred_days"],
                interests=data["interests"],
                interests_text=data["interests_text"],
                availability_text=data["availability_text"],
                version=data["version"],
                actor=actor,
            )
        except resident_actions.StaleEdit:
            form.add_error(None, resident_actions.StaleEdit.message)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Opgeslagen. Uw klantmanager of consulent ziet dit nu ook."))
            return redirect("portal:wishes")
    return _page(request, "portal/wishes.html", {"resident": resident, "form": form})


@requires(Capability.VIEW_OWN_FILE)
@require_GET
def sharing_view(request: HttpRequest) -> HttpResponse:
    """Consent to share between work and care, per part, and what it changes."""
    resident = _resident(request)
    context = {
        "resident": resident,
        "parts": selectors.consent_parts(resident),
        "caseworkers": selectors.caseworkers_of(resident),
    }
    return _page(request, "portal/sharing.html", context)


@requires(Capability.VIEW_OWN_FILE)
@require_POST
def share_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = _resident(request)
    domain = request.POST.get("shared_domain", "")
    if domain not in ("participatiewet", "wmo"):
        messages.error(request, _("Kies welk deel u wilt delen."))
        return redirect("portal:sharing")
    try:
        resident_actions.do_record_consent(
            resident,
            shared_domain=domain,
            given_on=timezone.localdate(),
            note="Gegeven door de inwoner zelf, in Mijn Meedoen.",
            actor=actor,
        )
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Uw toestemming is bewaard. U kunt die altijd weer intrekken."))
    return redirect("portal:sharing")


@requires(Capability.VIEW_OWN_FILE)
@require_POST
def stop_sharing_view(request: HttpRequest, consent_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = _resident(request)
    consent = selectors.open_consent(resident, consent_id)
    try:
        resident_actions.do_withdraw_consent(consent, withdrawn_on=timezone.localdate(), actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Uw toestemming is ingetrokken. Vanaf nu wordt dit deel niet meer gedeeld.")
        )
    return redirect("portal:sharing")


@requires(Capability.VIEW_OWN_FILE)
@require_GET
def looked_view(request: HttpRequest) -> HttpResponse:
    """Who looked at my file and why."""
    actor = request.actor  # type: ignore[attr-defined]
    resident = _resident(request)
    looks, more = selectors.who_looked(resident, actor)
    return _page(request, "portal/looked.html", {"resident": resident, "looks": looks, "more": more})


def _data_context(request: HttpRequest, resident: Any, correction_form: Any = None) -> dict[str, Any]:
    now = timezone.now()
    exports = selectors.own_exports(resident)
    return {
        "resident": resident,
        "exports": [(e, selectors.export_is_stale(e, now)) for e in exports],
        # The downloads give the newest finished copy: its links show at that one only.
        "first_done": next((i for i, e in enumerate(exports) if e.status == DataExport.Status.DONE), -1),
        "running": any(
            e.status in (DataExport.Status.WAITING, DataExport.Status.RUNNING)
            and not selectors.export_is_stale(e, now)
            for e in exports
        ),
        "left_out": shown.LEFT_OUT,
        "corrections": selectors.own_corrections(resident),
        "correction_form": correction_form or forms.CorrectionForm(),
    }


@requires(Capability.VIEW_OWN_FILE)
@require_GET
def data_view(request: HttpRequest) -> HttpResponse:
    """My data: download a copy (AVG art. 15), ask for a correction (art. 16)."""
    resident = _resident(request)
    template = "portal/data.html#exports" if request.htmx else "portal/data.html"  # type: ignore[attr-defined]
    return _page(request, template, _data_context(request, resident))


@requires(Capability.VIEW_OWN_FILE)
@require_POST
def request_export_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = _resident(request)
    try:
        actions.do_request_export(resident, actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Uw kopie wordt gemaakt. Dat duurt meestal minder dan een minuut."))
    return redirect(f"{reverse('portal:data')}#kopie")


@requires(Capability.VIEW_OWN_FILE)
@require_GET
def download_export_view(request: HttpRequest, kind: str) -> HttpResponse:
    """The newest finished copy, as PDF or JSON."""
    actor = request.actor  # type: ignore[attr-defined]
    resident = _resident(request)
    export = selectors.latest_own_export(resident)
    if export is None:
        raise Http404
    actions.do_record_download(export, kind=kind, actor=actor)
    name = f"mijn-gegevens-meedoen-{export.finished_at:%Y-%m-%d}.{kind}"
    if kind == "pdf":
        response = HttpResponse(bytes(export.data_pdf), content_type="application/pdf")
    else:
        response = HttpResponse(export.data_json, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Capability.VIEW_OWN_FILE)
@require_POST
def correction_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = _resident(request)
    form = forms.CorrectionForm(request.POST)
    if form.is_valid():
        try:
            actions.do_ask_correction(
                resident, part=form.cleaned_data["part"], text=form.cleaned_data["text"], actor=actor
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request,
                _("Uw verzoek is verstuurd. U krijgt binnen een maand antwoord, hier op deze pagina."),
            )
            return redirect(f"{reverse('portal:data')}#correctie")
    return _page(request, "portal/data.html", _data_context(request, resident, form), status=400)


# ------------------------------------------------------------------------------- the caseworker's side


@requires(Capability.VIEW_RESIDENT_FILE)
@require_GET
def staff_requests_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    """What the resident asked and wrote in the portal, with a form to answer each open request."""
    actor = request.actor  # type: ignore[attr-defined]
    found = selectors.requests_of_resident(resident_id, actor)
    # The resident file loads the resident's own words from here (htmx), as it loads its placements.
    template = "portal/staff_requests.html#own_words" if request.htmx else "portal/staff_requests.html"  # type: ignore[attr-defined]
    return _page(request, template, _staff_context(found))


def _staff_context(found: Any, bound_pk: Any = None, bound_form: Any = None) -> dict[str, Any]:
    """One answer form per open request, each with its own ids; the one just posted with its errors."""
    answer_forms = {
        i.pk: bound_form if i.pk == bound_pk else forms.AnswerForm(auto_id=f"gesprek-{i.pk}-%s")
        for i in found.conversations
    }
    correction_forms = {
        c.pk: bound_form if c.pk == bound_pk else forms.CorrectionAnswerForm(auto_id=f"correctie-{c.pk}-%s")
        for c in found.corrections
    }
    return {"found": found, "answer_forms": answer_forms, "correction_forms": correction_forms}


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def staff_answer_conversation_view(
    request: HttpRequest, resident_id: uuid.UUID, placement_id: uuid.UUID
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    interest = selectors.access_conversation(resident_id, placement_id, actor)
    form = forms.AnswerForm(request.POST, auto_id=f"gesprek-{interest.pk}-%s")
    if form.is_valid():
        try:
            actions.do_answer_conversation(interest, answer=form.cleaned_data["answer"], actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Uw antwoord staat nu in Mijn Meedoen van de inwoner."))
            return redirect("portal:staff-requests", interest.resident_id)
    found = selectors.requests_of_resident(interest.resident_id, actor)
    return _page(request, "portal/staff_requests.html", _staff_context(found, interest.pk, form), status=400)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def staff_answer_correction_view(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    correction = selectors.access_correction(request_id, actor)
    form = forms.CorrectionAnswerForm(request.POST, auto_id=f"correctie-{correction.pk}-%s")
    if form.is_valid():
        try:
            actions.do_answer_correction(
                correction,
                corrected=form.cleaned_data["corrected"] == "ja",
                answer=form.cleaned_data["answer"],
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Uw antwoord staat nu in Mijn Meedoen van de inwoner."))
            return redirect("portal:staff-requests", correction.resident_id)
    found = selectors.requests_of_resident(correction.resident_id, actor)
    return _page(
        request, "portal/staff_requests.html", _staff_context(found, correction.pk, form), status=400
    )


# ------------------------------------------------------------------------- the municipality's setting


@requires(Capability.CONFIGURE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    """The functioneel beheerder's setting for Mijn Meedoen: staff names shown to residents, or not."""
    actor = request.actor  # type: ignore[attr-defined]
    current = selectors.portal_settings(actor)
    if request.method == "POST":
        form = forms.PortalSettingsForm(request.POST)
        if form.is_valid():
            chosen = form.cleaned_data["show_staff_names"]
            actions.do_set_portal_settings(show_staff_names=chosen, actor=actor)
            messages.success(request, _("De instelling is opgeslagen."))
            return redirect("portal:settings")
    else:
        form = forms.PortalSettingsForm(initial={"show_staff_names": current.show_staff_names})
    return _page(request, "portal/settings.html", {"form": form, "current": current})
