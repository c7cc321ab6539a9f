"""REST endpoints of case management under /api/v1/cases.

Every operation authenticates (device token or verified session) and declares its capability;
every read starts from ``Case.objects.visible_to(actor)`` and writes one access event; a case
outside the caller's scope and a missing one give the same 404, and a sensitive case the caller
is not cleared for answers 403 (lists show only the child's initials).

Writes to the case itself (edit, workflow step, assignment, reunification) use optimistic
concurrency: ``GET /cases/{id}`` returns the version as an ETag, which the write sends back in
``If-Match`` (428 without it, 409 when someone else wrote since). Records added to a case
(notes, services, placements, assessments, plan items) do not conflict with each other.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from ninja import Query, Router, Status

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth
from ponleu.common import clock
from ponleu.common.errors import Conflict, DomainError, PermissionDenied
from ponleu.common.schemas import MAX_PAGE
from ponleu.registry.models import Person

from . import policies, selectors, workflow
from .choices import CaseAction
from .models import Action, Case, CaseNote, FollowUp, Goal, Placement, ServiceDelivery
from .schemas import (
    ActionIn,
    ActionPatchIn,
    AssessmentIn,
    AssignIn,
    CaseDetailOut,
    CaseOpenIn,
    CaseOut,
    CasePageOut,
    CasePatchIn,
    ErrorOut,
    FollowUpIn,
    GoalIn,
    LabourIn,
    NoteIn,
    NotePageOut,
    PlacementEndIn,
    PlacementIn,
    PlacementOut,
    PlacementPageOut,
    ReintegrationIn,
    SafetyPlanIn,
    ServiceIn,
    ServiceOut,
    ServicePageOut,
    TraffickingIn,
    TransitionIn,
)
from .services import care, contact, work
from .services import cases as case_services

router = Router(tags=["cases"])
NOT_FOUND = {"detail": "Not found", "errors": {}}
SENSITIVE = {
    "detail": "This case is sensitive: only its caseworker and supervisors can open it.",
    "errors": {},
}
READ_ERRORS = {403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 428: ErrorOut}


class Refused(Exception):
    def __init__(self, status: int, body: dict):
        self.status, self.body = status, body


def _errors(error: DomainError) -> dict:
    return {
        "detail": str(error.message),
        "errors": {name: [str(m) for m in messages] for name, messages in error.errors.items()},
    }


def _case(actor, case_id) -> Case:
    try:
        case = selectors.case_get(actor=actor, case_id=case_id)
    except (Case.DoesNotExist, ValidationError, ValueError):
        raise Refused(404, NOT_FOUND) from None
    if not policies.can_see_identity(actor, case):
        raise Refused(403, SENSITIVE)
    return case


def _if_match(request) -> str:
    version = (request.headers.get("If-Match") or "").strip().removeprefix("W/").strip('"')
    if not version:
        raise Refused(428, {"detail": "Send the version you read (the ETag) in If-Match.", "errors": {}})
    return version


def _run(call):
    """Run a write; map refusals to status codes. The service is atomic with its audit event."""
    try:
        return call()
    except Refused as refused:
        return Status(refused.status, refused.body)
    except PermissionDenied as error:
        return Status(403, _errors(error))
    except Conflict as error:
        return Status(409, _errors(error))
    except DomainError as error:
        return Status(422, _errors(error))


def case_out(actor, case: Case) -> dict:
    visible = policies.can_see_identity(actor, case)
    return {
        "id": case.pk,
        "short_id": case.short_id,
        "version": case.version,
        "case_type": case.case_type.code,
        "subtype": case.subtype,
        "status": case.status,
        "child_id": case.person_id,
        "child_name": policies.child_label(actor, case),
        "is_masked": not visible,
        "is_sensitive": case.is_sensitive,
        "owner_id": case.owner_id,
        "team_id": case.team_id,
        "identified_on": case.identified_on,
        "risk_level": case.risk_level,
        "urgent_deadline": case.urgent_deadline,
        "urgency_met_at": case.urgency_met_at,
        "next_visit_on": case.next_visit_on,
        "closed_on": case.closed_on,
    }


def case_detail_out(actor, case: Case) -> dict:
    selectors.case_bundle(case)
    today = clock.today()
    return {
        **case_out(actor, case),
        "source": case.source,
        "source_detail": case.source_detail,
        "summary": case.summary,
        "mosvy_number": case.mosvy_number,
        "primero_case_id": case.primero_case_id,
        "oscar_global_id": case.oscar_global_id,
        "reintegrated_on": case.reintegrated_on,
        "reintegrated_with": case.reintegrated_with,
        "closure_reason": case.closure_reason,
        "closure_note": case.closure_note,
        "next_steps": [
            t.event for t in workflow.events_from(case.status) if policies.can(actor, t.capability, case)
        ],
        "has_safety_plan": case.safety_plan_obj is not None,
        "approvals": [
            {
                "kind": a.kind,
                "status": a.status,
                "requested_by_id": a.requested_by_id,
                "requested_at": a.requested_at,
                "decided_by_id": a.decided_by_id,
                "decided_at": a.decided_at,
                "comment": a.comment,
            }
            for a in case.approval_list
        ],
        "goals": [
            {
                "id": g.pk,
                "domain": g.domain,
                "description": g.description,
                "status": g.status,
                "actions": [_action_out(a, today) for a in g.actions.all()],
            }
            for g in case.goal_list
        ],
        "assessments": [
            {
                "id": a.pk,
                "instrument": a.instrument.code,
                "assessed_on": a.assessed_on,
                "score": a.score,
                "result": a.result,
                "reasons": a.reasons,
                "answers": a.answers,
                "next_due_on": a.next_due_on,
            }
            for a in case.assessment_list
        ],
        "follow_ups": [
            {"id": f.pk, "months": f.months, "due_on": f.due_on, "done_on": f.done_on, "outcome": f.outcome}
            for f in case.follow_up_list
        ],
    }


def _action_out(action: Action, today) -> dict:
    return {
        "id": action.pk,
        "goal_id": action.goal_id,
        "description": action.description,
        "owner_id": action.owner_id,
        "due_on": action.due_on,
        "status": action.status,
        "done_on": action.done_on,
        "is_overdue": action.is_overdue(today),
    }


def _detail_response(actor, case_id, response: HttpResponse | None = None, status: int = 200):
    """A write answers with the case as it now is: that is a read too, and is recorded. A write
    that moved the case out of the caller's reach (a transfer) answers 204: nothing more to see."""
    with transaction.atomic():
        try:
            case = selectors.case_get(actor=actor, case_id=case_id)
        except Case.DoesNotExist:
            return Status(204, None)
        selectors.cases_served(actor=actor, cases=[case], action=CaseAction.VIEWED, query="api write")
        body = case_detail_out(actor, case)
    if response is not None:
        response["ETag"] = f'"{case.version}"'
    return Status(status, body)


