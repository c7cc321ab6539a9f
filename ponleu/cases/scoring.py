"""Scoring of assessment instruments: answers in, a score, a result and its reasons out.

Pure functions over the instrument's configuration, so that an organisation can change
weights and thresholds without code, and the tests need no database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ponleu.common.errors import ValidationFailed

from .choices import AssessmentResult, CSIDomain, InstrumentKind

CSI_SCORES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Scored:
    score: int
    result: str
    reasons: list[str]


def score(kind: str, items: list[dict], thresholds: dict, answers: dict) -> Scored:
    codes = [item["code"] for item in items]
    unknown = sorted(set(answers) - set(codes))
    if unknown:
        raise ValidationFailed(_("Unknown item: %(code)s") % {"code": unknown[0]}, field=unknown[0])
    if kind == InstrumentKind.CSI:
        return _csi(codes, answers)
    ticked = {code for code in codes if is_ticked(answers.get(code))}
    if kind == InstrumentKind.CHECKLIST:
        return _checklist(items, thresholds, ticked)
    if kind == InstrumentKind.READINESS:
        return _readiness(items, ticked)
    raise ValueError(f"unknown instrument kind {kind!r}")


def is_ticked(value) -> bool:
    return value in (True, "on", "yes", "true", "1", 1)


def _csi(codes: list[str], answers: dict) -> Scored:
    scores: dict[str, int] = {}
    for code in codes:
        value = answers.get(code)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number not in CSI_SCORES:
            label = CSIDomain(code).label if code in CSIDomain.values else code
            raise ValidationFailed(
                _("Give a score from 1 to 4 for the domain “%(domain)s”.") % {"domain": label}, field=code
            )
        scores[code] = number
    # A domain scored 1 (very poor) is a high need; 2 (poor) a medium one.
    low = sorted((s, code) for code, s in scores.items() if s <= 2)
    if any(s == 1 for s, _code in low):
        result = AssessmentResult.HIGH
    elif low:
        result = AssessmentResult.MEDIUM
    else:
        result = AssessmentResult.LOW
    return Scored(sum(scores.values()), result, [code for _s, code in low])


def _checklist(items: list[dict], thresholds: dict, ticked: set[str]) -> Scored:
    total = sum(int(item.get("weight", 1)) for item in items if item["code"] in ticked)
    critical = any(item.get("critical") for item in items if item["code"] in ticked)
    high = int(thresholds.get("high", 8))
    medium = int(thresholds.get("medium", 4))
    if critical or total >= high:
        result = AssessmentResult.HIGH
    elif total >= medium:
        result = AssessmentResult.MEDIUM
    else:
        result = AssessmentResult.LOW
    # Reasons in the order of weight, critical first, so the first one read is the gravest.
    chosen = [item for item in items if item["code"] in ticked]
    chosen.sort(key=lambda item: (not item.get("critical"), -int(item.get("weight", 1))))
    return Scored(total, result, [item["code"] for item in chosen])


def _readiness(items: list[dict], ticked: set[str]) -> Scored:
    missing = [item["code"] for item in items if item.get("required", True) and item["code"] not in ticked]
    result = AssessmentResult.NOT_READY if missing else AssessmentResult.READY
    return Scored(len(ticked), result, missing)


def csi_scores(answers: dict) -> dict[str, int]:
    return {code: int(answers[code]) for code in CSIDomain.values if code in answers}
