"""Who may act on a class or school, and whose names a page may show.

A class stands to a member as *own* when the member is its homeroom teacher, *area* when its
school lies in one of the member's areas, and *organisation* otherwise (the same reading as
``ClassScopedQuerySet.actionable_by``). A pupil's name is shown when the member may see people
at that distance (``registry.view``) or through the pupil's own registry record, and, for a
sensitive record, also holds ``registry.view_sensitive``; everyone else (an M&E officer reading
risk scores across the organisation, for example) sees initials.
"""

from __future__ import annotations

from ponleu.access.actors import Actor
from ponleu.access.policies import can_see_identity
from ponleu.access.scopes import Relationship

from .models import School, SchoolClass


def class_relationship(actor: Actor, school_class: SchoolClass, *, teacher_user_id=None) -> Relationship:
    if teacher_user_id is None and school_class.homeroom_teacher_id is not None:
        teacher_user_id = school_class.homeroom_teacher.user_id
    return actor.relationship_to(
        organisation_id=school_class.organisation_id,
        area_code=school_class.area_code,
        owner_id=teacher_user_id,
    )


def school_relationship(actor: Actor, school: School, *, teaches_here: bool = False) -> Relationship:
    relationship = actor.relationship_to(organisation_id=school.organisation_id, area_code=school.area_code)
    if teaches_here and relationship != Relationship.OUTSIDE:
        return Relationship.OWN
    return relationship


def can_take_attendance(actor: Actor, school_class: SchoolClass) -> bool:
    return actor.allows("education.take_attendance", class_relationship(actor, school_class))


def can_manage_school(actor: Actor, school: School) -> bool:
    return actor.allows("education.manage", school_relationship(actor, school))


def can_see_pupil(actor: Actor, person, relationship: Relationship) -> bool:
    """May the actor see this pupil's name, reaching them through a class at ``relationship``?"""
    own_record = actor.relationship_to_object(person)
    through_class = actor.allows("registry.view", relationship)
    if not through_class and not actor.allows("registry.view", own_record):
        return False
    return can_see_identity(actor, person, relationship=relationship if through_class else own_record)


def pupil_label(actor: Actor, person, relationship: Relationship, language: str | None = None) -> str:
    if can_see_pupil(actor, person, relationship):
        return person.display_name(language)
    return person.initials()


def label_pupils(actor: Actor, school_class: SchoolClass, rows, *, language: str | None = None) -> None:
    """Set ``row.label`` on rows that carry an ``enrolment`` of ``school_class``."""
    relationship = class_relationship(actor, school_class)
    for row in rows:
        row.label = pupil_label(actor, row.enrolment.person, relationship, language)