# --- cases ---------------------------------------------------------------------------------------


@router.get("/cases", auth=api_auth, response=CasePageOut, summary="List cases")
@capability("cases.view")
def case_list(
    request,
    status: str = "",
    case_type: str = "",
    mine: bool = False,
    urgent: bool = False,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(25, ge=1, le=100),
):
    """Cases in the caller's scope, newest movement first; ``status=open`` for every open stage."""
    actor = request.actor
    filters = {"status": status, "case_type": case_type, "mine": mine, "urgent": urgent}
    start = (page - 1) * per_page
    with transaction.atomic():
        rows = list(selectors.case_list(actor=actor, filters=filters)[start : start + per_page + 1])
        items = rows[:per_page]
        selectors.cases_served(actor=actor, cases=items, query=f"api {request.GET.urlencode()}")
    return {
        "items": [case_out(actor, c) for c in items],
        "page": page,
        "per_page": per_page,
        "has_next": len(rows) > per_page,
    }


@router.post("/cases", auth=api_auth, response={201: CaseOut, **WRITE_ERRORS}, summary="Open a case")
@capability("cases.open")
def case_open(request, payload: CaseOpenIn):
    """Open a case for a child in the caller's reach (``cases.open``). Types: ``GET`` a case's
    ``case_type`` codes, e.g. ``child_protection``, ``trafficking``, ``child_labour``."""
    actor = request.actor

    def call():
        # The child must be one the caller may see (the service checks the rest: may open a
        # case for them, may see them in full).
        person = Person.objects.visible_to(actor).filter(pk=payload.child_id).first()
        if person is None:
            raise Refused(404, NOT_FOUND)
        with transaction.atomic():
            case = case_services.case_open(
                actor=actor,
                person=person,
                case_type_code=payload.case_type,
                subtype=payload.subtype,
                source=payload.source,
                source_detail=payload.source_detail,
                identified_on=payload.identified_on,
                summary=payload.summary,
                immediate_danger=payload.immediate_danger,
                owner_id=payload.owner_id,
            )
            # The answer names the child: a read, recorded with the write.
            selectors.cases_served(actor=actor, cases=[case], action=CaseAction.VIEWED, query="api open")
        return Status(201, case_out(actor, case))

    return _run(call)


