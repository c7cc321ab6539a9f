"""Case notes (home visits and other contact), their encrypted attachments, case conferences."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.cases import policies
from ponleu.cases.choices import CaseAction, InteractionType, RiskLevel
from ponleu.cases.models import Case, CaseConference, CaseNote, Goal, NoteAttachment
from ponleu.common.errors import ValidationFailed

from .base import not_before, not_in_future, require_active, require_text

# How often the child is visited at home, by risk level.
VISIT_INTERVAL_DAYS = {RiskLevel.HIGH: 14, RiskLevel.MEDIUM: 30, RiskLevel.LOW: 60, "": 30}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


def next_visit_after(day: dt.date, risk_level: str) -> dt.date:
    return day + dt.timedelta(days=VISIT_INTERVAL_DAYS.get(risk_level, 30))


def _check_attachment(upload) -> None:
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(
            _("“%(name)s” is larger than 10 MB.") % {"name": upload.name[:80]}, field="attachments"
        )
    if upload.content_type not in ATTACHMENT_TYPES:
        raise ValidationFailed(
            _("“%(name)s”: only PDF, photos, audio and Word files can be attached.")
            % {"name": upload.name[:80]},
            field="attachments",
        )


@transaction.atomic
def note_add(
    *,
    actor: Actor,
    case: Case,
    interaction: str,
    happened_on: dt.date,
    observations: str,
    place: str = "",
    present: str = "",
    goal_ids=(),
    attachments=(),
) -> CaseNote:
    policies.require(actor, "cases.edit", case)
    require_active(case)
    if interaction not in InteractionType.values:
        raise ValidationFailed(_("Choose the kind of contact."), field="interaction")
    if happened_on is None:
        raise ValidationFailed(_("This field is required."), field="happened_on")
    not_in_future(happened_on, field="happened_on")
    not_before(happened_on, case.identified_on, field="happened_on")
    observations = require_text(observations, field="observations")
    goal_ids = list(goal_ids or [])
    goals = list(Goal.objects.filter(case=case, pk__in=goal_ids))
    if len(goals) != len(set(map(str, goal_ids))):
        raise ValidationFailed(_("Choose goals of this case."), field="goals")
    for upload in attachments:
        _check_attachment(upload)
    note = CaseNote.objects.create(
        case=case,
        interaction=interaction,
        happened_on=happened_on,
        place=(place or "").strip(),
        present=(present or "").strip(),
        observations=observations,
        author_id=actor.user_id,
    )
    if goals:
        note.goals.set(goals)
    for upload in attachments:
        attachment = NoteAttachment(
            note=note,
            name=upload.name[:200],
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by_id=actor.user_id,
        )
        attachment.file.save(attachment.id.hex, upload, save=False)
        attachment.save(force_insert=True)
        audit.record(
            actor=actor,
            action=CaseAction.ATTACHMENT_ADDED,
            target=attachment,
            changes={"size": [None, upload.size], "content_type": [None, upload.content_type]},
        )
    if interaction == InteractionType.HOME_VISIT:
        latest = CaseNote.objects.filter(case=case, interaction=InteractionType.HOME_VISIT).aggregate(
            day=Max("happened_on")
        )["day"]
        case.next_visit_on = next_visit_after(latest, case.risk_level)
        case.save(update_fields=["next_visit_on"])
    audit.record(
        actor=actor,
        action=CaseAction.NOTE_ADDED,
        target=note,
        changes={
            "interaction": [None, interaction],
            "happened_on": [None, happened_on.isoformat()],
            "observations": [None, audit.REDACTED],
            "goals": [None, sorted(str(g.pk) for g in goals)],
        },
    )
    return note


@transaction.atomic
def conference_record(
    *,
    actor: Actor,
    case: Case,
    held_on: dt.date,
    participants: str,
    decisions: str,
    next_review_on: dt.date | None = None,
) -> CaseConference:
    policies.require(actor, "cases.edit", case)
    require_active(case)
    if held_on is None:
        raise ValidationFailed(_("This field is required."), field="held_on")
    not_in_future(held_on, field="held_on")
    not_before(held_on, case.identified_on, field="held_on")
    not_before(next_review_on, held_on, field="next_review_on")
    conference = CaseConference.objects.create(
        case=case,
        held_on=held_on,
        participants=require_text(participants, field="participants"),
        decisions=require_text(decisions, field="decisions"),
        next_review_on=next_review_on,
        recorded_by_id=actor.user_id,
    )
    audit.record(
        actor=actor,
        action=CaseAction.CONFERENCE_RECORDED,
        target=conference,
        changes={"held_on": [None, held_on.isoformat()], "decisions": [None, audit.REDACTED]},
    )
    return conference
