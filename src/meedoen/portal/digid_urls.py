"""DigiD over SAML for residents: the library's own URLs (``digid_eherkenning.digid_urls``, same names under
``digid:``), with two of its views adjusted for Mijn Meedoen. Found when the real SAML flow first ran
(``portal/tests/test_saml_digid.py``):

- The login page posts the AuthnRequest to DigiD's address. Our Content-Security-Policy allows forms to post
  to our own site only (``form-action 'self'``), so a browser would stop the resident on that page. Its
  response allows DigiD's address (from the DigiD metadata) as a form target, that page only.
- A login that lets nobody in (no file in the chosen municipality, cancelled at DigiD, an assertion refused)
  went back to the RelayState (``/mijn/``) and from there to the staff password login. It goes to
  ``portal:digid-back``, which says in plain Dutch what happened, as with the mock.
"""

from typing import Any
from urllib.parse import urlsplit

from csp.decorators import csp_update
from digid_eherkenning import digid_urls, views
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse

app_name = digid_urls.app_name


class DigidLoginView(views.DigiDLoginView):
    """The library's page that sends the resident to DigiD, with DigiD's address as an allowed form target."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        target = urlsplit(response.context_data["url"])  # type: ignore[attr-defined]  # a TemplateResponse
        allow_digid = csp_update({"form-action": [f"{target.scheme}://{target.netloc}"]})
        allow_digid(lambda _request: response)(request)  # django-csp's decorator, on this one response
        return response


class DigidAssertionConsumerServiceView(views.DigiDAssertionConsumerServiceView):
    """The library's assertion consumer service; a login that lets nobody in ends on our own page."""

    def get_login_url(self, **kwargs: Any) -> str:
        return reverse("portal:digid-back")


urlpatterns = [
    path("login/", DigidLoginView.as_view(), name="login"),
    path("acs/", DigidAssertionConsumerServiceView.as_view(), name="acs"),
    *[pattern for pattern in digid_urls.urlpatterns if pattern.name not in {"login", "acs"}],  # logout, SLO
]
