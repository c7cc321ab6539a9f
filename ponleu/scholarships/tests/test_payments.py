"""Awards, the term's payments and their attendance condition from the roll calls, overrides,
payment, the ledger, and the early-warning link."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.education.choices import EnrolmentStatus
from ponleu.education.tests import factories as school
from ponleu.registry.models import Household, HouseholdMember
from ponleu.scholarships import selectors
from ponleu.scholarships.choices import ConditionResult, PaymentStatus
from ponleu.scholarships.models import Payment
from ponleu.scholarships.services import awards as award_services
from ponleu.scholarships.services import payments as services

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


@pytest.fixture
def setting(world):
    year = school.make_year(world.org)
    school_class = school.make_class(school.make_school(world.org), year, grade=7)
    return year, school_class


def _days(year, count, first=school.YEAR_START):
    return school.school_days(year, first, dt.date(2026, 3, 13))[:count]


def test_the_condition_counts_present_late_absent_excused_and_no_data(world, setting):
    year, school_class = setting
    scheme = factories.scheme(world, min_attendance_percent=80)
    days = _days(year, 20)
    good, good_enrolment = factories.holder(world, scheme, school_class)
    poor, poor_enrolment = factories.holder(world, scheme, school_class)
    excused, excused_enrolment = factories.holder(world, scheme, school_class)
    silent, _ = factories.holder(world, scheme, school_class)
    # 17 present, 1 late, 2 absent: 18 of 20 = 90 %.
    school.fill_register(
        good_enrolment, {d: "P" for d in days[:17]} | {days[17]: "L", days[18]: "A", days[19]: "A"}
    )
    # 14 present, 6 absent: 70 %.
    school.fill_register(poor_enrolment, {d: "P" for d in days[:14]} | {d: "A" for d in days[14:]})
    # 12 present, 3 absent, 5 excused: excused days count neither way, 12 of 15 = 80 %.
    school.fill_register(
        excused_enrolment,
        {d: "P" for d in days[:12]} | {d: "A" for d in days[12:15]} | {d: "E" for d in days[15:]},
    )
    result = services.payments_run(actor=world.actor("supervisor"), scheme=scheme, year=year, term=0)
    assert (result.created, result.passed, result.failed, result.no_data) == (4, 2, 1, 1)
    # One register row per pupil and month touched (holidays push 20 school days past November).
    assert result.rows_read == 3 * len({d.month for d in days})
    by_award = {p.award_id: p for p in Payment.objects.all()}
    row = by_award[good.pk]
    assert (row.condition, row.status) == (ConditionResult.PASS, PaymentStatus.DUE)
    assert (row.days_present, row.days_absent, row.days_excused, row.days_recorded) == (18, 2, 0, 20)
    assert str(row.attendance_percent) == "90.0"
    row = by_award[poor.pk]
    assert (row.condition, row.status, str(row.attendance_percent)) == (
        ConditionResult.FAIL,
        PaymentStatus.WITHHELD,
        "70.0",
    )
    row = by_award[excused.pk]
    assert (row.condition, row.days_excused, str(row.attendance_percent)) == (ConditionResult.PASS, 5, "80.0")
    row = by_award[silent.pk]
    assert (row.condition, row.status, row.days_recorded) == (
        ConditionResult.NO_DATA,
        PaymentStatus.WITHHELD,
        0,
    )
    assert row.school_days == len(school.school_days(year, school.YEAR_START, dt.date(2026, 3, 13)))


def test_only_the_days_of_the_period_count(world, setting):
    """A monthly scheme's November payment ignores what was recorded in December."""
    year, school_class = setting
    scheme = factories.scheme(world, schedule="monthly", min_attendance_percent=50)
    award, enrolment = factories.holder(world, scheme, school_class)
    november = school.school_days(year, school.YEAR_START, dt.date(2025, 11, 30))
    december = school.school_days(year, dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    school.fill_register(enrolment, {d: "P" for d in november} | {d: "A" for d in december})
    services.payments_run(actor=world.actor("supervisor"), scheme=scheme, year=year, term=0)
    rows = {p.period_label: p for p in Payment.objects.filter(award=award)}
    assert set(rows) == {"2025-11", "2025-12", "2026-01", "2026-02", "2026-03"}
    assert (rows["2025-11"].condition, rows["2025-11"].days_present) == (ConditionResult.PASS, len(november))
    assert rows["2025-11"].school_days == len(november)
    assert (rows["2025-12"].condition, rows["2025-12"].days_absent) == (ConditionResult.FAIL, len(december))
    assert rows["2026-01"].condition == ConditionResult.NO_DATA


def test_no_payment_twice_for_a_period(world, setting):
    year, school_class = setting
    scheme = factories.scheme(world)
    award, _ = factories.holder(world, scheme, school_class)
    actor = world.actor("supervisor")
    assert services.payments_run(actor=actor, scheme=scheme, year=year, term=0).created == 1
    assert services.payments_run(actor=actor, scheme=scheme, year=year, term=0).created == 0
    assert Payment.objects.filter(award=award).count() == 1
    payment = Payment.objects.get(award=award)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            award=award,
            year=year,
            period_start=payment.period_start,
            period_end=payment.period_end,
            period_label="again",
            amount=1,
            currency="KHR",
        )