@router.get(
    "/cases/{case_id}", auth=api_auth, response={200: CaseDetailOut, **READ_ERRORS}, summary="One case"
)
@capability("cases.view")
def case_get(request, response: HttpResponse, case_id: uuid.UUID):
    """The case with its plan, assessments, approvals and follow-ups; the ETag is its version."""
    actor = request.actor

    def call():
        with transaction.atomic():
            case = _case(actor, case_id)
            selectors.cases_served(actor=actor, cases=[case], action=CaseAction.VIEWED, query="api")
            body = case_detail_out(actor, case)
        response["ETag"] = f'"{case.version}"'
        return Status(200, body)

    return _run(call)


@router.patch(
    "/cases/{case_id}", auth=api_auth, response={200: CaseDetailOut, **WRITE_ERRORS}, summary="Edit a case"
)
@capability("cases.edit")
def case_patch(request, response: HttpResponse, case_id: uuid.UUID, payload: CasePatchIn):
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        version = _if_match(request)
        data = payload.dict(exclude_unset=True)
        case_services.case_update(actor=actor, case=case, expected_version=version, data=data)
        return _detail_response(actor, case_id, response)

    return _run(call)


@router.post(
    "/cases/{case_id}/transitions",
    auth=api_auth,
    response={200: CaseDetailOut, **WRITE_ERRORS},
    summary="Move the case along its workflow",
)
@capability("cases.view")
def case_transition(request, response: HttpResponse, case_id: uuid.UUID, payload: TransitionIn):
    """``event`` is one of the case's ``next_steps``; an illegal step answers 422 with the reason.
    Each step checks its own capability (edit, approve or close) on the case."""
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        version = _if_match(request)
        case_services.case_transition(
            actor=actor,
            case=case,
            event=payload.event,
            expected_version=version,
            reason=payload.reason,
            open_actions_reason=payload.open_actions_reason,
            closure_reason=payload.closure_reason,
        )
        return _detail_response(actor, case_id, response)

    return _run(call)


@router.post(
    "/cases/{case_id}/assignment",
    auth=api_auth,
    response={200: CaseDetailOut, 204: None, **WRITE_ERRORS},
    summary="Assign or transfer",
)
@capability("cases.assign")
def case_assign(request, response: HttpResponse, case_id: uuid.UUID, payload: AssignIn):
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        version = _if_match(request)
        case_services.case_assign(
            actor=actor,
            case=case,
            expected_version=version,
            owner_id=payload.owner_id,
            team_id=payload.team_id,
            reason=payload.reason,
        )
        return _detail_response(actor, case_id, response)

    return _run(call)


@router.put("/cases/{case_id}/safety-plan", auth=api_auth, response={200: CaseDetailOut, **WRITE_ERRORS})
@capability("cases.edit")
def safety_plan_put(request, case_id: uuid.UUID, payload: SafetyPlanIn):
    """Record or revise the safety plan; it meets a pending 24-hour deadline."""
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        case_services.safety_plan_save(actor=actor, case=case, data=payload.dict())
        return _detail_response(actor, case_id)

    return _run(call)


@router.put("/cases/{case_id}/trafficking", auth=api_auth, response={200: CaseDetailOut, **WRITE_ERRORS})
@capability("cases.edit")
def trafficking_put(request, case_id: uuid.UUID, payload: TraffickingIn):
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        case_services.trafficking_details_save(actor=actor, case=case, data=payload.dict())
        return _detail_response(actor, case_id)

    return _run(call)


@router.put("/cases/{case_id}/child-labour", auth=api_auth, response={200: CaseDetailOut, **WRITE_ERRORS})
@capability("cases.edit")
def labour_put(request, case_id: uuid.UUID, payload: LabourIn):
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        case_services.labour_details_save(actor=actor, case=case, data=payload.dict())
        return _detail_response(actor, case_id)

    return _run(call)


@router.post("/cases/{case_id}/assessments", auth=api_auth, response={201: CaseDetailOut, **WRITE_ERRORS})
@capability("cases.edit")
def assessment_create(request, case_id: uuid.UUID, payload: AssessmentIn):
    """``answers``: item code → true (checklists) or 1–4 (Child Status Index domains 1A…6B)."""
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        work.assessment_record(
            actor=actor,
            case=case,
            instrument_code=payload.instrument,
            assessed_on=payload.assessed_on,
            answers=payload.answers,
            note=payload.note,
        )
        return _detail_response(actor, case_id, status=201)

    return _run(call)


