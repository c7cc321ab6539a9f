"""Objects at a known distance from a member: the object side of the authorization matrix.

A *scope factory* builds, for one member of the test world and one scope name, an object
whose relationship to that member is known by construction (who owns it, which team and
village it sits in, which organisation), never by asking ``Actor``. The matrix test
(tests/security/test_matrix.py, engine in ponleu/testing/permissions.py) finds a route's
factory by the route's URL keyword argument, so a new route with ``<uuid:person_id>`` is
covered without writing anything; a route with a new kind of object needs one factory here:

    @scope_factory("case_id")
    def case_in_scope(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
        person = world.person(member, scope)          # reuse the person at that distance
        if person is None:
            return None
        case = Case.objects.create(person=person.obj, organisation_id=person.obj.organisation_id, ...)
        return person.derive(kwargs={"case_id": case.pk}, obj=case)

Return None when a scope cannot exist for that member (a member without a team has no
"same_team" object). Put every identifying value a response could leak (names, nicknames,
free text) in ``identifying``: the matrix fails when one appears in a response to an
identity that may not see that person.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ponleu.access.models import BreakGlassGrant
from ponleu.access.scopes import Relationship
from ponleu.common import clock
from ponleu.organisations.choices import Role
from ponleu.testing.world import UNITS, World, build_world, make_member

# Each scope says how an object stands to the member it was built for.
OWN = "own"  # owned by the member; outside their teams and areas
SAME_TEAM = "same_team"  # one of the member's teams; not theirs, outside their areas
SAME_AREA = "same_area"  # in the member's areas; nobody's, no team
SAME_ORG = "same_org"  # the member's organisation, outside every narrower reach
OTHER_ORG = "other_org"  # another organisation, though owned by the member and in their area
SENSITIVE = "sensitive"  # as same_area (own if no areas), marked sensitive
BREAK_GLASS_ACTIVE = "break_glass_active"  # as same_org, with the member's open grant on it
BREAK_GLASS_EXPIRED = "break_glass_expired"  # as same_org, with the member's grant expired
MISSING = "missing"  # no such object
# Only referrals stand here: another organisation referred a child to the member's, with consent
# (or an approved legal exception); the member's side reaches it through "shared with us".
SHARED_WITH_US = "shared_with_us"
# As shared_with_us, but the consent was withdrawn: out of everyone's reach on the receiving side.
SHARED_CONSENT_WITHDRAWN = "shared_consent_withdrawn"
# Only the adversarial pass (ponleu/testing/input_values.py) uses this one: the path matrix's
# "same_org" already stands outside every team of the member.
OTHER_TEAM = "other_team"  # the member's organisation, a team that is not theirs, outside their areas

SCOPES = (
    OWN,
    SAME_TEAM,
    SAME_AREA,
    SAME_ORG,
    OTHER_ORG,
    SENSITIVE,
    BREAK_GLASS_ACTIVE,
    BREAK_GLASS_EXPIRED,
    SHARED_WITH_US,
    SHARED_CONSENT_WITHDRAWN,
    MISSING,
)

VILLAGES = [code for code, level, *_ in UNITS if level == "village"]


@dataclass(frozen=True)
class PersonFacts:
    """What the oracle needs to know about one person, kept apart from the model."""

    id: str
    organisation_id: uuid.UUID
    owner_id: uuid.UUID | None
    team_id: uuid.UUID | None
    area_code: str
    sensitive: bool
    identifying: tuple[str, ...]


@dataclass(frozen=True)
class MemberFacts:
    key: str
    role: str
    organisation_id: uuid.UUID
    user_id: uuid.UUID
    membership_id: uuid.UUID
    team_ids: frozenset
    area_codes: tuple[str, ...]
    verified: bool = True


@dataclass(frozen=True)
class ScopedObject:
    """One object for one (member, scope): the URL kwargs that name it and what it means."""

    scope: str
    kwargs: dict
    obj: object = None
    relationship: Relationship | None = None  # None: the object does not exist
    sensitive: bool = False
    grant: str | None = None  # "active" or "expired"
    identifying: tuple[str, ...] = ()
    person_ids: tuple[str, ...] = ()  # people whose identity this object carries
    # The capability that makes the object visible (a case: "cases.view"); acting on an
    # object needs it too, except for policy.ACTS_WITHOUT_VIEW.
    view_capability: str = "registry.view"
    # Capabilities judged by another on this object: a shared referral is seen with
    # "referrals.view" by those who hold "referrals.receive" at the receiving side's distance.
    reach_as: dict = field(default_factory=dict)

    def derive(
        self, *, kwargs: dict, obj=None, identifying: tuple[str, ...] = (), view_capability: str | None = None
    ) -> ScopedObject:
        """The same distance, for an object hanging off this one (a case of this person)."""
        return replace(
            self,
            kwargs=kwargs,
            obj=obj,
            identifying=self.identifying + tuple(identifying),
            view_capability=view_capability or self.view_capability,
        )


def relationship_of(member: MemberFacts, person: PersonFacts) -> Relationship:
    """The narrowest true relationship, from the facts alone (the oracle's own copy)."""
    if person.organisation_id != member.organisation_id:
        return Relationship.OUTSIDE
    if person.owner_id is not None and person.owner_id == member.user_id:
        return Relationship.OWN
    if person.team_id is not None and person.team_id in member.team_ids:
        return Relationship.TEAM
    if person.area_code and any(person.area_code.startswith(code) for code in member.area_codes):
        return Relationship.AREA
    return Relationship.ORG


Factory = Callable[["MatrixWorld", str, str], ScopedObject | None]
# Keyed by the URL keyword arguments a factory fills, sorted and joined with "+".
FACTORIES: dict[str, Factory] = {}
# URL keyword arguments that are not objects (a workflow step, a form number): sample values.
PARAMETERS: dict[str, str] = {}


def factory_key(kwargs) -> str:
    return "+".join(sorted(kwargs))


def scope_factory(kwarg: str, *, provides: tuple[str, ...] = ()):
    """Register the factory for routes whose object keyword arguments are ``kwarg`` (plus
    ``provides``, for a nested route such as ``<person_id>/documents/<identifier_id>``)."""
    key = factory_key((kwarg, *provides))

    def register(func: Factory) -> Factory:
        if key in FACTORIES:
            raise ValueError(f"a scope factory for {key!r} is already registered")
        FACTORIES[key] = func
        return func

    return register


def route_parameter(kwarg: str, value) -> None:
    """Declare a URL keyword argument that names no object, with the value the matrix sends."""
    PARAMETERS[kwarg] = value


# Members beyond the test world's: one who logs in with a password but no second factor.
UNVERIFIED = "caseworker_unverified"
# The matrix's members: one per role, plus the password-only one. The world's second
# caseworker and the partner organisation's members add nothing the scopes do not already
# cover (every role meets another organisation's records through "other_org").
MATRIX_MEMBERS = (
    "field_worker",
    "caseworker_a",
    "supervisor",
    "teacher",
    "me_officer",
    "org_admin",
    "dpo",
    "system_admin",
    UNVERIFIED,
)


@dataclass
class MatrixWorld:
    """The test world plus every object the matrix builds, made once per test module."""

    world: World
    members: dict[str, MemberFacts] = field(default_factory=dict)
    people: dict[str, PersonFacts] = field(default_factory=dict)
    grants: set = field(default_factory=set)  # (member key, person id) with an active grant
    _cache: dict = field(default_factory=dict)
    _counter: itertools.count = field(default_factory=itertools.count)

    # --- building -----------------------------------------------------------------
    @classmethod
    def build(cls) -> MatrixWorld:
        world = build_world()
        extra = make_member(world.org, UNVERIFIED, Role.CASEWORKER, teams=[world.team_a], areas=["0201"])
        world.members[UNVERIFIED] = extra
        matrix = cls(world=world)
        for key, membership in world.members.items():
            matrix.members[key] = MemberFacts(
                key=key,
                role=membership.role,
                organisation_id=membership.organisation_id,
                user_id=membership.user_id,
                membership_id=membership.id,
                team_ids=frozenset(membership.teams.values_list("id", flat=True)),
                area_codes=tuple(membership.areas.values_list("code", flat=True)),
                verified=key != UNVERIFIED,
            )
        return matrix

    def scoped(self, key: str, member: str, scope: str) -> ScopedObject | None:
        """The object for (factory key, member, scope), built once and reused.

        "missing" is the same object with its own (last) id replaced by one that exists nowhere.
        """
        cache_key = (key, member, scope)
        if cache_key not in self._cache:
            if scope == MISSING:
                self._cache[cache_key] = self._missing(key, member)
            else:
                self._cache[cache_key] = FACTORIES[key](self, member, scope)
        return self._cache[cache_key]

    def _missing(self, key: str, member: str) -> ScopedObject | None:
        kwargs = key.split("+")
        if len(kwargs) == 1:
            return ScopedObject(scope=MISSING, kwargs={kwargs[0]: uuid.uuid4()})
        # A nested route: the parents exist and are the member's own, the leaf does not.
        own = self.scoped(key, member, OWN)
        if own is None:
            return None
        leaf = next(reversed(own.kwargs))
        return ScopedObject(scope=MISSING, kwargs={**own.kwargs, leaf: uuid.uuid4()})

    # --- places and people ----------------------------------------------------------
    def village_inside(self, member: str) -> str | None:
        areas = self.members[member].area_codes
        return next((v for v in VILLAGES if any(v.startswith(a) for a in areas)), None)

    def village_outside(self, member: str) -> str:
        areas = self.members[member].area_codes
        return next(v for v in VILLAGES if not any(v.startswith(a) for a in areas))

    def token(self, prefix: str) -> str:
        # Unique, unmistakable and never a substring of another token.
        return f"{prefix}{next(self._counter):03d}Q{secrets.token_hex(3)}Z"

    def person(self, member: str, scope: str) -> ScopedObject | None:
        return self.scoped("person_id", member, scope)

    def make_person(
        self,
        *,
        member: str,
        scope: str,
        organisation,
        village: str,
        owner_id=None,
        team=None,
        sensitive: bool = False,
        grant: str | None = None,
    ) -> ScopedObject:
        from ponleu.registry.models import Person  # registry sits above the testing helpers' imports

        family, given = self.token("Fam"), self.token("Giv")
        family_km = "សុខ" + self.token("K")
        person = Person.objects.create(
            organisation=organisation,
            village_id=village,
            team=team,
            owner_id=owner_id,
            family_name_latin=family,
            given_name_latin=given,
            family_name_km=family_km,
            given_name_km="ដារា",
            is_sensitive=sensitive,
        )
        facts = PersonFacts(
            id=str(person.pk),
            organisation_id=person.organisation_id,
            owner_id=person.owner_id,
            team_id=person.team_id,
            area_code=person.area_code,
            sensitive=sensitive,
            identifying=(family, given, family_km),
        )
        self.people[facts.id] = facts
        if grant is not None:
            self.open_grant(member, person, active=grant == "active")
        return ScopedObject(
            scope=scope,
            kwargs={"person_id": person.pk},
            obj=person,
            relationship=relationship_of(self.members[member], facts),
            sensitive=sensitive,
            grant=grant,
            identifying=facts.identifying,
            person_ids=(facts.id,),
        )

    def open_grant(self, member: str, obj, *, active: bool) -> BreakGlassGrant:
        """A grant row as break_glass_open would leave it (the service itself is tested apart)."""
        facts = self.members[member]
        now = clock.now()
        opened = now - dt.timedelta(minutes=10) if active else now - dt.timedelta(hours=3)
        grant = BreakGlassGrant.objects.create(
            organisation_id=facts.organisation_id,
            membership_id=facts.membership_id,
            user_id=facts.user_id,
            target_type=obj._meta.label_lower,
            target_id=str(obj.pk),
            reason="Matrix test: a child reported missing tonight, caseworker unreachable.",
            opened_at=opened,
            expires_at=opened + dt.timedelta(hours=1),
        )
        if active:
            self.grants.add((member, str(obj.pk)))
        return grant

    def placement(self, member: str, scope: str) -> dict | None:
        """Organisation, village, owner and team that put an object at ``scope`` from ``member``."""
        facts = self.members[member]
        membership = self.world.members[member]
        own_org = membership.organisation
        other_org = self.world.other_org if own_org == self.world.org else self.world.org
        outside = self.village_outside(member)
        inside = self.village_inside(member)
        team = membership.teams.order_by("name").first()
        if scope == OWN:
            return {"organisation": own_org, "village": outside, "owner_id": facts.user_id}
        if scope == SAME_TEAM:
            return None if team is None else {"organisation": own_org, "village": outside, "team": team}
        if scope == SAME_AREA:
            return None if inside is None else {"organisation": own_org, "village": inside}
        if scope == SAME_ORG:
            return {"organisation": own_org, "village": outside}
        if scope == OTHER_TEAM:
            others = [t for t in own_org.teams.order_by("name") if t.pk not in facts.team_ids]
            return None if not others else {"organisation": own_org, "village": outside, "team": others[0]}
        if scope == OTHER_ORG:
            return {"organisation": other_org, "village": inside or outside, "owner_id": facts.user_id}
        if scope == SENSITIVE:
            if inside is not None:
                return {"organisation": own_org, "village": inside, "sensitive": True}
            return {"organisation": own_org, "village": outside, "owner_id": facts.user_id, "sensitive": True}
        if scope == BREAK_GLASS_ACTIVE:
            return {"organisation": own_org, "village": outside, "grant": "active"}
        if scope == BREAK_GLASS_EXPIRED:
            return {"organisation": own_org, "village": outside, "grant": "expired"}
        if scope in (SHARED_WITH_US, SHARED_CONSENT_WITHDRAWN):
            return None  # no record of one's own stands there; referral factories build their own
        raise ValueError(f"unknown scope {scope!r}")


@scope_factory("person_id")
def person_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    placement = world.placement(member, scope)
    if placement is None:
        return None
    return world.make_person(member=member, scope=scope, **placement)


@scope_factory("household_id")
def household_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.registry.models import Household, HouseholdMember

    placement = world.placement(member, scope)
    if placement is None:
        return None
    grant = placement.get("grant")
    head = world.make_person(member=member, scope=scope, **placement)
    address = world.token("Addr")
    # The address identifies the household's people as much as their names do.
    facts = world.people[head.person_ids[0]]
    world.people[facts.id] = replace(facts, identifying=(*facts.identifying, address))
    household = Household.objects.create(
        organisation=placement["organisation"],
        village_id=placement["village"],
        team=placement.get("team"),
        owner_id=placement.get("owner_id"),
        address_detail=address,
    )
    HouseholdMember.objects.create(household=household, person=head.obj, relationship="head")
    if grant is not None:
        world.open_grant(member, household, active=grant == "active")
    return replace(
        head,
        kwargs={"household_id": household.pk},
        obj=household,
        grant=grant,
        identifying=(*head.identifying, address),
    )


# A password reset link carries a secret, not an object id: the matrix sends one that opens
# nothing, so every identity meets the page for a link that does not work.
route_parameter("token", "not-a-reset-link")

# Education and early-warning routes (school_id, class_id, enrolment_id, flag_id, ...).
# Case routes (case_id and the records under it, case_type_id).
# Registry records under a person or household, and import jobs.
# Each module registers its factories on import.
from . import case_scopes  # noqa: E402,F401,I001
from . import education_scopes  # noqa: E402,F401,I001
from . import registry_scopes  # noqa: E402,F401,I001
from . import referral_scopes  # noqa: E402,F401,I001
from . import family_support_scopes  # noqa: E402,F401,I001
from . import collection_scopes  # noqa: E402,F401,I001
from . import programmes_scopes  # noqa: E402,F401,I001
from . import nutrition_scopes  # noqa: E402,F401,I001
from . import employment_scopes  # noqa: E402,F401,I001
from . import maternal_scopes  # noqa: E402,F401,I001
from . import scholarships_scopes  # noqa: E402,F401,I001
from . import early_childhood_scopes  # noqa: E402,F401,I001
