"""The authorization matrix's adversarial pass: every id-typed input × scope × identity.

The inputs are found in the code (ponleu/testing/inputs.py), filled with ids at every scope
(ponleu/testing/input_values.py) and sent with the rest of the request valid
(ponleu/testing/adversary.py). One world per module, as the path-id matrix (test_matrix.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client

from ponleu.common import clock
from ponleu.testing import scopes, shards
from ponleu.testing.adversary import InputMatrix
from ponleu.testing.input_values import INPUT_SCOPES, furnish, third_team
from ponleu.testing.inputs import KIND_OF, inventory
from ponleu.testing.permissions import ANONYMOUS, Identity, Matrix, log_in, routes

AT = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
# A hole found and not yet fixed is named here, by route, so its failure says what it is; the
# entry goes with the fix. Empty: every hole this pass has found is fixed.
KNOWN_HOLES: dict[str, str] = {}
pytestmark = pytest.mark.heavy
ROUTES = [rm for rm in routes() if rm.kind in ("view", "api")]
INVENTORY = inventory(ROUTES)
WITH_INPUTS = sorted({i.rm for i in INVENTORY.inputs}, key=lambda rm: (rm.route, rm.method))


@pytest.fixture(scope="module")
def adversary(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), clock.frozen(AT), transaction.atomic():
        world = scopes.MatrixWorld.build()
        third_team(world)
        identities = [Identity(ANONYMOUS, Client(raise_request_exception=False), None)]
        for key in scopes.MATRIX_MEMBERS:
            identity = Identity(
                key, Client(raise_request_exception=False), world.members[key], world.world.user(key)
            )
            log_in(identity)
            identities.append(identity)
        matrix = Matrix(world, identities, log_in)
        matrix.prepare()
        for key in scopes.FACTORIES:
            for member in scopes.MATRIX_MEMBERS:
                world.scoped(key, member, scopes.OTHER_TEAM)
        furnish(world, scopes.MATRIX_MEMBERS)
        matrix._scanner()
        built = InputMatrix(matrix, INVENTORY, AT.date())
        built.prepare()
        yield built
        transaction.set_rollback(True)


def test_every_input_is_classified():
    assert not INVENTORY.unclassified, "\n".join(INVENTORY.unclassified)


def test_the_finder_reads_every_place_an_id_travels():
    """Each place (path, query, form field, id in a form key, JSON field, id as a JSON key) and
    each way of finding it (URL conf, a read in the view, a form, a filter's from_params, a schema)."""
    found = {i.id for i in INVENTORY.inputs}
    expected = {
        "GET /people/<uuid:person_id>/ path:person_id",  # the URL conf
        "GET /cases/new/ query:person",  # request.GET.get in a helper method
        "GET /people/new/ query:household",  # request.GET.get handed to a module function
        "GET /risk/ query:school",  # request.GET handed to RiskFilters.from_params
        "POST /schools/classes/<uuid:class_id>/pupils/ form:person",  # EnrolForm, named in a helper
        "POST /cases/<uuid:case_id>/assign/ form:team",  # form_class, a choice filled at run time
        "POST /schools/classes/<uuid:class_id>/ form-key:s-",  # {k[2:]: v for k in request.POST if ...}
        "POST /accounts/devices/revoke/ form:token",  # request.POST.get in post()
        "POST /api/v1/cases json:child_id",  # a UUID field of the body schema
        "POST /api/v1/cases/<case_id>/notes json:goal_ids",  # a list of UUIDs
        "POST /api/v1/classes/<class_id>/attendance json-key:statuses",  # ids as a JSON object's keys
        "GET /api/v1/risk/list query:class",  # request.GET read inside an operation
        "GET /api/v1/people query:q",  # a name to search for
    }
    assert expected <= found, sorted(expected - found)
    assert "POST /people/<uuid:person_id>/phones/new/ form:owner" not in found  # "self" or "caregiver"


def test_an_unclassified_input_fails_the_suite(settings):
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "tests.security.matrix_probe_urls"
    clear_url_caches()
    try:
        probe = [rm for rm in routes() if rm.name.startswith("probe:")]
        found = {i.id for i in inventory(probe).inputs}
    finally:
        clear_url_caches()
    assert found == {"GET /probe/shows/ query:person", "POST /probe/enrols/ form:person"}
    kinds = dict(KIND_OF)
    try:
        KIND_OF.pop("person")
        KIND_OF.pop("person_id")
        settings.ROOT_URLCONF = "tests.security.matrix_probe_urls"
        clear_url_caches()
        unclassified = inventory([rm for rm in routes() if rm.name.startswith("probe:")]).unclassified
    finally:
        KIND_OF.clear()
        KIND_OF.update(kinds)
        clear_url_caches()
    assert any("query:person" in u and "KIND_OF or NOT_IDS" in u for u in unclassified), unclassified


def test_the_pass_catches_planted_holes(adversary, db, settings, monkeypatch):
    """A view that shows any child by the id in its query string, and one that acts on any
    child of the organisation and tells which ids exist: the pass must report each hole."""
    from django.urls import clear_url_caches

    monkeypatch.delenv(shards.SHARD_ENV, raising=False)  # the holes are planted for two identities

    settings.ROOT_URLCONF = "tests.security.matrix_probe_urls"
    clear_url_caches()
    try:
        probe = [rm for rm in routes() if rm.name.startswith("probe:")]
        engine = InputMatrix(adversary.matrix, inventory(probe), AT.date())
        engine.prepare()
        failures = {rm.name: "\n".join(engine.run(rm)) for rm in probe}
    finally:
        clear_url_caches()
    shows, enrols = failures["probe:shows"], failures["probe:enrols"]
    assert "query:person=sensitive as caseworker_a: LEAK — shows the identity" in shows
    assert "query:person=same_org as caseworker_a: LEAK — shows the identity" in shows
    assert "query:person=malformed as caseworker_a: 500" in shows
    assert "query:person=own as caseworker_a: shows people" in shows  # no AccessEvent
    assert "form:person=same_org (valid) as supervisor: UNAUTHORISED SUCCESS — wrote probe.enrolled" in enrols
    assert "form:person (bare) as supervisor: other_org answers 400/400, missing answers 400/400" in enrols


@pytest.mark.parametrize("rm", WITH_INPUTS, ids=[rm.id for rm in WITH_INPUTS])
def test_inputs(adversary, rm, db):
    failures = adversary.run(rm)
    known = f"known hole: {KNOWN_HOLES[rm.id]}\n" if rm.id in KNOWN_HOLES else ""
    assert not failures, f"{known}{len(failures)} problem(s):\n" + "\n".join(failures[:60])


def test_every_input_meets_every_scope(adversary, db, capsys):
    """Coverage: each id-typed input is filled with a real id by an identity who may use its
    route (and every scope that exists for its kind); figures of the run when it ran whole."""
    cases, exercised, requests = set(), set(), 0
    for rm in WITH_INPUTS:
        for identity, inp, value, _verdict in adversary.plan(rm):
            cases.add((rm.id, f"{inp.where}:{inp.name}", value.scope))
            requests += len(adversary._variants(rm, inp))
            if value.scope not in ("missing", "malformed") and adversary._base(rm, identity).reachable:
                exercised.add(inp.id)
    discovered = {i.id for i in INVENTORY.inputs if i.kind != "name"}
    names = {i.id for i in INVENTORY.inputs if i.kind == "name"}
    covered = discovered & exercised
    stats = adversary.stats
    with capsys.disabled():
        print(  # noqa: T201 - reporting the figures is the point of this test
            f"\nadversarial matrix: (route, input, scope) cases: {len(cases)}, id-typed inputs covered:"
            f" {len(covered)} of {len(discovered)} ({100 * len(covered) // max(len(discovered), 1)}%);"
            f" name inputs searched with hidden names: {len(names & exercised)} of {len(names)};"
            f" {requests} requests planned over {len(INPUT_SCOPES)} scopes and {len(adversary.matrix.identities)}"
            f" identities; this phase sends those of {shards.described()}"
            f" ({len(adversary.matrix.shard_identities())})"
        )
        if len(stats.routes) == len(WITH_INPUTS):
            print(  # noqa: T201
                f"  this run: {stats.requests} requests ({dict(stats.by_where)} by where the id sits);"
                f" {stats.refused} refused by the policy and checked for writes; {stats.same_refusals}"
                f" forbidden-vs-missing comparisons; {stats.valid_accepted} of {stats.valid_sent}"
                " otherwise-valid forms and bodies accepted"
            )
            for route, count in stats.valid_rejected.most_common(5):
                print(f"  allowed, yet refused as invalid: {route} × {count}")  # noqa: T201
    # An object built inside one test's transaction would vanish with it and haunt the next.
    assert len(adversary.world._cache) == adversary.built, "a value was built after the world was"
    missing = sorted((discovered | names) - exercised)
    assert not missing, "inputs no case exercises:\n" + "\n".join(missing)


def test_known_holes_name_routes_of_the_pass():
    assert set(KNOWN_HOLES) <= {rm.id for rm in WITH_INPUTS}, set(KNOWN_HOLES) - {rm.id for rm in WITH_INPUTS}
