"""A growth measurement: checked, assessed by the WHO growth standards engine, and saved with
what the engine said; a severe or moderate finding starts its alert or follow-up in the same
transaction (services.alerts), so a saved severe case always has its alert.

``measurement_preview`` runs the same checks and assessment and saves nothing: the monitoring
day shows the z-scores while the numbers are typed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.nutrition.choices import NutritionAction
from ponleu.nutrition.growth_standards import Assessment, Measurement, assess
from ponleu.nutrition.models import NUTRITION_RECORD, GrowthMeasurement
from ponleu.registry.models import Person

from . import alerts, values

INDICATORS = ("wfa", "lhfa", "wflh", "bmifa", "muacfa")
# The lines of the chart a child's curve can cross going down: crossing one between two
# measurements is growth faltering (WHO's "crossing a z-score line" in growth monitoring).
FALTERING_LINES = (2.0, 0.0, -2.0, -3.0)
FALTERING_INDICATORS = ("wfa", "lhfa", "wflh")


@dataclass(frozen=True)
class Preview:
    person: Person
    measured_on: dt.date
    age_days: int
    values: dict
    assessment: Assessment
    previous: GrowthMeasurement | None
    faltering: tuple[str, ...]

    @property
    def findings(self) -> list[str]:
        return sorted(self.assessment.findings)


def _assess(person: Person, measured_on: dt.date, data: dict) -> tuple[int, dict, Assessment]:
    checked = values.measured(data)
    age = values.age_days(person, measured_on)
    return age, checked, assess(_measurement(person, age, checked))


def _measurement(person: Person, age: int, checked: dict, *, with_weight: bool = True) -> Measurement:
    weight = checked["weight_kg"] if with_weight else None
    return Measurement(
        sex=values.sex(person),
        age_days=age,
        weight_kg=float(weight) if weight is not None else None,
        length_cm=float(checked["length_cm"]) if checked["length_cm"] is not None else None,
        measured_lying=checked["measured_lying"],
        muac_mm=float(checked["muac_mm"]) if checked["muac_mm"] is not None else None,
        oedema=checked["oedema"],
    )


def severe_stands(person: Person, age: int, checked: dict, assessment: Assessment) -> bool:
    """Severe acute malnutrition on values that can be believed. When only a weight-for-length
    WHO flags as implausible makes it severe (a slip of the scale or the tape: 1.2 kg for 12),
    the screen asks for the child to be measured again before anyone is alerted; MUAC and
    oedema still count on their own."""
    if "sam" not in assessment.findings:
        return False
    if "wflh" not in assessment.implausible:
        return True
    return "sam" in assess(_measurement(person, age, checked, with_weight=False)).findings


def previous_of(person: Person, measured_on: dt.date, *, exclude=None) -> GrowthMeasurement | None:
    earlier = GrowthMeasurement.objects.filter(person=person, measured_on__lt=measured_on)
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude.pk)
    return earlier.order_by("-measured_on", "-created_at").first()


def faltering(previous, assessment) -> tuple[str, ...]:
    """The indicators whose z-score went down across a chart line since ``previous``."""
    if previous is None:
        return ()
    crossed = []
    for name in FALTERING_INDICATORS:
        before, now = getattr(previous, name), getattr(assessment, name)
        if before is None or now is None or name in assessment.implausible:
            continue
        if name in (previous.implausible or []):
            continue
        if any(before > line >= now for line in FALTERING_LINES):
            crossed.append(name)
    return tuple(crossed)


def _require_record(actor, person: Person) -> None:
    if not actor.allows_object(NUTRITION_RECORD, person):
        raise PermissionDenied()


def measurement_preview(*, actor, person_id, data: dict) -> Preview:
    """What saving ``data`` would say about the child; nothing is written."""
    person = values.child(actor, person_id)
    _require_record(actor, person)
    measured_on = values.day(data.get("measured_on"))
    age, checked, assessment = _assess(person, measured_on, data)
    previous = previous_of(person, measured_on)
    return Preview(person, measured_on, age, checked, assessment, previous, faltering(previous, assessment))


def _apply(measurement: GrowthMeasurement, age: int, checked: dict, assessment: Assessment, crossed) -> None:
    measurement.age_days = age
    measurement.sex = measurement.person.sex
    for name, value in checked.items():
        setattr(measurement, name, value)
    for name in INDICATORS:
        setattr(measurement, name, getattr(assessment, name))
    measurement.implausible = sorted(assessment.implausible)
    measurement.findings = sorted(assessment.findings)
    measurement.sam = severe_stands(measurement.person, age, checked, assessment)
    measurement.mam = "mam" in assessment.findings
    measurement.faltering = bool(crossed)


def _changes(measurement: GrowthMeasurement, before: dict | None = None) -> dict:
    fields = ("measured_on", "weight_kg", "length_cm", "measured_lying", "muac_mm", "oedema", "findings")
    after = {name: getattr(measurement, name) for name in fields}
    after = {
        k: (v.isoformat() if isinstance(v, dt.date) else str(v) if v is not None else None)
        for k, v in after.items()
    }
    if before is None:
        return {"person": [None, str(measurement.person_id)], **{k: [None, v] for k, v in after.items()}}
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


@transaction.atomic
def measurement_record(*, actor, person_id, data: dict) -> GrowthMeasurement:
    person = values.child(actor, person_id)
    _require_record(actor, person)
    # One writer at a time per child: the previous measurement, the follow-up and the alert
    # are read and moved together.
    person = Person.objects.select_for_update().get(pk=person.pk)
    measured_on = values.day(data.get("measured_on"))
    age, checked, assessment = _assess(person, measured_on, data)
    crossed = faltering(previous_of(person, measured_on), assessment)
    measurement = GrowthMeasurement(
        person=person,
        measured_on=measured_on,
        measured_by_id=actor.user_id,
        village=values.village(
            data.get("village"), fallback=person.area_code if len(person.area_code or "") == 8 else ""
        ),
        note=str(data.get("note") or "").replace("\x00", "").strip()[:500],
    )
    measurement.stand_with_child()
    _apply(measurement, age, checked, assessment, crossed)
    measurement.save(force_insert=True)
    audit.record(
        actor=actor,
        action=NutritionAction.MEASUREMENT_RECORDED,
        target=measurement,
        changes=_changes(measurement),
    )
    alerts.after_measurement(actor=actor, measurement=measurement)
    return measurement


@transaction.atomic
def measurement_correct(*, actor, measurement: GrowthMeasurement, version, data: dict) -> GrowthMeasurement:
    """A typing mistake put right: the numbers again, assessed again. The alert or follow-up a
    first save started stays (a child once flagged was seen by someone)."""
    found = (
        GrowthMeasurement.objects.visible_to(actor)
        .actionable_by(actor, NUTRITION_RECORD)
        .select_for_update()
        .filter(pk=measurement.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied()
    claim_version(found, version)
    fields = ("measured_on", "weight_kg", "length_cm", "measured_lying", "muac_mm", "oedema", "findings")
    before = {
        k: (v.isoformat() if isinstance(v, dt.date) else str(v) if v is not None else None)
        for k, v in ((name, getattr(found, name)) for name in fields)
    }
    person = Person.objects.get(pk=found.person_id)
    found.person = person
    measured_on = values.day(data.get("measured_on", found.measured_on))
    age, checked, assessment = _assess(person, measured_on, data)
    found.measured_on = measured_on
    _apply(
        found,
        age,
        checked,
        assessment,
        faltering(previous_of(person, measured_on, exclude=found), assessment),
    )
    if "note" in data:
        found.note = str(data.get("note") or "").replace("\x00", "").strip()[:500]
    found.save()
    changes = _changes(found, before)
    if not changes:
        raise ValidationFailed(_("Nothing was changed."), field="weight_kg")
    audit.record(actor=actor, action=NutritionAction.MEASUREMENT_CORRECTED, target=found, changes=changes)
    alerts.after_measurement(actor=actor, measurement=found)
    return found
