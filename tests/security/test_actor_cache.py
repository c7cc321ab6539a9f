"""The Actor kept in the session (decision 0010): every change to what it was built from
reaches the very next request of a session that already holds one.

Each test logs in, makes one request so that the session holds an Actor, changes one thing
the Actor depends on, and checks the next request of the same session.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ponleu.access import actor_cache
from ponleu.access.models import BreakGlassGrant
from ponleu.accounts import services as accounts
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.organisations.choices import Role
from ponleu.organisations.models import Membership, Team
from ponleu.testing.login import login

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
BANAN = "02010101"  # inside caseworker_a's area
SANGKAE = "02080101"  # team B's area, outside caseworker_a's
REASON = "Police report the child ran away tonight; her caseworker is on leave and unreachable."


def _page(person) -> str:
    return reverse("registry:person_detail", kwargs={"person_id": person.pk})


def _opens(client, url) -> bool:
    return client.get(url).status_code == 200


@pytest.fixture
def traveller():
    with clock.frozen(START) as moving:
        yield moving


@pytest.fixture
def caseworker(world, client, traveller):
    login(client, world.user("caseworker_a"))
    return client


def _membership(world) -> Membership:
    return Membership.objects.get(pk=world.members["caseworker_a"].pk)


def _membership_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum('"organisations_membership"' in q["sql"] for q in captured.captured_queries)


def test_the_actor_is_built_once_and_then_read_from_the_session(world, caseworker, person):
    url = _page(person(village=BANAN))
    assert _membership_queries(caseworker, url) >= 1
    # The tests below would prove nothing if the second request built the Actor again.
    assert _membership_queries(caseworker, url) == 0
    assert caseworker.session[actor_cache.SESSION_KEY]["role"] == Role.CASEWORKER


def test_a_demoted_member_loses_the_capability_on_the_next_request(world, caseworker):
    url = reverse("cases:case_list")
    assert _opens(caseworker, url)
    membership = _membership(world)
    membership.role = Role.TEACHER
    membership.save()
    assert caseworker.get(url).status_code == 403


def test_a_promoted_member_gains_it_on_the_next_request(world, client, traveller):
    login(client, world.user("teacher"))
    url = reverse("cases:case_list")
    assert client.get(url).status_code == 403
    membership = Membership.objects.get(pk=world.members["teacher"].pk)
    membership.role = Role.CASEWORKER
    membership.save()
    assert _opens(client, url)


def test_an_area_taken_away_is_gone_on_the_next_request(world, caseworker, person):
    url = _page(person(village=BANAN))
    assert _opens(caseworker, url)
    _membership(world).areas.set([])
    assert caseworker.get(url).status_code == 404


def test_a_team_taken_away_is_gone_on_the_next_request(world, caseworker, person):
    url = _page(person(village=SANGKAE, team=world.team_b))
    assert caseworker.get(url).status_code == 404
    _membership(world).teams.add(world.team_b)
    assert _opens(caseworker, url)
    _membership(world).teams.remove(world.team_b)
    assert caseworker.get(url).status_code == 404


@pytest.mark.parametrize("how", ["remove", "clear"])
def test_a_team_emptied_from_its_own_side_is_gone_too(world, caseworker, person, how):
    url = _page(person(village=SANGKAE, team=world.team_b))
    _membership(world).teams.add(world.team_b)
    assert _opens(caseworker, url)
    if how == "remove":
        world.team_b.members.remove(_membership(world))
    else:
        world.team_b.members.clear()
    assert caseworker.get(url).status_code == 404


def test_a_team_moved_to_another_organisation_is_gone(world, caseworker, person):
    team = Team.objects.create(organisation=world.org, name="Night team")
    url = _page(person(village=SANGKAE, team=team))
    _membership(world).teams.add(team)
    assert _opens(caseworker, url)
    team.organisation = world.other_org
    team.save()
    assert caseworker.get(url).status_code == 404


def test_a_deleted_team_leaves_the_actor(world, caseworker):
    team = Team.objects.create(organisation=world.org, name="Night team")
    _membership(world).teams.add(team)
    assert _opens(caseworker, reverse("cases:case_list"))
    team_id = str(team.pk)
    assert team_id in caseworker.session[actor_cache.SESSION_KEY]["teams"]
    team.delete()
    assert _opens(caseworker, reverse("cases:case_list"))
    assert team_id not in caseworker.session[actor_cache.SESSION_KEY]["teams"]


def test_a_deactivated_membership_ends_the_reach_at_once(world, caseworker):
    url = reverse("cases:case_list")
    assert _opens(caseworker, url)
    membership = _membership(world)
    membership.is_active = False
    membership.save()
    assert caseworker.get(url).status_code != 200


def test_a_deleted_membership_ends_the_reach_at_once(world, caseworker):
    url = reverse("cases:case_list")
    assert _opens(caseworker, url)
    membership = _membership(world)
    membership.teams.clear()
    membership.areas.clear()
    Membership.objects.filter(pk=membership.pk).delete()
    assert caseworker.get(url).status_code != 200


def test_a_deactivated_organisation_ends_the_reach_at_once(world, caseworker):
    url = reverse("cases:case_list")
    assert _opens(caseworker, url)
    world.org.is_active = False
    world.org.save()
    assert caseworker.get(url).status_code != 200


def test_a_deactivated_user_is_out_at_once(world, caseworker):
    url = reverse("cases:case_list")
    assert _opens(caseworker, url)
    accounts.user_deactivate(actor=world.actor("org_admin"), user=world.user("caseworker_a"))
    assert caseworker.get(url).status_code != 200


def test_logout_leaves_no_actor_in_the_session(world, caseworker):
    assert _opens(caseworker, reverse("cases:case_list"))
    assert actor_cache.SESSION_KEY in caseworker.session
    caseworker.post(reverse("accounts:logout"))
    assert actor_cache.SESSION_KEY not in caseworker.session
    assert caseworker.get(reverse("cases:case_list")).status_code != 200


def test_an_opened_grant_counts_on_the_next_request_and_not_after_expiry(
    world, caseworker, person, traveller
):
    child = person(village=SANGKAE)
    url = _page(child)
    assert caseworker.get(url).status_code == 404
    audit.break_glass_open(actor=world.actor("caseworker_a"), target=child, reason=REASON)
    assert _opens(caseworker, url)
    for _ in range(4):  # within the session's idle limit
        traveller.advance(minutes=14)
        assert _opens(caseworker, url)
    traveller.advance(minutes=3, seconds=59)
    assert _opens(caseworker, url)
    # The clock alone ends it: nothing was written between these two requests.
    traveller.advance(seconds=1)
    assert caseworker.get(url).status_code == 404


def test_a_grant_withdrawn_early_is_gone_on_the_next_request(world, caseworker, person):
    child = person(village=SANGKAE)
    url = _page(child)
    grant = audit.break_glass_open(actor=world.actor("caseworker_a"), target=child, reason=REASON)
    assert _opens(caseworker, url)
    BreakGlassGrant.objects.filter(pk=grant.pk).delete()
    assert caseworker.get(url).status_code == 404


def test_a_change_that_bypassed_the_bump_lasts_no_longer_than_the_age_bound(world, caseworker, traveller):
    url = reverse("cases:case_list")
    assert _opens(caseworker, url)
    # QuerySet.update sends no signal: the one kind of write the bump cannot see.
    Membership.objects.filter(pk=world.members["caseworker_a"].pk).update(role=Role.TEACHER)
    traveller.advance(seconds=actor_cache.MAX_AGE.total_seconds() - 1)
    assert _opens(caseworker, url)
    traveller.advance(seconds=1)
    assert caseworker.get(url).status_code == 403


def test_an_actor_kept_for_another_membership_is_not_used(world, caseworker):
    from ponleu.access.middleware import SESSION_MEMBERSHIP_KEY

    second = Membership.objects.create(
        user=world.user("caseworker_a"),
        organisation=world.other_org,
        role=Role.TEACHER,
        created_at=_membership(world).created_at + dt.timedelta(days=1),  # not the default one
    )
    assert _opens(caseworker, reverse("cases:case_list"))
    session = caseworker.session
    session[SESSION_MEMBERSHIP_KEY] = str(second.pk)
    session.save()
    assert caseworker.get(reverse("cases:case_list")).status_code == 403
    assert caseworker.session[actor_cache.SESSION_KEY]["membership"] == str(second.pk)


def test_a_clock_set_back_before_the_entry_was_built_builds_again(world, caseworker, traveller):
    url = reverse("cases:case_list")
    assert _opens(caseworker, url)
    built = caseworker.session[actor_cache.SESSION_KEY]["built"]
    traveller.advance(seconds=-30)
    assert _opens(caseworker, url)
    assert caseworker.session[actor_cache.SESSION_KEY]["built"] != built
