"""Lists and detail pages run the same number of queries for 1 and for 50 cases or notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ponleu.cases.services import care, contact, work

from .factories import ALL_CSI, make_child, open_case, to_implementation

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # warm-up: session, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _add_cases(world, count):
    for _ in range(count):
        open_case(world, type_code="child_labour", child=make_child(world))


@pytest.mark.parametrize(
    "url_name",
    ["cases:case_list", "cases:caseload", "api:case_list"],
)
def test_case_lists_are_constant(world, login_as, url_name):
    client = login_as(world.user("caseworker_a"))
    url = reverse(url_name) if not url_name.startswith("api") else "/api/v1/cases?per_page=100"
    _add_cases(world, 1)
    one = _queries(client, url)
    _add_cases(world, 49)
    fifty = _queries(client, url)
    assert one == fifty, (one, fifty)


def test_team_caseload_is_constant(world, login_as):
    client = login_as(world.user("supervisor"))
    url = reverse("cases:team_caseload")
    _add_cases(world, 1)
    one = _queries(client, url)
    _add_cases(world, 49)
    fifty = _queries(client, url)
    assert one == fifty


def _fill(world, case, count):
    actor = world.actor("caseworker_a")
    goal = work.goal_add(actor=actor, case=case, domain="6B", description="Back to school")
    for index in range(count):
        day = dt.date(2025, 1, 10) + dt.timedelta(days=index)
        note = contact.note_add(
            actor=actor,
            case=case,
            interaction="home_visit",
            happened_on=day,
            observations=f"Visit {index}",
            goal_ids=[goal.pk],
        )
        work.action_add(actor=actor, case=case, goal=goal, description=f"Step {index}", due_on=day)
        work.service_record(
            actor=actor, case=case, service_type="education_support", provider="School", delivered_on=day
        )
        work.assessment_record(
            actor=actor, case=case, instrument_code="csi", assessed_on=day, answers=ALL_CSI
        )
        contact.conference_record(actor=actor, case=case, held_on=day, participants="Team", decisions="Go on")
        assert note


def test_case_detail_and_notes_api_are_constant(world, login_as):
    client = login_as(world.user("caseworker_a"))
    small = to_implementation(world, open_case(world))
    large = to_implementation(world, open_case(world))
    care.placement_start(
        actor=world.actor("caseworker_a"),
        case=small,
        placement_type="kinship",
        carer="Aunt",
        started_on=dt.date(2025, 1, 9),
    )
    care.placement_start(
        actor=world.actor("caseworker_a"),
        case=large,
        placement_type="kinship",
        carer="Aunt",
        started_on=dt.date(2025, 1, 9),
    )
    _fill(world, small, 1)
    _fill(world, large, 50)
    for url in (
        "cases:case_detail",
        "/api/v1/cases/{}",
        "/api/v1/cases/{}/notes?per_page=100",
        "/api/v1/cases/{}/services?per_page=100",
    ):
        counts = [
            _queries(client, reverse(url, kwargs={"case_id": case.pk}) if ":" in url else url.format(case.pk))
            for case in (small, large)
        ]
        assert counts[0] == counts[1], (url, counts)
