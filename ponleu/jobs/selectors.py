"""Reading jobs: always through ``Job.objects.visible_to(actor)``."""

from __future__ import annotations

import uuid

from ponleu.access.actors import Actor

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
