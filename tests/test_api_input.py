"""Bad input to the API is refused with the one declared error body, never a server error:
nulls in PATCH bodies, page numbers past any real page, malformed ids and bodies."""

from __future__ import annotations

import pytest
from django.test import Client

from ponleu.accounts import services as account_services
from ponleu.cases.models import Case
from ponleu.cases.tests.factories import open_case
from ponleu.common.schemas import MAX_PAGE
from ponleu.registry.models import Person
from ponleu.testing.world import TEST_PASSWORD

API = "/api/v1"
pytestmark = pytest.mark.django_db


def _client(world, key="supervisor") -> Client:
    actor = world.actor(key)
    issued = account_services.token_issue(
        actor=actor,
        membership=world.members[key],
        name="test",
        capabilities=sorted(actor.capabilities),
        password=TEST_PASSWORD,
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.plaintext}", raise_request_exception=False)


def _patch(client, url, body, version):
    return client.patch(url, body, content_type="application/json", HTTP_IF_MATCH=f'"{version}"')


def _assert_error_body(response, field: str):
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str)
    assert field in body["errors"], body
    assert all(isinstance(m, str) for m in body["errors"][field])


def test_a_null_for_a_field_that_cannot_be_empty_is_refused_by_name_and_nothing_is_saved(world):
    case = open_case(world, source_detail="Village chief")
    client = _client(world)
    for field in ("source_detail", "summary", "subtype", "is_sensitive", "mosvy_number", "identified_on"):
        response = _patch(client, f"{API}/cases/{case.pk}", {"summary": "changed", field: None}, case.version)
        assert response.status_code == 422, (field, response.content)
        _assert_error_body(response, field)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.version, fresh.source_detail) == (case.version, "Village chief")

    person = case.person
    for field in ("family_name_km", "kind", "sex", "languages", "is_sensitive"):
        response = _patch(client, f"{API}/people/{person.pk}", {field: None}, person.version)
        assert response.status_code == 422, (field, response.content)
        _assert_error_body(response, field)
    assert Person.objects.get(pk=person.pk).version == person.version
    # Where null means something (no known date of birth), it is a value.
    response = _patch(client, f"{API}/people/{person.pk}", {"date_of_birth": None}, person.version)
    assert response.status_code == 200, response.content
    assert response.json()["date_of_birth"] is None


def test_page_numbers_past_any_real_page_are_refused(world):
    case = open_case(world)
    client = _client(world)
    for path in ("/cases", "/people", "/households", f"/cases/{case.pk}/notes", f"/cases/{case.pk}/services"):
        for page in (2**63, 2**64 + 1, MAX_PAGE + 1, 0):
            response = client.get(f"{API}{path}", {"page": page})
            assert response.status_code == 422, (path, page, response.content)
            _assert_error_body(response, "page")
        assert client.get(f"{API}{path}", {"page": MAX_PAGE}).status_code == 200


def test_malformed_ids_and_bodies_get_the_declared_error_body(world):
    client = _client(world)
    response = client.get(f"{API}/cases/not-a-uuid")
    assert response.status_code == 422
    _assert_error_body(response, "case_id")
    response = client.post(f"{API}/cases", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) <= {"detail", "errors"}
    response = client.post(f"{API}/cases", {"case_type": "child_protection"}, content_type="application/json")
    assert response.status_code == 422
    _assert_error_body(response, "child_id")


def test_every_operation_declares_the_refusals_it_can_give(world, login_as):
    schema = login_as(world.user("supervisor")).get(f"{API}/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    assert schema["components"]["schemas"]["ErrorOut"]["required"] == ["detail"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if not operation.get("security"):
                continue
            declared = operation["responses"]
            expected = {"401", "403"}
            if operation.get("parameters") or "requestBody" in operation:
                expected.add("422")
            if "requestBody" in operation:
                expected.add("400")
            assert expected <= set(declared), (method, path, sorted(declared))
            for status in expected:
                assert declared[status]["content"]["application/json"]["schema"] == error, (
                    method,
                    path,
                    status,
                )


def _unbounded_strings(schema: dict, components: dict, where: str, seen: set) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return _unbounded_strings(components[name], components, f"{where}<{name}>", seen | {name})
    found = []
    for key in ("anyOf", "oneOf", "allOf"):
        options = schema.get(key, [])
        # A decimal is "number or string"; its digits are bounded by max_digits, not maxLength.
        is_decimal = any(option.get("type") == "number" for option in options)
        for option in options:
            if not (is_decimal and option.get("type") == "string"):
                found += _unbounded_strings(option, components, where, seen)
    if schema.get("type") == "string" and not (
        "maxLength" in schema or "enum" in schema or schema.get("format") in {"date", "date-time", "uuid"}
    ):
        found.append(where)
    for name, prop in schema.get("properties", {}).items():
        found += _unbounded_strings(prop, components, f"{where}.{name}", seen)
    if isinstance(schema.get("items"), dict):
        found += _unbounded_strings(schema["items"], components, f"{where}[]", seen)
    if isinstance(schema.get("additionalProperties"), dict):
        found += _unbounded_strings(schema["additionalProperties"], components, f"{where}{{}}", seen)
    return found


def test_every_string_a_request_body_takes_has_a_bound(world, login_as):
    # PostgreSQL refuses a value longer than its column: without a declared bound, a long
    # name or number was a server error (SQLite stores it, so only PostgreSQL showed it).
    schema = login_as(world.user("supervisor")).get(f"{API}/openapi.json").json()
    components = schema["components"]["schemas"]
    unbounded = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                unbounded += _unbounded_strings(body["schema"], components, f"{method.upper()} {path}", set())
    assert unbounded == []


def test_a_value_longer_than_its_column_is_refused_by_name(world):
    case = open_case(world)
    client = _client(world)
    for field, length in (("source_detail", 201), ("mosvy_number", 41), ("primero_case_id", 65)):
        response = _patch(client, f"{API}/cases/{case.pk}", {field: "x" * length}, case.version)
        assert response.status_code == 422, (field, response.content)
        _assert_error_body(response, field)
    body = {"interaction": "home_visit", "happened_on": "2025-01-07", "observations": "o", "place": "p" * 201}
    response = client.post(f"{API}/cases/{case.pk}/notes", body, content_type="application/json")
    assert response.status_code == 422, response.content
    _assert_error_body(response, "place")


def test_text_holding_a_nul_character_is_refused_by_name(world):
    # PostgreSQL cannot store or compare text with U+0000: the search box answered 500.
    case = open_case(world)
    client = _client(world)
    response = client.get(f"{API}/people", {"q": "Sok\x00"})
    assert response.status_code == 422, response.content
    _assert_error_body(response, "q")
    body = {"interaction": "home_visit", "happened_on": "2025-01-07", "observations": "o", "place": "a\x00b"}
    response = client.post(f"{API}/cases/{case.pk}/notes", body, content_type="application/json")
    assert response.status_code == 422, response.content
    _assert_error_body(response, "place")
    response = _patch(
        client, f"{API}/people/{case.person_id}", {"languages": ["km", "\x00"]}, case.person.version
    )
    assert response.status_code == 422, response.content
    _assert_error_body(response, "languages.1")
