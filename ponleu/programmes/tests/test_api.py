"""The programmes API: projects and their reach, sessions with attendance, events with crowds,
distributions from stock, a visit to a case, an out-of-school child brought back; scoped and
version-checked."""

from __future__ import annotations

import pytest
from django.test import Client

from ponleu.common import clock
from ponleu.programmes.choices import GroupBase
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
API = "/api/v1/programmes"
DAY = "2026-03-07"


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def client_of(user):
    client = Client()
    login(client, user)
    return client


def _json(client, method, url, body=None, version=None):
    headers = {"HTTP_IF_MATCH": f'"{version}"'} if version is not None else {}
    return getattr(client, method)(url, body, content_type="application/json", **headers)


def test_projects_report_children_counted_by_each_and_shared(world):
    supervisor = client_of(world.user("supervisor"))
    created = _json(
        supervisor,
        "post",
        f"{API}/projects",
        {
            "name": "Back to school",
            "code": "B2S",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "donors": ["Donor Alpha"],
            "area_codes": ["02"],
        },
    )
    assert created.status_code == 201, created.content
    other = factories.project(world)
    child = factories.child(world)
    for project_id in (created.json()["id"], other.pk):
        tagged = _json(
            supervisor,
            "post",
            f"{API}/projects/{project_id}/tags",
            {"person_id": str(child.pk), "since": DAY},
        )
        assert tagged.status_code == 200, tagged.content
    rows = {row["code"]: row for row in supervisor.get(f"{API}/projects").json()}
    assert rows["B2S"]["children"] == 1
    assert rows["B2S"]["children_also_counted_by_another_project"] == 1
    assert client_of(world.user("partner")).get(f"{API}/projects/{other.pk}").status_code == 404


def test_a_session_with_attendance_then_corrected_at_its_version(world):
    club = factories.group(world)
    members = factories.members(club, 3, world)
    worker = client_of(world.user("field_worker"))
    body = {
        "held_on": DAY,
        "topic": "Rights",
        "present": [str(members[0].pk)],
        "counted": [{"sex": "F", "age_band": "6-11", "count": 4}],
    }
    created = _json(worker, "post", f"{API}/groups/{club.pk}/sessions", body)
    assert created.status_code == 201, created.content
    session = created.json()
    assert session["counted"][0]["count"] == 4
    assert _json(worker, "post", f"{API}/groups/{club.pk}/sessions", body).status_code == 422
    url = f"{API}/sessions/{session['id']}/attendance"
    correction = {"present": [str(m.pk) for m in members]}
    assert _json(worker, "put", url, correction).status_code == 428
    saved = _json(worker, "put", url, correction, version=session["version"])
    assert saved.status_code == 200
    assert len(saved.json()["present"]) == 3
    assert _json(worker, "put", url, correction, version=session["version"]).status_code == 409
    detail = worker.get(f"{API}/groups/{club.pk}").json()
    assert detail["attendance_rate"] == 100
    assert client_of(world.user("caseworker_b")).get(f"{API}/sessions/{session['id']}").status_code == 404


def test_an_event_a_distribution_and_a_visit_to_a_case(world):
    project = factories.project(world, staff_ids=[world.user("caseworker_a").pk])
    worker = client_of(world.user("caseworker_a"))
    event = _json(
        worker,
        "post",
        f"{API}/events",
        {
            "kind": "awareness",
            "topic": "drugs",
            "title": "Drugs talk",
            "audience": "community",
            "held_on": DAY,
            "village_code": factories.THMEI,
            "counted": [{"sex": "M", "age_band": "15-17", "with_disability": True, "count": 3}],
            "project_ids": [str(project.pk)],
        },
    )
    assert event.status_code == 201, event.content
    assert event.json()["counted"][0]["with_disability"] is True

    supervisor = client_of(world.user("supervisor"))
    stock = {"place_code": "0201", "item": "hygiene_kit", "quantity": 1, "received_on": DAY}
    assert _json(supervisor, "post", f"{API}/projects/{project.pk}/stock", stock).status_code == 200
    child = factories.child(world)
    give = {
        "place_code": "0201",
        "item": "hygiene_kit",
        "quantity": 1,
        "given_on": DAY,
        "signed_by": "Mother",
        "person_id": str(child.pk),
    }
    given = _json(worker, "post", f"{API}/projects/{project.pk}/distributions", give)
    assert given.status_code == 201, given.content
    assert given.json()["stock_left"] == 0
    assert _json(worker, "post", f"{API}/projects/{project.pk}/distributions", give).status_code == 422

    committee = factories.group(world, base=GroupBase.LABOUR_COMMITTEE)
    visit = _json(
        worker,
        "post",
        f"{API}/groups/{committee.pk}/visits",
        {
            "visited_on": DAY,
            "workplace": "brick_kiln",
            "village_code": factories.THMEI,
            "children": [{"sex": "F", "age": 13}],
        },
    )
    assert visit.status_code == 201, visit.content
    seen_id = visit.json()["children"][0]["id"]
    opened = _json(worker, "post", f"{API}/children-seen/{seen_id}/case", {"person_id": str(child.pk)})
    assert opened.status_code == 201, opened.content
    assert (
        worker.get(f"{API}/visits/{visit.json()['id']}").json()["children"][0]["case_id"]
        == opened.json()["case_id"]
    )


def test_an_out_of_school_child_brought_back_to_a_non_formal_class(world):
    supervisor = client_of(world.user("supervisor"))
    child = factories.child(world)
    nfe = factories.group(world, base=GroupBase.NON_FORMAL_CLASS)
    created = _json(
        supervisor,
        "post",
        f"{API}/out-of-school",
        {
            "person_id": str(child.pk),
            "identified_on": DAY,
            "found_by": "outreach",
            "reason": "poverty",
            "plan": "non_formal",
        },
    )
    assert created.status_code == 201, created.content
    record = created.json()
    back = _json(
        supervisor,
        "post",
        f"{API}/out-of-school/{record['id']}/return",
        {"returned_on": "2026-03-10", "group_id": str(nfe.pk)},
        version=record["version"],
    )
    assert back.status_code == 200, back.content
    assert back.json()["status"] == "returned"
    followed = _json(
        supervisor,
        "post",
        f"{API}/out-of-school/{record['id']}/follow-ups",
        {"followed_on": "2026-09-10", "in_school": True, "grade": 3},
        version=back.json()["version"],
    )
    assert followed.status_code == 201, followed.content
    listed = supervisor.get(f"{API}/out-of-school?status=returned").json()
    assert [r["id"] for r in listed] == [record["id"]]
    assert listed[0]["follow_ups"][0]["grade"] == 3
