"""The Actor under which a user's own account events (logins, enrolment, password) are audited."""

from __future__ import annotations

from ponleu.access.actors import Actor


def user_actor(user) -> Actor:
    return Actor(user_id=user.pk, username=user.username, organisation_id=None, membership_id=None, role=None)
