"""REST endpoints of programme work under /api/v1/programmes/.

Every id a request carries is looked up through ``visible_to``/``actionable_by``: out of reach,
missing and malformed give the same 404. People are named as the identity policy allows (their
initials otherwise). Writes to a session, an event or an out-of-school record send the version
they read in ``If-Match``; the answer carries the record as it now is.
"""

import uuid

from django.db import transaction
from django.http import HttpResponse
from ninja import Router, Status

from ponleu.access.endpoints import capability
from ponleu.access.policies import can_see_identity, identity_label
from ponleu.accounts.api_auth import api_auth
from ponleu.cases.models import Case
from ponleu.common.errors import ValidationFailed
from ponleu.common.etags import if_match, tag
from ponleu.common.schemas import refusals
from ponleu.education.models import SchoolClass
from ponleu.registry.models import Person

from . import selectors
from .choices import ProgrammeAction
from .models import Attendance, Event, Group, OutOfSchool, Project
from .schemas import (
    AttendanceIn,
    CaseOpenedOut,
    DistributionIn,
    DistributionOut,
    EventIn,
    EventOut,
    EventSummaryOut,
    GroupDetailOut,
    GroupOut,
    MemberIn,
    OutOfSchoolIn,
    OutOfSchoolOut,
    ProjectDetailOut,
    ProjectIn,
    ProjectOut,
    ReturnIn,
    SchoolingFollowUpIn,
    SeenCaseIn,
    SessionIn,
    SessionOut,
    StockIn,
    TagIn,
    WorkplaceVisitIn,
    WorkplaceVisitOut,
)
from .services import distributions, events, monitoring, out_of_school
from .services import groups as group_services
from .services import projects as project_services

router = Router(tags=["programmes"])
VIEW = "programmes.view"
RECORD = "programmes.record"
MANAGE = "programmes.manage"
VERSIONED = refusals(409, 428)


def _seen_id(actor, person):
    """A person's id, for those who may see who they are (null otherwise)."""
    return person.pk if can_see_identity(actor, person) else None


def _headcounts(rows) -> list[dict]:
    return [
        {"sex": h.sex, "age_band": h.age_band, "with_disability": h.with_disability, "count": h.count}
        for h in rows
    ]


# --- projects --------------------------------------------------------------------------------


def _project_out(project: Project, children: int, shared: int) -> dict:
    return {
        "id": project.pk,
        "version": project.version,
        "code": project.code,
        "name": project.name,
        "programme": project.programme,
        "grant_reference": project.grant_reference,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "donors": sorted(d.name for d in project.donors.all()),
        "area_codes": sorted(a.code for a in project.areas.all()),
        "partners": project.partners,
        "children": children,
        "children_also_counted_by_another_project": shared,
    }


@router.get("/projects", auth=api_auth, response=list[ProjectOut], summary="Projects the caller works on")
@capability(VIEW)
def project_list(request):
    """Each project with the children it counts; a child counted by two projects is counted by
    both, and ``children_also_counted_by_another_project`` says how many are."""
    report = selectors.project_reach(actor=request.actor)
    return [_project_out(row.project, row.children, row.shared) for row in report.rows]


def _project_detail(actor, project_id, response, status=200):
    with transaction.atomic():
        detail = selectors.project_detail(actor=actor, project_id=project_id)
    project = detail.project
    tag(response, project.version)
    results = [
        {
            "code": result.code,
            "level": result.level,
            "statement": result.statement,
            "parent_code": next((r.code for r in detail.results if r.pk == result.parent_id), None),
            "indicators": [
                {
                    "code": indicator.code,
                    "statement": indicator.statement,
                    "source": indicator.source,
                    "targets": [
                        {
                            "period": t.period,
                            "starts_on": t.starts_on,
                            "ends_on": t.ends_on,
                            "target": t.value,
                            "achieved": detail.progress.get(t.pk),
                        }
                        for t in indicator.targets.all()
                    ],
                }
                for indicator in result.indicators.all()
            ],
        }
        for result in detail.results
    ]
    body = {
        **_project_out(project, detail.children, detail.shared),
        **detail.counts,
        "results": results,
        "stock": [
            {
                "place_code": row["place_id"],
                "item": row["item"],
                "received": row["received"] or 0,
                "stock": row["stock"],
            }
            for row in detail.stock
        ],
    }
    return Status(status, body)


