"""The vocabulary of youth employment: schooling reached, skills (a controlled list; a profile
may add its own words), documents held, offers, how a course ended, and follow-ups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EducationLevel(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational training")
    HIGHER = "higher", _("University")


class Skill(models.TextChoices):
    """Skills employers ask for and vocational courses teach, shared by profiles and offers so
    that matching compares codes, not spellings."""

    SEWING = "sewing", _("Sewing")
    HAIRDRESSING = "hairdressing", _("Hairdressing and beauty")
    COOKING = "cooking", _("Cooking")
    HOSPITALITY = "hospitality", _("Hotel and restaurant service")
    MOTORBIKE_REPAIR = "motorbike_repair", _("Motorbike repair")
    ELECTRICAL = "electrical", _("Electrical wiring")
    CONSTRUCTION = "construction", _("Building and masonry")
    WELDING = "welding", _("Welding")
    COMPUTER = "computer", _("Computer use")
    ENGLISH = "english", _("English")
    SALES = "sales", _("Selling and customer service")
    AGRICULTURE = "agriculture", _("Farming and animal raising")
    DRIVING = "driving", _("Driving")


class DocumentKind(models.TextChoices):
    ID_CARD = "id_card", _("National ID card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    CERTIFICATE = "certificate", _("Course or school certificate")
    OTHER = "other", _("Other document")


class OfferKind(models.TextChoices):
    INTERNSHIP = "internship", _("Internship")
    JOB = "job", _("Job")


class Currency(models.TextChoices):
    RIEL = "KHR", _("Riel")
    DOLLAR = "USD", _("US dollar")


class CourseOutcome(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    DROPPED_OUT = "dropped_out", _("Dropped out")


class PlacementStatus(models.TextChoices):
    WORKING = "working", _("Working")
    ENDED = "ended", _("Ended")


class Satisfaction(models.TextChoices):
    HAPPY = "happy", _("Satisfied")
    NEUTRAL = "neutral", _("Neither satisfied nor unhappy")
    UNHAPPY = "unhappy", _("Not satisfied")


class Nearness(models.IntegerChoices):
    """How near an offer is to where the young person lives (smaller is nearer)."""

    COMMUNE = 1, _("In the same commune")
    DISTRICT = 2, _("In the same district")
    PROVINCE = 3, _("In the same province")
    FURTHER = 4, _("In another province")


class YouthAgeBand(models.TextChoices):
    YOUNGER = "15-17", _("15–17 years")
    OLDER = "18-24", _("18–24 years")


# Follow-ups after a placement starts, in months.
FOLLOW_UP_MONTHS = (3, 6)
YOUTH_AGES = (15, 24)


def youth_age_band(age: int | None) -> str | None:
    if age is None or age < YOUTH_AGES[0] or age > YOUTH_AGES[1]:
        return None
    return YouthAgeBand.YOUNGER if age < 18 else YouthAgeBand.OLDER


class EmploymentAction(models.TextChoices):
    PROFILE_CREATED = "employment.profile.created", _("Youth profile created")
    PROFILE_UPDATED = "employment.profile.updated", _("Youth profile changed")
    PROFILE_VIEWED = "employment.profile.viewed", _("Youth profile seen")
    DOCUMENT_ADDED = "employment.document.added", _("Document of a young person recorded")
    COURSE_CREATED = "employment.course.created", _("Vocational course created")
    COURSE_RESULT = "employment.course.result", _("Course completion recorded")
    OFFER_CREATED = "employment.offer.created", _("Offer recorded")
    OFFER_CLOSED = "employment.offer.closed", _("Offer closed")
    EMPLOYER_ADDED = "employment.employer.added", _("Employer added to the directory")
    PLACED = "employment.placement.created", _("Young person placed")
    PLACEMENT_ENDED = "employment.placement.ended", _("Placement ended")
    FOLLOWED_UP = "employment.placement.followed_up", _("Placement followed up")
    LISTED = "employment.listed", _("Young people listed")
