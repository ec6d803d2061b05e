"""API plumbing after the NL API Design Rules: problem+json errors. Pagination and field errors: restapi."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from meedoen.catalogue.actions import BatchInvalid, PlacementInvalid, SeatsFull
from meedoen.errors import RuleError
from meedoen.residents.actions import DuplicateResident, StaleEdit
from meedoen.restapi import Conflict, invalid_params

PROBLEM_TITLES = {
    409: "Conflict",
    400: "Ongeldige invoer",
    401: "Niet ingelogd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    429: "Te veel verzoeken",
}


INVALID_DETAIL = "Een of meer velden zijn niet goed ingevuld."
BATCH_INVALID_DETAIL = "Geen enkele rij is opgeslagen: een of meer rijen zijn niet goed ingevuld."


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Errors as RFC 9457 problem details; field errors under ``invalidParams`` (NL API Design Rules)."""
    invalid_detail = INVALID_DETAIL
    if isinstance(exc, SeatsFull):
        exc = Conflict(exc.message)
    elif isinstance(exc, PlacementInvalid):
        exc = exceptions.ValidationError({field: [message] for field, message in exc.errors.items()})
    elif isinstance(exc, BatchInvalid):
        exc = exceptions.ValidationError(
            {
                f"placements[{index}].{field}": [message]
                for index, fields in sorted(exc.errors.items())
                for field, message in fields.items()
            }
        )
        invalid_detail = BATCH_INVALID_DETAIL
    elif isinstance(exc, RuleError):
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
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict | list):
        body["invalidParams"] = invalid_params(response.data)
        body["detail"] = invalid_detail
    else:
        body["detail"] = str(response.data.get("detail", "")) if isinstance(response.data, dict) else ""
    response.data = body
    response.content_type = "application/problem+json"
    if status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="meedoen"'
    return response
