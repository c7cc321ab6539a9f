"""Reading programme work, always from ``visible_to``/``actionable_by``; a page that names
people writes one access event naming them. Lists read a fixed number of queries however many
members, sessions or items they hold."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Sum

from ponleu.access.policies import can_see_identity, identity_label
from ponleu.audit import services as audit
from ponleu.cases.models import Case
from ponleu.common import clock
from ponleu.registry.selectors.search import person_matches

from .choices import IndicatorSource, OutOfSchoolStatus, ProgrammeAction
from .models import (
    PROGRAMMES_VIEW,
    Attendance,
    ChildSeen,
    Distribution,
    Event,
    EventHeadcount,
    EventParticipant,
    Group,
    GroupKind,
    GroupMember,
    Indicator,
    MonitoringVisit,
    OutOfSchool,
    Project,
    ProjectCase,
    ProjectPerson,
    Result,
    SchoolingFollowUp,
    Session,
    SessionHeadcount,
    StockMovement,
    Target,
)

LIST_LIMIT = 200
PERSON_TARGET = "registry.person"


def _uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _get(queryset, pk):
    pk = _uuid(pk)
    if pk is None:
        raise queryset.model.DoesNotExist
    return queryset.get(pk=pk)


def _people_read(actor, action, people, query: str = "") -> None:
    ids = sorted({str(p.pk) for p in people})
    if ids:
        audit.record_access(
            actor=actor, action=action, target_type=PERSON_TARGET, target_ids=ids, query=query
        )


# --- projects --------------------------------------------------------------------------------


def project_list(*, actor):
    return (
        Project.objects.visible_to(actor)
        .prefetch_related("donors", "areas")
        .distinct()
        .order_by("-starts_on", "code")
    )


def project_get(*, actor, project_id, capability: str = PROGRAMMES_VIEW) -> Project:
    return _get(
        Project.objects.actionable_by(actor, capability).prefetch_related("donors", "areas"), project_id
    )


def _children_of_projects(project_ids) -> dict:
    """{project id: set of child ids} counted by each project: its direct beneficiaries, the
    members of its groups, the registered participants of its events, the children it gave
    items to and the children of its cases. Five queries for any number of projects."""
    counted = defaultdict(set)
    child = {"person__kind": "child"}
    for project_id, person_id in ProjectPerson.objects.filter(
        project_id__in=project_ids, **child
    ).values_list("project_id", "person_id"):
        counted[project_id].add(person_id)
    for project_id, person_id in GroupMember.objects.filter(
        group__projects__in=project_ids, **child
    ).values_list("group__projects", "person_id"):
        counted[project_id].add(person_id)
    for project_id, person_id in EventParticipant.objects.filter(
        event__projects__in=project_ids, **child
    ).values_list("event__projects", "person_id"):
        counted[project_id].add(person_id)
    for project_id, person_id in Distribution.objects.filter(project_id__in=project_ids, **child).values_list(
        "project_id", "person_id"
    ):
        counted[project_id].add(person_id)
    for project_id, person_id in ProjectCase.objects.filter(
        project_id__in=project_ids, case__person__kind="child"
    ).values_list("project_id", "case__person_id"):
        counted[project_id].add(person_id)
    return counted


@dataclass
class Reach:
    """Children a project counts; ``shared``: how many of them another project counts too."""

    project: Project
    children: int
    shared: int


@dataclass
class ReachReport:
    rows: list
    distinct_children: int  # across the projects, each child once
    counted_children: int  # the sum of the projects' counts: a shared child counts in each


def project_reach(*, actor) -> ReachReport:
    """Children reached by each project the actor sees; a child counted by two projects is
    counted in both and reported as shared."""
    projects = list(project_list(actor=actor))
    counted = _children_of_projects([p.pk for p in projects])
    seen_in = defaultdict(int)
    for children in counted.values():
        for child_id in children:
            seen_in[child_id] += 1
    rows = [
        Reach(
            project=p,
            children=len(counted[p.pk]),
            shared=sum(1 for child_id in counted[p.pk] if seen_in[child_id] > 1),
        )
        for p in projects
    ]
    return ReachReport(rows, len(seen_in), sum(r.children for r in rows))


def _in(target: Target, field: str) -> Q:
    return Q(**{f"{field}__range": (target.starts_on, target.ends_on)})


def _achieved_all(project: Project, targets: list[tuple[Indicator, Target]]) -> dict:
    """{target id: the value reached in its period}, counted from the project's records, in a
    fixed number of queries whatever the number of targets: one conditional aggregate per
    counted source (a filtered count or sum per target), and for children reached the
    (child, day) pairs of the targets' whole span once, each target counting its own period."""
    by_source = defaultdict(list)
    for indicator, target in targets:
        by_source[indicator.source].append(target)
    achieved = {t.pk: t.achieved for t in by_source.pop(IndicatorSource.MANUAL, [])}

    def aggregate(queryset, targets, make):
        if not targets:
            return {}
        found = queryset.aggregate(**{f"t{t.pk}": make(t) for t in targets})
        return {t.pk: found[f"t{t.pk}"] or 0 for t in targets}

    sessions = by_source.pop(IndicatorSource.SESSIONS_HELD, [])
    achieved |= aggregate(
        Session.objects.filter(group__projects=project),
        sessions,
        lambda t: Count("pk", filter=_in(t, "held_on")),
    )
    items = by_source.pop(IndicatorSource.ITEMS_DISTRIBUTED, [])
    achieved |= aggregate(
        Distribution.objects.filter(project=project),
        items,
        lambda t: Sum("quantity", filter=_in(t, "given_on")),
    )
    events = by_source.pop(IndicatorSource.EVENT_PARTICIPANTS, [])
    registered = aggregate(
        EventParticipant.objects.filter(event__projects=project),
        events,
        lambda t: Count("pk", filter=_in(t, "event__held_on")),
    )
    crowd = aggregate(
        EventHeadcount.objects.filter(event__projects=project),
        events,
        lambda t: Sum("count", filter=_in(t, "event__held_on")),
    )
    achieved |= {t.pk: registered[t.pk] + crowd[t.pk] for t in events}
    reached = by_source.pop(IndicatorSource.CHILDREN_REACHED, [])
    achieved |= _children_reached(project, reached)
    for rest in by_source.values():  # a source added later and not counted yet
        achieved |= {t.pk: None for t in rest}
    return achieved


