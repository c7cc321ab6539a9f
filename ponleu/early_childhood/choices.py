"""The vocabulary of early childhood work: kinds of nursery, the childcare a factory provides,
the domains of child development and the actions the audit log names."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NurseryKind(models.TextChoices):
    FACTORY = "factory", _("Factory nursery")
    PRESCHOOL = "preschool", _("Community preschool")
    RESOURCE_CENTRE = "resource_centre", _("Early childhood resource centre")


class Childcare(models.TextChoices):
    """What a factory does about the childcare the labour law asks of it."""

    ON_SITE = "on_site", _("Nursery on site")
    PAID_ELSEWHERE = "paid_elsewhere", _("Pays for childcare elsewhere")
    NONE = "none", _("No childcare")


class Domain(models.TextChoices):
    GROSS_MOTOR = "gross_motor", _("Gross motor")
    FINE_MOTOR = "fine_motor", _("Fine motor")
    LANGUAGE = "language", pgettext_lazy("development domain", "Language")
    SOCIAL_EMOTIONAL = "social_emotional", _("Social and emotional")
    COGNITIVE = "cognitive", _("Cognitive")


class InstrumentSource(models.TextChoices):
    OWN = "own", _("The organisation's own")
    NATIONAL = "national", _("National")


class EarlyChildhoodAction(models.TextChoices):
    NURSERY_CREATED = "early_childhood.nursery.created", _("Nursery opened")
    NURSERY_VIEWED = "early_childhood.nursery.viewed", _("Nursery seen")
    FACTORY_CREATED = "early_childhood.factory.created", _("Factory recorded")
    FACTORY_CHECKED = "early_childhood.factory.checked", _("Factory's childcare checked")
    INSTRUMENT_CREATED = "early_childhood.instrument.created", _("Development instrument created")
    INSTRUMENT_CHANGED = "early_childhood.instrument.changed", _("Development instrument changed")
    CHECK_RECORDED = "early_childhood.check.recorded", _("Development check recorded")
    CHECK_CORRECTED = "early_childhood.check.corrected", _("Development check corrected")
    CHECK_VIEWED = "early_childhood.check.viewed", _("Development checks seen")
