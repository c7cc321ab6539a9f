"""The scoped record's fields, and break-the-glass grants.

``ScopedRecord`` is the base of a record about people kept where they live: the fields its
scope (``access.scoping.Scoping``) reads by default.

Break-the-glass grants: one member may open one record outside their scope, for a short while.

A grant is created only by ``audit.services.break_glass_open`` (which writes the audit row and
notifies the data-protection officer in the same transaction); the access app only reads it,
when it builds an ``Actor``. Grants never cross organisations and never outlive ``expires_at``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.common.models import UUIDModel, VersionedModel, user_link
from ponleu.geography.models import village_field
from ponleu.organisations.models import Membership, Organisation, Team

# The longest window one request may open; a second request writes a second grant and a
# second audit row, so a long emergency stays visible to the data-protection officer.
BREAK_GLASS_MAX_WINDOW = dt.timedelta(hours=1)
BREAK_GLASS_MIN_REASON = 20
# What a grant lets its holder do with the record: read it, names included. Never edit.
BREAK_GLASS_CAPABILITIES = frozenset({"registry.view", "registry.view_sensitive", "cases.view"})


class ScopedRecord(VersionedModel):
    """The organisation holding the record, its village (whose code the record keeps as its
    area code), the team and the worker responsible for it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    village = village_field()
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = user_link()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.area_code = self.village_id or ""
        super().save(*args, **kwargs)


class BreakGlassGrantQuerySet(models.QuerySet):
    def active_at(self, moment: dt.datetime):
        return self.filter(opened_at__lte=moment, expires_at__gt=moment)


class BreakGlassGrant(UUIDModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="break_glass_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The record opened, by model label ("registry.person") and primary key.
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=64)
    reason = models.TextField(_("reason"))
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    objects = BreakGlassGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["membership", "expires_at"], name="breakglass_member_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("opened_at")), name="breakglass_window_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_id} until {self.expires_at:%Y-%m-%d %H:%M}"
