from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolLevel(models.TextChoices):
    """Cambodia's 6+3+3 system; general secondary schools teach grades 7 to 12 together."""

    PRIMARY = "primary", _("Primary (grades 1–6)")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary (grades 7–9)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary (grades 10–12)")
    SECONDARY = "secondary", _("General secondary (grades 7–12)")


GRADES = {
    SchoolLevel.PRIMARY: range(1, 7),
    SchoolLevel.LOWER_SECONDARY: range(7, 10),
    SchoolLevel.UPPER_SECONDARY: range(10, 13),
    SchoolLevel.SECONDARY: range(7, 13),
}


class AttendanceStatus(models.TextChoices):
    """One letter per day in a month's register (the engine's STATUS_LETTERS: '.PALE')."""

    NONE = ".", _("Not recorded")
    PRESENT = "P", _("Present")
    ABSENT = "A", _("Absent")
    LATE = "L", _("Late")
    EXCUSED = "E", _("Excused")


RECORDED_STATUSES = ("P", "A", "L", "E")


class CalendarDayKind(models.TextChoices):
    PUBLIC_HOLIDAY = "public_holiday", _("Public holiday")
    CLOSURE = "closure", _("School closed")
    SCHOOL_DAY = "school_day", _("School day (make-up or holiday worked)")


class CalendarDaySource(models.TextChoices):
    HOLIDAYS = "holidays", _("Public holiday list")
    ADMIN = "admin", _("Set by an administrator")


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    TRANSFERRED = "transferred", _("Transferred to another school")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    COMPLETED = "completed", _("Completed the year, promoted")
    REPEATED = "repeated", _("Completed the year, repeats the grade")


LEFT_STATUSES = (EnrolmentStatus.TRANSFERRED, EnrolmentStatus.DROPPED_OUT)
END_OF_YEAR_STATUSES = (EnrolmentStatus.COMPLETED, EnrolmentStatus.REPEATED)


class DropoutReason(models.TextChoices):
    WORK = "work", _("Working to earn money for the household")
    HOUSEHOLD_CHORES = "household", _("Needed at home (chores, younger children)")
    MIGRATION = "migration", _("Family moved or migrated for work")
    COST = "cost", _("Cost of schooling")
    DISTANCE = "distance", _("School too far away")
    ILLNESS = "illness", _("Illness or disability")
    MARRIAGE = "marriage", _("Marriage")
    LOW_RESULTS = "results", _("Low results or repeated failure")
    NOT_INTERESTED = "interest", _("Lost interest in school")
    UNKNOWN = "unknown", _("Not known")
    OTHER = "other", _("Other")


class EnrolmentEventKind(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    TRANSFERRED_IN = "transferred_in", _("Arrived by transfer")
    TRANSFERRED_OUT = "transferred_out", _("Transferred to another school")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    RETURNED = "returned", _("Returned to school")
    COMPLETED = "completed", _("Completed the year, promoted")
    REPEATED = "repeated", _("Completed the year, repeats the grade")


class AssessmentKind(models.TextChoices):
    MONTHLY_TEST = "monthly", _("Monthly test")
    SEMESTER_EXAM = "semester", _("Semester exam")


class Subject(models.TextChoices):
    KHMER = "khmer", _("Khmer")
    MATHS = "maths", _("Mathematics")
    SCIENCE = "science", _("Science")
    SOCIAL_STUDIES = "social", _("Social studies")
    ENGLISH = "english", _("English")
    PHYSICS = "physics", _("Physics")
    CHEMISTRY = "chemistry", _("Chemistry")
    BIOLOGY = "biology", _("Biology")
    HISTORY = "history", _("History")
    GEOGRAPHY = "geography", _("Geography")
    MORALS = "morals", _("Morals and civics")
    PHYSICAL_EDUCATION = "pe", _("Physical education")
    OTHER = "other", _("Other")


# Failing one of these is a warning sign in every published early-warning index.
CORE_SUBJECTS = (Subject.KHMER, Subject.MATHS)


class IncidentType(models.TextChoices):
    SKIPPING_CLASS = "skipping", _("Left school or skipped class")
    FIGHTING = "fighting", _("Fighting")
    BULLYING = "bullying", _("Bullying others")
    DISRESPECT = "disrespect", _("Disrespect towards a teacher")
    DAMAGE = "damage", _("Damage to property")
    SUBSTANCES = "substances", _("Alcohol, drugs or tobacco")
    OTHER = "other", _("Other")


class IncidentSeverity(models.IntegerChoices):
    MINOR = 1, _("Minor")
    SERIOUS = 2, _("Serious")
    GRAVE = 3, _("Grave")


class EducationAction(models.TextChoices):
    """Audit action names (``<app>.<entity>.<past verb>``)."""

    SCHOOL_CREATED = "education.school.created", _("School created")
    SCHOOL_UPDATED = "education.school.updated", _("School updated")
    SCHOOL_VIEWED = "education.school.viewed", _("School viewed")
    YEAR_CREATED = "education.year.created", _("Academic year created")
    YEAR_UPDATED = "education.year.updated", _("Academic year updated")
    YEAR_VIEWED = "education.year.viewed", _("Academic year viewed")
    TERM_SAVED = "education.term.saved", _("Term dates saved")
    CALENDAR_DAY_SET = "education.calendar.day_set", _("School calendar day set")
    CALENDAR_DAY_REMOVED = "education.calendar.day_removed", _("School calendar day removed")
    CLASS_CREATED = "education.class.created", _("Class created")
    CLASS_UPDATED = "education.class.updated", _("Class updated")
    ENROLLED = "education.enrolment.created", _("Pupil enrolled")
    ENROLMENT_CHANGED = "education.enrolment.changed", _("Enrolment status changed")
    ROLL_CALL_TAKEN = "education.attendance.taken", _("Roll call taken")
    ATTENDANCE_CORRECTED = "education.attendance.corrected", _("Past attendance corrected")
    ATTENDANCE_IMPORTED = "education.attendance.imported", _("Attendance imported")
    ROLL_CALL_VIEWED = "education.attendance.viewed", _("Roll call opened")
    ASSESSMENT_SAVED = "education.assessment.saved", _("Test scores saved")
    MARKS_VIEWED = "education.assessment.viewed", _("Test scores viewed")
    INCIDENT_RECORDED = "education.incident.recorded", _("Behaviour incident recorded")
    CLASS_LISTED = "education.class.listed", _("Classes listed")
