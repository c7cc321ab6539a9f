"""Programme work: projects and what they fund, groups and their sessions, trainings and
awareness events, distributions from stock, child labour monitoring visits and out-of-school
children.

Every row that names a person, or that a worker's reach decides, uses the one scoped queryset.
A project is seen by its manager, its team and the staff named on it (``ProjectStaff``), or
by the whole organisation at organisation scope. A group, an event, a distribution and an
out-of-school record stand where their village is (``area_code``), with their team and the
worker who runs them (``owner``: a group's facilitator). Rows below them (members, sessions,
attendance, participants, visits, children seen) stand where their parent stands.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ponleu.access.scopes import Scope
from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.cases.models import Case
from ponleu.common.models import TimestampedModel, VersionedModel
from ponleu.education.models import Enrolment, School
from ponleu.geography.models import AdminUnit
from ponleu.organisations.models import Organisation, Team
from ponleu.registry.models import Household, Person

from .choices import (
    AgeBand,
    Audience,
    EventKind,
    EventTopic,
    FoundBy,
    GroupBase,
    IndicatorSource,
    Item,
    MemberRole,
    OutOfSchoolReason,
    OutOfSchoolStatus,
    ResultLevel,
    ReturnPlan,
    Sex,
    Workplace,
)

PROGRAMMES_VIEW = "programmes.view"


# --- projects ------------------------------------------------------------------------------


class Donor(TimestampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="donor_once_per_org")]

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(ScopedQuerySet):
    scoping = Scoping(view=PROGRAMMES_VIEW, area=None, owner="manager")

    def extra_reach(self, actor, capability):
        """The staff named on a project see it (and act on it with what their role allows)."""
        if (
            actor.user_id is None
            or actor.organisation_id is None
            or actor.scope_for(capability) == Scope.NONE
        ):
            return None
        staffed = ProjectStaff.objects.filter(user_id=actor.user_id).values("project_id")
        return Q(organisation_id=actor.organisation_id, pk__in=staffed)


class Project(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("project manager"),
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("short code"), max_length=20)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    donors = models.ManyToManyField(Donor, related_name="projects", verbose_name=_("donors"))
    grant_reference = models.CharField(_("grant reference"), max_length=100, blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    areas = models.ManyToManyField(
        AdminUnit, related_name="+", verbose_name=_("provinces and districts covered")
    )
    partners = models.JSONField(_("partner organisations"), default=list, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="project_code_once_per_org"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="project_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class ProjectStaff(models.Model):
    """A member of staff who works on a project: they see it and what is tagged to it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    objects = ScopedQuerySet.declare(via="project").as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="project_staff_once")]


class Result(models.Model):
    """A line of the project's log-frame: an outcome, or an output under it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="results")
    level = models.CharField(_("level"), max_length=10, choices=ResultLevel.choices)
    code = models.CharField(_("code"), max_length=20)
    statement = models.CharField(_("statement"), max_length=500)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )

    objects = ScopedQuerySet.declare(via="project").as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="result_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.statement}"


class Indicator(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    statement = models.CharField(_("indicator"), max_length=500)
    source = models.CharField(
        _("achieved value"), max_length=30, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )

    objects = ScopedQuerySet.declare(via="result").as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.statement}"


class Target(models.Model):
    """What an indicator should reach in one period (a year, a quarter), and, for an indicator
    entered by hand, what it reached."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(_("period"), max_length=20)
    starts_on = models.DateField(_("period start"))
    ends_on = models.DateField(_("period end"))
    value = models.PositiveIntegerField(_("target"))
    achieved = models.PositiveIntegerField(_("achieved"), null=True, blank=True)

    objects = ScopedQuerySet.declare(via="indicator").as_manager()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="target_once_per_period"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="target_period_order"
            ),
        ]


class ProjectPerson(TimestampedModel):
    """A beneficiary counted by a project directly (besides through its groups and events)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    since = models.DateField(_("since"))

    objects = ScopedQuerySet.declare(via="person", view=PROGRAMMES_VIEW).as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "person"], name="project_person_once")]


class ProjectCase(TimestampedModel):
    """A case a project funds the work on."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cases")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")

    objects = ScopedQuerySet.declare(via="case").as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "case"], name="project_case_once")]


# --- groups and sessions -------------------------------------------------------------------


