"""The collection screens: forms and their versions (upload, publish), and setting up a phone."""

from __future__ import annotations

import base64
import json
import uuid
import zlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from ponleu.access.policies import identity_label
from ponleu.access.scopes import Scope
from ponleu.access.views import NOT_FOUND_MESSAGE, AppView, get_visible_or_404
from ponleu.accounts import services as account_services
from ponleu.accounts.second_factor import svg_qr
from ponleu.audit import services as audit
from ponleu.common.client_address import client_ip
from ponleu.common.errors import Conflict, ValidationFailed
from ponleu.common.spreadsheet_writer import csv_bytes, xlsx_table
from ponleu.organisations.models import Membership, Organisation, Team
from ponleu.registry.models import Household, Person

from . import selectors, services, standard_forms, xlsform
from .choices import CollectionAction, SubmissionStatus
from .forms import DeviceForm, FormUploadForm, PublishForm
from .models import Submission

DEVICE_CAPABILITIES = ["collection.submit"]


def collect_settings(*, server_url: str, username: str, token: str, project: str) -> str:
    """What ODK Collect's settings QR code carries: its settings JSON, zlib-compressed, base64."""
    settings = {
        "general": {"server_url": server_url, "username": username, "password": token},
        "admin": {"change_server": False},
        "project": {"name": project},
    }
    return base64.b64encode(zlib.compress(json.dumps(settings, ensure_ascii=False).encode("utf-8"))).decode()


class FormListView(AppView):
    capability = "collection.manage"
    scope = Scope.ORG

    def _render(self, request, form, status=200, problems=()):
        context = {
            "forms": selectors.forms_visible(actor=self.actor),
            "form": form,
            "problems": problems,
            "standard": [(key, standard_forms.FORMS[key].title) for key in standard_forms.FORMS],
        }
        return render(request, "collection/form_list.html", context, status=status)

    def get(self, request):
        return self._render(request, FormUploadForm())

    def post(self, request):
        standard = request.POST.get("standard")
        if standard:
            return self._install(request, standard)
        form = FormUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            version = services.form_upload(
                actor=self.actor,
                data=form.cleaned_data["xlsform"].read(),
                binding=form.cleaned_data.get("binding") or "",
            )
        except xlsform.XLSFormInvalid as invalid:
            return self._render(request, form, status=400, problems=invalid.problems)
        messages.success(
            request,
            _("Version %(version)s of “%(title)s” is ready.")
            % {"version": version.version, "title": version.title},
        )
        return redirect("collection:form_detail", collection_form_id=version.form_id)

    def _install(self, request, key):
        """One of Ponleu's standard forms, through the same upload as any XLSForm."""
        if key not in standard_forms.FORMS:
            return HttpResponseBadRequest()
        try:
            version = services.form_upload(
                actor=self.actor, data=standard_forms.xlsx(key), binding=standard_forms.FORMS[key].binding
            )
        except xlsform.XLSFormInvalid as invalid:
            return self._render(request, FormUploadForm(), status=400, problems=invalid.problems)
        return redirect("collection:form_detail", collection_form_id=version.form_id)


class FormDetailView(AppView):
    capability = "collection.manage"
    scope = Scope.ORG

    def _teams(self):
        return Team.objects.filter(organisation_id=self.actor.organisation_id).order_by("name")

    def get(self, request, collection_form_id):
        form = get_visible_or_404(selectors.forms_visible(actor=self.actor), pk=collection_form_id)
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return _export(self.actor, form, export)
        publish = PublishForm(teams=self._teams(), initial={"teams": [str(t.pk) for t in form.teams.all()]})
        context = {"form_record": form, "versions": form.versions.order_by("-created_at"), "publish": publish}
        return render(request, "collection/form_detail.html", context)

    def post(self, request, collection_form_id):
        form = get_visible_or_404(selectors.forms_visible(actor=self.actor), pk=collection_form_id)
        publish = PublishForm(request.POST, teams=self._teams())
        if not publish.is_valid():
            context = {
                "form_record": form,
                "versions": form.versions.order_by("-created_at"),
                "publish": publish,
            }
            return render(request, "collection/form_detail.html", context, status=400)
        services.form_publish(actor=self.actor, form=form, team_ids=publish.cleaned_data["teams"])
        messages.success(request, _("The form's teams are saved."))
        return redirect("collection:form_detail", collection_form_id=form.pk)


