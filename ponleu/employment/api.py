"""REST endpoints of youth employment under /api/v1/employment/.

Every id a request carries is looked up through ``visible_to``/``actionable_by``: out of reach,
missing and malformed give the same 404. A young person's id and name go only to those who may
see who they are (their initials otherwise). Every answer naming young people writes one access
event; every write is audited by its service.
"""

import uuid

from django.db import transaction
from ninja import Router, Status

from ponleu.access.endpoints import capability
from ponleu.access.policies import can_see_identity, identity_label
from ponleu.accounts.api_auth import api_auth
from ponleu.common import clock
from ponleu.common.etags import if_match
from ponleu.common.schemas import refusals

from . import selectors
from .schemas import (
    CourseResultIn,
    IndicatorsOut,
    JobFollowUpIn,
    JobPlacementIn,
    MatchOut,
    OfferIn,
    OfferOut,
    PathOut,
    ProfileIn,
    ProfileOut,
)
from .services import courses as course_services
from .services import offers as offer_services
from .services import placements as placement_services
from .services import profiles as profile_services

router = Router(tags=["employment"])
VIEW = "employment.view"
RECORD = "employment.record"
MANAGE = "employment.manage"
VERSIONED = refusals(409, 428)


def _profile_out(actor, profile) -> dict:
    person = profile.person
    seen = can_see_identity(actor, person)
    return {
        "id": profile.pk,
        "person_id": person.pk if seen else None,
        "name": identity_label(actor, person),
        "sex": person.sex,
        "age": person.age_on(clock.today()),
        "education": profile.education,
        "skills": profile.skills,
        "other_skills": profile.other_skills,
        "interests": profile.interests,
        "consent_on": profile.consent_on,
        "version": profile.version,
    }


def _offer_out(offer, taken=None) -> dict:
    return {
        "id": offer.pk,
        "employer_id": offer.employer_id,
        "employer": offer.employer.name_km,
        "kind": offer.kind,
        "title": offer.title,
        "skills": offer.skills,
        "place_code": offer.place_id,
        "wage": offer.wage,
        "currency": offer.currency,
        "starts_on": offer.starts_on,
        "ends_on": offer.ends_on,
        "places": offer.places,
        "taken": getattr(offer, "taken", taken) or 0,
        "is_open": offer.is_open,
    }


def _placement_out(placement, follow_ups) -> dict:
    return {
        "id": placement.pk,
        "offer_id": placement.offer_id,
        "title": placement.offer.title,
        "employer": placement.offer.employer.name_km,
        "starts_on": placement.starts_on,
        "ends_on": placement.ends_on,
        "wage": placement.wage,
        "currency": placement.currency,
        "status": placement.status,
        "follow_up_3_on": placement.follow_up_3_on,
        "follow_up_6_on": placement.follow_up_6_on,
        "follow_ups": [
            {
                "months": f.months,
                "followed_on": f.followed_on,
                "still_working": f.still_working,
                "wage": f.wage,
                "currency": f.currency,
                "satisfaction": f.satisfaction,
            }
            for f in sorted(follow_ups.values(), key=lambda f: f.months)
        ],
        "version": placement.version,
    }


def _path(actor, profile_id, status=200):
    with transaction.atomic():
        path = selectors.youth_path(actor=actor, profile_id=profile_id)
        selectors.record_read(actor=actor, obj=path.profile)
    body = _profile_out(actor, path.profile)
    body["courses"] = [
        {
            "course_id": course.pk,
            "course": course.name,
            "outcome": result.outcome if result else None,
            "ended_on": result.ended_on if result else None,
            "certificate_number": result.certificate_number if result and path.identity_seen else "",
        }
        for course, result in path.courses
    ]
    body["placements"] = [_placement_out(p, f) for p, f in path.placements]
    return Status(status, body)


@router.get("/youth", auth=api_auth, response=list[ProfileOut], summary="Young people followed")
@capability(VIEW)
def profile_list(request):
    with transaction.atomic():
        rows = selectors.profile_list(actor=request.actor)
    return [_profile_out(request.actor, profile) for profile, _label in rows]


@router.post("/youth", auth=api_auth, response={201: PathOut}, summary="Open a young person's profile")
@capability(RECORD)
def profile_create(request, payload: ProfileIn):
    profile = profile_services.profile_create(
        actor=request.actor,
        person_id=payload.person_id,
        education=payload.education,
        skill_codes=payload.skills,
        other_skills=payload.other_skills,
        interests=payload.interests,
        consent_on=payload.consent_on,
    )
    return _path(request.actor, profile.pk, 201)


