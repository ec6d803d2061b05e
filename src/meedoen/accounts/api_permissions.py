from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from meedoen.accounts.guards import second_factor_satisfied
from meedoen.accounts.policies import Capability, may

if TYPE_CHECKING:
    from rest_framework.views import APIView


class HasActiveMembership(BasePermission):
    """Authenticated, acting in a membership (session or token), with the view's ``required_capability``."""

    def has_permission(self, request: Request, view: "APIView") -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        actor = getattr(request._request, "actor", None)
        if actor is None:
            return False
        if request.auth is None and not second_factor_satisfied(request.user, actor.role):
            return False
        capability: Capability | None = getattr(view, "required_capability", None)
        return capability is None or may(actor.role, capability)
