"""REST endpoints of the service directory and referrals under /api/v1/.

The directory is shared by the installation and is not personal data. Referrals are read
through ``Referral.objects.visible_to(actor)``: the referring organisation's scope, or "shared
with us" for the receiving organisation, which sees only the fields chosen when referring.
A referral out of reach, a missing one and a malformed id give the same 404. Writes to a
referral send its version in ``If-Match`` (428 without it, 409 when stale).

An operation looks up through the scope, calls the service and returns the record; what it
raises is answered by the API's handlers (``ponleu/api/errors.py``) with the one error body.
"""

import uuid

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from ninja import Query, Router, Schema, Status

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth
from ponleu.cases.models import Case
from ponleu.common.etags import if_match, tag
from ponleu.common.schemas import refusals
from ponleu.early_warning.models import Flag
from ponleu.registry.models import Consent, Household, Person

from . import selectors, services
from .models import Provider, Referral
from .schemas import (
    AcceptIn,
    ProviderIn,
    ProviderOut,
    ProviderReportIn,
    ReferralIn,
    ReferralListOut,
    ReferralOut,
    SendIn,
    StepIn,
    WithdrawConsentIn,
)

router = Router(tags=["referrals"])
# Writes to a provider or a referral carry its version.
VERSIONED = refusals(409, 428)


def _optional(queryset, pk):
    """The row an optional id names, through the scope given (404 when it names none)."""
    return None if pk is None else queryset.get(pk=pk)


# --- the directory ------------------------------------------------------------------------


class DirectoryQuery(Schema):
    service: str = ""
    commune: str = ""
    cost: str = ""
    kind: str = ""


@router.get("/directory/providers", auth=api_auth, response=list[ProviderOut], summary="Search the directory")
@capability("directory.view")
def provider_list(request, filters: Query[DirectoryQuery]):
    """Providers offering ``service`` (at ``cost``) to ``commune`` (an NCDD code), nearest first."""
    found = selectors.provider_search(
        service=filters.service[:40],
        commune=filters.commune[:8],
        cost=filters.cost[:10],
        kind=filters.kind[:30],
    )
    # Prefetched onto the list itself, which keeps the search's order.
    prefetch_related_objects(found, "services", "areas")
    return found


@router.get("/directory/providers/{provider_id}", auth=api_auth, response=ProviderOut)
@capability("directory.view")
def provider_get(request, response: HttpResponse, provider_id: uuid.UUID):
    provider = selectors.provider_get(provider_id)
    tag(response, provider.version)
    return provider


def _provider_data(payload: ProviderIn) -> dict:
    data = payload.dict()
    data["organisation"] = data.pop("organisation_id")
    return data


@router.post("/directory/providers", auth=api_auth, response={201: ProviderOut})
@capability("directory.manage")
def provider_create(request, payload: ProviderIn):
    provider = services.provider_save(actor=request.actor, data=_provider_data(payload))
    return Status(201, provider)


@router.put("/directory/providers/{provider_id}", auth=api_auth, response={200: ProviderOut, **VERSIONED})
@capability("directory.manage")
def provider_update(request, provider_id: uuid.UUID, payload: ProviderIn):
    provider = Provider.objects.manageable_by(request.actor).get(pk=provider_id)
    return services.provider_save(
        actor=request.actor, provider=provider, data=_provider_data(payload), version=if_match(request)
    )


@router.post("/directory/providers/{provider_id}/report", auth=api_auth, response={204: None})
@capability("directory.view")
def provider_report(request, provider_id: uuid.UUID, payload: ProviderReportIn):
    """Say an entry is wrong: the administrators of its area find it among the entries to check
    until one of them saves it again. The note is theirs to read; the answer carries nothing."""
    provider = selectors.provider_get(provider_id)
    services.provider_report(actor=request.actor, provider=provider, note=payload.note)
    return Status(204, None)


# --- referrals ------------------------------------------------------------------------------


def _target(actor, referral_id) -> Referral:
    """The referral a write names, without an access event: the read is recorded only when the
    write succeeds and the referral is shown."""
    return Referral.objects.visible_to(actor).select_related("provider", "person").get(pk=referral_id)


def _detail(actor, referral_id, response: HttpResponse, status: int = 200):
    """The referral as it now is, read (and recorded) through the scope; its ETag is its version."""
    referral = selectors.referral_get(actor=actor, referral_id=referral_id)
    tag(response, referral.version)
    return Status(status, referral)


class ReferralQuery(Schema):
    overdue: bool = False
    received: bool | None = None


