from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


LEVEL_CODE_LENGTH = {
    AdminLevel.PROVINCE: 2,
    AdminLevel.DISTRICT: 4,
    AdminLevel.COMMUNE: 6,
    AdminLevel.VILLAGE: 8,
}
