"""REST endpoints of the registry: /people and /households.

Every operation authenticates with a device token or the verified browser session and
declares its capability; every read goes through the selectors, which start from
``visible_to(actor)`` and write the access event. A person outside the caller's scope and a
missing one give the same 404.

Editing uses optimistic concurrency: ``GET /people/{id}`` returns the version as an ETag;
``PATCH`` must send it back in ``If-Match`` (428 without it, 409 when someone saved since).
"""

import uuid

from django.http import HttpResponse
from django.utils import translation
from ninja import Query, Router, Status

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth
from ponleu.common.errors import Conflict, DomainError, PermissionDenied
from ponleu.common.schemas import MAX_PAGE

from . import policies, services
from .models import Household, Person
from .schemas import (
    ErrorOut,
    HouseholdOut,
    HouseholdPageOut,
    PersonCreateIn,
    PersonDetailOut,
    PersonOut,
    PersonPageOut,
    PersonPatchIn,
)
from .selectors import households as household_selectors
from .selectors import people as selectors
from .selectors import search as search_selectors

router = Router(tags=["registry"])
NOT_FOUND = {"detail": "Not found", "errors": {}}
PERSON_ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 428: ErrorOut}


def person_out(actor, person: Person) -> dict:
    unmasked = policies.can_see_unmasked(actor, person)
    names = {
        name: getattr(person, name) if unmasked else ""
        for name in ("family_name_km", "given_name_km", "family_name_latin", "given_name_latin", "nickname")
    }
    return {
        "id": person.pk,
        "version": person.version,
        "kind": person.kind,
        "display_name": policies.shown_name(actor, person, translation.get_language()),
        "is_masked": not unmasked,
        **names,
        "sex": person.sex,
        "date_of_birth": person.date_of_birth,
        "date_of_birth_precision": person.date_of_birth_precision,
        "village_code": person.village_id,
        "languages": person.languages,
        "is_child": person.is_child,
        "is_sensitive": person.is_sensitive,
        "has_functional_difficulty": person.has_functional_difficulty,
        "merged_into": person.merged_into_id,
    }


def _errors(error: DomainError) -> dict:
    return {
        "detail": str(error.message),
        "errors": {name: [str(m) for m in messages] for name, messages in error.errors.items()},
    }


def _person_data(payload: PersonPatchIn) -> dict:
    data = payload.dict(exclude_unset=True, exclude={"phones", "identifiers"})
    if "village_code" in data:
        data["village"] = data.pop("village_code")
    return data


@router.get("/people", auth=api_auth, response=PersonPageOut, summary="List or search people")
@capability("registry.view")
def person_list(
    request,
    q: str = "",
    area: str = "",
    age_band: str = "",
    sex: str = "",
    disability: str = "",
    idpoor: str = "",
    kind: str = "",
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(25, ge=1, le=100),
):
    """People in the caller's scope. With ``q`` (Khmer script or any romanisation, either name
    order, a phone or document number) the same ranked search as the search box, each hit with
    its score and why it matched; otherwise a page of at most 100, filtered."""
    actor = request.actor
    filters = selectors.PersonFilters.from_params(
        {
            "area": area,
            "age_band": age_band,
            "sex": sex,
            "disability": disability,
            "idpoor": idpoor,
            "kind": kind,
        }
    )
    if q.strip():
        hits = search_selectors.person_search(actor=actor, query=q, filters=filters, limit=per_page)
        return {
            "query": q,
            "items": [
                {
                    **person_out(actor, h.person),
                    "score": h.score,
                    "why": h.why(reveal=policies.can_see_unmasked(actor, h.person)),
                }
                for h in hits
            ],
            "page": 1,
            "per_page": per_page,
            "has_next": False,
        }
    result = selectors.person_page(actor=actor, filters=filters, page=page, per_page=per_page)
    return {
        "items": [person_out(actor, p) for p in result.items],
        "page": result.number,
        "per_page": result.per_page,
        "has_next": result.has_next,
    }


@router.post("/people", auth=api_auth, response={201: PersonOut, 403: ErrorOut, 422: ErrorOut})
@capability("registry.create")
def person_create(request, payload: PersonCreateIn):
    """Register a person. Check for existing records first (``GET /people?q=``)."""
    try:
        person = services.person_create(
            actor=request.actor,
            data=_person_data(payload),
            phones=[p.dict() for p in payload.phones],
            identifiers=[i.dict() for i in payload.identifiers],
        )
    except PermissionDenied as error:
        return Status(403, _errors(error))
    except DomainError as error:
        return Status(422, _errors(error))
    return Status(201, person_out(request.actor, person))


