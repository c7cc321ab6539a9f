import json

import pytest

from ponleu.audit.models import AccessEvent
from ponleu.registry.models import Person

from . import factories

pytestmark = pytest.mark.django_db


def test_people_list_pages_filters_and_audits(world, login_as):
    actor = world.actor("caseworker_a")
    for index in range(3):
        factories.person(actor, given_name_latin=f"Child{index}", given_name_km="")
    client = login_as(world.user("caseworker_a"))
    body = client.get("/api/v1/people", {"per_page": 2}).json()
    assert len(body["items"]) == 2
    assert body["has_next"] is True
    event = AccessEvent.objects.latest("id")
    assert event.target_ids == [item["id"] for item in body["items"]]
    assert client.get("/api/v1/people", {"per_page": 101}).status_code == 422
    assert client.get("/api/v1/people", {"sex": "F"}).json()["items"] == []


def test_people_search_is_the_search_box(world, login_as):
    dara = factories.person(world.actor("caseworker_a"))
    client = login_as(world.user("caseworker_a"))
    for query in ("Sok Dara", "sokh darah", "Dara Sok", "សុខ ដារ៉ា"):
        items = client.get("/api/v1/people", {"q": query}).json()["items"]
        assert items[0]["id"] == str(dara.pk)
        assert items[0]["why"]


def test_detail_etag_and_patch_with_if_match(world, login_as):
    person = factories.person(world.actor("caseworker_a"), phones=[{"number": "012345678", "owner": "self"}])
    client = login_as(world.user("caseworker_a"))
    url = f"/api/v1/people/{person.pk}"
    response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json()["phones"] == [{"number": "+85512345678", "owner": "self"}]
    patch = json.dumps({"nickname": "Mab"})
    assert client.patch(url, patch, content_type="application/json").status_code == 428
    ok = client.patch(url, patch, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200
    assert ok.json()["nickname"] == "Mab"
    assert ok.json()["version"] == 2
    stale = client.patch(
        url, json.dumps({"nickname": "Toch"}), content_type="application/json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 409
    person.refresh_from_db()
    assert person.nickname == "Mab"


@pytest.mark.parametrize(
    "field", ["organisation", "owner", "version", "merged_into", "created_at", "area_code", "id"]
)
def test_protected_attributes_cannot_be_written(world, login_as, field):
    person = factories.person(world.actor("caseworker_a"))
    client = login_as(world.user("caseworker_a"))
    response = client.patch(
        f"/api/v1/people/{person.pk}",
        json.dumps({field: "x"}),
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 422
    person.refresh_from_db()
    assert person.version == 1


def test_bad_values_are_422_with_the_field_named(world, login_as):
    person = factories.person(world.actor("caseworker_a"))
    client = login_as(world.user("caseworker_a"))
    response = client.patch(
        f"/api/v1/people/{person.pk}",
        json.dumps({"date_of_birth": "០១/០១/២០៩០", "village_code": "99999999"}),
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"date_of_birth", "village"}


def test_forbidden_and_missing_are_the_same_404(world, login_as):
    person = factories.person(world.actor("caseworker_a"))
    client = login_as(world.user("partner"))
    forbidden = client.get(f"/api/v1/people/{person.pk}")
    missing = client.get("/api/v1/people/00000000-0000-0000-0000-000000000000")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert (
        client.patch(
            f"/api/v1/people/{person.pk}", "{}", content_type="application/json", HTTP_IF_MATCH='"1"'
        ).status_code
        == 404
    )


def test_create_and_households(world, login_as):
    client = login_as(world.user("caseworker_a"))
    response = client.post(
        "/api/v1/people",
        json.dumps(
            {
                "family_name_latin": "Chan",
                "given_name_latin": "Sophea",
                "sex": "F",
                "date_of_birth": "2014-02-01",
                "village_code": factories.THMEI,
                "identifiers": [{"type": "birth_certificate", "value": "77"}],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    household = factories.household(world.actor("caseworker_a"))
    from ponleu.registry import services

    services.household_member_add(
        actor=world.actor("caseworker_a"), household=household, person=person, relationship="child"
    )
    body = client.get("/api/v1/households").json()
    assert body["items"][0]["members"][0]["person_id"] == str(person.pk)
    assert client.get(f"/api/v1/households/{household.pk}").json()["id"] == str(household.pk)
    assert login_as(world.user("partner")).get(f"/api/v1/households/{household.pk}").status_code == 404


def test_anonymous_is_refused_and_openapi_lists_the_routes(world, client, login_as):
    assert client.get("/api/v1/people").status_code == 401
    paths = login_as(world.user("caseworker_a")).get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/people", "/api/v1/people/{person_id}", "/api/v1/households"} <= set(paths)
