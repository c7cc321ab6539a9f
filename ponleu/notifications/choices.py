from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notice is about, shown before its message in the inbox. The kinds the issue of
    the "Today" home page named have their own; everything else is information."""

    BREAK_GLASS = "break_glass", _("Emergency access opened")
    CASE_ASSIGNED = "case_assigned", _("Case assigned")
    APPROVAL_ASKED = "approval_asked", _("Approval asked")
    REFERRAL_RECEIVED = "referral_received", _("Referral received")
    PUPIL_FLAGGED = "pupil_flagged", _("Pupils flagged")
    INFO = "info", _("Information")
