from .care import FollowUp, Placement
from .case import CASE_EDITABLE_FIELDS, Case, CaseApproval, ChildLabourDetail, SafetyPlan, TraffickingDetail
from .config import AssessmentInstrument, CaseType, bilingual
from .contact import CaseConference, CaseNote, NoteAttachment
from .work import Action, Assessment, Goal, ServiceDelivery

__all__ = [
    "CASE_EDITABLE_FIELDS",
    "Action",
    "Assessment",
    "AssessmentInstrument",
    "Case",
    "CaseApproval",
    "CaseConference",
    "CaseNote",
    "CaseType",
    "ChildLabourDetail",
    "FollowUp",
    "Goal",
    "NoteAttachment",
    "Placement",
    "SafetyPlan",
    "ServiceDelivery",
    "TraffickingDetail",
    "bilingual",
]
