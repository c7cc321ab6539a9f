"""Append-only, hash-chained records of every write (AuditEvent) and every read (AccessEvent).

Rows are written by ``audit.record`` / ``audit.record_access`` inside the transaction of the
change or of the read they describe. Database triggers refuse UPDATE and DELETE; each row
carries an HMAC-SHA256 (under a key derived from the encryption key ring, named by
``key_id``) of the previous row's hash and its own canonical content, so
``ponleu audit verify`` can name the first row that was altered, removed or inserted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.common import clock


class ChainedEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(default=clock.now, db_index=True)
    actor_user_id = models.UUIDField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    organisation_id = models.UUIDField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=100, db_index=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=40, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # The key ring entry whose derived MAC key sealed this row (docs/decisions/0005).
    key_id = models.CharField(max_length=32)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        abstract = True
        ordering = ["id"]


class AuditEvent(ChainedEvent):
    """One write: who changed what, the fields before and after, and why."""

    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta(ChainedEvent.Meta):
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"], name="auditevent_target")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class AccessEvent(ChainedEvent):
    """One read of person- or case-level data: a detail, a list, a search, an export."""

    target_type = models.CharField(max_length=60, blank=True)
    # The ids returned, in order; a detail read holds one. Also denormalised into
    # AccessEventTarget so that "who has seen this child" is an indexed lookup.
    target_ids = models.JSONField(default=list, blank=True)
    query = models.CharField(max_length=300, blank=True)
    allowed = models.BooleanField(default=True)
    break_glass = models.BooleanField(default=False)

    class Meta(ChainedEvent.Meta):
        verbose_name = _("access event")
        verbose_name_plural = _("access events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class AccessEventTarget(models.Model):
    """Index rows: which access event touched which record (not part of the chain)."""

    id = models.BigAutoField(primary_key=True)
    event = models.ForeignKey(AccessEvent, on_delete=models.PROTECT, related_name="targets")
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"], name="accesstarget_target")]


class ChainHead(models.Model):
    """The newest row of each chain, written in the same transaction as the row itself.

    Without it, removing the newest rows would leave a shorter chain that still verifies.
    It is sealed with the chain's key, so pointing it back at an older row needs the key;
    removing it together with every row is caught only by an external anchor
    (``ponleu audit anchor``).
    """

    name = models.CharField(max_length=40, primary_key=True)
    last_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=32)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_id}"
