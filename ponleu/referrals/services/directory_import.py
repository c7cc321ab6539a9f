"""Importing providers into the service directory from its spreadsheet: a dry run that names
every problem by row and column (in the reader's language), then an all-or-nothing commit in a
background job, each provider written by ``provider_save`` so that it has its history.

As the registry's import does: the upload is read and checked in the request; a clean file's
rows are kept (sealed at rest, as every upload is) with a queued job; starting the job checks
them again (the directory may have changed meanwhile) and writes them in one transaction.
Importing adds providers; one already in the directory (same kind and Khmer name) is refused
by name, so a file imported twice adds nothing the second time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.common.errors import PermissionDenied
from ponleu.encryption.storage import encrypted_storage
from ponleu.geography.models import AdminUnit
from ponleu.jobs import services as jobs
from ponleu.jobs.choices import JobStatus
from ponleu.jobs.models import Job
from ponleu.organisations.models import Organisation
from ponleu.referrals import spreadsheets
from ponleu.referrals.choices import Cost
from ponleu.referrals.models import Provider
from ponleu.referrals.tasks import directory_import_task
from ponleu.registry.services.cleaning import normalise_area_code

from .directory import clean_provider, provider_save

MAX_BYTES = 5 * 1024 * 1024
JOB_KIND = "referrals.directory_import"
CAPABILITY = "directory.manage"
PROGRESS_EVERY = 100
# The fields ``clean_provider`` names, and the column each is typed in.
FIELD_COLUMN = {
    "kind": "kind",
    "name_km": "name_km",
    "name_en": "name_en",
    "address": "address",
    "phone": "phone",
    "hours": "hours",
    "accessibility": "accessibility",
    "location": "location",
    "organisation": "organisation",
    "areas": "areas",
    "services": "",
}


@dataclass
class Problem:
    row: int  # spreadsheet row number (0: the file itself)
    column: str  # column key, "" for the whole row or file
    message: str

    def label(self, language: str | None) -> str:
        return spreadsheets.column_label(self.column, language) if self.column else ""


@dataclass
class DryRun:
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number, provider_save's data)
    problems: list[Problem] = field(default_factory=list)
    sha256: str = ""
    raw_rows: list = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems and bool(self.rows)


def read(data: bytes) -> tuple[list[tuple[int, dict]], list[Problem]]:
    if len(data) > MAX_BYTES:
        return [], [Problem(0, "", _("The file is larger than 5 MB; split it into several files."))]
    try:
        _mapping, rows = spreadsheets.read_rows(data)
        raw_rows = list(rows)
    except spreadsheets.UnreadableFile:
        return [], [
            Problem(0, "", _("This is not the directory template (an .xlsx file with its header rows)."))
        ]
    if not raw_rows:
        return [], [Problem(0, "", _("The file has no rows to import."))]
    if len(raw_rows) > spreadsheets.MAX_ROWS:
        limit = {"max": spreadsheets.MAX_ROWS}
        return [], [Problem(0, "", _("The file has more than %(max)s rows; split it.") % limit)]
    return raw_rows, []


def dry_run(*, actor, data: bytes) -> DryRun:
    """Read and check every row; nothing is written."""
    if not actor.can(CAPABILITY):
        raise PermissionDenied()
    sha256 = hashlib.sha256(data).hexdigest()
    raw_rows, problems = read(data)
    if problems:
        return DryRun(problems=problems, sha256=sha256)
    return check(raw_rows=raw_rows, sha256=sha256)


def _text(raw: dict, key: str) -> str:
    value = raw.get(key, "")
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


def check(*, raw_rows: list, sha256: str, progress=None) -> DryRun:
    """Check rows already read (from the upload, or from the job's sealed copy)."""
    result = DryRun(sha256=sha256, raw_rows=raw_rows)
    columns = [c.key for c in spreadsheets.columns()]
    organisations = {
        o.short_name.casefold(): o for o in Organisation.objects.filter(is_active=True) if o.short_name
    }
    wanted_codes = set()
    for _number, raw in raw_rows:
        wanted_codes.update(normalise_area_code(c) for c in spreadsheets.codes(_text(raw, "areas")))
        wanted_codes.add(normalise_area_code(_text(raw, "location")))
    units = set(AdminUnit.objects.filter(code__in=wanted_codes).values_list("code", flat=True))
    existing = {
        (kind, " ".join(name.split()).casefold())
        for kind, name in Provider.objects.filter(is_active=True).values_list("kind", "name_km")
    }
    seen: dict[tuple, int] = {}
    for done, (number, raw) in enumerate(raw_rows, start=1):
        data, problems = _check_row(number, raw, units, organisations)
        key = (data.get("kind"), " ".join(str(data.get("name_km") or "").split()).casefold())
        if key[1] and key in existing:
            problems.append(
                Problem(number, "name_km", _("This provider is already in the directory; change it there."))
            )
        elif key[1] and key in seen:
            problems.append(
                Problem(number, "name_km", _("The same provider is on row %(row)s.") % {"row": seen[key]})
            )
        seen.setdefault(key, number)
        if problems:
            result.problems += problems
        else:
            result.rows.append((number, data))
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, len(raw_rows))
    result.problems.sort(key=lambda p: (p.row, columns.index(p.column) if p.column in columns else -1))
    return result