def test_override_is_audited_and_makes_the_payment_due(world, setting):
    year, school_class = setting
    scheme = factories.scheme(world)
    award, _ = factories.holder(world, scheme, school_class)
    actor = world.actor("supervisor")
    services.payments_run(actor=actor, scheme=scheme, year=year, term=0)
    payment = Payment.objects.get(award=award)
    assert payment.status == PaymentStatus.WITHHELD
    with pytest.raises(ValidationFailed) as error:
        services.payment_override(actor=actor, payment=payment, version=payment.version, reason=" ")
    assert "reason" in error.value.errors
    with pytest.raises(PermissionDenied):
        services.payment_override(
            actor=world.actor("field_worker"), payment=payment, version=payment.version, reason="x"
        )
    services.payment_override(
        actor=actor, payment=payment, version=payment.version, reason="Sick, with a note"
    )
    payment.refresh_from_db()
    assert (payment.status, payment.override_reason) == (PaymentStatus.DUE, "Sick, with a note")
    event = AuditEvent.objects.get(action="scholarships.payment.overridden")
    assert event.reason == "Sick, with a note"
    assert event.target_id == str(payment.pk)
    # A second run does not undo the override.
    services.payments_run(actor=actor, scheme=scheme, year=year, term=0)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.DUE


def test_payment_needs_its_proof_and_the_ledger_is_the_sum_of_payments(world, setting):
    year, school_class = setting
    scheme = factories.scheme(
        world, currency="USD", amount="15.50", budget="1000", min_attendance_percent=None
    )
    holders = [factories.holder(world, scheme, school_class)[0] for _ in range(3)]
    actor = world.actor("supervisor")
    services.payments_run(actor=actor, scheme=scheme, year=year, term=0)
    payments = list(Payment.objects.filter(award__in=holders).order_by("pk"))
    assert {p.condition for p in payments} == {ConditionResult.NONE}
    with pytest.raises(ValidationFailed) as error:
        services.payments_pay(
            actor=actor, payments=payments[:1], channel="cash", paid_on="2026-03-20", received_by="Mother"
        )
    assert "proof" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        services.payments_pay(actor=actor, payments=payments, channel="bank", paid_on="2026-03-20")
    assert "reference" in error.value.errors
    services.payments_pay(
        actor=actor,
        payments=payments[:1],
        channel="cash",
        paid_on="2026-03-20",
        received_by="Mother",
        proof=ContentFile(b"\xff\xd8thumb"),
    )
    services.payments_pay(
        actor=actor, payments=payments[1:], channel="mobile", paid_on="2026-03-20", reference="WING-778"
    )
    with pytest.raises(ValidationFailed):  # paid already: never twice
        services.payments_pay(
            actor=actor, payments=payments[1:2], channel="bank", paid_on="2026-03-20", reference="B-1"
        )
    ledger = selectors.project_ledger(actor=actor, project=scheme.project)
    paid = sum(p.amount for p in Payment.objects.filter(status=PaymentStatus.PAID))
    assert paid == 3 * 1550
    assert ledger.totals["USD"]["paid"] == paid
    assert ledger.totals["USD"]["remaining"] == 100000 - paid
    assert AuditEvent.objects.filter(action="scholarships.payment.paid").count() == 3


