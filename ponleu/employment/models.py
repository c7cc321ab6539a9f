"""Youth employment: a young person's profile, how their vocational course ended, offers of
internships and jobs by employers of the directory, placements and their follow-ups.

A course is a programmes ``Group`` of the vocational kind with its sessions; this app adds only
each participant's result. An employer is a directory ``Provider`` marked as one.

A profile and a placement stand where their young person lives (``area_code``), with the team
and the worker following them (``owner``); rows below them stand where their parent stands. A
course result stands where its course meets. An offer names no one: the whole organisation
that recorded it sees it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.common.models import TimestampedModel, VersionedModel
from ponleu.geography.models import AdminUnit
from ponleu.organisations.models import Organisation, Team
from ponleu.programmes.models import Group
from ponleu.referrals.models import Provider
from ponleu.registry.models import Person

from .choices import (
    CourseOutcome,
    Currency,
    DocumentKind,
    EducationLevel,
    OfferKind,
    PlacementStatus,
    Satisfaction,
)

EMPLOYMENT_VIEW = "employment.view"


class YouthQuerySet(ScopedQuerySet):
    scoping = Scoping(view=EMPLOYMENT_VIEW, grants={"registry.person": "person"})


class YouthProfile(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("youth worker"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("young person")
    )
    education = models.CharField(_("schooling reached"), max_length=20, choices=EducationLevel.choices)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    other_skills = models.JSONField(_("other skills"), default=list, blank=True)
    interests = models.CharField(_("interests"), max_length=500, blank=True)
    consent_on = models.DateField(_("consent given on"))

    objects = YouthQuerySet.as_manager()

    class Meta:
        verbose_name = _("youth profile")
        verbose_name_plural = _("youth profiles")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="youth_profile_once"),
        ]

    def save(self, *args, **kwargs):
        self.area_code = self.person.area_code if self.person_id else ""
        super().save(*args, **kwargs)


class YouthDocument(TimestampedModel):
    """A document the young person showed (its number and date, not a copy): shown only to
    those who may see who they are."""

    profile = models.ForeignKey(YouthProfile, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.declare(via="profile").as_manager()

    class Meta:
        ordering = ["created_at"]


class CourseResult(VersionedModel):
    """How a participant's vocational course ended, and their certificate."""

    course = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("result"), max_length=20, choices=CourseOutcome.choices)
    ended_on = models.DateField(_("ended on"))
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.declare(via="course", view=EMPLOYMENT_VIEW).as_manager()

    class Meta:
        ordering = ["-ended_on"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="course_result_once"),
            models.CheckConstraint(
                condition=Q(outcome=CourseOutcome.COMPLETED) | Q(certificate_number=""),
                name="course_certificate_only_when_completed",
            ),
        ]


class OfferQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(is_open=True, starts_on__lte=day).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class Offer(VersionedModel):
    """An internship or a job an employer offers young people the organisation follows."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="+", verbose_name=_("employer")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=200)
    skills = models.JSONField(_("skills wanted"), default=list, blank=True)
    place = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    wage = models.DecimalField(_("wage a month"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("places available"))
    is_open = models.BooleanField(_("open"), default=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(wage__gte=0), name="offer_wage_not_negative"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="offer_ends_after",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlacementQuerySet(ScopedQuerySet):
    scoping = Scoping(view=EMPLOYMENT_VIEW, grants={"registry.person": "person"})

    def working(self):
        return self.filter(status=PlacementStatus.WORKING)


class Placement(VersionedModel):
    """A young person placed in an offer, with the days their follow-ups fall due."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    profile = models.ForeignKey(YouthProfile, on_delete=models.PROTECT, related_name="placements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="placements")
    starts_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("ended on"), null=True, blank=True)
    wage = models.DecimalField(_("wage a month"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PlacementStatus.choices, default=PlacementStatus.WORKING
    )
    # Kept with the placement so that Today finds the due follow-ups with an index, not a date sum.
    follow_up_3_on = models.DateField(editable=False)
    follow_up_6_on = models.DateField(editable=False)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-starts_on"]
        indexes = [
            models.Index(fields=["organisation", "follow_up_3_on"], name="placement_follow_up_3"),
            models.Index(fields=["organisation", "follow_up_6_on"], name="placement_follow_up_6"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(wage__gte=0), name="placement_wage_not_negative"),
            models.UniqueConstraint(
                fields=["offer", "person"], condition=Q(status="working"), name="placement_once_per_offer"
            ),
        ]

    def save(self, *args, **kwargs):
        self.area_code = self.person.area_code if self.person_id else ""
        super().save(*args, **kwargs)


class FollowUp(TimestampedModel):
    """What the young person said 3 or 6 months after starting."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after starting"))
    followed_on = models.DateField(_("date"))
    still_working = models.BooleanField(_("still working there"))
    wage = models.DecimalField(_("wage a month"), max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=10, choices=Satisfaction.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.declare(via="placement").as_manager()

    class Meta:
        ordering = ["months"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "months"], name="follow_up_once"),
            # Written as two equalities, not IN (3, 6): SQLite keeps the table's SQL, and Django's
            # introspection of it splits on ", " and breaks on a list inside a constraint.
            models.CheckConstraint(condition=Q(months=3) | Q(months=6), name="follow_up_at_3_or_6"),
        ]
