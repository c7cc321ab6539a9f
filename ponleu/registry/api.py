"""REST endpoints of the registry: /people and /households.

Every operation authenticates with a device token or the verified browser session and
declares its capability; every read goes through the selectors, which start from
``visible_to(actor)`` and write the access event. A person outside the caller's scope and a
missing one give the same 404.

Editing uses optimistic concurrency: ``GET /people/{id}`` returns the version as an ETag;
``PATCH`` must send it back in ``If-Match`` (428 without it, 409 when someone saved since).
Refusals are answered by the API's handlers (``ponleu/api/errors.py``) with the one error body.
"""

import uuid

from django.http import HttpResponse
from ninja import Query, Router, Status

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth
from ponleu.common.etags import if_match, tag
from ponleu.common.pagination import Page, PageIn
from ponleu.common.schemas import refusals

from . import policies, services
from .models import Person
from .schemas import (
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


def _person_data(payload: PersonPatchIn) -> dict:
    data = payload.dict(exclude_unset=True, exclude={"phones", "identifiers"})
    if "village_code" in data:
        data["village"] = data.pop("village_code")
    return data


def _detail(actor, person_id) -> Person:
    detail = selectors.person_detail(actor=actor, person_id=person_id)
    detail.person.detail = detail
    return detail.person


@router.get("/people", auth=api_auth, response=PersonPageOut, summary="List or search people")
@capability("registry.view")
def person_list(
    request,
    pages: Query[PageIn],
    q: str = "",
    area: str = "",
    age_band: str = "",
    sex: str = "",
    disability: str = "",
    idpoor: str = "",
    kind: str = "",
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
    if not q.strip():
        return selectors.person_page(actor=actor, filters=filters, page=pages.page, per_page=pages.per_page)
    hits = search_selectors.person_search(actor=actor, query=q, filters=filters, limit=pages.per_page)
    for hit in hits:
        hit.person.score = hit.score
        hit.person.why = hit.why(reveal=policies.can_see_unmasked(actor, hit.person))
    page = Page(items=[hit.person for hit in hits], number=1, per_page=pages.per_page, has_next=False)
    page.query = q
    return page


@router.post("/people", auth=api_auth, response={201: PersonOut})
@capability("registry.create")
def person_create(request, payload: PersonCreateIn):
    """Register a person. Check for existing records first (``GET /people?q=``)."""
    person = services.person_create(
        actor=request.actor,
        data=_person_data(payload),
        phones=[p.dict() for p in payload.phones],
        identifiers=[i.dict() for i in payload.identifiers],
    )
    return Status(201, person)


@router.get("/people/{person_id}", auth=api_auth, response=PersonDetailOut)
@capability("registry.view")
def person_get(request, response: HttpResponse, person_id: uuid.UUID):
    """One person with phones, documents and households; the ETag is the version to edit."""
    person = _detail(request.actor, person_id)
    tag(response, person.version)
    return person


@router.patch("/people/{person_id}", auth=api_auth, response={200: PersonDetailOut, **refusals(409, 428)})
@capability("registry.edit")
def person_patch(request, person_id: uuid.UUID, payload: PersonPatchIn):
    """Change some fields. ``If-Match`` must carry the version you read (the ETag)."""
    person = Person.objects.visible_to(request.actor).get(pk=person_id)
    services.person_update(
        actor=request.actor, person=person, version=if_match(request), data=_person_data(payload)
    )
    return _detail(request.actor, person.pk)


@router.get("/households", auth=api_auth, response=HouseholdPageOut)
@capability("registry.view")
def household_list(request, pages: Query[PageIn], area: str = "", idpoor: str = ""):
    return household_selectors.household_page(
        actor=request.actor, area=area, idpoor=idpoor, page=pages.page, per_page=pages.per_page
    )


@router.get("/households/{household_id}", auth=api_auth, response=HouseholdOut)
@capability("registry.view")
def household_get(request, household_id: uuid.UUID):
    return household_selectors.household_detail(actor=request.actor, household_id=household_id).household
