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
