"""Nurseries, factories and the development checks of young children.

A nursery is a programmes group (``programmes.Group``): its children are the group's members
and its days are the group's sessions with their attendance. ``Nursery`` only adds what a
group does not say: which kind of nursery it is, the factory it serves and the parents' group
whose sessions are its positive parenting sessions. It stands where its group stands.

A factory is an employer the organisation follows for advocacy (no person in it): whether the
childcare the Labour Law asks of it is provided. It stands in its place, with the worker who
last checked it.

A development instrument is data: age bands, each with items in five domains, in Khmer and
English. A check of a child records each item of one band as achieved or not yet; it stands
where the nursery it was taken in stands (or, taken outside a nursery, where the child does),
with the worker who took it.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.common.models import TimestampedModel, VersionedModel
from ponleu.geography.models import AdminUnit
from ponleu.organisations.models import Organisation, Team
from ponleu.programmes.models import Group
from ponleu.registry.models import Person

from .choices import Childcare, Domain, InstrumentSource, NurseryKind

PROGRAMMES_VIEW = "programmes.view"

# Labour Law (1997) art. 186: an enterprise employing at least 100 women or girls sets up a
# nursery (or pays for the care of its workers' children elsewhere).
WOMEN_WORKERS_REQUIRING_CHILDCARE = 100


def months_old(born: dt.date, on: dt.date) -> int:
    """Whole months of age on ``on`` (a child born on the 31st turns one month on the last day
    of a shorter month)."""
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if on.day < born.day and not _last_day(on):
        months -= 1
    return months


def _last_day(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def childcare_required(women_workers: int) -> bool:
    return women_workers >= WOMEN_WORKERS_REQUIRING_CHILDCARE


# --- factories -------------------------------------------------------------------------------


class FactoryQuerySet(ScopedQuerySet):
    # A factory stands in its place, with the worker who last checked it; it has no team.
    scoping = Scoping(view=PROGRAMMES_VIEW, team=None, owner="checked_by")


class Factory(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    village = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    women_workers = models.PositiveIntegerField(_("women workers"))
    childcare = models.CharField(_("childcare"), max_length=20, choices=Childcare.choices)
    checked_on = models.DateField(_("last checked on"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked by"),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = FactoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("factory")
        verbose_name_plural = _("factories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name", "village"], name="factory_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.area_code = self.village_id or ""
        super().save(*args, **kwargs)

    @property
    def must_provide_childcare(self) -> bool:
        return childcare_required(self.women_workers)

    @property
    def falls_short(self) -> bool:
        """Should provide childcare by law and does not."""
        return self.must_provide_childcare and self.childcare == Childcare.NONE


# --- nurseries -------------------------------------------------------------------------------


class Nursery(TimestampedModel):
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="nursery")
    kind = models.CharField(_("kind of nursery"), max_length=20, choices=NurseryKind.choices)
    factory = models.ForeignKey(
        Factory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nurseries",
        verbose_name=_("factory"),
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    # The caregivers' group whose sessions are the nursery's positive parenting sessions.
    parents_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("parents' group"),
    )

    objects = ScopedQuerySet.declare(via="group").as_manager()

    class Meta:
        verbose_name = _("nursery")
        verbose_name_plural = _("nurseries")

    def __str__(self) -> str:
        return self.group.name


# --- development instrument ------------------------------------------------------------------


class Instrument(TimestampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=20, choices=InstrumentSource.choices)
    # The one instrument new checks use; older ones stay for the checks taken with them.
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(is_active=True), name="instrument_one_in_use"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Band(models.Model):
    """An age band of an instrument: from ``from_months`` (included) to ``to_months`` (not)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="bands")
    from_months = models.PositiveIntegerField(_("from (months)"))
    to_months = models.PositiveIntegerField(_("to (months)"))

    class Meta:
        ordering = ["from_months"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "from_months"], name="band_once"),
            models.CheckConstraint(condition=Q(to_months__gt=models.F("from_months")), name="band_forward"),
        ]

    def __str__(self) -> str:
        return f"{self.from_months}–{self.to_months}"


class Item(models.Model):
    band = models.ForeignKey(Band, on_delete=models.CASCADE, related_name="items")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    position = models.PositiveIntegerField(default=0)
    text_km = models.CharField(_("item (Khmer)"), max_length=300)
    text_en = models.CharField(_("item (English)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("asked"), default=True)

    class Meta:
        ordering = ["band", "domain", "position", "id"]

    def __str__(self) -> str:
        return self.text_km

    def text(self, language: str | None = None) -> str:
        return self.text_en if language != "km" and self.text_en else self.text_km

    @property
    def organisation_id(self):
        """The organisation whose checklist the item is in (configuration, not a person's)."""
        return self.band.instrument.organisation_id


# --- checks ----------------------------------------------------------------------------------


class CheckQuerySet(ScopedQuerySet):
    scoping = Scoping(view=PROGRAMMES_VIEW)


class Check(VersionedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The worker the check belongs to: the nursery's facilitator, or who took it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="development_checks", verbose_name=_("child")
    )
    band = models.ForeignKey(Band, on_delete=models.PROTECT, related_name="checks")
    nursery = models.ForeignKey(
        Nursery, null=True, blank=True, on_delete=models.SET_NULL, related_name="checks"
    )
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("development check")
        verbose_name_plural = _("development checks")
        ordering = ["-checked_on", "-created_at"]
        indexes = [models.Index(fields=["organisation", "area_code"], name="dev_check_org_area")]


class Result(models.Model):
    check_taken = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    achieved = models.BooleanField(_("achieved"))

    objects = ScopedQuerySet.declare(via="check_taken").as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["check_taken", "item"], name="dev_result_once")]
