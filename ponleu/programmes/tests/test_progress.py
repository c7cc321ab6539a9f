"""A project's progress against its targets: each target counts its own period, and the page
costs the same number of queries for one target or twenty."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ponleu.programmes import selectors
from ponleu.programmes.choices import IndicatorSource
from ponleu.programmes.models import Attendance, ProjectPerson, Session
from ponleu.programmes.services import projects as services

from . import factories

pytestmark = pytest.mark.django_db
QUARTERS = [
    ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
]


def _indicator(actor, project, source, code):
    result = services.result_add(actor=actor, project=project, level="output", code=code, statement="Output")
    return services.indicator_add(
        actor=actor, result=result, code=f"{code}.a", statement="Count", source=source
    )


def _targets(actor, indicator, periods):
    return [
        services.target_set(
            actor=actor, indicator=indicator, period=period, starts_on=start, ends_on=end, value=10
        )
        for period, start, end in periods
    ]


def test_children_reached_and_sessions_count_each_targets_own_period(world):
    actor = world.actor("supervisor")
    project = factories.project(world)
    club = factories.group(world, project_ids=[project.pk])
    first, second, third = factories.members(club, 3, world)
    march = Session.objects.create(group=club, held_on=dt.date(2026, 3, 7), topic="Rights")
    may = Session.objects.create(group=club, held_on=dt.date(2026, 5, 2), topic="Games")
    Attendance.objects.create(session=march, member=first, person=first.person)
    Attendance.objects.create(session=march, member=second, person=second.person)
    Attendance.objects.create(session=may, member=first, person=first.person)
    ProjectPerson.objects.create(project=project, person=third.person, since=dt.date(2026, 4, 20))
    reached = _targets(actor, _indicator(actor, project, IndicatorSource.CHILDREN_REACHED, "1"), QUARTERS)
    held = _targets(actor, _indicator(actor, project, IndicatorSource.SESSIONS_HELD, "2"), QUARTERS)
    progress = selectors.project_detail(actor=actor, project_id=project.pk).progress
    assert [progress[t.pk] for t in reached] == [2, 2]  # Q1: first, second; Q2: first, third
    assert [progress[t.pk] for t in held] == [1, 1]


def _detail_queries(actor, project) -> int:
    selectors.project_detail(actor=actor, project_id=project.pk)  # caches filled once per process
    with CaptureQueriesContext(connection) as queries:
        selectors.project_detail(actor=actor, project_id=project.pk)
    return len(queries)


def _periods(count):
    return [(f"2026-{n:02d}", dt.date(2026, n, 1), dt.date(2026, n, 28)) for n in range(1, count + 1)]


def test_the_project_page_costs_the_same_queries_for_one_target_or_twenty(world):
    actor = world.actor("supervisor")
    project = factories.project(world)
    club = factories.group(world, project_ids=[project.pk])
    (member,) = factories.members(club, 1, world)
    session = Session.objects.create(group=club, held_on=dt.date(2026, 2, 7), topic="Rights")
    Attendance.objects.create(session=session, member=member, person=member.person)
    reached = _indicator(actor, project, IndicatorSource.CHILDREN_REACHED, "1")
    _targets(actor, reached, _periods(1))
    one = _detail_queries(actor, project)
    _targets(actor, reached, _periods(12)[1:])
    more = _indicator(actor, project, IndicatorSource.CHILDREN_REACHED, "2")
    _targets(actor, more, _periods(8))
    assert _detail_queries(actor, project) == one  # 20 targets


def test_every_counted_source_costs_a_fixed_number_of_queries(world):
    actor = world.actor("supervisor")
    project = factories.project(world)
    indicators = [
        _indicator(actor, project, source, str(n)) for n, source in enumerate(IndicatorSource.values, start=1)
    ]
    for indicator in indicators:
        _targets(actor, indicator, _periods(1))
    each_once = _detail_queries(actor, project)
    for indicator in indicators:
        _targets(actor, indicator, _periods(4)[1:])
    assert _detail_queries(actor, project) == each_once  # 5 targets, then 20
