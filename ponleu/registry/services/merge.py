"""Merging two records of the same person, and undoing it.

Nothing is moved or deleted: the duplicate points at the record it was merged into and
disappears from lists and search; the kept record shows both histories (phones, documents,
households, consents of both). Unmerging clears the pointer, so it is exactly reversible.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.registry import policies
from ponleu.registry.choices import PersonAction
from ponleu.registry.models import Person

from . import search_keys


@transaction.atomic
def person_merge(
    *, actor, duplicate: Person, kept: Person, reason: str, versions: tuple | None = None
) -> Person:
    """Merge ``duplicate`` into ``kept``. ``versions`` are the two versions the user compared."""
    if duplicate.pk == kept.pk:
        raise ValidationFailed(errors={"kept": [_("Choose two different records.")]})
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[duplicate.pk, kept.pk])}
    duplicate, kept = locked[duplicate.pk], locked[kept.pk]
    for person in (duplicate, kept):
        policies.require(actor, "registry.merge", person)
    if duplicate.organisation_id != kept.organisation_id:
        raise PermissionDenied()
    if versions is not None:
        claim_version(duplicate, versions[0])
        claim_version(kept, versions[1])
    if duplicate.is_merged or kept.is_merged:
        raise Conflict(_("One of these records was already merged into another one."))
    if not reason.strip():
        raise ValidationFailed(errors={"reason": [_("Say why these are the same person.")]})
    duplicate.merged_into = kept
    duplicate.merged_at = clock.now()
    if versions is None:
        duplicate.version += 1
    duplicate.save(update_fields=["merged_into", "merged_at", "version", "updated_at"])
    search_keys.rebuild([duplicate])  # a merged record has no keys: search finds the kept one
    audit.record(
        actor=actor,
        action=PersonAction.MERGED,
        target=duplicate,
        changes={"merged_into": [None, str(kept.pk)]},
        reason=reason.strip(),
    )
    audit.record(
        actor=actor,
        action=PersonAction.MERGED,
        target=kept,
        changes={"merged_from": [None, str(duplicate.pk)]},
        reason=reason.strip(),
    )
    return kept


@transaction.atomic
def person_unmerge(*, actor, duplicate: Person, reason: str) -> Person:
    """Undo a merge: the duplicate is a record of its own again, with everything it had."""
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    policies.require(actor, "registry.merge", duplicate)
    if not duplicate.is_merged:
        raise Conflict(_("This record is not merged."))
    if not reason.strip():
        raise ValidationFailed(errors={"reason": [_("Say why the merge is undone.")]})
    kept_id = duplicate.merged_into_id
    duplicate.merged_into = None
    duplicate.merged_at = None
    duplicate.version += 1
    duplicate.save(update_fields=["merged_into", "merged_at", "version", "updated_at"])
    search_keys.rebuild([duplicate])
    audit.record(
        actor=actor,
        action=PersonAction.UNMERGED,
        target=duplicate,
        changes={"merged_into": [str(kept_id), None]},
        reason=reason.strip(),
    )
    audit.record(
        actor=actor,
        action=PersonAction.UNMERGED,
        target=("registry.person", str(kept_id)),
        changes={"merged_from": [str(duplicate.pk), None]},
        reason=reason.strip(),
    )
    return duplicate
