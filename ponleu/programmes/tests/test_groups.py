"""Groups, members and sessions: attendance of registered members and of people counted by sex
and age band; duplicates refused; the group page's attendance rate."""

import datetime as dt

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.programmes import selectors
from ponleu.programmes.choices import GroupBase
from ponleu.programmes.models import Attendance, GroupKind, Session, SessionHeadcount
from ponleu.programmes.services import groups as services

from . import factories

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 7)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def test_an_organisation_starts_with_the_eight_kinds_of_group(world):
    kinds = services.group_kinds_seed(organisation_id=world.org.pk)
    assert {k.base for k in kinds} == set(GroupBase.values) - {GroupBase.OTHER}
    assert len(services.group_kinds_seed(organisation_id=world.org.pk)) == 8
    assert not GroupKind.objects.filter(organisation=world.other_org).exists()


def test_a_group_stands_in_its_village_with_its_facilitator(world):
    club = factories.group(world)
    assert club.area_code == factories.THMEI
    assert club.owner_id == world.user("field_worker").pk
    # The facilitator sees their group; a caseworker of another district does not.
    assert selectors.group_list(actor=world.actor("field_worker")).get() == club
    assert not selectors.group_list(actor=world.actor("caseworker_b")).exists()


def test_a_group_outside_ones_areas_is_refused(world):
    with pytest.raises(PermissionDenied):
        factories.group(world, village="17070101")


def test_a_member_joins_once(world):
    club = factories.group(world)
    child = factories.child(world)
    actor = world.actor("supervisor")
    member = services.member_add(actor=actor, group=club, person_id=child.pk, joined_on=DAY, role="leader")
    assert member.role == "leader"
    with pytest.raises(ValidationFailed) as error:
        services.member_add(actor=actor, group=club, person_id=child.pk, joined_on=DAY)
    assert "person" in error.value.errors
    services.member_leave(actor=actor, member=member, left_on=dt.date(2026, 6, 1))
    services.member_add(actor=actor, group=club, person_id=child.pk, joined_on=dt.date(2026, 9, 1))


def test_a_session_records_members_present_and_people_counted(world):
    club = factories.group(world)
    members = factories.members(club, 5, world)
    session = services.session_record(
        actor=world.actor("field_worker"),
        group=club,
        held_on=DAY,
        topic="Child rights",
        present_ids=[m.pk for m in members[:3]],
        counted=[
            {"sex": "F", "age_band": "6-11", "count": 7},
            {"sex": "M", "age_band": "12-14", "count": 5},
            {"sex": "M", "age_band": "15-17", "count": 0},
        ],
    )
    assert Attendance.objects.filter(session=session).count() == 3
    assert sorted(SessionHeadcount.objects.filter(session=session).values_list("count", flat=True)) == [5, 7]
    event = AuditEvent.objects.get(action="programmes.session.recorded")
    assert event.changes["present"] == [None, 3]
    assert event.changes["counted"] == [None, 12]


def test_duplicates_are_refused(world):
    club = factories.group(world)
    members = factories.members(club, 2, world)
    actor = world.actor("field_worker")
    with pytest.raises(ValidationFailed) as error:
        services.session_record(
            actor=actor, group=club, held_on=DAY, topic="T", present_ids=[members[0].pk] * 2
        )
    assert "present" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        services.session_record(
            actor=actor,
            group=club,
            held_on=DAY,
            topic="T",
            counted=[
                {"sex": "F", "age_band": "6-11", "count": 2},
                {"sex": "F", "age_band": "6-11", "count": 3},
            ],
        )
    assert "headcounts.1" in error.value.errors
    services.session_record(actor=actor, group=club, held_on=DAY, topic="T")
    with pytest.raises(ValidationFailed) as error:
        services.session_record(actor=actor, group=club, held_on=DAY, topic="T")
    assert "held_on" in error.value.errors
    assert Session.objects.count() == 1


def test_only_members_on_the_day_can_be_present(world):
    club = factories.group(world)
    other = factories.group(world)
    outsider = factories.members(other, 1, world)[0]
    with pytest.raises(ValidationFailed):
        services.session_record(
            actor=world.actor("field_worker"), group=club, held_on=DAY, topic="T", present_ids=[outsider.pk]
        )
    with pytest.raises(ValidationFailed):
        services.session_record(
            actor=world.actor("field_worker"), group=club, held_on=dt.date(2027, 1, 1), topic="T"
        )


def test_attendance_taken_again_replaces_it_at_the_version_read(world):
    club = factories.group(world)
    members = factories.members(club, 3, world)
    actor = world.actor("field_worker")
    session = services.session_record(
        actor=actor, group=club, held_on=DAY, topic="T", present_ids=[members[0].pk]
    )
    services.attendance_save(
        actor=actor,
        session=session,
        present_ids=[m.pk for m in members[1:]],
        counted=[],
        version=session.version,
    )
    assert set(Attendance.objects.filter(session=session).values_list("member_id", flat=True)) == {
        m.pk for m in members[1:]
    }
    with pytest.raises(Conflict):
        services.attendance_save(actor=actor, session=session, present_ids=[], version=1)


def test_someone_else_cannot_take_the_attendance(world):
    club = factories.group(world)
    with pytest.raises(PermissionDenied):
        services.session_record(actor=world.actor("caseworker_b"), group=club, held_on=DAY, topic="T")


def test_the_group_page_shows_the_attendance_rate(world):
    club = factories.group(world)
    members = factories.members(club, 4, world)
    actor = world.actor("field_worker")
    services.session_record(
        actor=actor, group=club, held_on=DAY, topic="A", present_ids=[m.pk for m in members]
    )
    services.session_record(actor=actor, group=club, held_on=DAY, topic="B", present_ids=[members[0].pk])
    detail = selectors.group_detail(actor=actor, group_id=club.pk)
    assert detail.attendance_rate == round(100 * 5 / 8)
    assert len(detail.members) == 4
    sheet = selectors.attendance_sheet(actor=actor, group=club, day=DAY, session=detail.sessions[0].session)
    assert len(sheet.rows) == 4


def test_a_class_list_joins_together_or_not_at_all(world):
    club = factories.group(world)
    first, second = factories.child(world), factories.child(world)
    actor = world.actor("supervisor")
    with pytest.raises(ValidationFailed):
        services.members_add(actor=actor, group=club, person_ids=[first.pk, first.pk], joined_on=DAY)
    services.member_add(actor=actor, group=club, person_id=first.pk, joined_on=DAY)
    with pytest.raises(ValidationFailed):
        services.members_add(actor=actor, group=club, person_ids=[second.pk, first.pk], joined_on=DAY)
    assert club.members.count() == 1
    services.members_add(actor=actor, group=club, person_ids=[second.pk], joined_on=DAY)
    assert club.members.count() == 2