def _children_reached(project: Project, targets: list[Target]) -> dict:
    """Children present at a session, registered at an event or given an item in a target's
    period, or a direct beneficiary by its end: four queries for any number of targets."""
    if not targets:
        return {}
    start, end = min(t.starts_on for t in targets), max(t.ends_on for t in targets)
    child = {"person__kind": "child"}
    dated = [
        *Attendance.objects.filter(
            session__group__projects=project, session__held_on__range=(start, end), **child
        )
        .values_list("person_id", "session__held_on")
        .distinct(),
        *EventParticipant.objects.filter(event__projects=project, event__held_on__range=(start, end), **child)
        .values_list("person_id", "event__held_on")
        .distinct(),
        *Distribution.objects.filter(project=project, given_on__range=(start, end), **child)
        .values_list("person_id", "given_on")
        .distinct(),
    ]
    since = list(
        ProjectPerson.objects.filter(project=project, since__lte=end, **child).values_list(
            "person_id", "since"
        )
    )
    return {
        t.pk: len(
            {pk for pk, day in dated if t.starts_on <= day <= t.ends_on}
            | {pk for pk, day in since if day <= t.ends_on}
        )
        for t in targets
    }


@dataclass
class ProjectDetail:
    project: Project
    results: list
    progress: dict  # target id -> achieved
    counts: dict
    staff: list
    children: int
    shared: int
    stock: list


