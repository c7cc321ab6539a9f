"""In-app messages to a user (the outbox for email and SMS comes later)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.common.models import TimestampedModel

from .choices import NotificationKind


class Notification(TimestampedModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation_id = models.UUIDField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    # No names of children here: the message says what happened and links to the record.
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message
