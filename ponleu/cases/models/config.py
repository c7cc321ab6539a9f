"""Per-organisation configuration: case types and assessment instruments.

Each organisation starts with the seven standard case types and three instruments
(``cases/data/standard.yaml``, read by ``ponleu.cases.standard``) and may rename, switch off or
re-weight them. Names and labels are data in Khmer, French and English.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ponleu.cases.choices import DetailsKind, InstrumentKind
from ponleu.common.models import TimestampedModel
from ponleu.organisations.models import Organisation


def bilingual(km: str, en: str, language: str | None = None, *, fr: str = "") -> str:
    """The label in the reader's language; French falls back to English, then Khmer."""
    language = (language or get_language() or "km").split("-")[0]
    if language == "km":
        return km or en or fr
    if language == "fr":
        return fr or en or km
    return en or km or fr


class CaseType(TimestampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name_km = models.CharField(_("name in Khmer"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    name_fr = models.CharField(_("name in French"), max_length=120, blank=True)
    # [{"code": "abuse", "name_km": "...", "name_fr": "Maltraitance", "name_en": "Abuse"}, ...]
    subtypes = models.JSONField(_("kinds"), default=list, blank=True)
    is_sensitive_default = models.BooleanField(_("cases are sensitive by default"), default=False)
    requires_safety_plan = models.BooleanField(_("a safety plan is required"), default=False)
    details_kind = models.CharField(
        _("details by type"), max_length=20, choices=DetailsKind.choices, default="", blank=True
    )
    forms = models.JSONField(_("MoSVY forms"), default=list, blank=True)
    instruments = models.JSONField(_("assessments"), default=list, blank=True)
    service_types = models.JSONField(_("services"), default=list, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("case type")
        verbose_name_plural = _("case types")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="case_type_code_per_org")
        ]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        return bilingual(self.name_km, self.name_en, language, fr=self.name_fr)

    def subtype_name(self, code: str, language: str | None = None) -> str:
        for item in self.subtypes:
            if item.get("code") == code:
                return bilingual(
                    item.get("name_km", ""), item.get("name_en", ""), language, fr=item.get("name_fr", "")
                )
        return code

    def subtype_choices(self, language: str | None = None) -> list[tuple[str, str]]:
        return [
            (
                item["code"],
                bilingual(
                    item.get("name_km", ""), item.get("name_en", ""), language, fr=item.get("name_fr", "")
                ),
            )
            for item in self.subtypes
        ]


class AssessmentInstrument(TimestampedModel):
    """A scored instrument. ``items``: [{"code", "label_km", "label_fr", "label_en", "weight", "critical"}]."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices)
    name_km = models.CharField(_("name in Khmer"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    name_fr = models.CharField(_("name in French"), max_length=120, blank=True)
    items = models.JSONField(_("items"), default=list)
    # Checklists: {"medium": points, "high": points}; the CSI and readiness need none.
    thresholds = models.JSONField(_("thresholds"), default=dict, blank=True)
    reassess_after_days = models.PositiveIntegerField(_("re-assess after (days)"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("assessment instrument")
        verbose_name_plural = _("assessment instruments")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="instrument_code_per_org")
        ]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        return bilingual(self.name_km, self.name_en, language, fr=self.name_fr)

    def item_label(self, code: str, language: str | None = None) -> str:
        for item in self.items:
            if item["code"] == code:
                return bilingual(
                    item.get("label_km", ""), item.get("label_en", ""), language, fr=item.get("label_fr", "")
                )
        return code
