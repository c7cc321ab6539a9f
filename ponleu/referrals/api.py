"""REST endpoints of the service directory and referrals under /api/v1/.

The directory is shared by the installation and is not personal data. Referrals are read
through ``Referral.objects.visible_to(actor)``: the referring organisation's scope, or "shared
with us" for the receiving organisation, which sees only the fields chosen when referring.
A referral out of reach, a missing one and a malformed id give the same 404. Writes to a
referral send its version in ``If-Match`` (428 without it, 409 when stale).
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from ninja import Query, Router, Schema, Status

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth
from ponleu.cases.models import Case
from ponleu.common.errors import Conflict, DomainError, PermissionDenied
from ponleu.registry.models import Consent, Household, Person

from . import selectors, services, workflow
from .models import Provider, Referral
from .schemas import (
    AcceptIn,
    ErrorOut,
    ProviderIn,
    ProviderOut,
    ReferralIn,
    ReferralListOut,
    ReferralOut,
    SendIn,
    StepIn,
    WithdrawConsentIn,
)

router = Router(tags=["referrals"])
NOT_FOUND = {"detail": "Not found", "errors": {}}
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


def _run(call):
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


def _if_match(request) -> str:
    version = (request.headers.get("If-Match") or "").strip().removeprefix("W/").strip('"')
    if not version:
        raise Refused(428, {"detail": "Send the version you read (the ETag) in If-Match.", "errors": {}})
    return version


def _visible(queryset, pk):
    """One row through the actor's scope; out of reach, missing and malformed are one 404."""
    if pk is None:
        return None
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValidationError, ValueError):
        raise Refused(404, NOT_FOUND) from None


# --- the directory ------------------------------------------------------------------------


def provider_out(provider: Provider) -> dict:
    return {
        "id": provider.pk,
        "version": provider.version,
        "kind": provider.kind,
        "name_km": provider.name_km,
        "name_en": provider.name_en,
        "organisation_id": provider.organisation_id,
        "location": provider.location_id,
        "address": provider.address,
        "phone": provider.phone,
        "hours": provider.hours,
        "languages": provider.languages,
        "accessibility": provider.accessibility,
        "is_active": provider.is_active,
        "services": [{"service": s.service, "cost": s.cost, "note": s.note} for s in provider.services.all()],
        "areas": [a.unit_id for a in provider.areas.all()],
    }


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
    return [
        provider_out(p)
        for p in Provider.objects.filter(pk__in=[p.pk for p in found]).prefetch_related("services", "areas")
    ]


@router.get("/directory/providers/{provider_id}", auth=api_auth, response={200: ProviderOut, **READ_ERRORS})
@capability("directory.view")
def provider_get(request, response: HttpResponse, provider_id: uuid.UUID):
    def call():
        provider = _visible(Provider.objects.prefetch_related("services", "areas"), provider_id)
        response["ETag"] = f'"{provider.version}"'
        return Status(200, provider_out(provider))

    return _run(call)


def _provider_data(payload: ProviderIn) -> dict:
    data = payload.dict()
    data["organisation"] = data.pop("organisation_id")
    return data


@router.post("/directory/providers", auth=api_auth, response={201: ProviderOut, **WRITE_ERRORS})
@capability("directory.manage")
def provider_create(request, payload: ProviderIn):
    def call():
        provider = services.provider_save(actor=request.actor, data=_provider_data(payload))
        return Status(201, provider_out(provider))

    return _run(call)


@router.put("/directory/providers/{provider_id}", auth=api_auth, response={200: ProviderOut, **WRITE_ERRORS})
@capability("directory.manage")
def provider_update(request, provider_id: uuid.UUID, payload: ProviderIn):
    def call():
        provider = _visible(Provider.objects.all(), provider_id)
        version = _if_match(request)
        provider = services.provider_save(
            actor=request.actor, provider=provider, data=_provider_data(payload), version=version
        )
        return Status(200, provider_out(provider))

    return _run(call)


# --- referrals ------------------------------------------------------------------------------


def referral_out(actor, referral: Referral) -> dict:
    receiving = selectors.is_receiver(actor, referral)
    side = workflow.RECEIVER if receiving else workflow.REFERRER
    acts_for_receiver = receiving or referral.receiver_id is None
    steps = [
        m.event
        for m in workflow.events_from(referral.status)
        if m.side == side or (m.side == workflow.RECEIVER and acts_for_receiver)
    ]
    body = {
        "id": referral.pk,
        "reference": referral.reference,
        "version": referral.version,
        "status": referral.status,
        "service": referral.service,
        "provider_id": referral.provider_id,
        "provider_name": referral.provider.name_km,
        "due_on": referral.due_on,
        "sent_at": referral.sent_at,
        "decline_reason": referral.decline_reason,
        "outcome": referral.outcome,
        "family_said": referral.family_said,
        "side": side,
        "next_steps": steps,
    }
    if receiving:
        shared = selectors.shared_record(actor=actor, referral=referral)
        chosen = set(referral.shared_fields)
        body["shared"] = (
            {
                name: (shared.village_id if name == "village" else getattr(shared, name))
                for name in (
                    "name",
                    "sex",
                    "age",
                    "village",
                    "reason",
                    "urgency",
                    "referrer_contact",
                    "phone",
                    "notes",
                    "health",
                    "sensitive",
                )
                if name in chosen
            }
            if shared
            else None
        )
        body["receiver_person_id"] = referral.receiver_person_id
    else:
        body.update(
            person_id=referral.person_id,
            reason=referral.reason,
            urgency=referral.urgency,
            shared_fields=referral.shared_fields,
            legal_exception=referral.legal_exception,
            exception_approved=referral.exception_approved_at is not None,
        )
    return body


