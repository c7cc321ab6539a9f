"""Nurseries as programme groups: opening one makes a group of the nursery's kind; the day's
roll call is the group's session of that day, recorded once and then corrected."""

import datetime as dt

import pytest

from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.early_childhood import selectors
from ponleu.early_childhood.services import nurseries
from ponleu.programmes import selectors as programme_selectors
from ponleu.programmes.choices import GroupBase
from ponleu.programmes.models import Attendance, Session
from ponleu.programmes.tests import factories as programme_factories

from . import factories

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def test_a_factory_nursery_is_a_group_of_its_kind_with_its_factory(world):
    factory = factories.factory(world)
    nursery = factories.nursery(world, kind="factory", factory=factory)
    assert nursery.group.kind.name_en == "Factory nursery"
    assert nursery.group.kind.base == GroupBase.OTHER
    # The same kind serves the organisation's next factory nursery.
    again = factories.nursery(world, kind="factory", factory=factory)
    assert again.group.kind_id == nursery.group.kind_id
    # It is a group like any other on the programme screens, and a nursery on ours.
    assert nursery.group in programme_selectors.group_list(actor=world.actor("field_worker"))
    assert {n.pk for n in selectors.nursery_list(actor=world.actor("field_worker"))} == {nursery.pk, again.pk}
    assert selectors.nursery_list(actor=world.actor("caseworker_b")) == []


def test_a_factory_nursery_names_its_factory_and_a_parents_group_must_be_one(world):
    with pytest.raises(ValidationFailed) as error:
        factories.nursery(world, kind="factory")
    assert "factory" in error.value.errors
    club = programme_factories.group(world)
    with pytest.raises(ValidationFailed) as error:
        nurseries.nursery_open(
            actor=world.actor("supervisor"),
            kind="preschool",
            name="Preschool",
            village_code=factories.THMEI,
            starts_on=factories.START,
            parents_group_id=club.pk,
        )
    assert "parents_group" in error.value.errors
    parents = programme_factories.group(world, base=GroupBase.PARENTS_ASSOCIATION)
    nursery = nurseries.nursery_open(
        actor=world.actor("supervisor"),
        kind="preschool",
        name="Preschool",
        village_code=factories.THMEI,
        starts_on=factories.START,
        parents_group_id=parents.pk,
        capacity="25",
    )
    assert (nursery.parents_group, nursery.capacity) == (parents, 25)


def test_the_day_roll_call_is_recorded_then_corrected(world):
    kids = [factories.child(world, born=dt.date(2024, 1, 1)) for _ in range(3)]
    nursery = factories.nursery(world, children=kids)
    worker = world.actor("field_worker")
    members = [m for m, _label in selectors.nursery_children(actor=worker, nursery=nursery, day=DAY)]
    assert len(members) == 3
    session = nurseries.nursery_day_record(
        actor=worker, nursery=nursery, day=DAY, present_ids=[members[0].pk, members[1].pk]
    )
    assert Attendance.objects.filter(session=session).count() == 2
    # A second roll call of the day corrects the same session, naming the version read.
    with pytest.raises(ValidationFailed):
        nurseries.nursery_day_record(actor=worker, nursery=nursery, day=DAY, present_ids=[members[2].pk])
    nurseries.nursery_day_record(
        actor=worker, nursery=nursery, day=DAY, present_ids=[members[2].pk], version=session.version
    )
    with pytest.raises(Conflict):
        nurseries.nursery_day_record(
            actor=worker, nursery=nursery, day=DAY, present_ids=[], version=session.version
        )
    assert Session.objects.filter(group=nursery.group).count() == 1
    assert list(Attendance.objects.filter(session=session).values_list("member_id", flat=True)) == [
        members[2].pk
    ]
    assert nurseries.day_session(nursery, DAY) == session


def test_a_roll_call_outside_ones_nurseries_or_in_the_future_is_refused(world):
    nursery = factories.nursery(world, children=[factories.child(world)])
    with pytest.raises(PermissionDenied):
        nurseries.nursery_day_record(
            actor=world.actor("caseworker_b"), nursery=nursery, day=DAY, present_ids=[]
        )
    with pytest.raises(ValidationFailed) as error:
        nurseries.nursery_day_record(
            actor=world.actor("field_worker"),
            nursery=nursery,
            day=clock.today() + dt.timedelta(days=1),
            present_ids=[],
        )
    assert "held_on" in error.value.errors