@router.get(
    "/youth/{profile_id}", auth=api_auth, response=PathOut, summary="A young person's path from course to job"
)
@capability(VIEW)
def profile_get(request, profile_id: uuid.UUID):
    return _path(request.actor, profile_id)


@router.get(
    "/youth/{profile_id}/matches",
    auth=api_auth,
    response=list[MatchOut],
    summary="Open offers matching a young person, best first, explained",
)
@capability(RECORD)
def profile_matches(request, profile_id: uuid.UUID):
    with transaction.atomic():
        profile = selectors.profile_get(actor=request.actor, profile_id=profile_id, capability=RECORD)
        selectors.record_read(actor=request.actor, obj=profile)
    return [
        {
            "offer": _offer_out(m.offer),
            "skills_matching": m.skills,
            "skills_lacking": m.missing,
            "nearness": int(m.nearness),
            "nearness_label": str(m.nearness.label),
        }
        for m in selectors.matches(actor=request.actor, profile=profile)
    ]


@router.get("/offers", auth=api_auth, response=list[OfferOut], summary="Open internship and job offers")
@capability(VIEW)
def offer_list(request):
    return [_offer_out(o) for o in selectors.offer_list(actor=request.actor)[: selectors.LIST_LIMIT]]


@router.post("/offers", auth=api_auth, response={201: OfferOut}, summary="Record an employer's offer")
@capability(MANAGE)
def offer_create(request, payload: OfferIn):
    offer = offer_services.offer_create(
        actor=request.actor,
        employer_id=payload.employer_id,
        kind=payload.kind,
        title=payload.title,
        skill_codes=payload.skills,
        place_code=payload.place_code,
        wage=payload.wage,
        currency=payload.currency,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        places=payload.places,
    )
    return Status(201, _offer_out(offer, 0))


@router.post(
    "/placements", auth=api_auth, response={201: PathOut}, summary="Place a young person in an offer"
)
@capability(RECORD)
def placement_create(request, payload: JobPlacementIn):
    profile = selectors.profile_get(actor=request.actor, profile_id=payload.profile_id, capability=RECORD)
    offer = selectors.offer_get(actor=request.actor, offer_id=payload.offer_id)
    placement_services.placement_create(
        actor=request.actor,
        profile=profile,
        offer_id=offer.pk,
        starts_on=payload.starts_on,
        wage=payload.wage,
        currency=payload.currency,
    )
    return _path(request.actor, profile.pk, 201)


@router.post(
    "/placements/{job_placement_id}/follow-ups",
    auth=api_auth,
    response={201: PathOut},
    summary="Record the 3- or 6-month follow-up of a placement",
)
@capability(RECORD)
def follow_up_create(request, job_placement_id: uuid.UUID, payload: JobFollowUpIn):
    placement = selectors.placement_get(actor=request.actor, placement_id=job_placement_id, capability=RECORD)
    placement_services.follow_up_record(actor=request.actor, placement=placement, **payload.dict())
    return _path(request.actor, placement.profile_id, 201)


@router.post(
    "/courses/{course_id}/results",
    auth=api_auth,
    response={201: None, **VERSIONED},
    summary="Record how a participant's vocational course ended",
)
@capability(RECORD)
def course_result(request, course_id: uuid.UUID, payload: CourseResultIn):
    course = selectors.course_get(actor=request.actor, course_id=course_id, capability=RECORD)
    # A first result needs no version; a correction names the one read (If-Match).
    version = if_match(request) if request.headers.get("If-Match") else None
    course_services.course_result_record(
        actor=request.actor, course=course, version=version, **payload.dict()
    )
    return Status(201, None)


@router.get(
    "/indicators",
    auth=api_auth,
    response=IndicatorsOut,
    summary="Completed a course, placed, still employed at 6 months, by sex and age band",
)
@capability(VIEW)
def indicators(request):
    report = selectors.indicators(actor=request.actor)

    def cell(sex, band, c):
        return {"sex": sex, "age_band": band, **vars(c)}

    return {
        "day": report.day,
        "rows": [cell(sex, band.value, c) for sex, band, c in report.rows()],
        "total": cell("", "", report.total),
    }
