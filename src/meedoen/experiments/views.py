"""The experiment screens: the list, the design with its power calculation, pre-registration and amendments
(programme manager), recruitment and consent of the own caseload (caseworker). One view per form."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meedoen.accounts.actor import Actor
from meedoen.accounts.guards import requires
from meedoen.accounts.policies import SMALL_COUNT_THRESHOLD, Capability, suppress_small
from meedoen.errors import RuleError
from meedoen.experiments import actions, analysis, design, forms, reports, selectors
from meedoen.experiments.models import Experiment, Participant, Partner
from meedoen.parsing import put_error
from meedoen.residents.models import Resident


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


@requires()
@require_GET
def list_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    context = {
        "experiments": selectors.experiments_of(actor),
        "may_design": actor.may(Capability.DESIGN_EXPERIMENTS),
        "invitations": selectors.invitations_for(actor),
        "municipality_id": actor.municipality_id,
    }
    return render(request, "experiments/experiment_list.html", context)


def _design_page(
    request: HttpRequest, form: forms.DesignForm, *, title: str, experiment: Experiment | None
) -> HttpResponse:
    return render(
        request,
        "experiments/experiment_form.html",
        {"form": form, "title": title, "experiment": experiment, "arm_rows": range(1, forms.ARM_ROWS + 1)},
    )


@requires(Capability.DESIGN_EXPERIMENTS)
@require_http_methods(["GET", "POST"])
def new_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = forms.DesignForm(request.POST or None, municipality_id=actor.municipality_id)
    if request.method == "POST" and form.is_valid():
        try:
            experiment = actions.do_create_experiment(form.cleaned_data["title"], form.design(), actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Het ontwerp is opgeslagen."))
            return redirect("experiments:detail", experiment.pk)
    return _design_page(request, form, title=_("Nieuw experiment"), experiment=None)


@requires(Capability.DESIGN_EXPERIMENTS)
@require_http_methods(["GET", "POST"])
def edit_view(request: HttpRequest, experiment_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    experiment = selectors.experiment_led(experiment_id, actor)
    if experiment.status != Experiment.Status.DESIGN:
        messages.error(
            request, _("Het ontwerp is vastgelegd. Een verandering is nu een wijziging, met datum en reden.")
        )
        return redirect("experiments:detail", experiment.pk)
    initial = forms.initial_of(experiment.title, selectors.design_of(experiment))
    form = forms.DesignForm(request.POST or None, initial=initial, municipality_id=actor.municipality_id)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_design(experiment, form.cleaned_data["title"], form.design(), actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Het ontwerp is opgeslagen."))
            return redirect("experiments:detail", experiment.pk)
    return _design_page(request, form, title=_("Ontwerp aanpassen"), experiment=experiment)


@requires(Capability.DESIGN_EXPERIMENTS)
@require_http_methods(["GET", "POST"])
def amend_view(request: HttpRequest, experiment_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    experiment = selectors.experiment_led(experiment_id, actor)
    initial = forms.initial_of(experiment.title, selectors.design_of(experiment))
    form = forms.AmendmentForm(request.POST or None, initial=initial, municipality_id=actor.municipality_id)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = actions.do_amend(
                experiment, form.design(), reason=form.cleaned_data["reason"],
                made_on=form.cleaned_data["made_on"], actor=actor,
            )  # fmt: skip
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(request, _("Wijziging %(number)d is vastgelegd.") % {"number": amendment.number})
            return redirect("experiments:detail", experiment.pk)
    return _design_page(request, form, title=_("Wijziging van het ontwerp"), experiment=experiment)


def _number(value: float, digits: int = 0) -> str:
    """A figure the Dutch way: 12,5; never "-0,000" for a figure that rounds to zero."""
    return analysis.rounded(value, digits).replace(".", ",")


@dataclass
class PowerView:
    eligible: int | None  # None: fewer than five, not shown (nor the figures that would give it away)
    expected: int
    needed: analysis.Power | None = None
    detectable: analysis.Power | None = None
    warning: str = ""
    error: str = ""
    texts: dict[str, str] = field(default_factory=dict)


def _power(plan: design.Design, eligible: int, *, hide: bool = False) -> PowerView:
    """Both directions of the power calculation for the design's planning figures and the eligible count
    (``hide``: not shown, as if under five)."""
    planning = plan.planning
    view = PowerView(
        eligible=None if hide else suppress_small(eligible), expected=int(eligible * planning.consent_rate)
    )
    try:
        view.needed = analysis.required_sample(
            baseline=planning.baseline, effect=planning.effect, alpha=planning.alpha, power=planning.power,
            ratios=plan.ratios, control=plan.control,
        )  # fmt: skip
        view.warning = analysis.too_many_arms(
            view.needed, eligible=eligible, consent_rate=planning.consent_rate
        )
    except analysis.AnalysisError as error:
        view.error = str(error)
    try:
        view.detectable = analysis.detectable_effect(
            baseline=planning.baseline, available=view.expected, alpha=planning.alpha, power=planning.power,
            ratios=plan.ratios, control=plan.control,
        )  # fmt: skip
    except analysis.AnalysisError:
        view.detectable = None
    if view.eligible is None:
        # A handful of eligible residents: their number is not shown, nor what follows from it.
        view.detectable = None
        if view.warning and view.needed:
            view.warning = _(
                "Te veel groepen voor het aantal inwoners: %(arms)d groepen vragen samen %(total)d "
                "deelnemers, maar minder dan 5 inwoners mogen meedoen. Kies minder groepen, een groter "
                "effect of meer inwoners."
            ) % {"arms": len(view.needed.per_arm), "total": view.needed.total}
    view.texts = {
        "base": _number(planning.baseline * 100),
        "target": _number((planning.baseline + planning.effect) * 100),
        "power": _number(planning.power * 100),
        "alpha": _number((view.needed.alpha if view.needed else planning.alpha) * 100, 1),
        "rate": _number(planning.consent_rate * 100),
    }
    if view.detectable:
        view.texts["effect"] = _number(view.detectable.effect * 100, 1)
        view.texts["reached"] = _number((planning.baseline + view.detectable.effect) * 100, 1)
    return view


def _labels(plan: design.Design) -> dict[str, str]:
    """The design's codes as the page names them, translated."""
    names = {code: label for code, (label, _months, _binary) in design.OUTCOMES.items()}
    names.update(design.STRATA)
    names.update(design.STANDARD_ERRORS)
    names.update(design.COVARIATES)
    names.update({code: str(label) for code, label in forms.LEGAL_BASIS_CHOICES})
    return {code: _(label) for code, label in names.items()}


