from django.db import models
from django.utils.translation import gettext_lazy as _


class Finding(models.TextChoices):
    """What the growth standards engine concludes from one measurement (its names)."""

    SAM = "sam", _("Severe acute malnutrition")
    MAM = "mam", _("Moderate acute malnutrition")
    SEVERE_WASTING = "severe_wasting", _("Severe wasting")
    WASTING = "wasting", _("Wasting")
    SEVERE_STUNTING = "severe_stunting", _("Severe stunting")
    STUNTING = "stunting", _("Stunting")
    SEVERE_UNDERWEIGHT = "severe_underweight", _("Severe underweight")
    UNDERWEIGHT = "underweight", _("Underweight")
    OVERWEIGHT = "overweight", _("Overweight")
    OBESE = "obese", _("Obese")
    SEVERE_THINNESS = "severe_thinness", _("Severe thinness")
    THINNESS = "thinness", _("Thinness")


class Indicator(models.TextChoices):
    WFA = "wfa", _("Weight-for-age")
    LHFA = "lhfa", _("Length/height-for-age")
    WFLH = "wflh", _("Weight-for-length/height")
    BMIFA = "bmifa", _("BMI-for-age")
    MUACFA = "muacfa", _("MUAC-for-age")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("In follow-up")
    RECOVERED = "recovered", _("Recovered")
    ESCALATED = "escalated", _("Became severe")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("To refer")
    REFERRED = "referred", _("Referred")


class NutritionAction(models.TextChoices):
    MEASUREMENT_RECORDED = "nutrition.measurement.recorded", _("Growth measurement recorded")
    MEASUREMENT_CORRECTED = "nutrition.measurement.corrected", _("Growth measurement corrected")
    MEASUREMENTS_VIEWED = "nutrition.measurements.viewed", _("Growth measurements seen")
    SAM_ALERT_RAISED = "nutrition.sam.raised", _("Severe acute malnutrition alert raised")
    SAM_REFERRED = "nutrition.sam.referred", _("Child with severe acute malnutrition referred")
    FOLLOW_UP_STARTED = "nutrition.follow_up.started", _("Nutrition follow-up started")
    FOLLOW_UP_ENDED = "nutrition.follow_up.ended", _("Nutrition follow-up ended")
