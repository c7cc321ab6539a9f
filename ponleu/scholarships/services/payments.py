"""Payments: the due payments a term makes, their attendance check, overrides and payment.

``payments_run`` is idempotent: each (award, period) is one row, inserted with the database's
unique constraint deciding, so a second run only re-checks what is not yet paid or overridden.
The check is set-based: one aggregate query per period over every holder's registers
(``conditions.attendance_by_person``), then one UPDATE per distinct result, never one query per
award.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.education.choices import EnrolmentStatus
from ponleu.education.models import AcademicYear, Enrolment
from ponleu.programmes.services.base import date, text
from ponleu.scholarships import selectors
from ponleu.scholarships.choices import (
    AwardStatus,
    Channel,
    ConditionResult,
    PaymentStatus,
    ScholarshipAction,
)
from ponleu.scholarships.conditions import Attendance, attendance_by_person, verdict
from ponleu.scholarships.models import Award, Payment, Scheme
from ponleu.scholarships.schedule import Period, periods_of_term

MANAGE = "scholarships.manage"
PAY = "scholarships.pay"
PAYABLE = (ConditionResult.PASS, ConditionResult.NONE)


@dataclass
class RunResult:
    created: int = 0
    checked: int = 0
    passed: int = 0
    failed: int = 0
    no_data: int = 0
    rows_read: int = 0


def _scheme_for(actor, scheme, capability):
    found = Scheme.objects.actionable_by(actor, capability).filter(pk=scheme.pk).first()
    if found is None:
        raise PermissionDenied()
    return found


def _due_for(scheme: Scheme, year: AcademicYear, period: Period) -> int:
    """Insert the period's payment for every active award that covers it; existing rows stay."""
    awards = Award.objects.filter(
        scheme=scheme, status=AwardStatus.ACTIVE, starts_on__lte=period.ends_on, ends_on__gte=period.starts_on
    ).values_list("pk", flat=True)
    before = Payment.objects.filter(award__scheme=scheme, period_start=period.starts_on).count()
    rows = [
        Payment(
            award_id=pk,
            year=year,
            period_start=period.starts_on,
            period_end=period.ends_on,
            period_label=period.label,
            amount=scheme.amount,
            currency=scheme.currency,
            school_days=period.school_days,
        )
        for pk in awards.iterator(chunk_size=5000)
    ]
    Payment.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return Payment.objects.filter(award__scheme=scheme, period_start=period.starts_on).count() - before


def _not_promoted(scheme: Scheme, year: AcademicYear, open_rows) -> set:
    """Holders who repeated their grade or dropped out in the school year before ``year``."""
    if not scheme.requires_promotion:
        return set()
    previous = (
        AcademicYear.objects.filter(organisation_id=year.organisation_id, ends_on__lt=year.starts_on)
        .order_by("-ends_on")
        .first()
    )
    if previous is None:
        return set()
    return set(
        Enrolment.objects.filter(
            person_id__in=open_rows.values("award__person_id"),
            school_class__year=previous,
            status__in=[EnrolmentStatus.REPEATED, EnrolmentStatus.DROPPED_OUT],
        ).values_list("person_id", flat=True)
    )


def check_period(scheme: Scheme, year: AcademicYear, period: Period, result: RunResult) -> None:
    """Compute the attendance condition of every open payment of one period, set-based."""
    open_rows = Payment.objects.filter(
        award__scheme=scheme,
        period_start=period.starts_on,
        override_reason="",
        status__in=[PaymentStatus.DUE, PaymentStatus.WITHHELD],
    )
    holders = list(open_rows.values_list("pk", "award__person_id"))
    if not holders:
        return
    if scheme.min_attendance_percent is None:
        counts, read = {}, 0
    else:
        counts, read = attendance_by_person(
            open_rows.values("award__person_id"), period.starts_on, period.ends_on
        )
    repeated = _not_promoted(scheme, year, open_rows)
    result.rows_read += read
    groups: dict[tuple, list] = {}
    for pk, person_id in holders:
        seen = counts.get(person_id, Attendance())
        outcome = verdict(seen, scheme.min_attendance_percent)
        failed_promotion = person_id in repeated
        if failed_promotion and outcome in PAYABLE:
            outcome = ConditionResult.FAIL
        groups.setdefault((outcome, seen, failed_promotion), []).append(pk)
    now = clock.now()
    for (outcome, seen, failed_promotion), ids in groups.items():
        status = PaymentStatus.DUE if outcome in PAYABLE else PaymentStatus.WITHHELD
        for start in range(0, len(ids), 5000):
            Payment.objects.filter(pk__in=ids[start : start + 5000]).update(
                condition=outcome,
                status=status,
                days_present=seen.present,
                days_absent=seen.absent,
                days_excused=seen.excused,
                days_recorded=seen.recorded,
                attendance_percent=seen.percent,
                not_promoted=failed_promotion,
                checked_at=now,
            )
        result.checked += len(ids)
        if outcome == ConditionResult.FAIL:
            result.failed += len(ids)
        elif outcome == ConditionResult.NO_DATA:
            result.no_data += len(ids)
        else:
            result.passed += len(ids)


