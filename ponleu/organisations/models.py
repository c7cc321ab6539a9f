"""The tenant (Organisation), its teams, and the memberships that tie users to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ponleu.common.models import TimestampedModel
from ponleu.geography.models import AdminUnit

from .choices import Role


class Organisation(TimestampedModel):
    name_km = models.CharField(_("name in Khmer"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    short_name = models.SlugField(_("short name"), max_length=40, unique=True)
    provinces = models.ManyToManyField(
        AdminUnit, blank=True, related_name="+", verbose_name=_("provinces served")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name_en

    def display_name(self, language: str | None = None) -> str:
        return self.name_km if language == "km" and self.name_km else self.name_en


class Team(TimestampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimestampedModel):
    """A user's role in one organisation, with the teams and areas it acts within."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    teams = models.ManyToManyField(Team, blank=True, related_name="members", verbose_name=_("teams"))
    areas = models.ManyToManyField(
        AdminUnit,
        blank=True,
        related_name="+",
        verbose_name=_("assigned areas"),
        help_text=_("Provinces, districts, communes or villages this member works in."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_one_per_user_and_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
