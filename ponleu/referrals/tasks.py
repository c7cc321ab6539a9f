"""Background work of the referrals app: ids in, one service call."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="imports")
def directory_import_task(job_id: str) -> None:
    from .services.directory_import import import_run  # tasks import their service inside the body

    import_run(job_id=job_id)
