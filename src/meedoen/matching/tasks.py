"""Background tasks of matching (django-tasks, database backend, run by ``meedoen worker``)."""

import uuid

from django_tasks import task

from meedoen.matching.allocation import do_run_allocation


@task()
def run_allocation(run_id: str) -> None:
    """The batch allocation; the work is ``allocation.do_run_allocation``."""
    do_run_allocation(uuid.UUID(run_id))
