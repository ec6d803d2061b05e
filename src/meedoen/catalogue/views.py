"""The catalogue, the providers' administration, the provider portal, and proposals from the resident file.

Parse the request, select through the selectors, act through the actions, render. A RuleError or
PlacementInvalid from an action goes back to the form field it names."""

import datetime as dt
import uuid
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.actions import ActionRefused
from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.accounts.selectors import list_unread_notifications
from meedoen.audit.models import Purpose
from meedoen.catalogue import actions, forms, rules, selectors, signals
from meedoen.catalogue.models import Funding, PhysicalDemand, Placement, PlacementKind, Pricing, Proposal
from meedoen.errors import RuleError
from meedoen.labels import with_preferred
from meedoen.municipalities.selectors import list_districts
from meedoen.parsing import date_or_none, int_or, page_number, put_error, uuid_or_none
from meedoen.residents import selectors as resident_selectors
from meedoen.residents.actions import StaleEdit
from meedoen.residents.models import Workload


def _put_errors(form: django_forms.Form, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


def _resident_url(resident_id: uuid.UUID) -> str:
    return reverse("residents:detail", args=[resident_id]) + "#plaatsingen"


# -------------------------------------------------------------------------------------------- catalogue


@requires(Capability.BROWSE_CATALOGUE)
@require_GET
def catalogue_view(request: HttpRequest) -> HttpResponse:
    """Browse and filter the catalogue. With ``?inwoner=<id>`` (a caseworker looking for a place for a
    resident of their caseload), distances are measured from the resident's district and each row offers
    to make a proposal."""
    actor = request.actor  # type: ignore[attr-defined]
    get = request.GET
    districts = list(list_districts(actor.municipality))
    resident = None
    near = None
    resident_id = uuid_or_none(get.get("inwoner"))
    if resident_id and actor.may(Capability.MAKE_PROPOSALS):
        resident = resident_selectors.access_resident_for_screen(
            resident_id, actor, purpose=Purpose.PLACEMENT
        )
        if resident.district is not None:
            near = (float(resident.district.latitude), float(resident.district.longitude))
    from_district = next((d for d in districts if str(d.pk) == get.get("vanaf")), None)
    if from_district is not None:
        near = (float(from_district.latitude), float(from_district.longitude))
    max_km = int_or(get.get("km"), 0)
    query = selectors.CatalogueQuery(
        search=get.get("zoek", "")[:100],
        kind=get.get("soort", "") if get.get("soort") in PlacementKind.values else "",
        tag=get.get("interesse", "")[:50],
        district_id=uuid_or_none(get.get("wijk")),
        workload=get.get("werkdruk", "") if get.get("werkdruk") in Workload.values else "",
        funding=get.get("betaald", "") if get.get("betaald") in ("wmo", "participatiewet") else "",
        free_only=get.get("vrij") == "1",
        open_only=get.get("gesloten") != "1",
        near=near,
        max_km=float(max_km) if near and max_km in (2, 5, 10, 20) else None,
        page=page_number(get.get("pagina")),
    )
    result = selectors.search_catalogue(actor, query)
    params = get.copy()
    params.pop("pagina", None)
    context = {
        "result": result,
        "query": query,
        "get": get,
        "querystring": params.urlencode(),
        "resident": resident,
        "district_options": [(str(d.pk), d.name) for d in districts],
        "distance_options": [(km, f"{km} km") for km in (2, 5, 10, 20)],
        "kinds": [(value, with_preferred(label)) for value, label in PlacementKind.choices],
        "workloads": Workload.choices,
        "fundings": [(Funding.WMO.value, Funding.WMO.label), (Funding.WORK.value, Funding.WORK.label)],
    }
    template = "catalogue/catalogue.html#results" if request.htmx else "catalogue/catalogue.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _field_labels(changes: dict[str, Any]) -> list[str]:
    labels = []
    for name in changes:
        try:
            labels.append(str(getattr(Placement._meta.get_field(name), "verbose_name", name)))
        except FieldDoesNotExist:
            labels.append(name)
    return labels


@requires(Capability.BROWSE_CATALOGUE)
@require_GET
def placement_view(request: HttpRequest, placement_id: uuid.UUID) -> HttpResponse:
    page = selectors.access_placement(placement_id, request.actor)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "placement": page.placement,
        "demands": [
            label for value, label in PhysicalDemand.choices if value in page.placement.physical_demands
        ],
        "changes": [(change, _field_labels(change.changes)) for change in page.changes],
        "resident_id": uuid_or_none(request.GET.get("inwoner")),
    }
    return render(request, "catalogue/placement.html", context)


