from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    # The XML arrived but an attachment it names has not (ODK Collect sends large media in
    # several posts); the submission waits for the rest.
    INCOMPLETE = "incomplete", _("Waiting for attachments")
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    REVIEW = "review", _("Waiting for review")
    CONFLICT = "conflict", _("Conflict")
    ERROR = "error", _("Error")
    SUPERSEDED = "superseded", _("Replaced by an edit")


class CollectionAction(models.TextChoices):
    FORM_UPLOADED = "collection.form_uploaded", _("form version uploaded")
    FORM_PUBLISHED = "collection.form_published", _("form published")
    SUBMISSION_RECEIVED = "collection.submission_received", _("submission received")
    SUBMISSION_EDITED = "collection.submission_edited", _("submission edited")
    SUBMISSION_PROCESSED = "collection.submission_processed", _("submission processed")
    KEY_CREATED = "collection.key_created", _("form encryption key created")
    SUBMISSION_MATCHED = "collection.submission_matched", _("submission matched to a household")
    SUBMISSION_MATCHED_PERSON = "collection.submission_matched_person", _("submission matched to a person")
    SUBMISSIONS_LISTED = "collection.submissions_listed", _("submissions listed")
    SUBMISSIONS_EXPORTED = "collection.submissions_exported", _("submissions exported")
    MATCHES_SHOWN = "collection.matches_shown", _("likely matches shown for review")
    FORM_DOWNLOADED = "collection.form_downloaded", _("form downloaded to a phone")
    FORM_MEDIA_ADDED = "collection.form_media_added", _("form media file added")
    SUBMISSION_TO_REVIEW = "collection.submission_to_review", _("submission waiting for review")
    SUBMISSION_FAILED = "collection.submission_failed", _("submission marked as an error")
    SUBMISSION_DECRYPTED = "collection.submission_decrypted", _("submission decrypted")


# What a form's submissions become in Ponleu: nothing (stored for export) or records of an app.
class Binding(models.TextChoices):
    NONE = "", _("Stored for export")
    HOUSEHOLD_REGISTRATION = "household_registration", _("Household registration")
    CHILD_REGISTRATION = "child_registration", _("Child registration")
    HOME_VISIT = "home_visit", _("Home visit on a case")
