"""A plan stands where its household stands: scope isolation across organisations, districts
and roles, through the one choke point."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ponleu.access.scoping import resolve
from ponleu.common import clock
from ponleu.family_support.models import SupportNeed, SupportPlan, SupportVisit
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


def test_plans_declare_their_scope_through_the_household():
    for model in (SupportPlan, SupportNeed, SupportVisit):
        spec = resolve(model)
        assert spec.view == "family_support.view"
        assert spec.organisation.endswith("household__organisation")


@pytest.fixture
def plans(world):
    """A plan in each organisation, and one in the other district of the first."""
    with clock.frozen(NOW):
        own, _ = factories.household_with_child(world.actor("caseworker_a"))
        other_district, _ = factories.household_with_child(
            world.actor("caseworker_b"), village=factories.people.KBAL_THNAL
        )
        other_org, _ = factories.household_with_child(
            world.actor("partner"), village=factories.people.TRAPEANG_THUM
        )
        return {
            "own": factories.plan(world.actor("caseworker_a"), own),
            "other_district": factories.plan(world.actor("caseworker_b"), other_district),
            "other_org": factories.plan(world.actor("partner"), other_org),
        }


@pytest.mark.parametrize(
    ("member", "sees"),
    [
        ("caseworker_a", {"own"}),
        ("caseworker_b", {"other_district"}),
        ("supervisor", {"own", "other_district"}),
        ("dpo", {"own", "other_district"}),
        ("partner", {"other_org"}),
        ("teacher", set()),
        ("org_admin", set()),
        ("me_officer", set()),
    ],
)
def test_each_member_sees_the_plans_in_their_reach_only(world, plans, member, sees):
    visible = set(SupportPlan.objects.visible_to(world.actor(member)).values_list("pk", flat=True))
    assert visible == {plans[key].pk for key in sees}
    needs = set(SupportNeed.objects.visible_to(world.actor(member)).values_list("plan_id", flat=True))
    assert needs == {plans[key].pk for key in sees}


def test_pages_of_another_organisations_plan_look_missing(world, plans):
    client = Client()
    login(client, world.user("partner_supervisor"))
    plan = plans["own"]
    urls = [
        reverse("family_support:plan_detail", kwargs={"plan_id": plan.pk}),
        reverse("family_support:need_edit", kwargs={"plan_id": plan.pk, "need_domain": "health"}),
        reverse("family_support:visit_new", kwargs={"plan_id": plan.pk}),
        reverse("family_support:household_plans", kwargs={"household_id": plan.household_id}),
        reverse("family_support:plan_start", kwargs={"household_id": plan.household_id}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    graduate = reverse("family_support:plan_graduate", kwargs={"plan_id": plan.pk})
    assert client.post(graduate, {"version": plan.version}).status_code == 404
    listed = client.get(reverse("family_support:plan_list")).content.decode()
    assert str(plan.pk) not in listed
    assert str(plans["other_org"].pk) in listed  # her own organisation's, in her areas
    plan.refresh_from_db()
    assert plan.version == 1


def test_a_dpo_reads_but_does_not_change_plans(world, plans):
    client = Client()
    login(client, world.user("dpo"))
    plan = plans["own"]
    assert client.get(reverse("family_support:plan_detail", kwargs={"plan_id": plan.pk})).status_code == 200
    visit = reverse("family_support:visit_new", kwargs={"plan_id": plan.pk})
    assert client.get(visit).status_code == 403
