"""Who may see whose identity: the one rule lists, pages, exports and the API call.

A record marked sensitive (trafficking, sexual exploitation, gender-based violence, or by
hand) stays visible to everyone whose scope reaches it, but its names only to those who
also hold ``registry.view_sensitive`` over it, or who opened it through break-the-glass.
Everyone else sees initials. Registry, cases and every later app ask here instead of
testing ``is_sensitive`` themselves:

    label = identity_label(actor, person)            # "Sok Dara" or "S. D."
    if can_see_identity(actor, person): ...          # show date of birth, village, photo

It decides identity only: the record itself must already come from ``visible_to(actor)``.
``person`` is anything with ``is_sensitive``, ``organisation_id``, ``area_code``, ``team_id``
and ``owner_id`` (a Person; a case passes its person). Pass ``relationship`` when the caller
already knows it, e.g. from a list filtered by ``visible_to``.
"""

from __future__ import annotations

from .actors import Actor
from .scopes import Relationship

SENSITIVE_CAPABILITY = "registry.view_sensitive"


def can_see_identity(
    actor: Actor, person, *, relationship: Relationship | None = None, sensitive: bool | None = None
) -> bool:
    """True when ``actor`` may see the names and identifying details of ``person``.

    ``sensitive=True`` treats the person as sensitive whatever their own record says, for a
    record (such as a sensitive case) that makes its child sensitive.
    """
    if sensitive is None:
        sensitive = getattr(person, "is_sensitive", False)
    if not sensitive:
        return True
    if actor.has_grant(person, SENSITIVE_CAPABILITY) and person.organisation_id == actor.organisation_id:
        return True
    if relationship is None:
        relationship = actor.relationship_to_object(person)
    return actor.allows(SENSITIVE_CAPABILITY, relationship)


def identity_label(actor: Actor, person, *, language: str | None = None, relationship=None) -> str:
    """The person's name, or their initials when the actor may not see the identity."""
    if can_see_identity(actor, person, relationship=relationship):
        return person.display_name(language)
    return person.initials()
