"""Scholarship schemes, applications and their committee decisions, awards, and the payments
each school period makes due.

Scope: a scheme belongs to a programmes project and is seen as the project is (its manager,
team and named staff, or the organisation). Applications, awards and payments stand where
their scheme stands.

Money is whole numbers of the smallest unit of the scheme's currency: riel (KHR has no
subunit in use) or US cents, never floats. A payment is one (award, period) pair, unique in
the database, so running a period twice never makes a second payment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet
from ponleu.common.models import TimestampedModel, VersionedModel, user_link
from ponleu.early_warning.models import Intervention
from ponleu.education.models import AcademicYear, Enrolment
from ponleu.encryption.storage import encrypted_storage
from ponleu.organisations.models import Organisation
from ponleu.programmes.models import Project
from ponleu.registry.choices import IDPoorStatus
from ponleu.registry.models import Person

from .choices import (
    ApplicationSource,
    ApplicationStatus,
    AwardEventKind,
    AwardStatus,
    Channel,
    ConditionResult,
    Currency,
    PaymentStatus,
    Schedule,
    SchemeKind,
)
from .money import display_amount

SCHOLARSHIPS_VIEW = "scholarships.view"

IDPOOR_LEVELS = (IDPoorStatus.LEVEL_1, IDPoorStatus.LEVEL_2)


class Scheme(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="scholarship_schemes")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("what it gives"), max_length=20, choices=SchemeKind.choices)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    # Riel, or US cents: 1500 USD-cents is $15.00.
    amount = models.PositiveIntegerField(_("amount per period"))
    schedule = models.CharField(_("paid"), max_length=20, choices=Schedule.choices)
    budget = models.PositiveBigIntegerField(_("budget line for the project"), default=0)
    opens_on = models.DateField(_("first day"))
    closes_on = models.DateField(_("last day"))
    # Eligibility: every rule set must hold.
    idpoor_levels = models.JSONField(_("IDPoor levels accepted"), default=list, blank=True)
    requires_hiv_affected = models.BooleanField(_("household affected by HIV"), default=False)
    requires_orphan = models.BooleanField(_("orphan"), default=False)
    requires_disability = models.BooleanField(
        _("functional difficulty (Child Functioning Module)"), default=False
    )
    requires_risk_flag = models.BooleanField(_("flagged at risk of dropping out"), default=False)
    grade_min = models.PositiveSmallIntegerField(_("from grade"), null=True, blank=True)
    grade_max = models.PositiveSmallIntegerField(_("to grade"), null=True, blank=True)
    # Conditions of each payment and of the next year.
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("condition: attendance at least (%)"), null=True, blank=True
    )
    requires_promotion = models.BooleanField(_("condition: promoted at year end"), default=False)
    # The scheme that scholarships decided on early-warning flags become awards in.
    takes_early_warning = models.BooleanField(_("receives scholarships decided on risk flags"), default=False)
    created_by = user_link()

    objects = ScopedQuerySet.declare(via="project", view=SCHOLARSHIPS_VIEW).as_manager()

    class Meta:
        verbose_name = _("scholarship scheme")
        verbose_name_plural = _("scholarship schemes")
        ordering = ["-opens_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="scheme_name_once_per_org"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="scheme_closes_after"
            ),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__isnull=True) | Q(min_attendance_percent__lte=100),
                name="scheme_attendance_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def amount_display(self) -> str:
        return display_amount(self.amount, self.currency)

    @property
    def budget_display(self) -> str:
        return display_amount(self.budget, self.currency)


class Application(VersionedModel):
    """An application or nomination, and the committee's decision on it with its reasons."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("how it came"), max_length=20, choices=ApplicationSource.choices)
    # Facts the registry does not hold, as the nominator declares them.
    hiv_affected = models.BooleanField(_("household affected by HIV"), default=False)
    orphan = models.BooleanField(_("orphan"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # What the eligibility rules said when it was made: {rule: true/false}.
    eligibility = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    decision_reason = models.CharField(_("committee's reasons"), max_length=500, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = user_link()
    made_by = user_link()

    objects = ScopedQuerySet.declare(via="scheme").as_manager()

    class Meta:
        verbose_name = _("scholarship application")
        verbose_name_plural = _("scholarship applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.person_id}"


class Award(VersionedModel):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="awards")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="award"
    )
    intervention = models.OneToOneField(
        Intervention, null=True, blank=True, on_delete=models.SET_NULL, related_name="scholarship_award"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=20, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )

    objects = ScopedQuerySet.declare(via="scheme").as_manager()

    class Meta:
        verbose_name = _("scholarship award")
        verbose_name_plural = _("scholarship awards")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="award_ends_after"),
            models.UniqueConstraint(
                fields=["scheme", "person"],
                condition=~Q(status="graduated"),
                name="award_one_open_per_scheme",
            ),
        ]
        indexes = [models.Index(fields=["scheme", "status"], name="award_scheme_status")]

    def __str__(self) -> str:
        return f"{self.scheme_id} {self.person_id}"


class AwardEvent(TimestampedModel):
    """Awarded, suspended, resumed, graduated: each with its day and reason."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=AwardEventKind.choices)
    on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recorded_by = user_link()

    objects = ScopedQuerySet.declare(via="award").as_manager()

    class Meta:
        verbose_name = _("award event")
        verbose_name_plural = _("award events")
        ordering = ["on", "created_at"]


class Payment(VersionedModel):
    """What one award makes due for one period, its attendance check, and how it was paid."""

    # A national programme inserts 100,000 payments a term: no index beyond the primary key and
    # the one-per-period constraint (which starts with the award and serves its lookups).
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="payments", db_index=False)
    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+", db_index=False)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    period_label = models.CharField(_("period"), max_length=60)
    amount = models.PositiveIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.DUE
    )
    # The attendance condition, as computed from the roll calls of the period.
    condition = models.CharField(
        _("condition"), max_length=20, choices=ConditionResult.choices, default=ConditionResult.NOT_CHECKED
    )
    days_present = models.PositiveSmallIntegerField(default=0)  # present or late
    days_absent = models.PositiveSmallIntegerField(default=0)
    days_excused = models.PositiveSmallIntegerField(default=0)
    days_recorded = models.PositiveSmallIntegerField(default=0)
    school_days = models.PositiveSmallIntegerField(default=0)
    attendance_percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    not_promoted = models.BooleanField(default=False)
    checked_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.CharField(_("reason for paying anyway"), max_length=500, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # How it was paid.
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    channel = models.CharField(_("paid by"), max_length=10, choices=Channel.choices, blank=True)
    reference = models.CharField(_("bank or mobile money reference"), max_length=100, blank=True)
    received_by = models.CharField(_("received by (caregiver)"), max_length=200, blank=True)
    proof = models.FileField(
        _("signature or thumbprint photo"),
        storage=encrypted_storage,
        upload_to="scholarships/proof/",
        blank=True,
    )
    receipt_number = models.CharField(max_length=30, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    objects = ScopedQuerySet.declare(via="award").as_manager()

    class Meta:
        verbose_name = _("scholarship payment")
        verbose_name_plural = _("scholarship payments")
        ordering = ["period_start"]
        constraints = [
            models.UniqueConstraint(fields=["award", "period_start"], name="payment_once_per_period"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="payment_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} {self.period_label}"

    @property
    def amount_display(self) -> str:
        return display_amount(self.amount, self.currency)

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)
