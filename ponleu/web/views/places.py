"""The village picker: province → district → commune → village, or type a name."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import translation

from ponleu.access.views import AppView
from ponleu.geography import selectors


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
    """Type-ahead: villages whose name (Khmer or Latin) contains what was typed."""

    capability = "web.use"

    def get(self, request):
        language = translation.get_language()
        units = selectors.units_search(query=request.GET.get("village_q", "")[:60])
        results = [(u.code, selectors.unit_label(u, language)) for u in units]
        return render(request, "web/places/village_results.html", {"results": results})
