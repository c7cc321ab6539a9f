"""Bad configuration gives one clear line and a non-zero exit, never a traceback."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from ponleu.encryption.keyring import new_key_line

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "PONLEU_MODE": "production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "ponleu.example.org",
    "DATABASE_URL": "postgres://ponleu@127.0.0.1:5432/ponleu",
    "PONLEU_ENCRYPTION_KEYS": new_key_line("check"),
}


def ponleu(*args, env_overrides=None, drop=()):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PONLEU_", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PONLEU_VAR_DIR"] = str(ROOT / "var" / "config-tests")
    env.update(env_overrides or {})
    for name in drop:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "ponleu.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line_error(result):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    line = one_line_error(ponleu("check", env_overrides=PRODUCTION, drop=[missing]))
    assert missing in line


def test_malformed_database_url():
    line = one_line_error(ponleu("check", env_overrides={**PRODUCTION, "DATABASE_URL": "mysql//oops"}))
    assert "DATABASE_URL" in line


def test_database_url_with_a_bad_port():
    line = one_line_error(
        ponleu("check", env_overrides={**PRODUCTION, "DATABASE_URL": "postgres://u@127.0.0.1:notaport/db"})
    )
    assert "DATABASE_URL" in line


def test_unreachable_database():
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    line = one_line_error(
        ponleu("migrate", "--check", env_overrides={"DATABASE_URL": "postgres://ponleu@127.0.0.1:9/ponleu"})
    )
    assert "cannot use the database at 127.0.0.1:9" in line


def test_production_settings_pass_the_deploy_check_with_no_warning():
    result = ponleu("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_malformed_trusted_proxies():
    overrides = {**PRODUCTION, "PONLEU_TRUSTED_PROXIES": "10.0.0.1, nginx.local"}
    line = one_line_error(ponleu("check", env_overrides=overrides))
    assert "PONLEU_TRUSTED_PROXIES" in line
    assert "nginx.local" in line


def test_debug_is_refused_in_production():
    line = one_line_error(ponleu("check", env_overrides={**PRODUCTION, "PONLEU_DEBUG": "true"}))
    assert "PONLEU_DEBUG" in line


def test_development_generates_its_own_secret(tmp_path):
    result = ponleu("check", env_overrides={"PONLEU_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    secret = (tmp_path / "secret_key").read_text()
    assert len(secret) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
