from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "meedoen.programmes"
    verbose_name = _("Programma")
    # The models about a resident that ``resident_copy`` puts in the copy (the portal's test checks them).
    resident_copy_models = ("programmes.Success", "programmes.ProjectMember")

    def resident_copy(self, resident: Any) -> list[tuple[str, str, list[dict[str, Any]]]]:
        """What the programme keeps about one resident, for the copy of their data (AVG art. 15) that the
        portal makes. The portal finds this method on every app's configuration (docs/portal.md, *A copy of
        my data*): the two apps are in the same layer and import nothing of each other."""
        from meedoen.programmes import successes

        return [
            ("successen", "Mijn successen", successes.copy_rows(resident)),
            ("projecten", "Projecten waarin ik meedoe", successes.project_rows(resident)),
        ]
