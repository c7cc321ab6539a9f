"""Reasons and factors stored as codes and values, rendered in the reader's language."""

from __future__ import annotations

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
