"""Projects: creation, who sees them (their staff), the log-frame with targets and progress, and
tagging: a child counted by two projects is counted by each and reported as shared."""

import datetime as dt

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.programmes import selectors
from ponleu.programmes.choices import IndicatorSource
from ponleu.programmes.models import Project
from ponleu.programmes.services import groups as group_services
from ponleu.programmes.services import projects as services

from . import factories

pytestmark = pytest.mark.django_db


def test_a_project_has_donors_places_and_staff_and_is_audited(world):
    project = factories.project(
        world,
        donors=["Donor Alpha", "Donor Beta"],
        grant_reference="GR-2026-7",
        area_codes=["02", "0201"],
        partners=["Partner One"],
        staff_ids=[world.user("field_worker").pk],
    )
    assert sorted(d.name for d in project.donors.all()) == ["Donor Alpha", "Donor Beta"]
    assert sorted(a.code for a in project.areas.all()) == ["02", "0201"]
    assert project.manager_id == world.user("supervisor").pk
    event = AuditEvent.objects.get(action="programmes.project.created")
    assert event.changes["donors"] == [None, ["Donor Alpha", "Donor Beta"]]


def test_a_project_must_end_after_it_starts_and_cover_provinces_or_districts(world):
    with pytest.raises(ValidationFailed) as error:
        factories.project(world, starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2026, 1, 1))
    assert "ends_on" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        factories.project(world, area_codes=["02010101"])
    assert "areas" in error.value.errors


def test_only_managers_create_projects(world):
    with pytest.raises(PermissionDenied):
        factories.project(world, actor_key="field_worker")


def test_staff_see_the_projects_they_work_on_and_no_other(world):
    mine = factories.project(world, staff_ids=[world.user("field_worker").pk])
    factories.project(world)
    assert list(selectors.project_list(actor=world.actor("field_worker"))) == [mine]
    # The organisation-wide roles see every project; another organisation sees none.
    assert selectors.project_list(actor=world.actor("org_admin")).count() == 2
    assert not selectors.project_list(actor=world.actor("partner")).exists()
    with pytest.raises(Project.DoesNotExist):
        selectors.project_get(actor=world.actor("caseworker_b"), project_id=mine.pk)


def test_a_child_counted_by_two_projects_is_counted_by_each_and_reported_as_shared(world):
    actor = world.actor("supervisor")
    first = factories.project(world)
    second = factories.project(world)
    club = factories.group(world, project_ids=[first.pk])
    both, only_first = factories.members(club, 2, world)
    services.project_tag(actor=actor, project=second, record=both.person, since=dt.date(2026, 2, 1))
    # Tagging twice changes nothing; an adult is not a child reached.
    services.project_tag(actor=actor, project=second, record=both.person, since=dt.date(2026, 2, 1))
    adult = factories.child(world, kind="adult", born=dt.date(1980, 1, 1))
    services.project_tag(actor=actor, project=second, record=adult, since=dt.date(2026, 2, 1))

    report = selectors.project_reach(actor=actor)
    rows = {row.project.pk: row for row in report.rows}
    assert (rows[first.pk].children, rows[first.pk].shared) == (2, 1)
    assert (rows[second.pk].children, rows[second.pk].shared) == (1, 1)
    assert report.counted_children == 3
    assert report.distinct_children == 2
    detail = selectors.project_detail(actor=actor, project_id=second.pk)
    assert (detail.children, detail.shared) == (1, 1)


def test_tagging_needs_reach_over_the_record_and_the_project(world):
    project = factories.project(world)
    other_org_child = factories.child(world, organisation=world.other_org, village="17070101", team=None)
    with pytest.raises(PermissionDenied):
        services.project_tag(
            actor=world.actor("supervisor"), project=project, record=other_org_child, since="2026-02-01"
        )
    with pytest.raises(PermissionDenied):
        services.project_tag(
            actor=world.actor("caseworker_b"),
            project=project,
            record=factories.child(world),
            since="2026-02-01",
        )


def test_progress_against_targets_is_counted_from_the_tagged_records(world):
    actor = world.actor("supervisor")
    project = factories.project(world)
    outcome = services.result_add(
        actor=actor, project=project, level="outcome", code="1", statement="Children stay in school"
    )
    output = services.result_add(
        actor=actor, project=project, level="output", code="1.1", statement="Clubs meet", parent=outcome
    )
    sessions = services.indicator_add(
        actor=actor,
        result=output,
        code="1.1.a",
        statement="Sessions held",
        source=IndicatorSource.SESSIONS_HELD,
    )
    manual = services.indicator_add(actor=actor, result=outcome, code="1.a", statement="Retention rate")
    year = services.target_set(
        actor=actor, indicator=sessions, period="2026", starts_on="2026-01-01", ends_on="2026-12-31", value=40
    )
    rate = services.target_set(
        actor=actor,
        indicator=manual,
        period="2026",
        starts_on="2026-01-01",
        ends_on="2026-12-31",
        value=90,
        achieved=85,
    )
    club = factories.group(world, project_ids=[project.pk])
    with clock.frozen(factories.NOW):
        for day in (dt.date(2026, 3, 7), dt.date(2026, 3, 14), dt.date(2025, 12, 1)):
            if day >= club.starts_on:
                group_services.session_record(actor=actor, group=club, held_on=day, topic="Rights")
    detail = selectors.project_detail(actor=actor, project_id=project.pk)
    assert detail.progress[year.pk] == 2
    assert detail.progress[rate.pk] == 85
    assert detail.counts["sessions"] == 2
    with pytest.raises(ValidationFailed):
        services.target_set(
            actor=actor,
            indicator=sessions,
            period="2026",
            starts_on="2026-01-01",
            ends_on="2026-12-31",
            value=40,
            achieved=3,
        )
