"""The vocabulary of pregnancies and births: the controlled lists a worker chooses from, and
the schedule of antenatal and postnatal contacts the reminders follow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Naegele's rule: the due date is 280 days (40 weeks) after the first day of the last period.
PREGNANCY_DAYS = 280
# A pregnancy still "ongoing" this long after its due date is past any possible term: the
# forms refuse a last period that far back.
LONGEST_PREGNANCY_DAYS = 44 * 7

# Focused antenatal care: the week of pregnancy by which each of the first four contacts is
# due (first before 16 weeks, then by 28, 32 and 36). ANC4+ counts every contact after.
ANC_DUE_WEEK = {1: 16, 2: 28, 3: 32, 4: 36}
ANC_COUNTED = 4


class PregnancyStatus(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    DELIVERED = "delivered", _("Delivered")
    LOST = "lost", _("Pregnancy lost")


class DangerSign(models.TextChoices):
    """Danger signs in pregnancy and after birth that send a woman to a health facility now."""

    BLEEDING = "bleeding", _("Vaginal bleeding")
    SEVERE_HEADACHE = "severe_headache", _("Severe headache")
    BLURRED_VISION = "blurred_vision", _("Blurred vision")
    CONVULSIONS = "convulsions", _("Convulsions or fits")
    FEVER = "fever", _("Fever")
    REDUCED_MOVEMENT = "reduced_movement", _("Baby moving less or not at all")
    SWELLING = "swelling", _("Swelling of the face or hands")
    ABDOMINAL_PAIN = "abdominal_pain", _("Severe abdominal pain")
    BREATHING = "breathing", _("Difficulty breathing")
    WATERS = "waters", _("Waters breaking before labour")


class CarePlace(models.TextChoices):
    FACILITY = "facility", _("Health facility")
    HOME = "home", _("At home")
    OUTREACH = "outreach", _("Outreach or village visit")


class BirthPlace(models.TextChoices):
    FACILITY = "facility", _("Health facility")
    HOME = "home", _("At home")


class BirthOutcome(models.TextChoices):
    LIVE_BIRTH = "live_birth", _("Live birth")
    STILLBIRTH = "stillbirth", _("Stillbirth")
    MISCARRIAGE = "miscarriage", _("Miscarriage")


class BirthAttendant(models.TextChoices):
    DOCTOR = "doctor", _("Doctor")
    MIDWIFE = "midwife", _("Midwife")
    NURSE = "nurse", _("Nurse")
    TRADITIONAL = "traditional", _("Traditional birth attendant")
    RELATIVE = "relative", _("Relative or neighbour")
    NONE = "none", _("No one")


SKILLED_ATTENDANTS = (BirthAttendant.DOCTOR, BirthAttendant.MIDWIFE, BirthAttendant.NURSE)


class PostnatalWindow(models.TextChoices):
    """When a postnatal contact fell, counted in days from the birth."""

    FIRST_48_HOURS = "first_48_hours", _("Within 48 hours")
    DAYS_3_7 = "days_3_7", _("Day 3 to 7")
    WEEK_6 = "week_6", _("Around 6 weeks")
    OTHER = "other", _("Another day")


# (first day, last day) after the birth of each window; the 6-week contact is accepted from
# the fifth to the eighth week.
POSTNATAL_DAYS = {
    PostnatalWindow.FIRST_48_HOURS: (0, 2),
    PostnatalWindow.DAYS_3_7: (3, 7),
    PostnatalWindow.WEEK_6: (35, 56),
}


class PlanningMethod(models.TextChoices):
    NONE = "none", _("No method for now")
    PILL = "pill", _("Pill")
    INJECTABLE = "injectable", _("Injectable")
    IMPLANT = "implant", _("Implant")
    IUD = "iud", _("IUD")
    CONDOM = "condom", _("Condom")
    LACTATIONAL = "lactational", _("Breastfeeding method (LAM)")
    STERILISATION = "sterilisation", _("Sterilisation")
    NATURAL = "natural", _("Natural method")
    OTHER = "other", _("Other")


class MaternalAction(models.TextChoices):
    PREGNANCY_REGISTERED = "maternal.pregnancy.registered", _("Pregnancy registered")
    PREGNANCY_CHANGED = "maternal.pregnancy.changed", _("Pregnancy changed")
    ANC_RECORDED = "maternal.anc.recorded", _("Antenatal visit recorded")
    DANGER_REFERRED = "maternal.anc.referred", _("Woman with a danger sign referred")
    BIRTH_RECORDED = "maternal.birth.recorded", _("Birth recorded")
    NEWBORN_REGISTERED = "maternal.newborn.registered", _("Newborn registered")
    PNC_RECORDED = "maternal.pnc.recorded", _("Postnatal visit recorded")
    PLANNING_RECORDED = "maternal.planning.recorded", _("Family planning counselling recorded")
    PREGNANCY_VIEWED = "maternal.pregnancy.viewed", _("Pregnancy seen")
    PREGNANCIES_LISTED = "maternal.pregnancy.listed", _("Pregnancies listed")
    WOMAN_VIEWED = "maternal.woman.viewed", _("A woman's record seen to register her pregnancy")