@router.post("/cases/{case_id}/goals", auth=api_auth, response={201: CaseDetailOut, **WRITE_ERRORS})
@capability("cases.edit")
def goal_create(request, case_id: uuid.UUID, payload: GoalIn):
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        work.goal_add(actor=actor, case=case, domain=payload.domain, description=payload.description)
        return _detail_response(actor, case_id, status=201)

    return _run(call)


@router.post("/cases/{case_id}/actions", auth=api_auth, response={201: CaseDetailOut, **WRITE_ERRORS})
@capability("cases.edit")
def action_create(request, case_id: uuid.UUID, payload: ActionIn):
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        goal = Goal.objects.filter(case=case, pk=payload.goal_id).first()
        if goal is None:
            raise Refused(422, {"detail": "Choose a goal of this case.", "errors": {"goal_id": ["unknown"]}})
        work.action_add(
            actor=actor,
            case=case,
            goal=goal,
            description=payload.description,
            due_on=payload.due_on,
            owner_id=payload.owner_id,
        )
        return _detail_response(actor, case_id, status=201)

    return _run(call)


@router.patch(
    "/cases/{case_id}/actions/{action_id}", auth=api_auth, response={200: CaseDetailOut, **WRITE_ERRORS}
)
@capability("cases.edit")
def action_patch(request, case_id: uuid.UUID, action_id: uuid.UUID, payload: ActionPatchIn):
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        action = Action.objects.filter(case=case, pk=action_id).select_related("case__case_type").first()
        if action is None:
            raise Refused(404, NOT_FOUND)
        work.action_update(actor=actor, action=action, status=payload.status, done_on=payload.done_on)
        return _detail_response(actor, case_id)

    return _run(call)


# --- notes, services, placements: paginated lists ----------------------------------------------


