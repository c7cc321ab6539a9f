"""A woman's pregnancy, her antenatal and postnatal visits, the birth and the newborn, and
family planning counselling.

Every row holds health data about a woman, so every row is sensitive by default
(``is_sensitive``): the woman's identity and the health fields are shown only to those the
identity rule clears for a sensitive record (``policies.can_see_health``). A pregnancy stands
where the woman stands (declared ``via="person"``, seen with ``maternal.view``); its visits stand
where their pregnancy stands. The organisation is kept on the row (the woman's, never changed)
so that the pregnancy can witness her identity like an enrolment or a case does.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.common.models import TimestampedModel, VersionedModel
from ponleu.encryption.fields import EncryptedTextField
from ponleu.organisations.models import Organisation
from ponleu.referrals.models import Provider, Referral
from ponleu.registry.models import Person

from .choices import (
    ANC_COUNTED,
    BirthAttendant,
    BirthOutcome,
    BirthPlace,
    CarePlace,
    DangerSign,
    PlanningMethod,
    PostnatalWindow,
    PregnancyStatus,
)

VIEW = "maternal.view"


def weeks_between(start: dt.date | None, day: dt.date) -> int | None:
    """Completed weeks from ``start`` to ``day`` (the gestational age), None without a start."""
    if start is None:
        return None
    return (day - start).days // 7


def sign_labels(signs) -> list:
    return [DangerSign(s).label for s in signs or () if s in DangerSign.values]


class PregnancyQuerySet(ScopedQuerySet):
    scoping = Scoping(view=VIEW, via="person")

    def ongoing(self):
        return self.filter(status=PregnancyStatus.ONGOING)


class Pregnancy(VersionedModel):
    """One pregnancy of one woman, from the first contact to the birth (or its loss)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="pregnancies", verbose_name=_("woman")
    )
    last_period_on = models.DateField(_("first day of the last period"))
    due_on = models.DateField(_("estimated due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=PregnancyStatus.choices, default=PregnancyStatus.ONGOING
    )
    is_sensitive = models.BooleanField(_("sensitive record"), default=True)
    planned_place = models.CharField(
        _("planned place of birth"), max_length=20, choices=BirthPlace.choices, blank=True
    )
    planned_facility = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("planned health facility"),
    )
    # When the next of the first four antenatal contacts falls due (None once four are done or
    # the pregnancy has ended): kept on the row so "ANC overdue" is one indexed filter.
    next_anc_due_on = models.DateField(_("next antenatal visit due"), null=True, blank=True, editable=False)
    anc_count = models.PositiveSmallIntegerField(_("antenatal visits"), default=0, editable=False)
    born_on = models.DateField(_("date of birth or loss"), null=True, blank=True, editable=False)
    birth_place = models.CharField(
        _("place of birth"), max_length=20, choices=BirthPlace.choices, blank=True, editable=False
    )
    birth_facility = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("health facility of the birth"),
    )
    outcome = models.CharField(
        _("birth outcome"), max_length=20, choices=BirthOutcome.choices, blank=True, editable=False
    )
    attendant = models.CharField(
        _("birth attendant"), max_length=20, choices=BirthAttendant.choices, blank=True, editable=False
    )
    newborn = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="birth_records",
        editable=False,
        verbose_name=_("newborn"),
    )
    note = EncryptedTextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = PregnancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("pregnancy")
        verbose_name_plural = _("pregnancies")
        ordering = ["due_on", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="ongoing"), name="pregnancy_one_ongoing"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="pregnancy_due"),
            models.Index(fields=["status", "next_anc_due_on"], name="pregnancy_anc_due"),
        ]

    def __str__(self) -> str:
        return f"{_('Pregnancy')} {str(self.pk)[:8]}"

    @property
    def is_ongoing(self) -> bool:
        return self.status == PregnancyStatus.ONGOING

    def weeks_on(self, day: dt.date) -> int | None:
        """Gestational age in completed weeks on ``day`` (counted to the birth once born)."""
        if self.born_on is not None and day > self.born_on:
            day = self.born_on
        return weeks_between(self.last_period_on, day)

    def anc_overdue_on(self, day: dt.date) -> bool:
        return self.is_ongoing and self.next_anc_due_on is not None and self.next_anc_due_on < day


class AntenatalVisit(TimestampedModel):
    """One antenatal contact: numbered in date order (ANC1, ANC2, ... ANC4+), with the week of
    pregnancy on the day and the danger signs seen."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.CASCADE, related_name="antenatal_visits")
    number = models.PositiveSmallIntegerField(_("visit number"), editable=False)
    visited_on = models.DateField(_("visit date"))
    weeks = models.PositiveSmallIntegerField(_("weeks of pregnancy"), editable=False)
    place = models.CharField(_("place"), max_length=20, choices=CarePlace.choices)
    facility = models.ForeignKey(
        Provider,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("health facility"),
    )
    danger_signs = models.JSONField(_("danger signs"), default=list, blank=True)
    note = EncryptedTextField(_("notes"), blank=True)
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.declare(via="pregnancy").as_manager()

    class Meta:
        verbose_name = _("antenatal visit")
        verbose_name_plural = _("antenatal visits")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["pregnancy", "number"], name="anc_number_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"ANC{self.number}" if self.number < ANC_COUNTED else f"ANC{ANC_COUNTED}+"

    @property
    def danger_sign_labels(self) -> list:
        return sign_labels(self.danger_signs)


class PostnatalVisit(TimestampedModel):
    """A postnatal contact with the mother and baby; its window is counted from the birth."""

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.CASCADE, related_name="postnatal_visits")
    visited_on = models.DateField(_("visit date"))
    window = models.CharField(_("when"), max_length=20, choices=PostnatalWindow.choices, editable=False)
    place = models.CharField(_("place"), max_length=20, choices=CarePlace.choices)
    danger_signs = models.JSONField(_("danger signs"), default=list, blank=True)
    note = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.declare(via="pregnancy").as_manager()

    class Meta:
        verbose_name = _("postnatal visit")
        verbose_name_plural = _("postnatal visits")
        ordering = ["visited_on", "created_at"]

    def __str__(self) -> str:
        return f"PNC {self.visited_on}"

    @property
    def danger_sign_labels(self) -> list:
        return sign_labels(self.danger_signs)


class FamilyPlanning(TimestampedModel):
    """Family planning counselling given to a woman, and the method she chose: the method is
    kept only when she agreed to have it recorded (``consent_given``)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="family_planning", verbose_name=_("woman")
    )
    pregnancy = models.ForeignKey(
        Pregnancy, null=True, blank=True, on_delete=models.SET_NULL, related_name="family_planning"
    )
    counselled_on = models.DateField(_("counselled on"))
    consent_given = models.BooleanField(_("she agrees to record the method"), default=False)
    method = models.CharField(_("method chosen"), max_length=20, choices=PlanningMethod.choices, blank=True)
    is_sensitive = models.BooleanField(_("sensitive record"), default=True)
    note = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.declare(via="person", view=VIEW).as_manager()

    class Meta:
        verbose_name = _("family planning counselling")
        verbose_name_plural = _("family planning counselling")
        ordering = ["-counselled_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given=True) | Q(method=""), name="planning_method_needs_consent"
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Family planning')} {self.counselled_on}"
