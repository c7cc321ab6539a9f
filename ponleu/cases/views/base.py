"""What every case screen shares: loading a visible case, and forms that call a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from ponleu.access.views import NOT_FOUND_MESSAGE, AppView, enforce
from ponleu.cases import policies, selectors
from ponleu.cases.choices import CaseAction
from ponleu.cases.models import Case
from ponleu.common.errors import Conflict, DomainError
from ponleu.common.errors import PermissionDenied as DomainForbidden


def visible_case(actor, case_id) -> Case:
    """The case if the actor may see it; missing and out of scope are the same 404."""
    try:
        return selectors.case_get(actor=actor, case_id=case_id)
    except (Case.DoesNotExist, ValidationError, ValueError):
        raise Http404(NOT_FOUND_MESSAGE) from None


def forbidden(request) -> HttpResponseForbidden:
    """One refusal for every reason (not cleared for a sensitive case, or not this action)."""
    return HttpResponseForbidden(render_to_string("cases/case_forbidden.html", request=request))


class CaseView(AppView):
    """A page about one case (``case_id`` in the URL).

    The case must be visible (else 404), its child's identity visible to the actor (a
    sensitive case opens only to those cleared), and the view's capability must reach this
    case (else 403). A GET writes one access event naming the case, in the transaction that
    serves the page.
    """

    abstract = True
    access_action = CaseAction.VIEWED
    records_access = True

    def dispatch(self, request, *args, **kwargs):
        self.actor = request.actor
        refusal = enforce(request, self.capability)
        if refusal is not None:
            return refusal
        self.case = visible_case(self.actor, kwargs["case_id"])
        if not policies.can_see_identity(self.actor, self.case) or not policies.can(
            self.actor, self.capability, self.case
        ):
            return forbidden(request)
        if request.method == "GET" and self.records_access:
            with transaction.atomic():
                selectors.cases_served(
                    actor=self.actor, cases=[self.case], action=self.access_action, query=request.path
                )
                return View.dispatch(self, request, *args, **kwargs)
        return View.dispatch(self, request, *args, **kwargs)

    def case_url(self, anchor: str = "") -> str:
        url = reverse("cases:case_detail", kwargs={"case_id": self.case.pk})
        return f"{url}#{anchor}" if anchor else url


class CaseFormView(CaseView):
    """One form, one service call. Subclasses set ``form_class`` and write ``perform``."""

    abstract = True
    form_class = None
    template_name = "cases/record_form.html"
    title = ""
    submit_label = _("Save")
    multipart = False
    anchor = ""

    def form_kwargs(self) -> dict:
        return {}

    def initial(self) -> dict:
        return {}

    def perform(self, form):  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def context(self, form) -> dict:
        return {
            "case": self.case,
            "form": form,
            "title": self.title,
            "submit_label": self.submit_label,
            "multipart": self.multipart,
            "cancel_url": self.case_url(self.anchor),
        }

    def render_form(self, request, form, status=200):
        return render(request, self.template_name, self.context(form), status=status)

    def load(self) -> None:
        """Find the record the URL names under the case (404 when it is not there)."""

    def get(self, request, **kwargs):
        self.load()
        return self.render_form(request, self.form_class(initial=self.initial(), **self.form_kwargs()))

    def post(self, request, **kwargs):
        self.load()
        form = self.form_class(data=request.POST, files=request.FILES, **self.form_kwargs())
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        try:
            with transaction.atomic():
                response = self.perform(form)
        except Conflict as error:
            form.apply_error(error)
            return self.render_form(request, form, status=409)
        except DomainForbidden:
            return forbidden(request)
        except DomainError as error:
            form.apply_error(error)
            return self.render_form(request, form, status=400)
        return response or redirect(self.case_url(self.anchor))

    def done(self, message) -> None:
        messages.success(self.request, message)