@router.post("/projects", auth=api_auth, response={201: ProjectDetailOut}, summary="Create a project")
@capability(MANAGE)
def project_create(request, response: HttpResponse, payload: ProjectIn):
    project = project_services.project_create(actor=request.actor, **payload.dict())
    return _project_detail(request.actor, project.pk, response, 201)


@router.get("/projects/{project_id}", auth=api_auth, response=ProjectDetailOut, summary="One project")
@capability(VIEW)
def project_get(request, response: HttpResponse, project_id: uuid.UUID):
    """The project, its log-frame with each target and what was achieved in its period (counted
    from the records tagged to the project, or as entered), its activities and its stock."""
    return _project_detail(request.actor, project_id, response)


@router.post(
    "/projects/{project_id}/tags",
    auth=api_auth,
    response=ProjectDetailOut,
    summary="Count a record in a project",
)
@capability(RECORD)
def project_tag(request, response: HttpResponse, project_id: uuid.UUID, payload: TagIn):
    actor = request.actor
    project = selectors.project_get(actor=actor, project_id=project_id, capability=RECORD)
    named = [(k, v) for k, v in payload.dict().items() if k.endswith("_id") and v]
    if len(named) != 1:
        raise ValidationFailed(errors={"record": ["Name exactly one record."]})
    field, pk = named[0]
    model = {"person_id": Person, "group_id": Group, "event_id": Event, "case_id": Case}[field]
    record = model.objects.visible_to(actor).get(pk=pk)
    project_services.project_tag(actor=actor, project=project, record=record, since=payload.since)
    return _project_detail(actor, project_id, response)


@router.post(
    "/projects/{project_id}/stock", auth=api_auth, response=ProjectDetailOut, summary="Receive stock"
)
@capability(MANAGE)
def stock_receive(request, response: HttpResponse, project_id: uuid.UUID, payload: StockIn):
    project = selectors.project_get(actor=request.actor, project_id=project_id, capability=MANAGE)
    distributions.stock_receive(actor=request.actor, project=project, **payload.dict())
    return _project_detail(request.actor, project_id, response)


@router.post(
    "/projects/{project_id}/distributions",
    auth=api_auth,
    response={201: DistributionOut},
    summary="Give items from the project's stock",
)
@capability(RECORD)
def distribution_create(request, project_id: uuid.UUID, payload: DistributionIn):
    """Refused (422, ``errors.quantity``) beyond the store's stock; ``warnings`` says when the
    child received the same item within the last 180 days."""
    project = selectors.project_get(actor=request.actor, project_id=project_id, capability=RECORD)
    given = distributions.distribution_record(actor=request.actor, project=project, **payload.dict())
    item = given.distribution
    left = distributions.stock_of(project, payload.place_code, item.item)
    return Status(
        201,
        {
            "id": item.pk,
            "item": item.item,
            "quantity": item.quantity,
            "given_on": item.given_on,
            "stock_left": left,
            "warnings": [str(w) for w in given.warnings],
        },
    )


# --- groups and sessions -------------------------------------------------------------------


def _group_out(group: Group, members: int) -> dict:
    return {
        "id": group.pk,
        "name": group.name,
        "kind": group.kind.base,
        "kind_name": group.kind.name_km,
        "village_code": group.village_id,
        "schedule": group.schedule,
        "starts_on": group.starts_on,
        "members": members,
    }


@router.get("/groups", auth=api_auth, response=list[GroupOut], summary="Groups in the caller's reach")
@capability(VIEW)
def group_list(request):
    groups = selectors.group_list(actor=request.actor)[: selectors.LIST_LIMIT]
    return [_group_out(g, g.member_count) for g in groups]


