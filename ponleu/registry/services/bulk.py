"""Registering many people at once (spreadsheet imports, school histories): one path for all.

Whoever loads people in bulk plans the rows (unsaved ``Person``, ``Household`` and link objects)
and hands them here, saying under which capability it loads them: ``registry.import`` for a
spreadsheet (whose dry run has checked each row's village against the uploader's areas),
``education.manage`` for a school history (its children live at the organisation's schools).
This service checks the capability and that every row belongs to the actor's organisation,
writes the rows with bulk inserts, builds the search keys in the same transaction (so name
search and the duplicate check find each person at once) and records one audit event naming
everyone created.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.common.errors import PermissionDenied
from ponleu.registry.choices import PersonAction
from ponleu.registry.models import (
    Household,
    HouseholdMember,
    Identifier,
    IDPoorAssessment,
    Person,
    PersonPhone,
)

from . import search_keys

BATCH = 1000
# The capabilities under which people may be loaded in bulk (see the module's docstring).
BULK_CAPABILITIES = ("registry.import", "education.manage")


@transaction.atomic
def people_register_bulk(
    *,
    actor: Actor,
    people: Sequence[Person],
    households: Sequence[Household] = (),
    members: Sequence[HouseholdMember] = (),
    idpoor: Sequence[IDPoorAssessment] = (),
    phones: Sequence[PersonPhone] = (),
    identifiers: Sequence[Identifier] = (),
    capability: str,
    source: tuple[str, str],
    changes: dict | None = None,
    reason: str = "",
) -> list[Person]:
    """Write planned people and households; ``source`` names what they came from (a job, a
    history folder) as the audit event's target, ``changes`` adds to what it records."""
    if capability not in BULK_CAPABILITIES or actor.organisation_id is None:
        raise PermissionDenied()
    if not (actor.is_system or actor.can(capability)):
        raise PermissionDenied()
    if any(row.organisation_id != actor.organisation_id for row in (*people, *households)):
        raise PermissionDenied()
    Household.objects.bulk_create(households, batch_size=BATCH)
    IDPoorAssessment.objects.bulk_create(idpoor, batch_size=BATCH)
    Person.objects.bulk_create(people, batch_size=BATCH)
    HouseholdMember.objects.bulk_create(members, batch_size=BATCH)
    PersonPhone.objects.bulk_create(phones, batch_size=BATCH)
    Identifier.objects.bulk_create(identifiers, batch_size=BATCH)
    search_keys.rebuild(people, fresh=True)
    audit.record(
        actor=actor,
        action=PersonAction.IMPORTED,
        target=source,
        changes={
            "people": [None, [str(p.pk) for p in people]],
            "households": [None, [str(h.pk) for h in households]],
            **(changes or {}),
        },
        reason=reason,
    )
    return list(people)
