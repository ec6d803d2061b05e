"""The caseload and the resident file: parse the request, select through the selectors, act through the
actions, render. A RuleError from an action goes back to the form field it names."""

import mimetypes
import uuid
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.errors import RuleError
from meedoen.formatting import select_options
from meedoen.labels import with_preferred
from meedoen.municipalities.selectors import (
    district_options,
    target_group_options,
)
from meedoen.parsing import int_or, page_number, put_error, uuid_or_none
from meedoen.residents import actions, forms, selectors
from meedoen.residents.labels import RUNG_NAMES
from meedoen.residents.models import LegalBasis, PhysicalNeed, Weekday
from meedoen.residents.rows import resident_rows, timeline_items
from meedoen.residents.rules import ladder_chart

CASEWORKERS = ("caseworker_work", "caseworker_care")


def _file_url(resident_id: uuid.UUID, anchor: str = "") -> str:
    return reverse("residents:detail", args=[resident_id]) + (f"#{anchor}" if anchor else "")


@requires(Capability.VIEW_CASELOAD)
@require_GET
def caseload_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    get = request.GET
    silent = int_or(get.get("stil"), 0)
    query = selectors.CaseloadQuery(
        search=get.get("zoek", "")[:100],
        district_id=uuid_or_none(get.get("wijk")),
        target_group_id=uuid_or_none(get.get("groep")),
        basis_kind=get.get("grondslag", "") if get.get("grondslag") in LegalBasis.Kind.values else "",
        review_due=get.get("bespreken") == "1",
        silent_weeks=silent if silent in (4, 8, 13, 26) else None,
        only_mine=get.get("alle") != "1",
        sort=get.get("sorteer", selectors.Sort.NAME),
        page=page_number(get.get("pagina")),
    )
    page = selectors.search_caseload(actor, query)
    params = get.copy()
    params.pop("pagina", None)
    sorts = [
        (selectors.Sort.NAME, _("Naam")),
        (selectors.Sort.BIRTH, _("Geboortedatum")),
        (selectors.Sort.ACTIVITY, _("Langst geen activiteit")),
        (selectors.Sort.REVIEW, _("Eerstvolgende bespreking")),
    ]
    silent_choices = [(4, _("4 weken")), (8, _("8 weken")), (13, _("3 maanden")), (26, _("half jaar"))]
    kinds = [
        (k.value, with_preferred(k.label))
        for k in LegalBasis.Kind
        if LegalBasis.DOMAIN_OF_KIND[k] == actor.domain
    ]
    context = {
        "page": page,
        "rows": resident_rows(page.object_list),
        "query": query,
        "querystring": params.urlencode(),
        "district_options": select_options(district_options(actor.municipality_id), query.district_id),
        "target_group_options": select_options(
            target_group_options(actor.municipality_id), query.target_group_id
        ),
        "basis_kind_options": select_options(kinds, query.basis_kind),
        "silent_options": select_options(silent_choices, query.silent_weeks),
        "sort_options": select_options(sorts, query.sort),
    }
    template = "residents/caseload.html#results" if request.htmx else "residents/caseload.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_GET
