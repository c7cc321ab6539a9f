"""The demo organisations, their teams and areas, and one account per role.

All names are fictional. Passwords and TOTP keys are derived from the seed, so the same
seed gives the same logins on every machine; `ponleu demo code USERNAME` prints a code.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from ponleu.organisations.choices import Role


@dataclass(frozen=True)
class DemoOrganisation:
    short_name: str
    name_km: str
    name_en: str
    province_codes: tuple[str, ...]
    # Teams and the district each works in.
    teams: tuple[tuple[str, str], ...]


ORGANISATIONS = (
    DemoOrganisation(
        "sabay",
        "អង្គការកុមារសប្បាយ",
        "Sabay Children (demo)",
        ("02",),
        (("Banan team", "0201"), ("Sangkae team", "0208")),
    ),
    DemoOrganisation(
        "chetana",
        "អង្គការចេតនា",
        "Chetana Family Support (demo)",
        ("12", "05"),
        (("Mean Chey team", "1206"), ("Kong Pisei team", "0503")),
    ),
    DemoOrganisation(
        "angkor-light",
        "អង្គការពន្លឺអង្គរ",
        "Angkor Light Education (demo)",
        ("17",),
        (("Puok team", "1707"), ("Prasat Bakong team", "1709")),
    ),
)

ROLE_USERNAMES = {
    Role.FIELD_WORKER: "field",
    Role.CASEWORKER: "caseworker",
    Role.SUPERVISOR: "supervisor",
    Role.TEACHER: "teacher",
    Role.ME_OFFICER: "me",
    Role.ORG_ADMIN: "admin",
    Role.DPO: "dpo",
}

# Fictional staff names (family name first, as in Khmer).
STAFF_NAMES = [
    ("ចាន់ សុភា", "Chan Sophea"),
    ("លី សុខា", "Ly Sokha"),
    ("ហេង វណ្ណា", "Heng Vanna"),
    ("គឹម ស្រីនាង", "Kim Sreyneang"),
    ("សេង ពិសិដ្ឋ", "Seng Piseth"),
    ("ម៉ៅ ចន្ថា", "Mao Chantha"),
    ("ពៅ រតនា", "Pov Ratana"),
    ("យឹម បុប្ផា", "Yim Bopha"),
]


# The midwife liaison of Sabay's Banan team, who follows pregnancies (ponleu/demo/maternal.py).
LIAISON_ORGANISATION = "sabay"
LIAISON_USERNAME = "midwife.sabay"
LIAISON_NAME = ("សុខ ចរិយា", "Sok Chariya")


def username_for(org: DemoOrganisation, role: str, index: int = 1) -> str:
    suffix = "" if index == 1 else str(index)
    return f"{ROLE_USERNAMES[role]}{suffix}.{org.short_name}"


def password_for(username: str, seed: int) -> str:
    digest = hashlib.sha256(f"ponleu-demo:{seed}:{username}:password".encode()).hexdigest()
    return f"Demo-{digest[:4]}-{digest[4:8]}-{digest[8:12]}"


def totp_key_for(username: str, seed: int) -> str:
    """A 20-byte TOTP key as hex, as django-otp stores it."""
    return hashlib.sha256(f"ponleu-demo:{seed}:{username}:totp".encode()).hexdigest()[:40]


def totp_key_base32(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
