"""The transition table, without a database: every legal move, every illegal one, every guard."""

from __future__ import annotations

import dataclasses

import pytest

from ponleu.cases import workflow
from ponleu.cases.choices import OPEN_STATUSES, CaseEvent, CaseStatus

S, E = CaseStatus, CaseEvent

# The expected table, written out by hand so that a change to workflow.py must be made twice.
EXPECTED = {
    (S.IDENTIFIED, E.START_INTAKE): (S.INTAKE, "cases.edit"),
    (S.INTAKE, E.COMPLETE_SCREENING): (S.ASSESSMENT, "cases.edit"),
    (S.INTAKE, E.REQUEST_CLOSURE): (S.CLOSURE_APPROVAL, "cases.close"),
    (S.ASSESSMENT, E.COMPLETE_ASSESSMENT): (S.CASE_PLAN, "cases.edit"),
    (S.CASE_PLAN, E.SUBMIT_PLAN): (S.PLAN_APPROVAL, "cases.edit"),
    (S.PLAN_APPROVAL, E.APPROVE_PLAN): (S.IMPLEMENTATION, "cases.approve"),
    (S.PLAN_APPROVAL, E.RETURN_PLAN): (S.CASE_PLAN, "cases.approve"),
    (S.IMPLEMENTATION, E.START_REVIEW): (S.REVIEW, "cases.edit"),
    (S.IMPLEMENTATION, E.REQUEST_CLOSURE): (S.CLOSURE_APPROVAL, "cases.close"),
    (S.REVIEW, E.CONTINUE_PLAN): (S.IMPLEMENTATION, "cases.edit"),
    (S.REVIEW, E.REVISE_PLAN): (S.CASE_PLAN, "cases.edit"),
    (S.REVIEW, E.REQUEST_CLOSURE): (S.CLOSURE_APPROVAL, "cases.close"),
    (S.CLOSURE_APPROVAL, E.APPROVE_CLOSURE): (S.CLOSED, "cases.approve"),
    (S.CLOSURE_APPROVAL, E.RETURN_CLOSURE): (S.REVIEW, "cases.approve"),
    (S.FOLLOW_UP, E.COMPLETE_FOLLOW_UP): (S.CLOSED, "cases.close"),
    (S.FOLLOW_UP, E.REOPEN): (S.ASSESSMENT, "cases.close"),
    (S.CLOSED, E.REOPEN): (S.ASSESSMENT, "cases.close"),
    **{(status, E.MARK_URGENT): (status, "cases.edit") for status in OPEN_STATUSES},
}

ALL_PAIRS = [(status, event) for status in CaseStatus for event in CaseEvent]
LEGAL = [pair for pair in ALL_PAIRS if pair in EXPECTED]
ILLEGAL = [pair for pair in ALL_PAIRS if pair not in EXPECTED]

# Facts under which every guard holds.
GOOD = workflow.CaseFacts(
    has_safety_plan=True,
    has_risk_assessment=True,
    goals=1,
    actions=1,
    reason="because",
    open_actions_reason="explained",
    closure_reason="goals_achieved",
)
# For each guard, a change to GOOD that makes it fail.
BREAKERS = {
    "safety_plan_if_urgent": {"urgent_pending": True},
    "safety_plan_if_required": {"type_requires_safety_plan": True, "has_safety_plan": False},
    "risk_assessment": {"has_risk_assessment": False},
    "plan_has_actions": {"actions": 0},
    "not_own_request": {"actor_is_requester": True},
    "reason": {"reason": "   "},
    "closure_reason": {"closure_reason": ""},
    "open_actions_explained": {"open_actions": 2, "open_actions_reason": ""},
    "follow_ups_done": {"follow_ups_pending": 1},
    "not_already_urgent": {"urgent_pending": True},
}


def test_the_table_is_exactly_the_expected_one():
    actual = {key: (t.target, t.capability) for key, t in workflow.TRANSITIONS.items()}
    assert actual == EXPECTED


def test_every_guard_can_be_broken_here():
    assert set(BREAKERS) == set(workflow.GUARDS)


@pytest.mark.parametrize(("status", "event"), LEGAL)
def test_legal_move_reaches_its_target(status, event):
    transition = workflow.check(status, event, GOOD)
    assert workflow.target(transition, GOOD) == EXPECTED[(status, event)][0]


@pytest.mark.parametrize(("status", "event"), LEGAL)
def test_each_guard_of_a_legal_move_refuses_alone(status, event):
    transition = workflow.transition_for(status, event)
    for guard in transition.guards:
        facts = dataclasses.replace(GOOD, **BREAKERS[guard])
        with pytest.raises(workflow.GuardFailed):
            workflow.check(status, event, facts)


@pytest.mark.parametrize(("status", "event"), ILLEGAL)
def test_illegal_move_is_refused_with_the_stage_named(status, event):
    with pytest.raises(workflow.IllegalTransition) as refused:
        workflow.check(status, event, GOOD)
    assert str(CaseStatus(status).label) in str(refused.value.message)


def test_closure_of_a_reintegrated_child_goes_to_follow_up():
    reintegrated = dataclasses.replace(GOOD, reintegrated=True)
    transition = workflow.check(S.CLOSURE_APPROVAL, E.APPROVE_CLOSURE, reintegrated)
    assert workflow.target(transition, reintegrated) == S.FOLLOW_UP
    assert workflow.target(transition, GOOD) == S.CLOSED


def test_supervisor_approval_is_required_for_plan_and_closure():
    for event in (E.APPROVE_PLAN, E.APPROVE_CLOSURE, E.RETURN_PLAN, E.RETURN_CLOSURE):
        transitions = [t for t in workflow.TRANSITIONS.values() if t.event == event]
        assert transitions
        assert all(t.capability == "cases.approve" for t in transitions)
    assert "not_own_request" in workflow.transition_for(S.PLAN_APPROVAL, E.APPROVE_PLAN).guards


def test_closing_with_open_actions_needs_a_reason():
    facts = dataclasses.replace(GOOD, open_actions=3, open_actions_reason="")
    with pytest.raises(workflow.GuardFailed) as refused:
        workflow.check(S.REVIEW, E.REQUEST_CLOSURE, facts)
    assert "still open" in str(refused.value.message)
    workflow.check(S.REVIEW, E.REQUEST_CLOSURE, dataclasses.replace(facts, open_actions_reason="moved away"))


def test_buttons_offered_at_a_stage_are_its_table_rows():
    assert {t.event for t in workflow.events_from(S.REVIEW)} == {
        E.CONTINUE_PLAN,
        E.REVISE_PLAN,
        E.REQUEST_CLOSURE,
        E.MARK_URGENT,
    }
    assert workflow.events_from(S.CLOSED)[0].event == E.REOPEN
