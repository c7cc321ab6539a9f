from __future__ import annotations

from .models import Notification

INBOX_SIZE = 50


def inbox(*, actor) -> list[Notification]:
    """The acting user's newest messages; nobody reads another user's inbox."""
    if actor.user_id is None:
        return []
    return list(Notification.objects.filter(recipient_id=actor.user_id).order_by("-created_at")[:INBOX_SIZE])
