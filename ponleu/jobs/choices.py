from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")
    # A job ("tâche") is feminine in French, a case masculine: the context keeps them apart.
    CANCELLED = "cancelled", pgettext_lazy("job", "Cancelled")


# A job still to do or being done: its page polls for progress.
OPEN_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobAction(models.TextChoices):
    """Audit action names (``<app>.<entity>.<past verb>``)."""

    CANCELLED = "jobs.job.cancelled", _("Job cancelled")


class JobKind(models.TextChoices):
    """The kinds of job the apps start, named for the list of jobs (a kind not named here is
    shown as it is written)."""

    PEOPLE_IMPORT = "registry.import", _("Import of people from a spreadsheet")
    MODEL_TRAINING = "early_warning.train", _("Training of a risk model")
    SUBMISSION_PROCESSING = "collection.process", _("Saving a field form into the registry")


# The page that follows one job of each kind: its URL name, and whether it names the job.
JOB_PAGES = {
    JobKind.PEOPLE_IMPORT: ("registry:import_job", True),
    JobKind.MODEL_TRAINING: ("early_warning:model_list", False),
    JobKind.SUBMISSION_PROCESSING: ("collection:submission_list", False),
}


def kind_label(kind: str):
    try:
        return JobKind(kind).label
    except ValueError:
        return kind
