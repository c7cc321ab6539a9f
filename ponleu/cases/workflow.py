"""The case workflow as one explicit table: (status, event) → target status.

Each row also names the capability the event needs and the guards that must hold. Guards
read a small ``CaseFacts`` record the service gathers, so this module is pure: it never
touches the database, and the tests walk every (status, event) pair without one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ponleu.common.errors import DomainError

from .choices import OPEN_STATUSES, CaseEvent, CaseStatus

S = CaseStatus
E = CaseEvent

URGENT_DEADLINE_HOURS = 24
FOLLOW_UP_MONTHS = (3, 6, 12)


class IllegalTransition(DomainError):
    default_message = _("This step is not possible at the case's current stage.")


class GuardFailed(DomainError):
    default_message = _("This step is not possible yet.")


@dataclass(frozen=True)
class CaseFacts:
    """What the guards need to know about the case and the request; gathered by the service."""

    urgent_pending: bool = False  # flagged in immediate danger, no safety plan since
    has_safety_plan: bool = False
    type_requires_safety_plan: bool = False
    has_risk_assessment: bool = False
    goals: int = 0
    open_actions: int = 0
    actions: int = 0
    reintegrated: bool = False
    follow_ups_pending: int = 0
    actor_is_requester: bool = False
    reason: str = ""
    open_actions_reason: str = ""
    closure_reason: str = ""


@dataclass(frozen=True)
class Transition:
    source: str
    event: str
    target: str
    capability: str
    guards: tuple[str, ...] = ()
    # Closure approval leads to the follow-up stage when the child was reintegrated.
    target_if_reintegrated: str | None = None

    @property
    def label(self):
        return CaseEvent(self.event).label


def _guard_messages():
    return {
        "safety_plan_if_urgent": _(
            "The child is in immediate danger: record the safety plan before going on (24-hour deadline)."
        ),
        "safety_plan_if_required": _("This type of case needs a safety plan: record it before going on."),
        "risk_assessment": _("Record the danger-factor assessment before writing the case plan."),
        "plan_has_actions": _(
            "The case plan needs at least one goal with one action before it is submitted."
        ),
        "not_own_request": _("Someone else must approve: you cannot approve your own request."),
        "reason": _("Give a reason."),
        "closure_reason": _("Choose the reason for closing the case."),
        "open_actions_explained": _(
            "Some actions of the case plan are still open: finish them or explain why the case closes anyway."
        ),
        "follow_ups_done": _("Record the 3-, 6- and 12-month follow-up visits first."),
        "not_already_urgent": _("The case is already marked urgent and waits for its safety plan."),
    }


def _guard_holds(name: str, facts: CaseFacts) -> bool:
    checks = {
        "safety_plan_if_urgent": not facts.urgent_pending,
        "safety_plan_if_required": not facts.type_requires_safety_plan or facts.has_safety_plan,
        "risk_assessment": facts.has_risk_assessment,
        "plan_has_actions": facts.goals > 0 and facts.actions > 0,
        "not_own_request": not facts.actor_is_requester,
        "reason": bool(facts.reason.strip()),
        "closure_reason": bool(facts.closure_reason),
        "open_actions_explained": facts.open_actions == 0 or bool(facts.open_actions_reason.strip()),
        "follow_ups_done": facts.follow_ups_pending == 0,
        "not_already_urgent": not facts.urgent_pending,
    }
    return checks[name]


GUARDS = tuple(_guard_messages())

_ROWS = [
    # source, event, target, capability, guards
    (S.IDENTIFIED, E.START_INTAKE, S.INTAKE, "cases.edit", ()),
    (S.INTAKE, E.COMPLETE_SCREENING, S.ASSESSMENT, "cases.edit", ("safety_plan_if_urgent",)),
    (
        S.ASSESSMENT,
        E.COMPLETE_ASSESSMENT,
        S.CASE_PLAN,
        "cases.edit",
        ("safety_plan_if_urgent", "safety_plan_if_required", "risk_assessment"),
    ),
    (
        S.CASE_PLAN,
        E.SUBMIT_PLAN,
        S.PLAN_APPROVAL,
        "cases.edit",
        ("safety_plan_if_urgent", "plan_has_actions"),
    ),
    (S.PLAN_APPROVAL, E.APPROVE_PLAN, S.IMPLEMENTATION, "cases.approve", ("not_own_request",)),
    (S.PLAN_APPROVAL, E.RETURN_PLAN, S.CASE_PLAN, "cases.approve", ("reason",)),
    (S.IMPLEMENTATION, E.START_REVIEW, S.REVIEW, "cases.edit", ()),
    (S.REVIEW, E.CONTINUE_PLAN, S.IMPLEMENTATION, "cases.edit", ()),
    (S.REVIEW, E.REVISE_PLAN, S.CASE_PLAN, "cases.edit", ()),
    # A case closes from screening (no concern found), or after the plan ran its course.
    (
        S.INTAKE,
        E.REQUEST_CLOSURE,
        S.CLOSURE_APPROVAL,
        "cases.close",
        ("safety_plan_if_urgent", "closure_reason"),
    ),
    (
        S.IMPLEMENTATION,
        E.REQUEST_CLOSURE,
        S.CLOSURE_APPROVAL,
        "cases.close",
        ("safety_plan_if_urgent", "closure_reason", "open_actions_explained"),
    ),
    (
        S.REVIEW,
        E.REQUEST_CLOSURE,
        S.CLOSURE_APPROVAL,
        "cases.close",
        ("safety_plan_if_urgent", "closure_reason", "open_actions_explained"),
    ),
    (S.CLOSURE_APPROVAL, E.RETURN_CLOSURE, S.REVIEW, "cases.approve", ("reason",)),
    (S.FOLLOW_UP, E.COMPLETE_FOLLOW_UP, S.CLOSED, "cases.close", ("follow_ups_done",)),
    (S.FOLLOW_UP, E.REOPEN, S.ASSESSMENT, "cases.close", ("reason",)),
    (S.CLOSED, E.REOPEN, S.ASSESSMENT, "cases.close", ("reason",)),
]
# Immediate danger can be declared at any open stage; the stage stays, the deadline starts.
_ROWS += [(status, E.MARK_URGENT, status, "cases.edit", ("not_already_urgent",)) for status in OPEN_STATUSES]

TRANSITIONS: dict[tuple[str, str], Transition] = {
    (source, event): Transition(source, event, target, capability, guards)
    for source, event, target, capability, guards in _ROWS
}
TRANSITIONS[(S.CLOSURE_APPROVAL, E.APPROVE_CLOSURE)] = Transition(
    S.CLOSURE_APPROVAL,
    E.APPROVE_CLOSURE,
    S.CLOSED,
    "cases.approve",
    ("not_own_request",),
    target_if_reintegrated=S.FOLLOW_UP,
)

# Events that need a supervisor's decision, and the approval they settle.
APPROVAL_REQUESTS = {E.SUBMIT_PLAN: "case_plan", E.REQUEST_CLOSURE: "closure"}
APPROVAL_DECISIONS = {
    E.APPROVE_PLAN: ("case_plan", True),
    E.RETURN_PLAN: ("case_plan", False),
    E.APPROVE_CLOSURE: ("closure", True),
    E.RETURN_CLOSURE: ("closure", False),
}


def transition_for(status: str, event: str) -> Transition:
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise IllegalTransition(
            _("“%(event)s” is not possible while the case is at the stage “%(status)s”.")
            % {"event": _label(CaseEvent, event), "status": _label(CaseStatus, status)},
            field="event",
        ) from None


def failed_guards(transition: Transition, facts: CaseFacts) -> list[str]:
    return [name for name in transition.guards if not _guard_holds(name, facts)]


def check(status: str, event: str, facts: CaseFacts) -> Transition:
    """The transition, or the first reason it is refused (IllegalTransition / GuardFailed)."""
    transition = transition_for(status, event)
    failed = failed_guards(transition, facts)
    if failed:
        raise GuardFailed(_guard_messages()[failed[0]], field="event")
    return transition


def target(transition: Transition, facts: CaseFacts) -> str:
    if transition.target_if_reintegrated and facts.reintegrated:
        return transition.target_if_reintegrated
    return transition.target


def events_from(status: str) -> list[Transition]:
    """Every event possible at this stage, in table order (the buttons a page may offer)."""
    return [t for (source, _event), t in TRANSITIONS.items() if source == status]


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)
