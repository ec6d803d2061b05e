"""The programme's pages: the programme with its team and projects, the dashboard, the indicators, the
residents behind a figure, and a resident's projects. Parse, select, act."""

import uuid
from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.actor import Actor
from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Capability
from meedoen.errors import RuleError
from meedoen.formatting import euro
from meedoen.forms import Form
from meedoen.parsing import put_error
from meedoen.programmes import actions, charts, forms, rules, selectors, successes
from meedoen.residents import selectors as resident_selectors


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _form_page(
    request: HttpRequest, form: object, *, title: str, intro: str, back: str, button: str
) -> HttpResponse:
    return render(
        request,
        "programmes/form.html",
        {"form": form, "title": title, "intro": intro, "back": back, "button": button},
    )


# ------------------------------------------------------------------------------ programme and projects


@requires(Capability.VIEW_INDICATORS)
@require_GET
def programme_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    programme = selectors.programme_of(actor)
    context = {
        "programme": programme,
        "team": selectors.team_of(programme) if programme else [],
        "projects": selectors.projects_of(actor),
        "costs": selectors.project_costs(actor),
        "may_manage": actor.may(Capability.MANAGE_PROGRAMME),
        "may_report": actor.may(Capability.VIEW_COUNCIL_REPORTS),
        "euro": euro,
    }
    return render(request, "programmes/programme.html", context)


