"""Questions about one plan, answered from the policy table through the plan's household."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ponleu.access.scoping import relationship_of
from ponleu.common.errors import PermissionDenied

from .models import SupportNeed, SupportPlan


def can(actor, capability: str, plan: SupportPlan) -> bool:
    """Within the actor's reach for ``capability``, where the plan's household stands."""
    return actor.allows(capability, relationship_of(actor, plan))


def require(actor, capability: str, plan: SupportPlan) -> None:
    """Services check again; templates only hide buttons."""
    if not can(actor, capability, plan):
        raise PermissionDenied()


def can_edit(actor, plan: SupportPlan) -> bool:
    return plan.is_open and can(actor, "family_support.edit", plan)


def open_needs(needs) -> list[SupportNeed]:
    """The needs that still stand: graduation waits for every one of them."""
    return [need for need in needs if need.is_open]


def graduation_gaps(needs) -> list[str]:
    """Why the household cannot graduate yet; empty when it can."""
    waiting = open_needs(needs)
    if not waiting:
        return []
    return [
        _("%(area)s is not met yet (%(level)s).")
        % {"area": need.get_domain_display(), "level": need.get_level_display()}
        for need in waiting
    ]
