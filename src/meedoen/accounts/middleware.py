"""Puts the active membership on the request, and the actor (membership + endpoint) once the view is known."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from meedoen.accounts.actor import Actor
from meedoen.accounts.selectors import membership_for_session

SESSION_KEY = "meedoen_membership"


class ActiveMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.actor = None  # type: ignore[attr-defined]
        request.membership_count = 0  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            membership, count = membership_for_session(request.user, request.session.get(SESSION_KEY))
            request.membership_count = count  # type: ignore[attr-defined]
            if membership is not None and request.session.get(SESSION_KEY) != str(membership.pk):
                request.session[SESSION_KEY] = str(membership.pk)  # only then: a session write costs a query
            request.membership = membership  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], *args: Any) -> None:
        membership = getattr(request, "membership", None)
        if membership is not None and request.resolver_match is not None:
            request.actor = Actor(  # type: ignore[attr-defined]
                user=request.user,  # type: ignore[arg-type]
                membership=membership,
                endpoint=request.resolver_match.view_name,
            )
