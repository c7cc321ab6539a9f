"""Reasons and factors stored as codes and values, rendered in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy

from ponleu.registry.choices import IDPoorStatus, Sex

from .engine.explain import TEXT
from .rulebook import reason_text


def factor_text(item: dict) -> str:
    try:
        if item.get("kind") == "factor":
            return str(TEXT[item["text"]] % item.get("values", {}))
        return reason_text(item["code"], item.get("value"), item.get("threshold"))
    except (KeyError, TypeError, ValueError):
        return str(item.get("code", ""))


def factor_texts(items: list[dict], *, limit: int | None = None, kind: str | None = None) -> list[str]:
    """Texts of stored reasons: ``kind`` "factor" (the model's) or "rule" (the rule index's)."""
    texts = [factor_text(item) for item in items or [] if kind is None or item.get("kind") == kind]
    return texts if limit is None else texts[:limit]


# The model card's table by group: the attributes and their values as stored, in words.
GROUP_LABELS = {
    "sex": _lazy("Sex"),
    "disability": _lazy("Disability"),
    "poverty_level": _lazy("IDPoor level"),
    "province_code": _lazy("Province"),
}
VALUE_LABELS = {
    "sex": {"F": Sex.FEMALE.label, "M": Sex.MALE.label},
    "disability": {"yes": _lazy("With a functional difficulty"), "no": _lazy("Without")},
    "poverty_level": {
        "0": IDPoorStatus.NOT_POOR.label,
        "1": IDPoorStatus.LEVEL_1.label,
        "2": IDPoorStatus.LEVEL_2.label,
    },
}
UNKNOWN = _lazy("Not recorded")
# What the models predict; the same for every model, so said here in the reader's language.
OUTCOME = _lazy(
    "Dropped out after the cut-off and by the end of that school year. A transfer to another school "
    "counts as staying; students gone by the cut-off are not in the population."
)


def group_tables(subgroups: dict, place_names: dict[str, str]) -> list[tuple[str, list[tuple[str, dict]]]]:
    """``subgroups`` (attribute -> value -> figures) with labels; ``place_names`` maps province codes."""
    tables = []
    for attribute, groups in (subgroups or {}).items():
        values = VALUE_LABELS.get(attribute, {})
        rows = []
        for value, row in groups.items():
            if value in ("unknown", "", "None"):
                label = UNKNOWN
            elif attribute == "province_code":
                label = place_names.get(value, value)
            else:
                label = values.get(value, value)
            rows.append((str(label), row))
        tables.append((str(GROUP_LABELS.get(attribute, attribute)), rows))
    return tables