def _municipality_choices(experiment: Experiment, actor: Actor) -> list[tuple[str, str]]:
    return [(str(m.pk), m.name) for m in selectors.invitable_municipalities(experiment, actor)]


def _detail_page(
    request: HttpRequest, experiment: Experiment, *, invite_form: forms.InviteMunicipalityForm | None = None
) -> HttpResponse:
    actor = _actor(request)
    plan = selectors.design_of(experiment)
    lead = selectors.is_lead(experiment, actor)
    joint = len(selectors.municipality_ids(experiment)) > 1 or plan.joint
    eligible = selectors.eligible_count(experiment, actor)
    flow = selectors.flow(experiment, actor, eligible=eligible)
    # A joint experiment plans its power on every municipality's eligible residents: that total is hidden
    # when, minus the own count on the flow, it would give a small count of the others away.
    everywhere = selectors.eligible_count(experiment, actor, everywhere=True) if joint else eligible
    may_invite = (
        lead and experiment.status == Experiment.Status.DESIGN and actor.may(Capability.JOIN_EXPERIMENTS)
    )
    if may_invite and invite_form is None:
        invite_form = forms.InviteMunicipalityForm(municipalities=_municipality_choices(experiment, actor))
    context = {
        "experiment": experiment,
        "plan": plan,
        "lead": lead,
        "joint": joint,
        "power": _power(plan, everywhere, hide=0 < everywhere - eligible < SMALL_COUNT_THRESHOLD),
        "flow": flow,
        "shared": selectors.shared_counts(experiment, actor, own=flow),
        "balance": selectors.balance(experiment, actor),
        "partners": selectors.partners_of(experiment, actor),
        "invite_form": invite_form if may_invite else None,
        "amendments": experiment.amendments.all(),
        "labels": _labels(plan),
        "decimal": _number,
        "Status": Experiment.Status,
        "PartnerStatus": Partner.Status,
    }
    return render(
        request,
        "experiments/experiment_detail.html",
        context,
        status=400 if invite_form and invite_form.errors else 200,
    )