@transaction.atomic
def payments_run(*, actor, scheme: Scheme, year: AcademicYear, term: int) -> RunResult:
    """Make the term's payments due (once per period) and check each against the roll calls."""
    scheme = _scheme_for(actor, scheme, MANAGE)
    if year.organisation_id != scheme.organisation_id:
        raise ValidationFailed(_("Choose a school year of this organisation."), field="year")
    chosen = periods_of_term(selectors.scheme_periods(scheme, year), term)
    if not chosen:
        raise ValidationFailed(_("This term has no school days the scheme pays for."), field="term")
    result = RunResult()
    for period in chosen:
        result.created += _due_for(scheme, year, period)
        check_period(scheme, year, period, result)
    audit.record(
        actor=actor,
        action=ScholarshipAction.PAYMENTS_RUN,
        target=scheme,
        changes={
            "year": [None, str(year.pk)],
            "term": [None, term],
            "created": [None, result.created],
            "failed": [None, result.failed],
            "no_data": [None, result.no_data],
        },
    )
    return result


def _acting_payment(actor, payment: Payment, capability: str) -> Payment:
    found = (
        Payment.objects.actionable_by(actor, capability)
        .select_for_update()
        .select_related("award__scheme")
        .filter(pk=payment.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied()
    return found


@transaction.atomic
def payment_override(*, actor, payment: Payment, version, reason: str) -> Payment:
    """Pay despite a failed or missing condition, with the reason (audited)."""
    payment = _acting_payment(actor, payment, MANAGE)
    reason = text(reason)
    if not reason:
        raise ValidationFailed(_("Write why this payment is made despite the condition."), field="reason")
    if payment.status != PaymentStatus.WITHHELD:
        raise ValidationFailed(_("Only a withheld payment can be overridden."), field="reason")
    claim_version(payment, version)
    payment.status = PaymentStatus.DUE
    payment.override_reason = reason
    payment.overridden_by_id = actor.user_id
    payment.save(update_fields=["status", "override_reason", "overridden_by", "version"])
    audit.record(
        actor=actor,
        action=ScholarshipAction.PAYMENT_OVERRIDDEN,
        target=payment,
        changes={
            "status": [PaymentStatus.WITHHELD, PaymentStatus.DUE],
            "condition": [payment.condition, payment.condition],
        },
        reason=reason,
    )
    return payment


@transaction.atomic
def payments_pay(
    *,
    actor,
    payments: list[Payment],
    channel: str,
    paid_on,
    reference: str = "",
    received_by: str = "",
    proof=None,
) -> list[Payment]:
    """Record due payments as paid: cash to the caregiver with their signature or thumbprint
    photo; bank or mobile money with its reference. All or nothing."""
    if channel not in Channel.values:
        raise ValidationFailed(_("Choose how it was paid."), field="channel")
    day = date(paid_on, field="paid_on")
    if day > clock.today():
        raise ValidationFailed(_("This date is in the future: give the day it happened."), field="paid_on")
    reference, received_by = text(reference, 100), text(received_by, 200)
    if channel == Channel.CASH:
        if len(payments) != 1:
            raise ValidationFailed(
                _("Record cash payments one child at a time, with the caregiver's proof."), field="channel"
            )
        if not received_by:
            raise ValidationFailed(_("Write who received the cash."), field="received_by")
        if proof is None:
            raise ValidationFailed(
                _("Add the photo of the caregiver's signature or thumbprint."), field="proof"
            )
    elif not reference:
        raise ValidationFailed(_("Write the bank or mobile money reference."), field="reference")
    if not payments:
        raise ValidationFailed(_("Choose the payments to record."), field="payments")
    done = []
    for payment in payments:
        payment = _acting_payment(actor, payment, PAY)
        if payment.status != PaymentStatus.DUE:
            raise ValidationFailed(
                _("Payment for %(period)s is not due (withheld or already paid).")
                % {"period": payment.period_label},
                field="payments",
            )
        payment.status = PaymentStatus.PAID
        payment.paid_on, payment.channel, payment.reference, payment.received_by = (
            day,
            channel,
            reference,
            received_by,
        )
        payment.paid_by_id = actor.user_id
        payment.receipt_number = f"SCH-{day:%Y%m}-{str(payment.pk)[:8].upper()}"
        payment.version += 1
        fields = [
            "status",
            "paid_on",
            "channel",
            "reference",
            "received_by",
            "paid_by",
            "receipt_number",
            "version",
        ]
        if proof is not None:
            payment.proof.save(f"{payment.pk}.jpg", proof, save=False)
            fields.append("proof")
        payment.save(update_fields=fields)
        audit.record(
            actor=actor,
            action=ScholarshipAction.PAYMENT_PAID,
            target=payment,
            changes={
                "status": [PaymentStatus.DUE, PaymentStatus.PAID],
                "channel": [None, channel],
                "amount": [None, payment.amount],
            },
        )
        done.append(payment)
    return done
