"""Contact with the child and family: case notes (home visits and others) and case conferences."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet
from ponleu.cases.choices import InteractionType
from ponleu.common.models import TimestampedModel

from .case import Case
from .fields import ProtectedFileField, ProtectedTextField
from .work import Goal


class CaseNote(TimestampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    interaction = models.CharField(_("contact"), max_length=20, choices=InteractionType.choices)
    happened_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    present = ProtectedTextField(_("who was present"), blank=True)
    observations = ProtectedTextField(_("observations"))
    goals = models.ManyToManyField(Goal, blank=True, related_name="notes", verbose_name=_("goals worked on"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.declare(via="case").as_manager()

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-happened_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_interaction_display()} · {self.happened_on}"


class NoteAttachment(TimestampedModel):
    note = models.ForeignKey(CaseNote, on_delete=models.CASCADE, related_name="attachments")
    # The storage gives each file a random name; the uploaded name may identify the child.
    file = ProtectedFileField(upload_to="cases/", max_length=200)
    name = ProtectedTextField(_("file name"))
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.declare(via="note").as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class CaseConference(TimestampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    held_on = models.DateField(_("held on"))
    participants = models.TextField(_("participants"))
    decisions = ProtectedTextField(_("decisions"))
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.declare(via="case").as_manager()

    class Meta:
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        ordering = ["-held_on", "-created_at"]

    def __str__(self) -> str:
        return f"{_('Case conference')} · {self.held_on}"
