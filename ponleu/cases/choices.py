from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """The stages of a case, in the order of the Inter-Agency Guidelines (identify … close)."""

    IDENTIFIED = "identified", _("Identified or referred")
    INTAKE = "intake", _("Intake and screening")
    ASSESSMENT = "assessment", _("Assessment")
    CASE_PLAN = "case_plan", _("Case plan")
    PLAN_APPROVAL = "plan_approval", _("Case plan awaiting approval")
    IMPLEMENTATION = "implementation", _("Implementation")
    REVIEW = "review", _("Review")
    CLOSURE_APPROVAL = "closure_approval", _("Closure awaiting approval")
    FOLLOW_UP = "follow_up", _("Closed: follow-up after reintegration")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (
    CaseStatus.IDENTIFIED,
    CaseStatus.INTAKE,
    CaseStatus.ASSESSMENT,
    CaseStatus.CASE_PLAN,
    CaseStatus.PLAN_APPROVAL,
    CaseStatus.IMPLEMENTATION,
    CaseStatus.REVIEW,
    CaseStatus.CLOSURE_APPROVAL,
)

# How many days a case may stay at a stage before its next step is late ("Today" asks for it):
# Ponleu's default standard, one place to change it. The stages a supervisor decides have
# their own item (approvals waiting); implementation runs as long as its plan and is watched
# through its actions and home visits.
STAGE_STANDARD_DAYS = {
    CaseStatus.IDENTIFIED: 3,  # intake starts
    CaseStatus.INTAKE: 7,  # screening done
    CaseStatus.ASSESSMENT: 30,  # assessment done
    CaseStatus.CASE_PLAN: 14,  # the plan written after the assessment
    CaseStatus.REVIEW: 14,  # the review decided
}


class CaseEvent(models.TextChoices):
    START_INTAKE = "start_intake", _("Start intake and screening")
    MARK_URGENT = "mark_urgent", _("Child in immediate danger")
    COMPLETE_SCREENING = "complete_screening", _("Screening done: start the assessment")
    COMPLETE_ASSESSMENT = "complete_assessment", _("Assessment done: write the case plan")
    SUBMIT_PLAN = "submit_plan", _("Submit the case plan for approval")
    APPROVE_PLAN = "approve_plan", _("Approve the case plan")
    RETURN_PLAN = "return_plan", _("Return the case plan for changes")
    START_REVIEW = "start_review", _("Start a review")
    CONTINUE_PLAN = "continue_plan", _("Review done: continue the plan")
    REVISE_PLAN = "revise_plan", _("Review done: revise the plan")
    REQUEST_CLOSURE = "request_closure", _("Ask to close the case")
    APPROVE_CLOSURE = "approve_closure", _("Approve the closure")
    RETURN_CLOSURE = "return_closure", _("Refuse the closure")
    COMPLETE_FOLLOW_UP = "complete_follow_up", _("Follow-up finished")
    REOPEN = "reopen", _("Reopen the case")