class GroupKind(models.Model):
    """A kind of group as an organisation names it, each standing for one ``GroupBase``."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    base = models.CharField(_("what it is"), max_length=30, choices=GroupBase.choices)
    name_km = models.CharField(_("name (Khmer)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_km"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name_km"], name="group_kind_name_once"),
        ]

    def __str__(self) -> str:
        return self.name_km

    def name(self, language: str | None = None) -> str:
        return self.name_en if language != "km" and self.name_en else self.name_km


class GroupQuerySet(ScopedQuerySet):
    scoping = Scoping(view=PROGRAMMES_VIEW)

    def active(self):
        return self.filter(is_active=True)


class Group(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The facilitator: the worker who runs the group and takes its attendance.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    kind = models.ForeignKey(
        GroupKind, on_delete=models.PROTECT, related_name="groups", verbose_name=_("kind")
    )
    name = models.CharField(_("name"), max_length=200)
    village = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("school")
    )
    schedule = models.CharField(_("meets"), max_length=200, blank=True)
    starts_on = models.DateField(_("started on"))
    is_active = models.BooleanField(_("active"), default=True)
    projects = models.ManyToManyField(Project, blank=True, related_name="groups", verbose_name=_("projects"))

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        indexes = [models.Index(fields=["organisation", "area_code"], name="group_org_area")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.area_code = self.village_id or ""
        super().save(*args, **kwargs)


class GroupMember(TimestampedModel):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="group_memberships")
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = ScopedQuerySet.declare(via="group").as_manager()

    class Meta:
        ordering = ["joined_on", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"], condition=Q(left_on__isnull=True), name="group_member_once"
            ),
        ]


class Session(VersionedModel):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    attendance_taken = models.BooleanField(default=False, editable=False)

    objects = ScopedQuerySet.declare(via="group").as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["group", "held_on", "topic"], name="session_once"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} · {self.topic}"


class Attendance(models.Model):
    """A registered member present at a session (absent members have no row)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.declare(via="session").as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_once")]


class Headcount(models.Model):
    """Participants counted, not registered: how many of one sex, age band (and, at events,
    with a disability or not)."""

    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_band = models.CharField(_("age"), max_length=5, choices=AgeBand.choices)
    with_disability = models.BooleanField(_("with a disability"), default=False)
    count = models.PositiveIntegerField(_("how many"))

    class Meta:
        abstract = True


class SessionHeadcount(Headcount):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="headcounts")

    objects = ScopedQuerySet.declare(via="session").as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "sex", "age_band", "with_disability"], name="session_headcount_once"
            ),
        ]


# --- trainings and awareness events ----------------------------------------------------------


class Event(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    topic = models.CharField(_("topic"), max_length=30, choices=EventTopic.choices)
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    held_on = models.DateField(_("date"))
    village = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    has_tests = models.BooleanField(_("with pre- and post-tests"), default=False)
    projects = models.ManyToManyField(Project, blank=True, related_name="events", verbose_name=_("projects"))

    objects = ScopedQuerySet.declare(view=PROGRAMMES_VIEW).as_manager()

    class Meta:
        verbose_name = _("training or event")
        verbose_name_plural = _("trainings and events")
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "village", "held_on", "title"], name="event_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.area_code = self.village_id or ""
        super().save(*args, **kwargs)


class EventParticipant(models.Model):
    """A registered participant: a person in the registry or a member of staff; with their
    pre- and post-test scores (out of 100) when the training has tests."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    pre_score = models.PositiveSmallIntegerField(_("pre-test score"), null=True, blank=True)
    post_score = models.PositiveSmallIntegerField(_("post-test score"), null=True, blank=True)

    objects = ScopedQuerySet.declare(via="event").as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="event_person_once"),
            models.UniqueConstraint(fields=["event", "user"], name="event_user_once"),
            models.CheckConstraint(
                condition=Q(person__isnull=True) ^ Q(user__isnull=True), name="event_participant_one_of"
            ),
        ]


class EventHeadcount(Headcount):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="headcounts")

    objects = ScopedQuerySet.declare(via="event").as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "sex", "age_band", "with_disability"], name="event_headcount_once"
            ),
        ]


# --- distributions and stock ---------------------------------------------------------------


class StockMovement(TimestampedModel):
    """Items received (positive) or given (negative) by a project at a place (a province or
    district store). The stock of an item is the sum of its movements, never below zero."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="stock")
    place = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    item = models.CharField(_("item"), max_length=30, choices=Item.choices)
    quantity = models.IntegerField(_("quantity"))
    moved_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.declare(via="project").as_manager()

    class Meta:
        ordering = ["moved_on", "created_at"]
        indexes = [models.Index(fields=["project", "place", "item"], name="stock_project_place_item")]


