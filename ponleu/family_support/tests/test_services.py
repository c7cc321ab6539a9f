"""Family support services: the assessment, needs linked to the directory and referred through
the referrals' own service, visits, and graduation only once every need is met."""

import datetime as dt

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.common.versions import VersionMissing
from ponleu.family_support import services
from ponleu.family_support.choices import NeedLevel, PlanStatus
from ponleu.family_support.models import SupportNeed, SupportPlan, SupportVisit
from ponleu.referrals.choices import ReferralOrigin, ReferralStatus
from ponleu.referrals.models import Referral

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def setup(world):
    actor = world.actor("caseworker_a")
    with clock.frozen(NOW):
        household, child = factories.household_with_child(actor)
        plan = factories.plan(actor, household)
    return actor, household, child, plan


def need(plan, domain):
    return SupportNeed.objects.get(plan=plan, domain=domain)


def test_the_assessment_starts_a_plan_with_a_need_in_each_area(setup):
    actor, household, _child, plan = setup
    assert plan.status == PlanStatus.OPEN
    levels = dict(SupportNeed.objects.filter(plan=plan).values_list("domain", "level"))
    assert levels == {
        "health": "serious",
        "documents": "none",
        "schooling": "some",
        "income": "none",
        "housing": "none",
        "safety": "none",
    }
    event = AuditEvent.objects.get(action="family_support.plan.started")
    assert event.target_id == str(plan.pk)
    assert event.changes["need.health"] == [None, "serious"]


def test_an_assessment_missing_an_area_saves_nothing(world):
    actor = world.actor("caseworker_a")
    with clock.frozen(NOW):
        household, _ = factories.household_with_child(actor)
        needs = factories.levels(health="serious")
        del needs["safety"]
        with pytest.raises(ValidationFailed) as refused:
            services.plan_start(
                actor=actor, household=household, assessed_on=dt.date(2026, 11, 2), needs=needs
            )
    assert refused.value.errors == {"safety": ["Choose the level of need."]}
    assert not SupportPlan.objects.exists()


def test_one_plan_in_progress_per_household(setup):
    actor, household, _child, _plan = setup
    with clock.frozen(NOW), pytest.raises(ValidationFailed) as refused:
        factories.plan(actor, household)
    assert "already has a plan in progress" in refused.value.errors["household"][0]


def test_an_assessment_in_the_future_is_refused(world):
    actor = world.actor("caseworker_a")
    with clock.frozen(NOW):
        household, _ = factories.household_with_child(actor)
        with pytest.raises(ValidationFailed) as refused:
            factories.plan(actor, household, assessed_on=dt.date(2026, 12, 1))
    assert refused.value.field == "assessed_on"


def test_a_worker_out_of_reach_cannot_start_or_change_a_plan(world, setup):
    _actor, household, _child, plan = setup
    other_district = world.actor("caseworker_b")
    with clock.frozen(NOW):
        with pytest.raises(PermissionDenied):
            factories.plan(other_district, household)
        with pytest.raises(PermissionDenied):
            services.need_update(
                actor=other_district, plan=plan, domain="health", version=plan.version, data={"met": True}
            )
    assert SupportPlan.objects.count() == 1


def test_a_need_links_a_directory_service_serving_the_household(world, setup):
    actor, _household, _child, plan = setup
    provider = factories.health_centre(world)
    with clock.frozen(NOW):
        services.need_update(
            actor=actor,
            plan=plan,
            domain="health",
            version=plan.version,
            data={"service": "primary_health", "provider": provider.pk},
        )
    health = need(plan, "health")
    assert (health.service, health.provider_id) == ("primary_health", provider.pk)
    plan.refresh_from_db()
    assert plan.version == 2
    event = AuditEvent.objects.filter(action="family_support.need.changed").get()
    assert event.changes["health.provider"] == [None, str(provider.pk)]


def test_a_provider_not_offering_the_service_is_refused(world, setup):
    actor, _household, _child, plan = setup
    provider = factories.health_centre(world)
    with clock.frozen(NOW), pytest.raises(ValidationFailed) as refused:
        services.need_update(
            actor=actor,
            plan=plan,
            domain="health",
            version=plan.version,
            data={"service": "legal_aid", "provider": provider.pk},
        )
    assert refused.value.field == "provider"
    assert need(plan, "health").provider_id is None


def test_a_stale_version_is_a_conflict_and_a_missing_one_is_refused(setup):
    actor, _household, _child, plan = setup
    with clock.frozen(NOW):
        services.need_update(actor=actor, plan=plan, domain="health", version=1, data={"note": "clinic"})
        with pytest.raises(Conflict):
            services.need_update(actor=actor, plan=plan, domain="health", version=1, data={"note": "again"})
        with pytest.raises(VersionMissing):
            services.need_update(actor=actor, plan=plan, domain="health", version=None, data={"note": "x"})
    assert need(plan, "health").note == "clinic"


