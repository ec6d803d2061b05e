"""Start pages per role and the friendly error pages."""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_GET

from meedoen.accounts.guards import requires
from meedoen.accounts.policies import Role
from meedoen.accounts.selectors import list_unread_notifications
from meedoen.matching.selectors import latest_run_for_caseworker
from meedoen.portal.selectors import requests_for_caseworker as portal_requests_for_caseworker
from meedoen.residents.selectors import access_own_file, caseload_size, count_by_district
from meedoen.routes.selectors import (
    WORKLIST_ANSWERED_DAYS,
    WORKLIST_BASES_ENDING_WEEKS,
    caseworker_worklist,
    count_fall_backs,
)
from meedoen.web.api import is_api_request, problem_response


@require_GET
def health_view(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and the floor of the benchmarks: no database, no template."""
    return JsonResponse({"status": "ok"})


@require_GET
def root_view(request: HttpRequest) -> HttpResponse:
    return redirect("web:home" if request.user.is_authenticated else "accounts:login")


@requires()
@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    role = actor.role
    context: dict[str, object] = {"actor": actor, "notifications": list_unread_notifications(actor)}
    if role == Role.PROVIDER:
        return redirect("catalogue:portal")
    if role in (Role.CASEWORKER_WORK, Role.CASEWORKER_CARE):
        # The worklist: what the caseworker has to do today, one section per kind of work.
        context["caseload_size"] = caseload_size(actor, actor.user.pk, str(actor.domain))
        context["worklist"] = worklist = caseworker_worklist(actor)
        context["reviews"] = worklist.reviews
        context["answered_days"] = WORKLIST_ANSWERED_DAYS
        context["ending_weeks"] = WORKLIST_BASES_ENDING_WEEKS
        context["allocation"] = latest_run_for_caseworker(actor)
        context["portal_requests"] = portal_requests_for_caseworker(actor)
        return render(request, "web/home_caseworker.html", context)
    if role == Role.PROGRAMME_MANAGER:
        counts = count_by_district(actor)
        context["district_counts"] = counts
        context["total"] = sum(c.count or 0 for c in counts)
        context["fall_backs"] = count_fall_backs(actor)
        return render(request, "web/home_programme.html", context)
    if role == Role.RESIDENT:
        try:
            access_own_file(actor)
        except Http404:
            context["resident"] = None
            return render(request, "web/home_resident.html", context)
        # The resident's start page is Mijn Meedoen (docs/portal.md).
        return redirect("portal:home")
    if role == Role.ADMIN:
        return render(request, "web/home_admin.html", context)
    if role == Role.PRIVACY_OFFICER:
        return render(request, "web/home_privacy.html", context)
    if role == Role.CONTROLLER:
        # The controller's work starts at the budget page of the current year.
        return redirect("budgets:budget-start")
    if role == Role.RESEARCHER:
        # The researcher's work is the experiments: designs and their analyses.
        return redirect("experiments:list")
    raise Http404


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return problem_response(request, 404)
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return problem_response(request, 403)
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):  # more form data than DATA_UPLOAD_MAX_MEMORY_SIZE
        return too_large(request)
    if is_api_request(request):
        return problem_response(request, 400)
    return render(request, "400.html", status=400)


def too_large(request: HttpRequest) -> HttpResponse:
    """413: the Dutch page, or for the API a problem (RFC 9457)."""
    if is_api_request(request):
        return problem_response(request, 413)
    return render(request, "413.html", status=413)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render without the request context: whatever broke must not break the error page too."""
    if is_api_request(request):
        return problem_response(request, 500)
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_path": request.path}))
