from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.common import clock

from .models import Notification
from .tasks import notification_email_task

log = logging.getLogger(__name__)


@transaction.atomic
def notify(
    *, recipients, kind: str, message: str, link: str = "", organisation_id=None, email_now: bool = False
) -> list[Notification]:
    """In-app notices; also by e-mail where an SMTP server is configured (``PONLEU_EMAIL_HOST``).

    ``message`` never names a child (callers say what happened and link to the record). The
    e-mail goes through the background worker, except with ``email_now``: an alert that the
    worker has stopped cannot wait for the worker, so it is sent once the transaction commits."""
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, kind=kind, message=message, link=link, organisation_id=organisation_id
            )
            for user in recipients
        ]
    )
    if settings.NOTIFICATIONS_BY_EMAIL and created:
        ids = [str(n.pk) for n in created]
        if email_now:
            transaction.on_commit(lambda: notification_email_send(notification_ids=ids))
        else:
            transaction.on_commit(lambda: notification_email_task.enqueue(ids))
    return created


def notification_email_send(*, notification_ids) -> int:
    """Send each notice to its recipient's e-mail address, in their language; returns how many.

    The subject is the same for every notice and the body is the in-app message (which names
    no child) with an invitation to open Ponleu: never the record's link, so a forwarded or
    intercepted e-mail says nothing about whom it concerns."""
    sent = 0
    notices = Notification.objects.filter(pk__in=notification_ids).select_related("recipient")
    for notice in notices:
        address = (notice.recipient.email or "").strip()
        if not address or not notice.recipient.is_active:
            continue
        with translation.override(notice.recipient.language or "km"):
            subject = _("Ponleu: a new message for you")
            body = "\n\n".join([notice.message, _("Open Ponleu to read it and act on it.")])
        try:
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except OSError:
            # The in-app notice stands; a mail server being down must not fail the work.
            log.warning("notification e-mail %s could not be sent", notice.pk)
    return sent


@transaction.atomic
def notifications_mark_read(*, actor) -> int:
    """Mark every unread message of the acting user as read; returns how many changed."""
    if actor.user_id is None:
        return 0
    return Notification.objects.filter(recipient_id=actor.user_id, read_at__isnull=True).update(
        read_at=clock.now()
    )
