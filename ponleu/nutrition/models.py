"""Growth monitoring: a child's measurements with the z-scores and findings the WHO growth
standards engine gave when they were saved, the follow-up of moderate acute malnutrition and
the alert a severe case raises until the child is referred.

Every row names a registry person and stands where the child stands: the child's organisation,
village (``area_code``), team and responsible worker (``owner``), so the worker who follows the
child sees their measurements and the break-the-glass grant on the child opens them. Who took a
measurement is ``measured_by``; where it was taken, ``village``. A measurement is a health
record: the child's identity on it is shown only by ``access.policies.can_see_identity``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.common.models import VersionedModel
from ponleu.geography.models import AdminUnit
from ponleu.organisations.models import Organisation, Team
from ponleu.referrals.models import Provider, Referral
from ponleu.registry.models import Person

from .choices import AlertStatus, FollowUpStatus

NUTRITION_VIEW = "nutrition.view"
NUTRITION_RECORD = "nutrition.record"


class ChildRow(VersionedModel):
    """The scope fields every nutrition row copies from its child when saved."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("child"))

    class Meta:
        abstract = True

    def stand_with_child(self) -> None:
        self.organisation_id = self.person.organisation_id
        self.area_code = self.person.area_code or ""
        self.team_id = self.person.team_id
        self.owner_id = self.person.owner_id


class MeasurementQuerySet(ScopedQuerySet):
    scoping = Scoping(view=NUTRITION_VIEW, grants={"registry.person": "person"})


class GrowthMeasurement(ChildRow):
    measured_on = models.DateField(_("date measured"))
    age_days = models.PositiveIntegerField(_("age in days"), editable=False)
    sex = models.CharField(_("sex"), max_length=1, editable=False)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=5, decimal_places=2, null=True, blank=True)
    length_cm = models.DecimalField(
        _("length or height (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    # True: length, lying down; False: height, standing. The engine corrects by 0.7 cm when the
    # position is not the one its table for the child's age expects.
    measured_lying = models.BooleanField(_("measured lying down"), null=True, blank=True)
    muac_mm = models.PositiveSmallIntegerField(_("MUAC (mm)"), null=True, blank=True)
    oedema = models.BooleanField(_("bilateral pitting oedema"), default=False)
    village = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("where")
    )
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # What the engine said when the row was saved (again at each correction).
    wfa = models.FloatField(_("weight-for-age z"), null=True, editable=False)
    lhfa = models.FloatField(_("length/height-for-age z"), null=True, editable=False)
    wflh = models.FloatField(_("weight-for-length/height z"), null=True, editable=False)
    bmifa = models.FloatField(_("BMI-for-age z"), null=True, editable=False)
    muacfa = models.FloatField(_("MUAC-for-age z"), null=True, editable=False)
    implausible = models.JSONField(default=list, editable=False)
    findings = models.JSONField(default=list, editable=False)
    sam = models.BooleanField(default=False, editable=False)
    mam = models.BooleanField(default=False, editable=False)
    # Down across a z-line since the child's previous measurement (see services.faltering).
    faltering = models.BooleanField(_("growth faltering"), default=False, editable=False)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("growth measurement")
        verbose_name_plural = _("growth measurements")
        ordering = ["-measured_on", "-created_at"]
        indexes = [models.Index(fields=["person", "measured_on"], name="growth_person_day")]


class FollowUpQuerySet(ScopedQuerySet):
    scoping = Scoping(view=NUTRITION_VIEW, grants={"registry.person": "person"})

    def open(self):
        return self.filter(status=FollowUpStatus.OPEN)


class FollowUp(ChildRow):
    """Moderate acute malnutrition: the child is measured again every ``every_days`` until the
    findings are gone (recovered) or become severe (escalated to the alert)."""

    started_by = models.ForeignKey(GrowthMeasurement, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField(_("started on"))
    every_days = models.PositiveSmallIntegerField(_("every (days)"), default=14)
    next_due_on = models.DateField(_("next measurement due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        GrowthMeasurement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("nutrition follow-up")
        verbose_name_plural = _("nutrition follow-ups")
        ordering = ["next_due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="open"), name="nutrition_follow_up_once"
            )
        ]


class AlertQuerySet(ScopedQuerySet):
    scoping = Scoping(view=NUTRITION_VIEW, grants={"registry.person": "person"})

    def open(self):
        return self.filter(status=AlertStatus.OPEN)


class SamAlert(ChildRow):
    """Severe acute malnutrition: raised by the measurement, told to the child's worker, open
    until the child is referred to a health service that treats it."""

    measurement = models.OneToOneField(GrowthMeasurement, on_delete=models.PROTECT, related_name="sam_alert")
    raised_on = models.DateField(_("raised on"))
    status = models.CharField(
        _("status"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    proposed_provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField(_("referred on"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("severe acute malnutrition alert")
        verbose_name_plural = _("severe acute malnutrition alerts")
        ordering = ["-raised_on"]
