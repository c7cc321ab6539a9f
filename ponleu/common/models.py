"""Abstract bases shared by every app."""

from __future__ import annotations

import uuid

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
