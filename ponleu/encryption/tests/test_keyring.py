import base64
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ponleu.encryption.keyring import keys_from_env, new_key_line, parse_keys

ROOT = Path(__file__).resolve().parents[3]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_the_first_key_encrypts_and_every_key_is_kept():
    first, second = b64(secrets.token_bytes(32)), b64(secrets.token_bytes(32))
    ring = parse_keys(f"new:{first}, old:{second}")
    assert ring.primary.id == "new"
    assert ring.ids == ("new", "old")
    assert ring.get("old").secret == base64.b64decode(second)
    assert ring.get("gone") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "must be set"),
        ("k1", "must look like id:base64key"),
        ("bad id:" + b64(bytes(32)), "must look like id:base64key"),
        ("k1:not base64!", "not valid base64"),
        ("k1:" + b64(bytes(16)), "must decode to 32 bytes"),
        ("k1:" + b64(bytes(32)) + ",k1:" + b64(bytes(32)), "twice"),
        ("k1:" + b64(bytes(32)) + ",,", "empty entry"),
    ],
)
def test_a_malformed_value_is_refused_in_one_line_naming_the_variable(value, expected):
    with pytest.raises(ImproperlyConfigured) as refused:
        parse_keys(value)
    message = str(refused.value)
    assert message.startswith("PONLEU_ENCRYPTION_KEYS")
    assert expected in message
    assert "\n" not in message


def test_error_messages_never_quote_key_material():
    secret = b64(secrets.token_bytes(24))  # valid base64, wrong length
    with pytest.raises(ImproperlyConfigured) as refused:
        parse_keys(f"k1:{secret}")
    assert secret not in str(refused.value)


def test_generated_lines_parse_and_differ():
    first, second = new_key_line(), new_key_line("rotated-2")
    assert parse_keys(f"{first},{second}").ids[1] == "rotated-2"
    assert first.split(":")[1] != second.split(":")[1]
    with pytest.raises(ValueError, match="key id"):
        new_key_line("bad:id")


def test_production_requires_the_variable(monkeypatch, tmp_path):
    monkeypatch.delenv("PONLEU_ENCRYPTION_KEYS", raising=False)
    with pytest.raises(ImproperlyConfigured, match="^PONLEU_ENCRYPTION_KEYS must be set"):
        keys_from_env(required=True, local_file=tmp_path / "keys")
    assert not (tmp_path / "keys").exists()


def test_development_generates_a_private_key_file_once(monkeypatch, tmp_path):
    monkeypatch.delenv("PONLEU_ENCRYPTION_KEYS", raising=False)
    path = tmp_path / "var" / "encryption_keys"
    value = keys_from_env(required=False, local_file=path)
    assert parse_keys(value).primary.id.startswith("local-")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys_from_env(required=False, local_file=path) == value


def test_the_environment_wins_over_the_local_file(monkeypatch, tmp_path):
    line = new_key_line("env")
    monkeypatch.setenv("PONLEU_ENCRYPTION_KEYS", line)
    assert keys_from_env(required=False, local_file=tmp_path / "keys") == line
    assert not (tmp_path / "keys").exists()


@pytest.mark.parametrize("value", [None, "k1:" + b64(bytes(31))])
def test_production_start_up_is_refused_in_one_line(value):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PONLEU_", "DATABASE_URL", "DJANGO_"))}
    env.update(
        PONLEU_MODE="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ponleu.example.org",
        DATABASE_URL="postgres://ponleu@127.0.0.1:5432/ponleu",
        PONLEU_VAR_DIR=str(ROOT / "var" / "config-tests"),
    )
    if value is not None:
        env["PONLEU_ENCRYPTION_KEYS"] = value
    result = subprocess.run(
        [sys.executable, "-m", "ponleu.cli", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0
    assert len(lines) == 1, result.stderr
    assert "PONLEU_ENCRYPTION_KEYS" in lines[0]
    assert "Traceback" not in result.stderr


def test_a_derived_key_is_fixed_per_label_and_never_the_key_itself():
    ring = parse_keys(f"k1:{b64(bytes(range(32)))}")
    key = ring.primary
    mac = key.derive(b"ponleu audit chain v1")
    assert len(mac) == 32
    assert mac == parse_keys(f"k1:{b64(bytes(range(32)))}").primary.derive(b"ponleu audit chain v1")
    assert mac != key.secret
    assert mac != key.derive(b"another purpose")
