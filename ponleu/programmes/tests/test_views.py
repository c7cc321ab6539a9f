"""The programme screens: a facilitator takes the attendance of a 45-member club with one tap a
member (the form posts a status per member) and 12 unregistered children; a field worker
records an awareness event with a crowd; a committee's visit to a brick kiln opens a case.
Pages read as many queries for 50 members, sessions or items as for 1."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ponleu.cases.models import Case
from ponleu.common import clock
from ponleu.programmes.choices import GroupBase
from ponleu.programmes.models import Attendance, ChildSeen, Event, EventHeadcount, Session, SessionHeadcount
from ponleu.programmes.services import distributions, events, monitoring
from ponleu.programmes.services import groups as group_services
from ponleu.programmes.services import projects as project_services
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 7)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def client_of(user, language="en"):
    client = Client()
    login(client, user)
    if language != "en":
        user.language = language
        user.save(update_fields=["language"])
    return client


def test_a_facilitator_takes_the_attendance_of_45_members_and_12_unregistered_children(world):
    club = factories.group(world)
    members = factories.members(club, 45, world, owner=world.user("field_worker"))
    worker = client_of(world.user("field_worker"), "km")
    url = reverse("programmes:session_new", kwargs={"group_id": club.pk})
    page = worker.get(url, {"date": DAY.isoformat()})
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('class="pupil"') == 45
    assert "rollcall.js" in body
    data = {"held_on": DAY.isoformat(), "topic": "សិទ្ធិកុមារ", "c-F-6-11": "៧", "c-M-12-14": "5"}
    data.update({f"m-{m.pk}": "P" if i < 30 else "A" for i, m in enumerate(members)})
    saved = worker.post(url, data)
    assert saved.status_code == 302
    session = Session.objects.get(group=club)
    assert Attendance.objects.filter(session=session).count() == 30
    assert sum(SessionHeadcount.objects.filter(session=session).values_list("count", flat=True)) == 12
    # The same session twice is refused, and the taps are kept on the page.
    again = worker.post(url, data)
    assert again.status_code == 400
    assert again.content.decode().count("selected>") >= 45
    # Corrected later from the session's page, at the version read.
    page = worker.get(reverse("programmes:session_attendance", kwargs={"session_id": session.pk}))
    assert page.status_code == 200
    correction = {"version": session.version, **{f"m-{m.pk}": "P" for m in members}}
    assert (
        worker.post(
            reverse("programmes:session_attendance", kwargs={"session_id": session.pk}), correction
        ).status_code
        == 302
    )
    assert Attendance.objects.filter(session=session).count() == 45
    stale = worker.post(
        reverse("programmes:session_attendance", kwargs={"session_id": session.pk}), correction
    )
    assert stale.status_code == 409


def test_a_field_worker_records_an_awareness_event_with_a_crowd(world):
    worker = client_of(world.user("field_worker"), "km")
    assert worker.get(reverse("programmes:event_new")).status_code == 200
    data = {
        "kind": "awareness",
        "topic": "mine_risk",
        "title": "Mine risk at the pagoda",
        "audience": "community",
        "held_on": DAY.isoformat(),
        "village": factories.THMEI,
        "c-F-18+": "60",
        "c-M-18+": "45",
        "c-F-6-11-d": "2",
    }
    response = worker.post(reverse("programmes:event_new"), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert sum(EventHeadcount.objects.filter(event=event).values_list("count", flat=True)) == 107
    page = worker.get(response["Location"])
    assert page.status_code == 200
    assert "Mine risk at the pagoda" in page.content.decode()
    refused = worker.post(reverse("programmes:event_new"), {**data, "village": "17070101"})
    assert refused.status_code == 400


def test_a_committee_visit_to_a_brick_kiln_opens_a_case(world):
    committee = factories.group(world, base=GroupBase.LABOUR_COMMITTEE, facilitator="caseworker_a")
    worker = client_of(world.user("caseworker_a"))
    response = worker.post(
        reverse("programmes:visit_new", kwargs={"group_id": committee.pk}),
        {
            "visited_on": DAY.isoformat(),
            "workplace": "brick_kiln",
            "workplace_name": "Kiln 3",
            "village": factories.THMEI,
            "child-name": "Chan Vannak",
            "child-sex": "M",
            "child-age": "12",
            "child-work": "carrying bricks",
        },
    )
    assert response.status_code == 302
    seen = ChildSeen.objects.get()
    page = worker.get(response["Location"])
    case_url = reverse("programmes:child_seen_case", kwargs={"seen_id": seen.pk})
    assert case_url in page.content.decode()
    search = worker.get(case_url)
    assert search.status_code == 200
    assert "No child in the registry matches." in search.content.decode()
    opened = worker.post(case_url, {"family_name_latin": "Chan", "given_name_latin": "Vannak"})
    assert opened.status_code == 302
    case = Case.objects.get()
    assert opened["Location"] == reverse("cases:case_detail", kwargs={"case_id": case.pk})
    # The child now has a case: the step is gone.
    assert worker.get(case_url).status_code == 404


def test_a_group_of_a_kind_other_than_a_committee_has_no_visits(world):
    club = factories.group(world, facilitator="caseworker_a")
    worker = client_of(world.user("caseworker_a"))
    assert worker.get(reverse("programmes:visit_new", kwargs={"group_id": club.pk})).status_code == 404


def test_every_page_opens_in_khmer(world):
    supervisor = world.actor("supervisor")
    project = factories.project(world, staff_ids=[world.user("field_worker").pk])
    club = factories.group(world, project_ids=[project.pk])
    factories.members(club, 2, world)
    session = group_services.session_record(actor=supervisor, group=club, held_on=DAY, topic="T")
    event = events.event_record(
        actor=supervisor,
        kind="training",
        topic="parenting",
        title="Parenting",
        audience="parents",
        held_on=DAY,
        village_code=factories.THMEI,
    )
    reader = client_of(world.user("supervisor"), "km")
    for url in (
        reverse("programmes:group_list"),
        reverse("programmes:group_detail", kwargs={"group_id": club.pk}),
        reverse("programmes:member_add", kwargs={"group_id": club.pk}) + "?q=Sok",
        reverse("programmes:session_attendance", kwargs={"session_id": session.pk}),
        reverse("programmes:project_list"),
        reverse("programmes:project_detail", kwargs={"project_id": project.pk}),
        reverse("programmes:event_list"),
        reverse("programmes:event_detail", kwargs={"event_id": event.pk}),
        reverse("programmes:out_of_school_list"),
        reverse("programmes:calendar") + "?from=2026-03-01",
    ):
        response = reader.get(url)
        assert response.status_code == 200, url
        assert 'lang="km"' in response.content.decode(), url


# --- queries: constant in the number of members, sessions and items ----------------------------


def _count(client, url) -> int:
    client.get(url)  # warm the session up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _group_world(world, size):
    actor = world.actor("supervisor")
    project = factories.project(world, staff_ids=[world.user("supervisor").pk])
    club = factories.group(world, project_ids=[project.pk])
    members = factories.members(club, size, world)
    for index in range(size):
        group_services.session_record(
            actor=actor,
            group=club,
            held_on=DAY,
            topic=f"T{index}",
            present_ids=[members[index].pk],
            counted=[{"sex": "F", "age_band": "6-11", "count": 1}],
        )
    distributions.stock_receive(
        actor=actor, project=project, place_code="0201", item="uniform", quantity=size, received_on=DAY
    )
    for member in members:
        distributions.distribution_record(
            actor=actor,
            project=project,
            place_code="0201",
            item="uniform",
            quantity=1,
            given_on=DAY,
            signed_by="x",
            person_id=member.person_id,
        )
        project_services.project_tag(actor=actor, project=project, record=member.person, since=DAY)
    for index in range(size):
        events.event_record(
            actor=actor,
            kind="awareness",
            topic="drugs",
            title=f"E{size}-{index}",
            audience="community",
            held_on=DAY,
            village_code=factories.THMEI,
            participants=[{"person_id": members[index].person_id}],
            counted=[{"sex": "M", "age_band": "18+", "count": 3}],
            project_ids=[project.pk],
        )
    committee = factories.group(world, base=GroupBase.LABOUR_COMMITTEE)
    visit = monitoring.visit_record(
        actor=actor,
        committee=committee,
        visited_on=DAY,
        workplace="farm",
        village_code=factories.THMEI,
        children=[{"sex": "F", "age": 10} for _ in range(size)],
    )
    return {
        "group": reverse("programmes:group_detail", kwargs={"group_id": club.pk}),
        "session": reverse(
            "programmes:session_attendance",
            kwargs={"session_id": Session.objects.filter(group=club).first().pk},
        ),
        "new session": reverse("programmes:session_new", kwargs={"group_id": club.pk}) + f"?date={DAY}",
        "groups": reverse("programmes:group_list"),
        "projects": reverse("programmes:project_list"),
        "project": reverse("programmes:project_detail", kwargs={"project_id": project.pk}),
        "events": reverse("programmes:event_list"),
        "visit": reverse("programmes:visit_detail", kwargs={"visit_id": visit.pk}),
        "calendar": reverse("programmes:calendar") + "?from=2026-03-01",
    }


@pytest.mark.parametrize(
    "page",
    ["group", "session", "new session", "groups", "projects", "project", "events", "visit", "calendar"],
)
def test_pages_read_as_many_queries_for_50_as_for_1(world, page, django_db_blocker):
    small = _group_world(world, 1)[page]
    reader = client_of(world.user("supervisor"))
    few = _count(reader, small)
    # A second, larger world beside the first (another facilitator's club, project and events).
    large = _group_world(world, 50)[page]
    many = _count(reader, large)
    assert many == few, page


def test_the_register_lists_the_follow_ups_due_and_links_only_children_one_may_identify(world):
    from ponleu.programmes.services import out_of_school

    supervisor = world.actor("supervisor")
    child = factories.child(world)
    nfe = factories.group(world, base=GroupBase.NON_FORMAL_CLASS)
    record = out_of_school.out_of_school_record(
        actor=supervisor,
        person_id=child.pk,
        identified_on=DAY,
        found_by="outreach",
        reason="work",
        plan="non_formal",
    )
    out_of_school.out_of_school_return(
        actor=supervisor, record=record, returned_on=DAY, version=record.version, group=nfe
    )
    url = reverse("programmes:out_of_school_list")
    page = client_of(world.user("supervisor")).get(url, {"overdue": "1"})
    assert page.status_code == 200
    assert reverse("registry:person_detail", kwargs={"person_id": child.pk}) in page.content.decode()
    # The M&E officer sees the register, not who the children are.
    page = client_of(world.user("me_officer")).get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert str(child.pk) not in body
    assert child.given_name_latin not in body
