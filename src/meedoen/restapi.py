"""REST API helpers every app's api.py shares, after the NL API Design Rules: pagination, the 409 Conflict
error, field errors as ``invalidParams``, and the length limits of free text. A shared module below the apps:
it imports no app. The problem+json exception handler, which knows the apps' own exceptions, stays in
``web/api.py``."""

from typing import Any

from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "Deze pagina bestaat niet. Kies een pagina vanaf 1 tot en met de laatste."


# Free text sent to the API: a note or a description at most 10,000 characters, a name at most 200.
NOTE_MAX_LENGTH = 10_000
NAME_MAX_LENGTH = 200
NOTE_LIMIT: dict[str, Any] = {
    "max_length": NOTE_MAX_LENGTH,
    "error_messages": {"max_length": "Deze tekst is te lang. Gebruik hoogstens 10.000 tekens."},
}
NAME_LIMIT: dict[str, Any] = {
    "max_length": NAME_MAX_LENGTH,
    "error_messages": {"max_length": "Deze naam is te lang. Gebruik hoogstens 200 tekens."},
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Dit botst met de huidige stand van de gegevens."
    default_code = "conflict"


def invalid_params(errors: Any, name: str = "") -> list[dict[str, str]]:
    """Field errors as ``invalidParams`` entries, one per field. Nested errors get a path as their name:
    ``legal_bases[1].start_date`` (a list of objects), ``days[0]`` (an item of a list)."""
    if isinstance(errors, dict):
        params = []
        for key, value in errors.items():
            if isinstance(key, int):
                params += invalid_params(value, f"{name}[{key}]")
            else:
                params += invalid_params(value, f"{name}.{key}" if name else str(key))
        return params
    if isinstance(errors, list) and any(isinstance(item, dict | list) for item in errors):
        # One entry per item of a list of objects; the valid items have no errors.
        return [
            param for index, item in enumerate(errors) for param in invalid_params(item, f"{name}[{index}]")
        ]
    messages = errors if isinstance(errors, list) else [errors]
    return [
        {"name": name or "non_field_errors", "code": "invalid", "reason": " ".join(str(m) for m in messages)}
    ]
