"""A growth measurement saved with the WHO engine's z-scores and findings; checked values with
the field named and nothing half saved; the preview that saves nothing; growth faltering; the
correction of a typing mistake against the version read."""

import datetime as dt

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.nutrition.models import GrowthMeasurement
from ponleu.nutrition.services import measurements

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(factories.NOW):
        yield


def test_a_girl_at_the_who_median_scores_near_zero_with_no_finding(world):
    # 18 months: the WHO girls' medians are about 10.2 kg and 80.7 cm.
    person = factories.child(world)
    saved = factories.measure(world, person)
    assert saved.age_days == 549
    assert abs(saved.wfa) < 0.1
    assert abs(saved.lhfa) < 0.1
    assert abs(saved.wflh) < 0.3
    assert saved.findings == []
    assert not saved.sam
    assert not saved.mam
    assert saved.village_id == factories.THMEI
    assert saved.measured_by == world.user("caseworker_a")
    assert (saved.organisation_id, saved.area_code, saved.owner_id) == (
        person.organisation_id,
        person.area_code,
        person.owner_id,
    )
    event = AuditEvent.objects.get(action="nutrition.measurement.recorded")
    assert event.target_id == str(saved.pk)


def test_a_stunted_and_wasted_boy_is_classified_by_the_engine(world):
    person = factories.child(world, sex="M", born=dt.date(2024, 11, 21))  # two years
    saved = factories.measure(world, person, weight_kg="8.6", length_cm="79.0", muac_mm="128")
    assert -3 < saved.lhfa < -2
    assert -3 < saved.wflh < -2
    assert saved.wfa < -3
    assert {"stunting", "wasting", "severe_underweight", "mam"} <= set(saved.findings)
    assert "severe_stunting" not in saved.findings
    assert not saved.sam


def test_muac_112_mm_is_severe_acute_malnutrition(world):
    saved = factories.measure(world, factories.child(world), muac_mm="112")
    assert saved.sam
    assert "sam" in saved.findings


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weight_kg", "0"),
        ("weight_kg", "10,5kg"),
        ("length_cm", "8"),
        ("muac_mm", "11.2"),
        ("muac_mm", "2000"),
        ("measured_on", "2026-11-22"),
        ("measured_on", "21/11/2026"),
    ],
)
def test_a_value_no_child_measures_is_refused_naming_its_field(world, field, value):
    person = factories.child(world)
    with pytest.raises(ValidationFailed) as refused:
        factories.measure(world, person, **{field: value})
    assert field in refused.value.errors
    assert not GrowthMeasurement.objects.exists()


def test_nothing_measured_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        factories.measure(world, factories.child(world), weight_kg="", length_cm="", muac_mm="")
    assert "weight_kg" in refused.value.errors


def test_a_child_without_a_date_of_birth_or_a_sex_cannot_be_assessed(world):
    with pytest.raises(ValidationFailed) as refused:
        factories.measure(world, factories.child(world, born=None))
    assert "person" in refused.value.errors
    with pytest.raises(ValidationFailed):
        factories.measure(world, factories.child(world, sex="U"))
    with pytest.raises(ValidationFailed) as refused:
        factories.measure(world, factories.child(world, born=factories.TODAY + dt.timedelta(days=3)))
    assert not GrowthMeasurement.objects.exists()


def test_a_child_out_of_reach_is_refused_like_a_missing_one(world):
    theirs = factories.child(world, village=factories.KBAL_THNAL, owner="caseworker_b", team=world.team_b)
    with pytest.raises(ValidationFailed) as refused:
        factories.measure(world, theirs)  # caseworker_a works in Banan
    assert "person" in refused.value.errors
    with pytest.raises(ValidationFailed):
        factories.measure(world, factories.child(world), actor_key="partner")
    assert not GrowthMeasurement.objects.exists()


def test_seeing_a_child_is_not_enough_to_record_without_the_capability(world):
    person = factories.child(world, owner="teacher")  # a teacher sees their pupils, records no growth
    with pytest.raises((PermissionDenied, ValidationFailed)):
        factories.measure(world, person, actor_key="teacher")


def test_the_preview_assesses_and_saves_nothing(world):
    person = factories.child(world)
    preview = measurements.measurement_preview(
        actor=world.actor("caseworker_a"),
        person_id=person.pk,
        data={"measured_on": factories.TODAY.isoformat(), "muac_mm": "112"},
    )
    assert "sam" in preview.findings
    assert preview.age_days == 549
    assert not GrowthMeasurement.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="nutrition.").exists()


def test_crossing_a_line_down_between_two_measurements_is_faltering(world):
    person = factories.child(world)
    first = factories.measure(
        world, person, measured_on="2026-08-21", weight_kg="9.0", length_cm="", muac_mm="150"
    )
    assert -2 < first.wfa < 0
    assert not first.faltering
    second = factories.measure(world, person, weight_kg="7.8", length_cm="", muac_mm="150")
    assert second.wfa < -2  # 9.0 kg at 15 months is above the −2 line, 7.8 kg at 18 months below
    assert second.faltering


def test_falling_within_a_band_is_not_faltering(world):
    person = factories.child(world)
    factories.measure(world, person, measured_on="2026-08-21", weight_kg="9.2", length_cm="", muac_mm="150")
    lower = factories.measure(world, person, weight_kg="8.4", length_cm="", muac_mm="150")
    assert -2 < lower.wfa < -1
    assert not lower.faltering


def test_steady_growth_along_a_line_is_not_faltering(world):
    person = factories.child(world)
    factories.measure(world, person, measured_on="2026-08-21", weight_kg="9.4", length_cm="76.6")
    steady = factories.measure(world, person, weight_kg="10.2", length_cm="80.7")
    assert not steady.faltering


def test_a_correction_is_assessed_again_and_a_stale_one_conflicts(world):
    person = factories.child(world)
    saved = factories.measure(world, person, weight_kg="1.2")  # a slip of the finger
    assert "wfa" in saved.implausible
    actor = world.actor("caseworker_a")
    fixed = measurements.measurement_correct(
        actor=actor,
        measurement=saved,
        version=saved.version,
        data={"weight_kg": "10.2", "length_cm": "80.7", "muac_mm": "150"},
    )
    assert fixed.implausible == []
    assert abs(fixed.wfa) < 0.1
    assert fixed.version == saved.version + 1
    with pytest.raises(Conflict):
        measurements.measurement_correct(
            actor=actor, measurement=saved, version=saved.version, data={"weight_kg": "10.0"}
        )
    assert AuditEvent.objects.filter(action="nutrition.measurement.corrected").count() == 1
