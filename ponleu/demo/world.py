"""Build the deterministic demo world: organisations, teams, staff with TOTP, then people.

Idempotent: a database that already holds the world (a DemoWorld row) is left as it is.
The world holds a superuser and passwords and second-factor keys anyone can derive from the
seed, so it is built only on an empty database (no user yet) and never in production; the
demo commands refuse any database holding a user the demo did not make (``refusal``).
"""

from __future__ import annotations

import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.access.actors import system_actor
from ponleu.audit import services as audit
from ponleu.geography.models import AdminUnit
from ponleu.organisations.choices import OrganisationAction, Role
from ponleu.organisations.models import Membership, Organisation, Team

from . import (
    cases,
    directory,
    early_childhood,
    education,
    employment,
    family_support,
    maternal,
    nutrition,
    people,
    programmes,
    referrals,
    scholarships,
    staff,
)
from .models import DemoWorld

DEFAULT_SEED = 20261121


class Refused(RuntimeError):
    """This database is not the demo's: a production one, or one holding real users."""


def world_exists() -> bool:
    return DemoWorld.objects.exists()


def refusal(*, building: bool = False) -> str | None:
    """Why the demo commands must leave this database alone, or None when it is the demo's:
    not in production, and every user is one the demo made (for a build: no user at all yet)."""
    if settings.PRODUCTION:
        return (
            "refused: PONLEU_MODE is production. The demo world (a superuser, and passwords and "
            "second-factor codes anyone can derive) is never built or read on a production installation."
        )
    database = connection.settings_dict["NAME"]
    world = DemoWorld.objects.first()
    users = get_user_model().objects.all()
    if world is None:
        if not building:
            return f"refused: the database {database} holds no demo world (`ponleu demo` builds one on an empty database)."
        others = users.count()
        organisations = Organisation.objects.count()
        if organisations and not others:
            # Synthetic children must not land beside real ones either.
            return (
                f"refused: the database {database} holds {organisations} organisation(s) already. The demo "
                "world is built only on an empty database: run `ponleu migrate` and `ponleu demo` on a new one."
            )
    else:
        others = users.exclude(pk__in=world.accounts.values("pk")).count()
    if others:
        return (
            f"refused: the database {database} holds {others} user account(s) the demo did not create. "
            "The demo world is built, and its codes given, only on a database of its own: run `ponleu migrate` "
            "and `ponleu demo` on an empty one (another DATABASE_URL)."
        )
    return None


def demo_account(username: str):
    """The demo's account of that name, on a database that is the demo's; else ``Refused``."""
    problem = refusal()
    if problem:
        raise Refused(problem)
    user = DemoWorld.objects.first().accounts.filter(username=username).first()
    if user is None:
        raise Refused(
            f"refused: {username!r} is not an account of the demo world (`ponleu demo logins` lists them)."
        )
    return user


