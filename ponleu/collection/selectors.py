"""Reads of the collection app. Every id a request names is looked up through these."""

from __future__ import annotations

from ponleu.audit import services as audit

from .choices import CollectionAction, SubmissionStatus
from .models import CollectionForm, FormVersion, Submission
from .xlsform import read_instance


def fillable_forms(*, actor):
    return (
        CollectionForm.objects.fillable_by(actor)
        .select_related("current_version")
        .order_by("title", "form_id")
    )


def fillable_version(*, actor, version_id) -> FormVersion:
    """A version of a form the actor may fill (any version: a phone may hold an older one).
    Which device fetched which form is recorded, as a read."""
    version = FormVersion.objects.select_related("form").get(
        pk=version_id, form__in=CollectionForm.objects.fillable_by(actor)
    )
    audit.record_access(
        actor=actor,
        action=CollectionAction.FORM_DOWNLOADED,
        target_type="collection.formversion",
        target_ids=[version.pk],
    )
    return version


def forms_visible(*, actor):
    return (
        CollectionForm.objects.visible_to(actor).select_related("current_version").prefetch_related("teams")
    )


def submissions_visible(*, actor):
    return Submission.objects.visible_to(actor).select_related("form", "form_version")


META_COLUMNS = ("instance_id", "form_version", "status", "received_at", "submitted_by")


def _leaves(element, prefix: str, row: dict) -> None:
    path = f"{prefix}/{element.tag.rsplit('}', 1)[-1]}"
    if len(element) == 0:
        text = (element.text or "").strip()
        row[path] = f"{row[path]} | {text}" if path in row else text  # a repeat's answers, joined
        return
    for child in element:
        _leaves(child, path, row)


def submissions_export(*, actor, form: CollectionForm) -> tuple[list[str], list[list]]:
    """A form's submissions as a table (one column per question, repeats joined), only those
    the actor may see; replaced and encrypted-but-undecrypted ones are left out."""
    rows_in = list(
        submissions_visible(actor=actor)
        .filter(form=form)
        .exclude(status__in=[SubmissionStatus.SUPERSEDED, SubmissionStatus.INCOMPLETE])
        .select_related("submitted_by")
        .order_by("received_at")
    )
    columns: list[str] = []
    table = []
    for submission in rows_in:
        if "base64EncryptedKey" in submission.xml:
            continue
        answers: dict = {}
        _leaves(read_instance(submission.xml.encode()).root, "", answers)
        for path in answers:
            if path not in columns:
                columns.append(path)
        table.append((submission, answers))
    audit.record_access(
        actor=actor,
        action=CollectionAction.SUBMISSIONS_EXPORTED,
        target_type="collection.submission",
        target_ids=[submission.pk for submission, _answers in table],
    )
    headers = [*META_COLUMNS, *(path.split("/", 2)[-1] for path in columns)]
    rows = [
        [
            submission.instance_id,
            submission.form_version.version,
            submission.status,
            submission.received_at.isoformat(timespec="seconds"),
            submission.submitted_by.username,
            *(answers.get(path, "") for path in columns),
        ]
        for submission, answers in table
    ]
    return headers, rows
