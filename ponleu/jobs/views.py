"""The list of jobs a person may follow (imports, model training, ...), and cancelling one that
has not started. Each job's own page stays with the app that started it; this one gathers them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.common.errors import Conflict

from . import selectors, services
from .choices import JobStatus, kind_label
from .models import Job

PAGE_SIZE = 30
# The list refreshes itself this often while a job on it waits or runs.
POLL_SECONDS = 5


@dataclass
class JobRow:
    job: Job
    label: str
    url: str
    can_cancel: bool
    message: str = ""


def _row(job: Job, message: str = "") -> JobRow:
    # Work already running is not interrupted (``job_cancel``): only a waiting job is offered.
    return JobRow(job, kind_label(job.kind), selectors.job_page(job), job.status == JobStatus.QUEUED, message)


def _since(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class JobListView(AppView):
    """The caller's jobs, as far as they may follow them: status, progress, what went wrong."""

    capability = "web.use"

    def get(self, request):
        status = request.GET.get("status", "")
        status = status if status in JobStatus.values else ""
        since = _since(request.GET.get("since"))
        jobs = selectors.job_list(actor=self.actor, status=status, since=since)
        page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [_row(job) for job in page.object_list]
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "rows": rows,
            "page": page,
            "status": status,
            "since": since,
            "statuses": JobStatus.choices,
            "query": query.urlencode(),
            "polling": any(row.job.is_open for row in rows),
            "poll_seconds": POLL_SECONDS,
        }
        template = "jobs/job_list.html#rows" if request.htmx else "jobs/job_list.html"
        return render(request, template, context)


class JobCancelView(AppView):
    """Withdraw a job that has not started; one the caller may not follow is not found."""

    capability = "web.use"

    def post(self, request, job_id):
        job = selectors.job_visible(actor=self.actor, job_id=job_id)
        if job is None:
            raise Http404(NOT_FOUND_MESSAGE)
        try:
            job = services.job_cancel(actor=self.actor, job=job)
        except Conflict:
            job.refresh_from_db()
            message, ok = _("This job has already started: it can no longer be cancelled."), False
        else:
            message, ok = _("The job is cancelled."), True
        if request.htmx:
            return render(request, "jobs/job_list.html#row", {"row": _row(job, message)})
        (messages.success if ok else messages.error)(request, message)
        return redirect("jobs:job_list")