def _referral(actor, referral_id) -> Referral:
    try:
        return selectors.referral_get(actor=actor, referral_id=referral_id)
    except (Referral.DoesNotExist, ValidationError, ValueError):
        raise Refused(404, NOT_FOUND) from None


def _target(actor, referral_id) -> Referral:
    """The referral a write names, without an access event: the read is recorded only when the
    write succeeds and the referral is shown."""
    return _visible(Referral.objects.visible_to(actor).select_related("provider", "person"), referral_id)


def _detail(actor, referral_id, response: HttpResponse, status: int = 200):
    referral = _referral(actor, referral_id)
    response["ETag"] = f'"{referral.version}"'
    return Status(status, referral_out(actor, referral))


class ReferralQuery(Schema):
    overdue: bool = False
    received: bool | None = None


@router.get("/referrals", auth=api_auth, response=ReferralListOut, summary="List referrals")
@capability("referrals.view")
def referral_list(request, filters: Query[ReferralQuery]):
    """Referrals made by the caller's organisation in their scope, and those referred to it
    (``received=true``); ``overdue=true`` keeps the open ones past their due date."""
    actor = request.actor
    with transaction.atomic():
        rows = selectors.referral_list(actor=actor, overdue=filters.overdue, received=filters.received)
        return {"items": [referral_out(actor, r) for r in rows]}


@router.get("/referrals/{referral_id}", auth=api_auth, response={200: ReferralOut, **READ_ERRORS})
@capability("referrals.view")
def referral_get(request, response: HttpResponse, referral_id: uuid.UUID):
    def call():
        with transaction.atomic():
            return _detail(request.actor, referral_id, response)

    return _run(call)


@router.post(
    "/referrals", auth=api_auth, response={201: ReferralOut, **WRITE_ERRORS}, summary="Draft a referral"
)
@capability("referrals.send")
def referral_create(request, response: HttpResponse, payload: ReferralIn):
    actor = request.actor

    def call():
        person = _visible(Person.objects.visible_to(actor), payload.person_id)
        provider = _visible(Provider.objects.filter(is_active=True), payload.provider_id)
        case = _visible(Case.objects.visible_to(actor), payload.case_id)
        household = _visible(Household.objects.visible_to(actor), payload.household_id)
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
            legal_exception=payload.legal_exception,
            legal_exception_note=payload.legal_exception_note,
        )
        return _detail(actor, referral.pk, response, 201)

    return _run(call)


@router.post("/referrals/{referral_id}/send", auth=api_auth, response={200: ReferralOut, **WRITE_ERRORS})
@capability("referrals.send")
def referral_send(request, response: HttpResponse, referral_id: uuid.UUID, payload: SendIn):
    """Sending twice with the same ``send_key`` sends once. Without covering consent (or an
    approved legal exception) 422 names what is missing."""
    actor = request.actor

    def call():
        referral = _target(actor, referral_id)
        version = _if_match(request)
        services.referral_send(actor=actor, referral=referral, version=version, send_key=payload.send_key)
        return _detail(actor, referral_id, response)

    return _run(call)


@router.post("/referrals/{referral_id}/steps", auth=api_auth, response={200: ReferralOut, **WRITE_ERRORS})
@capability("referrals.view")
def referral_step(request, response: HttpResponse, referral_id: uuid.UUID, payload: StepIn):
    """``event`` is one of ``next_steps``; each checks its own side and capability."""
    actor = request.actor

    def call():
        referral = _target(actor, referral_id)
        version = _if_match(request)
        services.referral_move(
            actor=actor, referral=referral, event=payload.event, version=version, data=payload.dict()
        )
        return _detail(actor, referral_id, response)

    return _run(call)


@router.post(
    "/referrals/{referral_id}/acceptance", auth=api_auth, response={200: ReferralOut, **WRITE_ERRORS}
)
@capability("referrals.accept")
def referral_accept(request, response: HttpResponse, referral_id: uuid.UUID, payload: AcceptIn):
    """Take the child into the receiving organisation's registry: ``person_id`` of a record it
    already holds, or a new one after a search (``create_new`` confirms none found is the child)."""
    actor = request.actor

    def call():
        referral = _target(actor, referral_id)
        version = _if_match(request)
        person = _visible(Person.objects.visible_to(actor), payload.person_id)
        services.referral_accept(
            actor=actor,
            referral=referral,
            version=version,
            existing_person=person,
            create_new=payload.create_new,
        )
        return _detail(actor, referral_id, response)

    return _run(call)


@router.post(
    "/referrals/{referral_id}/exception-approval", auth=api_auth, response={200: ReferralOut, **WRITE_ERRORS}
)
@capability("referrals.approve_exception")
def referral_approve_exception(request, response: HttpResponse, referral_id: uuid.UUID):
    actor = request.actor

    def call():
        referral = _target(actor, referral_id)
        version = _if_match(request)
        services.referral_approve_exception(actor=actor, referral=referral, version=version)
        return _detail(actor, referral_id, response)

    return _run(call)


@router.post("/consents/{consent_id}/withdrawal", auth=api_auth, response={204: None, **WRITE_ERRORS})
@capability("registry.edit")
def consent_withdraw(request, consent_id: uuid.UUID, payload: WithdrawConsentIn):
    """Withdraw a consent: sharing that rested on it ends at once, open referrals to that
    recipient are withdrawn, both organisations' staff and data-protection officers are told."""
    actor = request.actor

    def call():
        consent = _visible(Consent.objects.visible_to(actor), consent_id)
        services.referral_consent_withdraw(actor=actor, consent=consent, reason=payload.reason)
        return Status(204, None)

    return _run(call)
