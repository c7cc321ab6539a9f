"""Households: start one from a person, edit it, its members and its IDPoor history."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.access.views import AppView
from ponleu.common.errors import Conflict, DomainError, PermissionDenied
from ponleu.registry import policies, services
from ponleu.registry.forms import (
    HouseholdForm,
    HouseholdStartForm,
    IDPoorForm,
    MemberForm,
    ReasonForm,
    apply_errors,
)
from ponleu.registry.models import Household, HouseholdMember
from ponleu.registry.selectors import households as household_selectors

from .people import not_found, person_for


def editable(actor, household: Household) -> bool:
    return policies.can_edit_household(actor, household, household.members.all())


def household_for(actor, household_id) -> tuple[Household | None, HttpResponseForbidden | None]:
    """A visible household the actor may edit (the read then recorded), a refusal that shows
    and records nothing, or the 404 of a missing one."""
    try:
        household = household_selectors.household_fetch(actor=actor, household_id=household_id)
    except (Household.DoesNotExist, ValueError):
        raise not_found() from None
    if not editable(actor, household):
        return None, HttpResponseForbidden()
    household_selectors.household_read(actor=actor, household=household)
    return household, None


def household_posted(request, form, write, message=None) -> tuple[HttpResponse | None, int]:
    """The POST of a household form: a valid form runs ``write()``, the service call, which
    returns the household. Saved: ``message`` (or "Saved.") and the household's page. Refused
    to the actor: 403. Otherwise the service's reasons are on the form and the answer is None
    with the status to show the form again with (409 for a stale version, else 400)."""
    if not form.is_valid():
        return None, 400
    try:
        household = write()
    except PermissionDenied:
        return HttpResponseForbidden(), 403
    except Conflict as error:
        form.add_error(None, error.message)
        return None, 409
    except DomainError as error:
        apply_errors(form, error)
        return None, 400
    messages.success(request, message or _("Saved."))
    return redirect("registry:household_detail", household_id=household.pk), 302


class HouseholdStartView(AppView):
    """A new household around a person already registered (village taken from them)."""

    capability = "registry.create"
    template = "registry/household_form.html"

    def get(self, request, person_id):
        person, refusal = person_for(self.actor, person_id, policies.can_edit_person, query="household")
        if refusal:
            return refusal
        form = HouseholdStartForm(initial={"village": person.village_id or ""})
        return render(request, self.template, {"form": form, "person": person})

    def post(self, request, person_id):
        person, refusal = person_for(self.actor, person_id, policies.can_edit_person, query="household")
        if refusal:
            return refusal
        form = HouseholdStartForm(request.POST)
        answer, status = household_posted(
            request, form, lambda: self._start(person, form), _("Household registered.")
        )
        return answer or render(request, self.template, {"form": form, "person": person}, status=status)

    @transaction.atomic
    def _start(self, person, form):
        household = services.household_create(actor=self.actor, data=form.household_data())
        services.household_member_add(
            actor=self.actor,
            household=household,
            person=person,
            relationship=form.cleaned_data["relationship"],
            is_primary_caregiver=form.cleaned_data["is_primary_caregiver"],
        )
        return household


class HouseholdEditView(AppView):
    capability = "registry.edit"
    template = "registry/household_form.html"

    def _household(self, household_id):
        return household_for(self.actor, household_id)

    def get(self, request, household_id):
        household, refusal = self._household(household_id)
        if refusal:
            return refusal
        initial = {name: getattr(household, name) for name in HouseholdForm.household_fields}
        initial.update(village=household.village_id or "", version=household.version)
        return render(
            request, self.template, {"form": HouseholdForm(initial=initial), "household": household}
        )

    def post(self, request, household_id):
        household, refusal = self._household(household_id)
        if refusal:
            return refusal
        form = HouseholdForm(request.POST)

        def write():
            version = form.cleaned_data.get("version")
            data = form.household_data()
            return services.household_update(
                actor=self.actor, household=household, version=version, data=data
            )

        answer, status = household_posted(request, form, write)
        return answer or render(request, self.template, {"form": form, "household": household}, status=status)


class HouseholdRecordView(AppView):
    abstract = True
    capability = "registry.edit"
    title = ""

    def household(self, household_id):
        return household_for(self.actor, household_id)

    def render_form(self, request, household, form, status=200):
        context = {"form": form, "household": household, "title": self.title}
        return render(request, "registry/record_form.html", context, status=status)


class IDPoorAddView(HouseholdRecordView):
    title = gettext_lazy("Record an IDPoor result")

    def get(self, request, household_id):
        household, refusal = self.household(household_id)
        return refusal or self.render_form(request, household, IDPoorForm())

    def post(self, request, household_id):
        household, refusal = self.household(household_id)
        if refusal:
            return refusal
        form = IDPoorForm(request.POST)

        def write():
            services.idpoor_record(actor=self.actor, household=household, **form.cleaned_data)
            return household

        answer, status = household_posted(request, form, write)
        return answer or self.render_form(request, household, form, status=status)


class MemberChangeView(HouseholdRecordView):
    title = gettext_lazy("Change a member's relationship")

    def _member(self, household, member_id):
        member = (
            HouseholdMember.objects.filter(pk=member_id, household=household).select_related("person").first()
        )
        if member is None:
            raise not_found()
        return member

    def get(self, request, household_id, member_id):
        household, refusal = self.household(household_id)
        if refusal:
            return refusal
        member = self._member(household, member_id)
        form = MemberForm(
            initial={"relationship": member.relationship, "is_primary_caregiver": member.is_primary_caregiver}
        )
        return self.render_form(request, household, form)

    def post(self, request, household_id, member_id):
        household, refusal = self.household(household_id)
        if refusal:
            return refusal
        member = self._member(household, member_id)
        if request.POST.get("remove"):
            form = ReasonForm(request.POST)
            if form.is_valid():
                services.household_member_remove(
                    actor=self.actor, member=member, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Removed from the household."))
                return redirect("registry:household_detail", household_id=household.pk)
            return self.render_form(request, household, form, status=400)
        form = MemberForm(request.POST)

        def write():
            services.household_member_change(actor=self.actor, member=member, **form.cleaned_data)
            return household

        answer, status = household_posted(request, form, write)
        return answer or self.render_form(request, household, form, status=status)
