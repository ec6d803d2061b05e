from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meedoen import versions


class WebConfig(AppConfig):
    """The web shell: start pages per role, error pages, and the plumbing of the REST API."""

    name = "meedoen.web"
    verbose_name = _("Webomgeving")

    def ready(self) -> None:
        # Before anything else: refuse to start on a Django or redis version the tests have not run on.
        versions.check_versions(versions.installed_versions(), allow=settings.ALLOW_UNTESTED_VERSIONS)
        # Registers the OpenAPI extension, and the check of the static manifest.
        from meedoen.web import api_schema, staticfiles  # noqa: F401
