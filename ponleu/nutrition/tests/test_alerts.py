"""What a finding starts: severe acute malnutrition raises an alert to the child's worker with
the nearest treating service proposed and is referred the same day through the referrals
service; moderate malnutrition starts a two-weekly follow-up that ends when the child recovers
or becomes severe."""

import datetime as dt

import pytest

from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.notifications.models import Notification
from ponleu.nutrition import selectors
from ponleu.nutrition.choices import AlertStatus, FollowUpStatus
from ponleu.nutrition.models import FollowUp, SamAlert
from ponleu.nutrition.services import referral
from ponleu.referrals.models import Referral

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def test_sam_alerts_the_childs_worker_without_naming_the_child(world):
    person = factories.child(world)
    factories.health_centre(world)
    measurement = factories.measure(world, person, actor_key="supervisor", muac_mm="112")
    alert = SamAlert.objects.get(measurement=measurement)
    assert alert.status == AlertStatus.OPEN
    assert alert.raised_on == factories.TODAY
    told = Notification.objects.filter(recipient=world.user("caseworker_a"))
    assert told.count() == 1
    assert person.given_name_km not in told.get().message
    assert str(person.pk) in told.get().link
    assert Notification.objects.filter(recipient=world.user("supervisor")).count() == 1  # who measured


def test_a_second_severe_weighing_while_waiting_raises_no_second_alert(world):
    person = factories.child(world)
    factories.measure(world, person, measured_on="2026-11-20", muac_mm="110")
    factories.measure(world, person, muac_mm="108")
    assert SamAlert.objects.filter(person=person).count() == 1


def test_the_nearest_service_that_treats_it_is_proposed_commune_first(world):
    person = factories.child(world)
    factories.health_centre(
        world, name_km="មន្ទីរពេទ្យខេត្ត", areas=("02",), services_=(("hospital_care", "free"),)
    )
    factories.health_centre(world, name_km="មណ្ឌលសុខភាពស្រុក", areas=("0201",))
    commune = factories.health_centre(world, name_km="មណ្ឌលសុខភាពឃុំ", areas=("020101",))
    factories.health_centre(
        world, name_km="សាលារៀន", areas=("020101",), services_=(("school_enrolment", "free"),)
    )
    # Outside the organisation administrator's areas: entered by the installation's administrator.
    factories.health_centre(world, name_km="ឆ្ងាយ", areas=("1707",), admin="system_admin")
    found = referral.providers_near(actor=world.actor("caseworker_a"), person=person)
    assert [(p.provider.name_km, p.near) for p in found] == [
        ("មណ្ឌលសុខភាពឃុំ", "commune"),
        ("មណ្ឌលសុខភាពស្រុក", "district"),
        ("មន្ទីរពេទ្យខេត្ត", "province"),
    ]
    measurement = factories.measure(world, person, muac_mm="112")
    assert SamAlert.objects.get(measurement=measurement).proposed_provider == commune


def test_a_nutrition_service_comes_before_a_health_centre_at_the_same_distance(world):
    person = factories.child(world)
    factories.health_centre(world, name_km="ក", areas=("020101",))
    feeding = factories.health_centre(
        world, name_km="ខ", areas=("020101",), services_=(("nutrition", "free"),)
    )
    nearest = referral.nearest_provider(actor=world.actor("caseworker_a"), person=person)
    assert nearest.provider == feeding
    assert nearest.service == "nutrition"


def test_a_provider_located_in_the_village_counts_as_the_commune(world):
    person = factories.child(world)
    factories.health_centre(world, name_km="ស្រុក", areas=("0201",))
    here = factories.health_centre(world, name_km="ភូមិ", areas=("0201",), location=factories.THMEI)
    assert referral.nearest_provider(actor=world.actor("caseworker_a"), person=person).provider == here


def test_one_does_not_refer_to_ones_own_organisation(world):
    person = factories.child(world)
    factories.health_centre(world, areas=("020101",), organisation=world.org.pk)
    assert referral.nearest_provider(actor=world.actor("caseworker_a"), person=person) is None


def test_a_sam_child_is_referred_the_same_day_through_the_referrals_service(world):
    person = factories.child(world)
    centre = factories.health_centre(world)
    alert = SamAlert.objects.get(measurement=factories.measure(world, person, muac_mm="112"))
    referred = referral.sam_refer(
        actor=world.actor("caseworker_a"), alert=alert, version=alert.version, provider_id=centre.pk
    )
    assert referred.status == AlertStatus.REFERRED
    assert referred.referred_on == factories.TODAY
    made = Referral.objects.get(pk=referred.referral_id)
    assert (made.person_id, made.provider_id, made.service, made.urgency) == (
        person.pk,
        centre.pk,
        "primary_health",
        "emergency",
    )
    assert "2026-11-21" in made.reason
    lists = selectors.worker_lists(actor=world.actor("caseworker_a"))
    assert [row[0].pk for row in lists["referred"]] == [alert.pk]
    assert lists["to_refer"] == []


