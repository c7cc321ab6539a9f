"""Reads of cases. Every one starts from ``Case.objects.visible_to(actor)``.

Pages and endpoints call ``cases_served`` with what they actually show, so that each read
leaves one access event naming the cases served, in the transaction that serves them.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from ponleu.access import policy
from ponleu.access.scopes import Scope
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.organisations.models import Membership

from .choices import (
    OPEN_STATUSES,
    STAGE_STANDARD_DAYS,
    ActionStatus,
    ApprovalStatus,
    CaseAction,
    CaseStatus,
    InstrumentKind,
)
from .models import (
    Action,
    Assessment,
    Case,
    CaseApproval,
    CaseNote,
    FollowUp,
    Goal,
    NoteAttachment,
    Placement,
    ServiceDelivery,
)

CASE_TARGET = "cases.case"
PERSON_TARGET = "registry.person"


def _base(actor):
    return Case.objects.visible_to(actor).select_related("person", "case_type", "owner", "team")


def case_list(*, actor, filters: dict | None = None):
    filters = filters or {}
    qs = _base(actor)
    status = filters.get("status")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if filters.get("case_type"):
        qs = qs.filter(case_type__code=filters["case_type"])
    if filters.get("mine"):
        qs = qs.filter(owner_id=actor.user_id)
    if filters.get("owner"):
        qs = qs.filter(owner_id=filters["owner"])
    if filters.get("urgent"):
        qs = qs.filter(urgent_deadline__isnull=False, urgency_met_at__isnull=True)
    if filters.get("overdue"):
        qs = qs.filter(pk__in=Action.objects.overdue().values("case_id"))
    visit_due = filters.get("visit_due")
    if visit_due:
        qs = qs.filter(status__in=OPEN_STATUSES, **_visit_due(visit_due, clock.today()))
    if filters.get("approval"):
        pending = CaseApproval.objects.filter(status=ApprovalStatus.PENDING).values("case_id")
        qs = qs.filter(status__in=OPEN_STATUSES, pk__in=pending)
    if filters.get("stalled"):
        qs = qs.filter(stalled_q(clock.now()))
    return qs.order_by("-status_changed_at", "-created_at")


def stalled_q(now: dt.datetime) -> Q:
    """Cases at a stage longer than the standard allows (``STAGE_STANDARD_DAYS``)."""
    return functools.reduce(
        operator.or_,
        (
            Q(status=status, status_changed_at__lt=now - dt.timedelta(days=days))
            for status, days in STAGE_STANDARD_DAYS.items()
        ),
    )


def next_step_due(case: Case) -> dt.date | None:
    """The day the case's next step was due by the standard, for a stage that has one."""
    days = STAGE_STANDARD_DAYS.get(case.status)
    if days is None:
        return None
    return timezone.localdate(case.status_changed_at + dt.timedelta(days=days))


VISIT_DUE = ("today", "late")


def _visit_due(value, today: dt.date) -> dict:
    """``today``: due today or before; ``late``: due before today; any other yes: this week."""
    if value == "today":
        return {"next_visit_on__lte": today}
    if value == "late":
        return {"next_visit_on__lt": today}
    return {"next_visit_on__lte": week_end(today)}


def case_get(*, actor, case_id) -> Case:
    """Raises Case.DoesNotExist for a missing case and for one outside the actor's scope alike."""
    return _base(actor).get(pk=case_id)


def case_for_update(*, actor, case_id) -> Case:
    return Case.objects.visible_to(actor).select_related("case_type", "person", "owner").get(pk=case_id)


def cases_served(*, actor, cases, action: str = CaseAction.LISTED, query: str = "") -> None:
    """The access events of a read: one naming the cases served, one naming their children
    (so that "who has seen this child" finds case pages too), in one chain append. Flagged
    when a grant alone opened any of them."""
    cases = list(cases)
    emergency = any(case.reached_by_grant_only(actor, "cases.view") for case in cases)
    reads = [audit.Read(action, CASE_TARGET, [c.pk for c in cases], query, break_glass=emergency)]
    children = list(dict.fromkeys(c.person_id for c in cases))
    if children:
        reads.append(audit.Read(action, PERSON_TARGET, children, query, break_glass=emergency))
    audit.record_accesses(actor=actor, reads=reads)


# --- one case ------------------------------------------------------------------------------------


