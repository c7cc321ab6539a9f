"""Case configuration as data: the one loader of case types and instruments, and the standard set.

The standard set every organisation starts from is ``data/standard.yaml``; an organisation's own
configuration is a file of the same shape, read by ``load`` and copied into its rows by
``services.configuration.configuration_seed``. Labels are data in Khmer, French and English
(organisations rename them as data, so they are not gettext msgids: ``docs/decisions/0009``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from ponleu.common.errors import ValidationFailed

from .choices import DetailsKind, InstrumentKind, MosvyForm, ServiceType

STANDARD_FILE = Path(__file__).resolve().parent / "data" / "standard.yaml"
LANGUAGES = ("km", "fr", "en")

# Instruments other code asks for by code.
DANGER_CHECKLIST = "danger_factors"
CSI = "csi"
READINESS = "reintegration_readiness"

_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class ConfigurationFileError(ValidationFailed):
    """A configuration file that cannot be used; the message names the entry and the field."""


def _fail(where: str, problem: str):
    raise ConfigurationFileError(
        _("%(where)s: %(problem)s") % {"where": where, "problem": problem}, field="configuration"
    )


def _labels(entry: dict, key: str, where: str) -> dict[str, str]:
    labels = entry.get(key)
    if not isinstance(labels, dict):
        _fail(where, _("%(field)s is missing.") % {"field": key})
    missing = [language for language in LANGUAGES if not str(labels.get(language) or "").strip()]
    if missing:
        _fail(
            where,
            _("%(field)s needs a label in Khmer, French and English (missing: %(languages)s).")
            % {"field": key, "languages": ", ".join(missing)},
        )
    return {language: str(labels[language]).strip() for language in LANGUAGES}


def _code(entry: dict, where: str, seen: set[str]) -> str:
    code = str(entry.get("code", ""))
    if not _CODE.match(code):
        _fail(
            where, _("the code “%(code)s” is not a short code of letters, digits, - or _.") % {"code": code}
        )
    if code in seen:
        _fail(where, _("the code %(code)s appears twice.") % {"code": code})
    seen.add(code)
    return code


def _choices(values, allowed: list, field: str, where: str) -> list:
    if values == "all":
        return list(allowed)
    if not isinstance(values, list):
        _fail(where, _("%(field)s must be a list or “all”.") % {"field": field})
    unknown = [value for value in values if value not in allowed]
    if unknown:
        _fail(where, _("%(field)s: unknown value %(value)s.") % {"field": field, "value": unknown[0]})
    return list(values)


def _named(labels: dict[str, str], prefix: str) -> dict[str, str]:
    return {f"{prefix}_{language}": text for language, text in labels.items()}


def _instrument(entry: dict, where: str, seen: set[str]) -> dict:
    code = _code(entry, where, seen)
    where = f"{where} ({code})"
    if entry.get("kind") not in InstrumentKind.values:
        _fail(where, _("%(field)s: unknown value %(value)s.") % {"field": "kind", "value": entry.get("kind")})
    items, item_codes = [], set()
    for index, item in enumerate(entry.get("items") or [], start=1):
        item_where = f"{where} items[{index}]"
        item_code = _code(item, item_where, item_codes)
        weight = item.get("weight", 1)
        if not isinstance(weight, int) or isinstance(weight, bool) or weight < 0:
            _fail(item_where, _("%(field)s must be a whole number, 0 or more.") % {"field": "weight"})
        items.append(
            {
                "code": item_code,
                **_named(_labels(item, "label", f"{item_where} ({item_code})"), "label"),
                "weight": weight,
                "critical": bool(item.get("critical", False)),
                "required": bool(item.get("required", True)),
            }
        )
    if not items:
        _fail(where, _("%(field)s is missing.") % {"field": "items"})
    thresholds = entry.get("thresholds") or {}
    if set(thresholds) - {"medium", "high"}:
        _fail(where, _("thresholds take only medium and high."))
    return {
        "code": code,
        "kind": entry["kind"],
        **_named(_labels(entry, "name", where), "name"),
        "items": items,
        "thresholds": dict(thresholds),
        "reassess_after_days": entry.get("reassess_after_days"),
    }


def _case_type(entry: dict, where: str, seen: set[str], instruments: set[str]) -> dict:
    code = _code(entry, where, seen)
    where = f"{where} ({code})"
    subtypes, subtype_codes = [], set()
    for index, subtype in enumerate(entry.get("subtypes") or [], start=1):
        sub_where = f"{where} subtypes[{index}]"
        sub_code = _code(subtype, sub_where, subtype_codes)
        subtypes.append(
            {"code": sub_code, **_named(_labels(subtype, "name", f"{sub_where} ({sub_code})"), "name")}
        )
    details_kind = entry.get("details_kind") or ""
    if details_kind not in DetailsKind.values:
        _fail(
            where, _("%(field)s: unknown value %(value)s.") % {"field": "details_kind", "value": details_kind}
        )
    return {
        "code": code,
        **_named(_labels(entry, "name", where), "name"),
        "subtypes": subtypes,
        "is_sensitive_default": bool(entry.get("is_sensitive_default", False)),
        "requires_safety_plan": bool(entry.get("requires_safety_plan", False)),
        "details_kind": details_kind,
        "forms": _choices(entry.get("forms", "all"), list(MosvyForm.values), "forms", where),
        "instruments": _choices(entry.get("instruments", []), sorted(instruments), "instruments", where),
        "service_types": _choices(
            entry.get("service_types", "all"), list(ServiceType.values), "service_types", where
        ),
    }


def parse(text: str, *, known_instruments: Iterable[str] = ()) -> dict[str, list[dict]]:
    """A configuration file's text as ``{"instruments": [...], "case_types": [...]}`` of model fields.

    A case type may name the file's instruments and ``known_instruments`` (those the organisation
    already has).
    """
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        _fail(_("line %(line)s") % {"line": line}, _("this is not valid YAML."))
    if not isinstance(document, dict):
        _fail(_("the file"), _("it must hold instruments and case_types."))
    instruments, instrument_codes = [], set()
    for index, entry in enumerate(document.get("instruments") or [], start=1):
        instruments.append(
            _instrument(_mapping(entry, f"instruments[{index}]"), f"instruments[{index}]", instrument_codes)
        )
    case_types, type_codes = [], set()
    usable = instrument_codes | set(known_instruments)
    for index, entry in enumerate(document.get("case_types") or [], start=1):
        where = f"case_types[{index}]"
        case_types.append(_case_type(_mapping(entry, where), where, type_codes, usable))
    return {"instruments": instruments, "case_types": case_types}


def _mapping(entry, where: str) -> dict:
    if not isinstance(entry, dict):
        _fail(where, _("each entry must be a mapping of fields."))
    return entry


def load(path: Path, *, known_instruments: Iterable[str] = ()) -> dict[str, list[dict]]:
    return parse(Path(path).read_text(encoding="utf-8"), known_instruments=known_instruments)


@cache
def _standard() -> dict[str, list[dict]]:
    return load(STANDARD_FILE)


def standard_case_types() -> list[dict]:
    """The standard case types as model fields (fresh copies: callers may change them)."""
    return copy.deepcopy(_standard()["case_types"])


def standard_instruments() -> list[dict]:
    return copy.deepcopy(_standard()["instruments"])
