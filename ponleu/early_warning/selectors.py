"""Reads of risk scores, flags, interventions and models, each from what the actor may reach.

Every read that shows a student's risk writes one access event naming the students (registry
people) it returned, in the same request: reading risk scores is ``ews.view_scores``. Lists run
a fixed number of queries whatever their length (ranking and the capacity cut happen in SQL).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.early_warning.choices import Decision, EwsAction, FlagStatus, ModelStatus
from ponleu.early_warning.models import (
    DEFAULT_CAPACITY,
    EwsSettings,
    Flag,
    Intervention,
    RiskModel,
    RiskScore,
)
from ponleu.early_warning.rulebook import default_settings, to_dict
from ponleu.education.choices import EnrolmentStatus
from ponleu.education.models import AcademicYear, Enrolment, School, SchoolClass
from ponleu.education.selectors import calendar_for, current_year, record_read, roll_call_gaps

PERSON = "registry.person"
VIEW = "ews.view_scores"


def settings_for(organisation_id) -> EwsSettings:
    """The organisation's settings; a new organisation starts with the default rule index."""
    found = EwsSettings.objects.filter(organisation_id=organisation_id).first()
    if found is None:
        found = EwsSettings(
            organisation_id=organisation_id,
            rules=to_dict(default_settings()),
            capacity_per_school=DEFAULT_CAPACITY,
        )
    return found


def active_model(organisation_id) -> RiskModel | None:
    return RiskModel.objects.filter(organisation_id=organisation_id, status=ModelStatus.ACTIVE).first()


# --- the risk list -------------------------------------------------------------------------


@dataclass
class RiskFilters:
    school_id: str = ""
    class_id: str = ""
    caseworker_id: str = ""
    # Only the rows whose flag awaits review (the review queue; "Today" links here).
    awaiting: bool = False

    @classmethod
    def from_params(cls, params) -> RiskFilters:
        return cls(
            school_id=(params.get("school") or "").strip(),
            class_id=(params.get("class") or "").strip(),
            caseworker_id=(params.get("caseworker") or "").strip(),
            awaiting=params.get("awaiting") == "1",
        )

    def apply(self, queryset, prefix: str = ""):
        try:
            if self.school_id:
                queryset = queryset.filter(**{f"{prefix}school_class__school_id": self.school_id})
            if self.class_id:
                queryset = queryset.filter(**{f"{prefix}school_class_id": self.class_id})
            if self.caseworker_id:
                queryset = queryset.filter(**{f"{prefix}enrolment__person__owner_id": self.caseworker_id})
        except Exception:  # noqa: BLE001 - a malformed id in the query string selects nothing
            return queryset.none()
        return queryset


def latest_scores(actor: Actor, year: AcademicYear | None, capability: str = VIEW):
    """Each enrolled student's latest score in the year, within the actor's reach."""
    if year is None:
        return RiskScore.objects.none()
    latest = (
        RiskScore.objects.filter(enrolment=OuterRef("enrolment")).order_by("-period").values("period")[:1]
    )
    return (
        RiskScore.objects.actionable_by(actor, capability)
        .filter(school_class__year=year, enrolment__status=EnrolmentStatus.ENROLLED)
        .filter(period=Subquery(latest))
    )


RANKING = (F("probability").desc(nulls_last=True), F("index_score").desc(), F("enrolment_id").asc())


@dataclass
class RiskRow:
    score: RiskScore
    rank: int
    flag_id: object = None
    flag_status: str = ""
    label: str = ""


@dataclass
class SchoolBlock:
    school: School
    rows: list[RiskRow] = field(default_factory=list)
    flagged: int = 0

    @property
    def beyond_capacity(self) -> int:
        return max(0, self.flagged - len(self.rows))


@dataclass
class RiskList:
    year: AcademicYear | None
    capacity: int
    schools: list[SchoolBlock]
    filters: RiskFilters

    @property
    def rows(self) -> list[RiskRow]:
        return [row for block in self.schools for row in block.rows]


