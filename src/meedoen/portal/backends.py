"""DigiD for residents, through django-digid-eherkenning: its SAML backend in production, its mock backend in
the demo and the tests. Both end here: the BSN DigiD gives finds the resident's file in the municipality the
resident chose before leaving for DigiD (``portal:login``). No file there, no login: the portal says so."""

import uuid
from typing import Any

import requests
from digid_eherkenning import backends as saml_backends
from digid_eherkenning.mock import backends as mock_backends
from django.conf import settings
from django.http import HttpRequest

from meedoen.accounts import selectors as account_selectors
from meedoen.accounts.middleware import SESSION_KEY
from meedoen.portal import actions

MUNICIPALITY_KEY = "meedoen_digid_municipality"  # the municipality chosen before DigiD
OUTCOME_KEY = "meedoen_digid_outcome"  # why a DigiD login let nobody in ("geen_dossier")
NO_FILE = "geen_dossier"


class _ResidentFromBsn:
    """What both backends do with the BSN that DigiD returns, instead of the library's own user by BSN."""

    def get_or_create_user_from_bsn(self, request: HttpRequest, bsn: str) -> Any:
        request.session.pop(OUTCOME_KEY, None)
        municipality_id = request.session.get(MUNICIPALITY_KEY)
        login = (
            actions.do_digid_login(bsn=bsn, municipality_id=uuid.UUID(municipality_id))
            if municipality_id
            else None
        )
        if login is None:
            request.session[OUTCOME_KEY] = NO_FILE
            return None
        request.session[SESSION_KEY] = str(login.membership.pk)
        request.session.set_expiry(settings.DIGID_SESSION_AGE)  # DigiD: a session of at most 15 minutes
        return login.user

    def get_user(self, user_id: Any) -> Any:
        try:
            user = account_selectors.session_user(uuid.UUID(str(user_id)))
        except ValueError:
            return None
        return user if user is not None and user.is_active else None


class DigiDBackend(_ResidentFromBsn, saml_backends.DigiDBackend):
    """Production: DigiD over SAML (artifact binding), configured in the library's DigiD configuration.

    The library resolves the artifact with a SOAP call to DigiD. When DigiD cannot be reached there, the
    library lets the network error through (a server error for the resident); here it is a failed login, so
    the resident gets *Inloggen is niet gelukt* and can try again."""

    def authenticate(  # type: ignore[override]  # the library's own arguments, which its ACS view passes
        self,
        request: HttpRequest | None,
        *,
        digid: bool | None = None,
        saml_art: str | None = None,
        errors: list[Exception] | None = None,
    ) -> Any:
        found: list[Exception] = [] if errors is None else errors  # the library's view reads the errors back
        try:
            return super().authenticate(request, digid=digid, saml_art=saml_art, errors=found)
        except requests.RequestException as exc:
            self.log_error(request, "DigiD's artifact resolution service did not answer.", exc)
            return None


class MockDigiDBackend(_ResidentFromBsn, mock_backends.DigiDBackend):
    """The demo and the tests: the library's mock identity provider, where one types a BSN."""
