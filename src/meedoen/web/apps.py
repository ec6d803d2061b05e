from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The web shell: start pages per role, error pages, and the plumbing of the REST API."""

    name = "meedoen.web"
    verbose_name = _("Webomgeving")

    def ready(self) -> None:
        # Registers the OpenAPI extension, and the check of the static manifest.
        from meedoen.web import api_schema, staticfiles  # noqa: F401
