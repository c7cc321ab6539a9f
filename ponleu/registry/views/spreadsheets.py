"""Spreadsheets: the import template, upload with a dry run, the import job, and exports."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access.views import AppView
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied
from ponleu.jobs.models import Job
from ponleu.registry import policies, spreadsheets
from ponleu.registry.forms import ImportUploadForm
from ponleu.registry.selectors import people as selectors
from ponleu.registry.services import imports

from .people import not_found

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class ImportTemplateView(AppView):
    capability = "registry.import"

    def get(self, request):
        return _download(spreadsheets.build_template(), "ponleu-people-template.xlsx", XLSX)


class PersonImportView(AppView):
    """Upload → dry run. A clean file gets a queued job and an "import now" button."""

    capability = "registry.import"
    template = "registry/person_import.html"

    def get(self, request):
        return render(request, self.template, {"form": ImportUploadForm()})

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            form.add_error("file", _("The file is larger than 10 MB; split it into several files."))
            return render(request, self.template, {"form": form}, status=400)
        plan, job = imports.import_prepare(actor=self.actor, data=upload.read())
        language = translation.get_language()
        problems = [{"row": p.row, "column": p.label(language), "message": p.message} for p in plan.problems]
        context = {"form": ImportUploadForm(), "plan": plan, "job": job, "problems": problems}
        return render(request, self.template, context, status=200 if job else 400)


def _visible_job(actor, job_id) -> Job:
    """An import job within the actor's import scope (their own, or the organisation's)."""
    job = selectors.import_job_get(actor=actor, job_id=job_id)
    if job is None:
        raise not_found()
    return job


class ImportStartView(AppView):
    capability = "registry.import"

    def post(self, request, job_id):
        try:
            job = imports.import_start(actor=self.actor, job=_visible_job(self.actor, job_id))
        except PermissionDenied:
            return HttpResponseForbidden()
        return redirect("registry:import_job", job_id=job.pk)


class ImportJobView(AppView):
    """The job's progress; the bar polls itself (HTMX) until the job has finished."""

    capability = "registry.import"

    def get(self, request, job_id):
        job = _visible_job(self.actor, job_id)
        template = "registry/import_job.html"
        if request.htmx:
            template += "#progress"
        return render(request, template, {"job": job})


class PersonExportView(AppView):
    """The visible, filtered list as XLSX or CSV; recorded as one export access event."""

    capability = "registry.export"
    headers = (
        "id",
        "family_name_km",
        "given_name_km",
        "family_name_latin",
        "given_name_latin",
        "nickname",
        "sex",
        "date_of_birth",
        "date_of_birth_precision",
        "kind",
        "village_code",
        "village",
        "functional_difficulty",
    )

    def get(self, request, fmt):
        if fmt not in ("xlsx", "csv"):
            raise not_found()
        filters = selectors.PersonFilters.from_params(request.GET)
        people = selectors.person_export(actor=self.actor, filters=filters)
        language = translation.get_language()
        cleared = policies.export_cleared(self.actor, people)
        rows = (self._row(person, language, person.pk in cleared) for person in people)
        stamp = clock.today().isoformat()
        if fmt == "xlsx":
            return _download(spreadsheets.write_xlsx(list(self.headers), rows), f"people-{stamp}.xlsx", XLSX)
        return _download(
            spreadsheets.write_csv(list(self.headers), rows), f"people-{stamp}.csv", "text/csv; charset=utf-8"
        )

    def _row(self, person, language, unmasked: bool) -> list:
        names = (
            [
                person.family_name_km,
                person.given_name_km,
                person.family_name_latin,
                person.given_name_latin,
                person.nickname,
            ]
            if unmasked
            else [policies.exported_name(self.actor, person, language, cleared=False), "", "", "", ""]
        )
        difficulty = (
            ""
            if person.has_functional_difficulty is None
            else ("yes" if person.has_functional_difficulty else "no")
        )
        return [
            str(person.pk),
            *names,
            person.sex,
            person.date_of_birth.isoformat() if unmasked and person.date_of_birth else "",
            person.date_of_birth_precision if unmasked else "",
            person.kind,
            person.village_id or "",
            person.village.name(language) if person.village else "",
            difficulty,
        ]
