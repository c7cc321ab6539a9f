"""The effectiveness page's figures: flagged children with and without a scholarship, compared
within the same risk band and school of the year, read through the early warning's scope."""

import datetime as dt

import pytest

from ponleu.access.actors import system_actor
from ponleu.common import clock
from ponleu.early_warning.models import Flag
from ponleu.early_warning.services.scoring import risk_score
from ponleu.education.choices import EnrolmentStatus
from ponleu.education.models import Enrolment
from ponleu.education.tests.factories import class_with_pupils, fill_register, school_days
from ponleu.scholarships import selectors
from ponleu.scholarships.models import Award

from . import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 12)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(dt.datetime(2026, 5, 12, 9, 0, tzinfo=dt.UTC)):
        yield


def test_children_with_a_scholarship_are_compared_with_flagged_children_without(world):
    school_class, pupils = class_with_pupils(world, 8)
    days = school_days(school_class.year, dt.date(2026, 3, 23), TODAY)
    for pupil in pupils:
        fill_register(pupil, {d: ("A" if d in days[-4:] else "P") for d in days})
    risk_score(actor=system_actor(world.org.pk), year=school_class.year, class_ids=[school_class.pk])
    assert Flag.objects.count() == 8
    scheme = factories.scheme(world)
    # Four get a scholarship; one of them and three of the others drop out.
    for pupil in pupils[:4]:
        Award.objects.create(
            scheme=scheme, person=pupil.person, starts_on=dt.date(2026, 3, 23), ends_on=dt.date(2026, 8, 28)
        )
    for pupil in (pupils[0], *pupils[4:7]):
        Enrolment.objects.filter(pk=pupil.pk).update(status=EnrolmentStatus.DROPPED_OUT)
    result = selectors.effectiveness(actor=world.actor("supervisor"))
    c = result.comparison
    assert result.flagged == 8
    assert (c.holders.n, c.holders.dropped, c.others.n, c.others.dropped) == (4, 1, 4, 3)
    assert c.difference == pytest.approx(0.25 - 0.75)
    assert c.interval[0] < c.difference < c.interval[1]
    # A member who does not see risk scores sees no flagged child: nothing to compare.
    assert selectors.effectiveness(actor=world.actor("org_admin")).flagged == 0
