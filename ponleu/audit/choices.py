from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Writes and reads recorded by the audit and access apps themselves."""

    BREAK_GLASS_OPENED = "access.break_glass.opened", _("Emergency access opened")
    BREAK_GLASS_FORM_VIEWED = "access.break_glass.form_viewed", _("Emergency access form opened")
    PERSON_ACCESS_VIEWED = "audit.person_access.viewed", _("Access log of a person viewed")
    EVENT_LIST_VIEWED = "audit.event_list.viewed", _("Audit trail viewed")
