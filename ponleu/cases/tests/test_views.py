"""The case screens: pages render, forms call the services, refusals show on the field."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ponleu.cases.models import Case

from .factories import make_child, open_case, to_implementation

pytestmark = pytest.mark.django_db


def test_pages_render(world, login_as):
    case = to_implementation(world, open_case(world, type_code="trafficking"))
    client = login_as(world.user("caseworker_a"))
    for name, kwargs in [
        ("cases:case_list", {}),
        ("cases:caseload", {}),
        ("cases:case_open", {}),
        ("cases:case_detail", {"case_id": case.pk}),
        ("cases:case_edit", {"case_id": case.pk}),
        ("cases:note_create", {"case_id": case.pk}),
        ("cases:goal_create", {"case_id": case.pk}),
        ("cases:action_create", {"case_id": case.pk}),
        ("cases:service_create", {"case_id": case.pk}),
        ("cases:placement_create", {"case_id": case.pk}),
        ("cases:conference_create", {"case_id": case.pk}),
        ("cases:safety_plan_edit", {"case_id": case.pk}),
        ("cases:specifics_edit", {"case_id": case.pk}),
        ("cases:case_reintegrate", {"case_id": case.pk}),
        ("cases:assessment_create", {"case_id": case.pk, "instrument": "csi"}),
        ("cases:assessment_create", {"case_id": case.pk, "instrument": "danger_factors"}),
        ("cases:case_transition", {"case_id": case.pk, "event": "start_review"}),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, (name, response.status_code)
    supervisor = login_as(world.user("supervisor"))
    assert supervisor.get(reverse("cases:team_caseload")).status_code == 200
    assert supervisor.get(reverse("cases:case_assign", kwargs={"case_id": case.pk})).status_code == 200


@pytest.mark.dated
def test_list_filters_overdue_actions_and_visits_due(world, login_as):
    from ponleu.cases.choices import ActionStatus
    from ponleu.cases.models import Action

    late = to_implementation(world, open_case(world, child=make_child(world, given_latin="Late")))
    done = to_implementation(world, open_case(world, child=make_child(world, given_latin="Done")))
    Action.objects.filter(case=done).update(status=ActionStatus.DONE, done_on=dt.date(2025, 1, 20))
    Case.objects.filter(pk=late.pk).update(next_visit_on=dt.date(2020, 1, 1))
    Case.objects.filter(pk=done.pk).update(next_visit_on=dt.date(2100, 1, 1))
    client = login_as(world.user("caseworker_a"))
    overdue = client.get(reverse("cases:case_list") + "?overdue=1").content.decode()
    assert "Late" in overdue
    assert "Done" not in overdue
    visits = client.get(reverse("cases:case_list") + "?visit_due=1").content.decode()
    assert "Late" in visits
    assert "Done" not in visits
    htmx = client.get(reverse("cases:case_list") + "?overdue=1", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in htmx
    assert "Late" in htmx


def test_open_page_finds_the_child_by_khmer_or_latin_name(world, login_as):
    child = make_child(world, family_km="សុខ", given_km="ដារ៉ា", family_latin="Sok", given_latin="Dara")
    from ponleu.registry.services.search_keys import rebuild

    rebuild([child])
    client = login_as(world.user("caseworker_a"))
    for query in ("សុខ ដារ៉ា", "sokh darah"):
        page = client.get(reverse("cases:case_open"), {"q": query}).content.decode()
        assert f"?person={child.pk}" in page, query


def test_notes_partial_for_htmx(world, login_as):
    from ponleu.cases.services import contact

    case = open_case(world)
    contact.note_add(
        actor=world.actor("caseworker_a"),
        case=case,
        interaction="phone",
        happened_on=dt.date(2025, 1, 7),
        observations="Called the mother",
    )
    client = login_as(world.user("caseworker_a"))
    url = reverse("cases:case_detail", kwargs={"case_id": case.pk}) + "?part=notes"
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Called the mother" in partial
    assert "<html" not in partial
    assert 'id="note-list"' in partial