@requires()
@require_GET
def detail_view(request: HttpRequest, experiment_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    experiment = selectors.access_experiment(experiment_id, actor)
    if not actor.may(Capability.DESIGN_EXPERIMENTS):
        return redirect("experiments:recruitment", experiment.pk)
    return _detail_page(request, experiment)


@requires(Capability.JOIN_EXPERIMENTS)
@require_POST
def invite_municipality_view(request: HttpRequest, experiment_id: uuid.UUID) -> HttpResponse:
    """The lead invites another municipality to the design; a bad choice is an error at the field."""
    actor = _actor(request)
    experiment = selectors.experiment_led(experiment_id, actor)
    form = forms.InviteMunicipalityForm(request.POST, municipalities=_municipality_choices(experiment, actor))
    if form.is_valid():
        municipality = selectors.invitable_municipalities(experiment, actor).get(
            pk=form.cleaned_data["municipality"]
        )
        try:
            actions.do_invite_municipality(experiment, municipality, actor=actor)
        except RuleError as error:
            put_error(form, error)
        else:
            messages.success(
                request, _("%(municipality)s is uitgenodigd. Die gemeente beslist zelf of ze meedoet.")
                % {"municipality": municipality.name},
            )  # fmt: skip
            return redirect("experiments:detail", experiment.pk)
    return _detail_page(request, experiment, invite_form=form)


@requires(Capability.JOIN_EXPERIMENTS)
@require_GET
def invitation_view(request: HttpRequest, experiment_id: uuid.UUID) -> HttpResponse:
    """The invitation of the own municipality: the design to judge, and join or decline."""
    partner = selectors.access_invitation(experiment_id, _actor(request))
    plan = selectors.design_of(partner.experiment)
    context = {
        "partner": partner,
        "experiment": partner.experiment,
        "plan": plan,
        "labels": _labels(plan),
        "open": partner.experiment.status == Experiment.Status.DESIGN
        and partner.status != Partner.Status.LAPSED,
        "PartnerStatus": Partner.Status,
    }
    return render(request, "experiments/invitation.html", context)


@requires(Capability.JOIN_EXPERIMENTS)
@require_POST
def invitation_answer_view(request: HttpRequest, experiment_id: uuid.UUID, join: bool) -> HttpResponse:
    """Join (the municipality's consent, with who and when) or decline; the URL names the answer."""
    actor = _actor(request)
    partner = selectors.access_invitation(experiment_id, actor)
    try:
        actions.do_answer_invitation(partner, join=join, actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
        return redirect("experiments:invitation", experiment_id)
    if join:
        messages.success(request, _("Uw gemeente doet mee. Uw inwoners ziet alleen uw gemeente."))
        return redirect("experiments:detail", experiment_id)
    messages.success(request, _("Uw gemeente doet niet mee aan dit experiment."))
    return redirect("experiments:list")


@requires(Capability.DESIGN_EXPERIMENTS)
@require_POST
def start_view(request: HttpRequest, experiment_id: uuid.UUID) -> HttpResponse:
    actor = _actor(request)
    experiment = selectors.experiment_led(experiment_id, actor)
    try:
        experiment = actions.do_start_recruitment(experiment, actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("De werving is begonnen. Het ontwerp is vastgelegd met SHA-256 %(hash)s.")
            % {"hash": experiment.registered_hash},
        )
    return redirect("experiments:detail", experiment.pk)


@requires(Capability.DESIGN_EXPERIMENTS)
@require_POST
def close_view(request: HttpRequest, experiment_id: uuid.UUID) -> HttpResponse:
    """End the experiment today: the normal rules apply again to everyone who takes part."""
    actor = _actor(request)
    experiment = selectors.experiment_led(experiment_id, actor)
    try:
        actions.do_close_experiment(experiment, on=timezone.localdate(), actor=actor)
    except RuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Het experiment is afgesloten. Voor de deelnemers gelden de gewone regels weer.")
        )
    return redirect("experiments:detail", experiment.pk)


@dataclass(frozen=True)
class _AnswerError:
    """An answer whose form did not validate: the row it belongs to shows the form with its error."""

    target_id: uuid.UUID
    answer: str
    form: forms.AnswerForm


def _recruitment_page(
    request: HttpRequest, experiment: Experiment, *, error: _AnswerError | None = None
) -> HttpResponse:
    actor = _actor(request)
    plan = selectors.design_of(experiment)
    context = {
        "experiment": experiment,
        "plan": plan,
        "candidates": selectors.recruitment_list(experiment, actor),
        "arm_names": {arm.code: arm.name for arm in plan.arms},
        "today": timezone.localdate().isoformat(),
        "error": error,
    }
    return render(request, "experiments/recruitment.html", context, status=400 if error else 200)


@requires(Capability.RECRUIT_PARTICIPANTS)
@require_GET
def recruitment_view(request: HttpRequest, experiment_id: uuid.UUID) -> HttpResponse:
    experiment = selectors.access_experiment(experiment_id, _actor(request))
    return _recruitment_page(request, experiment)


def _record_answer(
    experiment: Experiment, answer: str, target: Resident | Participant, on: dt.date, actor: Actor
) -> str:
    """Call the answer's action on the scoped resident (invite) or participant; the message to show."""
    if isinstance(target, Resident):
        actions.do_invite(experiment, target, on=on, actor=actor)
        return _("De uitnodiging is vastgelegd.")
    if answer == "consent":
        participant = actions.do_record_consent(target, on=on, actor=actor)
        arm = selectors.design_of(experiment).arm(participant.arm)
        return _("Ingeloot in de groep '%(arm)s'.") % {"arm": arm.name}
    if answer == "refuse":
        actions.do_record_refusal(target, on=on, actor=actor)
        return _("Vastgelegd: deze inwoner doet niet mee.")
    actions.do_withdraw(target, on=on, actor=actor)
    return _("Vastgelegd: deze inwoner is gestopt.")


ANSWERS = ("invite", "consent", "refuse", "withdraw")


@requires(Capability.RECRUIT_PARTICIPANTS)
@require_POST
def answer_view(
    request: HttpRequest,
    experiment_id: uuid.UUID,
    answer: str,
    resident_id: uuid.UUID | None = None,
    participant_id: uuid.UUID | None = None,
) -> HttpResponse:
    """One view for the four answers of recruitment (the URL names the answer): invited (a resident of the
    own caseload), consents, refuses, stops (a participant of the own caseload). A date that is no date is
    an error at the field and records nothing."""
    actor = _actor(request)
    experiment = selectors.access_experiment(experiment_id, actor)
    target_id = resident_id if answer == "invite" else participant_id
    if answer not in ANSWERS or target_id is None:
        raise Http404
    # Scope first: another caseload's id is a 404, whatever the date says.
    target: Resident | Participant = (
        selectors.resident_for_recruitment(experiment, target_id, actor)
        if answer == "invite"
        else selectors.participant_for_change(experiment, target_id, actor)
    )
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        return _recruitment_page(request, experiment, error=_AnswerError(target_id, answer, form))
    try:
        messages.success(request, _record_answer(experiment, answer, target, form.cleaned_data["on"], actor))
    except RuleError as error:
        messages.error(request, error.message)
    return redirect("experiments:recruitment", experiment.pk)


@requires(Capability.DESIGN_EXPERIMENTS)
@require_GET
def registration_view(request: HttpRequest, experiment_id: uuid.UUID) -> HttpResponse:
    """The registered design as the exact bytes that were hashed: ``sha256sum`` of the download gives the
    hash shown on the page."""
    experiment = selectors.experiment_for_design(experiment_id, _actor(request))
    number = request.GET.get("wijziging")
    text = experiment.registered_json
    if number:
        amendment = experiment.amendments.filter(number=int(number) if number.isdigit() else 0).first()
        text = amendment.registered_json if amendment else ""
    if not text:
        return HttpResponse(status=404)
    response = HttpResponse(text.encode("utf-8"), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="experiment-{experiment.pk}-{number or 0}.json"'
    return response


def _estimator(plan: design.Design, se: str) -> str:
    return analysis.describe_estimator(
        analysis.Spec(
            arm="groep",
            control=plan.control,
            outcomes=(),
            covariates=tuple(_(design.COVARIATES[c]).lower() for c in plan.covariates),
            # The strata by name; a joint experiment has the municipality among them.
            strata=" × ".join(_(design.STRATA[s]).lower() for s in plan.strata) if plan.strata else None,
            se=se,  # type: ignore[arg-type]
        )
    )


def _analysis_context(request: HttpRequest, experiment: Experiment, actor: Actor) -> dict[str, object]:
    """What the analysis screen shows, and its PDF with it: the figures come from the same selectors. The
    address may ask for a sensitivity analysis (other standard errors, randomisation inference)."""
    plan = selectors.design_of(experiment)
    asked = any(key in request.GET for key in forms.ReanalysisForm.base_fields)
    form = forms.ReanalysisForm(request.GET if asked else None, registered=plan.standard_errors)
    se, randomisation = form.choice()
    results = selectors.experiment_analysis(
        experiment, actor, standard_errors=se, randomisation=randomisation
    )
    names = {arm.code: arm.name for arm in plan.arms}
    query = request.GET.copy()
    query.pop("formaat", None)
    return {
        "experiment": experiment,
        "plan": plan,
        "results": results,
        "arm_names": names,
        "chart": reports.forest_svg(results, names),
        "version": experiment.amendments.count(),
        "estimator": _estimator(plan, se),
        "checked_errors": _(design.STANDARD_ERRORS[se]),
        "registered_errors": _(design.STANDARD_ERRORS[plan.standard_errors]),
        "sensitivity": not design.is_registered_analysis(plan, se, randomisation),
        "randomisation": randomisation,
        "draws": selectors.RANDOMISATION_DRAWS,
        "options_form": form,
        "query": query.urlencode(),
        "decimal": _number,
        "outcome_names": {code: _(label) for code, (label, _months, _binary) in design.OUTCOMES.items()},
    }


@requires(Capability.DESIGN_EXPERIMENTS)
@require_GET
def analysis_view(request: HttpRequest, experiment_id: uuid.UUID) -> HttpResponse:
    """The analysis per outcome; ``?formaat=csv`` the effects as CSV, ``?formaat=pdf`` the page as a tagged
    PDF with the question, the hash of the design it follows and the flow of the experiment page."""
    actor = _actor(request)
    experiment = selectors.experiment_for_design(experiment_id, actor)
    context = _analysis_context(request, experiment, actor)
    download = request.GET.get("formaat")
    if download == "csv":
        text = reports.effects_csv(context["results"], context["arm_names"])  # type: ignore[arg-type]
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="experiment-{experiment.pk}-analyse.csv"'
        return response
    if download == "pdf":
        context |= {
            "flow": selectors.flow(experiment, actor),
            "followed_hash": selectors.followed_hash(experiment),
            "municipality": actor.municipality.name,
        }
        response = HttpResponse(reports.analysis_pdf(context), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="experiment-{experiment.pk}-analyse.pdf"'
        return response
    return render(request, "experiments/experiment_analysis.html", context)


urlpatterns: list[URLPattern] = [
    path("experimenten/", list_view, name="list"),
    path("experimenten/nieuw/", new_view, name="new"),
    path("experimenten/<uuid:experiment_id>/", detail_view, name="detail"),
    path("experimenten/<uuid:experiment_id>/ontwerp/", edit_view, name="edit"),
    path("experimenten/<uuid:experiment_id>/wijziging/", amend_view, name="amend"),
    path("experimenten/<uuid:experiment_id>/werving-starten/", start_view, name="start"),
    path("experimenten/<uuid:experiment_id>/afsluiten/", close_view, name="close"),
    path(
        "experimenten/<uuid:experiment_id>/gemeenten/", invite_municipality_view, name="invite-municipality"
    ),
    path("experimenten/<uuid:experiment_id>/uitnodiging/", invitation_view, name="invitation"),
    path(
        "experimenten/<uuid:experiment_id>/uitnodiging/meedoen/",
        invitation_answer_view,
        {"join": True},
        name="invitation-join",
    ),
    path(
        "experimenten/<uuid:experiment_id>/uitnodiging/niet-meedoen/",
        invitation_answer_view,
        {"join": False},
        name="invitation-decline",
    ),
    path("experimenten/<uuid:experiment_id>/registratie.json", registration_view, name="registration"),
    path("experimenten/<uuid:experiment_id>/werving/", recruitment_view, name="recruitment"),
    path("experimenten/<uuid:experiment_id>/analyse/", analysis_view, name="analysis"),
    path(
        "experimenten/<uuid:experiment_id>/werving/<uuid:resident_id>/uitnodigen/",
        answer_view,
        {"answer": "invite"},
        name="invite",
    ),
    path(
        "experimenten/<uuid:experiment_id>/deelnemers/<uuid:participant_id>/instemming/",
        answer_view,
        {"answer": "consent"},
        name="consent",
    ),
    path(
        "experimenten/<uuid:experiment_id>/deelnemers/<uuid:participant_id>/weigering/",
        answer_view,
        {"answer": "refuse"},
        name="refuse",
    ),
    path(
        "experimenten/<uuid:experiment_id>/deelnemers/<uuid:participant_id>/stoppen/",
        answer_view,
        {"answer": "withdraw"},
        name="withdraw",
    ),
]