def resident_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    limit = 200 if request.GET.get("tijdlijn") == "alles" else selectors.TIMELINE_PAGE
    resident_file = selectors.access_resident(resident_id, request.actor, timeline_limit=limit)  # type: ignore[attr-defined]
    profile = resident_file.profile
    context = {
        "file": resident_file,
        "resident": resident_file.resident,
        "ladder_rows": [(score, RUNG_NAMES[score.rung]) for score in resident_file.ladder],
        "latest_ladder_name": RUNG_NAMES[resident_file.ladder[0].rung] if resident_file.ladder else "",
        "chart": ladder_chart([(score.scored_on, score.rung) for score in resident_file.ladder]),
        "chart_rungs": [(rung, 24 + 112 * (6 - rung) / 5) for rung in range(1, 7)],
        "physical_needs": [
            label for value, label in PhysicalNeed.choices if value in (profile.physical_needs or [])
        ],
        "preferred_days": [
            label for value, label in Weekday.choices if value in (profile.preferred_days or [])
        ],
        "timeline": timeline_items(resident_file.timeline),
        "today": timezone.localdate(),
    }
    return render(request, "residents/resident.html", context)


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = forms.RegistrationForm(request.POST or None, municipality=actor.municipality)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        registration = actions.Registration(
            bsn=data["bsn"],
            given_names=data["given_names"],
            name_prefix=data["name_prefix"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            email=data["email"],
            phone=data["phone"],
            street=data["street"],
            postcode=data["postcode"],
            city=data["city"],
            district=data["district"],
            household=data["household"],
            languages=data["languages"],
            dutch_level=data["dutch_level"],
            target_groups=list(data["target_groups"]),
            caseworker_work=data["caseworker_work"],
            caseworker_care=data["caseworker_care"],
            bases=form.bases(),
        )
        try:
            resident = actions.do_register_resident(registration, actor=actor)
        except actions.DuplicateResident as found:
            duplicate = found.existing
            form.add_error("bsn", _("Er is al een dossier met dit BSN in uw gemeente. Maak geen tweede aan."))
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request, _("Het dossier van %(name)s is aangemaakt.") % {"name": resident.full_name}
            )
            return redirect("residents:detail", resident.pk)
    may_open = False
    if duplicate is not None:
        may_open = selectors.may_open_file(duplicate.pk, actor)
    context = {"form": form, "duplicate": duplicate, "may_open_duplicate": may_open}
    return render(request, "residents/register.html", context)