def risk_list(
    *, actor: Actor, filters: RiskFilters | None = None, year: AcademicYear | None = None
) -> RiskList:
    """Flagged students ranked per school and cut to the organisation's capacity per school."""
    filters = filters or RiskFilters()
    year = year or current_year(actor.organisation_id)
    capacity = settings_for(actor.organisation_id).capacity_per_school
    flagged = filters.apply(latest_scores(actor, year).filter(flagged=True))
    ranked = (
        _ranked(flagged, capacity)
        .select_related(
            "enrolment__person", "school_class__school", "school_class__homeroom_teacher", "model"
        )
        .order_by("school_class__school__name_en", "rank")
    )
    blocks: dict = {}
    for score in ranked:
        if filters.awaiting and score.flag_status != FlagStatus.AWAITING_REVIEW:
            continue
        school = score.school_class.school
        block = blocks.setdefault(school.pk, SchoolBlock(school, flagged=score.school_flagged))
        block.rows.append(RiskRow(score, score.rank, score.flag_id, score.flag_status or ""))
    result = RiskList(year, capacity, sorted(blocks.values(), key=lambda b: str(b.school)), filters)
    audit.record_access(
        actor=actor,
        action=EwsAction.SCORES_VIEWED,
        target_type=PERSON,
        target_ids=[row.score.enrolment.person_id for row in result.rows],
        query=f"school={filters.school_id} class={filters.class_id} caseworker={filters.caseworker_id}"
        + (" awaiting" if filters.awaiting else ""),
    )
    return result


def _ranked(flagged, capacity: int):
    """Flagged scores ranked per school, cut to the capacity, each with its latest flag."""
    latest_flag = Flag.objects.filter(enrolment=OuterRef("enrolment_id")).order_by("-opened_on")
    per_school = [F("school_class__school_id")]
    return flagged.annotate(
        rank=Window(RowNumber(), partition_by=per_school, order_by=list(RANKING)),
        # Counted before the capacity cut: how many the school has flagged in all.
        school_flagged=Window(Count("pk"), partition_by=per_school),
        flag_id=Subquery(latest_flag.values("pk")[:1]),
        flag_status=Subquery(latest_flag.values("status")[:1]),
    ).filter(rank__lte=capacity)


def review_queue(*, actor: Actor, year: AcademicYear | None = None):
    """The rows of the risk list whose flag awaits review (``risk_list`` with ``awaiting``):
    ranked and cut to each school's capacity first, so a student the list leaves beyond it is
    not asked for. A query, so that counting and listing agree; nothing is audited here (the
    caller records what it shows with ``scores_served``)."""
    year = year or current_year(actor.organisation_id)
    if year is None:
        return RiskScore.objects.none()
    capacity = settings_for(actor.organisation_id).capacity_per_school
    listed = _ranked(latest_scores(actor, year).filter(flagged=True), capacity).values("pk")
    latest_flag = Flag.objects.filter(enrolment=OuterRef("enrolment_id")).order_by("-opened_on")
    return (
        RiskScore.objects.filter(pk__in=listed)
        .annotate(
            flag_id=Subquery(latest_flag.values("pk")[:1]),
            flag_status=Subquery(latest_flag.values("status")[:1]),
        )
        .filter(flag_status=FlagStatus.AWAITING_REVIEW)
        .order_by(*RANKING)
    )


def scores_served(*, actor: Actor, scores, query: str) -> None:
    """One access event naming the students whose risk a page showed."""
    audit.record_access(
        actor=actor,
        action=EwsAction.SCORES_VIEWED,
        target_type=PERSON,
        target_ids=list(dict.fromkeys(score.enrolment.person_id for score in scores)),
        query=query,
    )


# --- the data behind the scores ----------------------------------------------------------------

# A class whose roll call was missed on ``GAP_DAYS`` of the last ``RECENT_SCHOOL_DAYS`` school days
# (today not counted: its roll call may still come) is listed: the scores of its pupils are blind
# to those days, and three absences running is the first rule of the index.
RECENT_SCHOOL_DAYS = 10
GAP_DAYS = 3


