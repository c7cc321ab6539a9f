"""Cambodia's administrative units (NCDD gazetteer via dwilkie/pumi).

The NCDD code is a materialised path: a unit's code extends its parent's by two digits,
so "everything under district 0201" is one range scan on the primary key.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AdminLevel


def code_range(prefix: str) -> tuple[str, str]:
    """The half-open key range [prefix, upper) holding every code that starts with ``prefix``."""
    if not prefix.isdigit():
        raise ValueError(f"not an NCDD code: {prefix!r}")
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


class AdminUnitQuerySet(models.QuerySet):
    def within(self, code: str) -> AdminUnitQuerySet:
        """The unit ``code`` and every unit under it, as one indexed range query."""
        low, high = code_range(code)
        return self.filter(code__gte=low, code__lt=high)

    def active(self) -> AdminUnitQuerySet:
        return self.filter(is_active=True)

    def of_level(self, level: str) -> AdminUnitQuerySet:
        return self.filter(level=level)


class AdminUnit(models.Model):
    code = models.CharField(_("NCDD code"), max_length=8, primary_key=True)
    level = models.CharField(_("level"), max_length=10, choices=AdminLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    type_km = models.CharField(_("type in Khmer"), max_length=20)
    type_latin = models.CharField(_("type in Latin letters"), max_length=20)
    type_en = models.CharField(_("type in English"), max_length=20)
    name_km = models.CharField(_("name in Khmer"), max_length=120)
    name_latin = models.CharField(_("name in Latin letters"), max_length=120, blank=True)
    name_ungegn = models.CharField(_("UNGEGN name"), max_length=120, blank=True)
    iso3166_2 = models.CharField(_("ISO 3166-2 code"), max_length=6, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Folded Khmer and Latin names for the picker's type-ahead (see geography.search_keys).
    search_text = models.CharField(max_length=400, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"], name="adminunit_level_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_latin or self.name_km}"

    def name(self, language: str | None = None) -> str:
        if language == "km" or not self.name_latin:
            return self.name_km
        return self.name_latin

    def ancestor_codes(self) -> list[str]:
        """This unit's code and its ancestors', broadest first: 02, 0201, 020101, 02010101."""
        return [self.code[:n] for n in range(2, len(self.code) + 1, 2)]


def village_field() -> models.ForeignKey:
    """Where a record stands in the gazetteer: an optional village, which cannot be deleted
    while a record names it."""
    return models.ForeignKey(
        AdminUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village"),
    )
