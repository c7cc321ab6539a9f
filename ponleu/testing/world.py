"""A small deterministic world for tests: two organisations, teams, areas, one member per role.

Geography is a handful of real NCDD units (Battambang: Banan and Sangkae districts; Siem Reap),
inserted directly so that tests do not need the whole gazetteer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from ponleu.access.actors import Actor, actor_for_membership
from ponleu.geography.models import AdminUnit
from ponleu.organisations.choices import Role
from ponleu.organisations.models import Membership, Organisation, Team

UNITS = [
    # code, level, parent, Khmer, Latin
    ("02", "province", None, "បាត់ដំបង", "Battambang"),
    ("0201", "district", "02", "បាណន់", "Banan"),
    ("020101", "commune", "0201", "កន្ទឺ ១", "Kantueu Muoy"),
    ("02010101", "village", "020101", "ថ្មី", "Thmei"),
    ("02010102", "village", "020101", "ចាស់", "Chas"),
    ("0208", "district", "02", "សង្កែ", "Sangkae"),
    ("020801", "commune", "0208", "អូរដំបង ១", "Ou Dambang Muoy"),
    ("02080101", "village", "020801", "ក្បាលថ្នល់", "Kbal Thnal"),
    ("17", "province", None, "សៀមរាប", "Siem Reap"),
    ("1707", "district", "17", "ពួក", "Puok"),
    ("170701", "commune", "1707", "ប៉ប្រុស", "Pou Bros"),
    ("17070101", "village", "170701", "ត្រពាំងធំ", "Trapeang Thum"),
]
TYPES = {
    "province": ("ខេត្ត", "Khaet", "Province"),
    "district": ("ស្រុក", "Srok", "District"),
    "commune": ("ឃុំ", "Khum", "Commune"),
    "village": ("ភូមិ", "Phum", "Village"),
}
TEST_PASSWORD = "correct-horse-battery-staple-42"


def load_units() -> None:
    for code, level, parent, name_km, name_latin in UNITS:
        type_km, type_latin, type_en = TYPES[level]
        AdminUnit.objects.get_or_create(
            code=code,
            defaults={
                "level": level,
                "parent_id": parent,
                "type_km": type_km,
                "type_latin": type_latin,
                "type_en": type_en,
                "name_km": name_km,
                "name_latin": name_latin,
                "search_text": f"{name_km} {name_latin.lower()}",
            },
        )


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    team_a: Team
    team_b: Team
    members: dict[str, Membership] = field(default_factory=dict)

    def actor(self, key: str) -> Actor:
        return actor_for_membership(self.members[key], is_verified=True)

    def user(self, key: str):
        return self.members[key].user


def make_user(username: str, *, language: str = "en", with_totp: bool = True):
    user = get_user_model().objects.create_user(
        username=username, password=TEST_PASSWORD, full_name=username.title(), language=language
    )
    if with_totp:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def make_member(org, key: str, role: str, *, teams=(), areas=(), language: str = "en") -> Membership:
    user = make_user(key, language=language)
    membership = Membership.objects.create(user=user, organisation=org, role=role)
    membership.teams.set(teams)
    membership.areas.set(AdminUnit.objects.filter(code__in=areas))
    return membership


def build_world() -> World:
    load_units()
    org = Organisation.objects.create(name_km="អង្គការសាកល្បង", name_en="Test Org", short_name="test-org")
    other = Organisation.objects.create(name_km="អង្គការផ្សេង", name_en="Other Org", short_name="other-org")
    team_a = Team.objects.create(organisation=org, name="Banan team")
    team_b = Team.objects.create(organisation=org, name="Sangkae team")
    world = World(org=org, other_org=other, team_a=team_a, team_b=team_b)
    m = world.members
    m["caseworker_a"] = make_member(org, "caseworker_a", Role.CASEWORKER, teams=[team_a], areas=["0201"])
    m["caseworker_b"] = make_member(org, "caseworker_b", Role.CASEWORKER, teams=[team_b], areas=["0208"])
    m["field_worker"] = make_member(org, "field_worker", Role.FIELD_WORKER, teams=[team_a], areas=["0201"])
    m["supervisor"] = make_member(org, "supervisor", Role.SUPERVISOR, teams=[team_a, team_b], areas=["02"])
    m["teacher"] = make_member(org, "teacher", Role.TEACHER, areas=["0201"])
    m["me_officer"] = make_member(org, "me_officer", Role.ME_OFFICER, areas=["02"])
    m["org_admin"] = make_member(org, "org_admin", Role.ORG_ADMIN, areas=["02"])
    m["dpo"] = make_member(org, "dpo", Role.DPO, areas=["02"])
    m["system_admin"] = make_member(org, "system_admin", Role.SYSTEM_ADMIN)
    m["partner"] = make_member(other, "partner", Role.CASEWORKER, areas=["17"])
    m["partner_supervisor"] = make_member(other, "partner_supervisor", Role.SUPERVISOR, areas=["17"])
    return world
