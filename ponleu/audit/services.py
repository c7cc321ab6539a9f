"""Writing audit rows. Call these inside the transaction of the change or read they describe.

If writing the row fails, the exception propagates: the change rolls back and the data
is not served (fail closed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ponleu.access.models import BREAK_GLASS_MAX_WINDOW, BREAK_GLASS_MIN_REASON, BreakGlassGrant
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.notifications.choices import NotificationKind
from ponleu.notifications.services import notify
from ponleu.organisations.choices import Role
from ponleu.organisations.models import Membership

from . import chain, redaction
from .choices import AuditAction
from .context import current
from .models import AccessEvent, AccessEventTarget, AuditEvent, ChainHead

REDACTED = redaction.REDACTED


def _target(target) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, tuple):
        return target
    return target._meta.label_lower, str(target.pk)


def _append(model, rows: list[dict], *, index=None) -> list:
    """Append ``rows`` to ``model``'s chain, in order, in one append whatever their number.

    One append is four statements (on PostgreSQL the chain's lock besides): read the newest
    hash, insert the rows linked one to the next, move the sealed head to the last of them,
    insert the index rows ``index(events)`` returns. Every link is computed before the first
    write, so a failure there leaves the caller's transaction as it was; from the first write
    on, a failure marks the enclosing transaction for rollback (nothing of the read or change
    it describes is kept, fail closed) rather than taking a savepoint on every audited request.
    """
    name = model._meta.model_name
    ctx = current()
    key_id = chain.signing_key().id
    now = clock.now()
    context = {"occurred_at": now, "request_id": ctx.request_id, "channel": ctx.channel, "ip": ctx.ip}
    events = [model(**{**context, **fields}, key_id=key_id) for fields in rows]
    # Outside any transaction, the append opens its own (the chain's lock lasts as long as it).
    with contextlib.nullcontext() if connection.in_atomic_block else transaction.atomic():
        chain.lock(name)
        prev = model.objects.order_by("-id").values_list("hash", flat=True).first() or chain.GENESIS
        for event in events:
            event.prev_hash = prev
            event.hash = prev = chain.link(prev, name, event)
        with transaction.atomic(savepoint=False):
            model.objects.bulk_create(events)
            last = events[-1]
            head = {
                "last_id": last.id,
                "last_hash": last.hash,
                "key_id": key_id,
                "mac": chain.head_mac(name, last.id, last.hash, key_id),
            }
            if not ChainHead.objects.filter(name=name).update(**head):
                ChainHead.objects.create(name=name, **head)
            if index is not None:
                entries = index(events)
                if entries:
                    type(entries[0]).objects.bulk_create(entries)
    return events


def _actor_fields(actor) -> dict:
    return {
        "actor_user_id": actor.user_id,
        "actor_username": actor.username,
        "organisation_id": actor.organisation_id,
    }


def record(*, actor, action: str, target=None, changes: dict | None = None, reason: str = "") -> AuditEvent:
    """Record one write. ``changes`` maps field name to [before, after].

    Encrypted fields of ``target`` are recorded as changed, never with their text, and a
    reason or change that repeats one of their values is redacted (``redaction.redact``).
    """
    target_type, target_id = _target(target)
    changes, reason = redaction.redact(target, changes or {}, reason)
    fields = {
        "action": str(action),
        "target_type": target_type,
        "target_id": target_id,
        "changes": changes,
        "reason": reason,
        **_actor_fields(actor),
    }
    return _append(AuditEvent, [fields])[0]


@dataclass(frozen=True)
class Read:
    """What one read served of one kind of record: the access event ``record_accesses`` writes."""

    action: str
    target_type: str
    target_ids: Iterable = ()
    query: str = ""
    allowed: bool = True
    break_glass: bool = False
    reason: str = ""


def record_access(
    *,
    actor,
    action: str,
    target_type: str,
    target_ids: Iterable = (),
    query: str = "",
    allowed: bool = True,
    break_glass: bool = False,
    reason: str = "",
) -> AccessEvent:
    """Record one read: a detail (one id), a list or search (the ids returned), an export."""
    read = Read(action, target_type, target_ids, query, allowed, break_glass, reason)
    return record_accesses(actor=actor, reads=[read])[0]


def record_accesses(*, actor, reads: Iterable[Read]) -> list[AccessEvent]:
    """Record what one request served: one access event per kind of record (the cases of a
    list and their children, a class and its pupils), in order, in one chain append.

    A read that returns any record the actor holds a break-the-glass grant on is marked
    ``break_glass`` whatever the caller passed, so no view can forget it.
    """
    granted = getattr(actor, "granted_ids", None)
    rows = []
    for read in reads:
        ids = [str(pk) for pk in read.target_ids]
        break_glass = read.break_glass
        if not break_glass and granted is not None and ids and set(ids) & set(granted(read.target_type)):
            break_glass = True
        rows.append(
            {
                "action": str(read.action),
                "target_type": read.target_type,
                "target_ids": ids,
                "query": read.query[:300],
                "allowed": read.allowed,
                "break_glass": break_glass,
                "reason": read.reason,
                **_actor_fields(actor),
            }
        )
    if not rows:
        return []
    return _append(AccessEvent, rows, index=_index)


def _index(events) -> list[AccessEventTarget]:
    """The "who has seen this record" rows of ``events``: one per id each names."""
    return [
        AccessEventTarget(event=event, target_type=event.target_type, target_id=pk)
        for event in events
        for pk in event.target_ids
    ]


def diff(before: dict, after: dict, *, secret_fields: Iterable[str] = ()) -> dict:
    """Changed fields as {name: [before, after]}; encrypted fields never enter the log."""
    secret = set(secret_fields)
    changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = [REDACTED, REDACTED] if name in secret else [_plain(old), _plain(new)]
    return changes


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    return {name: getattr(instance, name) for name in fields}


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


# --- break-the-glass -------------------------------------------------------------------


@transaction.atomic
def break_glass_open(*, actor, target, reason: str, duration=BREAK_GLASS_MAX_WINDOW) -> BreakGlassGrant:
    """Open ``target`` (a record outside the actor's scope) to ``actor`` for at most one hour.

    Refused without ``access.break_glass``, across organisations, for a record the actor can
    already see, and without a reason of at least ``BREAK_GLASS_MIN_REASON`` characters.
    The grant, its audit row and the data-protection officers' notifications are written
    in one transaction: if any of them fails, no access is opened.
    """
    if not actor.can("access.break_glass") or actor.membership_id is None:
        raise PermissionDenied()
    if getattr(target, "organisation_id", None) != actor.organisation_id:
        raise PermissionDenied()
    reason = (reason or "").strip()
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise ValidationFailed(
            _("Explain why you need this record now, in at least %(count)d characters.")
            % {"count": BREAK_GLASS_MIN_REASON},
            field="reason",
        )
    if duration <= dt.timedelta(0) or duration > BREAK_GLASS_MAX_WINDOW:
        raise ValidationFailed(_("Emergency access lasts one hour at most."), field="duration")
    manager = type(target).objects
    if hasattr(manager, "visible_to") and manager.visible_to(actor).filter(pk=target.pk).exists():
        raise ValidationFailed(
            _("You can already open this record; emergency access is not needed."), field="reason"
        )
    target_type, target_id = _target(target)
    now = clock.now()
    grant = BreakGlassGrant.objects.create(
        organisation_id=actor.organisation_id,
        membership_id=actor.membership_id,
        user_id=actor.user_id,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        opened_at=now,
        expires_at=now + duration,
    )
    record(
        actor=actor,
        action=AuditAction.BREAK_GLASS_OPENED,
        target=target,
        changes={"grant": [None, str(grant.pk)], "expires_at": [None, grant.expires_at.isoformat()]},
        reason=reason,
    )
    # The officer's link is the child's "who has seen this record" page, for a case too.
    person_id = grant.target_id if target_type == "registry.person" else getattr(target, "person_id", None)
    _notify_data_protection_officers(
        actor=actor, person_id=person_id, minutes=int(duration.total_seconds() // 60)
    )
    return grant


def _notify_data_protection_officers(*, actor, person_id, minutes: int) -> None:
    link = ""
    if person_id is not None:
        try:
            link = reverse("audit:person_access", kwargs={"person_id": person_id})
        except NoReverseMatch:
            link = ""
    officers = (
        Membership.objects.filter(
            organisation_id=actor.organisation_id, role=Role.DPO, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("created_at")
    )
    for membership in officers:
        user = membership.user
        # No child's name and no reason text here: the reason is in the audit trail.
        with translation.override(user.language or settings.LANGUAGE_CODE):
            message = gettext("%(user)s opened emergency access to a record for %(minutes)d minutes.") % {
                "user": actor.username,
                "minutes": minutes,
            }
        notify(
            recipients=[user],
            kind=NotificationKind.BREAK_GLASS,
            message=message,
            link=link,
            organisation_id=actor.organisation_id,
        )
