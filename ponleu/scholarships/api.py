"""REST endpoints of scholarships under /api/v1/scholarships/.

Every id a request carries is looked up through ``visible_to``/``actionable_by``: out of reach,
missing and malformed give the same 404. Children are named as the identity policy allows
(initials otherwise, and no id). An override sends the version it read in ``If-Match``.
"""

import datetime as dt
import uuid

from django.db import transaction
from django.http import HttpResponse
from ninja import Router

from ponleu.access.endpoints import capability
from ponleu.access.policies import can_see_identity, identity_label
from ponleu.accounts.api_auth import api_auth
from ponleu.audit import services as audit
from ponleu.common.etags import if_match, tag
from ponleu.common.schemas import refusals

from . import selectors
from .choices import ScholarshipAction
from .models import Payment
from .schemas import OverrideIn, PaymentOut, RunIn, RunOut, SchemeOut
from .services import payments as payment_services

router = Router(tags=["scholarships"])
VIEW = "scholarships.view"
MANAGE = "scholarships.manage"
VERSIONED = refusals(409, 428)


def _scheme_out(scheme) -> dict:
    return {
        "id": scheme.pk,
        "name": scheme.name,
        "project_id": scheme.project_id,
        "kind": scheme.kind,
        "currency": scheme.currency,
        "amount": scheme.amount,
        "schedule": scheme.schedule,
        "opens_on": scheme.opens_on,
        "closes_on": scheme.closes_on,
        "min_attendance_percent": scheme.min_attendance_percent,
        "requires_promotion": scheme.requires_promotion,
        "ledger": selectors.ledger_of(scheme),
    }


def _payment_out(actor, payment: Payment) -> dict:
    person = payment.award.person
    return {
        **{
            field: getattr(payment, field)
            for field in (
                "id",
                "version",
                "award_id",
                "period_start",
                "period_end",
                "period_label",
                "amount",
                "currency",
                "status",
                "condition",
                "days_present",
                "days_absent",
                "days_excused",
                "days_recorded",
                "school_days",
                "attendance_percent",
                "override_reason",
                "paid_on",
                "channel",
                "receipt_number",
            )
        },
        "person_id": person.pk if can_see_identity(actor, person) else None,
        "name": identity_label(actor, person),
    }


@router.get(
    "/schemes", auth=api_auth, response=list[SchemeOut], summary="Scholarship schemes in the caller's reach"
)
@capability(VIEW)
def scheme_list(request):
    return [_scheme_out(s) for s in selectors.scheme_list(actor=request.actor)[:200]]


@router.get("/schemes/{scheme_id}", auth=api_auth, response=SchemeOut, summary="One scheme with its ledger")
@capability(VIEW)
def scheme_get(request, scheme_id: uuid.UUID):
    with transaction.atomic():
        scheme = selectors.scheme_get(actor=request.actor, scheme_id=scheme_id)
        audit.record_access(
            actor=request.actor,
            action=ScholarshipAction.SCHEME_VIEWED,
            target_type="scholarships.scheme",
            target_ids=[scheme.pk],
        )
    return _scheme_out(scheme)


@router.get(
    "/schemes/{scheme_id}/payments",
    auth=api_auth,
    response=list[PaymentOut],
    summary="A period's payments with their attendance check",
)
@capability(VIEW)
def payment_list(request, scheme_id: uuid.UUID, period: dt.date | None = None):
    """The payments of one period (by its first day; the latest period run when omitted)."""
    with transaction.atomic():
        scheme = selectors.scheme_get(actor=request.actor, scheme_id=scheme_id)
        page = selectors.scheme_page(actor=request.actor, scheme=scheme, period_start=period)
        return [_payment_out(request.actor, row.payment) for row in page.payments]


@router.post(
    "/schemes/{scheme_id}/runs",
    auth=api_auth,
    response=RunOut,
    summary="Make a term's payments due and check them against the roll calls",
)
@capability(MANAGE)
def run(request, scheme_id: uuid.UUID, payload: RunIn):
    scheme = selectors.scheme_get(actor=request.actor, scheme_id=scheme_id, capability=MANAGE)
    year = selectors.year_get(scheme=scheme, year_id=payload.year_id)
    result = payment_services.payments_run(
        actor=request.actor, scheme=scheme, year=year, term=payload.term - 1
    )
    return {
        "created": result.created,
        "checked": result.checked,
        "passed": result.passed,
        "failed": result.failed,
        "no_data": result.no_data,
        "roll_call_rows_read": result.rows_read,
    }


@router.post(
    "/payments/{payment_id}/override",
    auth=api_auth,
    response={200: PaymentOut, **VERSIONED},
    summary="Pay a withheld payment despite its condition, with the reason",
)
@capability(MANAGE)
def override(request, response: HttpResponse, payment_id: uuid.UUID, payload: OverrideIn):
    payment = selectors.payment_get(actor=request.actor, payment_id=payment_id, capability=MANAGE)
    payment = payment_services.payment_override(
        actor=request.actor, payment=payment, version=if_match(request), reason=payload.reason
    )
    with transaction.atomic():
        payment = selectors.payment_get(actor=request.actor, payment_id=payment.pk)
        audit.record_access(
            actor=request.actor,
            action=ScholarshipAction.SCHEME_VIEWED,
            target_type="registry.person",
            target_ids=[str(payment.award.person_id)],
        )
    tag(response, payment.version)
    return _payment_out(request.actor, payment)
