"""A scholarship decided on a dropout-risk flag becomes an award in the scheme that takes them."""

import datetime as dt

import pytest

from ponleu.access.actors import system_actor
from ponleu.common import clock
from ponleu.early_warning.choices import Decision
from ponleu.early_warning.models import Flag
from ponleu.early_warning.services import review
from ponleu.early_warning.services.scoring import risk_score
from ponleu.education.tests.factories import class_with_pupils, fill_register, school_days
from ponleu.scholarships.choices import ApplicationSource
from ponleu.scholarships.models import Award

from . import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 12)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(dt.datetime(2026, 5, 12, 9, 0, tzinfo=dt.UTC)):
        yield


def _flag(world):
    school_class, (pupil,) = class_with_pupils(world, 1)
    days = school_days(school_class.year, dt.date(2026, 3, 23), TODAY)
    fill_register(pupil, {d: ("A" if d in days[-4:] else "P") for d in days})
    risk_score(actor=system_actor(world.org.pk), year=school_class.year, class_ids=[school_class.pk])
    return Flag.objects.get(), pupil


def _decide(world, flag, capture):
    with capture(execute=True):
        return review.flag_decide(
            actor=world.actor("caseworker_a"),
            flag=flag,
            version=flag.version,
            decision=Decision.SCHOLARSHIP,
            reason="Family cannot pay for transport",
            details={"starts_on": TODAY, "amount": 60000, "currency": "KHR", "schedule": "monthly"},
        )


def test_a_scholarship_decided_on_a_flag_becomes_an_award(world, django_capture_on_commit_callbacks):
    scheme = factories.scheme(world, takes_early_warning=True, schedule="monthly")
    flag, pupil = _flag(world)
    intervention = _decide(world, flag, django_capture_on_commit_callbacks)
    award = Award.objects.get()
    assert (award.scheme_id, award.person_id, award.intervention_id) == (
        scheme.pk,
        pupil.person_id,
        intervention.pk,
    )
    assert award.starts_on == dt.date(2026, 5, 12)
    assert award.ends_on == pupil.school_class.year.ends_on
    assert award.application.source == ApplicationSource.EARLY_WARNING


def test_without_a_scheme_that_takes_them_the_decision_stands_alone(
    world, django_capture_on_commit_callbacks
):
    factories.scheme(world, takes_early_warning=False)
    flag, _ = _flag(world)
    assert _decide(world, flag, django_capture_on_commit_callbacks) is not None
    assert not Award.objects.exists()
