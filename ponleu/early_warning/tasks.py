"""Background work of the early-warning app: ids in, one service call."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="scoring")
def model_train_task(job_id: str) -> None:
    from .services.training import model_train_run  # tasks import their service inside the body

    model_train_run(job_id=job_id)
