"""What is done on a case: assessments, the plan (goals and actions), services delivered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.cases.choices import ActionStatus, AssessmentResult, CSIDomain, Currency, GoalStatus, ServiceType
from ponleu.common import clock
from ponleu.common.models import TimestampedModel, user_link

from .case import Case
from .config import AssessmentInstrument


class Assessment(TimestampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    instrument = models.ForeignKey(AssessmentInstrument, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveIntegerField(_("score"), default=0)
    result = models.CharField(_("result"), max_length=20, choices=AssessmentResult.choices)
    # Item codes that drove the result: ticked danger factors, low CSI domains, missing conditions.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    next_due_on = models.DateField(_("re-assess by"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedQuerySet.declare(via="case").as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.instrument} · {self.assessed_on}"

    def reason_labels(self, language: str | None = None) -> list[str]:
        return [self.instrument.item_label(code, language) for code in self.reasons]


class GoalQuerySet(ScopedQuerySet):
    scoping = Scoping(via="case")

    def open(self):
        return self.filter(status=GoalStatus.OPEN)


class Goal(TimestampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=2, choices=CSIDomain.choices)
    description = models.TextField(_("goal"))
    status = models.CharField(_("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["domain", "created_at"]

    def __str__(self) -> str:
        return f"{self.domain}: {self.description[:60]}"


class ActionQuerySet(ScopedQuerySet):
    scoping = Scoping(via="case")

    def open(self):
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or clock.today())


class Action(TimestampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner = user_link(_("who does it"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # When its owner was told it is overdue (once per action; ``ponleu cases alerts``).
    overdue_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["status", "due_on"], name="case_action_due")]

    def __str__(self) -> str:
        return self.description[:60]

    def is_overdue(self, today=None) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < (today or clock.today())


class ServiceDelivery(TimestampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    goal = models.ForeignKey(
        Goal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        verbose_name=_("goal"),
    )
    service_type = models.CharField(_("service"), max_length=30, choices=ServiceType.choices)
    provider = models.CharField(_("provider"), max_length=200)
    delivered_on = models.DateField(_("delivered on"))
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.KHR)
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.declare(via="case").as_manager()

    class Meta:
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        ordering = ["-delivered_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} · {self.delivered_on}"
