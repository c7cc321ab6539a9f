"""The case: one protection response for one child, scoped like the child's record.

``Case.objects.visible_to(actor)`` is the one choke point: organisation, then the child's
area, the case's team or the assigned caseworker (owner), as the policy table says.
Notes, plans, services and placements are only ever reached through a visible case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.cases.choices import (
    OPEN_STATUSES,
    ApprovalKind,
    ApprovalStatus,
    CaseStatus,
    ClosureReason,
    Destination,
    IdentificationSource,
    LegalCaseStatus,
    RiskLevel,
    WorkplaceType,
)
from ponleu.common import clock
from ponleu.common.models import TimestampedModel, VersionedModel, user_link
from ponleu.organisations.models import Organisation, Team
from ponleu.registry.models import Person

from .config import CaseType
from .fields import ProtectedTextField


class CaseQuerySet(ScopedQuerySet):
    # A break-the-glass grant on the child opens the child's cases too.
    scoping = Scoping(view="cases.view", grants={"registry.person": "person"}, clears_identity=True)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def urgent_overdue(self, now=None):
        return self.filter(urgent_deadline__lt=now or clock.now(), urgency_met_at__isnull=True)


# What may be edited on the case form and through ``PATCH /api/v1/cases/{id}``, declared once:
# the form, the service's editable set and the API schemas read it (docs/how-to/add-a-field.md).
CASE_EDITABLE_FIELDS = (
    "subtype",
    "source",
    "source_detail",
    "identified_on",
    "summary",
    "is_sensitive",
    "mosvy_number",
    "primero_case_id",
    "oscar_global_id",
    "child_views",
)


class Case(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases")
    subtype = models.CharField(_("kind"), max_length=40, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("child")
    )
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = user_link(_("caseworker"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("stage"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.IDENTIFIED, db_index=True
    )
    status_changed_at = models.DateTimeField(default=clock.now)
    is_sensitive = models.BooleanField(_("sensitive case"), default=False)
    source = models.CharField(_("identified by"), max_length=30, choices=IdentificationSource.choices)
    source_detail = models.CharField(_("referrer (name, organisation, phone)"), max_length=200, blank=True)
    identified_on = models.DateField(_("identified on"))
    summary = ProtectedTextField(_("reason for the case"), blank=True)
    # The child's own say in decisions about them (UNCRC art. 12), recorded in their words.
    child_views = ProtectedTextField(_("the child's views and wishes"), blank=True)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, blank=True)
    # Immediate danger: a safety plan is due within 24 hours of the flag.
    urgent_since = models.DateTimeField(null=True, blank=True)
    urgent_deadline = models.DateTimeField(_("safety plan due by"), null=True, blank=True)
    urgency_met_at = models.DateTimeField(null=True, blank=True)
    # When supervisors were told the 24-hour deadline passed without a safety plan.
    urgency_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_visit_on = models.DateField(_("next home visit due"), null=True, blank=True)
    reintegrated_on = models.DateField(_("reunified with family on"), null=True, blank=True)
    reintegrated_with = models.CharField(_("reunified with"), max_length=200, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_note = ProtectedTextField(_("closing summary"), blank=True)
    # Identifiers shared with the government and OSCaR (see the anchors' compatibility notes).
    mosvy_number = models.CharField(_("MoSVY case number"), max_length=40, blank=True)
    primero_case_id = models.CharField(_("Primero case id"), max_length=64, blank=True)
    oscar_global_id = models.CharField(_("OSCaR global id"), max_length=64, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["organisation", "area_code"], name="case_org_area"),
            models.Index(fields=["owner", "status"], name="case_owner_status"),
        ]

    def __str__(self) -> str:
        return f"{self.case_type_id and self.case_type} · {self.short_id}"

    def save(self, *args, **kwargs):
        if self.person_id and not self.area_code and self.person.area_code:
            self.area_code = self.person.area_code
        super().save(*args, **kwargs)

    @property
    def short_id(self) -> str:
        """Seven characters people can say on the phone (Primero uses the same idea)."""
        return str(self.pk).replace("-", "")[-7:].upper()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def urgency_pending(self) -> bool:
        return self.urgent_deadline is not None and self.urgency_met_at is None

    def urgency_overdue(self, now=None) -> bool:
        return self.urgency_pending and (now or clock.now()) > self.urgent_deadline

    def granted_to(self, actor, capability: str) -> bool:
        """Does a break-the-glass grant (on this case or its child) open it to ``actor``?"""
        if self.organisation_id != actor.organisation_id:
            return False
        return actor.has_grant(self, capability) or str(self.person_id) in actor.granted_ids(
            "registry.person", capability
        )

    def reached_by_grant_only(self, actor, capability: str) -> bool:
        in_scope = actor.allows(capability, actor.relationship_to(**self.scope_fields()))
        return not in_scope and self.granted_to(actor, capability)

    def scope_fields(self) -> dict:
        return {
            "organisation_id": self.organisation_id,
            "area_code": self.area_code,
            "team_id": self.team_id,
            "owner_id": self.owner_id,
        }


class CaseApproval(TimestampedModel):
    """A supervisor's decision on a case plan or a closure; four eyes, recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("approval of"), max_length=20, choices=ApprovalKind.choices)
    status = models.CharField(
        _("decision"), max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=clock.now)
    request_note = models.TextField(_("note to the supervisor"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("supervisor's comment"), blank=True)

    objects = ScopedQuerySet.declare(via="case").as_manager()

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status="pending"),
                name="one_pending_approval_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"


class SafetyPlan(TimestampedModel):
    """For a child in immediate danger, and for every violence case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="safety_plan")
    dangers = ProtectedTextField(_("what the danger is and who poses it"))
    safe_place = ProtectedTextField(_("where the child will be safe"))
    trusted_adults = ProtectedTextField(_("trusted adults the child can call"), blank=True)
    warning_signs = ProtectedTextField(_("warning signs to watch for"), blank=True)
    steps = ProtectedTextField(_("steps agreed with the child"))
    review_on = models.DateField(_("review the plan on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.declare(via="case").as_manager()

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")

    def __str__(self) -> str:
        return str(_("Safety plan"))


class ChildLabourDetail(TimestampedModel):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="labour")
    workplace_type = models.CharField(_("workplace"), max_length=20, choices=WorkplaceType.choices)
    workplace = models.CharField(_("workplace name and place"), max_length=200, blank=True)
    hazards = models.JSONField(_("hazards"), default=list, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours worked per week"), null=True, blank=True)
    is_paid = models.BooleanField(_("the child is paid"), default=False)

    objects = ScopedQuerySet.declare(via="case").as_manager()

    class Meta:
        verbose_name = _("child labour details")
        verbose_name_plural = _("child labour details")

    def __str__(self) -> str:
        return self.get_workplace_type_display()


class TraffickingDetail(TimestampedModel):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="trafficking")
    route = ProtectedTextField(_("route (places passed through)"), blank=True)
    destination = models.CharField(_("destination"), max_length=20, choices=Destination.choices)
    destination_place = models.CharField(_("destination place"), max_length=200, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    legal_status = models.CharField(
        _("legal case"), max_length=20, choices=LegalCaseStatus.choices, default=LegalCaseStatus.NONE
    )
    legal_aid = models.BooleanField(_("legal aid provided"), default=False)
    legal_aid_provider = models.CharField(_("legal aid provider"), max_length=200, blank=True)

    objects = ScopedQuerySet.declare(via="case").as_manager()

    class Meta:
        verbose_name = _("trafficking details")
        verbose_name_plural = _("trafficking details")

    def __str__(self) -> str:
        return self.get_destination_display()
