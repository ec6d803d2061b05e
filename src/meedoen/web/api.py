"""API plumbing after the NL API Design Rules: problem+json errors and pagination."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from meedoen.residents.actions import DuplicateResident, StaleEdit
from meedoen.residents.rules import RuleError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Dit botst met de huidige stand van de gegevens."
    default_code = "conflict"


PROBLEM_TITLES = {
    409: "Conflict",
    400: "Ongeldige invoer",
    401: "Niet ingelogd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    429: "Te veel verzoeken",
}


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Errors as RFC 9457 problem details; field errors under ``invalidParams`` (NL API Design Rules)."""
    if isinstance(exc, RuleError):
        exc = exceptions.ValidationError({exc.field or "non_field_errors": [exc.message]})
    elif isinstance(exc, StaleEdit):
        exc = Conflict(StaleEdit.message)
    elif isinstance(exc, DuplicateResident):
        exc = Conflict("Er is al een dossier met dit BSN in deze gemeente. Maak geen tweede aan.")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Dit bestaat niet of u heeft er geen toegang toe.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("Uw rol geeft geen toegang tot dit gegeven.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    status_code = response.status_code
    body: dict[str, Any] = {
        "type": f"https://httpstatuses.io/{status_code}",
        "title": PROBLEM_TITLES.get(status_code, "Fout"),
        "status": status_code,
        "instance": context["request"].path if context.get("request") else "",
    }
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        body["invalidParams"] = [
            {"name": field, "code": "invalid", "reason": " ".join(str(m) for m in messages)}
            for field, messages in response.data.items()
        ]
        body["detail"] = "Een of meer velden zijn niet goed ingevuld."
    else:
        body["detail"] = str(response.data.get("detail", "")) if isinstance(response.data, dict) else ""
    response.data = body
    response.content_type = "application/problem+json"
    if status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="meedoen"'
    return response
