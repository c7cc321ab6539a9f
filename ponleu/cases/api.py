"""REST endpoints of case management under /api/v1/cases.

Every operation authenticates (device token or verified session) and declares its capability;
every read starts from ``Case.objects.visible_to(actor)`` and writes one access event; a case
outside the caller's scope and a missing one give the same 404, and a sensitive case the caller
is not cleared for answers 403 (lists show only the child's initials).

Writes to the case itself (edit, workflow step, assignment, reunification) use optimistic
concurrency: ``GET /cases/{id}`` returns the version as an ETag, which the write sends back in
``If-Match`` (428 without it, 409 when someone else wrote since). Records added to a case
(notes, services, placements, assessments, plan items) do not conflict with each other.

An operation looks up through the scope, calls the service and returns the record; what it
raises is answered by the API's handlers (``ponleu/api/errors.py``) with the one error body.
"""

import uuid

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.etags import if_match, tag
from ponleu.common.pagination import PageIn, paginate
from ponleu.common.schemas import refusals
from ponleu.registry.models import Person

from . import policies, selectors
from .choices import CaseAction
from .models import Action, Case, FollowUp, Goal, Placement, ServiceDelivery
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
    FollowUpIn,
    GoalIn,
    LabourIn,
    NoteIn,
    NoteOut,
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
# Writes to the case itself carry its version; records added to it do not.
VERSIONED = refusals(409, 428)


def _case(actor, case_id) -> Case:
    """The case through the caller's scope (404 outside it), cleared for its identity (403)."""
    case = selectors.case_get(actor=actor, case_id=case_id)
    if not policies.can_see_identity(actor, case):
        raise PermissionDenied(_("This case is sensitive: only its caseworker and supervisors can open it."))
    return case


def _served(actor, case, query: str) -> None:
    selectors.cases_served(actor=actor, cases=[case], action=CaseAction.VIEWED, query=query)


def _detail(actor, case_id, response: HttpResponse | None = None, status: int = 200):
    """A write answers with the case as it now is: that is a read too, and is recorded. A write
    that moved the case out of the caller's reach (a transfer) answers 204: nothing more to see."""
    with transaction.atomic():
        try:
            case = selectors.case_get(actor=actor, case_id=case_id)
        except Case.DoesNotExist:
            return Status(204, None)
        _served(actor, case, "api write")
        selectors.case_bundle(case)
    if response is not None:
        tag(response, case.version)
    return Status(status, case)


# --- cases ---------------------------------------------------------------------------------------


@router.get("/cases", auth=api_auth, response=CasePageOut, summary="List cases")
@capability("cases.view")
def case_list(
    request,
    pages: Query[PageIn],
    status: str = "",
    case_type: str = "",
    mine: bool = False,
    urgent: bool = False,
):
    """Cases in the caller's scope, newest movement first; ``status=open`` for every open stage."""
    actor = request.actor
    filters = {"status": status, "case_type": case_type, "mine": mine, "urgent": urgent}
    page = paginate(selectors.case_list(actor=actor, filters=filters), pages.page, pages.per_page)
    selectors.cases_served(actor=actor, cases=page.items, query=f"api {request.GET.urlencode()}")
    return page


@router.post("/cases", auth=api_auth, response={201: CaseOut}, summary="Open a case")
@capability("cases.open")
def case_open(request, payload: CaseOpenIn):
    """Open a case for a child in the caller's reach (``cases.open``). Types: ``GET`` a case's
    ``case_type`` codes, e.g. ``child_protection``, ``trafficking``, ``child_labour``."""
    actor = request.actor
    # The child must be one the caller may see (the service checks the rest: may open a case
    # for them, may see them in full).
    data = payload.dict()
    person = Person.objects.visible_to(actor).get(pk=data.pop("child_id"))
    with transaction.atomic():
        case = case_services.case_open(
            actor=actor, person=person, case_type_code=data.pop("case_type"), **data
        )
        # The answer names the child: a read, recorded with the write.
        _served(actor, case, "api open")
    return Status(201, case)


@router.get("/cases/{case_id}", auth=api_auth, response=CaseDetailOut, summary="One case")
@capability("cases.view")
def case_get(request, response: HttpResponse, case_id: uuid.UUID):
    """The case with its plan, assessments, approvals and follow-ups; the ETag is its version."""
    actor = request.actor
    with transaction.atomic():
        case = _case(actor, case_id)
        _served(actor, case, "api")
        selectors.case_bundle(case)
    tag(response, case.version)
    return case


