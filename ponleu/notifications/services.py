from __future__ import annotations

from django.db import transaction

from ponleu.common import clock

from .models import Notification


@transaction.atomic
def notify(
    *, recipients, kind: str, message: str, link: str = "", organisation_id=None
) -> list[Notification]:
    return Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, kind=kind, message=message, link=link, organisation_id=organisation_id
            )
            for user in recipients
        ]
    )


@transaction.atomic
def notifications_mark_read(*, actor) -> int:
    """Mark every unread message of the acting user as read; returns how many changed."""
    if actor.user_id is None:
        return 0
    return Notification.objects.filter(recipient_id=actor.user_id, read_at__isnull=True).update(
        read_at=clock.now()
    )