def recent_school_days(year: AcademicYear | None) -> list:
    if year is None:
        return []
    return calendar_for(year).school_days(until=clock.today() - dt.timedelta(days=1))[-RECENT_SCHOOL_DAYS:]


def classes_missing_roll_calls(*, actor: Actor, year: AcademicYear | None = None):
    """The classes of the current year whose roll call was missed on at least ``GAP_DAYS`` of the
    recent school days, most missed first, for whoever looks after the risk models' data."""
    year = year or current_year(actor.organisation_id)
    days = recent_school_days(year)
    if not days:
        return SchoolClass.objects.none()
    return (
        roll_call_gaps(actor=actor, capability="ews.manage_models", year=year, days=days)
        .filter(missing__gte=GAP_DAYS)
        .select_related("school", "homeroom_teacher__user")
        .order_by("-missing", "school__name_en", "grade", "section", "pk")
    )


# --- one school -----------------------------------------------------------------------------


@dataclass
class SchoolDashboard:
    school: School
    year: AcademicYear | None
    series: list  # (period, {grade: flagged}) oldest first
    grades: list
    scored: int
    flagged: int
    risk: RiskList


def school_dashboard(*, actor: Actor, school_id) -> SchoolDashboard:
    school = School.objects.actionable_by(actor, VIEW).get(pk=school_id)
    year = current_year(actor.organisation_id)
    weekly = (
        RiskScore.objects.actionable_by(actor, VIEW)
        .filter(school_class__school=school, school_class__year=year, flagged=True)
        .values_list("period", "school_class__grade")
        .annotate(n=Count("pk"))
        .order_by("period")
    )
    series: dict = {}
    grades = set()
    for period, grade, n in weekly:
        series.setdefault(period, {})[grade] = n
        grades.add(grade)
    latest = latest_scores(actor, year).filter(school_class__school=school)
    totals = latest.aggregate(scored=Count("pk"), flagged=Count("pk", filter=Q(flagged=True)))
    risk = risk_list(actor=actor, filters=RiskFilters(school_id=str(school.pk)), year=year)
    record_read(actor=actor, action=EwsAction.SCORES_VIEWED, target=school)
    return SchoolDashboard(
        school, year, sorted(series.items()), sorted(grades), totals["scored"], totals["flagged"], risk
    )


# --- one student ------------------------------------------------------------------------------


@dataclass
class StudentRisk:
    enrolment: Enrolment
    scores: list  # oldest first
    flags: list
    interventions: list
    label: str = ""

    @property
    def latest(self) -> RiskScore | None:
        return self.scores[-1] if self.scores else None


def student_risk(*, actor: Actor, enrolment_id) -> StudentRisk:
    enrolment = (
        Enrolment.objects.actionable_by(actor, VIEW)
        .select_related(
            "person", "school_class__school", "school_class__year", "school_class__homeroom_teacher"
        )
        .get(pk=enrolment_id)
    )
    scores = list(RiskScore.objects.filter(enrolment=enrolment).select_related("model").order_by("period"))
    flags = list(Flag.objects.filter(enrolment=enrolment).order_by("-opened_on"))
    interventions = list(Intervention.objects.filter(enrolment=enrolment).order_by("-starts_on"))
    record_read(
        actor=actor, action=EwsAction.STUDENT_VIEWED, target=enrolment, person_ids=[enrolment.person_id]
    )
    return StudentRisk(enrolment, scores, flags, interventions)


# --- review and interventions ----------------------------------------------------------------


def flag_get(*, actor: Actor, flag_id) -> Flag:
    flag = (
        Flag.objects.actionable_by(actor, "ews.review")
        .select_related("enrolment__person", "school_class__school", "school_class__homeroom_teacher")
        .get(pk=flag_id)
    )
    record_read(
        actor=actor, action=EwsAction.STUDENT_VIEWED, target=flag, person_ids=[flag.enrolment.person_id]
    )
    return flag


