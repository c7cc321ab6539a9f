"""Background delivery of notices: ids in, one service call."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="notifications")
def notification_email_task(notification_ids: list[str]) -> int:
    from .services import notification_email_send  # tasks import their service inside the body

    return notification_email_send(notification_ids=notification_ids)
