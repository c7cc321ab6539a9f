"""Schemathesis against ``/api/v1/openapi.json``, in process, as every role of the test world.

Every answer must be below 500 and match what the schema declares for it (status code, content
type, body). Requests carry each role's device token; half of them name records that exist
(a case, its person, a class, a pupil, a household) so that the fuzzed bodies reach the
services, not only the 404 of a random id, and send the record's version in ``If-Match``.

``make test`` runs a bounded pass (fixed seed, 200 cases per role);
``make fuzz`` runs ``PONLEU_FUZZ_CASES`` cases per role (10,000 or more in all) and prints
the figures.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import os
import uuid
import zoneinfo

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ponleu.accounts import services as account_services
from ponleu.cases.models import Case
from ponleu.cases.tests.factories import open_case
from ponleu.common import clock
from ponleu.education.tests.factories import class_with_pupils
from ponleu.registry.models import Household, HouseholdMember
from ponleu.testing import shards
from ponleu.testing.world import TEST_PASSWORD

pytestmark = pytest.mark.heavy
CASES_PER_ROLE = int(os.environ.get("PONLEU_FUZZ_CASES", "200"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = [
    "caseworker_a",
    "field_worker",
    "supervisor",
    "teacher",
    "me_officer",
    "org_admin",
    "dpo",
    "system_admin",
    "partner",
]
# Integers at the edges of the machine's and the databases' integer types.
BOUNDARIES = [0, -1, 2**31, 2**63 - 1, 2**63, 2**64 + 1, 10**30]
NOW = dt.datetime(2026, 5, 12, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Phnom_Penh"))


@contextlib.contextmanager
def in_process():
    """Requests run in this thread and this test's transaction, as with Django's test client
    (which connects the handlers again after each of its own requests, hence no fixture)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _records(world) -> dict:
    case = open_case(world, worker="caseworker_a")
    school_class, pupils = class_with_pupils(world, 2)
    person = case.person
    household = Household.objects.create(organisation=world.org, village_id="02010101", team=world.team_a)
    HouseholdMember.objects.create(household=household, person=person, relationship="child")
    return {
        "case_id": case.pk,
        "person_id": person.pk,
        "class_id": school_class.pk,
        "enrolment_id": pupils[0].pk,
        "household_id": household.pk,
    }


def _version(path_parameters: dict) -> str | None:
    try:
        case_id = uuid.UUID(str(path_parameters.get("case_id")))
    except ValueError:
        return None
    return str(Case.objects.filter(pk=case_id).values_list("version", flat=True).first())


def _token(world, key: str) -> str:
    membership = world.members[key]
    actor = world.actor(key)
    issued = account_services.token_issue(
        actor=actor,
        membership=membership,
        name="fuzz",
        capabilities=sorted(actor.capabilities),
        password=TEST_PASSWORD,
    )
    return issued.plaintext


def _schema(world, login_as):
    raw = login_as(world.user("supervisor")).get("/api/v1/openapi.json")
    assert raw.status_code == 200
    schema = schemathesis.openapi.from_dict(raw.json())
    schema.app = WSGIHandler()
    return schema


def _strategy(cache: dict, operation, mode, fixed: tuple | None, query: tuple | None):
    """Building a strategy costs more than drawing from it: one per kind of case, kept."""
    key = (operation.label, mode, fixed, query)
    if key not in cache:
        overrides = {"query": dict(query) if query else None}
        if fixed:
            overrides["path_parameters"] = dict(fixed)
        cache[key] = operation.as_strategy(mode, **overrides)
    return cache[key]


def _integer_parameters(operation) -> list[str]:
    return [p.name for p in operation.query if p.definition.get("schema", {}).get("type") == "integer"]


def _fuzz_as(
    role: str, headers: dict, operations, known: dict, *, cases: int, counts, failures, strategies
) -> None:
    @settings(
        max_examples=cases,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def exercise(data):
        operation = data.draw(st.sampled_from(operations), label="operation")
        mode = data.draw(st.sampled_from(list(schemathesis.GenerationMode)), label="mode")
        real_ids = data.draw(st.booleans(), label="real ids")
        query = None
        numbers = _integer_parameters(operation)
        if numbers and data.draw(st.booleans(), label="boundaries"):
            query = {name: data.draw(st.sampled_from(BOUNDARIES), label=name) for name in numbers}
        names = {p.name for p in operation.path_parameters}
        fixed = tuple(sorted((n, str(known[n])) for n in names)) if real_ids and names <= set(known) else None
        strategy = _strategy(
            strategies, operation, mode, fixed, tuple(sorted(query.items())) if query else None
        )
        case = data.draw(strategy, label="case")
        sent = dict(headers)
        version = _version(case.path_parameters or {})
        if version and data.draw(st.booleans(), label="if-match"):
            sent["If-Match"] = f'"{version}"'
        response = case.call(headers=sent)
        counts[(role, response.status_code // 100)] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=sent)
        except (AssertionError, FailureGroup) as failure:  # each is counted, none stops the run
            found = failure.exceptions if isinstance(failure, FailureGroup) else [failure]
            failures.append(
                f"{role} {operation.label} -> {response.status_code}: "
                f"{'; '.join(getattr(f, 'title', None) or str(f).strip()[:120] for f in found)}"
                f"\n    body {response.text[:300]!r}\n"
                f"    sent {case.path_parameters} {case.query} {case.body!r}"[:1500]
            )

    exercise()


def run_fuzz(world, login_as, *, cases_per_role: int, roles=ROLES) -> tuple[collections.Counter, list]:
    """Run the cases; return (count by role and status class, failures)."""
    schema = _schema(world, login_as)
    known = _records(world)
    operations = [result.ok() for result in schema.get_all_operations()]
    counts: collections.Counter = collections.Counter()
    failures: list[str] = []
    strategies: dict = {}
    with in_process():
        for role in roles:
            # identity: compressed answers would reach the checks still compressed.
            headers = {"Authorization": f"Bearer {_token(world, role)}", "Accept-Encoding": "identity"}
            _fuzz_as(
                role,
                headers,
                operations,
                known,
                cases=cases_per_role,
                counts=counts,
                failures=failures,
                strategies=strategies,
            )
    return counts, failures


def _summary(counts, failures) -> str:
    total = sum(counts.values())
    by_class = collections.Counter()
    for (_role, status_class), n in counts.items():
        by_class[f"{status_class}xx"] += n
    return f"{total} cases, by status {dict(sorted(by_class.items()))}, {len(failures)} failures"


# One test per role, so the two pytest workers share the fuzzing instead of one worker
# carrying all of it at the end of the run.
@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_every_role_without_server_errors_or_schema_violations(world, login_as, role):
    if not shards.mine(ROLES.index(role)):
        pytest.skip(f"this role is fuzzed in the other database phase ({shards.described()} here)")
    with clock.frozen(NOW):
        counts, failures = run_fuzz(world, login_as, cases_per_role=CASES_PER_ROLE, roles=[role])
    print(_summary(counts, failures))  # noqa: T201 - the figures are what make fuzz reports
    for failure in failures:
        print(failure)  # noqa: T201
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:30])
