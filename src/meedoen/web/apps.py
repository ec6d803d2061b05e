from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The web shell: start pages per role, error pages, and the plumbing of the REST API."""

    name = "meedoen.web"
    verbose_name = _("Webomgeving")

    def ready(self) -> None:
        from meedoen.web import api_schema  # noqa: F401 - registers the OpenAPI extension
        from meedoen.web import staticfiles  # noqa: F401 - registers the check of the static manifest
