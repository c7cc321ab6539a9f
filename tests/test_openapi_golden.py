"""The API changes only with its golden schema (``ponleu/api/openapi.json``): a change to a
route, a schema, a status or a description shows in the diff of the same commit."""

from __future__ import annotations

import difflib
import json

import pytest

from ponleu.api.schema_file import GOLDEN, openapi_text

REGENERATE = "The API changed: run `make openapi` (ponleu openapi --write) and review the diff."


def test_the_api_matches_its_golden_schema():
    current, golden = openapi_text(), GOLDEN.read_text(encoding="utf-8")
    diff = "".join(
        list(difflib.unified_diff(golden.splitlines(True), current.splitlines(True), "golden", "current"))[
            :60
        ]
    )
    assert current == golden, f"{REGENERATE}\n{diff}"


@pytest.mark.django_db
def test_the_golden_schema_is_the_one_the_server_serves(world, login_as):
    served = login_as(world.user("supervisor")).get("/api/v1/openapi.json").json()
    assert served == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_no_two_schemas_share_a_name():
    """The OpenAPI document names each schema by its class: two apps' ``MemberOut`` would be one
    component, and one app's answers would be checked against the other's shape."""
    import collections

    from ninja import Schema

    from ponleu.api.schema_file import openapi_text

    openapi_text()  # every app's API module imported
    seen: dict[str, list[str]] = collections.defaultdict(list)
    pending = list(Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("ponleu.") and cls.__name__ != "In":  # "In": bodies' bases
            seen[cls.__name__].append(cls.__module__)
    shared = {name: sorted(set(modules)) for name, modules in seen.items() if len(set(modules)) > 1}
    assert not shared, f"schemas sharing a name: {shared}"
