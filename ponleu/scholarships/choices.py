"""The vocabulary of scholarships: what a scheme gives, in which currency, how often, and the
states of applications, awards and payments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")
    BICYCLE = "bicycle", _("Bicycle")
    UNIFORM = "uniform", _("Uniform and school materials")
    BOARDING = "boarding", _("Boarding")


class Currency(models.TextChoices):
    """Amounts are whole numbers of the smallest unit: riel, or US cents."""

    KHR = "KHR", _("Riel (KHR)")
    USD = "USD", _("US dollars (USD)")


class Schedule(models.TextChoices):
    MONTHLY = "monthly", _("Every month")
    TERMLY = "termly", _("Every term")


class ApplicationSource(models.TextChoices):
    APPLICATION = "application", _("Application by the family")
    NOMINATION = "nomination", _("Nomination by staff or school")
    EARLY_WARNING = "early_warning", _("Decided on a dropout risk flag")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the committee")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    GRADUATED = "graduated", _("Graduated")


class AwardEventKind(models.TextChoices):
    AWARDED = "awarded", _("Awarded")
    SUSPENDED = "suspended", _("Suspended")
    RESUMED = "resumed", _("Resumed")
    GRADUATED = "graduated", _("Graduated")


class ConditionResult(models.TextChoices):
    NOT_CHECKED = "not_checked", _("Not checked yet")
    PASS = "pass", _("Condition met")
    FAIL = "fail", _("Condition not met")
    NO_DATA = "no_data", _("No attendance recorded")
    NONE = "none", _("No condition")


class PaymentStatus(models.TextChoices):
    DUE = "due", _("Due")
    WITHHELD = "withheld", _("Withheld")
    PAID = "paid", _("Paid")


class Channel(models.TextChoices):
    CASH = "cash", _("Cash to the caregiver")
    BANK = "bank", _("Bank transfer")
    MOBILE = "mobile", _("Mobile money")


class ScholarshipAction(models.TextChoices):
    SCHEME_CREATED = "scholarships.scheme.created", _("Scholarship scheme created")
    APPLICATION_MADE = "scholarships.application.made", _("Scholarship application recorded")
    APPLICATION_DECIDED = "scholarships.application.decided", _("Scholarship application decided")
    AWARD_CHANGED = "scholarships.award.changed", _("Scholarship award changed")
    PAYMENTS_RUN = "scholarships.payments.run", _("Scholarship payments prepared and checked")
    PAYMENT_OVERRIDDEN = "scholarships.payment.overridden", _("Scholarship condition overridden")
    PAYMENT_PAID = "scholarships.payment.paid", _("Scholarship payment recorded")
    SCHEME_VIEWED = "scholarships.scheme.viewed", _("Scholarship scheme viewed")
    HISTORY_VIEWED = "scholarships.history.viewed", _("Child's scholarships viewed")
    RECEIPT_PRINTED = "scholarships.receipt.printed", _("Scholarship receipt printed")
