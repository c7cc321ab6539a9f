"""Risk scores, the flags a person reviews, interventions and the models behind the scores.

Everything about a student hangs off an education enrolment and is reached through its class,
as in the education app: the class's homeroom teacher (own), its school's area (area) or the
organisation, as far as ``ews.view_scores`` / ``ews.review`` reach for the actor. Models belong
to the organisation; the member who trained one owns it.

``RiskScore`` keeps one row per enrolment and week: rescoring during the week (after each roll
call) replaces that week's row, so a year of scores is about forty rows per student and a trend
is one indexed read.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.cases.models import Case
from ponleu.common.models import TimestampedModel, VersionedModel
from ponleu.education.models import Enrolment, SchoolClass
from ponleu.organisations.models import Organisation

from .choices import Currency, Decision, FlagStatus, ModelStatus, Outcome, PaymentSchedule, ScoringMethod

DEFAULT_CAPACITY = 30


def week_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week: the period a score belongs to."""
    return day - dt.timedelta(days=day.weekday())


class EwsSettings(VersionedModel):
    """An organisation's rule index (thresholds, weights, flag level) and review capacity."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    rules = models.JSONField(default=dict)
    capacity_per_school = models.PositiveIntegerField(
        _("students reviewed per school"), default=DEFAULT_CAPACITY
    )

    class Meta:
        verbose_name = _("early-warning settings")
        verbose_name_plural = _("early-warning settings")

    def __str__(self) -> str:
        return f"{self.organisation_id}"


class RiskModelQuerySet(ScopedQuerySet):
    scoping = Scoping(view="ews.manage_models", area=None, team=None, owner="trained_by")


class RiskModel(TimestampedModel):
    """One trained version of an organisation's risk model, with what it was trained and tested on."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=ModelStatus.choices, default=ModelStatus.CANDIDATE
    )
    family = models.CharField(_("kind of model"), max_length=40)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trained_at = models.DateTimeField(_("trained at"))
    # The school years and cut-offs the model learnt from, and the year it was tested on.
    window = models.JSONField(default=dict)
    metrics = models.JSONField(default=dict)
    subgroups = models.JSONField(default=dict)
    card = models.JSONField(default=dict)
    # Risk at or above which a student is flagged: chosen on the training data so that the model
    # flags as many students as the rule index did, keeping the review workload comparable.
    threshold = models.FloatField(_("flag threshold"))
    artefact = models.BinaryField(editable=False)
    digest = models.CharField(max_length=64, editable=False)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RiskModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk model")
        verbose_name_plural = _("risk models")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="riskmodel_number_once"),
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(status="active"), name="riskmodel_one_active_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number} ({self.family})"


RiskScoreQuerySet = ScopedQuerySet.declare(via="school_class", view="ews.view_scores")


class RiskScore(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="risk_scores")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()  # the Monday of the week scored
    scored_on = models.DateField(_("scored on"))  # the cut-off: data up to this day
    method = models.CharField(_("method"), max_length=20, choices=ScoringMethod.choices)
    model = models.ForeignKey(RiskModel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    probability = models.FloatField(_("risk"), null=True, blank=True)
    index_score = models.FloatField(_("rule index"))
    flagged = models.BooleanField(_("flagged"))
    # Plain-language reasons: [{"kind": "rule"|"factor", "code", "text", "values", "weight"}].
    factors = models.JSONField(default=list)

    objects = RiskScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk score")
        verbose_name_plural = _("risk scores")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "period"], name="riskscore_once_per_week")
        ]
        indexes = [
            models.Index(fields=["school_class", "period"], name="riskscore_class_period"),
            models.Index(fields=["organisation", "period"], name="riskscore_org_period"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.scored_on}"

    @property
    def rank_value(self) -> float:
        return self.probability if self.probability is not None else self.index_score


FlagQuerySet = ScopedQuerySet.declare(via="school_class", view="ews.view_scores")


class Flag(VersionedModel):
    """A student flagged at risk, waiting for a person to decide what to do (or recorded as not served)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="flags")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    opened_on = models.DateField(_("flagged on"))
    method = models.CharField(_("method"), max_length=20, choices=ScoringMethod.choices)
    probability = models.FloatField(_("risk when flagged"), null=True, blank=True)
    index_score = models.FloatField(_("rule index when flagged"))
    factors = models.JSONField(default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=FlagStatus.choices, default=FlagStatus.AWAITING_REVIEW
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(status="awaiting"), name="flag_one_awaiting_per_enrolment"
            )
        ]
        indexes = [models.Index(fields=["school_class", "status"], name="flag_class_status")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.opened_on}"

    @property
    def served(self) -> bool:
        return self.status == FlagStatus.DECIDED and self.decision != Decision.NO_ACTION


InterventionQuerySet = ScopedQuerySet.declare(via="school_class", view="ews.view_scores")


class Intervention(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="interventions")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="+")
    flag = models.ForeignKey(
        Flag, null=True, blank=True, on_delete=models.SET_NULL, related_name="interventions"
    )
    type = models.CharField(_("intervention"), max_length=20, choices=Decision.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    provider = models.CharField(_("provided by"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    schedule = models.CharField(_("paid"), max_length=20, choices=PaymentSchedule.choices, blank=True)
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("condition: attendance at least (%)"), null=True, blank=True
    )
    conditions = models.CharField(_("other conditions"), max_length=300, blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(_("outcome at term end"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome recorded for"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="intervention_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__isnull=True) | Q(min_attendance_percent__lte=100),
                name="intervention_attendance_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.starts_on}"
