"""Whose identity an actor may see: the one rule every page, partial, form, API body and file asks.

A person's identity (names, nickname, photo, phones, documents, address) is shown to an
actor when both hold:

1. **Reach.** The actor may see the person: ``registry.view`` over the person's own record,
   a break-the-glass grant on it, or a *witness*: a record the actor may see that holds this
   very person (the case a caseworker works, the enrolment in a teacher's class). The policy
   checks the witness itself (same person, same organisation, the witness's own view
   capability over it); a caller cannot vouch for it.
2. **Sensitivity.** A sensitive person (trafficking, sexual exploitation, gender-based
   violence, or marked by hand), or one reached through a sensitive case, is shown only to
   those holding ``registry.view_sensitive`` over the person, over a witness that clears
   identity (a case: its caseworker and team), or through a grant.

Everyone else sees initials. The person is always the subject: a class, a case or a household
never decides alone, so enrolling or opening a case on a child one cannot see reveals nothing
(the services refuse it), and the same child reads the same way whichever page led there.

    label = identity_label(actor, person)                  # "Sok Dara" or "S. D."
    if can_see_identity(actor, person, witness=case): ...  # show date of birth, photo

Writing the access event is the caller's selector's job (``registry.identity`` does both).
"""

from __future__ import annotations

from .actors import Actor
from .scopes import Relationship
from .scoping import relationship_of, resolve

VIEW_CAPABILITY = "registry.view"
SENSITIVE_CAPABILITY = "registry.view_sensitive"


def _witness_relationship(actor: Actor, person, witness) -> tuple[bool, Relationship, bool]:
    """(reaches the person through it, relationship to it, it clears sensitive identity)."""
    if witness is None or getattr(witness, "person_id", None) != person.pk:
        return False, Relationship.OUTSIDE, False
    if getattr(witness, "organisation_id", person.organisation_id) != person.organisation_id:
        return False, Relationship.OUTSIDE, False
    spec = resolve(type(witness))
    relationship = relationship_of(actor, witness)
    reaches = actor.allows(spec.view, relationship) or (
        witness.organisation_id == actor.organisation_id and actor.has_grant(witness, spec.view)
    )
    return reaches, relationship, reaches and spec.clears_identity


def can_see_identity(actor: Actor, person, *, witness=None) -> bool:
    """True when ``actor`` may see the names and identifying details of ``person``."""
    own = relationship_of(actor, person)
    granted = person.organisation_id == actor.organisation_id
    reaches = actor.allows(VIEW_CAPABILITY, own) or (granted and actor.has_grant(person, VIEW_CAPABILITY))
    through, witness_relationship, clears = _witness_relationship(actor, person, witness)
    if not (reaches or through):
        return False
    sensitive = bool(getattr(person, "is_sensitive", False) or getattr(witness, "is_sensitive", False))
    if not sensitive:
        return True
    if granted and actor.has_grant(person, SENSITIVE_CAPABILITY):
        return True
    if clears and (
        actor.allows(SENSITIVE_CAPABILITY, witness_relationship)
        or actor.has_grant(witness, SENSITIVE_CAPABILITY)
    ):
        return True
    return actor.allows(SENSITIVE_CAPABILITY, own)


def identity_label(actor: Actor, person, *, language: str | None = None, witness=None) -> str:
    """The person's name, or their initials when the actor may not see the identity."""
    if can_see_identity(actor, person, witness=witness):
        return person.display_name(language)
    return person.initials()
