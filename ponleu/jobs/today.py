"""What jobs ask of the person today: the jobs they follow that failed this week (an import
refused, a model that could not be trained), each linking to its own page.

The count and the short list are ``selectors.job_list`` with the filters of the link
(``status=failed&since=``), so the number is the number of jobs on the list behind it.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ponleu.common import clock
from ponleu.common.today import Entry, Found, Item

from . import selectors
from .choices import JobStatus, kind_label

REVIEW_DAYS = 7


def _since() -> dt.date:
    return clock.today() - dt.timedelta(days=REVIEW_DAYS - 1)


def _full_list(actor) -> str:
    query = urlencode({"status": JobStatus.FAILED.value, "since": _since().isoformat()})
    return f"{reverse('jobs:job_list')}?{query}"


def _failed(actor, limit) -> Found:
    jobs = selectors.job_list(actor=actor, status=JobStatus.FAILED, since=_since())
    count = jobs.count()
    if not count:
        return Found(0)
    entries = [
        Entry(
            str(kind_label(job.kind)),
            selectors.job_page(job) or _full_list(actor),
            Truncator(job.message).chars(80),
            day=timezone.localdate(job.finished_at) if job.finished_at else None,
        )
        for job in jobs[:limit]
    ]
    return Found(count, entries)


ITEMS = [
    Item(
        "jobs.failed",
        _("Jobs that failed in the last 7 days"),
        "web.use",
        70,
        _full_list,
        _failed,
    ),
]
