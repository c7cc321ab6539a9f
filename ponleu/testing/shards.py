"""The request matrices' identities, split between the two database phases of `make test`.

The authorization matrix, its adversarial pass and the API fuzz pass send the same requests as
each identity in turn; together they are about half of the server-side suite's time. `make test`
runs the server-side suite on SQLite and again on PostgreSQL, so it splits the identities
between the phases (``PONLEU_MATRIX_SHARD=1/2`` on SQLite, ``2/2`` on PostgreSQL): every route
and id-typed input is still sent in each phase, and every (identity, route, input, scope) cell
once across the two. Without the variable (a developer's `pytest`, `make
test-server` alone) every identity runs. docs/decisions/0016-matrix-identities-split.md.
"""

from __future__ import annotations

import os

SHARD_ENV = "PONLEU_MATRIX_SHARD"


def current() -> tuple[int, int] | None:
    """(this shard, number of shards), both from 1; None when every identity runs."""
    raw = os.environ.get(SHARD_ENV, "").strip()
    if not raw:
        return None
    try:
        index, total = (int(part) for part in raw.split("/"))
    except ValueError as error:
        raise ValueError(f"{SHARD_ENV} must look like 1/2, not {raw!r}") from error
    if not 1 <= index <= total:
        raise ValueError(f"{SHARD_ENV}={raw!r}: the shard must be between 1 and {total}")
    return index, total


def mine(position: int) -> bool:
    """Does the identity at this position (0 for the first) run in this phase?"""
    shard = current()
    return shard is None or position % shard[1] == shard[0] - 1


# The identities of the authorization matrix and its adversarial pass that the PostgreSQL phase
# sends requests as; the SQLite phase sends the others. Not half of them: PostgreSQL answers a
# request several times slower than SQLite in the test process (every query a round trip to the
# server), and the identities differ tenfold in what they send. Of the adversarial pass's 10,122
# requests (its plan, counted), these send 4,015 (40%): the area supervisor (2,723: the widest
# reach over children and cases, so the case and registry routes' lookups meet PostgreSQL with
# ids of every scope), the data-protection officer (632), anonymous (330) and the member without
# a second factor (330).
# docs/decisions/0016-matrix-identities-split.md.
POSTGRESQL_IDENTITIES = frozenset({"supervisor", "dpo", "anonymous", "caseworker_unverified"})


def sends_as(key: str) -> bool:
    """Does this phase send the matrices' requests as the identity named ``key``?"""
    if current() is None:
        return True
    return (key in POSTGRESQL_IDENTITIES) == phase_is("postgresql")


PHASES = ("sqlite", "postgresql")  # shard 1 and shard 2 of `make test`


def phase_is(database: str) -> bool:
    """Is this the phase of `make test` that runs on ``database`` (always true outside it)?"""
    if database not in PHASES:
        raise ValueError(f"one_database_phase takes one of {PHASES}, not {database!r}")
    shard = current()
    if shard is None:
        return True
    if shard[1] != len(PHASES):
        raise ValueError(f"{SHARD_ENV}: `make test` has {len(PHASES)} database phases, not {shard[1]}")
    return PHASES[shard[0] - 1] == database


def described() -> str:
    shard = current()
    return "every identity" if shard is None else f"identities of shard {shard[0]} of {shard[1]}"
