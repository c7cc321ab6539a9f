"""Pregnancy services: dates from either the last period or the due date, antenatal visits
numbered by date, danger signs alerting her worker and referred through the referrals'
service, the birth, the newborn registered in the mother's household, postnatal windows,
family planning refused without her consent, and version checks."""

import datetime as dt

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.maternal import services
from ponleu.maternal.choices import PregnancyStatus
from ponleu.maternal.models import AntenatalVisit, FamilyPlanning, PostnatalVisit, Pregnancy
from ponleu.notifications.models import Notification
from ponleu.referrals.models import Referral
from ponleu.registry import services as registry_services
from ponleu.registry.models import HouseholdMember, Person

from . import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2027, 3, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def setup(world):
    actor = world.actor("caseworker_a")
    with clock.frozen(NOW):
        woman = factories.woman(actor)
        pregnancy = factories.pregnancy(actor, woman)
    return actor, woman, pregnancy


def test_a_pregnancy_from_the_last_period_gets_its_due_date_and_is_sensitive(setup):
    _actor, woman, pregnancy = setup
    assert pregnancy.due_on == dt.date(2027, 2, 8)
    assert pregnancy.is_sensitive
    assert pregnancy.status == PregnancyStatus.ONGOING
    assert pregnancy.weeks_on(NOW.date()) == 28
    assert pregnancy.next_anc_due_on == dt.date(2026, 8, 24)  # 16 weeks: ANC1 already overdue
    assert pregnancy.anc_overdue_on(NOW.date())
    event = AuditEvent.objects.get(action="maternal.pregnancy.registered")
    assert event.changes["due_on"] == [None, "2027-02-08"]


def test_a_pregnancy_from_the_due_date_gets_its_last_period(world):
    actor = world.actor("caseworker_a")
    with clock.frozen(NOW):
        pregnancy = services.pregnancy_register(
            actor=actor, person=factories.woman(actor), due_on=dt.date(2027, 5, 1)
        )
    assert pregnancy.last_period_on == dt.date(2026, 7, 25)
    assert pregnancy.weeks_on(NOW.date()) == 17


def test_dates_that_disagree_or_are_missing_save_nothing(world):
    actor = world.actor("caseworker_a")
    with clock.frozen(NOW):
        woman = factories.woman(actor)
        with pytest.raises(ValidationFailed) as refused:
            services.pregnancy_register(
                actor=actor, person=woman, last_period_on=dt.date(2026, 5, 4), due_on=dt.date(2027, 2, 9)
            )
        assert "280 days" in str(refused.value.errors["due_on"][0])
        with pytest.raises(ValidationFailed) as refused:
            services.pregnancy_register(actor=actor, person=woman)
        assert "last_period_on" in refused.value.errors
        with pytest.raises(ValidationFailed) as refused:
            services.pregnancy_register(actor=actor, person=woman, last_period_on=dt.date(2026, 12, 1))
        assert "future" in str(refused.value.errors["last_period_on"][0])
        with pytest.raises(ValidationFailed):
            services.pregnancy_register(actor=actor, person=woman, last_period_on=dt.date(2025, 12, 1))
    assert not Pregnancy.objects.exists()


def test_one_ongoing_pregnancy_per_woman_and_no_man(setup, world):
    actor, woman, _pregnancy = setup
    with clock.frozen(NOW):
        with pytest.raises(ValidationFailed) as refused:
            factories.pregnancy(actor, woman)
        assert "already has an ongoing pregnancy" in str(refused.value.errors["person"][0])
        man = factories.woman(actor, sex="M", given_name_latin="Dara")
        with pytest.raises(ValidationFailed):
            factories.pregnancy(actor, man)
    assert Pregnancy.objects.count() == 1


def test_antenatal_visits_are_numbered_in_date_order_with_their_week(setup):
    actor, _woman, pregnancy = setup
    with clock.frozen(NOW):
        second = factories.anc(actor, pregnancy, dt.date(2026, 9, 14))
        assert (second.number, second.weeks) == (1, 19)
        third = factories.anc(actor, pregnancy, dt.date(2026, 11, 16))
        first = factories.anc(actor, pregnancy, dt.date(2026, 7, 20))  # recorded late, happened first
        fourth = factories.anc(actor, pregnancy, dt.date(2026, 11, 20))
        fifth = factories.anc(actor, pregnancy, dt.date(2026, 11, 21))
    numbers = dict(AntenatalVisit.objects.values_list("pk", "number"))
    assert [numbers[v.pk] for v in (first, second, third, fourth, fifth)] == [1, 2, 3, 4, 5]
    assert AntenatalVisit.objects.get(pk=fifth.pk).label == "ANC4+"
    assert AntenatalVisit.objects.get(pk=first.pk).weeks == 11
    pregnancy.refresh_from_db()
    assert pregnancy.anc_count == 5
    assert pregnancy.next_anc_due_on is None
    assert pregnancy.version == 6


