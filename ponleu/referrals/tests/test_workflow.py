import pytest

from ponleu.referrals import workflow
from ponleu.referrals.choices import FINAL_STATUSES, ReferralEvent, ReferralStatus

S, E = ReferralStatus, ReferralEvent

LEGAL = {
    (S.DRAFT, E.SEND): S.SENT,
    (S.SENT, E.ACKNOWLEDGE): S.ACKNOWLEDGED,
    (S.SENT, E.ACCEPT): S.ACCEPTED,
    (S.SENT, E.DECLINE): S.DECLINED,
    (S.ACKNOWLEDGED, E.ACCEPT): S.ACCEPTED,
    (S.ACKNOWLEDGED, E.DECLINE): S.DECLINED,
    (S.ACCEPTED, E.START_SERVICE): S.SERVICE_STARTED,
    (S.SERVICE_STARTED, E.COMPLETE): S.COMPLETED,
    (S.SERVICE_STARTED, E.NOT_COMPLETE): S.NOT_COMPLETED,
    (S.DECLINED, E.CLOSE): S.CLOSED,
    (S.COMPLETED, E.CLOSE): S.CLOSED,
    (S.NOT_COMPLETED, E.CLOSE): S.CLOSED,
    **{(s, E.WITHDRAW): S.WITHDRAWN for s in S.values if s not in FINAL_STATUSES},
}


@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("event", E.values)
def test_every_pair_is_legal_or_refused(status, event):
    expected = LEGAL.get((status, event))
    if expected is None:
        with pytest.raises(workflow.IllegalMove):
            workflow.move(status, event)
    else:
        assert workflow.move(status, event).target == expected


def test_closed_and_withdrawn_are_final():
    for status in FINAL_STATUSES:
        assert workflow.events_from(status) == []


def test_the_receiver_takes_the_middle_steps():
    sides = {(m.source, m.event): m.side for m in workflow.TABLE}
    assert sides[(S.SENT, E.ACCEPT)] == workflow.RECEIVER
    assert sides[(S.SERVICE_STARTED, E.COMPLETE)] == workflow.RECEIVER
    assert sides[(S.DRAFT, E.SEND)] == workflow.REFERRER
    assert sides[(S.ACCEPTED, E.WITHDRAW)] == workflow.REFERRER


def test_due_days_shorten_with_urgency():
    assert (
        workflow.due_days(S.SENT, "routine")
        > workflow.due_days(S.SENT, "urgent")
        > workflow.due_days(S.SENT, "emergency")
    )
    assert workflow.due_days(S.CLOSED, "routine") is None