@router.patch(
    "/cases/{case_id}", auth=api_auth, response={200: CaseDetailOut, **VERSIONED}, summary="Edit a case"
)
@capability("cases.edit")
def case_patch(request, response: HttpResponse, case_id: uuid.UUID, payload: CasePatchIn):
    case = _case(request.actor, case_id)
    case_services.case_update(
        actor=request.actor,
        case=case,
        expected_version=if_match(request),
        data=payload.dict(exclude_unset=True),
    )
    return _detail(request.actor, case_id, response)


@router.post(
    "/cases/{case_id}/transitions",
    auth=api_auth,
    response={200: CaseDetailOut, **VERSIONED},
    summary="Move the case along its workflow",
)
@capability("cases.view")
def case_transition(request, response: HttpResponse, case_id: uuid.UUID, payload: TransitionIn):
    """``event`` is one of the case's ``next_steps``; an illegal step answers 422 with the reason.
    Each step checks its own capability (edit, approve or close) on the case."""
    case = _case(request.actor, case_id)
    case_services.case_transition(
        actor=request.actor, case=case, expected_version=if_match(request), **payload.dict()
    )
    return _detail(request.actor, case_id, response)


@router.post(
    "/cases/{case_id}/assignment",
    auth=api_auth,
    response={200: CaseDetailOut, 204: None, **VERSIONED},
    summary="Assign or transfer",
)
@capability("cases.assign")
def case_assign(request, response: HttpResponse, case_id: uuid.UUID, payload: AssignIn):
    case = _case(request.actor, case_id)
    case_services.case_assign(
        actor=request.actor, case=case, expected_version=if_match(request), **payload.dict()
    )
    return _detail(request.actor, case_id, response)


@router.put("/cases/{case_id}/safety-plan", auth=api_auth, response=CaseDetailOut)
@capability("cases.edit")
def safety_plan_put(request, case_id: uuid.UUID, payload: SafetyPlanIn):
    """Record or revise the safety plan; it meets a pending 24-hour deadline."""
    case = _case(request.actor, case_id)
    case_services.safety_plan_save(actor=request.actor, case=case, data=payload.dict())
    return _detail(request.actor, case_id)


@router.put("/cases/{case_id}/trafficking", auth=api_auth, response=CaseDetailOut)
@capability("cases.edit")
def trafficking_put(request, case_id: uuid.UUID, payload: TraffickingIn):
    case = _case(request.actor, case_id)
    case_services.trafficking_details_save(actor=request.actor, case=case, data=payload.dict())
    return _detail(request.actor, case_id)


@router.put("/cases/{case_id}/child-labour", auth=api_auth, response=CaseDetailOut)
@capability("cases.edit")
def labour_put(request, case_id: uuid.UUID, payload: LabourIn):
    case = _case(request.actor, case_id)
    case_services.labour_details_save(actor=request.actor, case=case, data=payload.dict())
    return _detail(request.actor, case_id)


@router.post("/cases/{case_id}/assessments", auth=api_auth, response={201: CaseDetailOut})
@capability("cases.edit")
def assessment_create(request, case_id: uuid.UUID, payload: AssessmentIn):
    """``answers``: item code → true (checklists) or 1–4 (Child Status Index domains 1A…6B)."""
    case = _case(request.actor, case_id)
    data = payload.dict()
    work.assessment_record(actor=request.actor, case=case, instrument_code=data.pop("instrument"), **data)
    return _detail(request.actor, case_id, status=201)


@router.post("/cases/{case_id}/goals", auth=api_auth, response={201: CaseDetailOut})
@capability("cases.edit")
def goal_create(request, case_id: uuid.UUID, payload: GoalIn):
    case = _case(request.actor, case_id)
    work.goal_add(actor=request.actor, case=case, **payload.dict())
    return _detail(request.actor, case_id, status=201)


@router.post("/cases/{case_id}/actions", auth=api_auth, response={201: CaseDetailOut})
@capability("cases.edit")
def action_create(request, case_id: uuid.UUID, payload: ActionIn):
    case = _case(request.actor, case_id)
    data = payload.dict()
    goal = Goal.objects.filter(case=case, pk=data.pop("goal_id")).first()
    if goal is None:
        raise ValidationFailed(_("Choose a goal of this case."), field="goal_id")
    work.action_add(actor=request.actor, case=case, goal=goal, **data)
    return _detail(request.actor, case_id, status=201)


