"""Who reaches which case screen: scope, organisation, role and sensitivity (403 vs 404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ponleu.audit.models import AuditEvent
from ponleu.cases.models import Case

from .factories import make_child, open_case

pytestmark = pytest.mark.django_db


def _detail(case):
    return reverse("cases:case_detail", kwargs={"case_id": case.pk})


def test_scope_decides_who_sees_a_case(world, login_as):
    case = open_case(world)  # caseworker_a's, Banan team, Banan village
    expectations = {
        "caseworker_a": 200,  # own
        "supervisor": 200,  # area
        "dpo": 200,  # whole organisation
        "caseworker_b": 404,  # other team, other area: looks missing
        "partner": 404,  # other organisation
        "teacher": 403,  # no cases.view at all
        "field_worker": 403,
        "org_admin": 403,
    }
    for key, status in expectations.items():
        assert login_as(world.user(key)).get(_detail(case)).status_code == status, key


def test_forbidden_and_missing_look_the_same(world, login_as):
    case = open_case(world)
    client = login_as(world.user("caseworker_b"))
    forbidden = client.get(_detail(case))
    missing = client.get(
        reverse("cases:case_detail", kwargs={"case_id": "00000000-0000-4000-8000-000000000000"})
    )
    assert forbidden.status_code == missing.status_code == 404
    # The same page, ids aside (the emergency-access link names the id that was asked for).
    assert forbidden.content.replace(str(case.pk).encode(), b"<id>") == missing.content.replace(
        b"00000000-0000-4000-8000-000000000000", b"<id>"
    )


def test_anonymous_is_sent_to_login(client, world):
    case = open_case(world)
    for url in (reverse("cases:case_list"), _detail(case), reverse("cases:caseload")):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_sensitive_case_is_masked_in_lists_and_closed_to_colleagues(world, login_as):
    child = make_child(world, family_latin="Keo", given_latin="Sreymom", family_km="កែវ", given_km="ស្រីមុំ")
    case = open_case(world, type_code="sexual_exploitation", child=child)
    Case.objects.filter(pk=case.pk).update(
        owner=world.user("supervisor")
    )  # in team_a, not caseworker_a's own
    colleague = login_as(world.user("caseworker_a"))
    page = colleague.get(reverse("cases:case_list")).content.decode()
    assert "K. S." in page
    assert "Sreymom" not in page
    assert "ស្រីមុំ" not in page
    assert colleague.get(_detail(case)).status_code == 403
    pdf = colleague.get(reverse("cases:mosvy_form", kwargs={"case_id": case.pk, "form_number": 1}))
    assert pdf.status_code == 403
    assert "Sreymom" in login_as(world.user("supervisor")).get(_detail(case)).content.decode()


def test_write_refused_for_colleague_saves_nothing(world, login_as):
    case = open_case(world, child=make_child(world))
    Case.objects.filter(pk=case.pk).update(
        owner=world.user("supervisor")
    )  # team_a: caseworker_a may see, not edit
    before = AuditEvent.objects.count()
    colleague = login_as(world.user("caseworker_a"))
    response = colleague.post(
        reverse("cases:goal_create", kwargs={"case_id": case.pk}), {"domain": "1A", "description": "x"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


def test_field_worker_opens_a_case_for_a_child_they_registered(world, login_as):
    child = make_child(world, owner=world.user("field_worker"))
    client = login_as(world.user("field_worker"))
    response = client.post(
        reverse("cases:case_open"),
        {
            "person": child.pk,
            "case_type": "child_labour",
            "source": "volunteer",
            "identified_on": "2025-01-06",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(person=child)
    assert case.owner is None
    assert case.team == world.team_a


def test_a_child_the_field_worker_cannot_see_is_unknown_to_the_case_form(world, login_as):
    """cases.open reaches the whole area, but the child's id is looked up through what the
    field worker may see: a neighbour's child reads as missing, named nowhere."""
    child = make_child(world, given_latin="Kanhchana")
    client = login_as(world.user("field_worker"))
    page = client.get(reverse("cases:case_open"), {"person": child.pk})
    missing = client.get(reverse("cases:case_open"), {"person": "7b1c3c3e-6f7a-4f57-9d0e-2a3b4c5d6e7f"})
    assert page.status_code == missing.status_code == 404
    posted = client.post(
        reverse("cases:case_open"),
        {
            "person": child.pk,
            "case_type": "child_labour",
            "source": "volunteer",
            "identified_on": "2025-01-06",
        },
    )
    assert posted.status_code == 404
    assert "Kanhchana" not in page.content.decode() + posted.content.decode()
    assert not Case.objects.filter(person=child).exists()