def test_a_danger_sign_alerts_her_worker_and_is_referred_to_a_health_facility(setup, world):
    actor, woman, pregnancy = setup
    centre = factories.health_centre(world)
    with clock.frozen(NOW):
        quiet = factories.anc(actor, pregnancy, dt.date(2026, 11, 2))
        assert not Notification.objects.exists()
        visit = factories.anc(
            actor, pregnancy, dt.date(2026, 11, 21), danger_signs=["severe_headache", "blurred_vision"]
        )
        assert visit.danger_signs == ["severe_headache", "blurred_vision"]
        alert = Notification.objects.get()
        assert alert.recipient_id == woman.owner_id == actor.user_id
        assert str(pregnancy.pk) in alert.link
        assert "Sophea" not in alert.message
        assert "Chan" not in alert.message
        pregnancy.refresh_from_db()
        with pytest.raises(ValidationFailed):
            services.anc_refer(
                actor=actor,
                visit=quiet,
                version=pregnancy.version,
                provider=centre,
                service="primary_health",
            )
        pregnancy.refresh_from_db()
        referral = services.anc_refer(
            actor=actor, visit=visit, version=pregnancy.version, provider=centre, service="primary_health"
        )
    assert referral.person_id == woman.pk
    assert referral.urgency == "urgent"
    assert "Severe headache" in referral.reason
    assert AntenatalVisit.objects.get(pk=visit.pk).referral_id == referral.pk
    assert Referral.objects.count() == 1


def test_an_unknown_danger_sign_is_refused_and_nothing_saved(setup):
    actor, _woman, pregnancy = setup
    with clock.frozen(NOW), pytest.raises(ValidationFailed) as refused:
        factories.anc(actor, pregnancy, dt.date(2026, 11, 2), danger_signs=["bleeding", "hiccups"])
    assert "danger_signs" in refused.value.errors
    assert not AntenatalVisit.objects.exists()
    assert not Notification.objects.exists()


def test_birth_newborn_in_the_mothers_household_and_the_certificate(setup):
    actor, woman, pregnancy = setup
    with clock.frozen(LATER):
        pregnancy = services.birth_record(
            actor=actor,
            pregnancy=pregnancy,
            version=pregnancy.version,
            born_on=dt.date(2027, 2, 3),
            outcome="live_birth",
            place="home",
            attendant="midwife",
        )
        assert pregnancy.status == PregnancyStatus.DELIVERED
        child = services.newborn_register(
            actor=actor,
            pregnancy=pregnancy,
            version=pregnancy.version,
            data={"family_name_km": "ចាន់", "given_name_km": "បុប្ផា", "sex": "F"},
        )
    assert child.date_of_birth == dt.date(2027, 2, 3)
    assert child.kind == "child"
    assert child.village_id == woman.village_id
    links = {m.person_id: m for m in HouseholdMember.objects.all()}
    assert links[woman.pk].household_id == links[child.pk].household_id
    assert (links[woman.pk].relationship, links[woman.pk].is_primary_caregiver) == ("mother", True)
    assert links[child.pk].relationship == "child"
    pregnancy.refresh_from_db()
    assert pregnancy.newborn_id == child.pk
    assert AuditEvent.objects.filter(action="registry.person.created", target_id=str(child.pk)).exists()
    with clock.frozen(LATER), pytest.raises(ValidationFailed):
        services.newborn_register(actor=actor, pregnancy=pregnancy, version=pregnancy.version, data={})


def test_a_newborn_joins_the_household_the_mother_already_lives_in(setup):
    actor, woman, pregnancy = setup
    household = registry_services.household_create(actor=actor, data={"village": woman.village_id})
    registry_services.household_member_add(
        actor=actor, household=household, person=woman, relationship="head"
    )
    with clock.frozen(LATER):
        services.birth_record(
            actor=actor,
            pregnancy=pregnancy,
            version=1,
            born_on="2027-02-03",
            outcome="live_birth",
            place="home",
            attendant="midwife",
        )
        child = services.newborn_register(
            actor=actor, pregnancy=pregnancy, version=2, data={"given_name_km": "ដា"}
        )
    assert HouseholdMember.objects.get(person=child).household_id == household.pk


def test_a_stillbirth_registers_no_newborn_and_a_miscarriage_ends_the_pregnancy(world):
    actor = world.actor("caseworker_a")
    with clock.frozen(LATER):
        first = factories.pregnancy(actor, factories.woman(actor), last_period_on=dt.date(2026, 7, 1))
        services.birth_record(
            actor=actor,
            pregnancy=first,
            version=1,
            born_on="2027-03-20",
            outcome="stillbirth",
            place="facility",
            facility=factories.health_centre(world),
            attendant="midwife",
        )
        with pytest.raises(ValidationFailed):
            services.newborn_register(actor=actor, pregnancy=first, version=2, data={"given_name_km": "ក"})
        second = factories.pregnancy(
            actor, factories.woman(actor, given_name_latin="Nary"), last_period_on=dt.date(2027, 1, 5)
        )
        lost = services.birth_record(
            actor=actor, pregnancy=second, version=1, born_on="2027-03-01", outcome="miscarriage"
        )
    assert lost.status == PregnancyStatus.LOST
    assert Person.objects.filter(kind="child").count() == 0


