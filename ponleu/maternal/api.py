"""REST endpoints of pregnancies and births under /api/v1/.

A pregnancy stands where the woman stands: every read goes through
``Pregnancy.objects.visible_to(actor)`` and writes one access event; a pregnancy out of
reach, a missing one and a malformed id give the same 404. Sensitive by default: a reader
the identity rule does not clear gets initials and null health fields. Writes send the
pregnancy's version in ``If-Match`` (428 without it, 409 when stale) and answer with the
pregnancy as it now is; recording needs the sight of her health data (403 otherwise).
"""

import uuid

from django.db import transaction
from django.http import HttpResponse
from ninja import Query, Router, Status

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth
from ponleu.common import clock
from ponleu.common.errors import NotFound, ValidationFailed
from ponleu.common.etags import if_match, tag
from ponleu.common.pagination import PageIn, paginate
from ponleu.common.schemas import refusals

from . import policies, selectors, services
from .choices import PregnancyStatus
from .models import AntenatalVisit
from .schemas import (
    AntenatalIn,
    BirthIn,
    DangerReferIn,
    NewbornIn,
    PlanningIn,
    PostnatalIn,
    PregnancyDetailOut,
    PregnancyIn,
    PregnancyPageOut,
    PregnancyPatchIn,
)

router = Router(tags=["pregnancies"])
VERSIONED = refusals(409, 428)
HEALTH_FIELDS = (
    "last_period_on",
    "due_on",
    "next_anc_due_on",
    "anc_count",
    "planned_place",
    "planned_facility_id",
    "born_on",
    "outcome",
    "birth_place",
    "birth_facility_id",
    "attendant",
    "newborn_id",
)


def _summary(actor, pregnancy) -> dict:
    """One pregnancy as the reader may see it: health fields null when masked."""
    unmasked = policies.can_see_health(actor, pregnancy)
    out = {
        "id": pregnancy.pk,
        "version": pregnancy.version,
        # Her id only beside health details she may see: with it, a masked pregnancy names her.
        "person_id": pregnancy.person_id if unmasked else None,
        "woman_name": policies.woman_label(actor, pregnancy),
        "is_masked": not unmasked,
        "is_sensitive": pregnancy.is_sensitive,
        "status": pregnancy.status,
        "weeks": pregnancy.weeks_on(clock.today()) if unmasked else None,
    }
    for name in HEALTH_FIELDS:
        out[name] = getattr(pregnancy, name) if unmasked else None
    return out


def _out(actor, detail) -> dict:
    out = _summary(actor, detail.pregnancy)
    if out["is_masked"]:
        return {**out, "antenatal_visits": None, "postnatal_visits": None, "family_planning": None}
    out["antenatal_visits"] = [
        {
            "id": v.pk,
            "number": v.number,
            "label": v.label,
            "visited_on": v.visited_on,
            "weeks": v.weeks,
            "place": v.place,
            "facility_id": v.facility_id,
            "danger_signs": v.danger_signs,
            "referral_id": v.referral_id if v.referral_id in detail.referrals else None,
        }
        for v in detail.antenatal
    ]
    out["postnatal_visits"] = [
        {
            "id": v.pk,
            "visited_on": v.visited_on,
            "window": v.window,
            "place": v.place,
            "danger_signs": v.danger_signs,
        }
        for v in detail.postnatal
    ]
    out["family_planning"] = [
        {"id": r.pk, "counselled_on": r.counselled_on, "consent_given": r.consent_given, "method": r.method}
        for r in detail.planning
    ]
    return out


def _detail(actor, pregnancy_id, response: HttpResponse, status: int = 200):
    """The pregnancy as it now is, read (and recorded) through the scope; its ETag is its version."""
    with transaction.atomic():
        detail = selectors.pregnancy_detail(actor=actor, pregnancy_id=pregnancy_id)
        body = _out(actor, detail)
    tag(response, detail.pregnancy.version)
    return Status(status, body)


def _recordable(actor, pregnancy_id):
    """The pregnancy a write names, if the caller may record on it (404 otherwise, as for a
    missing one)."""
    return selectors.pregnancy_fetch(actor=actor, pregnancy_id=pregnancy_id, capability="maternal.record")


@router.get("/pregnancies", auth=api_auth, response=PregnancyPageOut, summary="List pregnancies")
@capability("maternal.view")
def pregnancy_list(
    request, pages: Query[PageIn], status: str = PregnancyStatus.ONGOING, anc_overdue: bool = False
):
    """Pregnancies in the caller's reach, the nearest due date first; ``status`` ``ongoing``,
    ``delivered`` or ``lost``; ``anc_overdue=true`` the ongoing ones whose next antenatal
    visit is past due."""
    if status not in PregnancyStatus.values:
        raise ValidationFailed(field="status")
    actor = request.actor
    with transaction.atomic():
        rows = selectors.pregnancy_queryset(actor=actor, status=status, anc_overdue=anc_overdue)
        page = paginate(rows, pages.page, pages.per_page)
        selectors.pregnancies_served(
            actor=actor, pregnancies=page.items, query=f"api {request.GET.urlencode()}"
        )
        page.items = [_summary(actor, p) for p in page.items]
    return page


@router.post(
    "/people/{person_id}/pregnancies",
    auth=api_auth,
    response={201: PregnancyDetailOut},
    summary="Register a woman's pregnancy",
)
@capability("maternal.record")
def pregnancy_register(request, response: HttpResponse, person_id: uuid.UUID, payload: PregnancyIn):
    """One ongoing pregnancy per woman (422 when she has one)."""
    actor = request.actor
    woman = selectors.woman_get(actor=actor, person_id=person_id)
    data = payload.dict()
    pregnancy = services.pregnancy_register(
        actor=actor,
        person=woman,
        last_period_on=data["last_period_on"],
        due_on=data["due_on"],
        planned_place=data["planned_place"],
        planned_facility=data["planned_facility_id"],
        note=data["note"],
    )
    return _detail(actor, pregnancy.pk, response, 201)


