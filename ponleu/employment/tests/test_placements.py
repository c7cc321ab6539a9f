"""Offers, matching by skills and place (explained), placements that take an offer's places,
follow-ups due 3 and 6 months after the start, and the indicators by sex and age band."""

import datetime as dt
import decimal

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.employment import selectors
from ponleu.employment.choices import Nearness
from ponleu.employment.models import Placement
from ponleu.employment.services import courses as course_services
from ponleu.employment.services import placements as services
from ponleu.programmes.services import groups as group_services

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def _place(world, profile, offer, starts_on=dt.date(2026, 5, 31), actor_key="supervisor", **extra):
    return services.placement_create(
        actor=world.actor(actor_key), profile=profile, offer_id=offer.pk, starts_on=starts_on, **extra
    )


def test_offers_come_from_employers_of_the_directory_with_wages_in_riel_or_dollars(world):
    offer = factories.offer(world, wage="250.50", currency="USD")
    assert offer.wage == decimal.Decimal("250.50")
    riel = factories.offer(world, wage="800000", currency="KHR")
    assert riel.wage == decimal.Decimal("800000")
    with pytest.raises(ValidationFailed) as error:
        factories.offer(world, wage="800000.5", currency="KHR")
    assert "wage" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        factories.offer(world, wage="-1", currency="USD")
    assert "wage" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        factories.offer(world, places=0)
    assert "places" in error.value.errors
    # A provider of the directory that is not an employer is not offered.
    from ponleu.referrals.services.directory import provider_save

    clinic = provider_save(
        actor=world.actor("org_admin"),
        data={
            "kind": "health_centre",
            "name_km": "មណ្ឌលសុខភាព",
            "areas": ["02"],
            "services": [{"service": "primary_health"}],
        },
    )
    with pytest.raises(ValidationFailed) as error:
        factories.offer(world, employer_=clinic)
    assert "employer" in error.value.errors
    # An employer may offer no service to refer to; any other provider names one.
    with pytest.raises(ValidationFailed) as error:
        provider_save(
            actor=world.actor("org_admin"), data={"kind": "other", "name_km": "ហាង", "areas": ["02"]}
        )
    assert "services" in error.value.errors
    # A field worker does not record offers.
    with pytest.raises(PermissionDenied):
        factories.offer(world, actor_key="field_worker")


def test_matching_ranks_by_skills_in_common_then_nearness_and_explains(world):
    profile = factories.profile(world, skills=("sewing", "computer"))
    employer = factories.employer(world)
    in_commune = factories.offer(world, employer_=employer, skills=("sewing",), place=factories.THMEI_COMMUNE)
    in_province = factories.offer(
        world, employer_=employer, skills=("sewing", "computer"), place=factories.SANGKAE_VILLAGE
    )
    in_district = factories.offer(
        world, employer_=employer, skills=("sewing", "welding"), place=factories.BANAN
    )
    far = factories.offer(world, employer_=employer, skills=("sewing",), place=factories.SIEM_REAP)
    factories.offer(world, employer_=employer, skills=("welding",), place=factories.THMEI_COMMUNE)
    full = factories.offer(world, employer_=employer, skills=("sewing", "computer"), places=1)
    _place(world, factories.profile(world), full)
    found = selectors.matches(actor=world.actor("supervisor"), profile=profile)
    assert [m.offer for m in found] == [in_province, in_commune, in_district, far]
    best = found[0]
    assert best.skills == ["sewing", "computer"]
    assert best.missing == []
    assert best.nearness == Nearness.PROVINCE
    assert found[2].missing == ["welding"]
    assert found[2].nearness == Nearness.DISTRICT
    assert found[1].nearness == Nearness.COMMUNE
    assert found[3].nearness == Nearness.FURTHER


def test_nearness_reads_the_nested_codes():
    assert selectors.nearness("02010101", "02010102") == Nearness.COMMUNE
    assert selectors.nearness("02010101", "020101") == Nearness.COMMUNE
    assert selectors.nearness("02010101", "0201") == Nearness.DISTRICT
    assert selectors.nearness("02010101", "02") == Nearness.PROVINCE
    assert selectors.nearness("02010101", "17070101") == Nearness.FURTHER
    assert selectors.nearness("", "02") == Nearness.FURTHER