def project_detail(*, actor, project_id) -> ProjectDetail:
    project = project_get(actor=actor, project_id=project_id)
    results = list(
        Result.objects.filter(project=project).prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets"))
        )
    )
    progress = _achieved_all(
        project,
        [
            (indicator, target)
            for result in results
            for indicator in result.indicators.all()
            for target in indicator.targets.all()
        ],
    )
    counts = {
        "groups": project.groups.count(),
        "sessions": Session.objects.filter(group__projects=project).count(),
        "events": project.events.count(),
        "distributions": project.distributions.count(),
        "cases": ProjectCase.objects.filter(project=project).count(),
    }
    # Only the projects the reader may see: another's overlap would tell of projects hidden from them.
    counted = _children_of_projects(list(Project.objects.visible_to(actor).values_list("pk", flat=True)))
    mine = counted[project.pk]
    others = set().union(*(ids for pk, ids in counted.items() if pk != project.pk)) if counted else set()
    audit.record_access(
        actor=actor,
        action=ProgrammeAction.PROJECT_VIEWED,
        target_type="programmes.project",
        target_ids=[project.pk],
    )
    return ProjectDetail(
        project=project,
        results=results,
        progress=progress,
        counts=counts,
        staff=list(project.staff.select_related("user").order_by("user__username")),
        children=len(mine),
        shared=len(mine & others),
        stock=stock_levels(project=project),
    )


def stock_levels(*, project: Project) -> list[dict]:
    """What each store of the project holds, item by item."""
    return list(
        StockMovement.objects.filter(project=project)
        .values("place_id", "place__name_km", "item")
        .annotate(received=Sum("quantity", filter=Q(quantity__gt=0)), stock=Sum("quantity"))
        .order_by("place_id", "item")
    )


# --- groups and sessions -------------------------------------------------------------------


def group_kinds(*, actor) -> list[GroupKind]:
    return list(GroupKind.objects.filter(organisation_id=actor.organisation_id, is_active=True))


def group_list(*, actor, kind_id=None):
    groups = (
        Group.objects.visible_to(actor)
        .filter(is_active=True)
        .select_related("kind", "village")
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True))
        .order_by("name")
    )
    if _uuid(kind_id) is not None:
        groups = groups.filter(kind_id=_uuid(kind_id))
    return groups


def group_get(*, actor, group_id, capability: str = PROGRAMMES_VIEW) -> Group:
    return _get(
        Group.objects.actionable_by(actor, capability).select_related("kind", "village", "school"), group_id
    )


@dataclass
class MemberRow:
    member: GroupMember
    label: str


@dataclass
class SessionRow:
    session: Session
    present: int
    counted: int
    expected: int


@dataclass
class GroupDetail:
    group: Group
    members: list
    sessions: list
    attendance_rate: int | None  # percent of members present, over the sessions shown
    projects: list = field(default_factory=list)


def _members_on(members, day) -> int:
    return sum(1 for m in members if m.joined_on <= day and (m.left_on is None or m.left_on > day))


def group_detail(*, actor, group_id, sessions_shown: int = 20) -> GroupDetail:
    group = group_get(actor=actor, group_id=group_id)
    all_members = list(
        GroupMember.objects.filter(group=group).select_related("person").order_by("joined_on", "created_at")
    )
    current = [m for m in all_members if m.left_on is None]
    sessions = list(
        Session.objects.filter(group=group)
        .annotate(
            present=Count("attendance", distinct=True),
            counted=Sum("headcounts__count"),
        )
        .order_by("-held_on")[:sessions_shown]
    )
    rows = [SessionRow(s, s.present, s.counted or 0, _members_on(all_members, s.held_on)) for s in sessions]
    expected = sum(r.expected for r in rows)
    rate = round(100 * sum(r.present for r in rows) / expected) if expected else None
    members = [MemberRow(m, identity_label(actor, m.person)) for m in current]
    audit.record_access(
        actor=actor,
        action=ProgrammeAction.GROUP_VIEWED,
        target_type="programmes.group",
        target_ids=[group.pk],
    )
    _people_read(actor, ProgrammeAction.GROUP_VIEWED, [m.person for m in current])
    return GroupDetail(
        group, members, rows, rate, list(Project.objects.visible_to(actor).filter(groups=group))
    )


def session_get(*, actor, session_id, capability: str = PROGRAMMES_VIEW) -> Session:
    return _get(Session.objects.actionable_by(actor, capability).select_related("group__kind"), session_id)


@dataclass
class Sheet:
    group: Group
    day: dt.date
    session: Session | None
    rows: list  # (member, label, present)
    counted: dict  # (sex, age band) -> count

    @property
    def present(self) -> int:
        return sum(1 for _m, _label, present in self.rows if present)


