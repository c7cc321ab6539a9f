"""Family support plans: a household's needs, assessed in six areas, each linked to a directory
service and, once referred, to the referral; follow-up visits; graduation when every need is met.

A plan holds data about a household's people, so it stands where its household stands: it is
declared ``via="household"`` and reached only through ``visible_to(actor)`` with
``family_support.view``. Its needs and visits stand where their plan stands.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.common.models import TimestampedModel, VersionedModel
from ponleu.encryption.fields import EncryptedTextField
from ponleu.referrals.choices import ServiceType
from ponleu.referrals.models import Provider, Referral
from ponleu.registry.models import Household

from .choices import NeedDomain, NeedLevel, PlanStatus


class SupportPlanQuerySet(ScopedQuerySet):
    scoping = Scoping(view="family_support.view", via="household")

    def open(self):
        return self.filter(status=PlanStatus.OPEN)


class SupportPlan(VersionedModel):
    """One round of family support for a household, from its needs assessment to graduation.
    Every change to the plan, its needs or its visits moves its one version on."""

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="support_plans", verbose_name=_("household")
    )
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    assessed_on = models.DateField(_("needs assessed on"))
    next_visit_on = models.DateField(_("next follow-up visit"), null=True, blank=True)
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True, editable=False)
    graduation_note = EncryptedTextField(_("why the household graduates"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    graduated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = SupportPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("family support plan")
        verbose_name_plural = _("family support plans")
        ordering = ["-assessed_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(status="open"), name="support_plan_one_open"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_visit_on"], name="support_plan_visit_due")]

    def __str__(self) -> str:
        return f"{_('Family support plan')} {str(self.pk)[:8]}"

    @property
    def is_open(self) -> bool:
        return self.status == PlanStatus.OPEN


class SupportNeed(TimestampedModel):
    """The household's need in one area: how serious, the directory service that answers it, the
    referral that asked for it, and when it was met. A need of level "none" asks for nothing."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="needs")
    domain = models.CharField(_("area"), max_length=20, choices=NeedDomain.choices)
    level = models.CharField(_("level of need"), max_length=20, choices=NeedLevel.choices)
    note = EncryptedTextField(_("what the household needs"), blank=True)
    service = models.CharField(_("service"), max_length=30, choices=ServiceType.choices, blank=True)
    provider = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("service provider"),
    )
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)

    objects = ScopedQuerySet.declare(via="plan").as_manager()

    class Meta:
        verbose_name = _("household need")
        verbose_name_plural = _("household needs")
        constraints = [models.UniqueConstraint(fields=["plan", "domain"], name="support_need_once")]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_level_display()}"

    @property
    def is_need(self) -> bool:
        return self.level != NeedLevel.NONE

    @property
    def is_open(self) -> bool:
        """A need that still stands: graduation waits for it."""
        return self.is_need and self.met_on is None


class SupportVisit(TimestampedModel):
    """A follow-up visit to the household: what was seen, and the needs met since the last one."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    note = EncryptedTextField(_("what was seen and said"), blank=True)
    needs_met = models.JSONField(_("needs met at this visit"), default=list, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.declare(via="plan").as_manager()

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["-visited_on", "-created_at"]

    def __str__(self) -> str:
        return f"{_('Visit')} {self.visited_on}"
