"""Per-object permission questions about cases, answered from the policy table."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ponleu.access import policies as access_policies
from ponleu.access.scopes import Relationship
from ponleu.common.errors import PermissionDenied

from .models import Case


def relationship(actor, case: Case) -> Relationship:
    return actor.relationship_to(**case.scope_fields())


def by_grant_only(actor, capability: str, case: Case) -> bool:
    """Reached through break-the-glass alone (on the case or on its child), not by scope."""
    return case.reached_by_grant_only(actor, capability)


def can(actor, capability: str, case: Case) -> bool:
    return actor.allows(capability, relationship(actor, case)) or case.granted_to(actor, capability)


def require(actor, capability: str, case: Case) -> None:
    if not can(actor, capability, case):
        raise PermissionDenied(_("You are not allowed to do this on this case."))


def can_see_identity(actor, case: Case) -> bool:
    """The identity policy for the case's child, with the case as witness: its caseworker and
    team are cleared for the child even when the case or the child is sensitive."""
    return access_policies.can_see_identity(actor, case.person, witness=case)


def can_open_case_for(actor, person) -> bool:
    return actor.allows("cases.open", actor.relationship_to_object(person))


def can_approve(actor, case: Case) -> bool:
    return can(actor, "cases.approve", case)


def child_label(actor, case: Case) -> str:
    """The child's name, or initials when the identity policy masks it."""
    return access_policies.identity_label(actor, case.person, witness=case)


def label_children(actor, cases) -> list:
    cases = list(cases)
    for case in cases:
        case.child_label = child_label(actor, case)
        case.identity_visible = can_see_identity(actor, case)
    return cases
