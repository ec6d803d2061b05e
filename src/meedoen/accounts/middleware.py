"""The second factor of the session's user (django-otp's contract), the active membership on the request, and
the actor (membership + endpoint) once the view is known."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django_otp import DEVICE_ID_SESSION_KEY

from meedoen.accounts.actor import Actor
from meedoen.accounts.selectors import membership_for_session, verified_device

SESSION_KEY = "meedoen_membership"


def _is_verified(user: Any) -> bool:
    return user.otp_device is not None


class OTPMiddleware:
    """What ``django_otp.middleware.OTPMiddleware`` promises, on django-otp's documented API only:
    ``request.user.otp_device`` is the device the session was verified with (stored by ``django_otp.login``
    under ``DEVICE_ID_SESSION_KEY``) or None, and ``request.user.is_verified()`` says whether it is set. A
    device that was deleted, is no longer confirmed or belongs to someone else does not count, and its id
    leaves the session.

    Unlike django-otp's, it reads no device of its own in the usual case: the session's user was read with
    the id of their confirmed authenticator app (``selectors.verified_device``, decision 0011). It runs on
    every request after ``AuthenticationMiddleware`` (the next middleware reads the user anyway), so it
    checks at once instead of wrapping the user in a second lazy object."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        user.otp_device = None
        user.is_verified = partial(_is_verified, user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) if user.is_authenticated else None
        if persistent_id:
            user.otp_device = verified_device(user, persistent_id)
            if user.otp_device is None:
                del request.session[DEVICE_ID_SESSION_KEY]
        return self.get_response(request)


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