@transaction.atomic
def world_build(*, seed: int = DEFAULT_SEED, people_per_org: int | None = None) -> DemoWorld:
    problem = refusal(building=True)
    if problem:
        raise Refused(problem)
    existing = DemoWorld.objects.first()
    if existing is not None:
        return existing
    if not AdminUnit.objects.exists():
        raise RuntimeError("load the gazetteer first: ponleu gazetteer load")
    rng = random.Random(seed)
    actor = system_actor(name="demo")
    organisations, members_by_org = {}, {}
    for org_spec in staff.ORGANISATIONS:
        organisation = _organisation(org_spec, actor)
        teams = _teams(organisation, org_spec)
        members = _staff(organisation, org_spec, teams, seed)
        organisations[org_spec.short_name] = organisation
        members_by_org[org_spec.short_name] = members
        people.populate(
            organisation=organisation,
            teams=teams,
            members=members,
            rng=rng,
            count=people_per_org,
        )
        cases.populate(organisation=organisation, teams=teams, members=members, seed=seed)
        education.populate(organisation=organisation, teams=teams, members=members, seed=seed)
        programmes.populate(organisation=organisation, teams=teams, members=members, seed=seed)
        if org_spec.short_name == employment.CENTRE:
            employment.populate(
                organisation=organisation,
                teams=teams,
                members=members,
                youth_worker=_youth_worker(organisation, org_spec, teams, seed),
                seed=seed,
            )
        scholarships.populate(organisation=organisation, members=members)
        if org_spec.short_name == nutrition.ORGANISATION:
            nutrition_worker = _team_caseworker(
                organisation, org_spec, teams[nutrition.TEAM_INDEX], nutrition.WORKER, seed
            )
        if org_spec.short_name == early_childhood.ORGANISATION:
            early_childhood.populate(
                organisation=organisation,
                teams=teams,
                members=members,
                worker_membership=_team_caseworker(
                    organisation, org_spec, teams[0], early_childhood.WORKER, seed
                ),
                seed=seed,
            )
    # The directory serves the teams' districts; referrals go between the organisations.
    districts = [district for spec in staff.ORGANISATIONS for _name, district in spec.teams]
    directory.populate(organisations=organisations, districts=districts, seed=seed)
    referrals.populate(organisations=organisations, members_by_org=members_by_org, seed=seed)
    family_support.populate(organisations=organisations, members_by_org=members_by_org, seed=seed)
    nutrition.populate(organisations=organisations, worker=nutrition_worker, seed=seed)
    maternal.populate(liaison=_liaison(organisations[staff.LIAISON_ORGANISATION], seed), seed=seed)
    directory.reports(members_by_org=members_by_org)
    _system_admin(seed)
    built = DemoWorld.objects.create(seed=seed)
    # Nobody else can have an account yet: the build began on a database without users.
    built.accounts.set(get_user_model().objects.all())
    return built


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


def _youth_worker(organisation, spec, teams, seed) -> Membership:
    """The youth employment centre's worker: a caseworker of the first team, for young people."""
    return _team_caseworker(organisation, spec, teams[0], employment.YOUTH_WORKER, seed)


def _team_caseworker(organisation, spec, team_and_district, who: tuple[str, str], seed) -> Membership:
    """A caseworker of one team with its district for area, for one programme's work."""
    prefix, full_name = who
    user = _user(f"{prefix}.{spec.short_name}", full_name, seed)
    membership = Membership.objects.create(user=user, organisation=organisation, role=Role.CASEWORKER)
    team, district = team_and_district
    membership.teams.set([team])
    membership.areas.set(AdminUnit.objects.filter(code=district))
    return membership


def _liaison(organisation, seed: int) -> Membership:
    """The midwife liaison: a caseworker of the organisation's first team who follows the
    district's pregnant women (they are her own caseload, so she sees them unmasked)."""
    user = _user(staff.LIAISON_USERNAME, staff.LIAISON_NAME[1], seed)
    membership = Membership.objects.create(user=user, organisation=organisation, role=Role.CASEWORKER)
    spec = next(o for o in staff.ORGANISATIONS if o.short_name == organisation.short_name)
    team = Team.objects.get(organisation=organisation, name=spec.teams[0][0])
    membership.teams.set([team])
    membership.areas.set(AdminUnit.objects.filter(code=maternal.DISTRICT))
    return membership


def _system_admin(seed: int) -> None:
    user = _user("sysadmin", "System Administrator", seed, language="en")
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    first = Organisation.objects.order_by("created_at").first()
    Membership.objects.create(user=user, organisation=first, role=Role.SYSTEM_ADMIN)


def logins() -> list[tuple[str, str, str, str]]:
    """(organisation, role, username, password) for every demo account; ``Refused`` when the
    database is not the demo's."""
    problem = refusal()
    if problem:
        raise Refused(problem)
    world = DemoWorld.objects.first()
    seed = world.seed
    rows = []
    for m in (
        Membership.objects.filter(user__in=world.accounts.all())
        .select_related("user", "organisation")
        .order_by("organisation__name_en", "role", "user__username")
    ):
        rows.append(
            (m.organisation.name_en, m.role, m.user.username, staff.password_for(m.user.username, seed))
        )
    return rows
