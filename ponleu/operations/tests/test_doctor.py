"""``ponleu doctor`` on a test installation: each check in plain words, failures named."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ponleu.common import clock
from ponleu.notifications.models import Notification
from ponleu.operations import backups


@pytest.fixture
def server(tmp_path, settings):
    settings.PONLEU_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.VAR_DIR = tmp_path
    settings.PONLEU_AUDIT_ANCHOR_FILE = tmp_path / "anchors.jsonl"
    return tmp_path


@pytest.fixture
def database_tasks(settings):
    """Tasks queued in the database, where only a running worker would take them. The URL
    configuration is loaded first: its tasks check their queue against the backend when imported."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imported for its side effect
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _doctor(*args) -> tuple[str, str]:
    out = io.StringIO()
    try:
        call_command("doctor", "--wait", "2", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), ""


def _line(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if line[6:].startswith(name))


@pytest.mark.django_db(transaction=True)
def test_doctor_names_every_check_and_what_is_wrong(world, server):
    output, failure = _doctor()
    for name in (
        "database",
        "migrations",
        "worker",
        "keys",
        "backups",
        "disk",
        "clock",
        "tls",
        "settings",
        "audit",
    ):
        assert _line(output, name)
    assert _line(output, "database").startswith("OK")
    assert _line(output, "migrations").startswith("OK    migrations  every migration is applied")
    assert _line(output, "worker").startswith("OK")
    assert _line(output, "audit").startswith("OK    audit       chains intact")
    assert _line(output, "backups").startswith("FAIL  backups     no backup in")
    assert "run `ponleu backup`" in _line(output, "backups")
    assert "checks failed" in failure
    assert "backups" in failure


@pytest.mark.django_db(transaction=True)
def test_a_recent_backup_is_opened_and_checked(world, server):
    backups.take()
    output, _ = _doctor()
    assert "unsealed and every checksum matches" in _line(output, "backups")
    assert _line(output, "backups").startswith("OK")


@pytest.mark.django_db(transaction=True)
def test_a_stale_backup_fails_and_alerts_the_administrators(world, server, settings):
    backups.take()
    settings.PONLEU_BACKUP_MAX_AGE_HOURS = 0
    output, _ = _doctor("--alert", "--quick")
    assert "hours old" in _line(output, "backups")
    assert "is the timer on?" in _line(output, "backups")
    told = Notification.objects.filter(recipient=world.user("system_admin"))
    assert [n.message for n in told] == [
        "The backups are failing or out of date. Run `ponleu doctor` on the server."
    ]


@pytest.mark.django_db(transaction=True)
def test_a_damaged_newest_backup_is_not_restorable(world, server):
    path = backups.take()
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    output, _ = _doctor()
    assert "the newest backup cannot be restored" in _line(output, "backups")
    assert "altered or damaged" in _line(output, "backups")


@pytest.mark.django_db(transaction=True)
def test_secret_files_readable_by_others_fail(world, server, settings):
    secret = server / "ponleu.env"
    secret.write_text("SECRET_KEY=x\n")
    secret.chmod(0o644)
    settings.PONLEU_SECRET_FILES = [str(secret)]
    output, _ = _doctor()
    assert f"chmod 600 {secret}" in _line(output, "keys")
    secret.chmod(0o600)
    output, _ = _doctor()
    assert _line(output, "keys").startswith("OK")


@pytest.mark.django_db(transaction=True)
def test_a_stopped_worker_is_reported_and_alerted(world, server, database_tasks):
    output, _ = _doctor("--alert", "--quick")
    assert "no worker took a test task within 2 s" in _line(output, "worker")
    assert Notification.objects.filter(
        recipient=world.user("system_admin"), message__startswith="The background worker has stopped"
    ).exists()


def test_clock_is_compared_with_the_database(db):
    from ponleu.operations import checks

    assert checks.clock_skew().ok
    with clock.frozen(clock.now() + dt.timedelta(minutes=5)):
        result = checks.clock_skew()
    assert not result.ok
    assert "disagree by" in result.message


@pytest.mark.django_db(transaction=True)
def test_the_stopped_worker_alert_is_mailed_without_the_worker(
    world, server, database_tasks, settings, mailoutbox
):
    """The e-mail cannot wait for the worker that has stopped: it leaves with the alert."""
    settings.NOTIFICATIONS_BY_EMAIL = True
    admin = world.user("system_admin")
    admin.email = "admin@example.org"
    admin.save(update_fields=["email"])
    _doctor("--alert", "--quick")

    def mailed():
        return [m for m in mailoutbox if m.to == ["admin@example.org"] and "worker has stopped" in m.body]

    assert len(mailed()) == 1
    assert "/notifications/" not in mailed()[0].body
    # A second run finds the alert still unread and neither repeats it nor mails it again.
    _doctor("--alert", "--quick")
    assert len(mailed()) == 1