def _check_row(number: int, raw: dict, units: set, organisations: dict) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    services = []
    for column in spreadsheets.columns():
        service = spreadsheets.service_of(column.key)
        if service is None:
            continue
        cost = spreadsheets.choice_code(_text(raw, column.key))
        if not cost:
            continue
        if cost not in Cost.values:
            problems.append(
                Problem(number, column.key, _("Choose the cost from the list, or leave it empty."))
            )
            continue
        services.append({"service": service, "cost": cost})
    areas = [normalise_area_code(c) for c in spreadsheets.codes(_text(raw, "areas"))]
    unknown = [code for code in areas if code not in units]
    if unknown:
        problems.append(
            Problem(number, "areas", _("Unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)})
        )
    location = normalise_area_code(_text(raw, "location"))
    if location and location not in units:
        problems.append(Problem(number, "location", _("Unknown code: %(code)s.") % {"code": location}))
    organisation = None
    short_name = _text(raw, "organisation").strip()
    if short_name:
        organisation = organisations.get(short_name.casefold())
        if organisation is None:
            problems.append(
                Problem(number, "organisation", _("No organisation on Ponleu has this short name."))
            )
    data = {
        "kind": spreadsheets.choice_code(_text(raw, "kind")),
        "name_km": _text(raw, "name_km"),
        "name_en": _text(raw, "name_en"),
        "address": _text(raw, "address"),
        "phone": _text(raw, "phone"),
        "hours": _text(raw, "hours"),
        "languages": spreadsheets.codes(_text(raw, "languages")),
        "accessibility": spreadsheets.codes(_text(raw, "accessibility")),
        "location": location if location in units else "",
        "organisation": str(organisation.pk) if organisation else "",
        "areas": [code for code in areas if code in units],
        "services": services,
    }
    _values, _services, _units, errors = clean_provider(data)
    for name, messages in errors.items():
        if name == "areas" and unknown:
            continue  # already named, code by code
        for message in messages:
            problems.append(Problem(number, FIELD_COLUMN.get(name, ""), str(message)))
    return data, problems


def problems_report(plan: DryRun) -> list[dict]:
    language = translation.get_language()
    return [{"row": p.row, "column": p.label(language), "message": p.message} for p in plan.problems]


@transaction.atomic
def commit(*, actor, plan: DryRun) -> list[Provider]:
    """Write a clean dry run, all or nothing: each provider through ``provider_save``."""
    if not plan.is_clean:
        raise ValueError("only a clean dry run can be committed")
    if not actor.can(CAPABILITY):
        raise PermissionDenied()
    return [provider_save(actor=actor, data=data) for _number, data in plan.rows]


# --- the job around a clean dry run ---------------------------------------------------------


def import_prepare(*, actor, data: bytes) -> tuple[DryRun, Job | None]:
    """Dry-run an upload; when clean, keep its rows (sealed) and a queued job to commit them."""
    plan = dry_run(actor=actor, data=data)
    if not plan.is_clean:
        return plan, None
    rows = [[number, {k: _text(raw, k) for k in raw}] for number, raw in plan.raw_rows]
    name = encrypted_storage().save("referrals/imports/rows", ContentFile(json.dumps(rows).encode()))
    job = jobs.job_create(
        actor=actor,
        kind=JOB_KIND,
        capability=CAPABILITY,
        total=len(plan.rows),
        result={"file": name, "sha256": plan.sha256, "rows": len(plan.rows)},
    )
    return plan, job


@transaction.atomic
def import_start(*, actor, job: Job) -> Job:
    """Queue the commit (only the job's owner, only once)."""
    job = Job.objects.select_for_update().get(pk=job.pk, kind=JOB_KIND)
    if job.owner_id != actor.user_id or job.organisation_id != actor.organisation_id:
        raise PermissionDenied()
    if job.status != JobStatus.QUEUED or job.result.get("started"):
        return job
    job.result = {**job.result, "started": True}
    job.save(update_fields=["result", "updated_at"])
    transaction.on_commit(lambda: directory_import_task.enqueue(str(job.pk)))
    return job


def _commit_rows(job: Job, actor) -> dict:
    try:
        with encrypted_storage().open(job.result.get("file", "")) as handle:
            raw_rows = [(number, raw) for number, raw in json.loads(handle.read())]
    except FileNotFoundError:
        raise jobs.JobFailed(_("The uploaded file is gone; upload it again.")) from None

    def progress(done, total):
        jobs.job_progress(job=job, done=done, total=total)

    plan = check(raw_rows=raw_rows, sha256=job.result.get("sha256", ""), progress=progress)
    if not plan.is_clean:
        raise jobs.JobFailed(
            _("Nothing was imported: the file has problems now."), problems=problems_report(plan)[:2000]
        )
    providers = commit(actor=actor, plan=plan)
    job.progress = len(providers)
    return {"created": len(providers)}


def import_run(*, job_id) -> Job | None:
    """The task's body. Idempotent: a job that is not queued is left alone."""
    job = jobs.job_run(
        job_id=job_id,
        kind=JOB_KIND,
        work=_commit_rows,
        refused=gettext_lazy("You may no longer maintain the service directory."),
    )
    if job is not None and job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        storage = encrypted_storage()
        name = job.result.get("file", "")
        if name and storage.exists(name):
            storage.delete(name)
    return job