class DistributionQuerySet(ScopedQuerySet):
    scoping = Scoping(view=PROGRAMMES_VIEW)


class Distribution(TimestampedModel):
    """Items given to a person, a household, a school or a group, from a project's stock."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="distributions")
    stock = models.OneToOneField(StockMovement, on_delete=models.PROTECT, related_name="distribution")
    item = models.CharField(_("item"), max_length=30, choices=Item.choices)
    quantity = models.PositiveIntegerField(_("quantity"))
    given_on = models.DateField(_("given on"))
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_by = models.CharField(_("received and signed by"), max_length=200)

    objects = DistributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-given_on", "-created_at"]
        indexes = [models.Index(fields=["person", "item", "given_on"], name="distribution_person_item")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, household__isnull=True, school__isnull=True, group__isnull=True)
                    | Q(person__isnull=True, household__isnull=False, school__isnull=True, group__isnull=True)
                    | Q(person__isnull=True, household__isnull=True, school__isnull=False, group__isnull=True)
                    | Q(person__isnull=True, household__isnull=True, school__isnull=True, group__isnull=False)
                ),
                name="distribution_one_recipient",
            ),
        ]


# --- child labour monitoring -----------------------------------------------------------------


class MonitoringVisit(TimestampedModel):
    """A committee's visit to a workplace, with the children it saw working there."""

    committee = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    workplace = models.CharField(_("workplace"), max_length=20, choices=Workplace.choices)
    workplace_name = models.CharField(_("name of the workplace"), max_length=200, blank=True)
    village = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("village")
    )
    note = models.TextField(_("what the committee saw"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.declare(via="committee").as_manager()

    class Meta:
        verbose_name = _("workplace visit")
        verbose_name_plural = _("workplace visits")
        ordering = ["-visited_on", "-created_at"]


class ChildSeen(TimestampedModel):
    """A child seen working: described as seen, then linked to the registry's child (found by a
    search first, or registered) when a case is opened."""

    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("name as given"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age = models.PositiveSmallIntegerField(_("age (about)"), null=True, blank=True)
    work = models.CharField(_("work seen"), max_length=300, blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.declare(via="visit").as_manager()

    class Meta:
        ordering = ["created_at"]


# --- out-of-school children ----------------------------------------------------------------


class OutOfSchoolQuerySet(ScopedQuerySet):
    scoping = Scoping(view=PROGRAMMES_VIEW, grants={"registry.person": "person"})

    def out(self):
        return self.filter(status=OutOfSchoolStatus.OUT)


class OutOfSchool(VersionedModel):
    """A child of school age not in school: why, the plan to bring them back, and, once back,
    the follow-up of their schooling over the years."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("child"))
    identified_on = models.DateField(_("found on"))
    found_by = models.CharField(_("found by"), max_length=20, choices=FoundBy.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=OutOfSchoolReason.choices)
    plan = models.CharField(_("plan to bring them back"), max_length=20, choices=ReturnPlan.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=OutOfSchoolStatus.choices, default=OutOfSchoolStatus.OUT
    )
    returned_on = models.DateField(_("back in school on"), null=True, blank=True)
    enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("class")
    )
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)

    objects = OutOfSchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("out-of-school child")
        verbose_name_plural = _("out-of-school children")
        ordering = ["-identified_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="out"), name="out_of_school_once_while_out"
            ),
        ]

    def save(self, *args, **kwargs):
        self.area_code = self.person.area_code if self.person_id else ""
        super().save(*args, **kwargs)


class SchoolingFollowUp(TimestampedModel):
    record = models.ForeignKey(OutOfSchool, on_delete=models.CASCADE, related_name="follow_ups")
    followed_on = models.DateField(_("date"))
    in_school = models.BooleanField(_("still in school"))
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedQuerySet.declare(via="record").as_manager()

    class Meta:
        ordering = ["followed_on"]
