"""Case notes and home visits, attachments (decrypted only here, audited), case conferences."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ponleu.access.views import NOT_FOUND_MESSAGE
from ponleu.cases import forms
from ponleu.cases.choices import CaseAction
from ponleu.cases.models import Goal, NoteAttachment
from ponleu.cases.services import contact
from ponleu.common import clock

from .base import CaseFormView, CaseView


class NoteCreateView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.NoteForm
    title = _("Case note or home visit")
    anchor = "notes"
    multipart = True

    def form_kwargs(self):
        return {"goals": Goal.objects.filter(case=self.case).open()}

    def initial(self):
        return {
            "happened_on": clock.today(),
            "interaction": self.request.GET.get("interaction", "home_visit"),
        }

    def perform(self, form):
        data = form.cleaned_data
        contact.note_add(
            actor=self.actor,
            case=self.case,
            interaction=data["interaction"],
            happened_on=data["happened_on"],
            place=data["place"],
            present=data["present"],
            observations=data["observations"],
            goal_ids=data["goals"],
            attachments=data["attachments"],
        )
        self.done(_("Note saved."))


class ConferenceCreateView(CaseFormView):
    capability = "cases.edit"
    form_class = forms.ConferenceForm
    title = _("Case conference")
    anchor = "conferences"

    def initial(self):
        return {"held_on": clock.today()}

    def perform(self, form):
        contact.conference_record(actor=self.actor, case=self.case, **form.cleaned_data)
        self.done(_("Case conference recorded."))


class AttachmentDownloadView(CaseView):
    """The decrypted file; its access event names the case and, in its query, the attachment."""

    capability = "cases.view"
    access_action = CaseAction.ATTACHMENT_DOWNLOADED

    def get(self, request, case_id, attachment_id):
        attachment = NoteAttachment.objects.filter(note__case=self.case, pk=attachment_id).first()
        if attachment is None:
            raise Http404(NOT_FOUND_MESSAGE)
        # Attachments are at most 10 MB, so the decrypted file is read whole into the response.
        with attachment.file.open("rb") as stored:
            response = HttpResponse(stored.read(), content_type=attachment.content_type)
        response["Content-Disposition"] = content_disposition_header(True, attachment.name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
