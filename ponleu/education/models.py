"""Schools, academic years and their calendars, classes, enrolments, attendance, marks, behaviour.

Scope: everything hangs off a class, and a class off a school. A member reaches a class when
they are its homeroom teacher (own), when its school lies in one of their areas (area), or
across the organisation, as far as the capability's scope in the policy table allows. Pupils
are registry people; their rows here are reached through the class, never on their own.

Attendance is stored compactly: one ``AttendanceMonth`` row per enrolment and month holding
one letter per day ('.' not recorded, P present, A absent, L late, E excused), about 30 bytes
of statuses instead of 30 rows. ``AttendanceCorrection`` keeps the few audited changes to past
days; scoring never reads it.
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
from ponleu.geography.models import AdminUnit
from ponleu.organisations.models import Membership, Organisation
from ponleu.registry.models import Person

from .choices import (
    GRADES,
    AssessmentKind,
    AttendanceStatus,
    CalendarDayKind,
    CalendarDaySource,
    DropoutReason,
    EnrolmentEventKind,
    EnrolmentStatus,
    IncidentSeverity,
    IncidentType,
    SchoolLevel,
    Subject,
)

DAYS_IN_REGISTER = 31


class SchoolClassQuerySet(ScopedQuerySet):
    """A class stands to a member as own (its homeroom teacher), area (its school's village)
    or organisation; the rows reached through a class (enrolments, registers, marks, risk
    scores) are declared ``via`` it and share this rule."""

    scoping = Scoping(team=None, owner="homeroom_teacher__user")


class SchoolQuerySet(ScopedQuerySet):
    scoping = Scoping(team=None, owner=None)

    def extra_reach(self, actor, capability: str):
        """A teacher reaches the schools where they teach a class, whatever their areas."""
        if actor.user_id is None or actor.organisation_id is None or not actor.can(capability):
            return None
        return Q(organisation_id=actor.organisation_id) & Q(
            pk__in=SchoolClass.objects.filter(homeroom_teacher__user_id=actor.user_id).values("school_id")
        )


class School(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    emis_code = models.CharField(_("EMIS code"), max_length=20)
    name_km = models.CharField(_("name in Khmer"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=SchoolLevel.choices)
    village = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    area_code = models.CharField(max_length=8, db_index=True, editable=False)
    is_active = models.BooleanField(_("open"), default=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name_en", "name_km"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "emis_code"], name="school_emis_once_per_org")
        ]
        indexes = [models.Index(fields=["organisation", "area_code"], name="school_org_area")]

    def __str__(self) -> str:
        return self.name_en or self.name_km

    def save(self, *args, **kwargs):
        self.area_code = self.village_id or ""
        super().save(*args, **kwargs)

    def display_name(self, language: str | None = None) -> str:
        if language == "km" or not self.name_en:
            return self.name_km
        return self.name_en

    @property
    def grades(self) -> range:
        return GRADES[self.level]


class AcademicYear(VersionedModel):
    """A school year of one organisation. Dates vary from year to year: never assume months."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=40)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    # Python weekday numbers of teaching days: "01234" is Monday to Friday.
    weekdays = models.CharField(_("teaching days of the week"), max_length=7, default="01234")
    holiday_language = models.CharField(_("language of holiday names"), max_length=8, default="km")

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="year_name_once_per_org"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Term(TimestampedModel):
    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=60)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["year", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="term_number_once_per_year"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CalendarDay(TimestampedModel):
    """A date that is not an ordinary day: a public holiday, a closure, or a make-up school day.

    Public holidays come from the ``holidays`` package when the year is created; an
    administrator may add closures and make-up days, or turn a holiday into a school day.
    """

    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarDayKind.choices)
    name_km = models.CharField(_("name in Khmer"), max_length=300, blank=True)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    source = models.CharField(
        max_length=10, choices=CalendarDaySource.choices, default=CalendarDaySource.ADMIN
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["year", "date"], name="calendar_day_once_per_year")]

    def __str__(self) -> str:
        return f"{self.date} {self.name_en or self.name_km}"

    def display_name(self, language: str | None = None) -> str:
        if language == "km" or not self.name_en:
            return self.name_km or self.name_en
        return self.name_en


