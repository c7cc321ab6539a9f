"""Abstract bases shared by every app."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from . import clock


class UUIDModel(models.Model):
    """Externally visible records are keyed by random UUIDs, never by sequential numbers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class TimestampedModel(UUIDModel):
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = clock.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "updated_at" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "updated_at"]
        super().save(*args, **kwargs)


class VersionedModel(TimestampedModel):
    """Optimistic concurrency: writers name the version they read; a stale write is a conflict."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def user_link(verbose_name=None) -> models.ForeignKey:
    """A link to a member's account that outlives it: optional, emptied when the account goes,
    with no way back from the user (``related_name="+"``)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=verbose_name,
    )
