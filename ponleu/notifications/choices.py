from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    BREAK_GLASS = "break_glass", _("Emergency access opened")
    INFO = "info", _("Information")