def _edit(
    request: HttpRequest,
    resident_id: uuid.UUID,
    *,
    form_class: type[django_forms.Form],
    initial: Any,
    act: Any,
    title: str,
    anchor: str,
    success: str,
    form_kwargs: dict[str, Any] | None = None,
    resident: Any = None,
    left: Any = None,
) -> HttpResponse:
    """The shape of every edit page of the file: GET shows the form, POST acts and goes back to the file.
    Showing the form shows the resident's data, so that is logged as a read; a successful POST is logged
    by its action. ``left(resident)`` gives a message when, after the change, the actor may no longer open the
    file: they go back to their caseload with that message instead of to a file they cannot see."""
    actor = request.actor  # type: ignore[attr-defined]
    if resident is None:
        resident = selectors.access_resident_for_change(resident_id, actor)
    kwargs = form_kwargs or {}
    data = request.POST if request.method == "POST" else None
    form = form_class(data, request.FILES or None, initial=initial(resident), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            act(resident, form.cleaned_data, actor)
        except actions.StaleEdit:
            form.add_error(None, actions.StaleEdit.message)
        except RuleError as error:
            put_error(form, error)
        else:
            if left is not None and not selectors.may_open_file(resident.pk, actor):
                messages.info(request, left(resident))
                return redirect("residents:caseload")
            messages.success(request, success)
            return redirect(_file_url(resident.pk, anchor))
    selectors.record_screen_read(resident, actor)
    return render(
        request, "residents/edit.html", {"form": form, "resident": resident, "title": title, "anchor": anchor}
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def edit_personal_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    def initial(resident: Any) -> dict[str, Any]:
        values = {name: getattr(resident, name) for name in (*actions.PERSONAL_FIELDS, *CASEWORKERS)}
        values["target_groups"] = list(resident.target_groups.all())
        values["version"] = resident.version
        return values

    def act(resident: Any, data: dict[str, Any], actor: Any) -> None:
        values = {name: data[name] for name in (*actions.PERSONAL_FIELDS, *CASEWORKERS)}
        actions.do_update_personal_details(
            resident, values=values, target_groups=data["target_groups"], version=data["version"], actor=actor
        )

    return _edit(
        request,
        resident_id,
        form_class=forms.EditPersonalDetailsForm,
        initial=initial,
        act=act,
        title=_("Gegevens wijzigen"),
        anchor="gegevens",
        success=_("De gegevens zijn opgeslagen."),
        form_kwargs={"municipality": request.actor.municipality},  # type: ignore[attr-defined]
        left=lambda resident: (
            _(
                "De gegevens zijn opgeslagen. U begeleidt %(name)s niet meer en de inwoner heeft "
                "geen grondslag in uw domein. Daarom kunt u dit dossier niet meer openen."
            )
            % {"name": resident.full_name}
        ),
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def add_legal_basis_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    def act(resident: Any, data: dict[str, Any], actor: Any) -> None:
        kind = LegalBasis.Kind(data["kind"])
        actions.do_add_legal_basis(
            resident,
            domain=LegalBasis.DOMAIN_OF_KIND[kind],
            kind=kind,
            start=data["start_date"],
            end=data["end_date"],
            actor=actor,
        )

    return _edit(
        request,
        resident_id,
        form_class=forms.LegalBasisForm,
        initial=lambda r: {},
        act=act,
        title=_("Grondslag toevoegen"),
        anchor="grondslag",
        success=_("De grondslag is vastgelegd."),
        form_kwargs={"domain": request.actor.domain},  # type: ignore[attr-defined]
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def end_legal_basis_view(request: HttpRequest, resident_id: uuid.UUID, basis_id: uuid.UUID) -> HttpResponse:
    resident = selectors.access_resident_for_change(resident_id, request.actor)  # type: ignore[attr-defined]
    basis = selectors.access_legal_basis(resident, basis_id, request.actor)  # type: ignore[attr-defined]

    def act(resident: Any, data: dict[str, Any], actor: Any) -> None:
        actions.do_end_legal_basis(basis, end=data["end_date"], actor=actor)

    return _edit(
        request,
        resident_id,
        form_class=forms.EndLegalBasisForm,
        initial=lambda r: {"end_date": timezone.localdate()},
        act=act,
        title=_("Grondslag beëindigen: %(kind)s") % {"kind": basis.get_kind_display()},
        anchor="grondslag",
        success=_("De grondslag is beëindigd."),
        resident=resident,
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def consent_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    def act(resident: Any, data: dict[str, Any], actor: Any) -> None:
        actions.do_record_consent(
            resident,
            shared_domain=data["shared_domain"],
            given_on=data["given_on"],
            note=data["note"],
            actor=actor,
        )

    return _edit(
        request,
        resident_id,
        form_class=forms.ConsentForm,
        initial=lambda r: {"given_on": timezone.localdate()},
        act=act,
        title=_("Toestemming vastleggen"),
        anchor="toestemming",
        success=_("De toestemming is vastgelegd."),
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def withdraw_consent_view(
    request: HttpRequest, resident_id: uuid.UUID, consent_id: uuid.UUID
) -> HttpResponse:
    resident = selectors.access_resident_for_change(resident_id, request.actor)  # type: ignore[attr-defined]
    consent = selectors.access_consent(resident, consent_id)

    def act(resident: Any, data: dict[str, Any], actor: Any) -> None:
        actions.do_withdraw_consent(consent, withdrawn_on=data["withdrawn_on"], actor=actor)

    return _edit(
        request,
        resident_id,
        form_class=forms.WithdrawConsentForm,
        initial=lambda r: {"withdrawn_on": timezone.localdate()},
        act=act,
        title=_("Toestemming intrekken"),
        anchor="toestemming",
        success=_("De toestemming is ingetrokken."),
        resident=resident,
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def ladder_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    def act(resident: Any, data: dict[str, Any], actor: Any) -> None:
        actions.do_score_ladder(
            resident, rung=data["rung"], scored_on=data["scored_on"], rationale=data["rationale"], actor=actor
        )

    return _edit(
        request,
        resident_id,
        form_class=forms.LadderForm,
        initial=lambda r: {"scored_on": timezone.localdate()},
        act=act,
        title=_("Participatieladder scoren"),
        anchor="ladder",
        success=_("De score is vastgelegd."),
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def profile_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    def initial(resident: Any) -> dict[str, Any]:
        profile = selectors.profile_of(resident)
        values = {name: getattr(profile, name) for name in actions.PROFILE_FIELDS}
        values["interests"] = selectors.interests_of(profile)
        values["version"] = profile.version
        return values

    def act(resident: Any, data: dict[str, Any], actor: Any) -> None:
        values = {name: data[name] for name in actions.PROFILE_FIELDS}
        for name in ("workload", "travel_mode", "talents"):
            values[name] = values[name] or ""
        actions.do_update_profile(
            resident, values=values, interests=data["interests"], version=data["version"], actor=actor
        )

    return _edit(
        request,
        resident_id,
        form_class=forms.ProfileForm,
        initial=initial,
        act=act,
        title=_("Profiel wijzigen"),
        anchor="profiel",
        success=_("Het profiel is opgeslagen."),
        form_kwargs={"municipality": request.actor.municipality},  # type: ignore[attr-defined]
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def plan_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    def initial(resident: Any) -> dict[str, Any]:
        plan = selectors.plan_of(resident)
        return {"goals": plan.goals, "review_on": plan.review_on, "version": plan.version}

    def act(resident: Any, data: dict[str, Any], actor: Any) -> None:
        actions.do_update_plan(
            resident, goals=data["goals"], review_on=data["review_on"], version=data["version"], actor=actor
        )

    return _edit(
        request,
        resident_id,
        form_class=forms.PlanForm,
        initial=initial,
        act=act,
        title=_("Ontwikkelplan wijzigen"),
        anchor="plan",
        success=_("Het plan is opgeslagen."),
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def plan_action_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    def act(resident: Any, data: dict[str, Any], actor: Any) -> None:
        actions.do_add_plan_action(
            resident, description=data["description"], owner=data["owner"], due_on=data["due_on"], actor=actor
        )

    return _edit(
        request,
        resident_id,
        form_class=forms.PlanActionForm,
        initial=lambda r: {},
        act=act,
        title=_("Afspraak toevoegen"),
        anchor="plan",
        success=_("De afspraak is toegevoegd."),
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def plan_action_done_view(request: HttpRequest, resident_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = selectors.access_resident_for_change(resident_id, actor)
    action = selectors.access_plan_action(resident, action_id)
    try:
        actions.do_mark_plan_action_done(action, done_on=timezone.localdate(), actor=actor)
    except RuleError as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request,
            _(
                "De afspraak staat op gedaan. Was dat een vergissing? "
                "Kies dan bij de afspraak 'Weer open zetten'."
            ),
        )
    return redirect(_file_url(resident.pk, "plan"))


@requires(Capability.VIEW_RESIDENT_FILE)
@require_POST
def plan_action_reopen_view(
    request: HttpRequest, resident_id: uuid.UUID, action_id: uuid.UUID
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = selectors.access_resident_for_change(resident_id, actor)
    action = selectors.access_plan_action(resident, action_id)
    try:
        actions.do_reopen_plan_action(action, actor=actor)
    except RuleError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, _("De afspraak staat weer open."))
    return redirect(_file_url(resident.pk, "plan"))


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def note_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    def act(resident: Any, data: dict[str, Any], actor: Any) -> None:
        actions.do_add_note(
            resident,
            kind=data["kind"],
            text=data["text"],
            occurred_at=data["occurred_at"],
            domain_only=data["domain_only"],
            attachment=data["attachment"],
            actor=actor,
        )

    return _edit(
        request,
        resident_id,
        form_class=forms.NoteForm,
        initial=lambda r: {"occurred_at": timezone.localtime().replace(second=0, microsecond=0)},
        act=act,
        title=_("Notitie toevoegen"),
        anchor="tijdlijn",
        success=_("De notitie staat op de tijdlijn."),
    )


@requires(Capability.VIEW_RESIDENT_FILE)
@require_GET
def attachment_view(request: HttpRequest, resident_id: uuid.UUID, event_id: uuid.UUID) -> Any:
    event = selectors.access_attachment(resident_id, event_id, request.actor)  # type: ignore[attr-defined]
    name = str(event.attachment.name).rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        event.attachment.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Capability.TRANSFER_CASELOAD)
@require_http_methods(["GET", "POST"])
def transfer_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    domain = actor.domain or request.POST.get("domein") or request.GET.get("domein") or "participatiewet"
    if domain not in ("participatiewet", "wmo"):
        raise PermissionDenied
    caseworkers = list(selectors.list_caseworkers(actor, domain, active_only=False))
    form = forms.TransferForm(request.POST or None, caseworkers=caseworkers)
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.do_transfer_caseload(
                from_user=form.cleaned_data["from_user"],
                to_user=form.cleaned_data["to_user"],
                domain=domain,
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request,
                _("%(n)s inwoners zijn overgedragen aan %(name)s.")
                % {"n": result.moved, "name": form.cleaned_data["to_user"].display_name()},
            )
            return redirect(request.path + (f"?domein={domain}" if actor.domain is None else ""))
    sizes = [(m, selectors.caseload_size(actor, m.user_id, domain)) for m in caseworkers]
    context = {"form": form, "sizes": sizes, "domain": domain, "choose_domain": actor.domain is None}
    return render(request, "residents/transfer.html", context)
