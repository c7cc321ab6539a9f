"""Questions about one pregnancy, answered from the policy table through the woman's record,
and the one rule for what of it a reader may see.

Pregnancies, visits, births and family planning are sensitive by default: the woman's name and
every health field (dates, danger signs, outcome, method) are shown only to a reader the
identity rule clears for her with the pregnancy as witness, that is one who holds
``registry.view_sensitive`` where she stands (or a break-the-glass grant on her). Everyone else
who reaches the pregnancy sees her initials and "masked" in place of the health fields, as
with any other sensitive record.
"""

from __future__ import annotations

from ponleu.access import policies as access_policies
from ponleu.access.scoping import relationship_of
from ponleu.common.errors import PermissionDenied

from .models import FamilyPlanning, Pregnancy

RECORD = "maternal.record"


def can(actor, capability: str, pregnancy: Pregnancy) -> bool:
    """Within the actor's reach for ``capability``, where the woman stands."""
    return actor.allows(capability, relationship_of(actor, pregnancy))


def require(actor, capability: str, pregnancy: Pregnancy) -> None:
    """Services check again; templates only hide buttons."""
    if not can(actor, capability, pregnancy):
        raise PermissionDenied()


def can_see_health(actor, record: Pregnancy | FamilyPlanning) -> bool:
    """The woman's identity and the record's health fields: the identity rule, with the
    record (sensitive by default) as witness."""
    return access_policies.can_see_identity(actor, record.person, witness=record)


def woman_label(actor, record: Pregnancy | FamilyPlanning, language: str | None = None) -> str:
    """Her name, or her initials when the identity rule masks it."""
    return access_policies.identity_label(actor, record.person, language=language, witness=record)


def can_record(actor, pregnancy: Pregnancy) -> bool:
    """Recording on a pregnancy shows its health fields, so it needs both."""
    return can(actor, RECORD, pregnancy) and can_see_health(actor, pregnancy)


def label_pregnancies(actor, pregnancies, language: str | None = None) -> list[Pregnancy]:
    """Each pregnancy with ``woman`` (name or initials) and ``unmasked`` set for a list."""
    pregnancies = list(pregnancies)
    for pregnancy in pregnancies:
        pregnancy.unmasked = can_see_health(actor, pregnancy)
        pregnancy.woman = woman_label(actor, pregnancy, language)
    return pregnancies
