from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


# A job still to do or being done: its page polls for progress.
OPEN_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobAction(models.TextChoices):
    """Audit action names (``<app>.<entity>.<past verb>``)."""

    CANCELLED = "jobs.job.cancelled", _("Job cancelled")