def _group_detail(actor, group_id, status=200):
    with transaction.atomic():
        detail = selectors.group_detail(actor=actor, group_id=group_id)
    group = detail.group
    return Status(
        status,
        {
            **_group_out(group, len(detail.members)),
            "version": group.version,
            "attendance_rate": detail.attendance_rate,
            "project_ids": [p.pk for p in detail.projects],
            "member_list": [
                {
                    "id": row.member.pk,
                    "person_id": _seen_id(actor, row.member.person),
                    "name": row.label,
                    "role": row.member.role,
                    "joined_on": row.member.joined_on,
                    "left_on": row.member.left_on,
                }
                for row in detail.members
            ],
            "sessions": [
                {
                    "id": r.session.pk,
                    "held_on": r.session.held_on,
                    "topic": r.session.topic,
                    "present": r.present,
                    "counted": r.counted,
                    "expected": r.expected,
                }
                for r in detail.sessions
            ],
        },
    )


@router.get("/groups/{group_id}", auth=api_auth, response=GroupDetailOut, summary="One group")
@capability(VIEW)
def group_get(request, group_id: uuid.UUID):
    """The group, its current members, its last sessions and its attendance rate over them."""
    return _group_detail(request.actor, group_id)


@router.post(
    "/groups/{group_id}/members", auth=api_auth, response={201: GroupDetailOut}, summary="Add a member"
)
@capability(RECORD)
def member_add(request, group_id: uuid.UUID, payload: MemberIn):
    """Someone already a member is refused (422)."""
    group = selectors.group_get(actor=request.actor, group_id=group_id, capability=RECORD)
    group_services.member_add(actor=request.actor, group=group, **payload.dict())
    return _group_detail(request.actor, group_id, 201)


def _session_out(actor, session_id, response, status=200):
    with transaction.atomic():
        session = selectors.session_get(actor=actor, session_id=session_id)
        selectors.record_read(actor=actor, obj=session, action=ProgrammeAction.SESSION_VIEWED)
        present = list(Attendance.objects.filter(session=session).values_list("member_id", flat=True))
        counted = _headcounts(session.headcounts.all())
    tag(response, session.version)
    return Status(
        status,
        {
            "id": session.pk,
            "version": session.version,
            "group_id": session.group_id,
            "held_on": session.held_on,
            "topic": session.topic,
            "present": present,
            "counted": counted,
        },
    )


@router.post(
    "/groups/{group_id}/sessions", auth=api_auth, response={201: SessionOut}, summary="Record a session"
)
@capability(RECORD)
def session_create(request, response: HttpResponse, group_id: uuid.UUID, payload: SessionIn):
    """The same session (group, day and topic) twice, a member present twice or someone not a
    member on the day are refused (422)."""
    group = selectors.group_get(actor=request.actor, group_id=group_id, capability=RECORD)
    data = payload.dict()
    session = group_services.session_record(
        actor=request.actor,
        group=group,
        held_on=data["held_on"],
        topic=data["topic"],
        present_ids=data["present"],
        counted=data["counted"],
    )
    return _session_out(request.actor, session.pk, response, 201)


@router.get("/sessions/{session_id}", auth=api_auth, response=SessionOut, summary="One session")
@capability(VIEW)
def session_get(request, response: HttpResponse, session_id: uuid.UUID):
    return _session_out(request.actor, session_id, response)


@router.put(
    "/sessions/{session_id}/attendance",
    auth=api_auth,
    response={200: SessionOut, **VERSIONED},
    summary="Take a session's attendance again",
)
@capability(RECORD)
def attendance_put(request, response: HttpResponse, session_id: uuid.UUID, payload: AttendanceIn):
    session = selectors.session_get(actor=request.actor, session_id=session_id, capability=RECORD)
    data = payload.dict()
    group_services.attendance_save(
        actor=request.actor,
        session=session,
        present_ids=data["present"],
        counted=data["counted"],
        version=if_match(request),
    )
    return _session_out(request.actor, session_id, response)


# --- events ----------------------------------------------------------------------------------


@router.get("/events", auth=api_auth, response=list[EventSummaryOut], summary="Trainings and events")
@capability(VIEW)
def event_list(request):
    return [
        {
            "id": e.pk,
            "kind": e.kind,
            "topic": e.topic,
            "title": e.title,
            "held_on": e.held_on,
            "village_code": e.village_id,
            "registered": e.registered,
            "counted": e.crowd or 0,
        }
        for e in selectors.event_list(actor=request.actor)[: selectors.LIST_LIMIT]
    ]


