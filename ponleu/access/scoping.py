"""The one scoped queryset: every model that holds data about a person or a case uses it.

A model declares where its scope lives, once, and gets ``visible_to(actor)`` and
``actionable_by(actor, capability)`` built on ``Actor.scope_q``::

    class CaseQuerySet(ScopedQuerySet):
        scoping = Scoping(view="cases.view", grants={"registry.person": "person"})

    class Goal(TimestampedModel):
        case = models.ForeignKey(Case, ...)
        objects = ScopedQuerySet.declare(via="case").as_manager()

A row declared ``via=`` a foreign key shares its parent's scope: the parent's fields are
reached through the key (a join, not a second query), the parent's break-the-glass grants
open it too, and it is seen with the parent's view capability unless it names its own.
``tests/security/test_scope_declarations.py`` fails for a model with a foreign key to a
scoped model that is not itself scoped, so a new child row cannot be left without one.

A row another organisation shared with the actor's (a referral and its shared record) also
declares a second, narrower scope, ``shared=SharedWith(...)``: "shared with us". Members of
the receiving organisation holding its capability reach the row through the receiving
organisation's fields, and only while every ``open_when`` lookup holds; the lookups are part
of the same query, so withdrawing consent ends the sharing within the request that records it.

Relationship to one row (``relationship_of``) reads the same declared fields, so the
question "how does this actor stand to this row" has one answer for lists and for pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import models
from django.db.models import Q

from .scopes import Relationship


@dataclass(frozen=True)
class SharedWith:
    """The "shared with us" scope: the receiving organisation's side of a row."""

    view: str
    organisation: str
    team: str | None = None
    owner: str | None = None
    # The condition that holds while the row is shared, built at query time (it may read the
    # clock: a consent expires at midnight); the row is out of reach as soon as it fails.
    open_when: Callable[[], Q] | None = None
    # Capabilities the receiving side acts with on the row, besides seeing it.
    acts: tuple[str, ...] = ()

    def prefixed(self, prefix: str) -> SharedWith:
        def under(path):
            return f"{prefix}__{path}" if path else path

        return replace(
            self,
            organisation=under(self.organisation),
            team=under(self.team),
            owner=under(self.owner),
            open_when=_prefixed_condition(self.open_when, prefix) if self.open_when else None,
        )

    def q(self, actor, capability: str) -> Q | None:
        receiving = self.view if capability == self.view else capability
        q = actor.scope_q(
            receiving,
            organisation_field=self.organisation,
            area_field=None,
            team_field=self.team,
            owner_field=self.owner,
        )
        if q is None:
            return None
        return q & self.open_when() if self.open_when else q


def _prefix_q(q: Q, prefix: str) -> Q:
    prefixed = Q()
    prefixed.connector, prefixed.negated = q.connector, q.negated
    prefixed.children = [
        _prefix_q(child, prefix) if isinstance(child, Q) else (f"{prefix}__{child[0]}", child[1])
        for child in q.children
    ]
    return prefixed


def _prefixed_condition(condition: Callable[[], Q], prefix: str) -> Callable[[], Q]:
    return lambda: _prefix_q(condition(), prefix)


@dataclass(frozen=True)
class Scoping:
    """Where a model's scope lives. Paths are Django lookups from the model (``"case__team"``)."""

    view: str | None = None
    organisation: str = "organisation"
    area: str | None = "area_code"
    team: str | None = "team"
    owner: str | None = "owner"
    # Other models whose break-the-glass grant opens this row, by label, with the path to them.
    grants: dict[str, str] = field(default_factory=dict)
    via: str | None = None
    # Working on the row clears one for its person's identity even when sensitive (a case's
    # caseworker and team); see access/policies.py.
    clears_identity: bool = False
    shared: SharedWith | None = None

    def prefixed(self, prefix: str) -> Scoping:
        def under(path):
            return f"{prefix}__{path}" if path else path

        return replace(
            self,
            organisation=under(self.organisation),
            area=under(self.area),
            team=under(self.team),
            owner=under(self.owner),
            grants={label: under(path) if path != "pk" else prefix for label, path in self.grants.items()},
            via=None,
            shared=self.shared.prefixed(prefix) if self.shared else None,
        )


