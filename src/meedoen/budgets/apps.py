from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "meedoen.budgets"
    verbose_name = _("Budget")

    def ready(self) -> None:
        # Commit money when a seat is taken, release the rest when it ends (catalogue.signals).
        from meedoen.budgets import receivers  # noqa: F401
