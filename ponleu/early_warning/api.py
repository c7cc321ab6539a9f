"""REST endpoints of the early-warning app: risk reads (``ews.view_scores``, access-audited).

``GET /risk/list`` is the ranked list the risk page shows (flagged students per school, cut to
the organisation's capacity); ``GET /risk/enrolments/{id}`` one student's scores week by week.
Each read writes one access event naming the children returned. Names come back as initials
when the caller may not see them.
"""

import uuid

from ninja import Router

from ponleu.access.endpoints import capability
from ponleu.accounts.api_auth import api_auth

from . import selectors
from .schemas import RiskListOut, StudentRiskOut

router = Router(tags=["early_warning"])


@router.get("/risk/list", auth=api_auth, response=RiskListOut, summary="Students at risk, ranked per school")
@capability("ews.view_scores")
def risk_list(request, school: str = "", caseworker: str = ""):
    filters = selectors.RiskFilters(
        school_id=school, caseworker_id=caseworker, class_id=request.GET.get("class", "")
    )
    result = selectors.risk_list(actor=request.actor, filters=filters)
    for row in result.rows:
        score = row.score
        # The class of the score is the pupil's class (the usual case): no query to read it again.
        if score.enrolment.school_class_id == score.school_class_id:
            score.enrolment.school_class = score.school_class
    return result


@router.get(
    "/risk/enrolments/{enrolment_id}",
    auth=api_auth,
    response=StudentRiskOut,
    summary="One student's risk, week by week",
)
@capability("ews.view_scores")
def student_risk(request, enrolment_id: uuid.UUID):
    return selectors.student_risk(actor=request.actor, enrolment_id=enrolment_id)
