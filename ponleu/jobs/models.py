"""Work a person waits for (imports, exports, scoring): a row they can watch, around a task."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ponleu.access.scopes import Scope
from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.common.models import TimestampedModel

from .choices import OPEN_STATUSES, JobStatus


class JobQuerySet(ScopedQuerySet):
    """A job is seen under the capability it was started with (``Job.capability``): by everyone
    in the organisation who holds it for the whole organisation, otherwise by its owner only
    (a job has no area or team of its own)."""

    scoping = Scoping(organisation="organisation", area=None, team=None, owner="owner")

    def visible_to(self, actor):
        if actor.organisation_id is None:
            return self.none()
        whole = [cap for cap, scope in actor.capabilities.items() if scope >= Scope.ORG]
        own = [cap for cap, scope in actor.capabilities.items() if Scope.NONE < scope < Scope.ORG]
        reach = Q(capability__in=whole)
        if own and actor.user_id is not None:
            reach |= Q(capability__in=own, owner_id=actor.user_id)
        return self.filter(Q(organisation_id=actor.organisation_id) & reach)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Job(TimestampedModel):
    kind = models.CharField(max_length=60)
    # The capability it was started under: who may watch it (see JobQuerySet.visible_to).
    capability = models.CharField(max_length=60, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation_id = models.UUIDField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def bar_value(self) -> int | None:
        """What a progress bar shows, 0–100; None (an indeterminate bar) while the size of
        the work is unknown."""
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if self.total:
            return min(100, int(100 * self.progress / self.total))
        return None if self.is_open else 0