@router.get(
    "/pregnancies/{pregnancy_id}", auth=api_auth, response=PregnancyDetailOut, summary="One pregnancy"
)
@capability("maternal.view")
def pregnancy_get(request, response: HttpResponse, pregnancy_id: uuid.UUID):
    """The pregnancy with its visits, birth and family planning; the ETag is its version."""
    return _detail(request.actor, pregnancy_id, response)


@router.patch(
    "/pregnancies/{pregnancy_id}",
    auth=api_auth,
    response={200: PregnancyDetailOut, **VERSIONED},
    summary="Correct the dates or the birth plan",
)
@capability("maternal.record")
def pregnancy_patch(request, response: HttpResponse, pregnancy_id: uuid.UUID, payload: PregnancyPatchIn):
    pregnancy = _recordable(request.actor, pregnancy_id)
    data = payload.dict(exclude_unset=True)
    if "planned_facility_id" in data:
        data["planned_facility"] = data.pop("planned_facility_id")
    services.pregnancy_update(actor=request.actor, pregnancy=pregnancy, version=if_match(request), data=data)
    return _detail(request.actor, pregnancy_id, response)


@router.post(
    "/pregnancies/{pregnancy_id}/antenatal-visits",
    auth=api_auth,
    response={201: PregnancyDetailOut, **VERSIONED},
    summary="Record an antenatal visit",
)
@capability("maternal.record")
def antenatal_create(request, response: HttpResponse, pregnancy_id: uuid.UUID, payload: AntenatalIn):
    """Numbered by its date among the others; a danger sign alerts her worker."""
    pregnancy = _recordable(request.actor, pregnancy_id)
    data = payload.dict()
    data["facility"] = data.pop("facility_id")
    services.anc_record(actor=request.actor, pregnancy=pregnancy, version=if_match(request), **data)
    return _detail(request.actor, pregnancy_id, response, 201)


@router.post(
    "/pregnancies/{pregnancy_id}/antenatal-visits/{anc_id}/referral",
    auth=api_auth,
    response={201: PregnancyDetailOut, **VERSIONED},
    summary="Refer her to a health facility for a danger sign",
)
@capability("maternal.record")
def antenatal_refer(
    request, response: HttpResponse, pregnancy_id: uuid.UUID, anc_id: uuid.UUID, payload: DangerReferIn
):
    """Drafts the referral and links it to the visit; sent with ``POST /referrals/{id}/send``."""
    pregnancy = _recordable(request.actor, pregnancy_id)
    visit = AntenatalVisit.objects.filter(pregnancy=pregnancy, pk=anc_id).first()
    if visit is None:
        raise NotFound()
    services.anc_refer(
        actor=request.actor,
        visit=visit,
        version=if_match(request),
        provider=payload.provider_id,
        service=payload.service,
        reason=payload.reason,
        urgency=payload.urgency,
    )
    return _detail(request.actor, pregnancy_id, response, 201)


@router.post(
    "/pregnancies/{pregnancy_id}/birth",
    auth=api_auth,
    response={200: PregnancyDetailOut, **VERSIONED},
    summary="Record the birth (or the loss)",
)
@capability("maternal.record")
def birth_record(request, response: HttpResponse, pregnancy_id: uuid.UUID, payload: BirthIn):
    pregnancy = _recordable(request.actor, pregnancy_id)
    data = payload.dict()
    data["facility"] = data.pop("facility_id")
    services.birth_record(actor=request.actor, pregnancy=pregnancy, version=if_match(request), **data)
    return _detail(request.actor, pregnancy_id, response)


@router.post(
    "/pregnancies/{pregnancy_id}/newborn",
    auth=api_auth,
    response={201: PregnancyDetailOut, **VERSIONED},
    summary="Register the newborn in the mother's household",
)
@capability("maternal.record")
def newborn_register(request, response: HttpResponse, pregnancy_id: uuid.UUID, payload: NewbornIn):
    """A child in the registry, born on the day of the birth, in the mother's household."""
    pregnancy = _recordable(request.actor, pregnancy_id)
    services.newborn_register(
        actor=request.actor, pregnancy=pregnancy, version=if_match(request), data=payload.dict()
    )
    return _detail(request.actor, pregnancy_id, response, 201)


@router.post(
    "/pregnancies/{pregnancy_id}/postnatal-visits",
    auth=api_auth,
    response={201: PregnancyDetailOut, **VERSIONED},
    summary="Record a postnatal visit",
)
@capability("maternal.record")
def postnatal_create(request, response: HttpResponse, pregnancy_id: uuid.UUID, payload: PostnatalIn):
    pregnancy = _recordable(request.actor, pregnancy_id)
    services.pnc_record(actor=request.actor, pregnancy=pregnancy, version=if_match(request), **payload.dict())
    return _detail(request.actor, pregnancy_id, response, 201)


@router.post(
    "/pregnancies/{pregnancy_id}/family-planning",
    auth=api_auth,
    response={201: PregnancyDetailOut, **VERSIONED},
    summary="Record family planning counselling",
)
@capability("maternal.record")
def planning_create(request, response: HttpResponse, pregnancy_id: uuid.UUID, payload: PlanningIn):
    """The method is refused (422) unless she agrees to it being recorded."""
    pregnancy = _recordable(request.actor, pregnancy_id)
    services.planning_record(
        actor=request.actor, pregnancy=pregnancy, version=if_match(request), **payload.dict()
    )
    return _detail(request.actor, pregnancy_id, response, 201)