def test_a_referral_to_a_provider_not_proposed_is_refused_and_a_stale_one_conflicts(world):
    person = factories.child(world)
    centre = factories.health_centre(world)
    school = factories.health_centre(world, name_km="សាលា", services_=(("school_enrolment", "free"),))
    alert = SamAlert.objects.get(measurement=factories.measure(world, person, muac_mm="112"))
    actor = world.actor("caseworker_a")
    for wrong in (school.pk, "not-an-id", ""):
        with pytest.raises(ValidationFailed) as refused:
            referral.sam_refer(actor=actor, alert=alert, version=alert.version, provider_id=wrong)
        assert "provider" in refused.value.errors
    referral.sam_refer(actor=actor, alert=alert, version=alert.version, provider_id=centre.pk)
    with pytest.raises(Conflict):
        referral.sam_refer(actor=actor, alert=alert, version=alert.version, provider_id=centre.pk)
    assert Referral.objects.count() == 1


def test_only_those_who_may_refer_the_child_refer(world):
    person = factories.child(world, owner="field_worker")
    centre = factories.health_centre(world)
    alert = SamAlert.objects.get(
        measurement=factories.measure(world, person, actor_key="field_worker", muac_mm="112")
    )
    with pytest.raises(PermissionDenied):  # a field worker records growth, sends no referral
        referral.sam_refer(
            actor=world.actor("field_worker"), alert=alert, version=alert.version, provider_id=centre.pk
        )
    with pytest.raises(PermissionDenied):  # another team's area
        referral.sam_refer(
            actor=world.actor("caseworker_b"), alert=alert, version=alert.version, provider_id=centre.pk
        )
    assert not Referral.objects.exists()
    referral.sam_refer(
        actor=world.actor("supervisor"), alert=alert, version=alert.version, provider_id=centre.pk
    )


def test_mam_starts_a_two_weekly_follow_up_that_recovery_ends(world):
    person = factories.child(world)
    factories.measure(world, person, measured_on="2026-11-01", muac_mm="120")
    follow_up = FollowUp.objects.get(person=person)
    assert follow_up.status == FollowUpStatus.OPEN
    assert follow_up.next_due_on == dt.date(2026, 11, 15)
    due = selectors.due_follow_ups(actor=world.actor("caseworker_a"))
    assert list(due) == [follow_up]
    factories.measure(world, person, measured_on="2026-11-15", muac_mm="122")
    follow_up.refresh_from_db()
    assert follow_up.next_due_on == dt.date(2026, 11, 29)
    assert follow_up.status == FollowUpStatus.OPEN
    factories.measure(world, person, muac_mm="131")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.RECOVERED
    assert follow_up.next_due_on is None
    assert not selectors.due_follow_ups(actor=world.actor("caseworker_a")).exists()


def test_a_child_in_follow_up_who_becomes_severe_moves_to_the_alert(world):
    person = factories.child(world)
    factories.measure(world, person, measured_on="2026-11-07", muac_mm="120")
    factories.measure(world, person, muac_mm="113")
    assert FollowUp.objects.get(person=person).status == FollowUpStatus.ESCALATED
    assert SamAlert.objects.filter(person=person, status=AlertStatus.OPEN).count() == 1


def test_measurements_and_alerts_are_seen_only_in_reach(world):
    person = factories.child(world)
    factories.measure(world, person, muac_mm="112")
    assert SamAlert.objects.visible_to(world.actor("caseworker_a")).count() == 1
    assert SamAlert.objects.visible_to(world.actor("supervisor")).count() == 1
    assert SamAlert.objects.visible_to(world.actor("caseworker_b")).count() == 0
    assert SamAlert.objects.visible_to(world.actor("partner")).count() == 0
    assert SamAlert.objects.visible_to(world.actor("teacher")).count() == 0


def test_a_severe_weight_for_length_who_flags_as_implausible_asks_to_measure_again_before_an_alert(world):
    person = factories.child(world)
    factories.health_centre(world)
    slip = factories.measure(world, person, weight_kg="1.2")  # 12 kg typed without its 1
    assert "wflh" in slip.implausible
    assert "sam" in slip.findings  # the assessment says what the numbers say ...
    assert slip.sam is False  # ... but nobody is alerted on a value WHO rejects
    assert not SamAlert.objects.exists()
    wasted = factories.measure(
        world, person, measured_on=(factories.TODAY - dt.timedelta(days=1)).isoformat(), weight_kg="7.0"
    )
    assert "wflh" not in wasted.implausible
    assert wasted.sam is True
    assert SamAlert.objects.filter(measurement=wasted).count() == 1


def test_an_implausible_weight_does_not_hide_a_severe_muac(world):
    person = factories.child(world)
    factories.health_centre(world)
    measurement = factories.measure(world, person, weight_kg="1.2", muac_mm="112")
    assert measurement.sam is True
    assert SamAlert.objects.filter(measurement=measurement).count() == 1