def test_no_placement_of_someone_out_of_reach(world):
    profile = factories.profile(world)
    offer = factories.offer(world)
    with pytest.raises(PermissionDenied):
        _place(world, profile, offer, actor_key="caseworker_b")
    with pytest.raises(PermissionDenied):
        _place(world, profile, offer, actor_key="partner")
    assert not Placement.objects.exists()


def test_an_offer_of_another_organisation_or_closed_or_not_yet_open_is_refused(world):
    profile = factories.profile(world)
    with pytest.raises(ValidationFailed) as error:
        services.placement_create(
            actor=world.actor("supervisor"),
            profile=profile,
            offer_id="not-an-id",
            starts_on=dt.date(2026, 5, 1),
        )
    assert "offer" in error.value.errors
    offer = factories.offer(world, starts_on=dt.date(2026, 6, 1))
    with pytest.raises(ValidationFailed) as error:
        _place(world, profile, offer, starts_on=dt.date(2026, 5, 1))
    assert "starts_on" in error.value.errors


def test_the_last_place_is_taken_once(world):
    offer = factories.offer(world, places=1)
    first, second = factories.profile(world), factories.profile(world)
    placement = _place(world, first, offer)
    assert placement.wage == offer.wage
    assert placement.currency == "USD"
    with pytest.raises(ValidationFailed) as error:
        _place(world, second, offer)
    assert "offer" in error.value.errors
    # The place is free again once the first placement ends.
    services.placement_end(
        actor=world.actor("supervisor"),
        placement=placement,
        ended_on=dt.date(2026, 7, 1),
        version=placement.version,
    )
    _place(world, second, offer, wage="180", currency="USD")
    assert AuditEvent.objects.filter(action="employment.placement.created").count() == 2


def test_follow_ups_fall_due_three_and_six_months_after_the_start(world):
    profile = factories.profile(world)
    placement = _place(world, profile, factories.offer(world, places=3), starts_on=dt.date(2026, 1, 31))
    # The end of a month is kept (31 January + 3 months is 30 April).
    assert placement.follow_up_3_on == dt.date(2026, 4, 30)
    assert placement.follow_up_6_on == dt.date(2026, 7, 31)
    actor = world.actor("supervisor")
    with clock.frozen(dt.datetime(2026, 4, 29, 9, tzinfo=dt.UTC)):
        assert not selectors.follow_ups_due(actor=actor).exists()
    with clock.frozen(dt.datetime(2026, 4, 30, 9, tzinfo=dt.UTC)):
        (due,) = selectors.follow_ups_due(actor=actor)
        assert selectors.due_months(due, clock.today()) == 3
        # Too early for the 6-month one.
        with pytest.raises(ValidationFailed) as error:
            services.follow_up_record(
                actor=actor,
                placement=placement,
                months=6,
                followed_on=clock.today(),
                still_working=True,
                wage="210",
                satisfaction="happy",
            )
        assert "followed_on" in error.value.errors
        services.follow_up_record(
            actor=actor,
            placement=placement,
            months=3,
            followed_on=clock.today(),
            still_working=True,
            wage="210",
            currency="USD",
            satisfaction="happy",
        )
        assert not selectors.follow_ups_due(actor=actor).exists()
        with pytest.raises(ValidationFailed) as error:
            services.follow_up_record(
                actor=actor,
                placement=placement,
                months=3,
                followed_on=clock.today(),
                still_working=True,
                wage="210",
                satisfaction="happy",
            )
        assert "months" in error.value.errors
    with clock.frozen(dt.datetime(2026, 7, 31, 9, tzinfo=dt.UTC)):
        (due,) = selectors.follow_ups_due(actor=actor)
        assert selectors.due_months(due, clock.today()) == 6
        # Someone else's young person is not on another worker's list.
        assert not selectors.follow_ups_due(actor=world.actor("caseworker_b")).exists()
        # Not working any more: the placement ends on the day, nothing more is due.
        services.follow_up_record(
            actor=actor,
            placement=placement,
            months=6,
            followed_on=clock.today(),
            still_working=False,
            satisfaction="unhappy",
        )
        placement.refresh_from_db()
        assert placement.status == "ended"
        assert placement.ends_on == dt.date(2026, 7, 31)
        assert not selectors.follow_ups_due(actor=actor).exists()


