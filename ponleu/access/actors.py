"""The Actor: who is acting, for which organisation, with what reach.

Views, endpoints, tasks and commands build one Actor and hand it to services and
selectors; those never look at ``request``.

Holes this module closes on purpose (each has a test in tests/security/test_scope.py):

- an inactive user, an inactive membership or an inactive organisation gives ANONYMOUS;
- a session without the second factor keeps no capability that touches person data;
- a member without areas or teams reaches only what the narrower scopes give, never more;
- the organisation is always part of the filter, so a team, area or owner match in another
  organisation selects nothing;
- a break-the-glass grant is re-checked against the clock on every use, so an Actor kept
  past the grant's expiry loses the record at once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q

from ponleu.common import clock
from ponleu.geography.models import code_range

from . import policy
from .capabilities import CAPABILITIES
from .models import BREAK_GLASS_CAPABILITIES, BreakGlassGrant
from .scopes import Relationship, Scope


class Grant(NamedTuple):
    """One active break-the-glass grant: a record (by model label and id) until a moment."""

    target_type: str
    target_id: str
    expires_at: dt.datetime


def _model_label(model) -> str:
    return model if isinstance(model, str) else model._meta.label_lower


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID | None
    username: str
    organisation_id: uuid.UUID | None
    membership_id: uuid.UUID | None
    role: str | None
    capabilities: dict[str, Scope] = field(default_factory=dict)
    area_codes: tuple[str, ...] = ()
    team_ids: tuple[uuid.UUID, ...] = ()
    is_system: bool = False
    is_verified: bool = False
    grants: tuple[Grant, ...] = ()

    # --- capability and scope -------------------------------------------------------
    def scope_for(self, capability: str) -> Scope:
        scope = self.capabilities.get(capability, Scope.NONE)
        if scope and not (self.is_verified or self.is_system):
            # Password alone never reaches person data: the second factor is mandatory.
            cap = CAPABILITIES.get(capability)
            if cap is None or cap.touches_person_data:
                return Scope.NONE
        return scope

    def can(self, capability: str) -> bool:
        return self.scope_for(capability) > Scope.NONE

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.is_system

    # --- break-the-glass ----------------------------------------------------------
    def granted_ids(self, model, capability: str | None = None) -> list[str]:
        """Ids of ``model`` this actor holds an unexpired grant on (for ``capability``)."""
        if capability is not None and capability not in BREAK_GLASS_CAPABILITIES:
            return []
        if not self.grants or not self.can("access.break_glass"):
            return []
        label = _model_label(model)
        now = clock.now()
        return [g.target_id for g in self.grants if g.target_type == label and g.expires_at > now]

    def has_grant(self, obj, capability: str | None = None) -> bool:
        return str(obj.pk) in self.granted_ids(type(obj), capability)

    # --- relationship to one object -----------------------------------------------
    def relationship_to(
        self,
        *,
        organisation_id,
        area_code: str | None = None,
        team_id=None,
        owner_id=None,
    ) -> Relationship:
        if self.organisation_id is None or organisation_id is None or organisation_id != self.organisation_id:
            return Relationship.OUTSIDE
        if owner_id is not None and self.user_id is not None and owner_id == self.user_id:
            return Relationship.OWN
        if team_id is not None and team_id in self.team_ids:
            return Relationship.TEAM
        if area_code and any(area_code.startswith(code) for code in self.area_codes):
            return Relationship.AREA
        return Relationship.ORG

    def relationship_to_object(self, obj) -> Relationship:
        """The relationship to a record with the usual organisation/area_code/team/owner fields."""
        return self.relationship_to(
            organisation_id=getattr(obj, "organisation_id", None),
            area_code=getattr(obj, "area_code", None),
            team_id=getattr(obj, "team_id", None),
            owner_id=getattr(obj, "owner_id", None),
        )

    def allows(self, capability: str, relationship: Relationship) -> bool:
        return relationship != Relationship.OUTSIDE and int(relationship) <= int(self.scope_for(capability))

    def allows_object(self, capability: str, obj) -> bool:
        """``allows`` for one record, counting an active break-the-glass grant on it."""
        return self.allows(capability, self.relationship_to_object(obj)) or (
            getattr(obj, "organisation_id", None) == self.organisation_id and self.has_grant(obj, capability)
        )

    # --- the same rule as a query filter -----------------------------------------
    def scope_q(
        self,
        capability: str,
        *,
        model=None,
        organisation_field: str = "organisation",
        area_field: str | None = "area_code",
        team_field: str | None = "team",
        owner_field: str | None = "owner",
        grant_paths: dict[str, str] | None = None,
    ) -> Q | None:
        """A filter selecting exactly the objects this actor may act on; None means nothing.

        With ``model``, active break-the-glass grants on that model are ORed in (for the
        capabilities a grant covers). ``grant_paths`` maps other granted models to the field
        that reaches them, e.g. ``{"registry.person": "person"}`` for a case.
        """
        if self.organisation_id is None:
            return None
        org = Q(**{f"{organisation_field}_id": self.organisation_id})
        scope = self.scope_for(capability)
        if scope == Scope.ORG:
            return org
        reach = self._reach_q(scope, area_field=area_field, team_field=team_field, owner_field=owner_field)
        paths = dict(grant_paths or {})
        if model is not None:
            paths.setdefault(_model_label(model), "pk")
        granted = Q(pk__in=[])
        any_grant = False
        for label, path in paths.items():
            ids = self.granted_ids(label, capability)
            if ids:
                any_grant = True
                granted |= Q(**{f"{path}__in": ids})
        if reach is None and not any_grant:
            return None
        if reach is None:
            return org & granted
        return org & (reach | granted) if any_grant else org & reach

    def _reach_q(self, scope: Scope, *, area_field, team_field, owner_field) -> Q | None:
        """Owner, team and area conditions for a scope narrower than the organisation."""
        if scope == Scope.NONE:
            return None
        reach = Q(pk__in=[])
        if owner_field and self.user_id is not None:
            reach |= Q(**{f"{owner_field}_id": self.user_id})
        if scope >= Scope.TEAM and team_field and self.team_ids:
            reach |= Q(**{f"{team_field}_id__in": list(self.team_ids)})
        if scope >= Scope.AREA and area_field:
            for code in self.area_codes:
                low, high = code_range(code)
                reach |= Q(**{f"{area_field}__gte": low, f"{area_field}__lt": high})
        return reach


ANONYMOUS = Actor(user_id=None, username="", organisation_id=None, membership_id=None, role=None)


def system_actor(organisation_id=None, *, name: str = "system") -> Actor:
    """The actor of commands and background tasks: every capability, audited as ``name``.

    Without an organisation it selects nothing through ``visible_to``: a command that works
    across organisations builds one system actor per organisation.
    """
    caps = {cap: Scope.ORG for cap in policy.CAPABILITIES}
    return Actor(
        user_id=None,
        username=name,
        organisation_id=organisation_id,
        membership_id=None,
        role=None,
        capabilities=caps,
        is_system=True,
        is_verified=True,
    )


def active_grants(membership_id) -> tuple[Grant, ...]:
    now = clock.now()
    rows = (
        BreakGlassGrant.objects.filter(membership_id=membership_id)
        .active_at(now)
        .values_list("target_type", "target_id", "expires_at")
    )
    return tuple(Grant(*row) for row in rows)


def actor_for_membership(membership, *, is_verified: bool = False) -> Actor:
    """Build the actor for a membership (teams, areas and open grants in three small queries)."""
    if not membership.is_active or not membership.user.is_active or not membership.organisation.is_active:
        return ANONYMOUS
    capabilities = policy.capabilities_of(membership.role)
    grants = active_grants(membership.id) if "access.break_glass" in capabilities else ()
    return Actor(
        user_id=membership.user_id,
        username=membership.user.username,
        organisation_id=membership.organisation_id,
        membership_id=membership.id,
        role=membership.role,
        capabilities=capabilities,
        area_codes=tuple(sorted(membership.areas.values_list("code", flat=True))),
        team_ids=tuple(
            membership.teams.filter(organisation_id=membership.organisation_id).values_list("id", flat=True)
        ),
        is_verified=is_verified,
        grants=grants,
    )
