"""REST endpoints of the education app: a class's roll call, read and uploaded.

Uploading is idempotent by class and date: sending the same roll call again changes nothing;
sending a different one for a day already recorded is a correction (a reason is required) and,
with the ``version`` read by GET, refused with 409 if someone saved the day in between. Every
problem (a holiday, a day outside the term, a pupil not in the class) comes back at once (422)
and nothing is stored. Refusals are answered by the API's handlers (``ponleu/api/errors.py``).
"""

import datetime as dt
import uuid

from ninja import Router

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth
from ponleu.common import clock
from ponleu.common.schemas import refusals

from . import selectors
from .schemas import RollCallIn, RollCallOut
from .services import attendance

router = Router(tags=["education"])


@router.get(
    "/classes/{class_id}/attendance",
    auth=api_auth,
    response=RollCallOut,
    summary="A class's roll call for one day",
)
@capability("education.take_attendance")
def roll_call_get(request, class_id: uuid.UUID, date: dt.date | None = None):
    """Statuses of one day ('.' not recorded) and the version to send back with an upload."""
    return selectors.roll_call(actor=request.actor, class_id=class_id, day=date or clock.today())


@router.post(
    "/classes/{class_id}/attendance",
    auth=api_auth,
    response={200: RollCallOut, **refusals(409)},
    summary="Upload a class's roll call for one day",
)
@capability("education.take_attendance")
def roll_call_post(request, class_id: uuid.UUID, payload: RollCallIn):
    actor = request.actor
    school_class = selectors.class_get(actor=actor, class_id=class_id)
    result = attendance.roll_call_save(
        actor=actor,
        school_class=school_class,
        day=payload.date,
        statuses=payload.statuses,
        reason=payload.reason,
        version=payload.version,
    )
    sheet = selectors.roll_call(actor=actor, class_id=class_id, day=payload.date)
    sheet.changed, sheet.corrections = result.changed, len(result.corrections)
    return sheet