def test_a_follow_up_of_someone_working_needs_the_wage(world):
    placement = _place(
        world, factories.profile(world), factories.offer(world), starts_on=dt.date(2026, 5, 31)
    )
    with pytest.raises(ValidationFailed) as error:
        services.follow_up_record(
            actor=world.actor("supervisor"),
            placement=placement,
            months=3,
            followed_on=dt.date(2026, 8, 31),
            still_working=True,
            satisfaction="happy",
        )
    assert "wage" in error.value.errors
    with pytest.raises(PermissionDenied):
        services.follow_up_record(
            actor=world.actor("caseworker_b"),
            placement=placement,
            months=3,
            followed_on=dt.date(2026, 8, 31),
            still_working=True,
            wage="200",
            satisfaction="happy",
        )


def test_indicators_count_course_placement_and_work_at_six_months_by_sex_and_age_band(world):
    actor = world.actor("supervisor")
    course = factories.course(world)
    girl_16 = factories.young(world, sex="F", born=dt.date(2010, 3, 1))
    woman_20 = factories.young(world, sex="F", born=dt.date(2006, 3, 1))
    man_22 = factories.young(world, sex="M", born=dt.date(2004, 3, 1))
    profiles = {p: factories.profile(world, p) for p in (girl_16, woman_20, man_22)}
    group_services.members_add(
        actor=actor, group=course, person_ids=[p.pk for p in profiles], joined_on=dt.date(2026, 1, 5)
    )
    for person, outcome in ((girl_16, "dropped_out"), (woman_20, "completed"), (man_22, "completed")):
        course_services.course_result_record(
            actor=actor, course=course, person_id=person.pk, outcome=outcome, ended_on=dt.date(2026, 3, 1)
        )
    offer = factories.offer(world, places=5)
    for person in (woman_20, man_22):
        _place(world, profiles[person], offer, starts_on=dt.date(2026, 4, 1))
    for person, working in ((woman_20, True), (man_22, False)):
        placement = Placement.objects.get(person=person)
        services.follow_up_record(
            actor=actor,
            placement=placement,
            months=6,
            followed_on=dt.date(2026, 10, 1),
            still_working=working,
            wage="200" if working else None,
            satisfaction="happy",
        )
    with_queries = selectors.indicators  # one query for the rows, whatever their number
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        report = with_queries(actor=actor)
    assert len(queries) == 1
    cells = {(sex, band.value): cell for sex, band, cell in report.rows()}
    assert vars(cells[("F", "15-17")]) == {"profiles": 1, "completed": 0, "placed": 0, "employed_6": 0}
    assert vars(cells[("F", "18-24")]) == {"profiles": 1, "completed": 1, "placed": 1, "employed_6": 1}
    assert vars(cells[("M", "18-24")]) == {"profiles": 1, "completed": 1, "placed": 1, "employed_6": 0}
    assert vars(report.total) == {"profiles": 3, "completed": 2, "placed": 2, "employed_6": 1}
    # Another district's caseworker counts none of them.
    assert selectors.indicators(actor=world.actor("caseworker_b")).total.profiles == 0


def test_a_worker_who_may_not_know_who_they_are_does_not_place_them(world):
    # A caseworker sees the sensitive records of their own caseload only, unmasked.
    profile = factories.profile(world, factories.young(world, is_sensitive=True))
    with pytest.raises(PermissionDenied):
        _place(world, profile, factories.offer(world), actor_key="caseworker_a")
    assert not Placement.objects.exists()
