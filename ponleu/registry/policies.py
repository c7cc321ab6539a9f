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
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied

from .choices import DEFAULT_DATA_CATEGORIES, ChildAssent, ConsentGiver, ConsentPurpose, DataCategory
from .models import Consent, Household, Person
from .validators import ASSENT_AGE, CHILD_AGE_LIMIT


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


def may_export_identity(actor, person: Person, *, witness=None, categories=(DataCategory.BASIC,)) -> bool:
    """May ``person``'s identity (names, date of birth; ``DataCategory.CONTACT`` for phones,
    ``DataCategory.PHOTO`` for photos and documents) be written into a file that leaves Ponleu
    (a spreadsheet export, a printed slip)? The one rule every export asks: the identity rule
    of the screen, and consent in force for the organisation's services covering what the file
    carries. Anything else is masked as the screen masks it (``exported_name``)."""
    return person.pk in export_cleared(actor, [person], witness=witness, categories=categories)


def export_cleared(actor, people, *, witness=None, categories=(DataCategory.BASIC,)) -> set:
    """The ids of ``people`` that ``may_export_identity`` clears, for a whole export at once:
    the consents of everyone are read together (a few queries whatever their number), then
    judged one by one by the same consent rule as ``consent_allows``."""
    seen = [person for person in people if can_see_identity(actor, person, witness=witness)]
    if not seen:
        return set()
    groups = _merge_groups(seen)
    in_force = {}
    for consent in Consent.objects.filter(
        person_id__in={pk for group in groups.values() for pk in group}, purpose=ConsentPurpose.SERVICES
    ).in_force():
        in_force.setdefault(consent.person_id, []).append(consent)
    return {
        person.pk
        for person in seen
        if not _judge(
            person,
            ConsentPurpose.SERVICES,
            None,
            on=None,
            recipient_kind="",
            categories=categories,
            consents=[c for pk in groups[person.pk] for c in in_force.get(pk, [])],
        )[0]
    }


def _merge_groups(people) -> dict:
    """{person id: the ids of their merge group} (``merge_group_ids``), for records not merged
    away in one query per generation of merges; a merged-away record is looked up alone."""
    groups = {p.pk: [p.pk] for p in people if p.merged_into_id is None}
    frontier = {pk: pk for pk in groups}  # record id -> the root whose group it joins
    while frontier:
        found = Person.objects.filter(merged_into_id__in=list(frontier)).values_list("id", "merged_into_id")
        frontier = {pk: frontier[into] for pk, into in found if pk not in groups[frontier[into]]}
        for pk, root in frontier.items():
            groups[root].append(pk)
    for person in people:
        if person.pk not in groups:
            groups[person.pk] = Person.objects.merge_group_ids(person)
    return groups


def consent_allows(
    person: Person,
    purpose: str,
    recipient=None,
    on: dt.date | None = None,
    *,
    recipient_kind: str = "",
    categories=(),
) -> bool:
    """Is there consent in force for ``purpose`` (and, for sharing, for ``recipient``)?

    ``recipient`` is an Organisation (or its id) or, for an organisation outside Ponleu, its
    name; ``recipient_kind`` (a ``ProviderKind``) also matches a consent given for every
    provider of that kind. ``on`` defaults to now: a withdrawal recorded a second ago already
    counts. Consent given on a record that was later merged counts for the merged person.
    """
    return not consent_gaps(
        person, purpose, recipient, on=on, recipient_kind=recipient_kind, categories=categories
    )


def consent_gaps(
    person: Person,
    purpose: str,
    recipient=None,
    *,
    on: dt.date | None = None,
    recipient_kind: str = "",
    categories=(),
) -> list[str]:
    """What a use of the person's data lacks to be covered by consent; empty when covered.

    One consent must cover everything at once: the purpose, the recipient, the child's assent
    (asked from ``ASSENT_AGE``) and every category of data asked for.
    """
    return _check(person, purpose, recipient, on=on, recipient_kind=recipient_kind, categories=categories)[0]


def covering_consent(
    person: Person, purpose: str, recipient=None, *, recipient_kind: str = "", categories=()
) -> Consent | None:
    """The consent in force that covers this use, if any (what a referral rests on)."""
    return _check(person, purpose, recipient, on=None, recipient_kind=recipient_kind, categories=categories)[
        1
    ]


def _check(person, purpose, recipient, *, on, recipient_kind, categories) -> tuple[list[str], Consent | None]:
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    consents = list(
        Consent.objects.filter(
            person_id__in=Person.objects.merge_group_ids(person), purpose=purpose
        ).in_force(on)
    )
    return _judge(
        person,
        purpose,
        recipient,
        on=on,
        recipient_kind=recipient_kind,
        categories=categories,
        consents=consents,
    )


def _judge(
    person, purpose, recipient, *, on, recipient_kind, categories, consents
) -> tuple[list[str], Consent | None]:
    """The consent rule over the consents in force for ``purpose`` of the person's merge group."""
    if not consents:
        return [_("There is no consent in force for this purpose.")], None
    if purpose == ConsentPurpose.SHARE:
        if recipient is None and not recipient_kind:
            raise ValueError("sharing consent needs a recipient")
        consents = [c for c in consents if _names_recipient(c, recipient, recipient_kind)]
        if not consents:
            return [_("No consent in force names this recipient.")], None
    day = on or clock.today()
    age = person.age_on(day)
    if age is not None and ASSENT_AGE <= age < CHILD_AGE_LIMIT:
        consents = [
            c for c in consents if c.given_by == ConsentGiver.CHILD or c.child_assent == ChildAssent.GIVEN
        ]
        if not consents:
            return [_("The child is %(age)s: their own agreement is needed as well.") % {"age": age}], None
    wanted = set(categories)
    best_missing: set | None = None
    for c in consents:
        missing = wanted - set(c.data_categories or DEFAULT_DATA_CATEGORIES)
        if not missing:
            return [], c
        if best_missing is None or len(missing) < len(best_missing):
            best_missing = missing
    labels = ", ".join(str(DataCategory(m).label) for m in sorted(best_missing or ()))
    return [_("The consent does not cover: %(categories)s.") % {"categories": labels}], None


def _names_recipient(consent: Consent, recipient, recipient_kind: str) -> bool:
    if recipient_kind and consent.recipient_kind == recipient_kind:
        return True
    if recipient is None:
        return False
    if isinstance(recipient, str):
        wanted = " ".join(recipient.split()).casefold()
        return consent.recipient_id is None and " ".join(consent.recipient_name.split()).casefold() == wanted
    return consent.recipient_id is not None and consent.recipient_id == getattr(recipient, "pk", recipient)


def shown_name(actor, person: Person, language: str | None = None, *, witness=None) -> str:
    """The name to display: initials when the identity policy masks it (and why, if sensitive)."""
    if can_see_identity(actor, person, witness=witness):
        return person.display_name(language) or "?"
    return _masked_name(person)


def exported_name(actor, person: Person, language: str | None = None, *, witness=None, cleared=None) -> str:
    """The name to write into a file: masked as on screen unless ``may_export_identity``
    (``cleared``: its answer, when the export asked ``export_cleared`` for everyone at once)."""
    if cleared if cleared is not None else may_export_identity(actor, person, witness=witness):
        return person.display_name(language) or "?"
    return _masked_name(person)


def _masked_name(person: Person) -> str:
    if person.is_sensitive:
        return f"{person.initials()} ({_('sensitive record')})"
    return person.initials()
