"""``ponleu backup``: retention, the second place, the status the doctor reads, alerts on failure."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from ponleu.notifications.models import Notification
from ponleu.operations import backups


@pytest.fixture
def places(tmp_path, settings):
    settings.PONLEU_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.PONLEU_BACKUP_KEEP_DAILY = 2
    settings.PONLEU_BACKUP_KEEP_WEEKLY = 1
    settings.PONLEU_BACKUP_KEEP_MONTHLY = 1
    second = tmp_path / "second-disk"
    second.mkdir()
    settings.PONLEU_BACKUP_COPY_TO = str(second)
    return settings.PONLEU_BACKUP_DIR, second


@pytest.mark.django_db(transaction=True)
def test_nightly_backups_are_copied_and_pruned_in_both_places(world, places):
    here, there = places
    for day in range(1, 5):
        with time_machine.travel(dt.datetime(2027, 3, day, 2, 0, tzinfo=dt.UTC), tick=False):
            out = io.StringIO()
            call_command("backup", stdout=out)
            assert "backup written" in out.getvalue()
    names = sorted(p.name for p in here.glob("*.backup"))
    assert names == ["ponleu-20270303-020000Z.backup", "ponleu-20270304-020000Z.backup"]
    assert sorted(p.name for p in there.glob("*.backup")) == names
    assert backups.read_status()["ok"] is True
    out = io.StringIO()
    call_command("backup", "verify", stdout=out)
    assert "ponleu-20270304-020000Z.backup: intact" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_failed_backup_is_recorded_and_alerts_the_administrators(world, places, settings, tmp_path):
    settings.PONLEU_BACKUP_COPY_TO = str(tmp_path / "unmounted-disk")
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("backup")
    assert backups.read_status()["ok"] is False
    alerted = Notification.objects.filter(message__contains="backup")
    assert list(alerted.values_list("recipient__username", flat=True)) == [
        world.user("system_admin").username
    ]
    # a second failure does not repeat an alert still unread
    before = alerted.count()
    with pytest.raises(CommandError):
        call_command("backup")
    assert alerted.count() == before
