import datetime as dt
import zoneinfo

import pytest

from ponleu.access.actors import system_actor
from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.early_warning import sources
from ponleu.early_warning.choices import FlagStatus, ScoringMethod
from ponleu.early_warning.models import Flag, RiskScore
from ponleu.early_warning.services.scoring import risk_score
from ponleu.education.services import attendance
from ponleu.education.tests.factories import class_with_pupils, fill_register, school_days
from ponleu.registry.choices import IDPoorStatus, MigrationDestination
from ponleu.registry.models import Household, HouseholdMember

PP = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
TODAY = dt.date(2026, 5, 12)


@pytest.fixture
def today():
    with clock.frozen(dt.datetime(2026, 5, 12, 9, 0, tzinfo=PP)):
        yield TODAY


def _present_until(enrolment, year, last, absent=()):
    days = school_days(year, dt.date(2026, 3, 23), last)
    fill_register(enrolment, {d: ("A" if d in absent else "P") for d in days})
    return days


def test_a_pupil_absent_three_school_days_running_is_flagged_with_the_reason(world, today):
    school_class, (steady, absent) = class_with_pupils(world, 2)
    year = school_class.year
    _present_until(steady, year, TODAY)
    days = _present_until(absent, year, TODAY)
    fill_register(absent, {d: "A" for d in days[-3:]})
    run = risk_score(actor=system_actor(world.org.pk), year=year, class_ids=[school_class.pk])
    assert (run.students, run.flagged, run.new_flags, run.method) == (2, 1, 1, ScoringMethod.RULE_INDEX)
    scores = {s.enrolment_id: s for s in RiskScore.objects.all()}
    assert not scores[steady.pk].flagged
    assert scores[steady.pk].factors == []
    flagged = scores[absent.pk]
    assert flagged.flagged
    assert flagged.probability is None
    codes = {f["code"]: f for f in flagged.factors}
    assert codes["absent_in_a_row"]["value"] == 3
    flag = Flag.objects.get()
    assert (flag.enrolment_id, flag.status) == (absent.pk, FlagStatus.AWAITING_REVIEW)
    assert AuditEvent.objects.filter(action="early_warning.scores.computed").count() == 1


def test_scoring_again_the_same_week_replaces_the_rows_and_keeps_one_flag(world, today):
    school_class, (pupil,) = class_with_pupils(world, 1)
    days = _present_until(pupil, school_class.year, TODAY)
    fill_register(pupil, {d: "A" for d in days[-4:]})
    actor = system_actor(world.org.pk)
    risk_score(actor=actor, year=school_class.year)
    risk_score(actor=actor, year=school_class.year)
    assert RiskScore.objects.count() == 1
    assert Flag.objects.count() == 1


def test_the_homeroom_teacher_hears_of_new_flags_once_without_a_name(world, today):
    from ponleu.notifications.models import Notification

    school_class, (pupil, other) = class_with_pupils(world, 2)
    days = _present_until(pupil, school_class.year, TODAY)
    _present_until(other, school_class.year, TODAY)
    fill_register(pupil, {d: "A" for d in days[-4:]})
    actor = system_actor(world.org.pk)
    risk_score(actor=actor, year=school_class.year)
    risk_score(actor=actor, year=school_class.year)  # the same flag: nobody is told twice
    notice = Notification.objects.get()
    assert notice.recipient == world.user("teacher")
    assert notice.kind == "pupil_flagged"
    assert "7A" in notice.message
    assert notice.link.endswith(f"?class={school_class.pk}")
    person = pupil.person
    for name in (person.given_name_km, person.family_name_km, person.given_name_latin):
        assert name not in notice.message


def test_scores_at_a_cutoff_ignore_every_later_record(world, today):
    """The prediction-time contract, through Ponleu's own tables: records after the cut-off
    (attendance, scores, incidents) change nothing."""
    school_class, (pupil,) = class_with_pupils(world, 1)
    year = school_class.year
    cutoff = dt.date(2026, 4, 24)
    _present_until(pupil, year, cutoff)
    loaded = sources.load(year, class_ids=[school_class.pk])
    from ponleu.early_warning.risk import frame_at

    before = frame_at(loaded, cutoff)
    later = school_days(year, cutoff + dt.timedelta(days=1), TODAY)
    fill_register(pupil, {d: "A" for d in later})
    from ponleu.education.models import Assessment, BehaviourIncident

    Assessment.objects.create(
        school_class=school_class,
        subject="maths",
        kind="monthly",
        held_on=later[2],
        max_score=50,
        scores={str(pupil.pk): 1},
    )
    BehaviourIncident.objects.create(enrolment=pupil, occurred_on=later[1], type="fighting", severity=3)
    after = frame_at(sources.load(year, class_ids=[school_class.pk]), cutoff)
    assert before.same_as(after)
    moved = frame_at(sources.load(year, class_ids=[school_class.pk]), TODAY)
    assert not before.same_as(moved)


def test_household_facts_come_from_the_registry(world, today):
    school_class, (pupil,) = class_with_pupils(world, 1)
    household = Household.objects.create(
        organisation=world.org, idpoor_status=IDPoorStatus.LEVEL_1, parents_away=MigrationDestination.THAILAND
    )
    HouseholdMember.objects.create(household=household, person=pupil.person, relationship="child")
    loaded = sources.load(school_class.year, class_ids=[school_class.pk])
    assert loaded.records.categorical["poverty_level"][0] == "1"
    assert loaded.records.categorical["x_parents_away"][0] == "yes"


def test_a_roll_call_rescores_the_class_at_once(world, today, django_capture_on_commit_callbacks):
    school_class, (pupil,) = class_with_pupils(world, 1)
    days = _present_until(pupil, school_class.year, TODAY - dt.timedelta(days=1))
    fill_register(pupil, {d: "A" for d in days[-2:]})
    teacher = world.actor("teacher")
    with django_capture_on_commit_callbacks(execute=True):
        attendance.roll_call_save(
            actor=teacher, school_class=school_class, day=TODAY, statuses={str(pupil.pk): "A"}
        )
    score = RiskScore.objects.get()
    assert score.flagged
    assert score.scored_on == TODAY
    assert {f["code"] for f in score.factors} >= {"absent_in_a_row"}