@requires(Capability.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def programme_edit_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    programme = selectors.programme_for_change(actor)
    initial = (
        {
            "name": programme.name,
            "goal": programme.goal,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
        }
        if programme
        else {"starts_on": timezone.localdate().replace(month=1, day=1)}
    )
    form = forms.ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_programme(actor=actor, **form.cleaned_data)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Het programma is opgeslagen."))
            return redirect("programmes:programme")
    return _form_page(
        request,
        form,
        title=_("Programma beschrijven"),
        intro=_("De naam, het centrale doel en de looptijd van het programma."),
        back="programmes:programme",
        button=_("Opslaan"),
    )


@requires(Capability.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def team_add_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    programme = selectors.programme_for_change(actor)
    if programme is None:
        messages.error(request, _("Beschrijf eerst het programma."))
        return redirect("programmes:programme-edit")
    form = forms.TeamMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_add_team_member(programme, actor=actor, **form.cleaned_data)
        messages.success(request, _("Het teamlid is toegevoegd."))
        return redirect("programmes:programme")
    return _form_page(
        request,
        form,
        title=_("Teamlid toevoegen"),
        intro=_("Wie zit in het programmateam, en van welke afdeling?"),
        back="programmes:programme",
        button=_("Toevoegen"),
    )


@requires(Capability.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def project_describe_view(request: HttpRequest, project_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    project = selectors.project_for_change(project_id, actor)
    if selectors.programme_for_change(actor) is None:
        messages.error(request, _("Beschrijf eerst het programma."))
        return redirect("programmes:programme-edit")
    groups = selectors.target_groups_of(actor)
    providers = selectors.contracted_providers(actor)
    placements = selectors.contracted_placements(actor)
    owners = selectors.possible_owners(actor)
    profile = selectors.profile_of(project)
    initial: dict[str, Any] = {"starts_on": timezone.localdate().replace(month=1, day=1)}
    if profile is not None:
        initial = {
            "owner": profile.owner,
            "owner_user": str(profile.owner_user_id or ""),
            "goal": profile.goal,
            "starts_on": profile.starts_on,
            "ends_on": profile.ends_on,
            "target_groups": [str(pk) for pk in profile.target_groups.values_list("pk", flat=True)],
            "providers": [str(pk) for pk in profile.providers.values_list("pk", flat=True)],
            "placements": [str(pk) for pk in profile.placements.values_list("pk", flat=True)],
        }
    form = forms.ProjectProfileForm(
        request.POST or None,
        initial=initial,
        groups=groups,
        providers=providers,
        placements=placements,
        owners=owners,
    )
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = dict(form.cleaned_data)
        data["owner_user"] = {str(u.pk): u for u in owners}.get(data["owner_user"])
        by_id: dict[str, dict[str, Any]] = {
            "target_groups": {str(g.pk): g for g in groups},
            "providers": {str(p.pk): p for p in providers},
            "placements": {str(p.pk): p for p in placements},
        }
        for name, known in by_id.items():
            data[name] = [known[pk] for pk in data[name]]
        try:
            actions.do_describe_project(project, actor=actor, **data)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Het project is beschreven."))
            return redirect("programmes:programme")
    return _form_page(
        request,
        form,
        title=_("Project %(name)s beschrijven") % {"name": project.name},
        intro=_(
            "Een inwoner hoort bij het project door een groep, een lopende plek bij een van de "
            "aanbieders of plekken, of doordat de klantmanager of consulent hem aan het project toevoegt."
        ),
        back="programmes:programme",
        button=_("Opslaan"),
    )


# ------------------------------------------------------------------------------------------- dashboard


FILTER_FIELDS = tuple(d.value for d in rules.FILTER_DIMENSIONS)  # project, wijk, doelgroep, grondslag


class DashboardForm(Form):
    periode = django_forms.CharField(
        label=gettext_lazy("Periode"),
        required=False,
        max_length=7,
        help_text=gettext_lazy("Een maand (2026-05) of een kwartaal (2026-Q2)."),
    )
    project = django_forms.ChoiceField(label=gettext_lazy("Project"), required=False)
    wijk = django_forms.ChoiceField(label=gettext_lazy("Wijk"), required=False)
    doelgroep = django_forms.ChoiceField(label=gettext_lazy("Groep"), required=False)
    grondslag = django_forms.ChoiceField(label=gettext_lazy("Grondslag"), required=False)

    def __init__(self, data: Any, *, choices: dict[str, dict[str, str]]) -> None:
        super().__init__(data)
        everything = [("", _("Alle"))]
        for name in FILTER_FIELDS:
            self.fields[name].choices = everything + list(choices.get(name, {}).items())  # type: ignore[attr-defined]

    def clean_periode(self) -> rules.Period:
        text = self.cleaned_data.get("periode") or timezone.localdate().strftime("%Y-%m")
        try:
            return rules.parse_period(text)
        except rules.FormulaError as error:
            raise django_forms.ValidationError(error.message) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [name for name in FILTER_FIELDS if data.get(name)]
        for name in chosen[rules.MAX_FILTERS :]:
            self.add_error(
                name, _("Kies niet meer dan twee filters tegelijk: zet de andere filters op Alle.")
            )
        return data

    def chosen(self) -> list[tuple[str, str]]:
        """The filters chosen, (dimension, key), at most two."""
        return [(name, self.cleaned_data[name]) for name in FILTER_FIELDS if self.cleaned_data.get(name)]


@requires(Capability.VIEW_INDICATORS)
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    data = request.GET.copy()
    if not data.get("periode"):
        data["periode"] = timezone.localdate().strftime("%Y-%m")
    form = DashboardForm(data, choices=selectors.filter_choices(actor))
    if form.is_valid():
        period = form.cleaned_data["periode"]
        flt = selectors.filter_of(actor, form.chosen())
    else:
        period = rules.parse_period(timezone.localdate().strftime("%Y-%m"))
        flt = selectors.Filter()
    board = selectors.dashboard(actor, period, flt)
    specs = [
        json_script(charts.trend_spec(panel), f"spec-{index}") for index, panel in enumerate(board.panels)
    ]
    context = {
        "form": form,
        "board": board,
        "panels": list(zip(board.panels, specs, strict=True)),
        "programme": selectors.programme_of(actor),
        "query": request.GET.urlencode(),
        "drill_month": period.last.strftime("%Y-%m"),
        "may_report": actor.may(Capability.VIEW_COUNCIL_REPORTS),
    }
    return render(request, "programmes/dashboard.html", context)


# ------------------------------------------------------------------------------------------ indicators


@requires(Capability.VIEW_INDICATORS)
@require_GET
def indicators_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    indicators = selectors.indicators_of(actor)
    rows = [
        {
            "indicator": i,
            "name": selectors.indicator_name(i),
            "how": selectors.indicator_how(i),
            "targets": selectors.targets_of(i),
        }
        for i in indicators
    ]
    may_refresh = actor.may(Capability.MANAGE_PROGRAMME) or actor.may(Capability.MANAGE_INDICATORS)
    context = {
        "rows": rows,
        "may_manage": actor.may(Capability.MANAGE_INDICATORS),
        "may_refresh": may_refresh,
        "rollup_form": forms.RollupForm(initial={"month": timezone.localdate().strftime("%Y-%m")}),
        "runs": selectors.latest_runs(actor),
        "format_value": selectors.format_value,
    }
    return render(request, "programmes/indicators.html", context)


@requires(Capability.MANAGE_INDICATORS)
@require_http_methods(["GET", "POST"])
def indicator_add_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = forms.IndicatorForm(request.POST or None, groups=selectors.target_groups_of(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_add_indicator(
                code=data["code"],
                name=data["name"],
                how_computed=data["how_computed"],
                measure=data["measure"],
                params={
                    "phase": data["phase"],
                    "months": data["months"],
                    "min_age": data["min_age"],
                    "target_group": form.group(),
                },
                unit=data["unit"],
                higher_is_better=data["higher_is_better"],
                target=data["target"],
                target_from=data["target_from"],
                target_until=data["target_until"],
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request, _("De indicator is toegevoegd. Hij wordt berekend bij de volgende berekening.")
            )
            return redirect("programmes:indicators")
    return _form_page(
        request,
        form,
        title=_("Indicator toevoegen"),
        intro=_(
            "Kies een bouwsteen en vul alleen in wat die bouwsteen gebruikt. Meedoen rekent de indicator "
            "elke maand uit; niemand typt cijfers in."
        ),
        back="programmes:indicators",
        button=_("Toevoegen"),
    )


@requires(Capability.MANAGE_INDICATORS)
@require_http_methods(["GET", "POST"])
def target_view(request: HttpRequest, indicator_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    indicator = selectors.indicator_for_change(indicator_id, actor)
    today = timezone.localdate()
    form = forms.TargetForm(
        request.POST or None,
        initial={"starts_on": today.replace(month=1, day=1), "ends_on": today.replace(month=12, day=1)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_target(indicator, actor=actor, **form.cleaned_data)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("De streefwaarde is opgeslagen."))
            return redirect("programmes:indicators")
    return _form_page(
        request,
        form,
        title=_("Streefwaarde voor %(name)s") % {"name": selectors.indicator_name(indicator)},
        intro=_(
            "Bij een aantal in de maand is de streefwaarde per maand; een kwartaal telt drie maanden op."
        ),
        back="programmes:indicators",
        button=_("Opslaan"),
    )


@requires()
@require_POST
def rollup_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not (actor.may(Capability.MANAGE_PROGRAMME) or actor.may(Capability.MANAGE_INDICATORS)):
        raise PermissionDenied
    form = forms.RollupForm(request.POST)
    if form.is_valid():
        try:
            actions.do_request_rollup(form.cleaned_data["month"], actor=actor)
        except RuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("De berekening staat in de wachtrij."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("month", [])))
    return redirect("programmes:indicators")


# ------------------------------------------------------------------------------------------ drill-down


@requires(Capability.VIEW_RESIDENT_FILE)
@require_GET
def behind_view(request: HttpRequest, indicator_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    try:
        period = rules.parse_period(request.GET.get("maand", ""))
    except rules.FormulaError:
        raise Http404 from None
    chosen = [(name, request.GET[name]) for name in FILTER_FIELDS if request.GET.get(name)]
    try:
        flt = selectors.filter_of(actor, chosen)
    except (LookupError, ValueError):  # a key of another municipality, or more than two filters
        raise Http404 from None
    behind = selectors.residents_behind(actor, indicator_id, period.last, flt)
    return render(request, "programmes/behind.html", {"behind": behind})


# ------------------------------------------------------------------------------ a resident's projects


@requires(Capability.VIEW_RESIDENT_FILE)
@require_http_methods(["GET", "POST"])
def resident_projects_view(request: HttpRequest, resident_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    resident = resident_selectors.access_resident_for_screen(resident_id, actor)
    projects = selectors.joinable_projects(actor)
    form = forms.ProjectMemberForm(
        request.POST or None, projects=projects, initial={"since": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        project = selectors.project_to_join(uuid.UUID(form.cleaned_data["project"]), actor)
        try:
            actions.do_add_project_member(
                project,
                resident,
                since=form.cleaned_data["since"],
                reason=form.cleaned_data["reason"],
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("De inwoner doet nu mee aan het project."))
            return redirect("programmes:resident-projects", resident.pk)
    context = {"resident": resident, "members": selectors.memberships_of(resident), "form": form}
    return render(request, "programmes/resident_projects.html", context)


# -------------------------------------------------------------------------------------- council report

REPORT_FORMATS = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _reports_page(request: HttpRequest, form: forms.CouncilReportForm, *, status: int = 200) -> HttpResponse:
    actor = _actor(request)
    context = {
        "form": form,
        "reports": selectors.council_reports(actor),
        "may_make": actor.may(Capability.MAKE_COUNCIL_REPORT),
        "quarter": selectors.last_quarter(timezone.localdate()).label,
    }
    return render(request, "programmes/council_reports.html", context, status=status)


@requires(Capability.VIEW_COUNCIL_REPORTS)
@require_GET
def council_reports_view(request: HttpRequest) -> HttpResponse:
    """The earlier council reports, and (for a programme manager) the form to make one for a quarter."""
    quarter = selectors.last_quarter(timezone.localdate()).label
    return _reports_page(request, forms.CouncilReportForm(initial={"quarter": quarter}))


@requires(Capability.MAKE_COUNCIL_REPORT)
@require_POST
def council_report_start_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = forms.CouncilReportForm(request.POST)
    if form.is_valid():
        try:
            report = actions.do_request_council_report(form.cleaned_data["quarter"], actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            return redirect("programmes:council-report", report.pk)
    return _reports_page(request, form, status=400)


@requires(Capability.VIEW_COUNCIL_REPORTS)
@require_GET
def council_report_view(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """One report: its progress while it is made (htmx asks for the status block every second), then the
    downloads."""
    report = selectors.access_council_report(report_id, _actor(request))
    template = "programmes/council_report.html#status" if request.htmx else "programmes/council_report.html"  # type: ignore[attr-defined]
    return render(request, template, {"report": report})


@requires(Capability.VIEW_COUNCIL_REPORTS)
@require_GET
def council_report_download_view(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    """The stored file of a report that is done: ``?formaat=pdf|csv|xlsx``. Always the same file."""
    fmt = request.GET.get("formaat", "pdf")
    if fmt not in REPORT_FORMATS:
        raise Http404
    report = selectors.access_council_report(report_id, _actor(request), files=True)
    if report.status != report.Status.DONE:
        raise Http404
    body: str | bytes = report.csv if fmt == "csv" else bytes(report.pdf if fmt == "pdf" else report.xlsx)
    response = HttpResponse(body, content_type=REPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="raadsrapportage-{report.quarter}.{fmt}"'
    return response


def _text_quarter(request: HttpRequest) -> Any:
    text = request.GET.get("kwartaal") or selectors.last_quarter(timezone.localdate()).label
    try:
        return forms.parse_quarter(text)
    except django_forms.ValidationError:
        raise Http404 from None


@requires(Capability.VIEW_INDICATORS)
@require_GET
def project_texts_view(request: HttpRequest) -> HttpResponse:
    """The projects whose text for the council the actor writes (all for a programme manager, their own for
    a project owner), for one quarter."""
    actor = _actor(request)
    period = _text_quarter(request)
    context = {
        "period": period,
        "rows": selectors.project_texts(actor, period),
        "may_write_all": actor.may(Capability.MAKE_COUNCIL_REPORT),
    }
    return render(request, "programmes/project_texts.html", context)


@requires(Capability.VIEW_INDICATORS)
@require_http_methods(["GET", "POST"])
def project_text_view(request: HttpRequest, project_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    period = _text_quarter(request)
    project, written = selectors.project_text_for_change(project_id, period, actor)
    form = forms.ProjectTextForm(request.POST or None, initial={"text": written.text if written else ""})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_project_text(project, period, text=form.cleaned_data["text"], actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("De tekst is opgeslagen."))
            return redirect(f"{reverse('programmes:project-texts')}?kwartaal={period.label}")
    return render(
        request,
        "programmes/project_text.html",
        {"form": form, "project": project, "period": period},
    )


# ------------------------------------------------------------------------------------------- successes


def success_fact(success: Any) -> str:
    """What the data says happened, for the caseworker."""
    if success.kind == success.Kind.RUNG_UP:
        return _("Van trede %(a)s naar trede %(b)s op de participatieladder") % {
            "a": success.rung_from,
            "b": success.rung_to,
        }
    if success.kind == success.Kind.FIRST_PAID_MONTH:
        return _("Eerste stap naar betaald werk op de route")
    return _("Certificaat: %(name)s") % {"name": success.certificate}


def success_what(success: Any) -> str:
    """The kind and what happened, on one line for the caseworker: a certificate's fact names its kind
    already ("Certificaat: VCA Basis"), so the kind is not put before it twice."""
    if success.kind == success.Kind.CERTIFICATE:
        return success_fact(success)
    return f"{success.get_kind_display()}: {success_fact(success)}"


def success_state(success: Any) -> str:
    """The status as the caseworker reads it. A proposed success is in the resident's Mijn Meedoen from the
    start (with Meedoen's first text, or the text the caseworker put to them), so the status says so, and
    when the caseworker put a text to the resident."""
    status = str(success.get_status_display())
    if success.status != success.Status.PROPOSED:
        return status
    if success.resident_answer == success.ResidentAnswer.OTHER_WORDS:
        return _("%(status)s: de inwoner stelde andere woorden voor") % {"status": status}
    if success.offered_at:
        return _(
            "%(status)s: voorgelegd in Mijn Meedoen op %(day)s, wacht op het antwoord van de inwoner"
        ) % {
            "status": status,
            "day": date_format(timezone.localtime(success.offered_at), "d-m-Y H:i"),
        }
    return _("%(status)s: de inwoner ziet het in Mijn Meedoen, met de eerste tekst van Meedoen") % {
        "status": status
    }


@requires(Capability.VIEW_SUCCESSES)
@require_GET
def successes_view(request: HttpRequest) -> HttpResponse:
    """The shared successes of the municipality: the approved text, the kind and the month; no name, no
    link to a file."""
    actor = _actor(request)
    context = {
        "successes": selectors.shared_successes(actor),
        "may_record": actor.may(Capability.RECORD_SUCCESSES),
    }
    return render(request, "programmes/successes.html", context)


@requires(Capability.RECORD_SUCCESSES)
@require_GET
def own_successes_view(request: HttpRequest) -> HttpResponse:
    """The successes of the caseworker's own caseload: proposed, approved by the resident, or shared."""
    rows = [(s, success_what(s), success_state(s)) for s in selectors.own_successes(_actor(request))]
    return render(request, "programmes/own_successes.html", {"rows": rows})


@requires(Capability.RECORD_SUCCESSES)
@require_POST
def success_propose_view(request: HttpRequest) -> HttpResponse:
    new = actions.do_propose_successes(actor=_actor(request))
    if new:
        messages.success(
            request,
            ngettext(
                "Er is %(count)d nieuw succes gevonden.",
                "Er zijn %(count)d nieuwe successen gevonden.",
                len(new),
            )
            % {"count": len(new)},
        )
    else:
        messages.info(request, _("Er zijn geen nieuwe successen gevonden."))
    return redirect("programmes:own-successes")


@requires(Capability.RECORD_SUCCESSES)
@require_http_methods(["GET", "POST"])
def success_certificate_view(request: HttpRequest) -> HttpResponse:
    """Add a certificate by hand: Meedoen does not record certificates itself."""
    actor = _actor(request)
    residents = selectors.caseload_for_choice(actor)
    form = forms.CertificateForm(
        request.POST or None, residents=[(str(r.pk), r.list_name) for r in residents]
    )
    if request.method == "POST" and form.is_valid():
        resident = selectors.own_resident(uuid.UUID(form.cleaned_data["resident"]), actor)
        try:
            success = actions.do_add_certificate(
                resident,
                certificate=form.cleaned_data["certificate"],
                happened_on=form.cleaned_data["happened_on"],
                actor=actor,
            )
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request,
                _("Het certificaat staat bij de successen. De inwoner ziet het nu in Mijn Meedoen, met de "
                  "tekst hieronder."),
            )  # fmt: skip
            return redirect("programmes:success", success.pk)
    return _form_page(
        request,
        form,
        title=_("Certificaat toevoegen"),
        intro=_(
            "Heeft een inwoner van uw caseload een certificaat gehaald, bijvoorbeeld bij het "
            "werkleerbedrijf? Zet het hier bij de successen. De inwoner ziet het dan meteen in Mijn Meedoen."
        ),
        back="programmes:own-successes",
        button=_("Toevoegen"),
    )


SUCCESS_STEPS: dict[str, tuple[Callable[..., Any], Any]] = {
    "akkoord": (actions.do_approve_success, gettext_lazy("Het akkoord van de inwoner is vastgelegd.")),
    "delen": (actions.do_publish_success, gettext_lazy("Het succes staat nu op de pagina Successen.")),
    "voorleggen": (
        actions.do_offer_success_text,
        gettext_lazy("De tekst staat nu in Mijn Meedoen van de inwoner. De inwoner kan hem daar goedkeuren."),
    ),
    "afwijzen": (
        actions.do_reject_success,
        gettext_lazy("Het succes is afgewezen. We stellen het niet opnieuw voor."),
    ),
    "terugnemen": (actions.do_take_down_success, gettext_lazy("Het succes wordt niet meer gedeeld.")),
}


@requires(Capability.RECORD_SUCCESSES)
@require_http_methods(["GET", "POST"])
def success_view(request: HttpRequest, success_id: uuid.UUID) -> HttpResponse:
    """One success of the own caseload: write the text with the resident, record their approval, share it;
    or reject it; or, when the resident changes their mind, stop sharing it."""
    actor = _actor(request)
    if request.method == "POST":
        success = selectors.access_success_for_change(success_id, actor)
    else:
        success = selectors.access_success(success_id, actor)
    form = forms.SuccessForm(request.POST or None, initial={"text": successes.start_text(success)})
    # The approval is asked for while the success waits for it, and only by the button that records it.
    form.fields["resident_agreed"].required = success.status == success.Status.PROPOSED
    if request.method == "POST":
        step = SUCCESS_STEPS.get(request.POST.get("stap", ""))
        if step is None:
            raise Http404
        do, done = step
        form.fields["resident_agreed"].required = do is actions.do_approve_success
        if do in (actions.do_reject_success, actions.do_take_down_success):
            # Not sharing needs no text: the form's fields are for approving and sharing.
            try:
                do(success, actor=actor)
            except RuleError as error:
                form.is_valid()
                put_error(form, error)
            else:
                messages.success(request, str(done))
                return redirect("programmes:success", success.pk)
        elif form.is_valid():
            try:
                if do is actions.do_approve_success:
                    actions.do_approve_success(
                        success,
                        text=form.cleaned_data["text"],
                        resident_agreed=form.cleaned_data["resident_agreed"],
                        actor=actor,
                    )
                elif do is actions.do_offer_success_text:
                    actions.do_offer_success_text(success, text=form.cleaned_data["text"], actor=actor)
                else:
                    actions.do_publish_success(success, text=form.cleaned_data["text"], actor=actor)
            except RuleError as error:
                put_error(form, error)
            else:
                messages.success(request, str(done))
                return redirect("programmes:success", success.pk)
        selectors.record_success_read(success, actor)
    context = {
        "success": success,
        "what": success_what(success),
        "state": success_state(success),
        "form": form,
        "offered": successes.text_for_resident(success),
    }
    return render(request, "programmes/success.html", context, status=400 if form.errors else 200)


# ------------------------------------------------------------------------------ Mijn Meedoen: my successes


def _my_successes_page(
    request: HttpRequest, resident: Any, found: list[Any], bound: Any = None, status: int = 200
) -> HttpResponse:
    """The resident's successes, each with the text put to them, its mark and a form for other words (the
    one just posted with its errors)."""
    rows = []
    for success in found:
        text = successes.text_for_resident(success) if success.status == success.Status.PROPOSED else ""
        words = (
            bound[1]
            if bound and bound[0] == success.pk
            else forms.SuccessWordsForm(auto_id=f"succes-{success.pk}-%s")
        )
        rows.append((success, success_fact(success), text, successes.text_mark(text), words))
    context = {"resident": resident, "rows": rows}
    return render(request, "programmes/my_successes.html", context, status=status)


@requires(Capability.VIEW_OWN_FILE)
@require_GET
def my_successes_view(request: HttpRequest) -> HttpResponse:
    """Mijn successen: the resident reads the text about them and agrees that it is shared, or not, or
    suggests other words."""
    resident, found = selectors.own_file_successes(_actor(request))
    return _my_successes_page(request, resident, found)


def _back_to_mine(success: Any) -> HttpResponse:
    return redirect(f"{reverse('programmes:my-successes')}#succes-{success.pk}")


@requires(Capability.VIEW_OWN_FILE)
@require_POST
def my_success_agree_view(request: HttpRequest, success_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    success = selectors.access_own_file_success(success_id, actor)
    try:
        actions.do_agree_to_success(success, mark=request.POST.get("mark", ""), actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Dank u wel. U vindt het goed dat deze tekst gedeeld wordt. Uw klantmanager of consulent "
              "deelt hem."),
        )  # fmt: skip
    return _back_to_mine(success)


@requires(Capability.VIEW_OWN_FILE)
@require_POST
def my_success_refuse_view(request: HttpRequest, success_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    success = selectors.access_own_file_success(success_id, actor)
    try:
        actions.do_refuse_success(success, actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Dit succes wordt niet gedeeld."))
    return _back_to_mine(success)


@requires(Capability.VIEW_OWN_FILE)
@require_POST
def my_success_words_view(request: HttpRequest, success_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    success = selectors.access_own_file_success(success_id, actor)
    form = forms.SuccessWordsForm(request.POST, auto_id=f"succes-{success.pk}-%s")
    if form.is_valid():
        try:
            actions.do_suggest_success_words(success, words=form.cleaned_data["words"], actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request,
                _("Uw woorden zijn verstuurd. Uw klantmanager of consulent past de tekst aan. We delen niets "
                  "voordat u de nieuwe tekst goedkeurt."),
            )  # fmt: skip
            return _back_to_mine(success)
    resident, found = selectors.own_file_successes(actor)
    return _my_successes_page(request, resident, found, (success.pk, form), status=400)
