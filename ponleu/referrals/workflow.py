"""The referral's states as one table: (status, event) → status, who takes the step, and
how many days the next step is due in. Pure: the tests walk every pair without a database.

The receiving side takes the steps between sending and the outcome. When the provider has no
account on Ponleu (a health centre, a commune committee), the referring worker records them
on its behalf, from the slip that came back or a phone call.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ponleu.common.errors import DomainError

from .choices import FINAL_STATUSES, ReferralEvent, ReferralStatus, Urgency

S = ReferralStatus
E = ReferralEvent
REFERRER, RECEIVER = "referrer", "receiver"


class IllegalMove(DomainError):
    default_message = _("This step is not possible at the referral's current stage.")


@dataclass(frozen=True)
class Move:
    source: str
    event: str
    target: str
    side: str

    @property
    def label(self):
        return ReferralEvent(self.event).label


TABLE: tuple[Move, ...] = (
    Move(S.DRAFT, E.SEND, S.SENT, REFERRER),
    Move(S.SENT, E.ACKNOWLEDGE, S.ACKNOWLEDGED, RECEIVER),
    Move(S.SENT, E.ACCEPT, S.ACCEPTED, RECEIVER),
    Move(S.SENT, E.DECLINE, S.DECLINED, RECEIVER),
    Move(S.ACKNOWLEDGED, E.ACCEPT, S.ACCEPTED, RECEIVER),
    Move(S.ACKNOWLEDGED, E.DECLINE, S.DECLINED, RECEIVER),
    Move(S.ACCEPTED, E.START_SERVICE, S.SERVICE_STARTED, RECEIVER),
    Move(S.SERVICE_STARTED, E.COMPLETE, S.COMPLETED, RECEIVER),
    Move(S.SERVICE_STARTED, E.NOT_COMPLETE, S.NOT_COMPLETED, RECEIVER),
    Move(S.DECLINED, E.CLOSE, S.CLOSED, REFERRER),
    Move(S.COMPLETED, E.CLOSE, S.CLOSED, REFERRER),
    Move(S.NOT_COMPLETED, E.CLOSE, S.CLOSED, REFERRER),
    *(Move(status, E.WITHDRAW, S.WITHDRAWN, REFERRER) for status in S.values if status not in FINAL_STATUSES),
)
_BY_KEY = {(m.source, m.event): m for m in TABLE}

# Days until the step after reaching a status is due: (routine, urgent, emergency).
DUE_DAYS = {
    S.SENT: (7, 2, 1),
    S.ACKNOWLEDGED: (7, 3, 1),
    S.ACCEPTED: (14, 7, 2),
    S.SERVICE_STARTED: (90, 60, 30),
    S.DECLINED: (7, 7, 7),
    S.COMPLETED: (14, 14, 14),
    S.NOT_COMPLETED: (14, 14, 14),
}
_URGENCY_INDEX = {Urgency.ROUTINE: 0, Urgency.URGENT: 1, Urgency.EMERGENCY: 2}


def move(status: str, event: str) -> Move:
    found = _BY_KEY.get((status, event))
    if found is None:
        raise IllegalMove()
    return found


def events_from(status: str) -> list[Move]:
    return [m for m in TABLE if m.source == status]


def due_days(status: str, urgency: str) -> int | None:
    days = DUE_DAYS.get(status)
    return None if days is None else days[_URGENCY_INDEX.get(urgency, 0)]