@router.get("/referrals", auth=api_auth, response=ReferralListOut, summary="List referrals")
@capability("referrals.view")
def referral_list(request, filters: Query[ReferralQuery]):
    """Referrals made by the caller's organisation in their scope, and those referred to it
    (``received=true``); ``overdue=true`` keeps the open ones past their due date."""
    with transaction.atomic():
        rows = selectors.referral_list(
            actor=request.actor, overdue=filters.overdue, received=filters.received
        )
    prefetch_related_objects(rows, "provider__areas")
    return {"items": rows}


@router.get("/referrals/{referral_id}", auth=api_auth, response=ReferralOut)
@capability("referrals.view")
def referral_get(request, response: HttpResponse, referral_id: uuid.UUID):
    with transaction.atomic():
        return _detail(request.actor, referral_id, response)


@router.post("/referrals", auth=api_auth, response={201: ReferralOut}, summary="Draft a referral")
@capability("referrals.send")
def referral_create(request, response: HttpResponse, payload: ReferralIn):
    actor = request.actor
    person = Person.objects.visible_to(actor).get(pk=payload.person_id)
    provider = Provider.objects.filter(is_active=True).get(pk=payload.provider_id)
    case = _optional(Case.objects.visible_to(actor), payload.case_id)
    household = _optional(Household.objects.visible_to(actor), payload.household_id)
    risk_flag = _optional(Flag.objects.visible_to(actor).select_related("enrolment"), payload.risk_flag_id)
    referral = services.referral_draft(
        actor=actor,
        person=person,
        provider=provider,
        service=payload.service,
        reason=payload.reason,
        urgency=payload.urgency,
        origin=payload.origin,
        shared_fields=payload.shared_fields,
        case=case,
        household=household,
        risk_flag=risk_flag,
        legal_exception=payload.legal_exception,
        legal_exception_note=payload.legal_exception_note,
    )
    return _detail(actor, referral.pk, response, 201)


@router.post("/referrals/{referral_id}/send", auth=api_auth, response={200: ReferralOut, **VERSIONED})
@capability("referrals.send")
def referral_send(request, response: HttpResponse, referral_id: uuid.UUID, payload: SendIn):
    """Sending twice with the same ``send_key`` sends once. Without covering consent (or an
    approved legal exception) 422 names what is missing."""
    referral = _target(request.actor, referral_id)
    services.referral_send(
        actor=request.actor, referral=referral, version=if_match(request), send_key=payload.send_key
    )
    return _detail(request.actor, referral_id, response)


@router.post("/referrals/{referral_id}/steps", auth=api_auth, response={200: ReferralOut, **VERSIONED})
@capability("referrals.view")
def referral_step(request, response: HttpResponse, referral_id: uuid.UUID, payload: StepIn):
    """``event`` is one of ``next_steps``; each checks its own side and capability."""
    referral = _target(request.actor, referral_id)
    services.referral_move(
        actor=request.actor,
        referral=referral,
        event=payload.event,
        version=if_match(request),
        data=payload.dict(),
    )
    return _detail(request.actor, referral_id, response)


@router.post("/referrals/{referral_id}/acceptance", auth=api_auth, response={200: ReferralOut, **VERSIONED})
@capability("referrals.accept")
def referral_accept(request, response: HttpResponse, referral_id: uuid.UUID, payload: AcceptIn):
    """Take the child into the receiving organisation's registry: ``person_id`` of a record it
    already holds, or a new one after a search (``create_new`` confirms none found is the child).
    With ``case_type`` (one of the organisation's case types), a case is opened for the child too,
    linked to the referral (``receiver_case_id``)."""
    actor = request.actor
    referral = _target(actor, referral_id)
    version = if_match(request)
    services.referral_accept(
        actor=actor,
        referral=referral,
        version=version,
        existing_person=_optional(Person.objects.visible_to(actor), payload.person_id),
        create_new=payload.create_new,
        case_type=payload.case_type,
    )
    return _detail(actor, referral_id, response)


@router.post(
    "/referrals/{referral_id}/exception-approval", auth=api_auth, response={200: ReferralOut, **VERSIONED}
)
@capability("referrals.approve_exception")
def referral_approve_exception(request, response: HttpResponse, referral_id: uuid.UUID):
    referral = _target(request.actor, referral_id)
    services.referral_approve_exception(actor=request.actor, referral=referral, version=if_match(request))
    return _detail(request.actor, referral_id, response)


@router.post("/consents/{consent_id}/withdrawal", auth=api_auth, response={204: None})
@capability("registry.edit")
def consent_withdraw(request, consent_id: uuid.UUID, payload: WithdrawConsentIn):
    """Withdraw a consent: sharing that rested on it ends at once, open referrals to that
    recipient are withdrawn, both organisations' staff and data-protection officers are told."""
    consent = Consent.objects.visible_to(request.actor).get(pk=consent_id)
    services.referral_consent_withdraw(actor=request.actor, consent=consent, reason=payload.reason)
    return Status(204, None)
