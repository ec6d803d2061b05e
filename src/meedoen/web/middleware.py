from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from meedoen.web.api import is_api_request


class LanguageMiddleware:
    """Dutch unless the user chose another language (the language cookie set by the language switch).

    Django's LocaleMiddleware would follow the browser's Accept-Language; a municipal service speaks Dutch
    by default and offers English as a choice, so we do not guess from the browser.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # A request's language ends with it: the thread's next work (a test, a job) starts in Dutch.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response that may hold personal data: everything a logged-in
    user gets (pages, htmx partials, downloads, errors) and everything under the API. A shared computer's
    browser cache or a proxy keeps none of it. Static files never get here: WhiteNoise answers them first.

    Sits below AuthenticationMiddleware, so ``request.user`` is known; asked on the way in and on the way
    back, so a login or a logout in the view gets the header too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        personal = self._personal(request)  # a logout ends the session in the view: ask before it, too
        response = self.get_response(request)
        already = "no-store" in response.get("Cache-Control", "")  # a download that set its own
        if (personal or self._personal(request)) and not already:
            add_never_cache_headers(response)
        return response

    def _personal(self, request: HttpRequest) -> bool:
        return request.user.is_authenticated or is_api_request(request) or "authorization" in request.headers


class RequestSizeMiddleware:
    """Refuses a request body larger than ``MEEDOEN_MAX_REQUEST_BYTES`` (an attachment of 10 MB and its form
    fit) before anything reads it, with a Dutch page (413). Form fields without files have their own, smaller
    limit, DATA_UPLOAD_MAX_MEMORY_SIZE, answered by the same page (``web.views.bad_request``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MEEDOEN_MAX_REQUEST_BYTES:
            from meedoen.web.views import too_large  # the views import the apps; the settings import this

            return too_large(request)
        return self.get_response(request)
