"""REST endpoints of the early-warning app: risk reads (``ews.view_scores``, access-audited).

``GET /risk/list`` is the ranked list the risk page shows (flagged students per school, cut to
the organisation's capacity); ``GET /risk/enrolments/{id}`` one student's scores week by week.
Each read writes one access event naming the children returned. Names come back as initials
when the caller may not see them.
"""

import uuid

from django.core.exceptions import ValidationError
from django.utils import translation
from ninja import Router, Status

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth
from ponleu.education.models import Enrolment
from ponleu.education.policies import can_see_pupil, pupil_label

from . import selectors, texts
from .schemas import ErrorOut, RiskListOut, StudentRiskOut

router = Router(tags=["early_warning"])
NOT_FOUND = {"detail": "Not found", "errors": {}}


def _score(score) -> dict:
    return {
        "scored_on": score.scored_on,
        "method": score.method,
        "model_version": score.model.number if score.model_id and score.model else None,
        "probability": score.probability,
        "index_score": score.index_score,
        "flagged": score.flagged,
        "reasons": texts.factor_texts(score.factors),
    }


def _person_id(actor, enrolment) -> str | None:
    """The pupil's registry id, for those the identity policy lets see the pupil (an M&E
    officer reads risk across the organisation without reaching anyone's record)."""
    return str(enrolment.person_id) if can_see_pupil(actor, enrolment) else None


@router.get("/risk/list", auth=api_auth, response=RiskListOut, summary="Students at risk, ranked per school")
@capability("ews.view_scores")
def risk_list(request, school: str = "", caseworker: str = ""):
    actor = request.actor
    filters = selectors.RiskFilters(
        school_id=school, caseworker_id=caseworker, class_id=request.GET.get("class", "")
    )
    result = selectors.risk_list(actor=actor, filters=filters)
    language = translation.get_language()
    items = []
    for row in result.rows:
        s = row.score
        if s.enrolment.school_class_id == s.school_class_id:
            s.enrolment.school_class = s.school_class
        items.append(
            {
                "rank": row.rank,
                "enrolment_id": str(s.enrolment_id),
                "person_id": _person_id(actor, s.enrolment),
                "name": pupil_label(actor, s.enrolment, language),
                "school_id": str(s.school_class.school_id),
                "class_id": str(s.school_class_id),
                "flag_id": str(row.flag_id) if row.flag_id else None,
                "flag_status": row.flag_status,
                "score": _score(s),
            }
        )
    return {"capacity_per_school": result.capacity, "items": items}


@router.get(
    "/risk/enrolments/{enrolment_id}",
    auth=api_auth,
    response={200: StudentRiskOut, 404: ErrorOut},
    summary="One student's risk, week by week",
)
@capability("ews.view_scores")
def student_risk(request, enrolment_id: uuid.UUID):
    actor = request.actor
    try:
        student = selectors.student_risk(actor=actor, enrolment_id=enrolment_id)
    except (Enrolment.DoesNotExist, ValidationError, ValueError):
        return Status(404, NOT_FOUND)
    e = student.enrolment
    return Status(
        200,
        {
            "enrolment_id": str(e.pk),
            "person_id": _person_id(actor, e),
            "name": pupil_label(actor, e, translation.get_language()),
            "class_id": str(e.school_class_id),
            "school_id": str(e.school_class.school_id),
            "status": e.status,
            "scores": [_score(s) for s in student.scores],
        },
    )
