"""Merging two records of the same person (and undoing it)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ponleu.access.views import AppView
from ponleu.common.errors import DomainError, PermissionDenied
from ponleu.registry import policies, services
from ponleu.registry.forms import MergeForm, apply_errors
from ponleu.registry.selectors import search as search_selectors

from .people import not_found, person_for


def mergeable(actor, person) -> bool:
    return policies.can_merge_people(actor, person) and not person.is_merged


class PersonMergeView(AppView):
    """Find the other record, compare them side by side, choose which to keep, give a reason."""

    capability = "registry.merge"
    template = "registry/person_merge.html"

    def _pair(self, person_id, other_id):
        person, refusal = person_for(self.actor, person_id, mergeable, query="merge")
        if refusal:
            return None, None, refusal
        other = None
        if other_id:
            other, refusal = person_for(self.actor, other_id, mergeable, query="merge")
            if refusal or other.pk == person.pk:
                raise not_found()
        return person, other, None

    def get(self, request, person_id):
        person, other, refusal = self._pair(person_id, request.GET.get("other"))
        if refusal:
            return refusal
        context = {"person": person, "other": other, "query": request.GET.get("q", "")}
        if other is None and context["query"]:
            hits = search_selectors.person_search(actor=self.actor, query=context["query"])
            context["hits"] = [h for h in hits if h.person.pk != person.pk]
        if other is not None:
            context["form"] = MergeForm(
                initial={"duplicate_version": other.version, "kept_version": person.version}
            )
        return render(request, self.template, context)

    def post(self, request, person_id):
        person, other, refusal = self._pair(person_id, request.POST.get("other"))
        if refusal:
            return refusal
        if other is None:
            raise not_found()
        form = MergeForm(request.POST)
        if form.is_valid():
            keep_other = request.POST.get("keep") == "other"
            kept, duplicate = (other, person) if keep_other else (person, other)
            versions = (form.cleaned_data["duplicate_version"], form.cleaned_data["kept_version"])
            if keep_other:
                versions = versions[::-1]
            try:
                services.person_merge(
                    actor=self.actor,
                    duplicate=duplicate,
                    kept=kept,
                    reason=form.cleaned_data["reason"],
                    versions=versions,
                )
            except DomainError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("The records were merged. The merge can be undone from the merged record.")
                )
                return redirect("registry:person_detail", person_id=kept.pk)
        return render(request, self.template, {"person": person, "other": other, "form": form}, status=400)


class PersonUnmergeView(AppView):
    capability = "registry.merge"

    def post(self, request, person_id):
        person, refusal = person_for(self.actor, person_id, policies.can_merge_people)
        if refusal:
            return refusal
        try:
            services.person_unmerge(actor=self.actor, duplicate=person, reason=request.POST.get("reason", ""))
        except PermissionDenied:
            return HttpResponseForbidden()
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The merge was undone."))
        return redirect("registry:person_detail", person_id=person.pk)