@router.patch("/cases/{case_id}/actions/{action_id}", auth=api_auth, response=CaseDetailOut)
@capability("cases.edit")
def action_patch(request, case_id: uuid.UUID, action_id: uuid.UUID, payload: ActionPatchIn):
    case = _case(request.actor, case_id)
    action = Action.objects.filter(case=case).select_related("case__case_type").get(pk=action_id)
    work.action_update(actor=request.actor, action=action, **payload.dict())
    return _detail(request.actor, case_id)


# --- notes, services, placements: paginated lists ----------------------------------------------


def _page_of(request, case_id, rows_of, pages: PageIn, what: str):
    with transaction.atomic():
        case = _case(request.actor, case_id)
        page = paginate(rows_of(case), pages.page, pages.per_page)
        _served(request.actor, case, f"api {what} page {pages.page}")
    return page


@router.get("/cases/{case_id}/notes", auth=api_auth, response=NotePageOut)
@capability("cases.view")
def note_list(request, case_id: uuid.UUID, pages: Query[PageIn]):
    return _page_of(request, case_id, selectors.notes_of, pages, "notes")


@router.post("/cases/{case_id}/notes", auth=api_auth, response={201: NoteOut})
@capability("cases.edit")
def note_create(request, case_id: uuid.UUID, payload: NoteIn):
    """A case note or home visit (attachments are added from the web page)."""
    case = _case(request.actor, case_id)
    data = payload.dict()
    data["goal_ids"] = [str(goal_id) for goal_id in data["goal_ids"]]
    note = contact.note_add(actor=request.actor, case=case, **data)
    return Status(201, selectors.notes_of(case).get(pk=note.pk))


@router.get("/cases/{case_id}/services", auth=api_auth, response=ServicePageOut)
@capability("cases.view")
def service_list(request, case_id: uuid.UUID, pages: Query[PageIn]):
    def rows(case):
        return ServiceDelivery.objects.filter(case=case).order_by("-delivered_on", "-created_at")

    return _page_of(request, case_id, rows, pages, "services")


@router.post("/cases/{case_id}/services", auth=api_auth, response={201: ServiceOut})
@capability("cases.edit")
def service_create(request, case_id: uuid.UUID, payload: ServiceIn):
    case = _case(request.actor, case_id)
    return Status(201, work.service_record(actor=request.actor, case=case, **payload.dict()))


@router.get("/cases/{case_id}/placements", auth=api_auth, response=PlacementPageOut)
@capability("cases.view")
def placement_list(request, case_id: uuid.UUID, pages: Query[PageIn]):
    def rows(case):
        return Placement.objects.filter(case=case).order_by("-started_on", "-created_at")

    return _page_of(request, case_id, rows, pages, "placements")


@router.post("/cases/{case_id}/placements", auth=api_auth, response={201: PlacementOut})
@capability("cases.edit")
def placement_create(request, case_id: uuid.UUID, payload: PlacementIn):
    """A placement that overlaps another of the same child is refused (422); one that leaves
    siblings apart is saved with ``siblings_apart`` and a ``warning``."""
    case = _case(request.actor, case_id)
    placement, placement.warning = care.placement_start(actor=request.actor, case=case, **payload.dict())
    return Status(201, placement)


@router.post("/cases/{case_id}/placements/{placement_id}/end", auth=api_auth, response=PlacementOut)
@capability("cases.edit")
def placement_end(request, case_id: uuid.UUID, placement_id: uuid.UUID, payload: PlacementEndIn):
    case = _case(request.actor, case_id)
    placement = Placement.objects.filter(case=case).get(pk=placement_id)
    placement.case = case
    care.placement_end(actor=request.actor, placement=placement, **payload.dict())
    return placement


@router.post("/cases/{case_id}/reintegration", auth=api_auth, response={200: CaseDetailOut, **VERSIONED})
@capability("cases.edit")
def reintegration(request, response: HttpResponse, case_id: uuid.UUID, payload: ReintegrationIn):
    """The child returns to the family (needs a 'ready' readiness assessment; If-Match)."""
    case = _case(request.actor, case_id)
    care.case_reintegrate(
        actor=request.actor, case=case, expected_version=if_match(request), **payload.dict()
    )
    return _detail(request.actor, case_id, response)


@router.patch("/cases/{case_id}/follow-ups/{follow_up_id}", auth=api_auth, response=CaseDetailOut)
@capability("cases.edit")
def follow_up_record(request, case_id: uuid.UUID, follow_up_id: uuid.UUID, payload: FollowUpIn):
    case = _case(request.actor, case_id)
    follow_up = FollowUp.objects.filter(case=case).get(pk=follow_up_id)
    follow_up.case = case
    care.follow_up_record(actor=request.actor, follow_up=follow_up, **payload.dict())
    return _detail(request.actor, case_id)
