"""The vocabulary of programme work: kinds of group, roles in them, age bands of a headcount,
topics of trainings and awareness events, items given out, workplaces a committee visits, and
the steps of bringing a child back to school."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupBase(models.TextChoices):
    """What a kind of group an organisation configures is, for reports across organisations."""

    CHILD_CLUB = "child_club", _("Child club")
    NON_FORMAL_CLASS = "non_formal_class", _("Non-formal class")
    REMEDIAL_CLASS = "remedial_class", _("Remedial class")
    PARENTS_ASSOCIATION = "parents_association", _("Parents' association")
    STUDENT_COUNCIL = "student_council", _("Student council")
    SELF_HELP_GROUP = "self_help_group", _("Self-help group")
    LABOUR_COMMITTEE = "labour_committee", _("Child labour monitoring committee")
    VOCATIONAL_COURSE = "vocational_course", _("Vocational course")
    OTHER = "other", _("Other group")


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    LEADER = "leader", _("Leader")
    DEPUTY = "deputy", _("Deputy leader")
    SECRETARY = "secretary", _("Secretary")
    TREASURER = "treasurer", _("Treasurer")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class AgeBand(models.TextChoices):
    UNDER_6 = "0-5", _("0–5 years")
    CHILD = "6-11", _("6–11 years")
    YOUNG_TEEN = "12-14", _("12–14 years")
    OLDER_TEEN = "15-17", _("15–17 years")
    ADULT = "18+", _("18 years and over")


class ResultLevel(models.TextChoices):
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")


class IndicatorSource(models.TextChoices):
    """Where an indicator's achieved value comes from: counted from the records tagged to the
    project, or entered by hand."""

    MANUAL = "manual", _("Entered by hand")
    CHILDREN_REACHED = "children_reached", _("Children reached")
    SESSIONS_HELD = "sessions_held", _("Group sessions held")
    EVENT_PARTICIPANTS = "event_participants", _("Participants in trainings and events")
    ITEMS_DISTRIBUTED = "items_distributed", _("Items distributed")


class EventKind(models.TextChoices):
    TRAINING = "training", _("Training")
    AWARENESS = "awareness", _("Awareness event")


class EventTopic(models.TextChoices):
    CHILD_RIGHTS = "child_rights", _("Child rights")
    TRAFFICKING = "trafficking", _("Trafficking and safe migration")
    PARENTING = "parenting", _("Positive parenting")
    DRUGS = "drugs", _("Drugs")
    MINE_RISK = "mine_risk", _("Mine risk")
    SRH = "srh", _("Sexual and reproductive health")
    CHILD_LABOUR = "child_labour", _("Child labour")
    OTHER = "other", _("Other topic")


class Audience(models.TextChoices):
    CHILDREN = "children", _("Children")
    PARENTS = "parents", _("Parents and caregivers")
    TEACHERS = "teachers", _("Teachers")
    COMMUNITY = "community", _("Community")
    AUTHORITIES = "authorities", _("Local authorities")
    STAFF = "staff", _("Staff")


class Item(models.TextChoices):
    SCHOOL_KIT = "school_kit", _("School kit")
    UNIFORM = "uniform", _("Uniform")
    BICYCLE = "bicycle", _("Bicycle")
    BREAKFAST = "breakfast", _("Breakfast")
    HYGIENE_KIT = "hygiene_kit", _("Hygiene kit")
    FOOD_BASKET = "food_basket", _("Food basket")


class Workplace(models.TextChoices):
    BRICK_KILN = "brick_kiln", _("Brick kiln")
    FARM = "farm", _("Farm")
    GARBAGE_SITE = "garbage_site", _("Garbage site")
    CONSTRUCTION = "construction", _("Construction site")
    FISHING = "fishing", _("Fishing")
    OTHER = "other", _("Other workplace")


class OutOfSchoolReason(models.TextChoices):
    WORK = "work", _("Working")
    POVERTY = "poverty", _("Cost of schooling")
    DISTANCE = "distance", _("School too far")
    DISABILITY = "disability", _("Disability")
    MIGRATION = "migration", _("Family migrated")
    NEVER_ENROLLED = "never_enrolled", _("Never enrolled")
    OTHER = "other", _("Other reason")


class FoundBy(models.TextChoices):
    OUTREACH = "outreach", _("Outreach in the village")
    REGISTRY = "registry", _("Age in the registry")
    SCHOOL_ROLL = "school_roll", _("School roll")


class ReturnPlan(models.TextChoices):
    NON_FORMAL = "non_formal", _("Non-formal class")
    RE_ENROLMENT = "re_enrolment", _("Re-enrolment")
    SCHOLARSHIP = "scholarship", _("Scholarship")


class OutOfSchoolStatus(models.TextChoices):
    OUT = "out", _("Out of school")
    RETURNED = "returned", _("Back in school")
    LEFT_AGAIN = "left_again", _("Left school again")


class ProgrammeAction(models.TextChoices):
    PROJECT_CREATED = "programmes.project.created", _("Project created")
    PROJECT_UPDATED = "programmes.project.updated", _("Project changed")
    PROJECT_VIEWED = "programmes.project.viewed", _("Project seen")
    PROJECT_TAGGED = "programmes.project.tagged", _("Record tagged to a project")
    TARGET_SET = "programmes.target.set", _("Indicator target set")
    GROUP_CREATED = "programmes.group.created", _("Group created")
    GROUP_VIEWED = "programmes.group.viewed", _("Group seen")
    MEMBER_ADDED = "programmes.member.added", _("Member joined a group")
    MEMBER_LEFT = "programmes.member.left", _("Member left a group")
    SESSION_RECORDED = "programmes.session.recorded", _("Session recorded")
    ATTENDANCE_SAVED = "programmes.session.attendance_saved", _("Session attendance saved")
    SESSION_VIEWED = "programmes.session.viewed", _("Session seen")
    EVENT_RECORDED = "programmes.event.recorded", _("Training or event recorded")
    # No service writes it now; kept so audit rows already written still read with their label.
    EVENT_PARTICIPANTS_SAVED = "programmes.event.participants_saved", _("Event participants saved")
    EVENT_VIEWED = "programmes.event.viewed", _("Training or event seen")
    STOCK_RECEIVED = "programmes.stock.received", _("Stock received")
    DISTRIBUTED = "programmes.distribution.recorded", _("Items given")
    VISIT_RECORDED = "programmes.visit.recorded", _("Workplace visit recorded")
    VISIT_VIEWED = "programmes.visit.viewed", _("Workplace visit seen")
    CHILD_SEEN_CASE = "programmes.child_seen.case_opened", _("Case opened for a child seen at work")
    OUT_OF_SCHOOL_RECORDED = "programmes.out_of_school.recorded", _("Out-of-school child recorded")
    OUT_OF_SCHOOL_RETURNED = "programmes.out_of_school.returned", _("Child back in school")
    OUT_OF_SCHOOL_FOLLOWED = "programmes.out_of_school.followed_up", _("Schooling followed up")
    OUT_OF_SCHOOL_LISTED = "programmes.out_of_school.listed", _("Out-of-school children listed")


def age_band(age: int | None) -> str:
    """The band of an age in years (a child of unknown age counts as 6–11, the commonest)."""
    if age is None:
        return AgeBand.CHILD
    if age < 6:
        return AgeBand.UNDER_6
    if age < 12:
        return AgeBand.CHILD
    if age < 15:
        return AgeBand.YOUNG_TEEN
    if age < 18:
        return AgeBand.OLDER_TEEN
    return AgeBand.ADULT
