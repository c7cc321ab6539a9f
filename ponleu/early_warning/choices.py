from django.db import models
from django.utils.translation import gettext_lazy as _


class ScoringMethod(models.TextChoices):
    RULE_INDEX = "rule_index", _("Rule index")
    MODEL = "model", _("Risk model")


class ModelStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Trained, not in use")
    ACTIVE = "active", _("In use")
    RETIRED = "retired", _("Retired")


class FlagStatus(models.TextChoices):
    AWAITING_REVIEW = "awaiting", _("Awaiting review")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed without review")


class Decision(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    SCHOLARSHIP = "scholarship", _("Scholarship")
    REMEDIAL_CLASS = "remedial_class", _("Remedial class")
    SCHOOL_MATERIALS = "school_materials", _("School materials")
    BREAKFAST = "breakfast", _("Breakfast")
    BICYCLE = "bicycle", _("Bicycle")
    CASE_REFERRAL = "case_referral", _("Referral to case management")
    NO_ACTION = "no_action", _("No action")


INTERVENTION_TYPES = [d for d in Decision if d != Decision.NO_ACTION]


class PaymentSchedule(models.TextChoices):
    ONCE = "once", _("Once")
    MONTHLY = "monthly", _("Every month")
    TERMLY = "termly", _("Every term")


class Currency(models.TextChoices):
    KHR = "KHR", _("Riel (KHR)")
    USD = "USD", _("US dollars (USD)")


class Outcome(models.TextChoices):
    """Where the child was at the end of the term after the intervention."""

    STAYED = "stayed", _("Stayed in school")
    RETURNED = "returned", _("Left, then returned to school")
    DROPPED_OUT = "dropped_out", _("Dropped out")


class EwsAction(models.TextChoices):
    """Audit action names (``<app>.<entity>.<past verb>``)."""

    SETTINGS_UPDATED = "early_warning.settings.updated", _("Rule index and capacity updated")
    SCORES_COMPUTED = "early_warning.scores.computed", _("Risk scores computed")
    SCORES_VIEWED = "early_warning.scores.viewed", _("Risk scores viewed")
    STUDENT_VIEWED = "early_warning.student.viewed", _("A student's risk viewed")
    MODEL_TRAINED = "early_warning.model.trained", _("Risk model trained")
    MODEL_ACTIVATED = "early_warning.model.activated", _("Risk model put in use")
    MODEL_RETIRED = "early_warning.model.retired", _("Risk model retired")
    FLAG_DECIDED = "early_warning.flag.decided", _("Flag reviewed and decided")
    INTERVENTION_UPDATED = "early_warning.intervention.updated", _("Intervention updated")
    OUTCOME_RECORDED = "early_warning.intervention.outcome_recorded", _("Intervention outcome recorded")
    REPORT_VIEWED = "early_warning.report.viewed", _("Effectiveness report viewed")
    HISTORY_IMPORTED = "early_warning.history.imported", _("School history imported")
