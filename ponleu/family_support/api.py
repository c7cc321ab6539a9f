"""REST endpoints of family support plans under /api/v1/.

A plan stands where its household stands: every read goes through
``SupportPlan.objects.visible_to(actor)`` and writes one access event; a plan out of reach, a
missing one and a malformed id give the same 404. Writes to a plan send its version in
``If-Match`` (428 without it, 409 when stale) and answer with the plan as it now is.

An operation looks up through the scope, calls the service and returns the record; what it
raises is answered by the API's handlers (``ponleu/api/errors.py``) with the one error body.
"""

import uuid

from django.db import transaction
from django.http import HttpResponse
from ninja import Query, Router, Status

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth
from ponleu.common.errors import NotFound
from ponleu.common.etags import if_match, tag
from ponleu.common.pagination import PageIn, paginate
from ponleu.common.schemas import refusals
from ponleu.registry.models import Person

from . import selectors, services
from .choices import NeedDomain
from .schemas import (
    GraduateIn,
    NeedPatchIn,
    PlanDetailOut,
    PlanPageOut,
    PlanStartIn,
    ReferIn,
    VisitIn,
)

router = Router(tags=["family support"])
# Writes to a plan carry its version.
VERSIONED = refusals(409, 428)


def _domain(need_domain: str) -> str:
    if need_domain not in NeedDomain.values:
        raise NotFound()
    return need_domain


def _out(detail) -> dict:
    plan = detail.plan
    needs = []
    for need in detail.needs:
        referral = detail.referrals.get(need.referral_id)
        needs.append(
            {
                "domain": need.domain,
                "level": need.level,
                "note": need.note,
                "service": need.service,
                "provider_id": need.provider_id,
                "met_on": need.met_on,
                "referral_id": referral.pk if referral else None,
                "referral_reference": referral.reference if referral else None,
                "referral_status": referral.status if referral else None,
            }
        )
    return {
        "id": plan.pk,
        "version": plan.version,
        "household_id": plan.household_id,
        "status": plan.status,
        "assessed_on": plan.assessed_on,
        "next_visit_on": plan.next_visit_on,
        "graduated_on": plan.graduated_on,
        "needs": needs,
        "visits": [
            {"id": v.pk, "visited_on": v.visited_on, "note": v.note, "needs_met": v.needs_met}
            for v in detail.visits
        ],
    }


def _detail(actor, plan_id, response: HttpResponse, status: int = 200):
    """The plan as it now is, read (and recorded) through the scope; its ETag is its version."""
    with transaction.atomic():
        detail = selectors.plan_detail(actor=actor, plan_id=plan_id)
    tag(response, detail.plan.version)
    return Status(status, _out(detail))


def _editable(actor, plan_id):
    """The plan a write names, if the caller may edit it (404 otherwise, as for a missing one)."""
    return selectors.plan_fetch(actor=actor, plan_id=plan_id, capability="family_support.edit")


@router.get("/support-plans", auth=api_auth, response=PlanPageOut, summary="List family support plans")
@capability("family_support.view")
def plan_list(request, pages: Query[PageIn], graduated: bool = False):
    """Plans in progress in the caller's reach, the next follow-up visit first;
    ``graduated=true`` lists every plan, graduated ones too."""
    actor = request.actor
    with transaction.atomic():
        plans = selectors.plan_queryset(actor=actor, open_only=not graduated)
        page = paginate(plans, pages.page, pages.per_page)
        selectors.plans_served(actor=actor, plans=page.items, query=f"api {request.GET.urlencode()}")
    return page


@router.get(
    "/households/{household_id}/support-plans",
    auth=api_auth,
    response=PlanPageOut,
    summary="A household's family support plans",
)
@capability("family_support.view")
def household_plan_list(request, household_id: uuid.UUID, pages: Query[PageIn]):
    """The plan in progress first, then the graduated ones, newest first."""
    with transaction.atomic():
        household = selectors.household_get(actor=request.actor, household_id=household_id)
        plans = selectors.household_plans(actor=request.actor, household=household)
    return paginate(plans, pages.page, pages.per_page)


