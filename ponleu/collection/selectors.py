"""Reads of the collection app. Every id a request names is looked up through these."""

from __future__ import annotations

from ponleu.audit import services as audit

from .choices import CollectionAction
from .models import CollectionForm, FormVersion, Submission


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


def form_get(*, actor, form_id) -> CollectionForm:
    return forms_visible(actor=actor).get(pk=form_id)


def submissions_visible(*, actor):
    return Submission.objects.visible_to(actor).select_related("form", "form_version")
