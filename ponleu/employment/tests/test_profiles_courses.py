"""Profiles of young people (15–24, in reach, once, controlled skills, versioned edits, documents
only to who may see the identity) and course results on vocational groups."""

import datetime as dt

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.employment import selectors
from ponleu.employment.models import CourseResult
from ponleu.employment.services import courses as course_services
from ponleu.employment.services import profiles as services
from ponleu.programmes.choices import GroupBase
from ponleu.programmes.models import GroupKind
from ponleu.programmes.services import groups as group_services
from ponleu.programmes.tests import factories as programmes

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def test_a_profile_holds_schooling_skills_interests_and_consent(world):
    profile = factories.profile(
        world,
        skills=("computer", "sewing"),
        other_skills=["bookkeeping", " bookkeeping "],
        interests="shop work",
    )
    # Skills in the list's order, free words once each.
    assert profile.skills == ["sewing", "computer"]
    assert profile.other_skills == ["bookkeeping"]
    assert profile.area_code == factories.THMEI
    assert AuditEvent.objects.filter(action="employment.profile.created", target_id=str(profile.pk)).exists()
    assert selectors.profile_get(actor=world.actor("caseworker_a"), profile_id=profile.pk) == profile
    # A field worker sees the young people they follow, not others.
    assert not selectors.profile_queryset(actor=world.actor("field_worker")).exists()
    assert not selectors.profile_queryset(actor=world.actor("caseworker_b")).exists()
    assert not selectors.profile_queryset(actor=world.actor("partner")).exists()


@pytest.mark.parametrize(
    ("born", "allowed"),
    [
        (dt.date(2012, 1, 1), False),
        (dt.date(2011, 11, 21), True),
        (dt.date(2001, 11, 22), True),
        (dt.date(2001, 11, 21), False),
    ],
)
def test_only_young_people_of_15_to_24_have_a_profile(world, born, allowed):
    person = factories.young(world, born=born)
    if allowed:
        factories.profile(world, person)
    else:
        with pytest.raises(ValidationFailed) as error:
            factories.profile(world, person)
        assert "person" in error.value.errors


def test_a_person_out_of_reach_gets_no_profile_and_one_profile_per_person(world):
    person = factories.young(world)
    with pytest.raises(ValidationFailed) as error:
        factories.profile(world, person, actor_key="caseworker_b")
    assert "person" in error.value.errors
    factories.profile(world, person)
    with pytest.raises(ValidationFailed):
        factories.profile(world, person)


def test_skills_come_from_the_list_and_the_consent_is_dated(world):
    with pytest.raises(ValidationFailed) as error:
        factories.profile(world, skills=("juggling",))
    assert "skills" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        factories.profile(world, consent_on=dt.date(2026, 12, 1))
    assert "consent_on" in error.value.errors


def test_two_workers_editing_the_same_profile_the_second_is_refused(world):
    profile = factories.profile(world)
    values = {"education": "upper_secondary", "skill_codes": ["cooking"], "consent_on": dt.date(2026, 10, 1)}
    services.profile_update(
        actor=world.actor("supervisor"), profile=profile, version=profile.version, **values
    )
    # The second worker read version 1 too.
    with pytest.raises(Conflict):
        services.profile_update(actor=world.actor("caseworker_a"), profile=profile, version=1, **values)
    profile.refresh_from_db()
    assert profile.skills == ["cooking"]
    assert profile.version == 2


def test_documents_are_shown_only_to_who_may_see_the_identity(world):
    person = factories.young(world, is_sensitive=True)
    profile = factories.profile(world, person)
    services.document_add(
        actor=world.actor("supervisor"), profile=profile, kind="id_card", number="010203040"
    )
    with pytest.raises(ValidationFailed) as error:
        services.document_add(actor=world.actor("supervisor"), profile=profile, kind="passport", number="1")
    assert "kind" in error.value.errors
    # The supervisor sees sensitive records in their areas; a caseworker only their own.
    assert [d.number for d in selectors.documents(actor=world.actor("supervisor"), profile=profile)] == [
        "010203040"
    ]
    assert selectors.documents(actor=world.actor("caseworker_a"), profile=profile) is None
    # The audit names the kind of document, never its number.
    event = AuditEvent.objects.get(action="employment.document.added")
    assert "010203040" not in str(event.changes)


def test_a_course_is_a_vocational_group_and_results_are_per_participant(world):
    # An organisation whose kinds were set up before courses existed gets the kind.
    group_services.group_kinds_seed(organisation_id=world.org.pk)
    GroupKind.objects.filter(organisation=world.org, base=GroupBase.VOCATIONAL_COURSE).delete()
    course = factories.course(world)
    assert course.kind.base == GroupBase.VOCATIONAL_COURSE
    actor = world.actor("supervisor")
    done, left, outsider = (factories.young(world) for _ in range(3))
    group_services.members_add(
        actor=actor, group=course, person_ids=[done.pk, left.pk], joined_on=dt.date(2026, 1, 5)
    )
    result = course_services.course_result_record(
        actor=actor,
        course=course,
        person_id=done.pk,
        outcome="completed",
        ended_on=dt.date(2026, 6, 30),
        certificate_number="VT-0001",
    )
    assert result.certificate_number == "VT-0001"
    with pytest.raises(ValidationFailed) as error:
        course_services.course_result_record(
            actor=actor,
            course=course,
            person_id=left.pk,
            outcome="dropped_out",
            ended_on=dt.date(2026, 3, 1),
            certificate_number="VT-0002",
        )
    assert "certificate_number" in error.value.errors
    course_services.course_result_record(
        actor=actor, course=course, person_id=left.pk, outcome="dropped_out", ended_on=dt.date(2026, 3, 1)
    )
    with pytest.raises(ValidationFailed) as error:
        course_services.course_result_record(
            actor=actor,
            course=course,
            person_id=outsider.pk,
            outcome="completed",
            ended_on=dt.date(2026, 6, 30),
        )
    assert "person" in error.value.errors
    # A correction names the version read; a stale one loses.
    course_services.course_result_record(
        actor=actor,
        course=course,
        person_id=done.pk,
        outcome="completed",
        ended_on=dt.date(2026, 7, 1),
        certificate_number="VT-0001",
        version=result.version,
    )
    with pytest.raises(Conflict):
        course_services.course_result_record(
            actor=actor,
            course=course,
            person_id=done.pk,
            outcome="dropped_out",
            ended_on=dt.date(2026, 7, 1),
            version=result.version,
        )
    assert CourseResult.objects.get(person=done).ended_on == dt.date(2026, 7, 1)
    roll = selectors.course_roll(actor=actor, course=course)
    assert {m.person_id: r.outcome for m, _name, r, _seen in roll} == {
        done.pk: "completed",
        left.pk: "dropped_out",
    }


def test_results_only_on_courses_and_only_in_reach(world):
    club = programmes.group(world)
    child = factories.young(world)
    group_services.member_add(
        actor=world.actor("supervisor"), group=club, person_id=child.pk, joined_on=dt.date(2026, 2, 1)
    )
    with pytest.raises(ValidationFailed) as error:
        course_services.course_result_record(
            actor=world.actor("supervisor"),
            course=club,
            person_id=child.pk,
            outcome="completed",
            ended_on=dt.date(2026, 6, 30),
        )
    assert "course" in error.value.errors
    course = factories.course(world)
    with pytest.raises(PermissionDenied):
        course_services.course_result_record(
            actor=world.actor("caseworker_b"),
            course=course,
            person_id=child.pk,
            outcome="completed",
            ended_on=dt.date(2026, 6, 30),
        )
