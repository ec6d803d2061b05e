"""Background tasks of the programme (django-tasks, database backend, run by ``meedoen worker``)."""

import uuid

from django_tasks import task

from meedoen.programmes.council_report import do_build_council_report
from meedoen.programmes.rollup import do_run_rollup


@task()
def refresh_rollup(run_id: str) -> None:
    """Refresh the indicators of one month; the work is ``rollup.do_run_rollup``."""
    do_run_rollup(uuid.UUID(run_id))


@task()
def build_council_report(report_id: str) -> None:
    """Build a quarterly council report; the work is ``council_report.do_build_council_report``."""
    do_build_council_report(uuid.UUID(report_id))