class CaseAction(models.TextChoices):
    """Audit action names (``<app>.<entity>.<past verb>``)."""

    OPENED = "cases.case.opened", _("Case opened")
    UPDATED = "cases.case.updated", _("Case updated")
    TRANSITIONED = "cases.case.transitioned", _("Case moved to another stage")
    ASSIGNED = "cases.case.assigned", _("Case assigned")
    VIEWED = "cases.case.viewed", _("Case viewed")
    LISTED = "cases.case.listed", _("Cases listed")
    PRINTED = "cases.case.printed", _("Government form printed")
    SAFETY_PLAN_SAVED = "cases.safety_plan.saved", _("Safety plan saved")
    SPECIFICS_SAVED = "cases.specifics.saved", _("Case details by type saved")
    ASSESSMENT_RECORDED = "cases.assessment.recorded", _("Assessment recorded")
    GOAL_ADDED = "cases.goal.added", _("Goal added")
    GOAL_UPDATED = "cases.goal.updated", _("Goal updated")
    ACTION_ADDED = "cases.action.added", _("Action added")
    ACTION_UPDATED = "cases.action.updated", _("Action updated")
    SERVICE_RECORDED = "cases.service.recorded", _("Service recorded")
    NOTE_ADDED = "cases.note.added", _("Case note added")
    NOTES_LISTED = "cases.note.listed", _("Case notes listed")
    ATTACHMENT_ADDED = "cases.attachment.added", _("Attachment added")
    ATTACHMENT_DOWNLOADED = "cases.attachment.downloaded", _("Attachment downloaded")
    CONFERENCE_RECORDED = "cases.conference.recorded", _("Case conference recorded")
    PLACEMENT_STARTED = "cases.placement.started", _("Placement started")
    PLACEMENT_ENDED = "cases.placement.ended", _("Placement ended")
    REINTEGRATED = "cases.case.reintegrated", _("Child reunified with family")
    FOLLOW_UP_RECORDED = "cases.follow_up.recorded", _("Follow-up visit recorded")
    APPROVAL_DECIDED = "cases.approval.decided", _("Approval decided")
    TYPE_SAVED = "cases.case_type.saved", _("Case type saved")
    INSTRUMENT_SAVED = "cases.instrument.saved", _("Assessment instrument saved")
    CONFIGURATION_SEEDED = "cases.configuration.seeded", _("Standard case types loaded")
    ALERTS_SENT = "cases.alerts.sent", _("Overdue alerts sent")


class IdentificationSource(models.TextChoices):
    VOLUNTEER = "volunteer", _("Community volunteer")
    CCWC = "ccwc", _("Commune committee for women and children")
    TEACHER = "teacher", _("Teacher or school")
    POLICE = "police", _("Police")
    HOTLINE = "hotline", _("Child helpline")
    LABOUR_COMMITTEE = "labour_committee", _("Child labour monitoring committee")
    HEALTH = "health", _("Health worker")
    FAMILY = "family", _("Family or the child")
    EARLY_WARNING = "early_warning", _("School dropout early warning")
    OTHER_ORGANISATION = "other_organisation", _("Another organisation")
    OTHER = "other", _("Other")


class DetailsKind(models.TextChoices):
    """Which type-specific section a case type carries."""

    NONE = "", _("None")
    CHILD_LABOUR = "child_labour", _("Child labour: workplace, hazards, hours")
    TRAFFICKING = "trafficking", _("Trafficking and migration: route, destination, legal case")
    VIOLENCE = "violence", _("Violence: safety plan")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class InstrumentKind(models.TextChoices):
    CHECKLIST = "checklist", _("Danger-factor checklist (risk level)")
    CSI = "csi", _("Child Status Index (12 domains, 1–4)")
    READINESS = "readiness", _("Reintegration readiness")


