"""Background tasks of the programme (django-tasks, database backend, run by ``meedoen worker``)."""

import uuid

from django_tasks import task

from meedoen.programmes.council_report import do_build_council_report
from meedoen.programmes.rollup import do_run_rollup
from meedoen.programmes.successes import do_propose_nightly


@task()
def refresh_rollup(run_id: str) -> None:
    """Refresh the indicators of one month; the work is ``rollup.do_run_rollup``."""
    do_run_rollup(uuid.UUID(run_id))


@task()
def build_council_report(report_id: str) -> None:
    """Build a quarterly council report; the work is ``council_report.do_build_council_report``."""
    do_build_council_report(uuid.UUID(report_id))


@task()
def propose_successes(municipality_id: str) -> None:
    """Propose a municipality's new successes without a person asking (a scheduler that queues jobs
    instead of running ``meedoen rollup``); the work is ``successes.do_propose_nightly``."""
    do_propose_nightly(uuid.UUID(municipality_id))