def case_bundle(case: Case) -> Case:
    """Everything the detail page shows, in a fixed number of queries whatever the amounts."""
    goals = Goal.objects.filter(case=case).prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("due_on", "created_at"))
    )
    case.goal_list = list(goals)
    case.note_list = list(
        CaseNote.objects.filter(case=case)
        .select_related("author")
        .prefetch_related(
            "goals", Prefetch("attachments", queryset=NoteAttachment.objects.order_by("created_at"))
        )
    )
    case.assessment_list = list(
        Assessment.objects.filter(case=case).select_related("instrument", "assessed_by")
    )
    case.service_list = list(ServiceDelivery.objects.filter(case=case).select_related("goal"))
    case.placement_list = list(Placement.objects.filter(case=case).select_related("village"))
    case.follow_up_list = list(FollowUp.objects.filter(case=case).select_related("done_by"))
    case.approval_list = list(
        CaseApproval.objects.filter(case=case).select_related("requested_by", "decided_by")
    )
    case.conference_list = list(case.conferences.all())
    case.safety_plan_obj = _one(case, "safety_plan")
    case.labour_obj = _one(case, "labour")
    case.trafficking_obj = _one(case, "trafficking")
    return case


def _one(case: Case, name: str):
    try:
        return getattr(case, name)
    except ObjectDoesNotExist:
        return None


def case_with_specifics(*, actor, case_id) -> Case:
    return _base(actor).select_related("safety_plan", "labour", "trafficking").get(pk=case_id)


def notes_of(case: Case):
    return (
        CaseNote.objects.filter(case=case)
        .select_related("author")
        .prefetch_related("goals", "attachments")
        .order_by("-happened_on", "-created_at")
    )


def attachment_get(*, actor, case_id, attachment_id) -> NoteAttachment:
    case = case_get(actor=actor, case_id=case_id)
    return NoteAttachment.objects.select_related("note__case").get(pk=attachment_id, note__case=case)


def csi_series(case: Case) -> list[tuple[dt.date, dict[str, int]]]:
    assessments = getattr(case, "assessment_list", None)
    if assessments is None:
        assessments = list(Assessment.objects.filter(case=case).select_related("instrument"))
    points = [(a.assessed_on, a.answers) for a in assessments if a.instrument.kind == InstrumentKind.CSI]
    return sorted(points, key=lambda p: p[0])


def next_csi_due(case: Case) -> dt.date | None:
    due = [
        a.next_due_on
        for a in getattr(case, "assessment_list", [])
        if a.instrument.kind == InstrumentKind.CSI and a.next_due_on
    ]
    return max(due) if due else None


# --- caseload --------------------------------------------------------------------------------------


@dataclass
class Caseload:
    by_stage: list[tuple[str, object, int]] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    overdue_actions: list[Action] = field(default_factory=list)
    visits_due: list[Case] = field(default_factory=list)
    follow_ups_due: list[FollowUp] = field(default_factory=list)
    urgent: list[Case] = field(default_factory=list)
    overdue_total: int = 0
    visits_total: int = 0
    open_total: int = 0


def week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def caseload(*, actor, limit: int = 10) -> Caseload:
    """The actor's own cases by stage, overdue actions, visits and follow-ups due this week.

    Each list holds the ``limit`` most pressing; its total says how many more the filtered
    case list holds (phone first: a page one can scroll through). Four queries whatever the
    caseload: the counts, the cases of the three case lists, the overdue actions (their total
    counted beside them), the follow-ups."""
    today = clock.today()
    end = week_end(today)
    mine = _base(actor).filter(owner_id=actor.user_id)
    in_stage = Q(status__in=OPEN_STATUSES + (CaseStatus.FOLLOW_UP,))
    visit_due = Q(status__in=OPEN_STATUSES, next_visit_on__lte=end)
    urgent = Q(urgent_deadline__isnull=False, urgency_met_at__isnull=True)
    totals = mine.aggregate(
        **{f"stage_{index}": Count("id", filter=Q(status=status)) for index, status in enumerate(CaseStatus)},
        visits=Count("id", filter=visit_due),
    )
    load = Caseload()
    load.by_stage = [
        (status.value, status.label, totals[f"stage_{index}"]) for index, status in enumerate(CaseStatus)
    ]
    load.open_total = sum(n for value, _label, n in load.by_stage if value in OPEN_STATUSES)
    load.visits_total = totals["visits"]
    listed = _ranked_within(
        mine.filter(in_stage | urgent),
        limit,
        stage=(in_stage, [F("status").asc(), F("status_changed_at").desc()]),
        visit=(visit_due, [F("next_visit_on").asc()]),
        urgent=(urgent, None),
    )
    load.cases, load.visits_due, load.urgent = listed["stage"], listed["visit"], listed["urgent"]
    load.urgent.sort(key=lambda case: case.urgent_deadline)
    overdue = list(
        Action.objects.overdue(today)
        .filter(
            Q(owner_id=actor.user_id) | Q(case__owner_id=actor.user_id),
            case__in=Case.objects.visible_to(actor),
        )
        .select_related("case__person", "case__case_type", "case__owner", "goal")
        .annotate(total=Window(Count("id")))
        .order_by("due_on")[:limit]
    )
    load.overdue_actions = overdue
    load.overdue_total = overdue[0].total if overdue else 0
    load.follow_ups_due = list(
        FollowUp.objects.filter(
            case__in=mine, case__status=CaseStatus.FOLLOW_UP, done_on__isnull=True, due_on__lte=end
        )
        .select_related("case__person", "case__case_type", "case__owner")
        .order_by("due_on")[:limit]
    )
    return load