def attendance_sheet(*, actor, group: Group, day: dt.date, session: Session | None = None) -> Sheet:
    """The members of the group on the day, those marked present, and the counts of the
    unregistered; one access event names the members shown."""
    members = list(
        GroupMember.objects.filter(group=group, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .select_related("person")
        .order_by("person__family_name_km", "person__given_name_km", "created_at")
    )
    present, counted = set(), {}
    if session is not None:
        present = set(Attendance.objects.filter(session=session).values_list("member_id", flat=True))
        counted = {
            (h.sex, h.age_band): h.count
            for h in SessionHeadcount.objects.filter(session=session, with_disability=False)
        }
    rows = [(m, identity_label(actor, m.person), m.pk in present) for m in members]
    _people_read(actor, ProgrammeAction.SESSION_VIEWED, [m.person for m in members])
    return Sheet(group, day, session, rows, counted)


def calendar(*, actor, starts_on: dt.date, ends_on: dt.date) -> list[tuple[dt.date, str, object]]:
    """The actor's sessions (of the groups they facilitate) and events (they organise) in the
    period, by day."""
    sessions = (
        Session.objects.visible_to(actor)
        .filter(held_on__range=(starts_on, ends_on), group__owner_id=actor.user_id)
        .select_related("group")
    )
    events = Event.objects.visible_to(actor).filter(
        held_on__range=(starts_on, ends_on), owner_id=actor.user_id
    )
    rows = [(s.held_on, "session", s) for s in sessions] + [(e.held_on, "event", e) for e in events]
    return sorted(rows, key=lambda row: (row[0], row[1]))


# --- events ----------------------------------------------------------------------------------


def event_list(*, actor):
    return (
        Event.objects.visible_to(actor)
        .select_related("village")
        .annotate(
            registered=Count("participants", distinct=True),
            crowd=Sum("headcounts__count"),
        )
        .order_by("-held_on")
    )


def event_get(*, actor, event_id, capability: str = PROGRAMMES_VIEW) -> Event:
    return _get(Event.objects.actionable_by(actor, capability).select_related("village"), event_id)


@dataclass
class EventDetail:
    event: Event
    participants: list  # (participant, label)
    headcounts: list
    crowd: int
    average_gain: float | None


def event_detail(*, actor, event_id) -> EventDetail:
    event = event_get(actor=actor, event_id=event_id)
    participants = list(event.participants.select_related("person", "user"))
    rows = [
        (p, identity_label(actor, p.person) if p.person_id else (p.user.full_name or p.user.username))
        for p in participants
    ]
    headcounts = list(event.headcounts.order_by("sex", "age_band", "with_disability"))
    gains = [
        p.post_score - p.pre_score
        for p in participants
        if p.pre_score is not None and p.post_score is not None
    ]
    audit.record_access(
        actor=actor,
        action=ProgrammeAction.EVENT_VIEWED,
        target_type="programmes.event",
        target_ids=[event.pk],
    )
    _people_read(actor, ProgrammeAction.EVENT_VIEWED, [p.person for p in participants if p.person_id])
    return EventDetail(
        event,
        rows,
        headcounts,
        sum(h.count for h in headcounts),
        round(sum(gains) / len(gains), 1) if gains else None,
    )


# --- monitoring ----------------------------------------------------------------------------


def visit_get(*, actor, visit_id, capability: str = PROGRAMMES_VIEW) -> MonitoringVisit:
    return _get(
        MonitoringVisit.objects.actionable_by(actor, capability).select_related("committee", "village"),
        visit_id,
    )


def visit_children(*, actor, visit: MonitoringVisit) -> list[tuple[ChildSeen, str]]:
    children = list(ChildSeen.objects.filter(visit=visit).select_related("person", "case"))
    cases = set(
        Case.objects.visible_to(actor)
        .filter(pk__in=[c.case_id for c in children if c.case_id])
        .values_list("pk", flat=True)
    )
    audit.record_access(
        actor=actor,
        action=ProgrammeAction.VISIT_VIEWED,
        target_type="programmes.monitoringvisit",
        target_ids=[visit.pk],
    )
    rows = []
    for child in children:
        child.case_visible = child.case_id in cases
        rows.append((child, identity_label(actor, child.person) if child.person_id else child.name))
    return rows


def child_seen_get(*, actor, seen_id, capability: str = PROGRAMMES_VIEW) -> ChildSeen:
    return _get(
        ChildSeen.objects.actionable_by(actor, capability).select_related(
            "visit__committee", "visit__village"
        ),
        seen_id,
    )


def child_seen_matches(*, actor, seen: ChildSeen, names: dict):
    """Registry records that may be the child seen (searched before registering anyone)."""
    visit = seen.visit
    birth = dt.date(visit.visited_on.year - seen.age, 7, 1) if seen.age is not None else None
    matches = person_matches(actor=actor, names=names, date_of_birth=birth, village_code=visit.village_id)
    _people_read(
        actor, ProgrammeAction.VISIT_VIEWED, [c.person for c in matches.candidates], query="child seen"
    )
    return matches


def committee_visits(*, actor, group: Group) -> list[MonitoringVisit]:
    return list(
        MonitoringVisit.objects.visible_to(actor)
        .filter(committee=group)
        .annotate(seen=Count("children"))
        .select_related("village")
        .order_by("-visited_on")[:LIST_LIMIT]
    )


# --- out-of-school children ----------------------------------------------------------------


def out_of_school_queryset(*, actor, status: str = "", overdue: bool = False):
    """Records in the actor's reach; ``overdue``: children back in school whose follow-up is
    due (not yet recorded as read)."""
    records = OutOfSchool.objects.visible_to(actor).select_related(
        "person", "group", "enrolment__school_class"
    )
    if status in OutOfSchoolStatus.values:
        records = records.filter(status=status)
    if overdue:
        records = records.filter(status=OutOfSchoolStatus.RETURNED, next_follow_up_on__lte=clock.today())
    return records.order_by("status", "next_follow_up_on", "-identified_on", "id")


def out_of_school_served(*, actor, records, query: str = "") -> None:
    """One access event naming the records a page showed, one naming their children."""
    audit.record_access(
        actor=actor,
        action=ProgrammeAction.OUT_OF_SCHOOL_LISTED,
        target_type="programmes.outofschool",
        target_ids=[r.pk for r in records],
        query=query,
    )
    _people_read(actor, ProgrammeAction.OUT_OF_SCHOOL_LISTED, [r.person for r in records])


def out_of_school_list(*, actor, status: str = "", overdue: bool = False) -> list[tuple[OutOfSchool, str]]:
    rows = list(out_of_school_queryset(actor=actor, status=status, overdue=overdue)[:LIST_LIMIT])
    out_of_school_served(actor=actor, records=rows, query=status + (" overdue" if overdue else ""))
    return [(r, identity_label(actor, r.person)) for r in rows]


def person_link_allowed(*, actor, person) -> bool:
    return can_see_identity(actor, person)


def out_of_school_get(*, actor, out_of_school_id, capability: str = PROGRAMMES_VIEW) -> OutOfSchool:
    return _get(
        OutOfSchool.objects.actionable_by(actor, capability).select_related("person"), out_of_school_id
    )


def follow_ups(*, record: OutOfSchool) -> list[SchoolingFollowUp]:
    return list(record.follow_ups.order_by("followed_on"))


def follow_ups_of(*, records) -> dict:
    """{record id: its follow-ups} in one query."""
    found = defaultdict(list)
    for follow_up in SchoolingFollowUp.objects.filter(record__in=records).order_by("followed_on"):
        found[follow_up.record_id].append(follow_up)
    return found


def out_of_school_read(*, actor, record: OutOfSchool) -> None:
    audit.record_access(
        actor=actor,
        action=ProgrammeAction.OUT_OF_SCHOOL_LISTED,
        target_type="programmes.outofschool",
        target_ids=[record.pk],
    )
    _people_read(actor, ProgrammeAction.OUT_OF_SCHOOL_LISTED, [record.person])


def record_read(*, actor, obj, action: str = ProgrammeAction.GROUP_VIEWED) -> None:
    """One access event naming the record a page or an answer is about."""
    audit.record_access(actor=actor, action=action, target_type=obj._meta.label_lower, target_ids=[obj.pk])