class SchoolClass(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="classes")
    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="classes")
    grade = models.PositiveSmallIntegerField(_("grade"))
    section = models.CharField(_("section"), max_length=10, blank=True)
    homeroom_teacher = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("homeroom teacher"),
    )
    # The school's village code, copied so that area scope needs no join.
    area_code = models.CharField(max_length=8, db_index=True, editable=False)

    objects = SchoolClassQuerySet.as_manager()

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["grade", "section"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "grade", "section"], name="class_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.grade}{self.section}"

    def save(self, *args, **kwargs):
        self.area_code = self.school.area_code
        self.organisation_id = self.school.organisation_id
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.grade}{self.section}"


class EnrolmentQuerySet(ScopedQuerySet):
    scoping = Scoping(via="school_class", view="registry.view")

    def current(self):
        return self.filter(status=EnrolmentStatus.ENROLLED)


class Enrolment(VersionedModel):
    """A pupil in one class for one year, and how that year ended."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_on = models.DateField(_("enrolled on"))
    is_repeating = models.BooleanField(_("repeating the grade"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=DropoutReason.choices, blank=True
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["person", "school_class"], name="enrolment_once_per_class"),
        ]
        indexes = [models.Index(fields=["school_class", "status"], name="enrolment_class_status")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.school_class_id}"

    def is_enrolled_on(self, day: dt.date) -> bool:
        if day < self.enrolled_on:
            return False
        return self.left_on is None or day < self.left_on


EnrolmentEventQuerySet = ScopedQuerySet.declare(via="enrolment")


class EnrolmentEvent(TimestampedModel):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=EnrolmentEventKind.choices)
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=20, choices=DropoutReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EnrolmentEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment event")
        verbose_name_plural = _("enrolment events")
        ordering = ["date", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


AttendanceMonthQuerySet = ScopedQuerySet.declare(via="enrolment")


class AttendanceMonth(models.Model):
    """One pupil's register for one month: ``statuses[d - 1]`` is the status of day ``d``."""

    pk = models.CompositePrimaryKey("enrolment_id", "month")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance_months")
    month = models.DateField()  # the first day of the month
    statuses = models.CharField(max_length=DAYS_IN_REGISTER)

    objects = AttendanceMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance month")
        verbose_name_plural = _("attendance months")

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.month:%Y-%m} {self.statuses}"

    def status_on(self, day: dt.date) -> str:
        index = day.day - 1
        return self.statuses[index] if index < len(self.statuses) else AttendanceStatus.NONE


class AttendanceCorrection(TimestampedModel):
    """A change to a day already past, with who made it and why (the audit keeps the same)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance_corrections")
    date = models.DateField(_("date"))
    before = models.CharField(max_length=1, choices=AttendanceStatus.choices)
    after = models.CharField(max_length=1, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.declare(via="enrolment").as_manager()

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.date} {self.before}→{self.after}"


# Marks name each pupil: seen by those who may see the class's pupils.
AssessmentQuerySet = ScopedQuerySet.declare(via="school_class", view="registry.view")


class Assessment(VersionedModel):
    """One test or exam of one class in one subject, with every pupil's score.

    ``scores`` maps an enrolment id to its score; a pupil of the class without an entry did
    not sit the test (missed it). One row per class and test keeps a school's year of marks
    in a few thousand rows, read in one query when the school is scored.
    """

    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="assessments")
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind.choices)
    held_on = models.DateField(_("held on"))
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=2)
    scores = models.JSONField(default=dict)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("test or exam")
        verbose_name_plural = _("tests and exams")
        ordering = ["held_on", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "subject", "kind", "held_on"], name="assessment_once_per_class_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.held_on}"


IncidentQuerySet = ScopedQuerySet.declare(via="enrolment")


class BehaviourIncident(TimestampedModel):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="incidents")
    occurred_on = models.DateField(_("date"))
    type = models.CharField(_("type"), max_length=20, choices=IncidentType.choices)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=IncidentSeverity.choices)
    # What happened may name other children or family matters: sealed at rest.
    note = EncryptedTextField(_("what happened"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("behaviour incident")
        verbose_name_plural = _("behaviour incidents")
        ordering = ["-occurred_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=1) & Q(severity__lte=3), name="incident_severity_1_3"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.occurred_on}"
