"""``ponleu upgrade``: refuses mid-job and without a previous backup; otherwise backs up, then migrates."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tasks_db.models import DBTaskResult

from ponleu.common import clock
from ponleu.operations import backups


@pytest.fixture
def places(tmp_path, settings):
    settings.PONLEU_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.VAR_DIR = tmp_path
    return tmp_path


def _upgrade(*args) -> str:
    out = io.StringIO()
    call_command("upgrade", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_without_a_previous_backup_it_refuses_and_changes_nothing(world, places):
    with pytest.raises(CommandError, match="refused: there is no previous backup in"):
        _upgrade()
    assert backups.listed() == []


@pytest.mark.django_db(transaction=True)
def test_after_a_failed_backup_it_refuses(world, places):
    backups.take()
    backups.write_status(ok=False, message="the second disk is not mounted")
    with pytest.raises(CommandError, match="the last backup failed \\(the second disk is not mounted\\)"):
        _upgrade()


@pytest.mark.django_db(transaction=True)
def test_while_a_task_runs_it_refuses(world, places):
    backups.take()
    DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="ponleu.operations.tasks.heartbeat",
        queue_name="default",
        backend_name="default",
        run_after=clock.now(),
        started_at=clock.now(),
    )
    with pytest.raises(CommandError, match="1 background task\\(s\\) running. Stop the worker first"):
        _upgrade()
    assert len(backups.listed()) == 1


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_then_migrates(world, places):
    backups.take()
    with clock.frozen(clock.now() + dt.timedelta(seconds=5)):
        output = _upgrade()
    assert output.index("backup before the upgrade:") < output.index("Running migrations:")
    assert "No migrations to apply." in output
    assert len(backups.listed()) == 2
    assert backups.read_status()["ok"] is True


@pytest.mark.django_db(transaction=True)
def test_grants_are_for_postgresql(world, places):
    backups.take()
    if connection.vendor == "postgresql":
        pytest.skip("tests/security/test_database_roles.py covers the grants on PostgreSQL")
    with (
        clock.frozen(clock.now() + dt.timedelta(seconds=5)),
        pytest.raises(CommandError, match="for PostgreSQL"),
    ):
        _upgrade("--grant-to", "ponleu_app")
