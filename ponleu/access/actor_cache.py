"""The request's Actor, kept in the session between requests (decision 0010).

Building an Actor reads the membership, its organisation, areas, teams and open grants: five
queries on every page. The session row and the user row are read on every request anyway,
so the built Actor is kept in the session, stamped with the user's ``actor_version``. Anything
an Actor is built from bumps that number in the same transaction as the change
(``ponleu/accounts/actor_invalidation.py``), so the next request of every session of that
user sees a different number and builds the Actor again.

An entry is used only while all of these hold; otherwise it is built again from the database:

- it was built for this user, for the membership the session asks for, at this user's
  ``actor_version``, in this entry format;
- the clock is between the moment it was built and the earliest of: the first of its grants
  to expire, and ``MAX_AGE`` after it was built. The age bound caps the harm of a change that
  reached the database without bumping the version (a raw SQL edit, a cascade nobody foresaw);
- the user row is active (checked before the cache is read).

The second factor is not kept: ``is_verified`` comes from the request every time.
Capabilities are not kept either: they follow from the role through the policy table in
code, so a deployment that changes the table changes every Actor at once.
"""

from __future__ import annotations

import datetime as dt
import uuid

from ponleu.common import clock

from . import policy
from .actors import ANONYMOUS, Actor, Grant

SESSION_KEY = "ponleu_actor"
FORMAT = 1
MAX_AGE = dt.timedelta(minutes=5)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _uuid(text: str | None) -> uuid.UUID | None:
    return uuid.UUID(text) if text else None


def remember(session, actor: Actor, *, user, wanted) -> None:
    """Keep ``actor`` (built for ``user`` and the membership ``wanted``) in the session."""
    now = clock.now()
    until = now + MAX_AGE
    for grant in actor.grants:
        until = min(until, grant.expires_at)
    session[SESSION_KEY] = {
        "format": FORMAT,
        "user": str(user.pk),
        "version": user.actor_version,
        "wanted": str(wanted or ""),
        "built": _iso(now),
        "until": _iso(until),
        "membership": str(actor.membership_id or ""),
        "organisation": str(actor.organisation_id or ""),
        "role": actor.role or "",
        "areas": list(actor.area_codes),
        "teams": [str(team) for team in actor.team_ids],
        "grants": [[g.target_type, g.target_id, _iso(g.expires_at)] for g in actor.grants],
    }


def recall(session, *, user, wanted, is_verified: bool) -> Actor | None:
    """The Actor kept for ``user`` and ``wanted``, or None when it must be built again."""
    entry = session.get(SESSION_KEY)
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    if entry.get("user") != str(user.pk) or entry.get("version") != user.actor_version:
        return None
    if entry.get("wanted") != str(wanted or ""):
        return None
    try:
        now = clock.now()
        if not (_moment(entry["built"]) <= now < _moment(entry["until"])):
            return None
        if not entry["membership"]:
            return ANONYMOUS
        return Actor(
            user_id=user.pk,
            username=user.username,
            organisation_id=_uuid(entry["organisation"]),
            membership_id=_uuid(entry["membership"]),
            role=entry["role"],
            capabilities=policy.capabilities_of(entry["role"]),
            area_codes=tuple(entry["areas"]),
            team_ids=tuple(uuid.UUID(team) for team in entry["teams"]),
            is_verified=is_verified,
            grants=tuple(Grant(kind, target, _moment(until)) for kind, target, until in entry["grants"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def forget(session) -> None:
    session.pop(SESSION_KEY, None)
