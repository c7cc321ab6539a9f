"""Schemes, awards and registers for scholarship tests; schemes and awards go through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from ponleu.education.tests import factories as school
from ponleu.programmes.tests import factories as programme
from ponleu.scholarships.choices import ApplicationSource
from ponleu.scholarships.services import awards as award_services
from ponleu.scholarships.services import schemes as scheme_services

NOW = dt.datetime(2026, 8, 31, 9, 0, tzinfo=dt.UTC)
_counter = itertools.count(1)


def scheme(world, *, project=None, **extra):
    n = next(_counter)
    data = {
        "name": f"Scholarship {n}",
        "kind": "cash",
        "currency": "KHR",
        "amount": "60000",
        "schedule": "termly",
        "budget": "10000000",
        "opens_on": school.YEAR_START,
        "closes_on": dt.date(2027, 8, 31),
        "min_attendance_percent": 80,
    }
    data.update(extra)
    project = project or programme.project(world)
    return scheme_services.scheme_create(actor=world.actor("supervisor"), project=project, data=data)


def holder(world, scheme, school_class, *, starts_on=school.YEAR_START, ends_on=school.YEAR_END):
    """A pupil of ``school_class`` with an award in ``scheme`` (nominated, approved)."""
    pupil = school.make_pupil(world.org)
    enrolment = school.enrol(school_class, pupil)
    actor = world.actor("supervisor")
    application = award_services.application_make(
        actor=actor, scheme=scheme, person_id=pupil.pk, source=ApplicationSource.NOMINATION
    )
    award = award_services.application_decide(
        actor=actor,
        application=application,
        version=application.version,
        approve=True,
        reason="Poor household, far from school",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return award, enrolment