def _detail(actor, person_id) -> dict:
    detail = selectors.person_detail(actor=actor, person_id=person_id)
    person = detail.person
    body = person_out(actor, person)
    unmasked = policies.can_see_unmasked(actor, person)
    body["phones"] = [{"number": str(p.number), "owner": p.owner} for p in detail.phones] if unmasked else []
    body["identifiers"] = [{"type": i.type, "value": i.value} for i in detail.identifiers] if unmasked else []
    body["households"] = [
        {
            "household_id": m.household_id,
            "relationship": m.relationship,
            "is_primary_caregiver": m.is_primary_caregiver,
        }
        for m in detail.memberships
    ]
    return body


@router.get("/people/{person_id}", auth=api_auth, response={200: PersonDetailOut, 404: ErrorOut})
@capability("registry.view")
def person_get(request, response: HttpResponse, person_id: uuid.UUID):
    """One person with phones, documents and households; the ETag is the version to edit."""
    try:
        body = _detail(request.actor, person_id)
    except Person.DoesNotExist:
        return Status(404, NOT_FOUND)
    response["ETag"] = f'"{body["version"]}"'
    return Status(200, body)


@router.patch("/people/{person_id}", auth=api_auth, response={200: PersonDetailOut, **PERSON_ERRORS})
@capability("registry.edit")
def person_patch(request, person_id: uuid.UUID, payload: PersonPatchIn):
    """Change some fields. ``If-Match`` must carry the version you read (the ETag)."""
    actor = request.actor
    person = Person.objects.visible_to(actor).filter(pk=person_id).first()
    if person is None:
        return Status(404, NOT_FOUND)
    version = (request.headers.get("If-Match") or "").strip().removeprefix("W/").strip('"')
    if not version:
        return Status(428, {"detail": "Send the version you read in If-Match.", "errors": {}})
    try:
        services.person_update(actor=actor, person=person, version=version, data=_person_data(payload))
    except PermissionDenied as error:
        return Status(403, _errors(error))
    except Conflict as error:
        return Status(409, _errors(error))
    except services.VersionMissing as error:
        return Status(428, _errors(error))
    except DomainError as error:
        return Status(422, _errors(error))
    return Status(200, _detail(actor, person.pk))


def household_out(actor, household: Household) -> dict:
    """Members the caller may not see are counted in ``hidden_members``, never listed."""
    members = household.members.all()
    shown = [m for m in members if m.person_id in household.visible_member_ids]
    show_address = policies.can_see_household_address(actor, household, members)
    return {
        "id": household.pk,
        "version": household.version,
        "village_code": household.village_id,
        "address_detail": household.address_detail if show_address else "",
        "idpoor_status": household.idpoor_status,
        "equity_card_number": household.equity_card_number if show_address else "",
        "parents_away": household.parents_away,
        "is_single_parent": household.is_single_parent,
        "is_child_headed": household.is_child_headed,
        "income_sources": household.income_sources,
        "members": [
            {
                "person_id": m.person_id,
                "relationship": m.relationship,
                "is_primary_caregiver": m.is_primary_caregiver,
            }
            for m in shown
        ],
        "hidden_members": len(members) - len(shown),
    }


@router.get("/households", auth=api_auth, response=HouseholdPageOut)
@capability("registry.view")
def household_list(
    request,
    area: str = "",
    idpoor: str = "",
    page: int = Query(1, ge=1, le=MAX_PAGE),
    per_page: int = Query(25, ge=1, le=100),
):
    result = household_selectors.household_page(
        actor=request.actor, area=area, idpoor=idpoor, page=page, per_page=per_page
    )
    return {
        "items": [household_out(request.actor, h) for h in result.items],
        "page": result.number,
        "per_page": result.per_page,
        "has_next": result.has_next,
    }


@router.get("/households/{household_id}", auth=api_auth, response={200: HouseholdOut, 404: ErrorOut})
@capability("registry.view")
def household_get(request, household_id: uuid.UUID):
    try:
        detail = household_selectors.household_detail(actor=request.actor, household_id=household_id)
    except Household.DoesNotExist:
        return Status(404, NOT_FOUND)
    return Status(200, household_out(request.actor, detail.household))
