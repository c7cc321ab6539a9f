"""Keeping the search-key table in step with people (names, aliases, scope, merge state).

Called by every service that changes one of those, in the same transaction, so a search
never finds a stale name or misses a new one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection

from ponleu.registry import matching
from ponleu.registry.models import Person, PersonAlias, PersonSearchKey

BATCH = 5000


def keys_for(person: Person, aliases: Iterable[str] = ()) -> list[PersonSearchKey]:
    if person.merged_into_id is not None:
        return []
    return [
        PersonSearchKey(
            person_id=person.pk,
            organisation_id=person.organisation_id,
            area_code=person.area_code,
            team_id=person.team_id,
            owner_id=person.owner_id,
            key=key,
        )
        for key in sorted(matching.person_keys(person, aliases))
    ]


def rebuild(people: Iterable[Person], *, fresh: bool = False) -> int:
    """Replace the keys of ``people``; ``fresh`` skips the delete for just-created rows."""
    people = list(people)
    if not people:
        return 0
    ids = [p.pk for p in people]
    if not fresh:
        PersonSearchKey.objects.filter(person_id__in=ids).delete()
    alias_names: dict = defaultdict(list)
    if not fresh:
        for person_id, name in PersonAlias.objects.filter(person_id__in=ids).values_list("person_id", "name"):
            alias_names[person_id].append(name)
    if len(people) < 50:
        rows = [key for person in people for key in keys_for(person, alias_names[person.pk])]
        PersonSearchKey.objects.bulk_create(rows)
        return len(rows)
    return _insert_many(people, alias_names)


def _insert_many(people: list[Person], alias_names: dict) -> int:
    """Imports and the demo write hundreds of thousands of keys: plain parameter tuples through
    ``executemany`` cost a fraction of building a model object per key."""
    meta = PersonSearchKey._meta
    columns = [
        meta.get_field(name) for name in ("person", "organisation", "area_code", "team", "owner", "key")
    ]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, values bound
        connection.ops.quote_name(meta.db_table),
        ", ".join(connection.ops.quote_name(c.column) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    prep = Person._meta.pk.get_db_prep_value
    total = 0
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for person in people:
            if person.merged_into_id is not None:
                continue
            head = (
                prep(person.pk, connection),
                prep(person.organisation_id, connection),
                person.area_code,
                prep(person.team_id, connection) if person.team_id else None,
                prep(person.owner_id, connection) if person.owner_id else None,
            )
            batch.extend((*head, key) for key in sorted(matching.person_keys(person, alias_names[person.pk])))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def sync_scope(person: Person) -> None:
    """Copy the person's scope columns onto their keys (after a move or a new owner)."""
    PersonSearchKey.objects.filter(person_id=person.pk).update(
        organisation_id=person.organisation_id,
        area_code=person.area_code,
        team_id=person.team_id,
        owner_id=person.owner_id,
    )
