"""Background tasks of the programme (django-tasks, database backend, run by ``meedoen worker``)."""

import uuid

from django_tasks import task

from meedoen.programmes.rollup import do_run_rollup


@task()
def refresh_rollup(run_id: str) -> None:
    """Refresh the indicators of one month; the work is ``rollup.do_run_rollup``."""
    do_run_rollup(uuid.UUID(run_id))
