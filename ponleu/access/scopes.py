"""How far a capability reaches, from one's own caseload to the whole organisation."""

from __future__ import annotations

from enum import IntEnum

from django.utils.translation import gettext_lazy as _


class Scope(IntEnum):
    """Ordered: each scope includes the ones below it."""

    NONE = 0
    OWN = 1  # records the member owns (own caseload)
    TEAM = 2  # ... or owned by one of the member's teams
    AREA = 3  # ... or located in one of the member's assigned areas
    ORG = 4  # every record of the member's organisation

    @property
    def label(self):
        return SCOPE_LABELS[self]


SCOPE_LABELS = {
    Scope.NONE: _("no"),
    Scope.OWN: _("own caseload"),
    Scope.TEAM: _("own team"),
    Scope.AREA: _("assigned areas"),
    Scope.ORG: _("whole organisation"),
}


class Relationship(IntEnum):
    """How an actor stands to one object; the narrowest true relationship is used."""

    OWN = 1
    TEAM = 2
    AREA = 3
    ORG = 4
    OUTSIDE = 9  # another organisation, or nothing at all
