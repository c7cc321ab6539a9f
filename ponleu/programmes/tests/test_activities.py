"""Trainings and events with registered and counted participants; distributions from stock that
never goes negative, with a warning for a repeat; a committee's visit to a brick kiln opening a
child-labour case; an out-of-school child brought back and followed up."""

import datetime as dt

import pytest

from ponleu.cases.models import Case
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.education.models import Enrolment
from ponleu.education.tests import factories as schools
from ponleu.programmes import selectors
from ponleu.programmes.choices import GroupBase, OutOfSchoolStatus
from ponleu.programmes.models import ChildSeen, ProjectCase, StockMovement
from ponleu.programmes.services import distributions, events, monitoring, out_of_school
from ponleu.registry.models import Person
from ponleu.registry.tests import factories as people

from . import factories

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 7)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


# --- events --------------------------------------------------------------------------------


def _event(world, actor_key="field_worker", **extra):
    values = {
        "kind": "awareness",
        "topic": "trafficking",
        "title": "Safe migration day",
        "audience": "community",
        "held_on": DAY,
        "village_code": factories.THMEI,
    }
    values.update(extra)
    return events.event_record(actor=world.actor(actor_key), **values)


def test_an_awareness_event_counts_a_crowd_by_sex_age_and_disability(world):
    event = _event(
        world,
        counted=[
            {"sex": "F", "age_band": "18+", "count": 40},
            {"sex": "M", "age_band": "18+", "count": 31},
            {"sex": "F", "age_band": "12-14", "with_disability": True, "count": 2},
        ],
    )
    detail = selectors.event_detail(actor=world.actor("field_worker"), event_id=event.pk)
    assert detail.crowd == 73
    assert [h.with_disability for h in detail.headcounts].count(True) == 1
    with pytest.raises(ValidationFailed):
        _event(world)  # the same event twice


def test_a_training_records_registered_participants_and_their_test_scores(world):
    child = factories.child(world, owner=world.user("field_worker"))
    event = _event(
        world,
        kind="training",
        topic="child_rights",
        title="Child rights for teachers",
        has_tests=True,
        participants=[
            {"person_id": child.pk, "pre_score": 40, "post_score": 70},
            {"user_id": world.user("caseworker_a").pk, "pre_score": 60, "post_score": 80},
        ],
    )
    detail = selectors.event_detail(actor=world.actor("supervisor"), event_id=event.pk)
    assert len(detail.participants) == 2
    assert detail.average_gain == 25.0
    with pytest.raises(ValidationFailed):
        _event(world, title="Twice", participants=[{"person_id": child.pk}, {"person_id": child.pk}])
    with pytest.raises(ValidationFailed):
        _event(
            world, title="Scores", participants=[{"person_id": child.pk, "pre_score": 120}], has_tests=True
        )


def _recorded_queries(world, title, participants) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _event(world, actor_key="supervisor", title=title, participants=participants)
    return len(queries)


def test_participants_are_checked_in_the_same_queries_for_one_row_or_twenty(world):
    children = [factories.child(world) for _ in range(19)]
    staff = world.user("caseworker_a").pk
    _recorded_queries(world, "Warm-up", [{"person_id": children[0].pk}])
    one = _recorded_queries(world, "One", [{"person_id": children[0].pk}, {"user_id": staff}])
    twenty = _recorded_queries(
        world, "Twenty", [*({"person_id": c.pk} for c in children), {"user_id": staff}]
    )
    assert twenty == one


def test_each_refused_participant_row_is_named(world):
    child = factories.child(world)
    outsider = factories.child(world, organisation=world.other_org, team=None, village="17070101")
    for rows, field in (
        ([{"person_id": child.pk}, {"person_id": outsider.pk}], "participants.1"),
        ([{"person_id": child.pk}, {"person_id": "not-a-uuid"}], "participants.1"),
        ([{"user_id": world.user("partner").pk}], "participants.0"),
        ([{"user_id": "nobody"}], "participants.0"),
        (
            [{"user_id": world.user("caseworker_a").pk}, {"user_id": world.user("caseworker_a").pk}],
            "participants.1",
        ),
    ):
        with pytest.raises(ValidationFailed) as refused:
            _event(world, actor_key="supervisor", title=f"Refused {field}", participants=rows)
        assert field in refused.value.errors


def test_an_event_outside_ones_areas_is_refused(world):
    with pytest.raises(PermissionDenied):
        _event(world, village_code="17070101")


# --- distributions -------------------------------------------------------------------------


