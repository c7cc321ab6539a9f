"""Who may read risk and act on flags: the class's distance from the actor, as in education.

Risk scores are read with ``ews.view_scores`` (a teacher: own classes; caseworkers and
supervisors: their areas; M&E: the organisation) and flags decided with ``ews.review``.
"""

from __future__ import annotations

from ponleu.access.actors import Actor
from ponleu.education.policies import class_relationship


def can_view_scores(actor: Actor, school_class) -> bool:
    return actor.allows("ews.view_scores", class_relationship(actor, school_class))


def can_review(actor: Actor, flag) -> bool:
    return actor.allows("ews.review", class_relationship(actor, flag.school_class))
