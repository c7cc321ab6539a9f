import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ponleu.access.actors import system_actor
from ponleu.cases.models import Case
from ponleu.common import clock
from ponleu.common.errors import ValidationFailed
from ponleu.early_warning.choices import Decision, FlagStatus
from ponleu.early_warning.models import Flag, Intervention
from ponleu.early_warning.services import interventions, review, training
from ponleu.early_warning.services.scoring import risk_score
from ponleu.education.tests.factories import class_with_pupils, fill_register, school_days

PP = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
TODAY = dt.date(2026, 5, 12)


@pytest.fixture
def today():
    with clock.frozen(dt.datetime(2026, 5, 12, 9, 0, tzinfo=PP)):
        yield TODAY


def flagged_class(world, count):
    """A class in the caseworker's district whose pupils were all absent the last four school days."""
    school_class, pupils = class_with_pupils(world, count)
    days = school_days(school_class.year, dt.date(2026, 3, 23), TODAY)
    for pupil in pupils:
        fill_register(pupil, {d: ("A" if d in days[-4:] else "P") for d in days})
    risk_score(actor=system_actor(world.org.pk), year=school_class.year, class_ids=[school_class.pk])
    return school_class, pupils


def test_referral_to_case_management_opens_a_school_dropout_case(world, today):
    _, (pupil,) = flagged_class(world, 1)
    flag = Flag.objects.get()
    intervention = review.flag_decide(
        actor=world.actor("caseworker_a"),
        flag=flag,
        version=flag.version,
        decision=Decision.CASE_REFERRAL,
        reason="Works on the family farm most mornings",
    )
    case = Case.objects.get()
    assert case.person_id == pupil.person_id
    assert case.case_type.code == "school_dropout"
    assert intervention.case_id == case.pk
    flag.refresh_from_db()
    assert (flag.status, flag.decision) == (FlagStatus.DECIDED, Decision.CASE_REFERRAL)


def test_no_action_needs_a_reason_and_is_recorded_as_not_served(world, today):
    flagged_class(world, 1)
    flag = Flag.objects.get()
    with pytest.raises(ValidationFailed) as refused:
        review.flag_decide(
            actor=world.actor("caseworker_a"), flag=flag, version=flag.version, decision="no_action"
        )
    assert "reason" in refused.value.errors
    review.flag_decide(
        actor=world.actor("caseworker_a"),
        flag=flag,
        version=flag.version,
        decision="no_action",
        reason="Family moved back; attending again",
    )
    assert not Intervention.objects.exists()
    flag.refresh_from_db()
    assert not flag.served


def test_a_scholarship_with_conditions_and_its_outcome(world, today):
    flagged_class(world, 1)
    flag = Flag.objects.get()
    actor = world.actor("caseworker_a")
    details = {
        "amount": "60000",
        "currency": "KHR",
        "schedule": "monthly",
        "min_attendance_percent": "80",
        "provider": "Commune council",
        "starts_on": TODAY,
    }
    scholarship = review.flag_decide(
        actor=actor, flag=flag, version=flag.version, decision="scholarship", details=details
    )
    assert (scholarship.amount, scholarship.min_attendance_percent) == (60000, 80)
    with pytest.raises(ValidationFailed):
        interventions.outcome_record(
            actor=actor, intervention=scholarship, version=scholarship.version, outcome="gone"
        )
    interventions.outcome_record(
        actor=actor, intervention=scholarship, version=scholarship.version, outcome="stayed"
    )
    scholarship.refresh_from_db()
    assert scholarship.outcome == "stayed"


def test_the_risk_list_runs_the_same_queries_for_one_flagged_student_or_twenty(world, login_as, today):
    flagged_class(world, 1)
    flagged_class(world, 20)
    client = login_as(world.user("caseworker_a"))
    url = reverse("early_warning:risk_list")

    def count(path):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    classes = list(Flag.objects.values_list("school_class__school_id", flat=True).distinct())
    small = [s for s in classes if Flag.objects.filter(school_class__school_id=s).count() == 1][0]
    large = [s for s in classes if s != small][0]
    (n1, body1), (n20, body20) = count(f"{url}?school={small}"), count(f"{url}?school={large}")
    assert n1 == n20
    assert body1.count("<li>") < body20.count("<li>")


def test_the_list_is_cut_to_the_capacity_and_the_rest_are_counted(world, login_as, today):
    from ponleu.early_warning.services.settings import settings_update

    flagged_class(world, 5)
    settings_update(actor=world.actor("me_officer"), version=None, rules={}, flag_at=1, capacity_per_school=3)
    response = login_as(world.user("caseworker_a")).get(reverse("early_warning:risk_list"))
    body = response.content.decode()
    assert body.count('href="/risk/students/') == 3
    assert "2 more are flagged" in body


def test_the_m_and_e_officer_sees_risk_with_initials_only(world, login_as, today):
    _, (pupil,) = flagged_class(world, 1)
    body = login_as(world.user("me_officer")).get(reverse("early_warning:risk_list")).content.decode()
    assert pupil.person.initials() in body
    assert pupil.person.given_name_latin not in body


def test_the_effectiveness_report_says_it_is_not_randomised(world, login_as, today):
    flagged_class(world, 2)
    flags = list(Flag.objects.all())
    actor = world.actor("caseworker_a")
    review.flag_decide(actor=actor, flag=flags[0], version=flags[0].version, decision="home_visit")
    body = login_as(world.user("supervisor")).get(reverse("early_warning:effectiveness")).content.decode()
    assert "not a randomised comparison" in body


def test_training_with_too_few_dropouts_is_refused_and_the_rule_index_stays(world, today):
    from ponleu.early_warning.models import RiskModel
    from ponleu.education.tests.factories import enrol, make_class, make_pupil, make_school, make_year

    year = make_year(
        world.org,
        name="2024–2025",
        start=dt.date(2024, 11, 4),
        end=dt.date(2025, 8, 29),
        terms=(("S1", dt.date(2024, 11, 4), dt.date(2025, 8, 29)),),
    )
    school_class = make_class(make_school(world.org), year)
    for _ in range(3):
        enrol(school_class, make_pupil(world.org), on=year.starts_on)
    with pytest.raises(ValidationFailed) as refused:
        training.model_train(actor=world.actor("me_officer"))
    assert "at least 50 are needed" in str(refused.value.message)
    assert not RiskModel.objects.exists()
