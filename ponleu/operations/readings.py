"""What the database says about the installation, read when Prometheus scrapes ``/metrics``.

Counts only: no names, no ids. Each is one indexed count, cheap enough for a scrape a minute.
"""

from __future__ import annotations

import datetime as dt
import shutil

from django.conf import settings
from django_tasks_db.models import DBTaskResult

from ponleu.access.models import BreakGlassGrant
from ponleu.accounts.choices import LoginOutcome
from ponleu.accounts.models import LoginAttempt
from ponleu.audit.models import AccessEvent, AuditEvent
from ponleu.common import clock

from . import backups


def gauges() -> list[tuple[str, str, dict[str, str], float]]:
    now = clock.now()
    hour_ago, minute_ago = now - dt.timedelta(hours=1), now - dt.timedelta(minutes=1)
    found = []
    for status, label in (("READY", "waiting"), ("RUNNING", "running")):
        count = DBTaskResult.objects.filter(status=status).count()
        found.append(("ponleu_jobs", "Background tasks by state.", {"state": label}, count))
    failed = DBTaskResult.objects.filter(status="FAILED", finished_at__gte=now - dt.timedelta(days=1)).count()
    found.append(("ponleu_jobs", "Background tasks by state.", {"state": "failed_last_day"}, failed))
    refused = LoginAttempt.objects.filter(at__gte=hour_ago).exclude(outcome=LoginOutcome.SUCCEEDED).count()
    found.append(("ponleu_logins_refused_last_hour", "Password steps refused in the last hour.", {}, refused))
    grants = BreakGlassGrant.objects.filter(opened_at__gte=now - dt.timedelta(days=1)).count()
    found.append(
        ("ponleu_break_glass_grants_last_day", "Emergency access grants opened in the last day.", {}, grants)
    )
    active = BreakGlassGrant.objects.active_at(now).count()
    found.append(("ponleu_break_glass_grants_active", "Emergency access grants open now.", {}, active))
    for model in (AuditEvent, AccessEvent):
        rows = model.objects.filter(occurred_at__gte=minute_ago).count()
        found.append(
            (
                "ponleu_audit_rows_last_minute",
                "Audit rows written in the last minute.",
                {"table": model._meta.db_table},
                rows,
            )
        )
    newest = backups.listed()
    if newest:
        found.append(
            (
                "ponleu_backup_newest_age_seconds",
                "Age of the newest backup.",
                {},
                (now - newest[0].taken_at).total_seconds(),
            )
        )
    status = backups.read_status()
    found.append(
        (
            "ponleu_backup_last_ok",
            "1 when the last backup succeeded.",
            {},
            1 if status and status.get("ok") else 0,
        )
    )
    usage = shutil.disk_usage(settings.VAR_DIR if settings.VAR_DIR.exists() else "/")
    found.append(
        (
            "ponleu_disk_free_ratio",
            "Free share of the disk holding var/.",
            {},
            round(usage.free / usage.total, 4),
        )
    )
    return found