def test_stock_never_goes_negative_and_a_repeat_is_warned_of(world):
    project = factories.project(world, staff_ids=[world.user("field_worker").pk])
    child = factories.child(world, owner=world.user("field_worker"))
    supervisor = world.actor("supervisor")
    distributions.stock_receive(
        actor=supervisor, project=project, place_code="0201", item="school_kit", quantity=2, received_on=DAY
    )

    def give(quantity=1, day=DAY, **recipient):
        return distributions.distribution_record(
            actor=world.actor("field_worker"),
            project=project,
            place_code="0201",
            item="school_kit",
            quantity=quantity,
            given_on=day,
            signed_by="Sok Dara's mother",
            **(recipient or {"person_id": child.pk}),
        )

    with pytest.raises(ValidationFailed) as error:
        give(quantity=3)
    assert "quantity" in error.value.errors
    first = give()
    assert first.warnings == []
    second = give(day=DAY + dt.timedelta(days=30))
    assert len(second.warnings) == 1
    with pytest.raises(ValidationFailed):
        give()  # the store is empty
    assert distributions.stock_of(project, "0201", "school_kit") == 0
    assert selectors.stock_levels(project=project) == [
        {"place_id": "0201", "place__name_km": "បាណន់", "item": "school_kit", "received": 2, "stock": 0}
    ]
    assert StockMovement.objects.filter(quantity__lt=0).count() == 2


def test_a_distribution_names_one_recipient_in_reach(world):
    project = factories.project(world, staff_ids=[world.user("field_worker").pk])
    distributions.stock_receive(
        actor=world.actor("supervisor"),
        project=project,
        place_code="02",
        item="uniform",
        quantity=5,
        received_on=DAY,
    )
    far = factories.child(world, village=factories.KBAL_THNAL, team=world.team_b)
    with pytest.raises(ValidationFailed):
        distributions.distribution_record(
            actor=world.actor("field_worker"),
            project=project,
            place_code="02",
            item="uniform",
            quantity=1,
            given_on=DAY,
            signed_by="x",
            person_id=far.pk,
        )
    with pytest.raises(ValidationFailed):
        distributions.distribution_record(
            actor=world.actor("field_worker"),
            project=project,
            place_code="02",
            item="uniform",
            quantity=1,
            given_on=DAY,
            signed_by="x",
        )


# --- monitoring ----------------------------------------------------------------------------


def test_a_child_seen_at_a_brick_kiln_becomes_a_child_labour_case(world):
    project = factories.project(world)
    committee = factories.group(world, base=GroupBase.LABOUR_COMMITTEE, project_ids=[project.pk])
    actor = world.actor("caseworker_a")
    visit = monitoring.visit_record(
        actor=actor,
        committee=committee,
        visited_on=DAY,
        workplace="brick_kiln",
        workplace_name="Kiln 3",
        village_code=factories.THMEI,
        children=[{"name": "Vannak", "sex": "M", "age": 12, "work": "carrying bricks"}],
    )
    seen = ChildSeen.objects.get(visit=visit)
    case = monitoring.child_seen_open_case(
        actor=actor,
        seen=seen,
        new_child={"given_name_latin": "Vannak", "family_name_latin": "Chan", "sex": "M"},
    )
    assert case.case_type.code == "child_labour"
    assert case.subtype == "brick_kiln"
    assert case.source == "labour_committee"
    seen.refresh_from_db()
    assert seen.case == case
    assert seen.person.date_of_birth == dt.date(2014, 7, 1)
    assert ProjectCase.objects.filter(project=project, case=case).exists()
    with pytest.raises(ValidationFailed):
        monitoring.child_seen_open_case(actor=actor, seen=seen, person_id=seen.person_id)


def test_registering_a_child_seen_waits_for_the_search(world):
    known = people.person(
        world.actor("caseworker_a"), given_name_latin="Vannak", date_of_birth=dt.date(2014, 2, 1), sex="M"
    )
    committee = factories.group(world, base=GroupBase.LABOUR_COMMITTEE)
    actor = world.actor("caseworker_a")
    visit = monitoring.visit_record(
        actor=actor,
        committee=committee,
        visited_on=DAY,
        workplace="farm",
        village_code=factories.THMEI,
        children=[{"name": "Sok Vannak", "sex": "M", "age": 12}],
    )
    seen = visit.children.get()
    names = {"family_name_latin": "Sok", "given_name_latin": "Vannak"}
    matches = selectors.child_seen_matches(actor=actor, seen=seen, names=names)
    assert known in [c.person for c in matches.candidates]
    with pytest.raises(ValidationFailed) as error:
        monitoring.child_seen_open_case(actor=actor, seen=seen, new_child=names)
    assert "person" in error.value.errors
    assert not Case.objects.exists()
    registered = Person.objects.count()
    case = monitoring.child_seen_open_case(actor=actor, seen=seen, person_id=known.pk)
    assert case.person == known
    assert case.subtype == "agriculture"
    assert Person.objects.count() == registered


