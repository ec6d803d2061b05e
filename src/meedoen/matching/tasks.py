"""Background tasks of matching (django-tasks, database backend, run by ``meedoen worker``)."""

import uuid

from django_tasks import task


@task()
def run_allocation(run_id: str) -> None:
    """The batch allocation; the work is ``actions.do_run_allocation``."""
    from meedoen.matching.actions import do_run_allocation

    do_run_allocation(uuid.UUID(run_id))
