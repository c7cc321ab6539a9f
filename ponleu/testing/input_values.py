"""Values for id-typed inputs: for each kind of object and each scope, an id the matrix sends.

Records (people, cases, pupils...) come from the scope factories of the path-id matrix
(ponleu/testing/scopes.py and its siblings), so an input and a URL keyword of the same kind name
the same objects. What a member may do with each comes from the policy table, as there; three
more rules cover ids that are not child records:

- ``org``: an organisation's own fact (a user, a team, a membership): usable within the
  member's organisation, never across;
- ``own``: the member's own thing (a device token): nobody else's;
- ``chain``: a record that hangs off the object the path names (a goal of *this* case, a pupil
  of *this* class): usable only under its own parent.

Two things are added to the world for the adversarial pass: every household gets a primary
caregiver who is out of the member's reach (a *stranger*), and each member gets a *subject*
child at each distance who lives in such a household, so a page or an API answer that reaches
through a household to people the caller cannot see shows it. The people the pass searches for
by name are the subjects.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, replace

from . import education_scopes
from .inputs import KEYED, KIND_OF
from .scopes import (
    MISSING,
    OTHER_ORG,
    OTHER_TEAM,
    OWN,
    SAME_AREA,
    SAME_ORG,
    SAME_TEAM,
    SENSITIVE,
    MatrixWorld,
    ScopedObject,
    factory_key,
)

MALFORMED = "malformed"
# The scopes the adversarial pass fills every input with (break-the-glass grants are the path
# matrix's business: an input never opens a record a grant would not).
INPUT_SCOPES = (OWN, SAME_TEAM, OTHER_TEAM, SAME_AREA, SAME_ORG, OTHER_ORG, SENSITIVE, MISSING, MALFORMED)
# A name is searched for at the distances that differ for a search (one's own, one's area, out
# of reach, another organisation, sensitive); it is never missing nor malformed.
NAME_SCOPES = (OWN, SAME_AREA, SAME_ORG, OTHER_ORG, SENSITIVE)
# Not a UUID: what a careless client or an attacker sends. It must be refused with a 4xx (or
# ignored), never answered with a 5xx.
MALFORMED_VALUE = "x"

# kind → (the factory of the path matrix, the URL keyword the factory fills with it, the kind
# of the parent it hangs off).
RECORDS = {
    "person": (("person_id",), "person_id", None),
    "household": (("household_id",), "household_id", None),
    "household_member": (("household_id", "member_id"), "member_id", "household"),
    "phone": (("person_id", "phone_id"), "phone_id", "person"),
    "identifier": (("person_id", "identifier_id"), "identifier_id", "person"),
    "consent": (("person_id", "consent_id"), "consent_id", "person"),
    "referral": (("referral_id",), "referral_id", None),
    "support_plan": (("plan_id",), "plan_id", None),
    "pregnancy": (("pregnancy_id",), "pregnancy_id", None),
    "antenatal_visit": (("pregnancy_id", "anc_id"), "anc_id", "pregnancy"),
    "job": (("job_id",), "job_id", None),
    "directory_job": (("directory_job_id",), "directory_job_id", None),
    "case": (("case_id",), "case_id", None),
    "goal": (("case_id", "goal_id"), "goal_id", "case"),
    "action": (("case_id", "action_id"), "action_id", "case"),
    "placement": (("case_id", "placement_id"), "placement_id", "case"),
    "follow_up": (("case_id", "follow_up_id"), "follow_up_id", "case"),
    "attachment": (("case_id", "attachment_id"), "attachment_id", "case"),
    "case_type": (("case_type_id",), "case_type_id", None),
    "school": (("school_id",), "school_id", None),
    "class": (("class_id",), "class_id", None),
    "enrolment": (("enrolment_id",), "enrolment_id", "class"),
    "flag": (("flag_id",), "flag_id", None),
    "intervention": (("intervention_id",), "intervention_id", None),
    "year": (("year_id",), "year_id", None),
    "model": (("model_id",), "model_id", None),
    "form_version": (("form_version_id",), "form_version_id", None),
    "collection_form": (("collection_form_id",), "collection_form_id", None),
    "submission": (("submission_id",), "submission_id", None),
    "group": (("group_id",), "group_id", None),
    "group_member": (("group_id", "group_member_id"), "group_member_id", "group"),
    "event": (("event_id",), "event_id", None),
    "project": (("project_id",), "project_id", None),
    "session": (("session_id",), "session_id", None),
    "visit": (("visit_id",), "visit_id", None),
    "child_seen": (("seen_id",), "seen_id", None),
    "out_of_school": (("out_of_school_id",), "out_of_school_id", None),
    "youth_profile": (("profile_id",), "profile_id", None),
    "job_offer": (("offer_id",), "offer_id", None),
    "job_placement": (("job_placement_id",), "job_placement_id", None),
    "course": (("course_id",), "course_id", None),
    "scheme": (("scheme_id",), "scheme_id", None),
    "measurement": (("measurement_id",), "measurement_id", None),
    "sam_alert": (("alert_id",), "alert_id", None),
    "application": (("application_id",), "application_id", None),
    "award": (("award_id",), "award_id", None),
    "payment": (("payment_id",), "payment_id", None),
    "nursery": (("nursery_id",), "nursery_id", None),
    "factory": (("factory_id",), "factory_id", None),
    "dev_item": (("dev_item_id",), "dev_item_id", None),
}
# Kinds that are the organisation's configuration, the same for all its members: usable within
# the organisation (whatever the distance of the person their factory placed them by), never across.
ORG_FACTS = frozenset({"year", "case_type", "model", "collection_form", "job_offer", "dev_item"})
# The kind of the record each kind hangs off, if any.
PARENT_OF = {kind: parent for kind, (_, _, parent) in RECORDS.items() if parent} | {"assessment": "class"}
# The path keyword that names each kind of parent.
PARENT_KWARG = {
    "case": "case_id",
    "class": "class_id",
    "household": "household_id",
    "person": "person_id",
    "group": "group_id",
    "pregnancy": "pregnancy_id",
}


@dataclass(frozen=True)
class Value:
    """One value for one input: what is sent, and what the oracle needs to judge the answer."""

    kind: str
    scope: str
    sent: object  # a str, or a list of str for an input that takes several
    ids: tuple[str, ...] = ()  # the ids this value names (echoes of them are no leak)
    rule: str = "record"  # "record", "org", "own", "chain", "name", "none"
    obj: ScopedObject | None = None  # for "record" and "chain": where it stands
    organisation_id: uuid.UUID | None = None  # for "org"
    chain: tuple | None = None  # (member, scope) of the parent it hangs off
    person_id: str | None = None  # for "name": whose name it is
    tokens: tuple[str, ...] = ()  # for "name": the name sent
    path: dict | None = None  # for a path input: the URL keyword arguments to send
    names: dict | None = None  # for "name": the person's name in each name field


def stranger(world: MatrixWorld, member: str, organisation) -> ScopedObject:
    """An adult in ``organisation`` out of ``member``'s reach (nobody's, no team, another area)."""
    key = ("stranger", member, organisation.pk)
    if key not in world._cache:
        from ponleu.registry.models import Person

        found = world.make_person(
            member=member,
            scope=SAME_ORG,
            organisation=organisation,
            village=world.village_outside(member),
        )
        Person.objects.filter(pk=found.obj.pk).update(kind="adult")
        world._cache[key] = found
    return world._cache[key]


def add_stranger(world: MatrixWorld, member: str, household) -> ScopedObject:
    from ponleu.registry.models import HouseholdMember

    found = stranger(world, member, household.organisation)
    HouseholdMember.objects.get_or_create(
        household=household,
        person=found.obj,
        defaults={"relationship": "guardian", "is_primary_caregiver": True},
    )
    return found


# Syllables whose consonants the name engine keeps apart, so that a subject's name, searched for,
# finds that subject (the path matrix's tokens carry digits, which the engine's keys drop).
SYLLABLES = ("ka", "ri", "so", "vu", "le", "mo", "ne", "pi", "hu", "cha", "yo", "ta")
KHMER_SYLLABLES = tuple(c + "ា" for c in "កខងចញតថនបផមយរលវសហអ")


def searchable(world: MatrixWorld, prefix: str, syllables=SYLLABLES) -> str:
    """A name no one else has, made of syllables: a counter (unique) and random ones."""
    n = next(world._counter)
    digits = [syllables[(n // len(syllables) ** i) % len(syllables)] for i in range(3)]
    return prefix + "".join(digits) + "".join(secrets.choice(syllables) for _ in range(3))


def rename_searchable(world: MatrixWorld, found: ScopedObject) -> ScopedObject:
    """Give a person names the search finds, and tell the leak scan about them."""
    from ponleu.registry.models import Person

    names = {
        "family_name_latin": searchable(world, "Fam"),
        "given_name_latin": searchable(world, "Giv"),
        "family_name_km": searchable(world, "សុ", KHMER_SYLLABLES),
        "given_name_km": searchable(world, "ដា", KHMER_SYLLABLES),
    }
    Person.objects.filter(pk=found.obj.pk).update(**names)
    for name, value in names.items():
        setattr(found.obj, name, value)
    pid = str(found.obj.pk)
    tokens = tuple(names.values())
    world.people[pid] = replace(world.people[pid], identifying=tokens)
    return replace(found, identifying=tokens)


def subject(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    """A child at ``scope`` from ``member``, in a household whose primary caregiver is a stranger."""
    key = ("subject", member, scope)
    if key not in world._cache:
        from ponleu.registry.models import Household, HouseholdMember

        placement = world.placement(member, scope)
        if placement is None:
            world._cache[key] = None
            return None
        child = rename_searchable(world, world.make_person(member=member, scope=scope, **placement))
        household = Household.objects.create(
            organisation=placement["organisation"],
            village_id=placement["village"],
            team=placement.get("team"),
            owner_id=placement.get("owner_id"),
        )
        HouseholdMember.objects.create(household=household, person=child.obj, relationship="child")
        add_stranger(world, member, household)
        world._cache[key] = child
    return world._cache[key]


def furnish(world: MatrixWorld, members) -> None:
    """What the adversarial pass adds to a built world: strangers in every household, subjects,
    a third team and the other organisation's team, device tokens, a test in every class,
    and the search keys of everyone (the factories write people straight to the table)."""
    from ponleu.registry.models import Household, Person
    from ponleu.registry.services import search_keys

    for cache_key, found in list(world._cache.items()):
        household = (
            getattr(found, "obj", None) if len(cache_key) == 3 and cache_key[0] == "household_id" else None
        )
        if isinstance(household, Household):
            add_stranger(world, cache_key[1], household)
    for member in members:
        for scope in INPUT_SCOPES:
            if scope not in (MISSING, MALFORMED):
                subject(world, member, scope)
        for kind in {*KIND_OF.values(), *KEYED.values(), "name"}:
            for scope in INPUT_SCOPES:
                value_for(world, kind, member, scope)
    search_keys.rebuild(Person.objects.filter(pk__in=list(world.people)), fresh=False)


# --- values by kind ---------------------------------------------------------------------------


def value_for(world: MatrixWorld, kind: str, member: str, scope: str) -> Value | None:
    """The value of ``kind`` at ``scope`` from ``member`` (None: no such object at that distance)."""
    values = world._cache.setdefault(("input-values",), {})
    key = (kind, member, scope)
    if key not in values:
        values[key] = _build(world, kind, member, scope)
    return values[key]


def _build(world: MatrixWorld, kind: str, member: str, scope: str) -> Value | None:
    if scope == MALFORMED:
        return Value(kind, scope, MALFORMED_VALUE, rule="none")
    if scope == MISSING:
        missing = str(uuid.uuid4())
        return Value(kind, scope, missing, ids=(missing,), rule="none")
    if kind == "name":
        found = subject(world, member, scope)
        if found is None:
            return None
        person = found.obj
        names = {
            name: getattr(person, name)
            for name in ("family_name_latin", "given_name_latin", "family_name_km", "given_name_km")
        }
        names["q"] = f"{person.family_name_latin} {person.given_name_latin}"
        return Value(
            kind,
            scope,
            names["q"],
            rule="name",
            person_id=str(person.pk),
            tokens=found.identifying,
            names=names,
        )
    if kind == "person":
        found = subject(world, member, scope)
        if found is None:
            return None
        pk = str(found.obj.pk)
        return Value(kind, scope, pk, ids=(pk,), obj=found, chain=(member, scope))
    if kind in RECORDS:
        kwargs, leaf, parent = RECORDS[kind]
        found = world.scoped(factory_key(kwargs), member, scope)
        if found is None:
            return None
        pk = str(found.kwargs[leaf])
        if kind in ORG_FACTS:
            return _org_value(kind, scope, pk, found.obj.organisation_id)
        rule = "chain" if parent else "record"
        return Value(kind, scope, pk, ids=(pk,), rule=rule, obj=found, chain=(member, scope))
    builder = {
        "user": _user,
        "team": _team,
        "membership": _membership,
        "device_token": _device_token,
        "organisation_device": _organisation_device,
        "assessment": _assessment,
    }.get(kind)
    if builder is None:
        raise KeyError(f"no values for inputs of kind {kind!r}: add them to ponleu/testing/input_values.py")
    return builder(world, member, scope)


def _org_value(kind, scope, pk, organisation_id, rule="org") -> Value:
    return Value(kind, scope, str(pk), ids=(str(pk),), rule=rule, organisation_id=organisation_id)


def _colleague(world: MatrixWorld, member: str, scope: str):
    """A member of the same organisation: a teammate (same team) or one of another team."""
    facts = world.members[member]
    own = world.world.members[member]
    candidates = [
        m
        for k, m in world.world.members.items()
        if k != member and m.organisation_id == own.organisation_id and m.is_active
    ]
    for other in candidates:
        teams = set(other.teams.values_list("id", flat=True))
        if scope == SAME_TEAM and teams & facts.team_ids:
            return other
        if scope in (OTHER_TEAM, SAME_ORG) and teams and not teams & facts.team_ids:
            return other
    return None


def _outsider(world: MatrixWorld, member: str):
    own = world.world.members[member]
    return next(m for m in world.world.members.values() if m.organisation_id != own.organisation_id)


def _user(world, member, scope) -> Value | None:
    facts = world.members[member]
    if scope == OWN:
        return _org_value("user", scope, facts.user_id, facts.organisation_id)
    if scope in (SAME_TEAM, OTHER_TEAM, SAME_ORG):
        other = _colleague(world, member, scope)
        return None if other is None else _org_value("user", scope, other.user_id, other.organisation_id)
    if scope == OTHER_ORG:
        other = _outsider(world, member)
        return _org_value("user", scope, other.user_id, other.organisation_id)
    return None


def _membership(world, member, scope) -> Value | None:
    facts = world.members[member]
    if scope == OWN:
        return _org_value("membership", scope, facts.membership_id, facts.organisation_id)
    if scope in (SAME_TEAM, OTHER_TEAM, SAME_ORG):
        other = _colleague(world, member, scope)
        return None if other is None else _org_value("membership", scope, other.pk, other.organisation_id)
    if scope == OTHER_ORG:
        other = _outsider(world, member)
        return _org_value("membership", scope, other.pk, other.organisation_id)
    return None


def third_team(world: MatrixWorld):
    from ponleu.organisations.models import Team

    key = ("third-team",)
    if key not in world._cache:
        world._cache[key] = Team.objects.create(organisation=world.world.org, name="Puok team")
    return world._cache[key]


def _team(world, member, scope) -> Value | None:
    from ponleu.organisations.models import Team

    facts = world.members[member]
    mine = world.world.members[member].teams.order_by("name").first()
    if scope in (OWN, SAME_TEAM):
        return None if mine is None else _org_value("team", scope, mine.pk, facts.organisation_id)
    if scope in (OTHER_TEAM, SAME_ORG):
        other = next(
            (
                t
                for t in [world.world.team_a, world.world.team_b, third_team(world)]
                if t.pk not in facts.team_ids
            ),
            None,
        )
        return None if other is None else _org_value("team", scope, other.pk, facts.organisation_id)
    if scope == OTHER_ORG:
        key = ("other-org-team",)
        if key not in world._cache:
            world._cache[key] = Team.objects.create(organisation=world.world.other_org, name="Partner team")
        team = world._cache[key]
        return _org_value("team", scope, team.pk, team.organisation_id)
    return None


def _device_token(world, member, scope) -> Value | None:
    from ponleu.accounts.models import DeviceToken
    from ponleu.common import clock

    if scope == OWN:
        holder = world.world.members[member]
    elif scope in (SAME_TEAM, OTHER_TEAM, SAME_ORG):
        holder = _colleague(world, member, scope)
    elif scope == OTHER_ORG:
        holder = _outsider(world, member)
    else:
        return None
    if holder is None:
        return None
    key = ("device-token", holder.pk)
    if key not in world._cache:
        world._cache[key] = DeviceToken.objects.create(
            user_id=holder.user_id,
            membership=holder,
            name=world.token("Device"),
            prefix=secrets.token_hex(4),
            token_hash=secrets.token_hex(32),
            capabilities=["web.use"],
            expires_at=clock.now() + dt.timedelta(days=30),
            session_generation=holder.user.session_generation,
        )
    token = world._cache[key]
    return _org_value("device_token", scope, token.pk, holder.organisation_id, rule="own")


def _organisation_device(world, member, scope) -> Value | None:
    """The same tokens, named where a user manager revokes any of the organisation's."""
    token = _device_token(world, member, scope)
    return None if token is None else replace(token, kind="organisation_device", rule="org")


def _assessment(world, member, scope) -> Value | None:
    """A test of the class at ``scope`` (its marks hang off the class)."""
    from ponleu.education.models import Assessment

    found = education_scopes.chain(world, member, scope) if scope != SAME_TEAM else None
    if found is None:
        return None
    key = ("class-test", member, scope)
    if key not in world._cache:
        world._cache[key] = Assessment.objects.create(
            school_class=found.school_class,
            subject="khmer",
            kind="monthly",
            held_on=found.school_class.year.starts_on + dt.timedelta(days=30),
            max_score=50,
            scores={str(found.enrolment.pk): 31},
        )
    test = world._cache[key]
    klass = world.scoped("class_id", member, scope)
    return Value(
        "assessment",
        scope,
        str(test.pk),
        ids=(str(test.pk),),
        rule="chain",
        obj=replace(klass, kwargs={"test": test.pk}),
        chain=(member, scope),
    )