# -------------------------------------------------------------------------------------------- providers


@requires(Capability.MANAGE_PROVIDERS)
@require_GET
def providers_view(request: HttpRequest) -> HttpResponse:
    providers = selectors.list_providers(request.actor).prefetch_related("contracts")  # type: ignore[attr-defined]
    municipality_id = request.actor.municipality_id  # type: ignore[attr-defined]
    rows = [
        (provider, next((c for c in provider.contracts.all() if c.municipality_id == municipality_id), None))
        for provider in providers
    ]
    return render(request, "catalogue/providers.html", {"rows": rows, "today": timezone.localdate()})


def _provider_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in ("name", "kind", "contact_name", "email", "phone")}


@requires(Capability.MANAGE_PROVIDERS)
@require_http_methods(["GET", "POST"])
def provider_new_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = forms.ProviderForm(request.POST or None, initial={"contract_starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            provider = actions.do_create_provider(
                _provider_values(data),
                starts_on=data["contract_starts_on"],
                ends_on=data["contract_ends_on"],
                task_budget=data["contract_task_budget"],
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Aanbieder %(name)s is toegevoegd.") % {"name": provider.name})
            return redirect("catalogue:provider", provider.pk)
    return render(request, "catalogue/form.html", {"form": form, "title": _("Aanbieder toevoegen")})


@requires(Capability.MANAGE_PROVIDERS)
@require_http_methods(["GET", "POST"])
def provider_view(request: HttpRequest, provider_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    provider = selectors.access_provider(provider_id, actor)
    contract = selectors.contract_of(provider, actor)
    initial = {name: getattr(provider, name) for name in ("name", "kind", "contact_name", "email", "phone")}
    if contract is not None:
        initial |= {
            "contract_starts_on": contract.starts_on,
            "contract_ends_on": contract.ends_on,
            "contract_task_budget": contract.task_budget,
        }
    form = forms.ProviderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_update_provider(
                provider,
                _provider_values(data),
                starts_on=data["contract_starts_on"],
                ends_on=data["contract_ends_on"],
                task_budget=data["contract_task_budget"],
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": provider.name}
            )
            return redirect("catalogue:provider", provider.pk)
    context = {
        "form": form,
        "provider": provider,
        "staff": selectors.list_provider_staff(provider, actor),
        "placements": selectors.list_provider_placements(provider, actor),
    }
    return render(request, "catalogue/provider.html", context)


@requires(Capability.MANAGE_PROVIDERS)
@require_http_methods(["GET", "POST"])
def provider_user_view(request: HttpRequest, provider_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    provider = selectors.access_provider(provider_id, actor)
    form = forms.ProviderUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_add_provider_user(provider, actor=actor, **data)
        except ActionRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
        else:
            messages.success(
                request,
                _("%(user)s kan nu inloggen als medewerker van %(name)s.")
                % {"user": data["username"], "name": provider.name},
            )
            return redirect("catalogue:provider", provider.pk)
    title = _("Medewerker toevoegen aan %(name)s") % {"name": provider.name}
    return render(request, "catalogue/form.html", {"form": form, "title": title})


# ------------------------------------------------------------------------------------------ provider portal


@requires(Capability.RUN_PLACEMENTS)
@require_GET
def portal_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    context = {
        "provider": selectors.provider_of(actor),
        "notifications": list_unread_notifications(actor),
        "incoming": selectors.list_incoming_proposals(actor),
        "seats": selectors.list_provider_seats(actor),
        "placements": selectors.own_placements(actor),
    }
    return render(request, "catalogue/portal.html", context)


def _placement_form(request: HttpRequest, initial: dict[str, Any]) -> forms.PlacementForm:
    actor = request.actor  # type: ignore[attr-defined]
    provider = selectors.provider_of(actor)
    names = selectors.tag_names(actor)
    tags = sorted(
        ((code, names.get(code, code)) for code in selectors.known_tag_codes(provider)), key=lambda t: t[1]
    )
    return forms.PlacementForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        districts=list_districts(actor.municipality),
        tags=tags,
    )


@requires(Capability.RUN_PLACEMENTS)
@require_http_methods(["GET", "POST"])
def placement_new_view(request: HttpRequest) -> HttpResponse:
    form = _placement_form(request, {"is_open": True, "capacity": 1})
    if request.method == "POST" and form.is_valid():
        try:
            placement = actions.do_save_placement(
                None,
                form.values(),
                form.cleaned_data["tags"],
                actor=request.actor,  # type: ignore[attr-defined]
            )
        except actions.PlacementInvalid as invalid:
            _put_errors(form, invalid.errors)
        else:
            messages.success(
                request, _("De plek %(title)s staat in het aanbod.") % {"title": placement.title}
            )
            return redirect("catalogue:placement", placement.pk)
    return render(request, "catalogue/form.html", {"form": form, "title": _("Nieuwe plek")})


@requires(Capability.RUN_PLACEMENTS)
@require_http_methods(["GET", "POST"])
def placement_edit_view(request: HttpRequest, placement_id: uuid.UUID) -> HttpResponse:
    placement = selectors.access_own_placement(placement_id, request.actor)  # type: ignore[attr-defined]
    initial = {name: getattr(placement, name) for name in actions.PLACEMENT_FIELDS}
    initial |= {"tags": placement.tags, "version": placement.version}
    if placement.pricing == Pricing.TASK:
        initial |= {"price": None, "price_unit": "week"}  # no price of its own; the unit list needs a choice
    form = _placement_form(request, initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_placement(
                placement,
                form.values(),
                form.cleaned_data["tags"],
                version=form.cleaned_data["version"],
                actor=request.actor,  # type: ignore[attr-defined]
            )
        except actions.PlacementInvalid as invalid:
            _put_errors(form, invalid.errors)
        except StaleEdit:
            form.add_error(None, StaleEdit.message)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("catalogue:placement", placement.pk)
    title = _("Plek wijzigen: %(title)s") % {"title": placement.title}
    return render(request, "catalogue/form.html", {"form": form, "title": title})


def _proposal_page(
    request: HttpRequest, proposal_id: uuid.UUID, *, decline_form: forms.DeclineForm | None = None
) -> HttpResponse:
    """The proposal page with its two forms; ``decline_form`` is the posted one that did not go through."""
    seen = selectors.access_provider_proposal(proposal_id, request.actor)  # type: ignore[attr-defined]
    context = {"seen": seen, "decline_form": decline_form or forms.DeclineForm()}
    return render(request, "catalogue/portal_proposal.html", context)


@requires(Capability.RUN_PLACEMENTS)
@require_GET
def portal_proposal_view(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    """The provider reads a proposal; accepting and declining each post to their own view below."""
    return _proposal_page(request, proposal_id)


@requires(Capability.RUN_PLACEMENTS)
@require_POST
def portal_proposal_accept_view(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    proposal = selectors.provider_proposal_for_change(proposal_id, actor)
    try:
        seat = actions.do_accept_proposal(proposal, actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
        return redirect(reverse("catalogue:portal-proposal", args=[proposal.pk]) + "#inhoud")
    messages.success(
        request,
        _("U heeft het voorstel geaccepteerd. %(name)s krijgt plaats %(number)s.")
        % {"name": proposal.resident.full_name, "number": seat.number},
    )
    return redirect(_seat_url(seat.pk))


@requires(Capability.RUN_PLACEMENTS)
@require_POST
def portal_proposal_decline_view(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    proposal = selectors.provider_proposal_for_change(proposal_id, actor)
    form = forms.DeclineForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, proposal.pk, decline_form=form)
    try:
        actions.do_decline_proposal(
            proposal, reason=form.cleaned_data["reason"], text=form.cleaned_data["text"], actor=actor
        )
    except RuleError as error:
        put_error(form, error)
        return _proposal_page(request, proposal.pk, decline_form=form)
    messages.success(request, _("U heeft het voorstel afgewezen. De klantmanager krijgt bericht."))
    return redirect("catalogue:portal")


def _seat_url(seat_id: uuid.UUID) -> str:
    """The seat page at the top of its content, where the message of what was done is shown (a form's own
    anchor, which the browser would otherwise keep after the redirect, would scroll past it)."""
    return reverse("catalogue:portal-seat", args=[seat_id]) + "#inhoud"


def _seat_page(request: HttpRequest, seat_id: uuid.UUID, **bound: django_forms.Form) -> HttpResponse:
    """The seat page with all its forms; ``bound`` holds the one posted form that did not go through, shown
    again with its errors (by its context name: ``attendance_form``, ``report_form`` or ``end_form``)."""
    today = timezone.localdate()
    page = selectors.access_provider_seat(seat_id, request.actor)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "seat": page.seat,
        "attendance_form": forms.AttendanceForm(initial={"week": today}, prefix="aanwezigheid"),
        "report_form": forms.ReportForm(initial={"month": today}, prefix="verslag"),
        "end_form": forms.EndSeatForm(prefix="einde"),
    } | bound
    return render(request, "catalogue/portal_seat.html", context)


@requires(Capability.RUN_PLACEMENTS)
@require_GET
def portal_seat_view(request: HttpRequest, seat_id: uuid.UUID) -> HttpResponse:
    """A placed resident: attendance per week, a report per month, ending the placement. Each form posts to
    its own view below."""
    return _seat_page(request, seat_id)


@requires(Capability.RUN_PLACEMENTS)
@require_POST
def portal_seat_attendance_view(request: HttpRequest, seat_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    seat = selectors.access_provider_seat(seat_id, actor, log_view=False).seat
    form = forms.AttendanceForm(request.POST, prefix="aanwezigheid")
    if form.is_valid():
        try:
            actions.do_record_attendance(seat, actor=actor, **form.cleaned_data)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("De aanwezigheid is opgeslagen."))
            return redirect(_seat_url(seat.pk))
    return _seat_page(request, seat.pk, attendance_form=form)


@requires(Capability.RUN_PLACEMENTS)
@require_POST
def portal_seat_report_view(request: HttpRequest, seat_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    seat = selectors.access_provider_seat(seat_id, actor, log_view=False).seat
    form = forms.ReportForm(request.POST, prefix="verslag")
    if form.is_valid():
        try:
            actions.do_add_progress_report(seat, actor=actor, **form.cleaned_data)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request, _("Het verslag is opgeslagen. De klantmanager ziet het in het dossier.")
            )
            return redirect(_seat_url(seat.pk))
    return _seat_page(request, seat.pk, report_form=form)


@requires(Capability.RUN_PLACEMENTS)
@require_POST
def portal_seat_end_view(request: HttpRequest, seat_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    seat = selectors.access_provider_seat(seat_id, actor, log_view=False).seat
    form = forms.EndSeatForm(request.POST, prefix="einde")
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_end_seat(seat, ended_on=data["ended_on"], reason=data["reason"], actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("De plaatsing is beëindigd. De plaats is weer vrij."))
            return redirect(_seat_url(seat.pk))
    return _seat_page(request, seat.pk, end_form=form)


WEEKS_TO_CHOOSE = 13  # this week and the twelve before it


def _grid_week(value: str | None, weeks: list[dt.date]) -> dt.date:
    """The Monday of the chosen week, if it is one of ``weeks``; otherwise the last complete week."""
    day = date_or_none(value)
    week = rules.monday_of(day) if day else None
    return week if week in weeks else weeks[1]


def _row_forms(
    grid: selectors.AttendanceGrid, data: Any | None
) -> list[tuple[selectors.AttendanceRow, forms.AttendanceRowForm]]:
    rows = []
    for row in grid.rows:
        saved = row.attendance
        initial: dict[str, Any] = {"seen": actions.attendance_stamp(saved)}
        if saved is not None:
            initial |= {
                "days_present": saved.days_present,
                "hours_present": saved.hours_present,
                "note": saved.note,
            }
        rows.append((row, forms.AttendanceRowForm(data, prefix=f"r-{row.seat.pk}", initial=initial)))
    return rows


@requires(Capability.RUN_PLACEMENTS)
@require_http_methods(["GET", "POST"])
def portal_attendance_view(request: HttpRequest) -> HttpResponse:
    """Attendance of one week for all residents placed with the provider, one row each, saved at once.

    The week, the search and the page are in the query string, also when the grid is posted: a post saves
    the rows of the page it shows."""
    actor = request.actor  # type: ignore[attr-defined]
    this_week = rules.monday_of(timezone.localdate())
    weeks = [this_week - dt.timedelta(weeks=n) for n in range(WEEKS_TO_CHOOSE)]
    week = _grid_week(request.GET.get("week"), weeks)
    search = request.GET.get("zoek", "").strip()[:100]
    page = page_number(request.GET.get("pagina"))
    grid = selectors.attendance_grid(actor, week=week, search=search, page=page)
    rows = _row_forms(grid, request.POST if request.method == "POST" else None)
    refused = False
    if request.method == "POST":
        if all(form.is_valid() for _row, form in rows):
            entries = [actions.WeekEntry(seat=row.seat, **form.cleaned_data) for row, form in rows]
            try:
                result = actions.do_record_week(week, entries, actor=actor)
            except StaleEdit:
                messages.error(request, StaleEdit.message)
                return redirect(request.get_full_path())
            except actions.WeekInvalid as invalid:
                # Show what is saved now, keep what the provider typed, and let the next save go through
                # once they have seen it (a clash becomes a question to tick 'wijzigen').
                grid = selectors.attendance_grid(actor, week=week, search=search, page=page)
                data = request.POST.copy()
                for row in grid.rows:
                    data[f"r-{row.seat.pk}-seen"] = actions.attendance_stamp(row.attendance)
                rows = _row_forms(grid, data)
                for row, form in rows:
                    form.is_valid()
                    for name, message in invalid.errors.get(row.seat.pk, {}).items():
                        form.add_error(name, message)
            else:
                messages.success(
                    request,
                    _(
                        "De aanwezigheid van de week van %(week)s is opgeslagen: %(saved)s opgeslagen, "
                        "%(unchanged)s niet veranderd, %(empty)s niet gemeld (lege rij)."
                    )
                    % {
                        "week": week.strftime("%d-%m-%Y"),
                        "saved": result.saved,
                        "unchanged": result.unchanged,
                        "empty": result.not_reported,
                    },
                )
                return redirect(request.get_full_path())
        refused = True
    params = request.GET.copy()
    params.pop("pagina", None)
    context = {
        "grid": grid,
        "rows": rows,
        "refused": refused,
        "weeks": [(monday, monday + dt.timedelta(days=6)) for monday in weeks],
        "week": week,
        "week_end": week + dt.timedelta(days=6),
        "search": search,
        "querystring": params.urlencode(),
    }
    return render(request, "catalogue/portal_attendance.html", context)


# ----------------------------------------------------------------------------- from the resident's file


@requires(Capability.MAKE_PROPOSALS)
@require_GET
def resident_placements_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    """The proposals and placements section of the resident file (loaded into the file page)."""
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    domains = resident_selectors.visible_domains_of(resident, actor)
    placements = selectors.resident_placements(resident, domains, actor)
    context = {"resident": resident, "placements": placements, "today": timezone.localdate()}
    template = "catalogue/_resident_placements.html"
    if not request.htmx:  # type: ignore[attr-defined]
        template = "catalogue/resident_placements.html"
    return render(request, template, context)


def _proposal_warnings(
    resident: Any, placement: Placement, start_date: dt.date, hours_per_week: int, actor: Any
) -> list[str]:
    """What higher apps warn the caseworker about before proposing (the budget: the cost would not fit the
    free budget of its source). A warning never blocks the proposal."""
    answers = signals.proposal_warnings.send(
        Proposal,
        municipality_id=actor.municipality_id,
        resident=resident,
        placement=placement,
        domain=str(actor.domain),
        start_date=start_date,
        hours_per_week=hours_per_week,
        actor=actor,
    )
    return [warning for _receiver, texts in answers for warning in (texts or [])]


@requires(Capability.MAKE_PROPOSALS)
@require_http_methods(["GET", "POST"])
def propose_view(request: HttpRequest, resident_id: uuid.UUID, placement_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    page = selectors.access_placement(placement_id, actor)
    hours = getattr(getattr(resident, "profile", None), "hours_per_week", None)
    # The chosen values (query string on GET, the form on POST), or the form's first values.
    start_date = date_or_none(request.GET.get("start_date")) or timezone.localdate()
    chosen_hours = int_or(request.GET.get("hours_per_week"), 0)
    if not 1 <= chosen_hours <= 40:
        chosen_hours = hours or min(int(page.placement.hours_per_week), 40)
    form = forms.ProposalForm(
        request.POST or None, initial={"start_date": start_date, "hours_per_week": chosen_hours}
    )
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        warnings = _proposal_warnings(
            resident,
            page.placement,
            form.cleaned_data["start_date"],
            form.cleaned_data["hours_per_week"],
            actor,
        )
        try:
            actions.do_propose(resident, page.placement, actor=actor, **form.cleaned_data)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request,
                _("Het voorstel is naar %(provider)s gestuurd.") % {"provider": page.placement.provider.name},
            )
            for warning in warnings:
                messages.warning(request, warning)
            return redirect(_resident_url(resident.pk))
    elif request.method == "GET":
        warnings = _proposal_warnings(resident, page.placement, start_date, chosen_hours, actor)
    resident_selectors.record_screen_read(resident, actor, purpose=Purpose.PLACEMENT)
    context = {
        "form": form,
        "resident": resident,
        "placement": page.placement,
        "page": page,
        "warnings": warnings,
    }
    return render(request, "catalogue/propose.html", context)


@requires(Capability.MAKE_PROPOSALS)
@require_http_methods(["GET", "POST"])
def forward_view(request: HttpRequest, resident_id: uuid.UUID, proposal_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    domains = resident_selectors.visible_domains_of(resident, actor)
    proposal = selectors.access_resident_proposal(resident, proposal_id, domains)
    candidates = selectors.forward_candidates(proposal, actor)
    choices = [(str(p.pk), f"{p.title} ({p.provider.name})") for p in candidates[:300]]
    form = forms.ForwardForm(
        request.POST or None,
        initial={"start_date": max(proposal.start_date, timezone.localdate())},
        placements=choices,
    )
    if request.method == "POST" and form.is_valid():
        placement = candidates.get(pk=form.cleaned_data["placement"])
        try:
            actions.do_forward_proposal(
                proposal,
                placement,
                start_date=form.cleaned_data["start_date"],
                note=form.cleaned_data["note"],
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request, _("Het voorstel is doorgestuurd naar %(title)s.") % {"title": placement.title}
            )
            return redirect(_resident_url(resident.pk))
    resident_selectors.record_screen_read(resident, actor, purpose=Purpose.PLACEMENT)
    context = {"form": form, "resident": resident, "proposal": proposal}
    return render(request, "catalogue/forward.html", context)


@requires(Capability.MAKE_PROPOSALS)
@require_http_methods(["GET", "POST"])
def accepted_view(request: HttpRequest, resident_id: uuid.UUID, proposal_id: uuid.UUID) -> HttpResponse:
    """After a provider accepted a proposal: the resident's other proposals of the caseworker's domain that
    still wait for an answer, with one button to withdraw them."""
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    domains = resident_selectors.visible_domains_of(resident, actor)
    proposal = selectors.access_resident_proposal(resident, proposal_id, domains)
    others = selectors.open_proposals_besides(proposal, str(actor.domain))
    if request.method == "POST":
        chosen = set(request.POST.getlist("voorstel"))
        withdraw = [other for other in others if str(other.pk) in chosen]
        if not withdraw:
            messages.error(request, _("Kies de voorstellen die u wilt intrekken."))
            return redirect("catalogue:accepted", resident.pk, proposal.pk)
        try:
            actions.do_withdraw_proposals(withdraw, actor=actor)
        except RuleError as error:
            messages.error(request, error.message)
            return redirect("catalogue:accepted", resident.pk, proposal.pk)
        messages.success(
            request,
            ngettext(
                "%(count)s voorstel ingetrokken. De aanbieder krijgt bericht.",
                "%(count)s voorstellen ingetrokken. De aanbieders krijgen bericht.",
                len(withdraw),
            )
            % {"count": len(withdraw)},
        )
        return redirect(_resident_url(resident.pk))
    resident_selectors.record_screen_read(resident, actor, purpose=Purpose.PLACEMENT)
    context = {"resident": resident, "proposal": proposal, "others": others}
    return render(request, "catalogue/accepted.html", context)


@requires(Capability.MAKE_PROPOSALS)
@require_POST
def withdraw_view(request: HttpRequest, resident_id: uuid.UUID, proposal_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    proposal = selectors.access_resident_proposal(resident, proposal_id, {str(actor.domain)})
    try:
        actions.do_withdraw_proposal(proposal, actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Het voorstel is ingetrokken."))
    return redirect(_resident_url(resident.pk))


@requires(Capability.MAKE_PROPOSALS)
@require_http_methods(["GET", "POST"])
def end_seat_view(request: HttpRequest, resident_id: uuid.UUID, seat_id: uuid.UUID) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    resident = resident_selectors.access_resident_for_change(resident_id, actor)
    seat = selectors.access_resident_seat(
        resident, seat_id, resident_selectors.visible_domains_of(resident, actor)
    )
    form = forms.EndSeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_end_seat(
                seat, ended_on=form.cleaned_data["ended_on"], reason=form.cleaned_data["reason"], actor=actor
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("De plaatsing is beëindigd."))
            return redirect(_resident_url(resident.pk))
    resident_selectors.record_screen_read(resident, actor, purpose=Purpose.PLACEMENT)
    title = _("Plaatsing bij %(title)s beëindigen") % {"title": seat.placement.title}
    return render(request, "catalogue/form.html", {"form": form, "title": title, "resident": resident})
