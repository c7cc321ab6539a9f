"""The village picker: province → district → commune → village, or type a name."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import translation

from ponleu.access.views import AppView
from ponleu.geography import selectors
from ponleu.geography.choices import AdminLevel


class UnitOptionsView(AppView):
    """Options one level below ``parent`` (HTMX partial for the chained selects)."""

    capability = "web.use"

    def get(self, request):
        parent = request.GET.get("parent") or None
        units = selectors.unit_children(parent_code=parent, query=request.GET.get("q", ""))
        language = translation.get_language()
        options = [(u.code, u.name(language)) for u in units]
        return render(request, "web/places/unit_options.html", {"options": options})


class VillageSearchView(AppView):
    """Type-ahead: villages whose name (Khmer or Latin) contains what was typed; a picker of
    other places names their levels (``level=commune&level=district``). Only the public
    gazetteer is searched: no person, household or case is read here."""

    capability = "web.use"

    def get(self, request):
        language = translation.get_language()
        query = request.GET.get("village_q", "")[:60]
        levels = [level for level in AdminLevel.values if level in request.GET.getlist("level")]
        levels = levels or [AdminLevel.VILLAGE]
        # About twenty answers in all, as for villages alone: a phone's screen and a slow line.
        limit = -(-20 // len(levels))
        units = [u for level in levels for u in selectors.units_search(query=query, level=level, limit=limit)]
        results = [
            (
                u.code,
                selectors.unit_label(u, language),
                selectors.unit_label_khmer_first(u),
                u.get_level_display(),
            )
            for u in units
        ]
        context = {"results": results, "villages_only": levels == [AdminLevel.VILLAGE]}
        return render(request, "web/places/village_results.html", context)
