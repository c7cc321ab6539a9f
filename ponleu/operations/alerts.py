"""In-app alerts to the installation's administrators (superusers and system administrators).

Each message is written in the recipient's own language and never names a person. Where an
SMTP server is configured it is also e-mailed at once, not through the background worker,
whose failure may be what the alert is about. An alert
already waiting unread is not repeated, so a timer that finds the same problem every five
minutes does not bury the administrators in copies.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import translation

from ponleu.notifications.choices import NotificationKind
from ponleu.notifications.models import Notification
from ponleu.notifications.services import notify
from ponleu.organisations.choices import Role

LINK = "/notifications/"


def administrators():
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True) | Q(memberships__role=Role.SYSTEM_ADMIN, memberships__is_active=True)
        )
        .filter(is_active=True)
        .distinct()
    )


def alert_administrators(message_factory) -> int:
    """Notify every administrator; returns how many were told (0 when all still have it unread)."""
    told = 0
    for user in administrators():
        with translation.override(getattr(user, "language", None) or "km"):
            message = str(message_factory())[:300]
        waiting = Notification.objects.filter(recipient=user, message=message, read_at__isnull=True)
        if waiting.exists():
            continue
        notify(recipients=[user], kind=NotificationKind.INFO, message=message, link=LINK, email_now=True)
        told += 1
    return told