def test_stale_form_is_a_conflict_and_saves_nothing(world, login_as):
    case = open_case(world)
    client = login_as(world.user("caseworker_a"))
    stale = case.version
    first = client.post(
        reverse("cases:case_transition", kwargs={"case_id": case.pk, "event": "start_intake"}),
        {"version": stale},
    )
    assert first.status_code == 302
    edit = client.post(
        reverse("cases:case_edit", kwargs={"case_id": case.pk}),
        {"version": stale, "source": "police", "identified_on": "2025-01-06", "summary": "changed"},
    )
    assert edit.status_code == 409
    assert "Someone else changed" in edit.content.decode()
    assert Case.objects.get(pk=case.pk).summary == ""


def test_case_types_are_for_organisation_administrators(world, login_as):
    open_case(world)
    assert login_as(world.user("caseworker_a")).get(reverse("cases:case_type_list")).status_code == 403
    admin = login_as(world.user("org_admin"))
    page = admin.get(reverse("cases:case_type_list"))
    assert page.status_code == 200
    from ponleu.cases.models import CaseType

    labour = CaseType.objects.get(organisation=world.org, code="child_labour")
    response = admin.post(
        reverse("cases:case_type_edit", kwargs={"case_type_id": labour.pk}),
        {
            "name_km": "ពលកម្មកុមារ",
            "name_en": "Child labour",
            "is_sensitive_default": "on",
            "is_active": "on",
            "mosvy_forms": ["1", "6"],
            "instruments": ["danger_factors"],
            "service_types": ["education_support"],
        },
    )
    assert response.status_code == 302
    labour.refresh_from_db()
    assert labour.is_sensitive_default
    assert labour.forms == [1, 6]
    other = CaseType.objects.create(organisation=world.other_org, code="x", name_km="x", name_en="x")
    assert admin.get(reverse("cases:case_type_edit", kwargs={"case_type_id": other.pk})).status_code == 404


@pytest.mark.dated
def _grant_on_child(world, member, person_id):
    """An open break-the-glass grant on the child, as ``break_glass_open`` leaves one (the
    service itself is tested apart)."""
    import datetime as dt

    from ponleu.access.models import BreakGlassGrant
    from ponleu.common import clock

    now = clock.now()
    return BreakGlassGrant.objects.create(
        organisation_id=world.org.pk,
        membership_id=member.pk,
        user_id=member.user_id,
        target_type="registry.person",
        target_id=str(person_id),
        reason="The child called the hotline tonight; her caseworker is unreachable.",
        opened_at=now - dt.timedelta(minutes=5),
        expires_at=now + dt.timedelta(minutes=55),
    )


def test_break_the_glass_on_the_child_opens_the_case_until_it_expires(world, login_as):
    import datetime as dt

    from ponleu.audit.models import AccessEvent
    from ponleu.common import clock

    case = open_case(world)  # caseworker_a's, outside caseworker_b's team and area
    member = world.members["caseworker_b"]
    now = clock.now()
    _grant_on_child(world, member, case.person_id)
    client = login_as(member.user)
    assert client.get(_detail(case)).status_code == 200
    events = AccessEvent.objects.filter(action="cases.case.viewed", actor_user_id=member.user_id)
    assert sorted(e.target_type for e in events) == [
        "cases.case",
        "registry.person",
    ]  # the case and its child
    assert all(e.break_glass for e in events)
    # Seeing is all a grant gives: no work on the case.
    goal = client.post(
        reverse("cases:goal_create", kwargs={"case_id": case.pk}), {"domain": "1A", "description": "x"}
    )
    assert goal.status_code == 403
    with clock.frozen(now + dt.timedelta(hours=2)):
        assert login_as(member.user).get(_detail(case)).status_code == 404


def test_a_grant_on_a_sensitive_case_child_shows_the_name_in_the_list(world, login_as):
    """Holding a grant used to break the case list whenever a sensitive case was on it."""
    child = make_child(world, family_latin="Keo", given_latin="Sreymom", family_km="កែវ", given_km="ស្រីមុំ")
    case = open_case(world, type_code="sexual_exploitation", child=child)
    Case.objects.filter(pk=case.pk).update(owner=world.user("supervisor"))
    other = open_case(
        world,
        type_code="sexual_exploitation",
        child=make_child(world, family_latin="Chan", given_latin="Thida", family_km="ចាន់", given_km="ធីតា"),
    )
    Case.objects.filter(pk=other.pk).update(owner=world.user("supervisor"))
    member = world.members["caseworker_a"]
    _grant_on_child(world, member, child.pk)
    page = login_as(member.user).get(reverse("cases:case_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sreymom" in body  # the granted child
    assert "Thida" not in body  # the other stays masked
    assert "C. T." in body
