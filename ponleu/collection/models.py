"""Field collection: XLSForm forms and their versions, and the submissions phones send.

A form belongs to an organisation and is published to chosen teams. Each upload of its
XLSForm is a new ``FormVersion`` (the XForm pyxform compiled from it, its md5 as ODK Collect
checks it); a submission keeps the version it was filled with. A submission's ``instanceID``
is unique per form, so a resent submission is recognised; an edit (``deprecatedID``) is a new
submission that supersedes the one it replaces. The XML and attachments hold data about
children, so both are encrypted at rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.access.scopes import Scope
from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.common import clock
from ponleu.common.models import UUIDModel
from ponleu.encryption.fields import EncryptedTextField
from ponleu.encryption.storage import encrypted_storage

from .choices import Binding, SubmissionStatus


class CollectionFormQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """The organisation's forms, for those who manage or review its collection."""
        if actor.organisation_id is None or not (
            actor.can("collection.manage") or actor.can("collection.view")
        ):
            return self.none()
        return self.filter(organisation_id=actor.organisation_id)

    def fillable_by(self, actor):
        """Published forms the actor may fill: those published to one of their teams (all the
        organisation's published forms for someone who collects organisation-wide)."""
        if actor.organisation_id is None or not actor.can("collection.submit"):
            return self.none()
        published = self.filter(organisation_id=actor.organisation_id, current_version__isnull=False)
        if actor.scope_for("collection.submit") >= Scope.ORG:
            return published.filter(teams__isnull=False).distinct()
        return published.filter(teams__in=list(actor.team_ids)).distinct()


class CollectionForm(UUIDModel):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="collection_forms"
    )
    form_id = models.CharField(_("form id"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    binding = models.CharField(_("saved as"), max_length=40, choices=Binding.choices, blank=True, default="")
    teams = models.ManyToManyField("organisations.Team", blank=True, related_name="collection_forms")
    current_version = models.ForeignKey(
        "FormVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = CollectionFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("collection form")
        verbose_name_plural = _("collection forms")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "form_id"], name="collection_form_id_per_org")
        ]

    def __str__(self) -> str:
        return self.title


class FormVersion(UUIDModel):
    form = models.ForeignKey(CollectionForm, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("version"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    source = models.BinaryField(editable=False)  # the XLSForm as uploaded
    xml = models.TextField(editable=False)  # the XForm pyxform made of it
    md5 = models.CharField(max_length=32, editable=False)
    encrypted = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["form", "version"], name="collection_version_once")]

    def __str__(self) -> str:
        return f"{self.form.form_id} {self.version}"


class FormKey(UUIDModel):
    """The organisation's RSA key pair for encrypted forms: the public half goes into every
    form it publishes, the private half is sealed under the key ring."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="collection_key"
    )
    public_key = models.TextField(editable=False)  # base64 DER SubjectPublicKeyInfo
    private_key = EncryptedTextField(editable=False)  # PEM PKCS#8
    created_at = models.DateTimeField(default=clock.now, editable=False)


class SubmissionQuerySet(ScopedQuerySet):
    scoping = Scoping(view="collection.view", area=None, team="team", owner="submitted_by")


class Submission(UUIDModel):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="collection_submissions"
    )
    form = models.ForeignKey(CollectionForm, on_delete=models.PROTECT, related_name="submissions")
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    instance_id = models.CharField(max_length=100)
    deprecated_id = models.CharField(max_length=100, blank=True, default="")
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    device_token = models.ForeignKey(
        "accounts.DeviceToken", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    xml = EncryptedTextField(editable=False)
    encrypted = models.BooleanField(default=False, editable=False)  # sent encrypted by the phone
    # Attachment names the XML refers to, so a later post can complete the submission.
    expected_files = models.JSONField(default=list, editable=False)
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.RECEIVED
    )
    status_reason = models.CharField(max_length=300, blank=True, default="")
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    received_at = models.DateTimeField(default=clock.now, editable=False)
    # What the submission became (a bound form): the household it registered or was matched to.
    household = models.ForeignKey(
        "registry.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # ... or, for a child registration, the person it registered or was matched to.
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # ... or, for a home visit, the note it added to a case.
    case_note = models.ForeignKey(
        "cases.CaseNote",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # People already in the registry that the submission's people may be (ids), for review.
    likely_matches = models.JSONField(default=list, editable=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["form", "instance_id"], name="collection_instance_once_per_form")
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="collection_sub_status")]

    def __str__(self) -> str:
        return self.instance_id


class Attachment(UUIDModel):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    file = models.FileField(storage=encrypted_storage, upload_to="collection/", editable=False)

    objects = ScopedQuerySet.declare(via="submission").as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "name"], name="collection_attachment_once")
        ]


class FormMedia(UUIDModel):
    """A media file a form version uses (an image in a question, a CSV of choices), listed in
    its manifest. Forms are not about children, so media are kept as they are."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="media")
    filename = models.CharField(max_length=255)
    data = models.BinaryField(editable=False)
    md5 = models.CharField(max_length=32, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "filename"], name="collection_media_once")]
