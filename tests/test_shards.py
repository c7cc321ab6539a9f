"""The split of the request matrices and of the long database-neutral tests between the two
database phases of `make test` (ponleu/testing/shards.py, ponleu/testing/scheduling.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ponleu.testing import shards


def test_without_a_shard_every_identity_runs(monkeypatch):
    monkeypatch.delenv(shards.SHARD_ENV, raising=False)
    assert shards.current() is None
    assert all(shards.mine(n) for n in range(15))


def test_the_two_halves_cover_every_identity_once(monkeypatch):
    ran = []
    for shard in ("1/2", "2/2"):
        monkeypatch.setenv(shards.SHARD_ENV, shard)
        ran.append({n for n in range(15) if shards.mine(n)})
    assert ran[0].isdisjoint(ran[1])
    assert ran[0] | ran[1] == set(range(15))
    assert abs(len(ran[0]) - len(ran[1])) <= 1


def test_the_matrices_identities_are_each_sent_in_one_phase(monkeypatch):
    from ponleu.testing.permissions import ANONYMOUS
    from ponleu.testing.scopes import MATRIX_MEMBERS

    keys = (ANONYMOUS, *MATRIX_MEMBERS)
    assert set(keys) >= shards.POSTGRESQL_IDENTITIES, "a renamed identity would leave the phase"
    sent = {}
    for shard in ("1/2", "2/2"):
        monkeypatch.setenv(shards.SHARD_ENV, shard)
        sent[shard] = {key for key in keys if shards.sends_as(key)}
    assert sent["1/2"].isdisjoint(sent["2/2"])
    assert sent["1/2"] | sent["2/2"] == set(keys)
    assert sent["2/2"] == shards.POSTGRESQL_IDENTITIES
    assert "supervisor" in sent["2/2"]  # the widest reach over children and cases
    monkeypatch.delenv(shards.SHARD_ENV)
    assert all(shards.sends_as(key) for key in keys)


@pytest.mark.parametrize("raw", ["half", "3/2", "0/2", "1-2"])
def test_a_wrong_shard_is_refused_with_its_value(monkeypatch, raw):
    monkeypatch.setenv(shards.SHARD_ENV, raw)
    with pytest.raises(ValueError, match=shards.SHARD_ENV):
        shards.current()


def _collected(shard: str | None) -> set[str]:
    env = {"PATH": "/usr/bin:/bin"}
    if shard:
        env[shards.SHARD_ENV] = shard
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-p",
            "no:xdist",
            "ponleu/accounts/tests/test_throttle.py",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    return {line for line in out.splitlines() if "::" in line}


def test_a_long_test_runs_only_in_the_phase_it_names():
    whole = _collected(None)
    sqlite, postgresql = _collected("1/2"), _collected("2/2")
    long = {t for t in whole if "10000_guesses" in t or "password_spraying" in t}
    assert len(long) == 2
    assert long <= sqlite
    assert not long & postgresql
    assert whole - long == postgresql


def test_a_phase_must_be_named(monkeypatch):
    monkeypatch.setenv(shards.SHARD_ENV, "1/2")
    assert shards.phase_is("sqlite")
    assert not shards.phase_is("postgresql")
    with pytest.raises(ValueError, match="one_database_phase"):
        shards.phase_is("mysql")


@pytest.mark.parametrize("raw", ["1/1", "2/3"])
def test_a_phase_is_named_only_when_the_work_is_split_in_two(monkeypatch, raw):
    monkeypatch.setenv(shards.SHARD_ENV, raw)
    with pytest.raises(ValueError, match="2 database phases"):
        shards.phase_is("sqlite")
