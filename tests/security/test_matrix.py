"""The authorization matrix (security goal A): every route × method × identity × object scope.

The engine and its rules are in ponleu/testing/permissions.py; the objects in
ponleu/testing/scopes.py. One world per module; one logged-in client per identity.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from ponleu.access.scopes import Relationship
from ponleu.testing import scopes, shards
from ponleu.testing.permissions import ANONYMOUS, Identity, Matrix, log_in, missing_factory, routes

pytestmark = pytest.mark.heavy
ROUTES = [rm for rm in routes() if rm.kind != "admin"]
INTENDED = {
    scopes.OWN: Relationship.OWN,
    scopes.SAME_TEAM: Relationship.TEAM,
    scopes.SAME_AREA: Relationship.AREA,
    scopes.SAME_ORG: Relationship.ORG,
    scopes.OTHER_ORG: Relationship.OUTSIDE,
    scopes.BREAK_GLASS_ACTIVE: Relationship.ORG,
    scopes.BREAK_GLASS_EXPIRED: Relationship.ORG,
    scopes.SHARED_WITH_US: Relationship.ORG,
    scopes.SHARED_CONSENT_WITHDRAWN: Relationship.OUTSIDE,
}


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        world = scopes.MatrixWorld.build()
        identities = [Identity(ANONYMOUS, Client(raise_request_exception=False), None)]
        for key in scopes.MATRIX_MEMBERS:
            facts = world.members[key]
            identity = Identity(key, Client(raise_request_exception=False), facts, world.world.user(key))
            log_in(identity)
            identities.append(identity)
        built = Matrix(world, identities, log_in)
        built.prepare()
        yield built
        transaction.set_rollback(True)


def test_factories_place_objects_where_they_say(matrix, db):
    """The oracle trusts the factories, so check their construction against the intent.

    A factory may decline a scope (None) where its kind of object cannot stand there; the
    people and household factories decline only what a member's lack of teams or areas rules out.
    """
    checked = 0
    for key in scopes.FACTORIES:
        built = 0
        for member in scopes.MATRIX_MEMBERS:
            for scope, relationship in INTENDED.items():
                obj = matrix.world.scoped(key, member, scope)
                if obj is None:
                    if key in ("person_id", "household_id"):
                        assert scope in (
                            scopes.SAME_TEAM,
                            scopes.SAME_AREA,
                            scopes.SHARED_WITH_US,
                            scopes.SHARED_CONSENT_WITHDRAWN,
                        ), (key, member, scope)
                    continue
                assert obj.relationship == relationship, (key, member, scope, obj.relationship)
                built += 1
            sensitive = matrix.world.scoped(key, member, scopes.SENSITIVE)
            if sensitive is not None:
                assert sensitive.sensitive
                assert all(matrix.world.people[pid].sensitive for pid in sensitive.person_ids)
        assert built, f"the scope factory for {key} built nothing"
        checked += built
    assert checked > 100


def test_a_route_with_an_unknown_object_kwarg_asks_for_a_factory():
    from ponleu.testing.permissions import RouteMethod

    rm = RouteMethod("cases/<uuid:case_id>/", "cases:case_detail", "get", ("case_id",), "view", "cases.view")
    if "case_id" in scopes.FACTORIES:
        rm = RouteMethod("x/<uuid:unheard_of_id>/", "x:y", "get", ("unheard_of_id",), "view", "cases.view")
    assert "register a scope factory for" in missing_factory(rm)
    assert "ponleu/testing/scopes.py" in missing_factory(rm)


@pytest.mark.parametrize("rm", ROUTES, ids=[rm.id for rm in ROUTES])
def test_route(matrix, rm, db):
    problem = missing_factory(rm)
    assert problem is None, problem
    failures = matrix.run(rm)
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures[:40])


def test_matrix_figures(matrix, db, capsys):
    """Print what the run covered (last in the module, so after every route)."""
    stats = matrix.stats
    if not stats.requests:
        pytest.skip("no route of the matrix ran in this session")
    with capsys.disabled():
        print(  # noqa: T201 - reporting the figures is the point of this test
            f"\nauthorization matrix ({shards.described()}): {stats.route_methods} route-methods"
            f" × {len(matrix.shard_identities())} of {len(matrix.identities)} identities"
            f" × up to {len(scopes.SCOPES)} scopes = {stats.requests} requests; {stats.allowed} allowed and"
            f" {stats.denied} refused by the policy table; {stats.access_events_checked} allowed reads checked"
            f" for exactly one AccessEvent; {stats.bodies_scanned} bodies scanned for the names of"
            f" {len(matrix.world.people)} people"
        )
    assert stats.bodies_scanned == stats.requests
