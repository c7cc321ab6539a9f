"""Who may act on a class or school, and whose names a page may show.

A class stands to a member as *own* when the member is its homeroom teacher, *area* when its
school lies in one of the member's areas, and *organisation* otherwise (the same reading as
``SchoolClassQuerySet``). A pupil's name follows the identity policy (access/policies.py) with
the enrolment as witness: those who may see the class's pupils (``registry.view`` at that
distance) see names, a sensitive pupil only as their own record allows; everyone else (an M&E
officer reading risk scores across the organisation, for example) sees initials.
"""

from __future__ import annotations

from ponleu.access.actors import Actor
from ponleu.access.policies import can_see_identity, identity_label
from ponleu.access.scopes import Relationship

from .models import Enrolment, School, SchoolClass


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


def can_see_pupil(actor: Actor, enrolment: Enrolment) -> bool:
    """The identity policy for an enrolled pupil, the enrolment as witness: the class's
    teacher (and those reaching the class) see the pupil; a sensitive pupil only as the
    person's own record allows."""
    return can_see_identity(actor, enrolment.person, witness=enrolment)


def pupil_label(actor: Actor, enrolment: Enrolment, language: str | None = None) -> str:
    return identity_label(actor, enrolment.person, language=language, witness=enrolment)


def label_pupils(actor: Actor, school_class: SchoolClass, rows, *, language: str | None = None) -> None:
    """Set ``row.label`` on rows that carry an ``enrolment`` of ``school_class``."""
    for row in rows:
        if row.enrolment.school_class_id == school_class.pk:
            row.enrolment.school_class = school_class  # the witness's scope, already loaded
        row.label = pupil_label(actor, row.enrolment, language)
