"""How our own API pieces appear in the OpenAPI document (loaded from WebConfig.ready)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "meedoen.web.api_auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key made on the page API-sleutels; acts in one municipality and role.",
        }


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error after RFC 9457; field errors are listed under invalidParams.",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
                "required": ["name", "code", "reason"],
            },
        },
    },
    "required": ["type", "title", "status", "detail", "instance"],
}

# Every operation can answer these; a write can also meet the current state of the data (409), and only an
# operation with a body can get one of the wrong type (415).
PROBLEMS_OF_EVERY_OPERATION = {
    "400": "Ongeldige invoer",
    "401": "Niet ingelogd: geen, een onbekende of een ingetrokken sleutel",
    "403": "Geen toegang voor deze rol",
    "404": "Niet gevonden, of van een andere gemeente",
    "405": "Methode niet toegestaan",
    "406": "Antwoordvorm niet beschikbaar",
    "429": "Te veel verzoeken",
    "500": "Serverfout",
}
PROBLEMS_OF_WRITES = {"409": "Botst met de huidige stand van de gegevens"}
PROBLEMS_OF_BODIES = {"415": "Soort inhoud niet ondersteund"}


def add_problem_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the problem+json answers of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "put", "post", "patch", "delete"}:
                continue
            problems = dict(PROBLEMS_OF_EVERY_OPERATION)
            if method != "get":
                problems |= PROBLEMS_OF_WRITES
            if "requestBody" in operation:
                problems |= PROBLEMS_OF_BODIES
            responses = operation.setdefault("responses", {})
            for code, description in sorted(problems.items()):
                responses.setdefault(code, {"description": description, "content": content})
    return result