def _event_out(actor, event_id, response, status=200):
    with transaction.atomic():
        detail = selectors.event_detail(actor=actor, event_id=event_id)
    event = detail.event
    tag(response, event.version)
    return Status(
        status,
        {
            "id": event.pk,
            "version": event.version,
            "kind": event.kind,
            "topic": event.topic,
            "title": event.title,
            "audience": event.audience,
            "held_on": event.held_on,
            "village_code": event.village_id,
            "has_tests": event.has_tests,
            "participants": [
                {
                    "person_id": _seen_id(actor, p.person) if p.person_id else None,
                    "user_id": p.user_id,
                    "name": label,
                    "pre_score": p.pre_score,
                    "post_score": p.post_score,
                }
                for p, label in detail.participants
            ],
            "counted": _headcounts(detail.headcounts),
            "project_ids": list(
                Project.objects.visible_to(actor).filter(events=event).values_list("pk", flat=True)
            ),
        },
    )


@router.post("/events", auth=api_auth, response={201: EventOut}, summary="Record a training or event")
@capability(RECORD)
def event_create(request, response: HttpResponse, payload: EventIn):
    """Participants registered (people in the registry or staff, with their test scores) or
    counted by sex, age band and disability."""
    data = payload.dict()
    event = events.event_record(actor=request.actor, **data)
    return _event_out(request.actor, event.pk, response, 201)


@router.get("/events/{event_id}", auth=api_auth, response=EventOut, summary="One training or event")
@capability(VIEW)
def event_get(request, response: HttpResponse, event_id: uuid.UUID):
    return _event_out(request.actor, event_id, response)


# --- monitoring ----------------------------------------------------------------------------


def _visit_out(actor, visit_id, status=200):
    with transaction.atomic():
        visit = selectors.visit_get(actor=actor, visit_id=visit_id)
        children = selectors.visit_children(actor=actor, visit=visit)
    return Status(
        status,
        {
            "id": visit.pk,
            "committee_id": visit.committee_id,
            "visited_on": visit.visited_on,
            "workplace": visit.workplace,
            "workplace_name": visit.workplace_name,
            "village_code": visit.village_id,
            "note": visit.note,
            "children": [
                {
                    "id": seen.pk,
                    "name": label,
                    "sex": seen.sex,
                    "age": seen.age,
                    "work": seen.work,
                    "person_id": _seen_id(actor, seen.person) if seen.person_id else None,
                    "case_id": seen.case_id if seen.case_visible else None,
                }
                for seen, label in children
            ],
        },
    )


@router.post(
    "/groups/{group_id}/visits",
    auth=api_auth,
    response={201: WorkplaceVisitOut},
    summary="Record a committee's workplace visit",
)
@capability(RECORD)
def visit_create(request, group_id: uuid.UUID, payload: WorkplaceVisitIn):
    group = selectors.group_get(actor=request.actor, group_id=group_id, capability=RECORD)
    visit = monitoring.visit_record(actor=request.actor, committee=group, **payload.dict())
    return _visit_out(request.actor, visit.pk, 201)


@router.get("/visits/{visit_id}", auth=api_auth, response=WorkplaceVisitOut, summary="One workplace visit")
@capability(VIEW)
def visit_get(request, visit_id: uuid.UUID):
    return _visit_out(request.actor, visit_id)


@router.post(
    "/children-seen/{seen_id}/case",
    auth=api_auth,
    response={201: CaseOpenedOut},
    summary="Open a child-labour case for a child seen at work",
)
@capability(RECORD)
def child_seen_case(request, seen_id: uuid.UUID, payload: SeenCaseIn):
    """Search the registry first (``GET /people?q=``): name the child found, or register them."""
    seen = selectors.child_seen_get(actor=request.actor, seen_id=seen_id, capability=RECORD)
    case = monitoring.child_seen_open_case(actor=request.actor, seen=seen, **payload.dict())
    return Status(201, {"case_id": case.pk, "person_id": case.person_id})


# --- out-of-school -------------------------------------------------------------------------


