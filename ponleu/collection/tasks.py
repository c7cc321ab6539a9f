"""Background work of the collection app: ids in, one service call."""

from __future__ import annotations

from django_tasks import task


@task()
def submission_process_task(job_id: str, submission_id: str) -> None:
    from .services import submission_process_run  # tasks import their service inside the body

    submission_process_run(job_id=job_id, submission_id=submission_id)
