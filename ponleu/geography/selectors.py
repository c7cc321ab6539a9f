from __future__ import annotations

from ponleu.common.khmer_text import ascii_fold, fold

from .choices import AdminLevel
from .models import AdminUnit

PICKER_LIMIT = 50


def unit_children(*, parent_code: str | None, query: str = "") -> list[AdminUnit]:
    """Units one level below ``parent_code`` (provinces when None), filtered by typed text."""
    units = AdminUnit.objects.active()
    units = units.filter(parent_id=parent_code) if parent_code else units.filter(level=AdminLevel.PROVINCE)
    text = query.strip()
    if text:
        folded = {fold(text), ascii_fold(text)}
        matches = [u for u in units.order_by("code")[:2000] if any(t in u.search_text for t in folded)]
        return matches[:PICKER_LIMIT]
    return list(units.order_by("code")[:500])


def unit_get(code: str) -> AdminUnit | None:
    return AdminUnit.objects.filter(code=code).select_related("parent__parent__parent").first()


def unit_label(unit: AdminUnit, language: str | None = None) -> str:
    """'Thmei, Kantueu Muoy, Banan, Battambang' (village first, province last)."""
    parts = []
    node = unit
    while node is not None:
        parts.append(node.name(language))
        node = node.parent
    return ", ".join(parts)


def unit_label_khmer_first(unit: AdminUnit) -> str:
    """'ថ្មី, កន្ទឺ១, … · Thmei, Kantueu Muoy, … (Village)': the Khmer names first whatever the
    page's language, the Latin ones after for those who read them better, then the level, so that
    a district and a commune of one name are told apart."""
    khmer, latin = unit_label(unit, "km"), unit_label(unit, "en")
    names = khmer if latin == khmer else f"{khmer} · {latin}"
    return f"{names} ({unit.get_level_display()})"


def units_search(*, query: str, level: str = AdminLevel.VILLAGE, limit: int = 20) -> list[AdminUnit]:
    """Type-ahead over the whole country at one level (Khmer or Latin, digits folded)."""
    terms = [t for t in {fold(query), ascii_fold(query)} if t]
    if not terms:
        return []
    units = AdminUnit.objects.active().filter(level=level)
    found: dict[str, AdminUnit] = {}
    for term in terms:
        for unit in units.filter(search_text__contains=term).select_related("parent__parent__parent")[:limit]:
            found.setdefault(unit.code, unit)
    return sorted(found.values(), key=lambda u: u.code)[:limit]
