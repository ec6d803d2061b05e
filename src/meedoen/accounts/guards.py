"""The one gate in front of every staff and resident page.

Logged in, second factor, membership, capability: in that order."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from meedoen.accounts.models import User
from meedoen.accounts.policies import Capability, may, needs_second_factor


def second_factor_satisfied(user: User, role: str) -> bool:
    if not needs_second_factor(role):
        return True
    if settings.MEEDOEN_DEMO_MODE and user.demo_exempt_from_otp:
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


def requires(
    capability: Capability | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view: anonymous users go to the login page, users without a chosen membership choose one,
    a staff session without a verified second factor is ended, and a role without the capability gets 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                return redirect("accounts:choose-membership")
            if not second_factor_satisfied(request.user, membership.role):
                logout(request)
                return redirect_to_login(request.get_full_path())
            if capability is not None and not may(membership.role, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]  # read by tests/test_roles.py
        return wrapped

    return decorator