def _page(queryset, page: int, per_page: int):
    start = (page - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return rows[:per_page], len(rows) > per_page


def _served(actor, case, what: str, page: int):
    selectors.cases_served(
        actor=actor, cases=[case], action=CaseAction.VIEWED, query=f"api {what} page {page}"
    )


def note_out(note: CaseNote) -> dict:
    return {
        "id": note.pk,
        "interaction": note.interaction,
        "happened_on": note.happened_on,
        "place": note.place,
        "present": note.present,
        "observations": note.observations,
        "author_id": note.author_id,
        "goal_ids": [g.pk for g in note.goals.all()],
        "attachments": [a.name for a in note.attachments.all()],
    }


@router.get("/cases/{case_id}/notes", auth=api_auth, response={200: NotePageOut, **READ_ERRORS})
@capability("cases.view")
def note_list(
    request,
    case_id: uuid.UUID,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(25, ge=1, le=100),
):
    actor = request.actor

    def call():
        with transaction.atomic():
            case = _case(actor, case_id)
            items, has_next = _page(selectors.notes_of(case), page, per_page)
            _served(actor, case, "notes", page)
            body = {
                "items": [note_out(n) for n in items],
                "page": page,
                "per_page": per_page,
                "has_next": has_next,
            }
        return Status(200, body)

    return _run(call)


@router.post("/cases/{case_id}/notes", auth=api_auth, response={201: NotePageOut, **WRITE_ERRORS})
@capability("cases.edit")
def note_create(request, case_id: uuid.UUID, payload: NoteIn):
    """A case note or home visit (attachments are added from the web page)."""
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        note = contact.note_add(
            actor=actor,
            case=case,
            interaction=payload.interaction,
            happened_on=payload.happened_on,
            observations=payload.observations,
            place=payload.place,
            present=payload.present,
            goal_ids=[str(g) for g in payload.goal_ids],
        )
        note = selectors.notes_of(case).get(pk=note.pk)
        return Status(201, {"items": [note_out(note)], "page": 1, "per_page": 1, "has_next": False})

    return _run(call)


def service_out(service: ServiceDelivery) -> dict:
    return {
        "id": service.pk,
        "service_type": service.service_type,
        "provider": service.provider,
        "delivered_on": service.delivered_on,
        "cost": service.cost,
        "currency": service.currency,
        "outcome": service.outcome,
        "goal_id": service.goal_id,
    }


@router.get("/cases/{case_id}/services", auth=api_auth, response={200: ServicePageOut, **READ_ERRORS})
@capability("cases.view")
def service_list(
    request,
    case_id: uuid.UUID,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(25, ge=1, le=100),
):
    actor = request.actor

    def call():
        with transaction.atomic():
            case = _case(actor, case_id)
            items, has_next = _page(
                ServiceDelivery.objects.filter(case=case).order_by("-delivered_on", "-created_at"),
                page,
                per_page,
            )
            _served(actor, case, "services", page)
        return Status(
            200,
            {
                "items": [service_out(s) for s in items],
                "page": page,
                "per_page": per_page,
                "has_next": has_next,
            },
        )

    return _run(call)


@router.post("/cases/{case_id}/services", auth=api_auth, response={201: ServiceOut, **WRITE_ERRORS})
@capability("cases.edit")
def service_create(request, case_id: uuid.UUID, payload: ServiceIn):
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        service = work.service_record(actor=actor, case=case, **payload.dict())
        return Status(201, service_out(service))

    return _run(call)


def placement_out(placement: Placement, warning: str = "") -> dict:
    return {
        "id": placement.pk,
        "placement_type": placement.placement_type,
        "carer": placement.carer,
        "carer_relationship": placement.carer_relationship,
        "place": placement.place,
        "started_on": placement.started_on,
        "ended_on": placement.ended_on,
        "end_reason": placement.end_reason,
        "siblings_apart": placement.siblings_apart,
        "warning": warning,
    }


@router.get("/cases/{case_id}/placements", auth=api_auth, response={200: PlacementPageOut, **READ_ERRORS})
@capability("cases.view")
def placement_list(
    request,
    case_id: uuid.UUID,
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(25, ge=1, le=100),
):
    actor = request.actor

    def call():
        with transaction.atomic():
            case = _case(actor, case_id)
            items, has_next = _page(
                Placement.objects.filter(case=case).order_by("-started_on", "-created_at"), page, per_page
            )
            _served(actor, case, "placements", page)
        return Status(
            200,
            {
                "items": [placement_out(p) for p in items],
                "page": page,
                "per_page": per_page,
                "has_next": has_next,
            },
        )

    return _run(call)


@router.post("/cases/{case_id}/placements", auth=api_auth, response={201: PlacementOut, **WRITE_ERRORS})
@capability("cases.edit")
def placement_create(request, case_id: uuid.UUID, payload: PlacementIn):
    """A placement that overlaps another of the same child is refused (422); one that leaves
    siblings apart is saved with ``siblings_apart`` and a ``warning``."""
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        placement, warning = care.placement_start(actor=actor, case=case, **payload.dict())
        return Status(201, placement_out(placement, warning))

    return _run(call)


@router.post(
    "/cases/{case_id}/placements/{placement_id}/end",
    auth=api_auth,
    response={200: PlacementOut, **WRITE_ERRORS},
)
@capability("cases.edit")
def placement_end(request, case_id: uuid.UUID, placement_id: uuid.UUID, payload: PlacementEndIn):
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        placement = Placement.objects.filter(case=case, pk=placement_id).first()
        if placement is None:
            raise Refused(404, NOT_FOUND)
        placement.case = case
        care.placement_end(
            actor=actor, placement=placement, ended_on=payload.ended_on, end_reason=payload.end_reason
        )
        return Status(200, placement_out(placement))

    return _run(call)


@router.post("/cases/{case_id}/reintegration", auth=api_auth, response={200: CaseDetailOut, **WRITE_ERRORS})
@capability("cases.edit")
def reintegration(request, response: HttpResponse, case_id: uuid.UUID, payload: ReintegrationIn):
    """The child returns to the family (needs a 'ready' readiness assessment; If-Match)."""
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        version = _if_match(request)
        care.case_reintegrate(
            actor=actor,
            case=case,
            expected_version=version,
            reunified_on=payload.reunified_on,
            reunified_with=payload.reunified_with,
        )
        return _detail_response(actor, case_id, response)

    return _run(call)


@router.patch(
    "/cases/{case_id}/follow-ups/{follow_up_id}", auth=api_auth, response={200: CaseDetailOut, **WRITE_ERRORS}
)
@capability("cases.edit")
def follow_up_record(request, case_id: uuid.UUID, follow_up_id: uuid.UUID, payload: FollowUpIn):
    actor = request.actor

    def call():
        case = _case(actor, case_id)
        follow_up = FollowUp.objects.filter(case=case, pk=follow_up_id).first()
        if follow_up is None:
            raise Refused(404, NOT_FOUND)
        follow_up.case = case
        care.follow_up_record(actor=actor, follow_up=follow_up, **payload.dict())
        return _detail_response(actor, case_id)

    return _run(call)
