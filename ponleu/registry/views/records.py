"""Small forms hanging off a person: phones, documents, other names, consent, functioning."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.access.scopes import Scope
from ponleu.access.views import AppView
from ponleu.common import clock
from ponleu.common.errors import DomainError, PermissionDenied
from ponleu.registry import functioning, policies, services
from ponleu.registry.forms import (
    AliasForm,
    ConsentForm,
    FunctioningForm,
    IdentifierForm,
    PhoneForm,
    PhotoForm,
    WithdrawForm,
    apply_errors,
)
from ponleu.registry.models import Consent, FunctioningQuestionText, Identifier, PersonPhone
from ponleu.registry.selectors.consents import (
    LIST_LIMIT,
    consents_served,
    consents_withdrawn_since,
    withdrawn_what,
)

from .people import not_found, person_for, visible_person

NO_PHOTO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="160" height="160">'
    '<rect width="64" height="64" fill="#e4e8ec"/><circle cx="32" cy="24" r="11" fill="#a9b3bc"/>'
    '<path d="M12 58c2-12 11-18 20-18s18 6 20 18z" fill="#a9b3bc"/></svg>'
)


class PersonRecordView(AppView):
    """GET shows the form, POST calls ``save``; the person must be visible and editable."""

    abstract = True
    capability = "registry.edit"
    form_class = None
    title = ""
    intro = ""

    def person(self, person_id):
        return person_for(self.actor, person_id, policies.can_edit_person, query="form")

    def make_form(self, person, data=None, files=None):
        return self.form_class(data, files)

    def render_form(self, request, person, form, status=200):
        context = {"form": form, "person": person, "title": self.title, "intro": self.intro}
        return render(request, "registry/record_form.html", context, status=status)

    def get(self, request, person_id):
        person, refusal = self.person(person_id)
        return refusal or self.render_form(request, person, self.make_form(person))

    def post(self, request, person_id):
        person, refusal = self.person(person_id)
        if refusal:
            return refusal
        form = self.make_form(person, request.POST, request.FILES)
        if form.is_valid():
            try:
                self.save(person, form)
            except PermissionDenied:
                return HttpResponseForbidden()
            except DomainError as error:
                apply_errors(form, error, getattr(form, "field_map", None))
            else:
                messages.success(request, _("Saved."))
                return redirect("registry:person_detail", person_id=person.pk)
        return self.render_form(request, person, form, status=400)

    def save(self, person, form):
        raise NotImplementedError


class PhoneAddView(PersonRecordView):
    form_class = PhoneForm
    title = gettext_lazy("Add a phone number")

    def save(self, person, form):
        services.person_phone_add(actor=self.actor, person=person, **form.cleaned_data)


class IdentifierAddView(PersonRecordView):
    form_class = IdentifierForm
    title = gettext_lazy("Add a document")

    def save(self, person, form):
        services.identifier_add(actor=self.actor, person=person, **form.cleaned_data)


class AliasAddView(PersonRecordView):
    form_class = AliasForm
    title = gettext_lazy("Add another name or spelling")
    intro = gettext_lazy("Search will find the person by this name too.")

    def save(self, person, form):
        services.alias_add(actor=self.actor, person=person, **form.cleaned_data)


class ConsentAddView(PersonRecordView):
    form_class = ConsentForm
    title = gettext_lazy("Record consent")
    intro = gettext_lazy(
        "Record what the child or caregiver agreed to. Consent can be withdrawn at any time; "
        "the withdrawal counts at once."
    )

    def save(self, person, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "form_file"}
        services.consent_record(
            actor=self.actor, person=person, data=data, form_file=form.cleaned_data.get("form_file")
        )


class FunctioningAddView(PersonRecordView):
    title = gettext_lazy("Child Functioning Module")
    intro = gettext_lazy(
        "Ask the caregiver each question as worded in your organisation's approved translation."
    )

    def make_form(self, person, data=None, files=None):
        module = functioning.module_for_age(person.age) or "cfm_5_17"
        if data is not None and data.get("module") in functioning.ITEMS:
            module = data["module"]
        language = translation.get_language()
        texts = dict(
            FunctioningQuestionText.objects.filter(module=module, language=language).values_list(
                "item", "text"
            )
        )
        return FunctioningForm(data, module=module, texts=texts)

    def save(self, person, form):
        services.functioning_record(
            actor=self.actor,
            person=person,
            module=form.cleaned_data["module"],
            assessed_on=form.cleaned_data["assessed_on"],
            respondent=form.cleaned_data["respondent"],
            answers=form.answers(),
        )


class ConsentWithdrawView(AppView):
    capability = "registry.edit"

    def _consent(self, person_id, consent_id):
        person, refusal = person_for(self.actor, person_id, policies.can_edit_person, query="consent")
        if refusal:
            return None, None, refusal
        consent = Consent.objects.filter(pk=consent_id, person=person).first()
        if consent is None:
            raise not_found()
        return person, consent, None

    def get(self, request, person_id, consent_id):
        person, consent, refusal = self._consent(person_id, consent_id)
        if refusal:
            return refusal
        context = {
            "form": WithdrawForm(),
            "person": person,
            "title": _("Withdraw consent: %(purpose)s") % {"purpose": consent.get_purpose_display()},
            "intro": _("From now on this consent no longer allows anything."),
            "submit": _("Withdraw"),
        }
        return render(request, "registry/record_form.html", context)

    def post(self, request, person_id, consent_id):
        person, consent, refusal = self._consent(person_id, consent_id)
        if refusal:
            return refusal
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.consent_withdraw(
                    actor=self.actor, consent=consent, reason=form.cleaned_data["reason"]
                )
            except PermissionDenied:
                return HttpResponseForbidden()
            except DomainError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Consent withdrawn."))
                return redirect("registry:person_detail", person_id=person.pk)
        context = {"form": form, "person": person, "title": _("Withdraw consent"), "submit": _("Withdraw")}
        return render(request, "registry/record_form.html", context, status=400)


class PhoneRemoveView(AppView):
    capability = "registry.edit"

    def post(self, request, person_id, phone_id):
        person, refusal = person_for(self.actor, person_id, policies.can_edit_person)
        if refusal:
            return refusal
        phone = PersonPhone.objects.filter(pk=phone_id, person=person).first()
        if phone is None:
            raise not_found()
        try:
            services.person_phone_remove(actor=self.actor, phone=phone)
        except PermissionDenied:
            return HttpResponseForbidden()
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("registry:person_detail", person_id=person.pk)


class IdentifierRemoveView(AppView):
    capability = "registry.edit"

    def post(self, request, person_id, identifier_id):
        person, refusal = person_for(self.actor, person_id, policies.can_edit_person)
        if refusal:
            return refusal
        identifier = Identifier.objects.filter(pk=identifier_id, person=person).first()
        if identifier is None:
            raise not_found()
        try:
            services.identifier_remove(actor=self.actor, identifier=identifier)
        except PermissionDenied:
            return HttpResponseForbidden()
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("registry:person_detail", person_id=person.pk)


class PhotoUploadView(PersonRecordView):
    form_class = PhotoForm
    title = gettext_lazy("Photo")
    intro = gettext_lazy("The photo is stored encrypted and shown only to people who may see this record.")

    def save(self, person, form):
        services.person_photo_set(actor=self.actor, person=person, upload=form.cleaned_data["photo"])


class PhotoView(AppView):
    """The photo, decrypted for someone who may see the record unmasked; an access event."""

    capability = "registry.view"

    def get(self, request, person_id):
        person = visible_person(self.actor, person_id, query="photo")
        if person.photo and policies.can_see_unmasked(self.actor, person):
            with person.photo.open("rb") as handle:
                data = handle.read()
            kind = services.people.image_kind(data[:16]) or "jpeg"
            response = HttpResponse(data, content_type=f"image/{'jpeg' if kind == 'jpg' else kind}")
        else:
            # No photo, or one the reader may not see: the same neutral outline for both.
            response = HttpResponse(NO_PHOTO, content_type="image/svg+xml")
        response["Cache-Control"] = "private, no-store"
        return response


class ConsentWithdrawnListView(AppView):
    """The consents withdrawn since a day (the last week unless ``?since=`` says otherwise), each
    with what was withdrawn, for the data-protection officer to check that sharing ended."""

    capability = "audit.view"

    @transaction.atomic
    def get(self, request):
        default = clock.today() - dt.timedelta(days=6)
        try:
            since = (
                dt.date.fromisoformat(request.GET.get("since") or "") if request.GET.get("since") else default
            )
        except ValueError:
            since = default
        consents = list(consents_withdrawn_since(actor=self.actor, since=since)[:LIST_LIMIT])
        consents_served(actor=self.actor, consents=consents, query=request.GET.urlencode())
        rows = [(consent, *withdrawn_what(consent)) for consent in consents]
        context = {
            "rows": rows,
            "since": since,
            "whole_org": self.actor.scope_for("audit.view") >= Scope.ORG,
        }
        return render(request, "registry/consent_withdrawn_list.html", context)