def test_only_a_committee_visits_workplaces(world):
    club = factories.group(world)
    with pytest.raises(ValidationFailed):
        monitoring.visit_record(
            actor=world.actor("caseworker_a"),
            committee=club,
            visited_on=DAY,
            workplace="farm",
            village_code=factories.THMEI,
        )


# --- out-of-school children ----------------------------------------------------------------


def test_an_out_of_school_child_is_enrolled_and_followed_up(world):
    actor = world.actor("supervisor")
    child = factories.child(world)
    record = out_of_school.out_of_school_record(
        actor=actor,
        person_id=child.pk,
        identified_on=DAY,
        found_by="outreach",
        reason="work",
        plan="re_enrolment",
    )
    with pytest.raises(ValidationFailed):
        out_of_school.out_of_school_record(
            actor=actor,
            person_id=child.pk,
            identified_on=DAY,
            found_by="outreach",
            reason="work",
            plan="re_enrolment",
        )
    school = schools.make_school(world.org)
    year = schools.make_year(world.org)
    school_class = schools.make_class(school, year, grade=6)
    record = out_of_school.out_of_school_return(
        actor=actor,
        record=record,
        returned_on=dt.date(2026, 3, 9),
        version=record.version,
        school_class=school_class,
    )
    assert record.status == OutOfSchoolStatus.RETURNED
    assert Enrolment.objects.get(person=child).school_class == school_class
    assert record.next_follow_up_on == dt.date(2026, 9, 9)
    with clock.frozen(dt.datetime(2027, 5, 3, 9, 0, tzinfo=dt.UTC)):
        out_of_school.out_of_school_follow_up(
            actor=actor,
            record=record,
            followed_on="2027-05-03",
            in_school=False,
            grade=6,
            version=record.version,
        )
    record.refresh_from_db()
    assert record.status == OutOfSchoolStatus.LEFT_AGAIN
    rows = selectors.out_of_school_list(actor=actor)
    assert [r.pk for r, _label in rows] == [record.pk]


def test_a_child_in_school_or_not_of_school_age_is_not_out_of_school(world):
    actor = world.actor("supervisor")
    toddler = factories.child(world, born=dt.date(2023, 1, 1))
    with pytest.raises(ValidationFailed):
        out_of_school.out_of_school_record(
            actor=actor,
            person_id=toddler.pk,
            identified_on=DAY,
            found_by="registry",
            reason="other",
            plan="non_formal",
        )


def test_a_child_back_in_a_non_formal_class_joins_it_as_any_member_does_audited(world):
    from ponleu.audit.models import AuditEvent
    from ponleu.programmes.choices import ProgrammeAction
    from ponleu.programmes.models import GroupMember

    actor = world.actor("supervisor")
    child = factories.child(world)
    nfe = factories.group(world, base=GroupBase.NON_FORMAL_CLASS)
    record = out_of_school.out_of_school_record(
        actor=actor,
        person_id=child.pk,
        identified_on=DAY,
        found_by="outreach",
        reason="work",
        plan="non_formal",
    )
    out_of_school.out_of_school_return(
        actor=actor, record=record, returned_on=DAY, version=record.version, group=nfe
    )
    member = GroupMember.objects.get(group=nfe, person=child)
    assert member.joined_on == DAY
    joined = AuditEvent.objects.get(action=ProgrammeAction.MEMBER_ADDED, target_id=str(nfe.pk))
    assert joined.changes["members"] == [None, [str(child.pk)]]


def test_today_lists_children_due_for_a_follow_up_as_the_list_behind_it(world):
    from ponleu.programmes import today
    from ponleu.programmes.models import OutOfSchool

    actor = world.actor("supervisor")
    child = factories.child(world)
    nfe = factories.group(world, base=GroupBase.NON_FORMAL_CLASS)
    record = out_of_school.out_of_school_record(
        actor=actor,
        person_id=child.pk,
        identified_on=DAY,
        found_by="outreach",
        reason="work",
        plan="non_formal",
    )
    out_of_school.out_of_school_return(
        actor=actor, record=record, returned_on=DAY, version=record.version, group=nfe
    )
    (item,) = today.ITEMS
    with clock.frozen(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)):
        assert item.find(actor, 3).count == 0  # due on 7 September
    found = item.find(actor, 3)
    assert found.count == 1
    assert found.entries[0].late
    assert len(selectors.out_of_school_list(actor=actor, overdue=True)) == 1
    assert OutOfSchool.objects.get().group == nfe
    assert not item.find(world.actor("caseworker_b"), 3).count