def _record_out(actor, out_of_school_id, response, status=200):
    with transaction.atomic():
        record = selectors.out_of_school_get(actor=actor, out_of_school_id=out_of_school_id)
        follow_ups = selectors.follow_ups(record=record)
        selectors.out_of_school_read(actor=actor, record=record)
    tag(response, record.version)
    return Status(status, _record_body(actor, record, follow_ups))


def _record_body(actor, record: OutOfSchool, follow_ups) -> dict:
    return {
        "id": record.pk,
        "version": record.version,
        "person_id": _seen_id(actor, record.person),
        "name": identity_label(actor, record.person),
        "identified_on": record.identified_on,
        "found_by": record.found_by,
        "reason": record.reason,
        "plan": record.plan,
        "status": record.status,
        "returned_on": record.returned_on,
        "enrolment_id": record.enrolment_id,
        "group_id": record.group_id,
        "next_follow_up_on": record.next_follow_up_on,
        "follow_ups": [
            {"followed_on": f.followed_on, "in_school": f.in_school, "grade": f.grade, "note": f.note}
            for f in follow_ups
        ],
    }


@router.get("/out-of-school", auth=api_auth, response=list[OutOfSchoolOut], summary="Out-of-school children")
@capability(VIEW)
def out_of_school_list(request, status: str = ""):
    """``status``: ``out``, ``returned`` or ``left_again``; all without it."""
    with transaction.atomic():
        rows = selectors.out_of_school_list(actor=request.actor, status=status)
        follow_ups = selectors.follow_ups_of(records=[r for r, _label in rows])
    return [_record_body(request.actor, r, follow_ups.get(r.pk, [])) for r, _label in rows]


@router.post(
    "/out-of-school", auth=api_auth, response={201: OutOfSchoolOut}, summary="Record an out-of-school child"
)
@capability(RECORD)
def out_of_school_create(request, response: HttpResponse, payload: OutOfSchoolIn):
    record = out_of_school.out_of_school_record(actor=request.actor, **payload.dict())
    return _record_out(request.actor, record.pk, response, 201)


@router.get(
    "/out-of-school/{out_of_school_id}",
    auth=api_auth,
    response=OutOfSchoolOut,
    summary="One out-of-school child",
)
@capability(VIEW)
def out_of_school_get(request, response: HttpResponse, out_of_school_id: uuid.UUID):
    return _record_out(request.actor, out_of_school_id, response)


@router.post(
    "/out-of-school/{out_of_school_id}/return",
    auth=api_auth,
    response={200: OutOfSchoolOut, **VERSIONED},
    summary="The child is back in school",
)
@capability(RECORD)
def out_of_school_return(request, response: HttpResponse, out_of_school_id: uuid.UUID, payload: ReturnIn):
    """Enrolled in ``class_id`` through the schools (which needs ``education.manage``), or
    joined to the non-formal class ``group_id``."""
    actor = request.actor
    record = selectors.out_of_school_get(actor=actor, out_of_school_id=out_of_school_id, capability=RECORD)
    school_class = (
        SchoolClass.objects.actionable_by(actor, "education.manage").get(pk=payload.class_id)
        if payload.class_id
        else None
    )
    group = (
        selectors.group_get(actor=actor, group_id=payload.group_id, capability=RECORD)
        if payload.group_id
        else None
    )
    out_of_school.out_of_school_return(
        actor=actor,
        record=record,
        returned_on=payload.returned_on,
        version=if_match(request),
        school_class=school_class,
        group=group,
    )
    return _record_out(actor, out_of_school_id, response)


@router.post(
    "/out-of-school/{out_of_school_id}/follow-ups",
    auth=api_auth,
    response={201: OutOfSchoolOut, **VERSIONED},
    summary="Follow up a child's schooling",
)
@capability(RECORD)
def out_of_school_follow_up(
    request, response: HttpResponse, out_of_school_id: uuid.UUID, payload: SchoolingFollowUpIn
):
    record = selectors.out_of_school_get(
        actor=request.actor, out_of_school_id=out_of_school_id, capability=RECORD
    )
    out_of_school.out_of_school_follow_up(
        actor=request.actor, record=record, version=if_match(request), **payload.dict()
    )
    return _record_out(request.actor, out_of_school_id, response, 201)
