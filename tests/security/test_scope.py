"""Scope: the query filter and the one-object rule agree, and the known holes stay closed."""

import datetime as dt

import pytest

from ponleu.access.actors import ANONYMOUS, actor_for_membership, system_actor
from ponleu.access.middleware import actor_for_request
from ponleu.access.models import BreakGlassGrant
from ponleu.access.scopes import Relationship, Scope
from ponleu.common import clock
from ponleu.organisations.models import Team
from ponleu.registry.models import Household, Person

pytestmark = pytest.mark.django_db

VILLAGES = ["02010101", "02010102", "02080101", "17070101"]


def _spread(world, person):
    """People in every village, owned by every member or nobody, in every team or none."""
    owners = [None, world.user("caseworker_a"), world.user("field_worker"), world.user("partner")]
    teams = [None, world.team_a, world.team_b]
    made = []
    for village in VILLAGES:
        for owner in owners:
            for team in teams:
                for org in (world.org, world.other_org):
                    if team is not None and org != world.org:
                        continue
                    made.append(person(org=org, village=village, owner=owner, team=team))
    return made


def test_visible_to_selects_exactly_what_relationship_and_policy_allow(world, person):
    people = _spread(world, person)
    checked = 0
    for key in world.members:
        actor = world.actor(key)
        for capability in ("registry.view", "registry.edit", "cases.view", "audit.view"):
            selected = set(Person.objects.actionable_by(actor, capability).values_list("pk", flat=True))
            for p in people:
                expected = actor.allows(capability, actor.relationship_to_object(p))
                assert (p.pk in selected) == expected, (key, capability, p.village_id, p.owner_id, p.team_id)
                checked += 1
    assert checked > 2000


def test_relationships_are_the_narrowest_true_one(world, person):
    actor = world.actor("caseworker_a")
    own = person(owner=world.user("caseworker_a"), team=world.team_a, village="02010101")
    team = person(team=world.team_a, village="17070101")
    area = person(village="02010102")
    org = person(village="17070101")
    foreign = person(org=world.other_org, owner=world.user("caseworker_a"), village="02010101")
    assert [actor.relationship_to_object(p) for p in (own, team, area, org, foreign)] == [
        Relationship.OWN,
        Relationship.TEAM,
        Relationship.AREA,
        Relationship.ORG,
        Relationship.OUTSIDE,
    ]


def test_a_member_without_areas_or_teams_reaches_only_their_own(world, person):
    membership = world.members["teacher"]
    membership.areas.clear()
    actor = actor_for_membership(membership, is_verified=True)
    mine = person(owner=world.user("teacher"), village="17070101")
    person(village="02010101")
    assert list(Person.objects.visible_to(actor)) == [mine]


def test_inactive_membership_user_or_organisation_gives_anonymous(world):
    membership = world.members["supervisor"]
    membership.is_active = False
    assert actor_for_membership(membership, is_verified=True) == ANONYMOUS
    membership.is_active = True
    membership.user.is_active = False
    assert actor_for_membership(membership, is_verified=True) == ANONYMOUS
    membership.user.is_active = True
    membership.organisation.is_active = False
    assert actor_for_membership(membership, is_verified=True) == ANONYMOUS
    assert Person.objects.visible_to(ANONYMOUS).query.is_empty()


def test_without_the_second_factor_no_person_capability_remains(world, person):
    person(village="02010101")
    actor = actor_for_membership(world.members["dpo"], is_verified=False)
    assert actor.can("web.use")
    assert not actor.can("registry.view")
    assert not actor.can("audit.view")
    assert actor.scope_for("registry.view") == Scope.NONE
    assert not Person.objects.visible_to(actor).exists()


def test_system_actor_without_organisation_sees_nothing(world, person):
    person()
    assert not Person.objects.visible_to(system_actor()).exists()
    assert Person.objects.visible_to(system_actor(world.org.pk)).count() == 1


def test_a_team_of_another_organisation_on_a_membership_is_ignored(world, person):
    foreign_team = Team.objects.create(organisation=world.other_org, name="Puok team")
    membership = world.members["caseworker_a"]
    membership.teams.add(foreign_team)
    actor = actor_for_membership(membership, is_verified=True)
    assert foreign_team.pk not in actor.team_ids
    theirs = person(org=world.other_org, team=foreign_team, village="17070101")
    assert not Person.objects.visible_to(actor).filter(pk=theirs.pk).exists()


def test_middleware_builds_the_actor_of_the_active_membership(world, rf):
    request = rf.get("/")
    request.user = world.user("caseworker_a")
    request.user.is_verified = lambda: True
    request.session = {}
    assert actor_for_request(request).role == "caseworker"
    membership = world.members["caseworker_a"]
    membership.is_active = False
    membership.save()
    assert actor_for_request(request) == ANONYMOUS


# --- break-the-glass grants in scope -----------------------------------------------------


def _grant(world, key, target, *, opened, minutes=60):
    membership = world.members[key]
    return BreakGlassGrant.objects.create(
        organisation=membership.organisation,
        membership=membership,
        user=membership.user,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        reason="A child was reported missing tonight and the caseworker is unreachable.",
        opened_at=opened,
        expires_at=opened + dt.timedelta(minutes=minutes),
    )


def test_an_open_grant_adds_exactly_its_record_for_view_capabilities_only(world, person):
    far = person(village="17070101")
    also_far = person(village="17070101")
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    _grant(world, "caseworker_a", far, opened=start)
    with clock.frozen(start + dt.timedelta(minutes=5)):
        actor = world.actor("caseworker_a")
        visible = set(Person.objects.visible_to(actor).values_list("pk", flat=True))
        assert far.pk in visible
        assert also_far.pk not in visible
        assert not Person.objects.actionable_by(actor, "registry.edit").filter(pk=far.pk).exists()
        assert not Household.objects.visible_to(actor).exists()
        assert actor.allows_object("registry.view", far)
        assert not actor.allows_object("registry.edit", far)


def test_a_grant_ends_at_expiry_even_for_an_actor_built_before(world, person):
    far = person(village="17070101")
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    _grant(world, "caseworker_a", far, opened=start)
    with clock.frozen(start + dt.timedelta(minutes=59)) as traveller:
        actor = world.actor("caseworker_a")
        assert Person.objects.visible_to(actor).filter(pk=far.pk).exists()
        traveller.advance(minutes=1)
        assert not Person.objects.visible_to(actor).filter(pk=far.pk).exists()
        assert not Person.objects.visible_to(world.actor("caseworker_a")).filter(pk=far.pk).exists()


def test_a_grant_never_crosses_organisations_nor_outlives_the_capability(world, person):
    foreign = person(org=world.other_org, village="17070101")
    start = clock.now() - dt.timedelta(minutes=1)
    _grant(world, "caseworker_a", foreign, opened=start)
    assert not Person.objects.visible_to(world.actor("caseworker_a")).filter(pk=foreign.pk).exists()
    # A teacher has no access.break_glass: a grant row (however it came to be) does nothing.
    far = person(village="17070101")
    _grant(world, "teacher", far, opened=start)
    assert not Person.objects.visible_to(world.actor("teacher")).filter(pk=far.pk).exists()