def test_a_suspended_award_makes_nothing_due_and_resumes(world, setting):
    year, school_class = setting
    scheme = factories.scheme(world)
    award, _ = factories.holder(world, scheme, school_class)
    actor = world.actor("supervisor")
    award = award_services.award_change(
        actor=actor, award=award, version=award.version, kind="suspended", reason="Moved away"
    )
    assert services.payments_run(actor=actor, scheme=scheme, year=year, term=0).created == 0
    award = award_services.award_change(
        actor=actor, award=award, version=award.version, kind="resumed", reason="Back"
    )
    assert services.payments_run(actor=actor, scheme=scheme, year=year, term=0).created == 1
    award = award_services.award_change(
        actor=actor, award=award, version=award.version, kind="graduated", reason="Finished grade 9"
    )
    assert [e.kind for e in award.events.order_by("created_at")] == [
        "awarded",
        "suspended",
        "resumed",
        "graduated",
    ]


def test_promotion_condition_reads_last_years_result(world, setting):
    year, school_class = setting
    scheme = factories.scheme(world, requires_promotion=True, min_attendance_percent=None)
    start, end, terms = school.school_year_of(dt.date(2026, 11, 10))
    next_year = school.make_year(world.org, start=start, end=end, terms=terms)
    next_class = school.make_class(school_class.school, next_year, grade=8)
    promoted, enrolment = factories.holder(world, scheme, school_class, ends_on=dt.date(2027, 8, 27))
    repeater, repeated = factories.holder(world, scheme, school_class, ends_on=dt.date(2027, 8, 27))
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.save()
    repeated.status = EnrolmentStatus.REPEATED
    repeated.save()
    school.enrol(next_class, promoted.person, on=start)
    school.enrol(next_class, repeater.person, on=start)
    with clock.frozen(dt.datetime(2027, 3, 20, 9, 0, tzinfo=dt.UTC)):
        services.payments_run(actor=world.actor("supervisor"), scheme=scheme, year=next_year, term=0)
    rows = {p.award_id: p for p in Payment.objects.filter(year=next_year)}
    assert rows[promoted.pk].condition == ConditionResult.NONE
    assert (rows[repeater.pk].condition, rows[repeater.pk].not_promoted) == (ConditionResult.FAIL, True)


def test_eligibility_rules_are_recorded_on_the_application(world, setting):
    year, school_class = setting
    scheme = factories.scheme(
        world, idpoor_levels=["level_1"], requires_orphan=True, grade_min=7, grade_max=9
    )
    pupil = school.make_pupil(world.org)
    school.enrol(school_class, pupil)
    household = Household.objects.create(
        organisation=world.org, village_id="02010101", idpoor_status="level_1"
    )
    HouseholdMember.objects.create(household=household, person=pupil, relationship="child")
    actor = world.actor("supervisor")
    application = award_services.application_make(
        actor=actor, scheme=scheme, person_id=pupil.pk, facts={"orphan": True}
    )
    assert application.eligibility == {"idpoor": True, "orphan": True, "grade_min": True, "grade_max": True}
    other = school.make_pupil(world.org)
    school.enrol(school.make_class(school_class.school, year, grade=10), other)
    application = award_services.application_make(actor=actor, scheme=scheme, person_id=other.pk)
    assert application.eligibility == {
        "idpoor": False,
        "orphan": False,
        "grade_min": True,
        "grade_max": False,
    }
    # The committee decides with reasons, eligible or not; a refusal makes no award.
    assert (
        award_services.application_decide(
            actor=actor,
            application=application,
            version=application.version,
            approve=False,
            reason="Not eligible",
        )
        is None
    )


def test_another_organisation_sees_no_scheme(world):
    scheme = factories.scheme(world)
    assert not selectors.scheme_list(actor=world.actor("partner")).exists()
    with pytest.raises(type(scheme).DoesNotExist):
        selectors.scheme_get(actor=world.actor("partner_supervisor"), scheme_id=scheme.pk)
