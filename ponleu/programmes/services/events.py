"""Trainings and awareness events: registered participants (people in the registry or staff),
with pre- and post-test scores where the training has tests, and crowds counted by sex, age
band and disability."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common.errors import ValidationFailed
from ponleu.organisations.models import Membership
from ponleu.programmes.choices import Audience, EventKind, EventTopic, ProgrammeAction
from ponleu.programmes.models import Event, EventHeadcount, EventParticipant

from .base import choice, headcounts, past, require_place, required_text, village, visible_people
from .projects import RECORD, tag_projects


def _score(value, *, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        score = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a score from 0 to 100."), field=field) from None
    if not 0 <= score <= 100:
        raise ValidationFailed(_("Enter a score from 0 to 100."), field=field)
    return score


def _uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _participants(actor, event: Event, rows) -> list[EventParticipant]:
    """The rows checked in two queries for any number of them (the people the actor sees, the
    organisation's staff named), each refusal still naming its row."""
    rows = list(rows or ())
    found = {
        person.pk: person
        for person in visible_people(actor, [row.get("person_id") for row in rows if row.get("person_id")])
    }
    named_staff = {_uuid(row.get("user_id")) for row in rows if row.get("user_id")} - {None}
    staff = set(
        Membership.objects.filter(organisation_id=actor.organisation_id, user_id__in=named_staff).values_list(
            "user_id", flat=True
        )
        if named_staff
        else ()
    )
    participants, people, users = [], set(), set()
    for index, row in enumerate(rows):
        where = f"participants.{index}"
        person_id, user_id = row.get("person_id"), row.get("user_id")
        if bool(person_id) == bool(user_id):
            raise ValidationFailed(_("Name a registered person or a member of staff."), field=where)
        if person_id:
            person = found.get(_uuid(person_id))
            if person is None:
                raise ValidationFailed(_("Choose a person registered by this organisation."), field=where)
            if person.pk in people:
                raise ValidationFailed(_("This person is listed twice."), field=where)
            people.add(person.pk)
            participant = EventParticipant(event=event, person=person)
        else:
            user = _uuid(user_id)
            if user not in staff:
                raise ValidationFailed(_("Choose members of this organisation."), field=where)
            if user in users:
                raise ValidationFailed(_("This person is listed twice."), field=where)
            users.add(user)
            participant = EventParticipant(event=event, user_id=user)
        participant.pre_score = _score(row.get("pre_score"), field=f"{where}.pre_score")
        participant.post_score = _score(row.get("post_score"), field=f"{where}.post_score")
        if not event.has_tests and (participant.pre_score is not None or participant.post_score is not None):
            raise ValidationFailed(_("This event has no tests."), field=f"{where}.pre_score")
        participants.append(participant)
    return participants


def _totals(participants, counted) -> dict:
    return {"registered": len(participants), "counted": sum(row["count"] for row in counted)}


@transaction.atomic
def event_record(
    *,
    actor,
    kind: str,
    topic: str,
    title: str,
    audience: str,
    held_on,
    village_code: str,
    has_tests: bool = False,
    participants=(),
    counted=(),
    project_ids=(),
) -> Event:
    unit = village(village_code)
    require_place(actor, RECORD, unit.code)
    event = Event(
        organisation_id=actor.organisation_id,
        owner_id=actor.user_id,
        team_id=actor.team_ids[0] if actor.team_ids else None,
        kind=choice(kind, EventKind, field="kind"),
        topic=choice(topic, EventTopic, field="topic"),
        title=required_text(title, field="title"),
        audience=choice(audience, Audience, field="audience"),
        held_on=past(held_on, field="held_on"),
        village=unit,
        has_tests=bool(has_tests),
    )
    if Event.objects.filter(
        organisation_id=actor.organisation_id, village=unit, held_on=event.held_on, title=event.title
    ).exists():
        raise ValidationFailed(_("This event is already recorded."), field="title")
    rows = _participants(actor, event, participants)
    counted = headcounts(counted)
    event.save(force_insert=True)
    EventParticipant.objects.bulk_create(rows)
    EventHeadcount.objects.bulk_create([EventHeadcount(event=event, **row) for row in counted])
    projects = tag_projects(actor, event, project_ids)
    audit.record(
        actor=actor,
        action=ProgrammeAction.EVENT_RECORDED,
        target=event,
        changes={
            "kind": [None, event.kind],
            "topic": [None, event.topic],
            "projects": [None, sorted(p.code for p in projects)],
            **{k: [None, v] for k, v in _totals(rows, counted).items()},
        },
    )
    return event
