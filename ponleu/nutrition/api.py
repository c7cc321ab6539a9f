"""REST endpoints of growth monitoring under /api/v1/nutrition/.

The child in the path is looked up through the registry's ``visible_to``: out of reach, missing
and malformed give the same 404. The child's id is given back only where the identity policy
allows; every read writes its access event, every write its audit event (in the services)."""

import uuid

from django.db import transaction
from django.http import HttpResponse
from ninja import Router, Status

from ponleu.access.endpoints import capability
from ponleu.access.policies import can_see_identity, identity_label
from ponleu.accounts.api_auth import api_auth
from ponleu.common.errors import NotFound
from ponleu.common.etags import if_match, tag
from ponleu.common.schemas import refusals
from ponleu.registry.models import Person

from . import selectors
from .models import NUTRITION_RECORD, NUTRITION_VIEW, GrowthMeasurement
from .schemas import GrowthOut, MeasurementIn, MeasurementOut
from .services import measurements

router = Router(tags=["nutrition"])
VERSIONED = refusals(409, 428)


def _child(actor, person_id, capability: str = NUTRITION_VIEW) -> Person:
    try:
        return selectors.child_get(actor=actor, person_id=person_id, capability=capability)
    except Person.DoesNotExist:
        raise NotFound() from None


def _number(value):
    return float(value) if value is not None else None


def _measurement_out(actor, row: GrowthMeasurement, person: Person) -> dict:
    return {
        "id": row.pk,
        "version": row.version,
        "person_id": person.pk if can_see_identity(actor, person) else None,
        "measured_on": row.measured_on,
        "age_days": row.age_days,
        "weight_kg": _number(row.weight_kg),
        "length_cm": _number(row.length_cm),
        "measured_lying": row.measured_lying,
        "muac_mm": row.muac_mm,
        "oedema": row.oedema,
        "village_code": row.village_id,
        **{name: getattr(row, name) for name in ("wfa", "lhfa", "wflh", "bmifa", "muacfa")},
        "implausible": list(row.implausible or []),
        "findings": list(row.findings or []),
        "faltering": row.faltering,
    }


@router.get(
    "/children/{person_id}/measurements",
    auth=api_auth,
    response=list[MeasurementOut],
    summary="A child's growth measurements",
)
@capability(NUTRITION_VIEW)
def measurement_list(request, person_id: uuid.UUID):
    """Oldest first, with the z-scores and findings computed when each was saved."""
    actor = request.actor
    with transaction.atomic():
        person = _child(actor, person_id)
        rows = selectors.measurements_of(actor=actor, person=person)
        selectors.served(actor=actor, rows=rows, people=[person], query="api measurements")
    return [_measurement_out(actor, row, person) for row in rows]


@router.post(
    "/children/{person_id}/measurements",
    auth=api_auth,
    response={201: MeasurementOut},
    summary="Record a growth measurement",
)
@capability(NUTRITION_RECORD)
def measurement_create(request, person_id: uuid.UUID, payload: MeasurementIn):
    """Assessed with the WHO growth standards as it is saved: severe acute malnutrition raises
    the alert to the child's worker, moderate starts the two-weekly follow-up."""
    actor = request.actor
    person = _child(actor, person_id, NUTRITION_RECORD)
    data = payload.dict()
    data["village"] = data.pop("village_code")
    row = measurements.measurement_record(actor=actor, person_id=person.pk, data=data)
    return Status(201, _measurement_out(actor, row, person))


@router.get(
    "/children/{person_id}/growth",
    auth=api_auth,
    response=GrowthOut,
    summary="A child's growth assessments",
)
@capability(NUTRITION_VIEW)
def growth(request, person_id: uuid.UUID):
    """The assessments newest first, the open severe malnutrition alert and the open follow-up."""
    actor = request.actor
    with transaction.atomic():
        person = _child(actor, person_id)
        rows = selectors.measurements_of(actor=actor, person=person)
        alert = selectors.open_alert_of(actor=actor, person=person)
        follow_up = selectors.open_follow_up_of(actor=actor, person=person)
        shown = [*rows, *(r for r in (alert, follow_up) if r is not None)]
        selectors.served(actor=actor, rows=shown, people=[person], query="api growth")
    newest = list(reversed(rows))
    return {
        "person_id": person.pk if can_see_identity(actor, person) else None,
        "name": identity_label(actor, person),
        "sex": person.sex,
        "latest_findings": list(newest[0].findings) if newest else [],
        "sam_alert": None
        if alert is None
        else {
            "id": alert.pk,
            "version": alert.version,
            "raised_on": alert.raised_on,
            "status": alert.status,
            "proposed_provider_id": alert.proposed_provider_id,
            "referral_id": alert.referral_id,
            "referred_on": alert.referred_on,
        },
        "follow_up": None
        if follow_up is None
        else {
            "id": follow_up.pk,
            "started_on": follow_up.started_on,
            "every_days": follow_up.every_days,
            "next_due_on": follow_up.next_due_on,
            "status": follow_up.status,
        },
        "assessments": [_measurement_out(actor, row, person) for row in newest],
    }


@router.put(
    "/measurements/{measurement_id}",
    auth=api_auth,
    response={200: MeasurementOut, **VERSIONED},
    summary="Correct a growth measurement",
)
@capability(NUTRITION_RECORD)
def measurement_correct(request, response: HttpResponse, measurement_id: uuid.UUID, payload: MeasurementIn):
    """A typing mistake put right, naming in ``If-Match`` the version read: the numbers again,
    assessed again. The place stays where it was measured (``village_code`` is ignored)."""
    actor = request.actor
    row = selectors.measurement_get(actor=actor, measurement_id=measurement_id, capability=NUTRITION_RECORD)
    data = payload.dict()
    data.pop("village_code")
    fixed = measurements.measurement_correct(
        actor=actor, measurement=row, version=if_match(request), data=data
    )
    tag(response, fixed.version)
    return _measurement_out(actor, fixed, row.person)