def _export(actor, form, kind: str) -> HttpResponse:
    headers, rows = selectors.submissions_export(actor=actor, form=form)
    if kind == "csv":
        response = HttpResponse(csv_bytes(headers, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_table(headers, rows, title=form.form_id[:31]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{form.form_id}.{kind}"'
    return response


class DeviceView(AppView):
    """Set up ODK Collect or KoboCollect on a phone: a device token for collecting only, shown
    once as the settings QR code the app scans (server, username, token, project)."""

    capability = "collection.submit"

    def dispatch(self, request, *args, **kwargs):
        return sensitive_post_parameters("password")(super().dispatch)(request, *args, **kwargs)

    def get(self, request):
        return render(request, "collection/device.html", {"form": DeviceForm()})

    def post(self, request):
        form = DeviceForm(request.POST)
        if not form.is_valid():
            return render(request, "collection/device.html", {"form": form}, status=400)
        actor = self.actor
        membership = Membership.objects.get(pk=actor.membership_id, user_id=actor.user_id)
        try:
            issued = account_services.token_issue(
                actor=actor,
                membership=membership,
                name=form.cleaned_data["name"],
                capabilities=DEVICE_CAPABILITIES,
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return render(request, "collection/device.html", {"form": form}, status=400)
        organisation = Organisation.objects.get(pk=actor.organisation_id)
        form_list = request.build_absolute_uri(reverse("collection:form_list_openrosa"))
        server_url = form_list[: -len("formList")].rstrip("/")
        payload = collect_settings(
            server_url=server_url,
            username=request.user.username,
            token=issued.plaintext,
            project=organisation.short_name or str(organisation.pk),
        )
        context = {"token": issued.token, "qr_svg": svg_qr(payload), "server_url": server_url}
        return render(request, "collection/device_ready.html", context, status=201)


class SubmissionListView(AppView):
    """Submissions one may see, newest first, with their status; ``?status=review`` is the
    review queue of likely duplicates."""

    capability = "collection.view"

    def get(self, request):
        rows = selectors.submissions_visible(actor=self.actor)
        status = request.GET.get("status", "")
        if status in SubmissionStatus.values:
            rows = rows.filter(status=status)
        page = Paginator(rows, 30).get_page(request.GET.get("page"))
        candidates = _candidates(self.actor, page.object_list)
        reads = [
            audit.Read(
                CollectionAction.SUBMISSIONS_LISTED,
                "collection.submission",
                [row.pk for row in page.object_list],
            )
        ]
        shown = sorted({str(c["person"].pk) for found in candidates.values() for c in found})
        if shown:
            reads.append(audit.Read(CollectionAction.MATCHES_SHOWN, "registry.person", shown))
        audit.record_accesses(actor=self.actor, reads=reads)
        for row in page.object_list:
            row.candidates = candidates.get(row.pk, [])
        context = {"page": page, "status": status, "statuses": SubmissionStatus.choices}
        return render(request, "collection/submission_list.html", context)


def _candidates(actor, submissions) -> dict:
    """For each submission waiting for review, the likely matches the reviewer may see, each
    with the households they belong to; a name only where the identity rule allows it."""
    waiting = [row for row in submissions if row.status == SubmissionStatus.REVIEW and row.likely_matches]
    if not waiting or not actor.can("collection.review"):
        return {}
    ids = {pk for row in waiting for pk in row.likely_matches if pk != "hidden"}
    people = {
        str(person.pk): person
        for person in Person.objects.visible_to(actor)
        .filter(pk__in=ids)
        .prefetch_related("household_memberships")
    }
    visible_households = set(
        Household.objects.visible_to(actor)
        .filter(members__person_id__in=list(people))
        .values_list("pk", flat=True)
    )
    found = {}
    for row in waiting:
        found[row.pk] = [
            {
                "person": person,
                "label": identity_label(actor, person),
                "households": [
                    m.household_id
                    for m in person.household_memberships.all()
                    if m.household_id in visible_households
                ],
            }
            for pk in row.likely_matches
            if (person := people.get(pk)) is not None
        ]
    return found


class SubmissionReviewView(AppView):
    """A likely duplicate decided: registered as sent, or matched to a household (a child: a
    person) one may see."""

    capability = "collection.review"

    def post(self, request, submission_id):
        submission = get_visible_or_404(
            Submission.objects.actionable_by(self.actor, "collection.review"), pk=submission_id
        )
        decision = request.POST.get("decision") or (
            "match" if request.POST.get("household") else "person" if request.POST.get("person") else ""
        )
        try:
            if decision == "person":
                try:
                    person_id = uuid.UUID(request.POST.get("person", ""))
                except ValueError:
                    raise Http404(NOT_FOUND_MESSAGE) from None
                person = get_visible_or_404(Person.objects.visible_to(self.actor), pk=person_id)
                services.review_match_person(actor=self.actor, submission=submission, person=person)
            elif decision == "match":
                try:
                    household_id = uuid.UUID(request.POST.get("household", ""))
                except ValueError:
                    raise Http404(NOT_FOUND_MESSAGE) from None
                household = get_visible_or_404(Household.objects.visible_to(self.actor), pk=household_id)
                services.review_match(actor=self.actor, submission=submission, household=household)
            elif decision == "register":
                services.review_register(actor=self.actor, submission=submission)
            else:
                return HttpResponseBadRequest()
        except Conflict:
            messages.error(request, _("This submission is already decided."))
            return redirect(reverse("collection:submission_list") + "?status=review")
        except ValidationFailed as refused:
            messages.error(request, refused.message)
            return redirect(reverse("collection:submission_list") + "?status=review")
        messages.success(request, _("The submission is decided."))
        return redirect(reverse("collection:submission_list") + "?status=review")
