"""REST endpoints of the education app: a class's roll call, read and uploaded.

Uploading is idempotent by class and date: sending the same roll call again changes nothing;
sending a different one for a day already recorded is a correction (a reason is required) and,
with the ``version`` read by GET, refused with 409 if someone saved the day in between. Every
problem (a holiday, a day outside the term, a pupil not in the class) comes back at once (422)
and nothing is stored.
"""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from ninja import Router, Status
from ninja.errors import HttpError

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth
from ponleu.common import clock
from ponleu.common.errors import Conflict, DomainError, PermissionDenied

from . import selectors
from .models import SchoolClass
from .schemas import ErrorOut, RollCallIn, RollCallOut
from .services import attendance

router = Router(tags=["education"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
NOT_FOUND = {"detail": "Not found", "errors": {}}


def _errors(error: DomainError) -> dict:
    return {"detail": str(error.message), "errors": {k: [str(m) for m in v] for k, v in error.errors.items()}}


def _sheet(request, class_id, day: dt.date) -> dict:
    sheet = selectors.roll_call(actor=request.actor, class_id=class_id, day=day)
    return {
        "class_id": str(sheet.school_class.pk),
        "date": day,
        "is_school_day": sheet.is_school_day,
        "version": sheet.version,
        "pupils": [
            {"enrolment_id": str(p.enrolment.pk), "number": p.number, "status": p.status}
            for p in sheet.pupils
        ],
    }


@router.get(
    "/classes/{class_id}/attendance",
    auth=api_auth,
    response={200: RollCallOut, **ERRORS},
    summary="A class's roll call for one day",
)
@capability("education.take_attendance")
def roll_call_get(request, class_id: uuid.UUID, date: dt.date | None = None):
    """Statuses of one day ('.' not recorded) and the version to send back with an upload."""
    try:
        return Status(200, _sheet(request, class_id, date or clock.today()))
    except (SchoolClass.DoesNotExist, ValidationError, ValueError):
        return Status(404, NOT_FOUND)


@router.post(
    "/classes/{class_id}/attendance",
    auth=api_auth,
    response={200: RollCallOut, **ERRORS},
    summary="Upload a class's roll call for one day",
)
@capability("education.take_attendance")
def roll_call_post(request, class_id: uuid.UUID, payload: RollCallIn):
    actor = request.actor
    try:
        school_class = selectors.class_get(actor=actor, class_id=class_id)
    except (SchoolClass.DoesNotExist, ValidationError, ValueError):
        return Status(404, NOT_FOUND)
    try:
        result = attendance.roll_call_save(
            actor=actor,
            school_class=school_class,
            day=payload.date,
            statuses=payload.statuses,
            reason=payload.reason,
            version=payload.version,
        )
    except PermissionDenied:
        raise HttpError(403, "Not allowed") from None
    except Conflict as error:
        return Status(409, _errors(error))
    except DomainError as error:
        return Status(422, _errors(error))
    out = _sheet(request, class_id, payload.date)
    out.update(changed=result.changed, corrections=len(result.corrections))
    return Status(200, out)
