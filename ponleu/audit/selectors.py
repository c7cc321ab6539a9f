"""Reading the audit trail, within the reader's scope.

The audit app sits below the apps whose records it logs, so it reaches a record's model by
its label (as a ForeignKey string does) and filters it through that model's own choke point,
``objects.actionable_by(actor, "audit.view")``. A model without that choke point is audited
only by readers whose ``audit.view`` covers the whole organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from ponleu.access.actors import Actor
from ponleu.access.models import BreakGlassGrant
from ponleu.access.scopes import Scope

from .choices import AuditAction
from .models import AccessEvent, AccessEventTarget, AuditEvent

AUDIT_CAPABILITY = "audit.view"
PERSON_LABEL = "registry.person"
CASE_LABEL = "cases.case"
PAGE_SIZE = 50
# A narrower-than-organisation reader's page is filled from at most this many candidate rows,
# so one request stays bounded however few of the rows they may see.
SCAN_LIMIT = 2000


def _model_for(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def person_for_audit(*, actor: Actor, person_id):
    """The person, if within the actor's ``audit.view`` scope; otherwise DoesNotExist."""
    person_model = apps.get_model(PERSON_LABEL)
    return person_model.objects.actionable_by(actor, AUDIT_CAPABILITY).get(pk=person_id)


def record_in_organisation(*, actor: Actor, label: str, record_id):
    """The record, if in the actor's organisation at all (break-the-glass looks outside scope)."""
    model = apps.get_model(label)
    if actor.organisation_id is None:
        raise model.DoesNotExist
    # Deliberately wider than visible_to: this is the one lookup that break-the-glass needs,
    # and it still never crosses the organisation.
    return model.objects.filter(organisation_id=actor.organisation_id).get(pk=record_id)


def reads_of(*, target_type: str, target_id, before_id: int | None = None, limit: int = 100) -> QuerySet:
    """Access events that returned this record, newest first (call after the scope check)."""
    event_ids = AccessEventTarget.objects.filter(target_type=target_type, target_id=str(target_id)).values(
        "event_id"
    )
    events = AccessEvent.objects.filter(id__in=event_ids).order_by("-id")
    if before_id is not None:
        events = events.filter(id__lt=before_id)
    return events[:limit]


def grants_on(*, target_type: str, target_id) -> QuerySet:
    return (
        BreakGlassGrant.objects.filter(target_type=target_type, target_id=str(target_id))
        .select_related("user")
        .order_by("-opened_at")
    )


@dataclass
class EventPage:
    rows: list
    next_before: int | None


def audit_event_page(
    *,
    actor: Actor,
    kind: str = "changes",
    before_id: int | None = None,
    action: str = "",
    username: str = "",
    since: dt.date | None = None,
) -> EventPage:
    """One page of the organisation's audit trail, newest first, within the reader's scope.

    ``kind`` is "changes" (AuditEvent) or "reads" (AccessEvent; whole-organisation readers only).
    """
    scope = actor.scope_for(AUDIT_CAPABILITY)
    if scope == Scope.NONE or actor.organisation_id is None:
        return EventPage([], None)
    whole_org = scope >= Scope.ORG
    model = AccessEvent if kind == "reads" and whole_org else AuditEvent
    events = model.objects.filter(organisation_id=actor.organisation_id).order_by("-id")
    if before_id is not None:
        events = events.filter(id__lt=before_id)
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(actor_username=username)
    if since is not None:
        events = events.filter(occurred_at__gte=start_of(since))
    if whole_org:
        rows = list(events[: PAGE_SIZE + 1])
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        return EventPage(rows, rows[-1].id if more and rows else None)
    return _scoped_page(actor, events.exclude(target_type="").exclude(target_id=""))