def resolve(model) -> Scoping:
    """The model's scoping with every ``via`` followed to the parent that holds the fields."""
    queryset_class = type(model._default_manager.get_queryset())
    spec: Scoping | None = getattr(queryset_class, "scoping", None)
    if spec is None:
        raise TypeError(f"{model._meta.label} declares no scoping")
    if spec.via is None:
        grants = {model._meta.label_lower: "pk", **spec.grants}
        return replace(spec, grants=grants)
    parent_model = model._meta.get_field(spec.via).related_model
    parent = resolve(parent_model).prefixed(spec.via)
    grants = {**parent.grants, **{label: path for label, path in spec.grants.items()}}
    return replace(parent, view=spec.view or parent.view, grants=grants, clears_identity=spec.clears_identity)


def is_scoped(model) -> bool:
    return isinstance(model._default_manager.get_queryset(), ScopedQuerySet)


def _id_path(path: str | None) -> str | None:
    return f"{path}_id" if path else None


class ScopedQuerySet(models.QuerySet):
    scoping: Scoping | None = None

    @classmethod
    def declare(cls, **spec) -> type[ScopedQuerySet]:
        """A queryset class for a model that needs no methods of its own."""
        return type(f"Scoped{cls.__name__}", (cls,), {"scoping": Scoping(**spec)})

    # --- the choke point ----------------------------------------------------------
    def visible_to(self, actor):
        spec = resolve(self.model)
        if spec.view is None:
            raise TypeError(f"{self.model._meta.label} declares no view capability")
        return self.actionable_by(actor, spec.view)

    def actionable_by(self, actor, capability: str):
        spec = resolve(self.model)
        q = actor.scope_q(
            capability,
            organisation_field=spec.organisation,
            area_field=spec.area,
            team_field=spec.team,
            owner_field=spec.owner,
            grant_paths=spec.grants,
        )
        extra = self.extra_reach(actor, capability)
        shared = spec.shared
        if shared is not None and capability in (spec.view, shared.view, *shared.acts):
            shared_q = shared.q(actor, shared.view if capability == spec.view else capability)
            if shared_q is not None:
                extra = shared_q if extra is None else extra | shared_q
        if q is None and extra is None:
            return self.none()
        if q is None:
            return self.filter(extra)
        return self.filter(q | extra) if extra is not None else self.filter(q)

    def extra_reach(self, actor, capability: str) -> Q | None:
        """Rows a model reaches by a rule the four scope fields cannot say (a teacher's school)."""
        return None

    # --- how an actor stands to rows ------------------------------------------------
    def relationships(self, actor) -> dict:
        """{pk: Relationship} for the rows of this queryset, read from the declared fields."""
        spec = resolve(self.model)
        paths = {
            "organisation": _id_path(spec.organisation),
            "area": spec.area,
            "team": _id_path(spec.team),
            "owner": _id_path(spec.owner),
        }
        wanted = [p for p in paths.values() if p]
        found = {}
        for row in self.values("pk", *wanted):
            found[row["pk"]] = actor.relationship_to(
                organisation_id=row.get(paths["organisation"]),
                area_code=row.get(paths["area"]) if paths["area"] else None,
                team_id=row.get(paths["team"]) if paths["team"] else None,
                owner_id=row.get(paths["owner"]) if paths["owner"] else None,
            )
        return found


def _walk(obj, path: str | None, *, key: bool = False):
    """Follow ``a__b__c`` through loaded attributes (Django fetches what is not yet loaded)."""
    if not path:
        return None
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id" if key else last, None)


def relationship_of(actor, obj) -> Relationship:
    """How ``actor`` stands to one row of a scoped model. Rows whose scope lives on a parent
    read it through the parent; select_related the parent to keep a list at one query."""
    spec = resolve(type(obj))
    return actor.relationship_to(
        organisation_id=_walk(obj, spec.organisation, key=True),
        area_code=_walk(obj, spec.area) or None,
        team_id=_walk(obj, spec.team, key=True),
        owner_id=_walk(obj, spec.owner, key=True),
    )
