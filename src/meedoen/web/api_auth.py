"""Bearer tokens per membership (``Authorization: Bearer <key>``). Kept apart from rest_framework.views,
which imports this module through the settings."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from meedoen.accounts.actions import do_touch_api_token
from meedoen.accounts.actor import Actor
from meedoen.accounts.models import ApiToken, User
from meedoen.accounts.policies import Capability, may
from meedoen.accounts.selectors import membership_for_token


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <key>``; the key belongs to one membership, which becomes the actor."""

    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Geef precies één sleutel mee na 'Bearer'.")
        found = membership_for_token(header[1].decode(errors="replace"))
        if found is None:
            raise exceptions.AuthenticationFailed("Deze sleutel is onbekend, ingetrokken of verlopen.")
        token, membership = found
        if not may(membership.role, Capability.USE_API_TOKENS):
            # A key made while the membership had another role (or put in by hand) gives no access: only the
            # roles that may hold a key act through one (decision 0002).
            raise exceptions.AuthenticationFailed("Met deze rol kunt u geen API-sleutel gebruiken.")
        django_request = request._request
        django_request.membership = membership  # type: ignore[attr-defined]
        match = django_request.resolver_match
        django_request.actor = Actor(  # type: ignore[attr-defined]
            user=membership.user, membership=membership, endpoint=match.view_name if match else request.path
        )
        do_touch_api_token(token)
        return membership.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="meedoen"'
