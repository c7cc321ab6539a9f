"""Reading jobs: always through ``Job.objects.visible_to(actor)``."""

from __future__ import annotations

import datetime as dt
import uuid

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ponleu.access.actors import Actor

from .choices import JOB_PAGES, JobStatus
from .models import Job


def job_get(*, actor: Actor, job_id, kind: str) -> Job | None:
    """A job of ``kind`` the actor may watch; a missing, foreign or malformed id is None."""
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError:
        return None
    return Job.objects.visible_to(actor).filter(pk=pk, kind=kind).first()


def job_latest(*, actor: Actor, kind: str) -> Job | None:
    return Job.objects.visible_to(actor).filter(kind=kind).order_by("-created_at").first()


def job_visible(*, actor: Actor, job_id) -> Job | None:
    """A job of any kind the actor may watch; a missing, foreign or malformed id is None."""
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError:
        return None
    return Job.objects.visible_to(actor).select_related("owner").filter(pk=pk).first()


def job_list(*, actor: Actor, status: str = "", since: dt.date | None = None):
    """The jobs the actor may watch, newest first: ``status`` one of ``JobStatus`` (any other
    value: every status), ``since`` the first day they ended (the installation's time zone)."""
    jobs = Job.objects.visible_to(actor).select_related("owner")
    if status in JobStatus.values:
        jobs = jobs.filter(status=status)
    if since is not None:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_default_timezone())
        jobs = jobs.filter(finished_at__gte=start)
    return jobs.order_by("-created_at", "-pk")


def job_page(job: Job) -> str:
    """The address of the page that follows this job (its import, its model), or ""."""
    found = JOB_PAGES.get(job.kind)
    if found is None:
        return ""
    name, names_the_job = found
    try:
        return reverse(name, kwargs={"job_id": job.pk} if names_the_job else None)
    except NoReverseMatch:
        return ""  # the app is not installed in this build
