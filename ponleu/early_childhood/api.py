"""REST endpoints of early childhood work under /api/v1/early-childhood/.

Every id a request carries is looked up through ``visible_to``/``actionable_by``: out of reach,
missing and malformed give the same 404. Children are named as the identity policy allows
(their initials otherwise, and no id). A correction of a nursery day or a factory sends the
version it read in ``If-Match``."""

import uuid

from django.db import transaction
from django.http import HttpResponse
from ninja import Router, Status
from ninja.errors import HttpError

from ponleu.access.endpoints import capability
from ponleu.access.policies import can_see_identity
from ponleu.accounts.api_auth import api_auth
from ponleu.common import clock
from ponleu.common.errors import ValidationFailed
from ponleu.common.etags import if_match, tag
from ponleu.common.schemas import refusals
from ponleu.registry.models import Person

from . import selectors
from .models import Check, Factory, Nursery
from .schemas import (
    CheckDueOut,
    ChecklistIn,
    ChecklistItemChangeIn,
    ChecklistOut,
    DevelopmentCheckIn,
    DevelopmentOut,
    FactoryCheckIn,
    FactoryIn,
    FactoryOut,
    NurseryDayIn,
    NurseryDayOut,
    NurseryDetailOut,
    NurseryOut,
)
from .services import checks as check_services
from .services import factories as factory_services
from .services import instruments
from .services import nurseries as nursery_services

router = Router(tags=["early childhood"])
VIEW = "programmes.view"
RECORD = "programmes.record"
MANAGE = "programmes.manage"
VERSIONED = refusals(409, 428)


def _not_found(error):
    raise HttpError(404, "Not found") from error


def _get(getter, **kwargs):
    try:
        return getter(**kwargs)
    except (Nursery.DoesNotExist, Person.DoesNotExist, Check.DoesNotExist, Factory.DoesNotExist) as error:
        _not_found(error)


def _due(due) -> dict | None:
    if due is None:
        return None
    return {
        "from_months": due.band.from_months,
        "to_months": due.band.to_months,
        "due_on": due.due_on,
        "late": due.late(clock.today()),
    }


# --- nurseries -------------------------------------------------------------------------------


def _nursery_out(nursery: Nursery, children: int) -> dict:
    return {
        "id": nursery.pk,
        "group_id": nursery.group_id,
        "name": nursery.group.name,
        "kind": nursery.kind,
        "village_code": nursery.group.village_id,
        "factory_id": nursery.factory_id,
        "capacity": nursery.capacity,
        "parents_group_id": nursery.parents_group_id,
        "children": children,
    }


@router.get("/nurseries", auth=api_auth, response=list[NurseryOut], summary="Nurseries in the caller's reach")
@capability(VIEW)
def nursery_list(request):
    return [_nursery_out(n, n.enrolled) for n in selectors.nursery_list(actor=request.actor)]


@router.get("/nurseries/{nursery_id}", auth=api_auth, response=NurseryDetailOut, summary="One nursery")
@capability(VIEW)
def nursery_get(request, nursery_id: uuid.UUID):
    """The nursery and the children enrolled today."""
    actor = request.actor
    with transaction.atomic():
        nursery = _get(selectors.nursery_get, actor=actor, nursery_id=nursery_id)
        children = selectors.nursery_children(actor=actor, nursery=nursery, day=clock.today())
        seen = selectors.people_seen(actor=actor, people=[m.person for m, _label in children])
        selectors.record_read(actor=actor, obj=nursery)
        selectors.people_read(actor=actor, people=[m.person for m, _label in children])
        return {
            **_nursery_out(nursery, len(children)),
            "child_list": [
                {
                    "member_id": member.pk,
                    "person_id": member.person_id
                    if member.person_id in seen and can_see_identity(actor, member.person)
                    else None,
                    "name": label,
                    "joined_on": member.joined_on,
                }
                for member, label in children
            ],
        }