def test_a_facility_birth_needs_its_facility(setup):
    actor, _woman, pregnancy = setup
    with clock.frozen(LATER), pytest.raises(ValidationFailed) as refused:
        services.birth_record(
            actor=actor,
            pregnancy=pregnancy,
            version=1,
            born_on="2027-02-03",
            outcome="live_birth",
            place="facility",
            attendant="midwife",
        )
    assert "facility" in refused.value.errors
    pregnancy.refresh_from_db()
    assert pregnancy.is_ongoing
    assert pregnancy.version == 1


def test_postnatal_visits_take_their_window_and_need_the_birth(setup):
    actor, _woman, pregnancy = setup
    with clock.frozen(LATER):
        with pytest.raises(ValidationFailed):
            services.pnc_record(
                actor=actor, pregnancy=pregnancy, version=1, visited_on="2027-02-04", place="home"
            )
        services.birth_record(
            actor=actor,
            pregnancy=pregnancy,
            version=1,
            born_on="2027-02-03",
            outcome="live_birth",
            place="home",
            attendant="midwife",
        )
        for version, day in ((2, "2027-02-04"), (3, "2027-02-08"), (4, "2027-03-17")):
            services.pnc_record(
                actor=actor, pregnancy=pregnancy, version=version, visited_on=day, place="home"
            )
    assert list(PostnatalVisit.objects.values_list("window", flat=True)) == [
        "first_48_hours",
        "days_3_7",
        "week_6",
    ]


def test_family_planning_method_refused_without_her_consent(setup):
    actor, woman, pregnancy = setup
    with clock.frozen(NOW):
        with pytest.raises(ValidationFailed) as refused:
            services.planning_record(
                actor=actor,
                pregnancy=pregnancy,
                version=1,
                counselled_on="2026-11-20",
                consent_given=False,
                method="implant",
            )
        assert "agrees" in str(refused.value.errors["method"][0])
        assert not FamilyPlanning.objects.exists()
        counselled = services.planning_record(
            actor=actor, pregnancy=pregnancy, version=1, counselled_on="2026-11-20", consent_given=False
        )
        chosen = services.planning_record(
            actor=actor,
            pregnancy=pregnancy,
            version=2,
            counselled_on="2026-11-21",
            consent_given=True,
            method="implant",
        )
    assert (counselled.method, chosen.method) == ("", "implant")
    assert chosen.is_sensitive
    assert chosen.person_id == woman.pk
    event = AuditEvent.objects.filter(action="maternal.planning.recorded").order_by("-pk").first()
    assert "implant" not in str(event.changes)


def test_a_stale_version_is_a_conflict_and_saves_nothing(setup):
    actor, _woman, pregnancy = setup
    with clock.frozen(NOW):
        factories.anc(actor, pregnancy, dt.date(2026, 9, 14))
        with pytest.raises(Conflict):
            services.anc_record(
                actor=actor, pregnancy=pregnancy, version=1, visited_on="2026-11-20", place="home"
            )
    assert AntenatalVisit.objects.count() == 1


def test_a_reader_without_sensitive_access_cannot_record(setup, world):
    _actor, _woman, pregnancy = setup
    # The field worker has maternal.record over her own caseload only, and no sensitive access.
    with clock.frozen(NOW), pytest.raises(PermissionDenied):
        services.anc_record(
            actor=world.actor("caseworker_b"),
            pregnancy=pregnancy,
            version=1,
            visited_on="2026-11-20",
            place="home",
        )


def test_two_workers_on_one_pregnancy_the_second_is_refused_and_saves_nothing(setup, world):
    actor, _woman, pregnancy = setup
    supervisor = world.actor("supervisor")
    read_by_both = pregnancy.version
    with clock.frozen(NOW):
        services.anc_record(
            actor=actor, pregnancy=pregnancy, version=read_by_both, visited_on="2026-11-20", place="home"
        )
        with pytest.raises(Conflict):
            services.anc_record(
                actor=supervisor,
                pregnancy=pregnancy,
                version=read_by_both,
                visited_on="2026-11-20",
                place="facility",
                danger_signs=["fever"],
            )
        with pytest.raises(Conflict):
            services.planning_record(
                actor=supervisor,
                pregnancy=pregnancy,
                version=read_by_both,
                counselled_on="2026-11-20",
                consent_given=True,
                method="pill",
            )
    assert list(AntenatalVisit.objects.values_list("number", "place")) == [(1, "home")]
    assert not FamilyPlanning.objects.exists()
    assert not Notification.objects.exists()