@router.post(
    "/households/{household_id}/support-plans",
    auth=api_auth,
    response={201: PlanDetailOut},
    summary="Start a plan from the household's needs assessment",
)
@capability("family_support.edit")
def plan_start(request, response: HttpResponse, household_id: uuid.UUID, payload: PlanStartIn):
    """A level in each of the six areas of need; one plan in progress per household (422 when
    the household already has one)."""
    actor = request.actor
    household = selectors.household_get(
        actor=actor, household_id=household_id, capability="family_support.edit"
    )
    data = payload.dict()
    needs = {}
    for need in data["needs"]:
        needs[need["domain"]] = {"level": need["level"], "note": need["note"]}
    plan = services.plan_start(
        actor=actor,
        household=household,
        assessed_on=data["assessed_on"],
        next_visit_on=data["next_visit_on"],
        needs=needs,
    )
    return _detail(actor, plan.pk, response, 201)


@router.get("/support-plans/{plan_id}", auth=api_auth, response=PlanDetailOut, summary="One plan")
@capability("family_support.view")
def plan_get(request, response: HttpResponse, plan_id: uuid.UUID):
    """The plan with its needs and visits; the ETag is its version."""
    return _detail(request.actor, plan_id, response)


@router.patch(
    "/support-plans/{plan_id}/needs/{need_domain}",
    auth=api_auth,
    response={200: PlanDetailOut, **VERSIONED},
    summary="Change one need",
)
@capability("family_support.edit")
def need_patch(request, response: HttpResponse, plan_id: uuid.UUID, need_domain: str, payload: NeedPatchIn):
    domain = _domain(need_domain)
    plan = _editable(request.actor, plan_id)
    data = payload.dict(exclude_unset=True)
    if "provider_id" in data:
        data["provider"] = data.pop("provider_id")
    services.need_update(actor=request.actor, plan=plan, domain=domain, version=if_match(request), data=data)
    return _detail(request.actor, plan_id, response)


@router.post(
    "/support-plans/{plan_id}/needs/{need_domain}/referral",
    auth=api_auth,
    response={201: PlanDetailOut, **VERSIONED},
    summary="Refer a household member to the need's service",
)
@capability("family_support.edit")
def need_refer(request, response: HttpResponse, plan_id: uuid.UUID, need_domain: str, payload: ReferIn):
    """Drafts the referral (from a household, for family support) and links it to the need;
    the referral is sent with ``POST /referrals/{referral_id}/send`` once consent covers it."""
    actor = request.actor
    domain = _domain(need_domain)
    plan = _editable(actor, plan_id)
    person = Person.objects.visible_to(actor).get(pk=payload.person_id)
    services.need_refer(
        actor=actor,
        plan=plan,
        domain=domain,
        version=if_match(request),
        person=person,
        reason=payload.reason,
        urgency=payload.urgency,
        shared_fields=payload.shared_fields,
    )
    return _detail(actor, plan_id, response, 201)


@router.post(
    "/support-plans/{plan_id}/visits",
    auth=api_auth,
    response={201: PlanDetailOut, **VERSIONED},
    summary="Record a follow-up visit",
)
@capability("family_support.edit")
def visit_create(request, response: HttpResponse, plan_id: uuid.UUID, payload: VisitIn):
    """``met`` names the needs met since the last visit (their areas)."""
    plan = _editable(request.actor, plan_id)
    services.visit_record(actor=request.actor, plan=plan, version=if_match(request), **payload.dict())
    return _detail(request.actor, plan_id, response, 201)


@router.post(
    "/support-plans/{plan_id}/graduation",
    auth=api_auth,
    response={200: PlanDetailOut, **VERSIONED},
    summary="Graduate the household",
)
@capability("family_support.edit")
def plan_graduate(request, response: HttpResponse, plan_id: uuid.UUID, payload: GraduateIn):
    """Refused (422, ``errors.needs`` naming each) while a need is still open."""
    plan = _editable(request.actor, plan_id)
    services.plan_graduate(actor=request.actor, plan=plan, version=if_match(request), note=payload.note)
    return _detail(request.actor, plan_id, response)
