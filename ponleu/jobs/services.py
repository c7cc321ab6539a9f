"""The life of a job, written once: create, claim, progress, finish, fail, cancel.

An app whose work takes a while creates a job in its service (``job_create``, naming the
capability the work needs), enqueues a task with the job's id on commit, and the task's body is
``job_run(job_id=..., kind=..., work=...)``: it claims the job (a job that is not waiting is left
alone, so a task delivered twice does nothing), rebuilds the owner's actor as it stands now
(someone who lost the capability since gets a failed job, not the work), runs ``work(job,
actor)`` in the owner's language and records the outcome. ``work`` reports progress with
``job_progress`` and refuses with ``JobFailed``. The page shows ``jobs/job_progress.html``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import translation

from ponleu.access.actors import Actor, actor_for_membership
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import Conflict, DomainError, PermissionDenied
from ponleu.organisations.models import Membership

from .choices import JobAction, JobStatus
from .models import Job


class JobFailed(Exception):
    """Raised by a job's work: the job fails with ``message``; ``result`` is kept for its page."""

    def __init__(self, message, **result):
        super().__init__(str(message))
        self.message = message
        self.result = result


@transaction.atomic
def job_create(
    *, actor: Actor, kind: str, capability: str, total: int = 0, result: dict | None = None
) -> Job:
    """A waiting job owned by ``actor``; the caller enqueues its task on commit."""
    if actor.user_id is None or actor.organisation_id is None or not actor.can(capability):
        raise PermissionDenied()
    return Job.objects.create(
        kind=kind,
        capability=capability,
        owner_id=actor.user_id,
        organisation_id=actor.organisation_id,
        total=total,
        result=result or {},
    )


@transaction.atomic
def job_claim(*, job_id, kind: str) -> Job | None:
    """Move a waiting job to running; None when it is gone, of another kind, or not waiting."""
    job = Job.objects.select_for_update().filter(pk=job_id, kind=kind).first()
    if job is None or job.status != JobStatus.QUEUED:
        return None
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status", "updated_at"])
    return job


def job_progress(*, job: Job, done: int, total: int | None = None) -> None:
    """Outside the work's transaction on purpose: the page polling the job sees it move."""
    job.progress = done
    if total is not None:
        job.total = total
    Job.objects.filter(pk=job.pk).update(progress=job.progress, total=job.total)


def _end(job: Job, status: str, message, result: dict) -> Job:
    job.status = status
    job.message = str(message or "")
    job.result = {**job.result, **result}
    job.finished_at = clock.now()
    job.save(update_fields=["status", "message", "result", "finished_at", "progress", "total", "updated_at"])
    return job


def job_finish(*, job: Job, message="", **result) -> Job:
    return _end(job, JobStatus.SUCCEEDED, message, result)


def job_fail(*, job: Job, message, **result) -> Job:
    return _end(job, JobStatus.FAILED, message, result)


@transaction.atomic
def job_cancel(*, actor: Actor, job: Job, reason: str = "") -> Job:
    """Withdraw a job that has not started (its owner, or whoever watches it for the whole
    organisation). Work already running is not interrupted: it could leave half a result."""
    job = Job.objects.visible_to(actor).select_for_update().filter(pk=job.pk).first()
    if job is None:
        raise PermissionDenied()
    if job.status != JobStatus.QUEUED:
        raise Conflict()
    job.status = JobStatus.CANCELLED
    job.finished_at = clock.now()
    job.save(update_fields=["status", "finished_at", "updated_at"])
    audit.record(
        actor=actor,
        action=JobAction.CANCELLED,
        target=job,
        changes={"status": [JobStatus.QUEUED.value, JobStatus.CANCELLED.value]},
        reason=reason,
    )
    return job


def owner_actor(job: Job) -> tuple[Actor | None, str]:
    """The owner's actor as their membership stands now, and their language."""
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(user_id=job.owner_id, organisation_id=job.organisation_id, is_active=True)
        .first()
    )
    if membership is None:
        return None, translation.get_language()
    actor = actor_for_membership(membership, is_verified=True)
    return actor, membership.user.language or translation.get_language()


def job_run(*, job_id, kind: str, work: Callable[[Job, Actor], dict | None], refused) -> Job | None:
    """A task's body (see the module's docstring). ``refused`` is the failure message for an
    owner who may no longer do the work; ``work`` returns the result to keep."""
    job = job_claim(job_id=job_id, kind=kind)
    if job is None:
        return Job.objects.filter(pk=job_id, kind=kind).first()
    actor, language = owner_actor(job)
    with translation.override(language):
        if actor is None or not actor.can(job.capability):
            return job_fail(job=job, message=refused)
        try:
            result = work(job, actor)
        except JobFailed as failed:
            return job_fail(job=job, message=failed.message, **failed.result)
        except DomainError as refusal:
            return job_fail(job=job, message=refusal.message)
        return job_finish(job=job, **(result or {}))