def test_referring_a_need_drafts_a_household_referral_through_the_referrals_service(world, setup):
    actor, household, child, plan = setup
    provider = factories.health_centre(world)
    with clock.frozen(NOW):
        services.need_update(
            actor=actor,
            plan=plan,
            domain="health",
            version=1,
            data={"service": "primary_health", "provider": provider.pk},
        )
        referral = services.need_refer(
            actor=actor, plan=plan, domain="health", version=2, person=child, reason="Fever for a week"
        )
    assert referral.status == ReferralStatus.DRAFT
    assert referral.origin == ReferralOrigin.HOUSEHOLD
    assert referral.household_id == household.pk
    assert (referral.provider_id, referral.service) == (provider.pk, "primary_health")
    assert need(plan, "health").referral_id == referral.pk
    assert AuditEvent.objects.filter(action="referral.created", target_id=str(referral.pk)).exists()
    with clock.frozen(NOW), pytest.raises(ValidationFailed) as again:
        services.need_refer(actor=actor, plan=plan, domain="health", version=3, person=child, reason="Again")
    assert referral.reference in again.value.errors["domain"][0]
    assert Referral.objects.count() == 1


def test_only_a_member_of_the_household_is_referred(world, setup):
    from ponleu.registry.tests import factories as people

    actor, _household, _child, plan = setup
    provider = factories.health_centre(world)
    with clock.frozen(NOW):
        stranger = people.person(actor, given_name_latin="Other")
        services.need_update(
            actor=actor,
            plan=plan,
            domain="health",
            version=1,
            data={"service": "primary_health", "provider": provider.pk},
        )
        with pytest.raises(ValidationFailed) as refused:
            services.need_refer(
                actor=actor, plan=plan, domain="health", version=2, person=stranger, reason="x"
            )
    assert refused.value.field == "person"
    assert not Referral.objects.exists()
    assert need(plan, "health").referral_id is None


def test_a_need_without_a_service_is_not_referred(setup):
    actor, _household, child, plan = setup
    with clock.frozen(NOW), pytest.raises(ValidationFailed) as refused:
        services.need_refer(actor=actor, plan=plan, domain="health", version=1, person=child, reason="x")
    assert refused.value.field == "provider"


def test_a_visit_marks_needs_met_and_plans_the_next(setup):
    actor, _household, _child, plan = setup
    with clock.frozen(NOW):
        visit = services.visit_record(
            actor=actor,
            plan=plan,
            version=1,
            visited_on=dt.date(2026, 11, 20),
            note="The child goes to school again.",
            met=["schooling"],
            next_visit_on=dt.date(2026, 12, 4),
        )
    assert visit.needs_met == ["schooling"]
    assert need(plan, "schooling").met_on == dt.date(2026, 11, 20)
    assert need(plan, "health").met_on is None
    plan.refresh_from_db()
    assert plan.next_visit_on == dt.date(2026, 12, 4)
    assert AuditEvent.objects.filter(action="family_support.visit.recorded").count() == 1


def test_a_visit_cannot_meet_an_area_without_a_need(setup):
    actor, _household, _child, plan = setup
    with clock.frozen(NOW), pytest.raises(ValidationFailed) as refused:
        services.visit_record(
            actor=actor, plan=plan, version=1, visited_on=dt.date(2026, 11, 20), met=["housing"]
        )
    assert refused.value.field == "met"
    assert not SupportVisit.objects.exists()


def test_graduation_is_refused_while_a_need_is_open_naming_it(setup):
    actor, _household, _child, plan = setup
    with clock.frozen(NOW):
        services.visit_record(
            actor=actor, plan=plan, version=1, visited_on=dt.date(2026, 11, 20), met=["schooling"]
        )
        with pytest.raises(ValidationFailed) as refused:
            services.plan_graduate(actor=actor, plan=plan, version=2)
    assert "cannot graduate while a need is still open" in str(refused.value.message)
    assert refused.value.errors["needs"] == ["Health is not met yet (Serious need)."]
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (PlanStatus.OPEN, 2)
    assert not AuditEvent.objects.filter(action="family_support.plan.graduated").exists()


def test_graduation_once_every_need_is_met_closes_the_plan(setup):
    actor, household, _child, plan = setup
    with clock.frozen(NOW):
        services.visit_record(
            actor=actor, plan=plan, version=1, visited_on=dt.date(2026, 11, 20), met=["schooling", "health"]
        )
        services.plan_graduate(actor=actor, plan=plan, version=2, note="Both needs met.")
        plan.refresh_from_db()
        assert plan.status == PlanStatus.GRADUATED
        assert plan.graduated_on == dt.date(2026, 11, 21)
        with pytest.raises(ValidationFailed):
            services.need_update(actor=actor, plan=plan, domain="health", version=3, data={"met": False})
        # A new round of support may start once the last one graduated.
        again = factories.plan(actor, household)
    assert again.status == PlanStatus.OPEN


def test_lowering_a_need_to_none_lets_the_household_graduate(setup):
    actor, _household, _child, plan = setup
    with clock.frozen(NOW):
        services.need_update(
            actor=actor, plan=plan, domain="health", version=1, data={"level": NeedLevel.NONE}
        )
        services.need_update(actor=actor, plan=plan, domain="schooling", version=2, data={"met": True})
        services.plan_graduate(actor=actor, plan=plan, version=3)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.GRADUATED
