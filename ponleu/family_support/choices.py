"""The household method's vocabulary: the six areas of need, how serious each is, and the
directory services that usually answer each."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.referrals.choices import ServiceType


class NeedDomain(models.TextChoices):
    HEALTH = "health", _("Health")
    DOCUMENTS = "documents", _("Civil documents")
    SCHOOLING = "schooling", _("Schooling")
    INCOME = "income", _("Income")
    HOUSING = "housing", _("Housing")
    SAFETY = "safety", _("Safety")


class NeedLevel(models.TextChoices):
    NONE = "none", _("No need")
    SOME = "some", _("Some need")
    SERIOUS = "serious", _("Serious need")
    URGENT = "urgent", _("Urgent need")


class PlanStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    GRADUATED = "graduated", _("Graduated")


# The directory services that usually answer each need, the first the most common.
DOMAIN_SERVICES = {
    NeedDomain.HEALTH: (
        ServiceType.PRIMARY_HEALTH,
        ServiceType.HOSPITAL_CARE,
        ServiceType.NUTRITION,
        ServiceType.DISABILITY,
        ServiceType.COUNSELLING,
    ),
    NeedDomain.DOCUMENTS: (ServiceType.DOCUMENTS,),
    NeedDomain.SCHOOLING: (ServiceType.SCHOOL_ENROLMENT, ServiceType.VOCATIONAL),
    NeedDomain.INCOME: (ServiceType.SOCIAL_ASSISTANCE, ServiceType.VOCATIONAL),
    NeedDomain.HOUSING: (ServiceType.SHELTER, ServiceType.SOCIAL_ASSISTANCE),
    NeedDomain.SAFETY: (
        ServiceType.COUNSELLING,
        ServiceType.LEGAL_AID,
        ServiceType.POLICE_REPORT,
        ServiceType.SHELTER,
        ServiceType.FAMILY_TRACING,
    ),
}


class SupportAction(models.TextChoices):
    PLAN_STARTED = "family_support.plan.started", _("Family support plan started")
    NEED_CHANGED = "family_support.need.changed", _("Household need changed")
    NEED_REFERRED = "family_support.need.referred", _("Household need referred to a service")
    VISIT_RECORDED = "family_support.visit.recorded", _("Follow-up visit recorded")
    PLAN_GRADUATED = "family_support.plan.graduated", _("Household graduated from family support")
    PLAN_VIEWED = "family_support.plan.viewed", _("Family support plan seen")
    PLANS_LISTED = "family_support.plan.listed", _("Family support plans listed")
