"""Build the deterministic demo world: organisations, teams, staff with TOTP, then people.

Idempotent: a database that already holds the world (a DemoWorld row) is left as it is.
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.access.actors import system_actor
from ponleu.audit import services as audit
from ponleu.geography.models import AdminUnit
from ponleu.organisations.choices import OrganisationAction, Role
from ponleu.organisations.models import Membership, Organisation, Team

from . import cases, education, people, staff
from .models import DemoWorld

DEFAULT_SEED = 20261121


def world_exists() -> bool:
    return DemoWorld.objects.exists()


@transaction.atomic
def world_build(*, seed: int = DEFAULT_SEED, people_per_org: int | None = None) -> DemoWorld:
    existing = DemoWorld.objects.first()
    if existing is not None:
        return existing
    if not AdminUnit.objects.exists():
        raise RuntimeError("load the gazetteer first: ponleu gazetteer load")
    rng = random.Random(seed)
    actor = system_actor(name="demo")
    for org_spec in staff.ORGANISATIONS:
        organisation = _organisation(org_spec, actor)
        teams = _teams(organisation, org_spec)
        members = _staff(organisation, org_spec, teams, seed)
        people.populate(
            organisation=organisation,
            teams=teams,
            members=members,
            rng=rng,
            count=people_per_org,
        )
        cases.populate(organisation=organisation, teams=teams, members=members, seed=seed)
        education.populate(organisation=organisation, teams=teams, members=members, seed=seed)
    _system_admin(seed)
    return DemoWorld.objects.create(seed=seed)


def _organisation(spec: staff.DemoOrganisation, actor) -> Organisation:
    organisation = Organisation.objects.create(
        name_km=spec.name_km, name_en=spec.name_en, short_name=spec.short_name
    )
    organisation.provinces.set(AdminUnit.objects.filter(code__in=spec.province_codes))
    audit.record(actor=actor, action=OrganisationAction.CREATED, target=organisation)
    return organisation


def _teams(organisation: Organisation, spec: staff.DemoOrganisation) -> list[tuple[Team, str]]:
    return [(Team.objects.create(organisation=organisation, name=name), area) for name, area in spec.teams]


def _user(username: str, full_name: str, seed: int, language: str = "km"):
    user = get_user_model().objects.create_user(
        username=username,
        password=staff.password_for(username, seed),
        full_name=full_name,
        language=language,
    )
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True, key=staff.totp_key_for(username, seed))
    return user


def _staff(organisation, spec, teams, seed) -> dict[str, list[Membership]]:
    members: dict[str, list[Membership]] = {}
    name_index = 0
    for role in staff.ROLE_USERNAMES:
        # Two caseworkers per organisation, one per team, so "own team" differs from "other team".
        count = 2 if role in (Role.CASEWORKER, Role.TEACHER) else 1
        for index in range(1, count + 1):
            full_name = staff.STAFF_NAMES[name_index % len(staff.STAFF_NAMES)][1]
            name_index += 1
            username = staff.username_for(spec, role, index)
            language = "en" if role in (Role.ME_OFFICER, Role.ORG_ADMIN) else "km"
            user = _user(username, full_name, seed, language)
            membership = Membership.objects.create(user=user, organisation=organisation, role=role)
            team, district = teams[(index - 1) % len(teams)]
            if role in (Role.FIELD_WORKER, Role.CASEWORKER, Role.TEACHER):
                membership.teams.set([team])
                membership.areas.set(AdminUnit.objects.filter(code=district))
            elif role == Role.SUPERVISOR:
                membership.teams.set([t for t, _ in teams])
                membership.areas.set(AdminUnit.objects.filter(code__in=spec.province_codes))
            else:
                membership.areas.set(AdminUnit.objects.filter(code__in=spec.province_codes))
            members.setdefault(role, []).append(membership)
    return members


def _system_admin(seed: int) -> None:
    user = _user("sysadmin", "System Administrator", seed, language="en")
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    first = Organisation.objects.order_by("created_at").first()
    Membership.objects.create(user=user, organisation=first, role=Role.SYSTEM_ADMIN)


def logins(seed: int | None = None) -> list[tuple[str, str, str, str]]:
    """(organisation, role, username, password) for every demo account."""
    world = DemoWorld.objects.first()
    seed = world.seed if world else (seed or DEFAULT_SEED)
    rows = []
    for m in Membership.objects.select_related("user", "organisation").order_by(
        "organisation__name_en", "role", "user__username"
    ):
        rows.append(
            (m.organisation.name_en, m.role, m.user.username, staff.password_for(m.user.username, seed))
        )
    return rows