def intervention_get(*, actor: Actor, intervention_id) -> Intervention:
    intervention = (
        Intervention.objects.actionable_by(actor, "ews.review")
        .select_related("enrolment__person", "school_class__school", "school_class__homeroom_teacher", "case")
        .get(pk=intervention_id)
    )
    record_read(
        actor=actor,
        action=EwsAction.STUDENT_VIEWED,
        target=intervention,
        person_ids=[intervention.enrolment.person_id],
    )
    return intervention


def intervention_list(*, actor: Actor, open_only: bool = False, limit: int = 100) -> list[Intervention]:
    rows = Intervention.objects.actionable_by(actor, "ews.review")
    if open_only:
        rows = rows.filter(outcome="")
    rows = list(
        rows.select_related(
            "enrolment__person", "school_class__school", "school_class__homeroom_teacher"
        ).order_by("outcome", "-starts_on")[:limit]
    )
    audit.record_access(
        actor=actor,
        action=EwsAction.STUDENT_VIEWED,
        target_type=PERSON,
        target_ids=[i.enrolment.person_id for i in rows],
        query="interventions",
    )
    return rows


# --- did it work? ----------------------------------------------------------------------------


@dataclass
class GroupOutcome:
    n: int = 0
    dropped_out: int = 0
    recorded: dict = field(default_factory=dict)  # intervention outcome -> count

    @property
    def dropout_rate(self) -> float | None:
        return self.dropped_out / self.n if self.n else None

    @property
    def stayed(self) -> int:
        return self.n - self.dropped_out


@dataclass
class Effectiveness:
    year: AcademicYear | None
    served: GroupOutcome
    not_served: GroupOutcome
    by_type: dict  # intervention type -> GroupOutcome
    never_reviewed: int
    no_action: int

    @property
    def difference(self) -> float | None:
        if self.served.dropout_rate is None or self.not_served.dropout_rate is None:
            return None
        return self.served.dropout_rate - self.not_served.dropout_rate


def effectiveness(*, actor: Actor, year: AcademicYear | None = None) -> Effectiveness:
    """Flagged students who were served against flagged students who were not, by the end of the
    year so far: how many dropped out. Not a randomised comparison (see the page)."""
    year = year or current_year(actor.organisation_id)
    flags = (
        Flag.objects.actionable_by(actor, VIEW)
        .filter(school_class__year=year)
        .values_list("enrolment_id", "status", "decision", "enrolment__status")
    )
    per_student: dict = {}
    for enrolment_id, status, decision, enrolment_status in flags:
        served = status == FlagStatus.DECIDED and decision != Decision.NO_ACTION
        entry = per_student.setdefault(
            enrolment_id, {"served": False, "dropped": False, "never": True, "none": False}
        )
        entry["served"] |= served
        entry["dropped"] = enrolment_status == EnrolmentStatus.DROPPED_OUT
        entry["never"] &= status != FlagStatus.DECIDED
        entry["none"] |= decision == Decision.NO_ACTION
    interventions = Intervention.objects.actionable_by(actor, VIEW).filter(school_class__year=year)
    by_type: dict = {}
    recorded: dict = {}
    for enrolment_id, kind, outcome in interventions.values_list("enrolment_id", "type", "outcome"):
        group = by_type.setdefault(kind, GroupOutcome())
        group.n += 1
        group.dropped_out += int(per_student.get(enrolment_id, {}).get("dropped", False))
        if outcome:
            group.recorded[outcome] = group.recorded.get(outcome, 0) + 1
            recorded[outcome] = recorded.get(outcome, 0) + 1
    served, not_served = GroupOutcome(recorded=recorded), GroupOutcome()
    never = no_action = 0
    for entry in per_student.values():
        group = served if entry["served"] else not_served
        group.n += 1
        group.dropped_out += int(entry["dropped"])
        if not entry["served"]:
            never += int(entry["never"])
            no_action += int(entry["none"])
    audit.record_access(
        actor=actor,
        action=EwsAction.REPORT_VIEWED,
        target_type="early_warning.flag",
        query=f"effectiveness year={year.pk if year else ''} students={len(per_student)}",
    )
    return Effectiveness(year, served, not_served, {k: by_type[k] for k in sorted(by_type)}, never, no_action)
