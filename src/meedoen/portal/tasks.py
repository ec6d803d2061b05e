"""Background tasks of the portal (django-tasks, database backend, run by ``meedoen worker``)."""

import uuid

from django_tasks import task

from meedoen.portal.export import make_export as _make_export


@task()
def make_export(export_id: str) -> None:
    """A copy of a resident's data (AVG art. 15); the work is ``export.make_export``."""
    _make_export(uuid.UUID(export_id))