def start_of(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` where the organisation works (the installation's time zone)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def break_glass_since(*, actor: Actor, since: dt.date) -> QuerySet:
    """Emergency accesses opened in the organisation since ``since``, newest first: the same
    rows as the audit trail filtered by that action and day, for whole-organisation readers."""
    if actor.scope_for(AUDIT_CAPABILITY) < Scope.ORG or actor.organisation_id is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        organisation_id=actor.organisation_id,
        action=AuditAction.BREAK_GLASS_OPENED,
        occurred_at__gte=start_of(since),
    ).order_by("-id")


def _scoped_page(actor: Actor, events: QuerySet) -> EventPage:
    """Keep the events whose target the actor may audit, scanning a bounded number of rows."""
    kept: list = []
    scanned = 0
    last_id = None
    while len(kept) < PAGE_SIZE and scanned < SCAN_LIMIT:
        batch = list(events.filter(id__lt=last_id)[:200] if last_id else events[:200])
        if not batch:
            return EventPage(kept, None)
        scanned += len(batch)
        visible = visible_targets(actor, {(e.target_type, e.target_id) for e in batch})
        for event in batch:
            last_id = event.id
            if (event.target_type, event.target_id) in visible:
                kept.append(event)
                if len(kept) == PAGE_SIZE:
                    break
    return EventPage(kept, last_id)


def visible_targets(actor: Actor, targets: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (label, id) pairs whose record is within the actor's ``audit.view`` scope."""
    by_label: dict[str, list[str]] = {}
    for label, pk in targets:
        by_label.setdefault(label, []).append(pk)
    visible: set[tuple[str, str]] = set()
    for label, ids in by_label.items():
        model = _model_for(label)
        manager = getattr(model, "objects", None)
        if manager is None or not hasattr(manager, "actionable_by"):
            continue
        valid = []
        for pk in ids:
            try:
                valid.append(model._meta.pk.to_python(pk))
            except (ValidationError, ValueError, TypeError):  # a malformed id matches nothing
                continue
        found = (
            manager.actionable_by(actor, AUDIT_CAPABILITY).filter(pk__in=valid).values_list("pk", flat=True)
        )
        visible.update((label, str(pk)) for pk in found)
    return visible


# --- unusual access ---------------------------------------------------------------------------
#
# The rule, kept simple enough to explain to the person it names: a member is asked about when,
# on one of the last ``UNUSUAL_RECENT_DAYS`` days, they opened at least ``UNUSUAL_FLOOR``
# different people's records (every page, list, search or export that returned a person counts
# each person once a day) and more than ``UNUSUAL_TIMES`` times their usual day. Their usual day
# is the median number of people they read on the days they read any in the
# ``UNUSUAL_BASELINE_DAYS`` days before; a member with no such day has no usual day and is asked
# about at the floor. Reading outside one's reach is not possible except by break-the-glass,
# which the officer reviews on its own; this rule looks at volume within reach only.
UNUSUAL_RECENT_DAYS = 7
UNUSUAL_BASELINE_DAYS = 28
UNUSUAL_FLOOR = 40
UNUSUAL_TIMES = 3


@dataclass(frozen=True)
class UnusualReader:
    user_id: object
    username: str
    day: dt.date  # the day they read the most people, among the recent days
    people: int  # different people read that day
    usual: float | None  # the median of their earlier days, None when there were none

    @property
    def usual_day(self) -> int | None:
        return None if self.usual is None else round(self.usual)


def _median(values: list[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def unusual_readers(*, actor: Actor, today: dt.date) -> list[UnusualReader]:
    """The members of the organisation whose reading of people's records was unusual on a
    recent day (the rule above), the most read first; for whole-organisation readers only.
    One query, whatever the number of members or reads."""
    if actor.scope_for(AUDIT_CAPABILITY) < Scope.ORG or actor.organisation_id is None:
        return []
    recent_start = today - dt.timedelta(days=UNUSUAL_RECENT_DAYS - 1)
    baseline_start = recent_start - dt.timedelta(days=UNUSUAL_BASELINE_DAYS)
    zone = timezone.get_default_timezone()
    per_day = (
        AccessEventTarget.objects.filter(
            target_type=PERSON_LABEL,
            event__organisation_id=actor.organisation_id,
            event__actor_user_id__isnull=False,
            event__allowed=True,
            event__occurred_at__gte=start_of(baseline_start),
        )
        .annotate(day=TruncDate("event__occurred_at", tzinfo=zone))
        .values("event__actor_user_id", "day")
        .annotate(people=Count("target_id", distinct=True), username=Max("event__actor_username"))
        .order_by()
    )
    days: dict = {}
    names: dict = {}
    for row in per_day:
        user_id = row["event__actor_user_id"]
        days.setdefault(user_id, []).append((row["day"], row["people"]))
        names[user_id] = row["username"]
    found = []
    for user_id, counts in days.items():
        earlier = [n for day, n in counts if day < recent_start]
        recent = [(n, day) for day, n in counts if recent_start <= day <= today]
        if not recent:
            continue
        people, day = max(recent)
        usual = _median(earlier)
        if people >= UNUSUAL_FLOOR and (usual is None or people > UNUSUAL_TIMES * usual):
            found.append(UnusualReader(user_id, names[user_id], day, people, usual))
    found.sort(key=lambda reader: (-reader.people, reader.username))
    return found
