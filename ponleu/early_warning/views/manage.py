"""Risk models and the rule index: train, read the model card, activate or retire; set the rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ponleu.access.views import NOT_FOUND_MESSAGE, AppView
from ponleu.common.errors import DomainError
from ponleu.early_warning import rulebook, selectors, texts
from ponleu.early_warning.choices import ModelStatus
from ponleu.early_warning.forms import SettingsForm
from ponleu.early_warning.models import RiskModel
from ponleu.early_warning.services import settings as settings_services
from ponleu.early_warning.services import training
from ponleu.education.forms import apply_errors
from ponleu.geography.models import AdminUnit
from ponleu.jobs import selectors as job_selectors


class ModelListView(AppView):
    """Model versions with their test results; train a new one on the finished school years."""

    capability = "ews.manage_models"

    def get(self, request):
        job = job_selectors.job_latest(actor=self.actor, kind=training.JOB_KIND)
        if request.htmx and job is not None:
            # The training job's progress polls this page for its own block.
            return render(request, "early_warning/model_list.html#training", {"job": job})
        models = list(RiskModel.objects.visible_to(self.actor).defer("artefact").order_by("-number"))
        context = {
            "models": models,
            "active": next((m for m in models if m.status == ModelStatus.ACTIVE), None),
            "job": job,
            "settings": selectors.settings_for(self.actor.organisation_id),
        }
        return render(request, "early_warning/model_list.html", context)

    def post(self, request):
        try:
            training.model_train_request(actor=self.actor)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request, _("Training started. It takes a few minutes; this page shows when it is done.")
            )
        return redirect("early_warning:model_list")


class ModelDetailView(AppView):
    """A model's card: data window, test metrics beside the rule index, the subgroup table."""

    capability = "ews.manage_models"

    def _model(self, model_id) -> RiskModel:
        try:
            return RiskModel.objects.visible_to(self.actor).defer("artefact").get(pk=model_id)
        except (RiskModel.DoesNotExist, ValidationError, ValueError):
            raise Http404(NOT_FOUND_MESSAGE) from None

    def _context(self, model) -> dict:
        codes = set((model.subgroups or {}).get("province_code", {}))
        provinces = {
            unit.code: unit.name(get_language())
            for unit in AdminUnit.objects.filter(level="province", code__in=codes)
        }
        return {
            "model": model,
            "statuses": ModelStatus,
            "groups": texts.group_tables(model.subgroups, provinces),
            "outcome": texts.OUTCOME,
        }

    def get(self, request, model_id):
        return render(request, "early_warning/model_detail.html", self._context(self._model(model_id)))

    def post(self, request, model_id):
        model = self._model(model_id)
        reason = (request.POST.get("reason") or "").strip()
        try:
            if request.POST.get("action") == "retire":
                training.model_retire(actor=self.actor, model=model, reason=reason)
                messages.success(request, _("Model retired: scores now come from the rule index."))
            elif request.POST.get("action") == "activate":
                training.model_activate(actor=self.actor, model=model, reason=reason)
                messages.success(request, _("Model in use. Scores use it from the next scoring."))
            else:
                messages.error(request, _("Choose an action."))
                return render(request, "early_warning/model_detail.html", self._context(model), status=400)
        except DomainError as error:
            messages.error(request, str(error.message))
        return redirect("early_warning:model_detail", model_id=model.pk)


class RuleSettingsView(AppView):
    """The organisation's rule index: a threshold and a weight per rule, the flag level, capacity."""

    capability = "ews.manage_models"
    template = "early_warning/rule_settings.html"

    def _form(self, data=None):
        current = selectors.settings_for(self.actor.organisation_id)
        rules = rulebook.from_dict(current.rules)
        initial = {
            "version": current.version,
            "flag_at": rules.flag_at,
            "capacity_per_school": current.capacity_per_school,
        }
        for rule in rules.rules:
            initial[f"{rule.code}__weight"] = rule.weight
            if not isinstance(rule.threshold, tuple | str):
                initial[f"{rule.code}__threshold"] = rule.threshold
        return SettingsForm(data, initial=initial, rules=rules.rules)

    def get(self, request):
        return render(request, self.template, {"form": self._form()})

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                settings_services.settings_update(
                    actor=self.actor,
                    version=form.cleaned_data.get("version"),
                    rules=form.rule_changes(),
                    flag_at=form.cleaned_data["flag_at"],
                    capacity_per_school=form.cleaned_data["capacity_per_school"],
                )
            except DomainError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Rule index saved. It applies from the next scoring."))
                return redirect("early_warning:rule_settings")
        return render(request, self.template, {"form": form}, status=400)


class DataQualityView(AppView):
    """The classes whose roll calls were missed on recent school days: the scores of their pupils
    cannot see those days (for whoever looks after the risk models and their data)."""

    capability = "ews.manage_models"

    def get(self, request):
        classes = list(selectors.classes_missing_roll_calls(actor=self.actor))
        context = {
            "classes": classes,
            "recent": selectors.RECENT_SCHOOL_DAYS,
            "gap": selectors.GAP_DAYS,
        }
        return render(request, "early_warning/data_quality.html", context)