@router.post(
    "/nurseries/{nursery_id}/days",
    auth=api_auth,
    response={200: NurseryDayOut, **VERSIONED},
    summary="Take (or correct) a nursery day's attendance",
)
@capability(RECORD)
def nursery_day(request, response: HttpResponse, nursery_id: uuid.UUID, payload: NurseryDayIn):
    """The first roll call of the day records it; a correction sends ``If-Match`` with the
    version read. Someone not enrolled on the day is refused (422)."""
    nursery = _get(selectors.nursery_get, actor=request.actor, nursery_id=nursery_id, capability=RECORD)
    data = payload.dict()
    existing = nursery_services.day_session(nursery, data["held_on"])
    session = nursery_services.nursery_day_record(
        actor=request.actor,
        nursery=nursery,
        day=data["held_on"],
        present_ids=data["present"],
        version=if_match(request) if existing is not None else None,
    )
    tag(response, session.version)
    return {
        "session_id": session.pk,
        "version": session.version,
        "held_on": session.held_on,
        "present": list(session.attendance.values_list("member_id", flat=True)),
    }


# --- development -----------------------------------------------------------------------------


def _development(actor, person_id, status=200):
    with transaction.atomic():
        seen = _get(selectors.development, actor=actor, person_id=person_id)
    return Status(
        status,
        {
            "person_id": seen.person.pk,
            "name": seen.label,
            "months": seen.months,
            "next_check": _due(seen.due),
            "checks": [
                {
                    "id": s.check.pk,
                    "checked_on": s.check.checked_on,
                    "from_months": s.check.band.from_months,
                    "to_months": s.check.band.to_months,
                    "nursery_id": s.check.nursery_id,
                    "domains": [
                        {"domain": d.domain, "achieved": d.achieved, "asked": d.asked} for d in s.domains
                    ],
                }
                for s in seen.checks
            ],
        },
    )


@router.get(
    "/children/{person_id}/development",
    auth=api_auth,
    response=DevelopmentOut,
    summary="A child's development",
)
@capability(VIEW)
def development_get(request, person_id: uuid.UUID):
    """The child's checks, newest first, with results by domain, and the next check due."""
    return _development(request.actor, person_id)


@router.post(
    "/children/{person_id}/checks",
    auth=api_auth,
    response={201: DevelopmentOut},
    summary="Record a development check",
)
@capability(RECORD)
def check_create(request, person_id: uuid.UUID, payload: DevelopmentCheckIn):
    """Every item of the child's age band answered (item id → achieved), or nothing is saved
    (422 naming the item)."""
    actor = request.actor
    person = _get(selectors.child_get, actor=actor, person_id=person_id, capability=RECORD)
    data = payload.dict()
    nursery = None
    if data["nursery_id"] is not None:
        try:
            nursery = selectors.nursery_get(actor=actor, nursery_id=data["nursery_id"], capability=RECORD)
        except Nursery.DoesNotExist:
            raise ValidationFailed(field="nursery_id") from None
    # Item ids are matched by the service against the child's band: an unknown id and another
    # organisation's are the same stray answer.
    check_services.check_record(
        actor=actor,
        person_id=person.pk,
        checked_on=data["checked_on"],
        results=data["results"],
        nursery=nursery,
    )
    return _development(actor, person.pk, 201)


@router.get("/checks/due", auth=api_auth, response=list[CheckDueOut], summary="Development checks due")
@capability(VIEW)
def checks_due(request):
    """Children in the caller's nurseries whose next check falls due within two weeks, or late."""
    actor = request.actor
    with transaction.atomic():
        rows = selectors.checks_due(actor=actor)
        selectors.people_read(actor=actor, people=[r.person for r in rows], query="due")
    return [
        {"person_id": r.person.pk, "name": r.label, "nursery_id": r.nursery.pk, "next_check": _due(r.due)}
        for r in rows
        if can_see_identity(actor, r.person)
    ]


# --- factories -------------------------------------------------------------------------------


