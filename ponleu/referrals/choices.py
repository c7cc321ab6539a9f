from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.registry.choices import DataCategory, ProviderKind

__all__ = ["ProviderKind"]


class ServiceType(models.TextChoices):
    PRIMARY_HEALTH = "primary_health", _("Primary health care")
    HOSPITAL_CARE = "hospital_care", _("Hospital care")
    COUNSELLING = "counselling", _("Trauma counselling and mental health")
    SCHOOL_ENROLMENT = "school_enrolment", _("School enrolment and catch-up")
    DOCUMENTS = "documents", _("Birth registration and documents")
    SOCIAL_ASSISTANCE = "social_assistance", _("Cash transfer and social assistance")
    LEGAL_AID = "legal_aid", _("Legal aid")
    POLICE_REPORT = "police_report", _("Reporting a crime")
    SHELTER = "shelter", _("Emergency shelter")
    VOCATIONAL = "vocational", _("Vocational training")
    FAMILY_TRACING = "family_tracing", _("Family tracing and reunification")
    DISABILITY = "disability", _("Disability support and rehabilitation")
    NUTRITION = "nutrition", _("Nutrition")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    LOW = "low", _("Low cost")
    PAID = "paid", _("Paid")


class Accessibility(models.TextChoices):
    STEP_FREE = "step_free", _("Step-free entrance")
    SIGN_LANGUAGE = "sign_language", _("Sign language")
    CHILD_FRIENDLY = "child_friendly", _("Child-friendly room")
    FEMALE_STAFF = "female_staff", _("Female staff available")


class DirectoryAction(models.TextChoices):
    PROVIDER_CREATED = "directory.provider_created", _("Service provider added")
    PROVIDER_CHANGED = "directory.provider_changed", _("Service provider changed")
    PROVIDER_REPORTED = "directory.provider_reported", _("Service provider reported wrong")


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SERVICE_STARTED = "service_started", _("Service started")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


FINAL_STATUSES = (ReferralStatus.CLOSED, ReferralStatus.WITHDRAWN)
# While a referral is in these, the receiving organisation sees the shared record.
SHARING_STATUSES = (
    ReferralStatus.SENT,
    ReferralStatus.ACKNOWLEDGED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.SERVICE_STARTED,
    ReferralStatus.COMPLETED,
    ReferralStatus.NOT_COMPLETED,
)


class ReferralEvent(models.TextChoices):
    SEND = "send", _("Send")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    START_SERVICE = "start_service", _("Service started")
    COMPLETE = "complete", _("Completed")
    NOT_COMPLETE = "not_complete", _("Not completed")
    CLOSE = "close", _("Close")
    WITHDRAW = "withdraw", _("Withdraw")


class ReferralOrigin(models.TextChoices):
    CASE = "case", _("A case")
    RISK_FLAG = "risk_flag", _("A dropout-risk flag")
    HOUSEHOLD = "household", _("Family support for a household")
    REGISTRY = "registry", _("A registry record")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency (within 24 hours)")


class LegalException(models.TextChoices):
    IMMINENT_DANGER = "imminent_danger", _("The child is in imminent danger")
    COURT_ORDER = "court_order", _("A court order")


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No place or capacity")
    NOT_ELIGIBLE = "not_eligible", _("Does not meet the criteria")
    OUTSIDE_AREA = "outside_area", _("Outside our area")
    FAMILY_REFUSED = "family_refused", _("The family did not want it")
    OTHER = "other", _("Other")


class SharedField(models.TextChoices):
    """What the referring worker may choose to show the receiving organisation."""

    NAME = "name", _("Name")
    SEX = "sex", _("Sex")
    AGE = "age", _("Age")
    VILLAGE = "village", _("Village")
    REASON = "reason", _("Reason for referral")
    URGENCY = "urgency", _("Urgency")
    REFERRER_CONTACT = "referrer_contact", _("Referring worker's contact")
    PHONE = "phone", _("Family's phone number")
    NOTES = "notes", _("Case notes")
    HEALTH = "health", _("Health and disability")
    SENSITIVE = "sensitive", _("Sensitive details")


DEFAULT_SHARED_FIELDS = (
    SharedField.NAME,
    SharedField.SEX,
    SharedField.AGE,
    SharedField.VILLAGE,
    SharedField.REASON,
    SharedField.URGENCY,
    SharedField.REFERRER_CONTACT,
)

# Which consent category each field needs; the referring worker's own contact needs none.
FIELD_CATEGORY = {
    SharedField.NAME: DataCategory.BASIC,
    SharedField.SEX: DataCategory.BASIC,
    SharedField.AGE: DataCategory.BASIC,
    SharedField.VILLAGE: DataCategory.BASIC,
    SharedField.REASON: DataCategory.REASON,
    SharedField.URGENCY: DataCategory.REASON,
    SharedField.PHONE: DataCategory.CONTACT,
    SharedField.NOTES: DataCategory.NOTES,
    SharedField.HEALTH: DataCategory.HEALTH,
    SharedField.SENSITIVE: DataCategory.SENSITIVE,
}


class ReferralAction(models.TextChoices):
    CREATED = "referral.created", _("Referral drafted")
    SENT = "referral.sent", _("Referral sent")
    MOVED = "referral.moved", _("Referral moved on")
    WITHDRAWN = "referral.withdrawn", _("Referral withdrawn")
    EXCEPTION_APPROVED = "referral.exception_approved", _("Legal exception approved")
    SHARING_ENDED = "referral.sharing_ended", _("Sharing ended")
    RECEIVED = "referral.received", _("Referred child taken into our registry")
