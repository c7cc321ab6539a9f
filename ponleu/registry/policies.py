"""Questions about one record: may this actor act on it, may they see it unmasked, and
does the person's consent allow a use of their data.

``consent_allows`` is the one function other features call before using a person's data
for a purpose (sharing with another organisation, family tracing, anonymous reporting).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from ponleu.access.policies import can_see_identity
from ponleu.access.scopes import Relationship
from ponleu.common.errors import PermissionDenied

from .choices import ConsentPurpose
from .models import Consent, Household, Person


def relationship_to(actor, record: Person | Household) -> Relationship:
    return actor.relationship_to(
        organisation_id=record.organisation_id,
        area_code=record.area_code,
        team_id=record.team_id,
        owner_id=record.owner_id,
    )


def can(actor, capability: str, record: Person | Household) -> bool:
    """Within the actor's scope for ``capability``, or opened to them by break-the-glass (for
    the capabilities a grant covers)."""
    return actor.allows_object(capability, record)


def opened_by_grant(actor, record: Person | Household, capability: str = "registry.view") -> bool:
    """Seen only because of a break-the-glass grant (the access event says so)."""
    return not actor.allows(capability, relationship_to(actor, record))


def require(actor, capability: str, record: Person | Household) -> None:
    """Services check again; templates only hide buttons."""
    if not can(actor, capability, record):
        raise PermissionDenied()


def can_create_in(actor, *, area_code: str) -> bool:
    """May the actor register someone living in ``area_code``? Judged by place alone: the new
    record will belong to the actor's team, which must not widen where they may register."""
    relationship = actor.relationship_to(organisation_id=actor.organisation_id, area_code=area_code or None)
    return actor.allows("registry.create", relationship)


def can_edit_person(actor, person: Person) -> bool:
    """Editing shows every name and number, so it also needs the identity of a sensitive record."""
    return not person.is_merged and can(actor, "registry.edit", person) and can_see_unmasked(actor, person)


def can_see_household_address(actor, household: Household, members) -> bool:
    """The address identifies a household's people as much as their names: shown only to
    someone who reaches the household in their own scope and may see every member's identity."""
    if opened_by_grant(actor, household):
        return False
    return all(can_see_unmasked(actor, m.person) for m in members)


def can_edit_household(actor, household: Household, members) -> bool:
    return can(actor, "registry.edit", household) and can_see_household_address(actor, household, members)


def can_lift_protection(actor, record) -> bool:
    """Marking a person or a case sensitive is open to anyone who may edit it; lifting it is a
    supervisor's decision, on the web form and the API alike (``registry.lift_protection``)."""
    return can(actor, "registry.lift_protection", record)


def can_merge_people(actor, person: Person) -> bool:
    return can(actor, "registry.merge", person)


def can_see_unmasked(actor, person: Person) -> bool:
    """Sensitive records show names and identifying details only to those who may view
    sensitive records there (or opened them by break-the-glass): the rule of access.policies."""
    return can_see_identity(actor, person)


def consent_allows(person: Person, purpose: str, recipient=None, on: dt.date | None = None) -> bool:
    """Is there consent in force for ``purpose`` (and, for sharing, for ``recipient``)?

    ``recipient`` is an Organisation (or its id) or, for an organisation outside Ponleu, its
    name. ``on`` defaults to now: a withdrawal recorded a second ago already counts. Consent
    given on a record that was later merged counts for the merged person.
    """
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    consents = Consent.objects.filter(
        person_id__in=Person.objects.merge_group_ids(person), purpose=purpose
    ).in_force(on)
    if purpose != ConsentPurpose.SHARE:
        return consents.exists()
    if recipient is None:
        raise ValueError("sharing consent needs a recipient")
    if isinstance(recipient, str):
        wanted = " ".join(recipient.split()).casefold()
        names = consents.filter(recipient__isnull=True).values_list("recipient_name", flat=True)
        return any(" ".join(name.split()).casefold() == wanted for name in names)
    recipient_id = getattr(recipient, "pk", recipient)
    return consents.filter(recipient_id=recipient_id).exists()


def shown_name(actor, person: Person, language: str | None = None, *, witness=None) -> str:
    """The name to display: initials when the identity policy masks it (and why, if sensitive)."""
    if can_see_identity(actor, person, witness=witness):
        return person.display_name(language) or "?"
    if person.is_sensitive:
        return f"{person.initials()} ({_('sensitive record')})"
    return person.initials()