def _factory_out(factory: Factory) -> dict:
    return {
        "id": factory.pk,
        "version": factory.version,
        "name": factory.name,
        "village_code": factory.village_id,
        "women_workers": factory.women_workers,
        "childcare": factory.childcare,
        "must_provide_childcare": factory.must_provide_childcare,
        "falls_short": factory.falls_short,
        "checked_on": factory.checked_on,
        "notes": factory.notes,
    }


@router.get("/factories", auth=api_auth, response=list[FactoryOut], summary="Factories and their childcare")
@capability(VIEW)
def factory_list(request, falls_short: bool = False):
    """``falls_short``: only those the Labour Law asks childcare of (100 women workers or more)
    that provide none."""
    return [_factory_out(f) for f in selectors.factory_list(actor=request.actor, falls_short=falls_short)]


@router.post("/factories", auth=api_auth, response={201: FactoryOut}, summary="Record a factory")
@capability(RECORD)
def factory_create(request, response: HttpResponse, payload: FactoryIn):
    factory = factory_services.factory_create(actor=request.actor, **payload.dict())
    tag(response, factory.version)
    return Status(201, _factory_out(factory))


@router.put(
    "/factories/{factory_id}/check",
    auth=api_auth,
    response={200: FactoryOut, **VERSIONED},
    summary="Record what a visit to a factory found",
)
@capability(RECORD)
def factory_check(request, response: HttpResponse, factory_id: uuid.UUID, payload: FactoryCheckIn):
    factory = _get(selectors.factory_get, actor=request.actor, factory_id=factory_id, capability=RECORD)
    factory = factory_services.factory_check(
        actor=request.actor, factory=factory, version=if_match(request), **payload.dict()
    )
    tag(response, factory.version)
    return _factory_out(factory)


# --- the checklist ---------------------------------------------------------------------------


def _checklist_out(instrument) -> dict:
    return {
        "id": instrument.pk,
        "name": instrument.name,
        "source": instrument.source,
        "bands": [
            {
                "from_months": band.from_months,
                "to_months": band.to_months,
                "items": [
                    {"id": i.pk, "domain": i.domain, "text_km": i.text_km, "text_en": i.text_en}
                    for i in band.items.all()
                    if i.is_active
                ],
            }
            for band in selectors.instrument_bands(instrument=instrument)
        ],
    }


@router.get(
    "/checklist",
    auth=api_auth,
    response={200: ChecklistOut, **refusals(404)},
    summary="The development checklist in use (404 while none is set up)",
)
@capability(VIEW)
def checklist_get(request):
    instrument = selectors.instrument_in_use(organisation_id=request.actor.organisation_id)
    if instrument is None:
        raise HttpError(404, "Not found")
    return _checklist_out(instrument)


@router.post("/checklists", auth=api_auth, response={201: ChecklistOut}, summary="Put a new checklist in use")
@capability(MANAGE)
def checklist_create(request, payload: ChecklistIn):
    """The organisation's own or a national checklist: age bands that follow one another, each
    with items per domain in Khmer and English. Managed at organisation scope only (403)."""
    instrument = instruments.instrument_create(actor=request.actor, **payload.dict())
    return Status(201, _checklist_out(instrument))


@router.put(
    "/checklist/items/{dev_item_id}", auth=api_auth, response=ChecklistOut, summary="Reword or retire an item"
)
@capability(MANAGE)
def checklist_item_change(request, dev_item_id: str, payload: ChecklistItemChangeIn):
    """An item of the checklist in use; managed at organisation scope only (403)."""
    actor = request.actor
    # The organisation-wide right first, so that a refusal reads the same whether the item exists.
    instruments.may_manage(actor)
    item = selectors.item_get(actor=actor, item_id=dev_item_id)
    if item is None:
        raise HttpError(404, "Not found")
    data = payload.dict()
    instruments.item_change(
        actor=actor, item=item, text_km=data["text_km"], text_en=data["text_en"], is_active=data["asked"]
    )
    return _checklist_out(item.band.instrument)
