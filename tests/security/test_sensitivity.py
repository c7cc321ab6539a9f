"""Sensitive records: names only for those holding registry.view_sensitive over them."""

import datetime as dt

import pytest

from ponleu.access import policy
from ponleu.access.models import BreakGlassGrant
from ponleu.access.policies import can_see_identity, identity_label
from ponleu.access.scopes import Relationship
from ponleu.common import clock

pytestmark = pytest.mark.django_db


def test_ordinary_records_are_masked_only_out_of_reach(world, person):
    child = person(village="02010101", given="Chenda")
    for key in ("caseworker_a", "supervisor", "dpo"):
        assert can_see_identity(world.actor(key), child)
        assert identity_label(world.actor(key), child) == "Sok Chenda"
    # registry.view reaches a field worker's own registrations only, an M&E officer's none.
    for key in ("field_worker", "me_officer", "caseworker_b", "partner"):
        assert identity_label(world.actor(key), child) == "S. C.", key
    registered = person(village="02010101", given="Chenda", owner=world.user("field_worker"))
    assert identity_label(world.actor("field_worker"), registered) == "Sok Chenda"


def test_sensitive_records_follow_the_view_sensitive_row(world, person):
    child = person(village="02010101", sensitive=True, given="Chenda")
    mine = person(village="17070101", sensitive=True, owner=world.user("caseworker_a"), given="Bopha")
    assert not can_see_identity(world.actor("caseworker_a"), child)  # view_sensitive: own only
    assert identity_label(world.actor("caseworker_a"), child) == "S. C."
    assert identity_label(world.actor("caseworker_a"), child, language="km") == "S. C."
    assert can_see_identity(world.actor("caseworker_a"), mine)
    assert can_see_identity(world.actor("supervisor"), child)  # view_sensitive over areas
    assert can_see_identity(world.actor("dpo"), child)
    assert not can_see_identity(world.actor("field_worker"), child)
    assert not can_see_identity(world.actor("partner"), child)


def test_the_rule_is_the_policy_row_for_every_role(world, person):
    child = person(village="02010101", sensitive=True)
    for key in world.members:
        actor = world.actor(key)
        relationship = actor.relationship_to_object(child)
        held = policy.scope_of(actor.role, "registry.view_sensitive")
        expected = relationship != Relationship.OUTSIDE and held >= relationship
        assert can_see_identity(actor, child) == expected, key


def test_break_the_glass_shows_the_name_until_expiry(world, person):
    child = person(village="17070101", sensitive=True, given="Chenda")
    membership = world.members["caseworker_a"]
    start = dt.datetime(2026, 3, 2, 21, 0, tzinfo=dt.UTC)
    BreakGlassGrant.objects.create(
        organisation=membership.organisation,
        membership=membership,
        user=membership.user,
        target_type="registry.person",
        target_id=str(child.pk),
        reason="Police report a child in danger tonight; caseworker cannot be reached.",
        opened_at=start,
        expires_at=start + dt.timedelta(hours=1),
    )
    with clock.frozen(start + dt.timedelta(minutes=30)) as traveller:
        actor = world.actor("caseworker_a")
        assert identity_label(actor, child) == "Sok Chenda"
        traveller.advance(minutes=31)
        assert identity_label(actor, child) == "S. C."