class AssessmentResult(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")
    READY = "ready", _("Ready for reintegration")
    NOT_READY = "not_ready", _("Not ready for reintegration")


class CSIDomain(models.TextChoices):
    """The Child Status Index domains as OSCaR codes them (scored 1 very poor … 4 good)."""

    FOOD_SECURITY = "1A", _("Food security")
    NUTRITION = "1B", _("Nutrition and growth")
    SHELTER = "2A", _("Shelter")
    CARE = "2B", _("Care")
    ABUSE = "3A", _("Abuse and exploitation")
    LEGAL = "3B", _("Legal protection")
    WELLNESS = "4A", _("Wellness")
    HEALTH_CARE = "4B", _("Health-care services")
    EMOTIONAL = "5A", _("Emotional health")
    SOCIAL = "5B", _("Social behaviour")
    PERFORMANCE = "6A", _("Performance")
    EDUCATION_WORK = "6B", _("Work and education")


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ServiceType(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    HEALTHCARE = "healthcare", _("Healthcare")
    TRAUMA_COUNSELLING = "trauma_counselling", _("Trauma counselling")
    LEGAL_AID = "legal_aid", _("Legal aid")
    EDUCATION_SUPPORT = "education_support", _("Education support")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    FAMILY_SUPPORT = "family_support", _("Family support")
    CASH_SUPPORT = "cash_support", _("Cash support")
    MATERIAL_SUPPORT = "material_support", _("Material support")


class Currency(models.TextChoices):
    KHR = "KHR", _("Riel")
    USD = "USD", _("US dollar")


class InteractionType(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    OFFICE_VISIT = "office_visit", _("Office visit")
    PHONE = "phone", _("Phone call")
    SCHOOL_VISIT = "school_visit", _("School visit")
    THIRD_PARTY = "third_party", _("With a third party")


class PlacementType(models.TextChoices):
    """Alternative care; EC/KC/FC are the OSCaR codes of the first three."""

    EMERGENCY_SHELTER = "emergency_shelter", _("Emergency shelter")
    KINSHIP = "kinship", _("Kinship care")
    FOSTER = "foster", _("Foster care")
    RESIDENTIAL = "residential", _("Residential care")
    INDEPENDENT = "independent", _("Independent living")


class FollowUpOutcome(models.TextChoices):
    DOING_WELL = "doing_well", _("Doing well")
    NEEDS_SUPPORT = "needs_support", _("Needs some support")
    AT_RISK = "at_risk", _("At risk again")
    NOT_FOUND = "not_found", _("Could not be found")


class ClosureReason(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", _("Case plan goals achieved")
    REINTEGRATED = "reintegrated", _("Reintegrated with family and stable")
    NO_CONCERN = "no_concern", _("No protection concern found at screening")
    TRANSFERRED = "transferred", _("Transferred to another organisation or the government")
    MOVED_AWAY = "moved_away", _("Family moved away, cannot be reached")
    REFUSED = "refused", _("Child or family refused services")
    AGED_OUT = "aged_out", _("Reached 18 and no longer needs services")
    DIED = "died", _("Child died")
    OTHER = "other", _("Other")


class ApprovalKind(models.TextChoices):
    CASE_PLAN = "case_plan", _("Case plan")
    CLOSURE = "closure", _("Closure")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class WorkplaceType(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    BRICK_KILN = "brick_kiln", _("Brick kiln")
    GARBAGE_DUMP = "garbage_dump", _("Garbage dump")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    OTHER = "other", _("Other")


class Hazard(models.TextChoices):
    HEAVY_LOADS = "heavy_loads", _("Heavy loads")
    CHEMICALS = "chemicals", _("Chemicals or pesticides")
    HEAT_FIRE = "heat_fire", _("Heat, fire or kilns")
    MACHINERY = "machinery", _("Machinery or sharp tools")
    NIGHT_WORK = "night_work", _("Night work")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    ISOLATION = "isolation", _("Isolated from family")
    WASTE = "waste", _("Waste and sharp debris")


class Destination(models.TextChoices):
    OTHER_PROVINCE = "other_province", _("Another province")
    THAILAND = "thailand", _("Thailand")
    OTHER_COUNTRY = "other_country", _("Another country")


class LegalCaseStatus(models.TextChoices):
    NONE = "none", _("No complaint filed")
    COMPLAINT = "complaint", _("Complaint filed")
    INVESTIGATION = "investigation", _("Under investigation")
    COURT = "court", _("Before the court")
    JUDGMENT = "judgment", _("Judgment given")
    DROPPED = "dropped", _("Dropped")


class MosvyForm(models.IntegerChoices):
    """The six MoSVY case-management forms (as in OSCaR's government forms)."""

    INITIAL = 1, _("Form 1: initial information")
    ASSESSMENT = 2, _("Form 2: family preservation assessment")
    CARE_PLAN = 3, _("Form 3: family service and care plan")
    PLACEMENT = 4, _("Form 4: placement and reintegration")
    FOLLOW_UP = 5, _("Form 5: follow-up")
    CLOSURE = 6, _("Form 6: case closure")
