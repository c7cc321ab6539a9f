"""Regression tests for the ways a member of the same organisation could read a protected name.

Each test drives the channel that leaked (a query string, a form field, a JSON body, a
container) and checks the name appears nowhere, nothing is written, and the refusal reads
like a missing record. Cross-organisation isolation is the matrix's job; these are the holes
inside one organisation, where most staff are.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse

from ponleu.audit.models import AccessEvent, AuditEvent
from ponleu.cases.models import Case
from ponleu.cases.tests.factories import make_child, open_case
from ponleu.education.models import Enrolment
from ponleu.education.tests.factories import make_class, make_school, make_year
from ponleu.organisations.models import Team
from ponleu.registry.choices import Relationship
from ponleu.registry.models import Household, HouseholdMember, Person

pytestmark = pytest.mark.django_db

SECRET = "Kanhchana"  # the protected given name; must never reach a refused reader


def _sensitive_child(world, **extra):
    return make_child(world, given_latin=SECRET, given_km="កញ្ចនា", is_sensitive=True, **extra)


def _far_team(world):
    """A team of the organisation that no test member belongs to."""
    return Team.objects.get_or_create(organisation=world.org, name="Mondulkiri team")[0]


def _names_in(response) -> bool:
    body = response.content.decode()
    return SECRET in body or "កញ្ចនា" in body


# --- 1. the case form's ?person= -------------------------------------------------------


@pytest.mark.parametrize("key", ["caseworker_a", "field_worker"])
def test_the_case_form_does_not_name_a_protected_child(world, login_as, key):
    child = _sensitive_child(world)
    client = login_as(world.user(key))
    shown = client.get(reverse("cases:case_open"), {"person": child.pk})
    missing = client.get(reverse("cases:case_open"), {"person": uuid.uuid4()})
    failed = client.post(reverse("cases:case_open"), {"person": child.pk, "case_type": ""})
    assert shown.status_code == missing.status_code == failed.status_code == 404
    assert not _names_in(shown)
    assert not _names_in(failed)
    assert not Case.objects.filter(person=child).exists()


def test_a_cleared_reader_sees_the_name_and_the_read_is_recorded(world, login_as):
    child = _sensitive_child(world)
    client = login_as(world.user("supervisor"))
    shown = client.get(reverse("cases:case_open"), {"person": child.pk})
    assert shown.status_code == 200
    assert _names_in(shown)
    events = AccessEvent.objects.filter(request_id=shown["X-Request-Id"])
    assert any(str(child.pk) in event.target_ids for event in events)
    # The form re-shown after a failed POST is read (and recorded) the same way.
    failed = client.post(reverse("cases:case_open"), {"person": child.pk, "case_type": ""})
    assert failed.status_code == 400
    assert AccessEvent.objects.filter(request_id=failed["X-Request-Id"]).exists()


# --- 2. PATCH /api/v1/people/{id} {"is_sensitive": false} ----------------------------


def _patch(client, person, body):
    return client.patch(
        f"/api/v1/people/{person.pk}",
        json.dumps(body),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{person.version}"',
    )


def test_a_caseworker_cannot_lift_protection_through_the_api(world, login_as):
    child = _sensitive_child(world)
    client = login_as(world.user("caseworker_a"))
    before = AuditEvent.objects.count()
    response = _patch(client, child, {"is_sensitive": False})
    assert response.status_code in (403, 404)
    assert not _names_in(response)
    child.refresh_from_db()
    assert child.is_sensitive
    assert AuditEvent.objects.count() == before


def test_lifting_protection_is_a_supervisors_decision_on_both_channels(world, login_as):
    own = _sensitive_child(world, owner=world.user("caseworker_a"))
    client = login_as(world.user("caseworker_a"))
    api = _patch(client, own, {"is_sensitive": False})
    assert api.status_code == 422
    assert "is_sensitive" in api.json()["errors"]
    form = client.post(
        reverse("registry:person_edit", kwargs={"person_id": own.pk}),
        {
            "kind": "child",
            "family_name_latin": "Sok",
            "given_name_latin": SECRET,
            "sex": "F",
            "date_of_birth_precision": "day",
            "version": own.version,
        },
    )
    assert form.status_code == 400
    own.refresh_from_db()
    assert own.is_sensitive
    supervisor = login_as(world.user("supervisor"))
    assert _patch(supervisor, own, {"is_sensitive": False}).status_code == 200
    own.refresh_from_db()
    assert not own.is_sensitive


# --- 3. POST /api/v1/cases --------------------------------------------------------------


def _open_by_api(client, child):
    body = {"child_id": str(child.pk), "case_type": "child_protection", "source": "volunteer"}
    return client.post("/api/v1/cases", json.dumps(body), content_type="application/json")


def test_opening_a_case_by_api_does_not_lift_the_mask(world, login_as):
    child = _sensitive_child(world)
    response = _open_by_api(login_as(world.user("caseworker_a")), child)
    assert response.status_code == 403
    assert not _names_in(response)
    assert not Case.objects.filter(person=child).exists()


def test_a_field_worker_cannot_open_a_case_on_a_child_they_cannot_see(world, login_as):
    child = make_child(world, given_latin=SECRET)  # in the field worker's area, not theirs
    response = _open_by_api(login_as(world.user("field_worker")), child)
    assert response.status_code == 404
    assert not _names_in(response)
    assert not Case.objects.filter(person=child).exists()


# --- 4. enrolling any id of the organisation ---------------------------------------------


def test_enrolment_reaches_only_children_the_actor_may_see(world, login_as):
    year = make_year(world.org)
    school_class = make_class(make_school(world.org), year)
    elsewhere = make_child(world, village="17070101", team=_far_team(world), given_latin=SECRET)
    client = login_as(world.user("supervisor"))
    url = reverse("education:class_pupils", kwargs={"class_id": school_class.pk})
    answers = []
    for person_id in (elsewhere.pk, uuid.uuid4()):
        response = client.post(url, {"form": "enrol", "person": person_id, "enrolled_on": "10/11/2025"})
        assert response.status_code == 400
        assert not _names_in(response)
        answers.append(response.content.decode().replace(str(person_id), "<id>"))
    assert answers[0].count("No child with this number") == 1
    assert "No child with this number" in answers[1]
    assert not Enrolment.objects.filter(person=elsewhere).exists()


def test_a_sensitive_pupil_is_named_by_their_own_record_not_the_class(world, login_as):
    from ponleu.education.tests.factories import enrol

    year = make_year(world.org)
    school_class = make_class(make_school(world.org), year, teacher=world.members["teacher"])
    pupil = _sensitive_child(world)
    enrol(school_class, pupil)
    client = login_as(world.user("teacher"))
    page = client.get(reverse("education:class_roll_call", kwargs={"class_id": school_class.pk}))
    assert page.status_code == 200
    assert not _names_in(page)


# --- 7. one rule for protection -----------------------------------------------------------


def test_marking_a_case_sensitive_later_masks_the_childs_record(world, login_as):
    child = make_child(world, given_latin=SECRET)
    case = open_case(world, child=child)
    client = login_as(world.user("caseworker_a"))
    response = client.post(
        reverse("cases:case_edit", kwargs={"case_id": case.pk}),
        {"version": case.version, "source": "volunteer", "identified_on": "06/01/2025", "is_sensitive": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    child.refresh_from_db()
    assert child.is_sensitive
    # Another caseworker of the area now reads the child's record masked.
    other = login_as(world.user("caseworker_b"))
    from ponleu.access.policies import can_see_identity

    assert not can_see_identity(world.actor("field_worker"), child)
    assert other is not None


# --- 8. malformed ids are missing records, not errors ------------------------------------


@pytest.mark.parametrize(
    ("name", "parameter"), [("cases:case_open", "person"), ("registry:person_create", "household")]
)
@pytest.mark.parametrize(
    "value", ["x", "1", "00000000-0000-0000-0000-00000000000Z", "5f0e7c2a-9b1d-4e6f-8a3c-2d4b6e8f0a1c"]
)
def test_a_malformed_or_unknown_id_in_a_query_string_is_a_404(world, login_as, name, parameter, value):
    client = login_as(world.user("supervisor"))
    response = client.get(reverse(name), {parameter: value})
    assert response.status_code == 404


# --- 13. containers and search ------------------------------------------------------------


def test_household_api_lists_only_members_the_caller_may_see(world, login_as):
    household = Household.objects.create(organisation=world.org, village_id="02010101", team=world.team_a)
    mine = make_child(world, owner=world.user("field_worker"))
    theirs = make_child(world, given_latin=SECRET, team=_far_team(world), owner=world.user("caseworker_a"))
    for person, relationship in ((mine, Relationship.CHILD), (theirs, Relationship.CHILD)):
        HouseholdMember.objects.create(household=household, person=person, relationship=relationship)
    Household.objects.filter(pk=household.pk).update(owner=world.user("field_worker"))
    client = login_as(world.user("field_worker"))
    body = client.get(f"/api/v1/households/{household.pk}").json()
    assert [m["person_id"] for m in body["members"]] == [str(mine.pk)]
    assert body["hidden_members"] == 1
    assert str(theirs.pk) not in json.dumps(body)


def test_the_duplicate_check_names_no_caregiver_out_of_scope(world, login_as):
    household = Household.objects.create(organisation=world.org, village_id="02010101", team=world.team_a)
    child = make_child(world, given_latin="Sophea", given_km="សុភា")
    carer = make_child(
        world,
        village="17070101",
        team=_far_team(world),
        given_latin=SECRET,
        given_km="កញ្ចនា",
        date_of_birth=dt.date(1985, 1, 1),
    )
    HouseholdMember.objects.create(household=household, person=child, relationship=Relationship.CHILD)
    HouseholdMember.objects.create(
        household=household, person=carer, relationship=Relationship.MOTHER, is_primary_caregiver=True
    )
    from ponleu.registry.services import search_keys

    search_keys.rebuild([child, carer], fresh=True)
    client = login_as(world.user("caseworker_a"))
    response = client.post(
        reverse("registry:person_create"),
        {"step": "match", "family_name_latin": "Sok", "given_name_latin": "Sophea"},
    )
    assert response.status_code == 200
    assert "Sophea" in response.content.decode()  # the child is found...
    assert not _names_in(response)  # ...but not the caregiver, who is out of scope


def test_search_does_not_rank_masked_records_by_their_hidden_name(world, login_as):
    from ponleu.registry.selectors.search import search
    from ponleu.registry.services import search_keys

    hidden = _sensitive_child(world)
    plain = make_child(world, given_latin="Kanha")
    search_keys.rebuild([hidden, plain], fresh=True)
    hits = search(world.actor("caseworker_a"), "Sok Kanhchana")
    assert hidden.pk not in [h.person.pk for h in hits]
    cleared = search(world.actor("supervisor"), "Sok Kanhchana")
    assert cleared[0].person.pk == hidden.pk
    assert Person.objects.filter(pk=hidden.pk).exists()