def _ranked_within(cases, limit: int, **lists) -> dict[str, list[Case]]:
    """Several lists drawn from ``cases`` in one query: each ``name=(condition, order)`` keeps
    the first ``limit`` cases meeting its condition in that order (every one if order is None)."""
    annotations, kept = {}, []
    for name, (condition, order) in lists.items():
        annotations[f"in_{name}"] = ExpressionWrapper(condition, output_field=BooleanField())
        if order is None:
            kept.append(Q(**{f"in_{name}": True}))
            continue
        annotations[f"rank_{name}"] = Window(RowNumber(), partition_by=[condition], order_by=order)
        kept.append(Q(**{f"in_{name}": True, f"rank_{name}__lte": limit}))
    rows = list(cases.annotate(**annotations).filter(functools.reduce(operator.or_, kept)))
    result = {}
    for name, (_condition, order) in lists.items():
        chosen = [row for row in rows if getattr(row, f"in_{name}")]
        if order is not None:
            chosen = sorted(
                (row for row in chosen if getattr(row, f"rank_{name}") <= limit),
                key=lambda row, name=name: getattr(row, f"rank_{name}"),
            )
        result[name] = chosen
    return result


def caseload_cases(load: Caseload) -> list[Case]:
    """Every case the caseload page names, once, for the access event."""
    seen: dict = {}
    for case in [*load.cases, *load.visits_due, *load.urgent]:
        seen[case.pk] = case
    for item in [*load.overdue_actions, *load.follow_ups_due]:
        seen[item.case.pk] = item.case
    return list(seen.values())


@dataclass
class TeamCaseload:
    stages: list = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    approvals: list[CaseApproval] = field(default_factory=list)
    overdue_by_owner: dict = field(default_factory=dict)


def team_caseload(*, actor) -> TeamCaseload:
    """For supervisors: cases per caseworker and stage, overdue actions, approvals waiting."""
    today = clock.today()
    scope = Case.objects.actionable_by(actor, "cases.approve")
    counts = scope.values("owner_id", "status").annotate(n=Count("id"))
    overdue = dict(
        Action.objects.overdue(today)
        .filter(case__in=scope)
        .values("case__owner_id")
        .annotate(n=Count("id"))
        .values_list("case__owner_id", "n")
    )
    owners = {
        m.user_id: m.user
        for m in Membership.objects.filter(
            organisation_id=actor.organisation_id, is_active=True
        ).select_related("user")
    }
    table: dict = {}
    for row in counts:
        table.setdefault(row["owner_id"], {})[row["status"]] = row["n"]
    result = TeamCaseload(stages=list(CaseStatus))
    for owner_id, per_stage in sorted(table.items(), key=lambda item: str(owners.get(item[0], ""))):
        result.rows.append(
            {
                "owner": owners.get(owner_id),
                "owner_id": owner_id,
                "pairs": [(status, per_stage.get(status.value, 0)) for status in CaseStatus],
                "open": sum(n for status, n in per_stage.items() if status in OPEN_STATUSES),
                "overdue": overdue.get(owner_id, 0),
            }
        )
    result.approvals = list(
        CaseApproval.objects.filter(case__in=scope, status=ApprovalStatus.PENDING)
        .select_related("case__person", "case__case_type", "case__owner", "requested_by")
        .order_by("requested_at")
    )
    return result


def caseworkers(organisation_id) -> list:
    """Members who can hold a caseload, for assignment menus."""
    roles = [
        role for (role, cap), scope in policy.POLICY.items() if cap == "cases.edit" and scope > Scope.NONE
    ]
    return [
        m.user
        for m in Membership.objects.filter(organisation_id=organisation_id, role__in=roles, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    ]


def open_action_count(case: Case) -> int:
    return Action.objects.filter(case=case, status=ActionStatus.OPEN).count()
