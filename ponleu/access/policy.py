"""The policy table: role × capability → scope.

This one table is what the code enforces (``Actor.scope_for``), what the admin shows as a
readable grid and what the authorization tests use as their oracle. Change it here only.

Scope letters: ``-`` none, ``O`` own caseload, ``T`` own team, ``A`` assigned areas,
``G`` whole organisation.
"""

from __future__ import annotations

from ponleu.organisations.choices import Role

from .capabilities import CAPABILITIES

__all__ = [
    "ACTS_WITHOUT_VIEW",
    "CAPABILITIES",
    "POLICY",
    "ROLE_COLUMNS",
    "capabilities_of",
    "grid",
    "scope_of",
]
from .scopes import Scope

_LETTERS = {"-": Scope.NONE, "O": Scope.OWN, "T": Scope.TEAM, "A": Scope.AREA, "G": Scope.ORG}

ROLE_COLUMNS = (
    Role.FIELD_WORKER,
    Role.CASEWORKER,
    Role.SUPERVISOR,
    Role.TEACHER,
    Role.ME_OFFICER,
    Role.ORG_ADMIN,
    Role.DPO,
    Role.SYSTEM_ADMIN,
)

# The table is read as a grid of letters, one column per role: the formatter must not reflow it.
# fmt: off
#                                 field case  sup  teach m&e  admin dpo  sys
_TABLE = """
web.use                             G    G    G    G     G    G     G    G
registry.view                       O    A    A    O     -    -     G    -
registry.view_sensitive             -    O    A    -     -    -     G    -
registry.create                     A    A    A    -     -    -     -    -
registry.edit                       O    A    A    -     -    -     -    -
registry.merge                      -    -    A    -     -    -     -    -
registry.lift_protection            -    -    A    -     -    -     -    -
registry.import                     -    -    G    -     -    -     -    -
registry.export                     -    -    A    -     -    -     -    -
cases.view                          -    T    A    -     -    -     G    -
cases.edit                          -    O    A    -     -    -     -    -
cases.open                          A    A    A    -     -    -     -    -
cases.assign                        -    -    A    -     -    -     -    -
cases.approve                       -    -    A    -     -    -     -    -
cases.close                         -    O    A    -     -    -     -    -
referrals.send                      -    O    A    -     -    -     -    -
referrals.accept                    -    O    G    -     -    -     -    -
referrals.view                      -    T    A    -     -    -     G    -
referrals.receive                   -    O    G    -     -    -     G    -
referrals.approve_exception         -    -    A    -     -    -     -    -
family_support.view                 O    A    A    -     -    -     G    -
family_support.edit                 O    A    A    -     -    -     -    -
maternal.view                       O    A    A    -     -    -     G    -
maternal.record                     O    A    A    -     -    -     -    -
collection.submit                   T    T    T    -     -    -     -    -
collection.view                     O    O    T    -     -    -     G    -
collection.review                   -    -    A    -     -    -     -    -
collection.manage                   -    -    G    -     -    G     -    -
programmes.view                     O    A    A    -     G    G     G    -
programmes.record                   O    A    A    -     -    -     -    -
programmes.manage                   -    -    A    -     -    G     -    -
nutrition.view                      O    A    A    -     G    -     G    -
nutrition.record                    A    A    A    -     -    -     -    -
employment.view                     O    A    A    -     G    G     G    -
employment.record                   O    A    A    -     -    -     -    -
employment.manage                   -    A    A    -     -    G     -    -
scholarships.view                   O    A    A    -     G    G     G    -
scholarships.manage                 -    -    A    -     -    G     -    -
scholarships.pay                    O    A    A    -     -    -     -    -
directory.view                      G    G    G    G     G    G     G    G
directory.manage                    -    -    -    -     -    G     -    G
education.take_attendance           -    -    -    O     -    -     -    -
education.manage                    -    -    A    -     -    G     -    -
ews.view_scores                     -    A    A    O     G    -     -    -
ews.review                          -    A    A    -     -    -     -    -
ews.manage_models                   -    -    -    -     G    -     -    -
reports.view                        -    -    G    -     G    G     G    -
reports.export                      -    -    -    -     G    -     -    -
audit.view                          -    -    A    -     -    -     G    -
access.break_glass                  -    G    G    -     -    -     -    -
users.manage                        -    -    -    -     -    G     -    G
organisation.manage                 -    -    -    -     -    G     -    G
system.manage                       -    -    -    -     -    -     -    G
"""
# fmt: on


def _parse(table: str) -> dict[tuple[str, str], Scope]:
    policy: dict[tuple[str, str], Scope] = {}
    for line in table.strip().splitlines():
        name, *letters = line.split()
        if name not in CAPABILITIES:
            raise ValueError(f"policy row for unknown capability {name!r}")
        if len(letters) != len(ROLE_COLUMNS):
            raise ValueError(f"policy row {name!r} has {len(letters)} cells, not {len(ROLE_COLUMNS)}")
        for role, letter in zip(ROLE_COLUMNS, letters, strict=True):
            policy[(role.value, name)] = _LETTERS[letter]
    missing = set(CAPABILITIES) - {name for _, name in policy}
    if missing:
        raise ValueError(f"capabilities without a policy row: {sorted(missing)}")
    return policy


POLICY: dict[tuple[str, str], Scope] = _parse(_TABLE)

# To act on a record one must first see it (its model's view capability, e.g. registry.view),
# except with these: break-the-glass opens records one cannot see, and an auditor reads who
# saw a record rather than the record itself.
ACTS_WITHOUT_VIEW = frozenset({"access.break_glass", "audit.view"})


def scope_of(role: str, capability: str) -> Scope:
    return POLICY.get((role, capability), Scope.NONE)


def capabilities_of(role: str) -> dict[str, Scope]:
    return {cap: scope for (r, cap), scope in POLICY.items() if r == role and scope > Scope.NONE}


def grid() -> list[tuple[str, object, list[Scope]]]:
    """Rows for the admin's readable table: capability, label, one scope per role column."""
    return [
        (name, cap.label, [scope_of(role.value, name) for role in ROLE_COLUMNS])
        for name, cap in CAPABILITIES.items()
    ]
