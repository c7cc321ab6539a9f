"""Alternative care and reintegration: placements, and follow-up after the child returns."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.cases.choices import FollowUpOutcome, PlacementType
from ponleu.common.models import TimestampedModel
from ponleu.geography.models import village_field
from ponleu.registry.models import Person

from .case import Case
from .fields import ProtectedTextField


class PlacementQuerySet(ScopedQuerySet):
    scoping = Scoping(via="case")

    def current(self):
        return self.filter(ended_on__isnull=True)

    def overlapping(self, start, end):
        """Placements sharing at least one day with [start, end]; ``end`` None is open-ended."""
        qs = self.filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=start))
        return qs if end is None else qs.filter(started_on__lte=end)


class Placement(TimestampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="placements")
    # The child, repeated from the case, so that overlaps are checked across all their cases.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    placement_type = models.CharField(_("type of care"), max_length=20, choices=PlacementType.choices)
    carer = models.CharField(_("carer or facility"), max_length=200)
    carer_relationship = models.CharField(_("carer's relationship to the child"), max_length=100, blank=True)
    place = models.CharField(_("address"), max_length=200, blank=True)
    village = village_field()
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    siblings_apart = models.BooleanField(_("siblings placed apart"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="placement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_placement_type_display()} · {self.carer}"


class FollowUp(TimestampedModel):
    """A visit due 3, 6 or 12 months after the child returned to the family."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after reintegration"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("visited on"), null=True, blank=True)
    outcome = models.CharField(
        _("how the child is"), max_length=20, choices=FollowUpOutcome.choices, blank=True
    )
    observations = ProtectedTextField(_("observations"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.declare(via="case").as_manager()

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["case", "months"], name="follow_up_once_per_month_mark")
        ]

    def __str__(self) -> str:
        return f"{self.months} · {self.due_on}"
