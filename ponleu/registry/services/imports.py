"""Importing people from the spreadsheet template: a dry run that names every problem by row
and column, then an all-or-nothing commit (a background job for large files).

Rows sharing a "household number in this file" become one household; its village and IDPoor
status come from its first row. Everything is validated before anything is written, with
bulk inserts, so 10,000 rows take seconds rather than minutes.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.common import clock
from ponleu.common.errors import PermissionDenied
from ponleu.encryption.storage import encrypted_storage
from ponleu.geography.models import AdminUnit
from ponleu.jobs import services as jobs
from ponleu.jobs.choices import JobStatus
from ponleu.jobs.models import Job
from ponleu.registry import policies, spreadsheets, validators
from ponleu.registry.choices import IDPoorSource, IDPoorStatus, PersonKind, Relationship
from ponleu.registry.models import (
    Household,
    HouseholdMember,
    Identifier,
    IDPoorAssessment,
    Person,
    PersonPhone,
)
from ponleu.registry.tasks import person_import_task

from . import bulk, cleaning

MAX_BYTES = 10 * 1024 * 1024
PROGRESS_EVERY = 500


@dataclass
class Problem:
    row: int  # spreadsheet row number (0: the file itself)
    column: str  # column key, "" for the whole row or file
    message: str

    def label(self, language: str | None) -> str:
        return spreadsheets.column_label(self.column, language) if self.column else ""


@dataclass
class PlannedRow:
    row: int
    person: dict
    phone: dict | None
    identifier: dict | None
    household: str
    relationship: str
    is_primary: bool
    idpoor_status: str
    card_number: str


@dataclass
class DryRun:
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sha256: str = ""
    raw_rows: list = field(default_factory=list)  # as read, kept (sealed) for the job

    @property
    def is_clean(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def household_count(self) -> int:
        return len({r.household for r in self.rows if r.household})


def _messages(errors: dict, row: int, column_of) -> list[Problem]:
    return [
        Problem(row, column_of(name), str(message))
        for name, messages in errors.items()
        for message in messages
    ]


def read(data: bytes) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """The non-empty rows of an uploaded template as (row number, {column: text or date})."""
    if len(data) > MAX_BYTES:
        return [], [Problem(0, "", _("The file is larger than 10 MB; split it into several files."))]
    try:
        _mapping, rows = spreadsheets.read_rows(data)
        raw_rows = list(rows)
    except spreadsheets.UnreadableFile:
        return [], [
            Problem(0, "", _("This is not the people template (an .xlsx file with its header rows)."))
        ]
    if not raw_rows:
        return [], [Problem(0, "", _("The file has no rows to import."))]
    if len(raw_rows) > spreadsheets.MAX_ROWS:
        limit = {"max": spreadsheets.MAX_ROWS}
        return [], [Problem(0, "", _("The file has more than %(max)s rows; split it.") % limit)]
    return raw_rows, []


def dry_run(*, actor, data: bytes, progress=None) -> DryRun:
    """Read and check every row; nothing is written. ``progress(done, total)`` is called now and then."""
    if not actor.can("registry.import"):
        raise PermissionDenied()
    raw_rows, problems = read(data)
    if problems:
        return DryRun(problems=problems, sha256=hashlib.sha256(data).hexdigest())
    return check(actor=actor, raw_rows=raw_rows, sha256=hashlib.sha256(data).hexdigest(), progress=progress)


def check(*, actor, raw_rows: list, sha256: str, progress=None) -> DryRun:
    """Check rows already read (from the upload, or from the job's sealed copy)."""
    result = DryRun(sha256=sha256, raw_rows=raw_rows)
    villages = cleaning.village_lookup(row.get("village", "") for _number, row in raw_rows)
    today = clock.today()
    seen_ids: dict[tuple, int] = {}
    households: dict[str, list[PlannedRow]] = defaultdict(list)
    total = len(raw_rows)
    for done, (number, raw) in enumerate(raw_rows, start=1):
        planned = _check_row(actor, number, raw, villages, today, result, seen_ids)
        if planned is not None:
            result.rows.append(planned)
            if planned.household:
                households[planned.household].append(planned)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, total)
    _check_households(households, result)
    _check_identifiers_in_use(actor, result)
    result.problems.sort(
        key=lambda p: (
            p.row,
            [c.key for c in spreadsheets.COLUMNS].index(p.column) if p.column in spreadsheets.BY_KEY else -1,
        )
    )
    if progress:
        progress(total, total)
    return result


def _column_of(name: str) -> str:
    mapping = {
        "phones.0.number": "phone",
        "phones.0.owner": "phone_owner",
        "identifiers.0.type": "identifier_type",
        "identifiers.0.value": "identifier_value",
        "number": "phone",
        "owner": "phone_owner",
        "type": "identifier_type",
        "value": "identifier_value",
    }
    return mapping.get(name, name if name in spreadsheets.BY_KEY else "")


def _check_row(actor, number, raw, villages, today, result: DryRun, seen_ids) -> PlannedRow | None:
    data = {
        key: spreadsheets.choice_code(raw.get(key, ""))
        if spreadsheets.BY_KEY[key].choices
        else raw.get(key, "")
        for key in cleaning.PERSON_FIELDS
        if key in spreadsheets.BY_KEY
    }
    data["kind"] = data.get("kind") or PersonKind.CHILD
    values, errors = cleaning.clean_person(data, today=today, villages=villages.get)
    problems = _messages(errors, number, _column_of)
    village = values.get("village")
    if village is None and "village" not in errors:
        problems.append(Problem(number, "village", _("Enter the village code.")))
    elif village is not None and not policies.can_create_in(actor, area_code=village.code):
        problems.append(Problem(number, "village", _("This village is outside the areas you work in.")))
    phone = None
    if raw.get("phone"):
        phone, phone_errors = cleaning.clean_phone(
            {"number": raw["phone"], "owner": spreadsheets.choice_code(raw.get("phone_owner", "")) or "self"}
        )
        problems += _messages(phone_errors, number, _column_of)
    identifier = None
    if raw.get("identifier_type") or raw.get("identifier_value"):
        identifier, id_errors = cleaning.clean_identifier(
            {
                "type": spreadsheets.choice_code(raw.get("identifier_type", "")),
                "value": raw.get("identifier_value", ""),
            }
        )
        problems += _messages(id_errors, number, _column_of)
        pair = (identifier.get("type"), identifier.get("value"))
        if not id_errors:
            if pair in seen_ids:
                problems.append(
                    Problem(
                        number,
                        "identifier_value",
                        _("The same number is on row %(row)s.") % {"row": seen_ids[pair]},
                    )
                )
            seen_ids.setdefault(pair, number)
    household = str(raw.get("household") or "").strip()
    relationship = spreadsheets.choice_code(raw.get("relationship", ""))
    if household and relationship not in Relationship.values:
        problems.append(Problem(number, "relationship", _("Choose the relationship from the list.")))
    if relationship and not household:
        problems.append(Problem(number, "household", _("A relationship needs a household number.")))
    is_primary = spreadsheets.yes_no(raw.get("primary_caregiver", ""))
    if is_primary is None:
        problems.append(Problem(number, "primary_caregiver", _("Write yes or no.")))
    idpoor = spreadsheets.choice_code(raw.get("idpoor_status", ""))
    if idpoor and idpoor not in IDPoorStatus.values:
        problems.append(Problem(number, "idpoor_status", _("Choose the IDPoor status from the list.")))
    if idpoor and not household:
        problems.append(
            Problem(
                number, "household", _("An IDPoor status belongs to a household: give a household number.")
            )
        )
    card = validators.clean_name(str(raw.get("equity_card_number") or "")).upper()
    if card and idpoor not in (IDPoorStatus.LEVEL_1, IDPoorStatus.LEVEL_2):
        problems.append(
            Problem(
                number,
                "equity_card_number",
                _("Only IDPoor level 1 and level 2 households hold an equity card."),
            )
        )
    result.problems += problems
    if problems:
        return None
    return PlannedRow(
        row=number,
        person=values,
        phone=phone,
        identifier=identifier,
        household=household,
        relationship=relationship,
        is_primary=bool(is_primary),
        idpoor_status=idpoor,
        card_number=card,
    )


def _check_households(households: dict[str, list[PlannedRow]], result: DryRun) -> None:
    for rows in households.values():
        primaries = [r for r in rows if r.is_primary]
        for extra in primaries[1:]:
            result.problems.append(
                Problem(
                    extra.row,
                    "primary_caregiver",
                    _("Row %(row)s is already the primary caregiver of this household.")
                    % {"row": primaries[0].row},
                )
            )
        statuses = {r.idpoor_status for r in rows if r.idpoor_status}
        if len(statuses) > 1:
            for r in rows[1:]:
                if r.idpoor_status and r.idpoor_status != rows[0].idpoor_status:
                    result.problems.append(
                        Problem(
                            r.row,
                            "idpoor_status",
                            _("Members of one household have different IDPoor statuses."),
                        )
                    )


def _check_identifiers_in_use(actor, result: DryRun) -> None:
    wanted = [r for r in result.rows if r.identifier]
    if not wanted:
        return
    values = {r.identifier["value"] for r in wanted}
    taken: set[tuple] = set()
    chunk = sorted(values)
    for start in range(0, len(chunk), 500):
        taken |= set(
            Identifier.objects.filter(
                organisation_id=actor.organisation_id, value__in=chunk[start : start + 500]
            ).values_list("type", "value")
        )
    for r in wanted:
        if (r.identifier["type"], r.identifier["value"]) in taken:
            result.problems.append(
                Problem(
                    r.row,
                    "identifier_value",
                    _("Another person in your organisation already has this number."),
                )
            )


@transaction.atomic
def commit(*, actor, plan: DryRun, job_id=None) -> list[Person]:
    """Write a clean dry run, all or nothing, with bulk inserts; one audit event for the batch."""
    if not plan.is_clean:
        raise ValueError("only a clean dry run can be committed")
    if not actor.can("registry.import"):
        raise PermissionDenied()
    team_id = actor.team_ids[0] if actor.team_ids else None
    households: dict[str, Household] = {}
    idpoor: list[IDPoorAssessment] = []
    for row in plan.rows:
        if row.household and row.household not in households:
            village: AdminUnit = row.person["village"]
            household = Household(
                organisation_id=actor.organisation_id,
                village=village,
                area_code=village.code,
                team_id=team_id,
                owner_id=actor.user_id,
                idpoor_status=row.idpoor_status or IDPoorStatus.NOT_ASSESSED,
                equity_card_number=row.card_number,
            )
            households[row.household] = household
            if row.idpoor_status:
                idpoor.append(
                    IDPoorAssessment(
                        household=household,
                        status=row.idpoor_status,
                        card_number=row.card_number,
                        source=IDPoorSource.UNKNOWN,
                        recorded_by_id=actor.user_id,
                    )
                )
    people, members, phones, identifiers = [], [], [], []
    for row in plan.rows:
        person = Person(
            organisation_id=actor.organisation_id,
            team_id=team_id,
            owner_id=actor.user_id,
            area_code=row.person["village"].code,
            **row.person,
        )
        people.append(person)
        if row.household:
            members.append(
                HouseholdMember(
                    household=households[row.household],
                    person=person,
                    relationship=row.relationship,
                    is_primary_caregiver=row.is_primary,
                )
            )
        if row.phone:
            phones.append(PersonPhone(person=person, **row.phone))
        if row.identifier:
            identifiers.append(
                Identifier(person=person, organisation_id=actor.organisation_id, **row.identifier)
            )
    return bulk.people_register_bulk(
        actor=actor,
        people=people,
        households=list(households.values()),
        members=members,
        idpoor=idpoor,
        phones=phones,
        identifiers=identifiers,
        capability="registry.import",
        source=("jobs.job", str(job_id or "")),
        changes={"file_sha256": [None, plan.sha256]},
    )


def problems_report(plan: DryRun) -> list[dict]:
    """Problems as plain values for a Job's result (shown later in the reader's language)."""
    language = translation.get_language()
    return [{"row": p.row, "column": p.label(language), "message": p.message} for p in plan.problems]


# --- the background job around a clean dry run --------------------------------------------------

JOB_KIND = "registry.import"


def import_prepare(*, actor, data: bytes) -> tuple[DryRun, Job | None]:
    """Dry-run an upload; when clean, keep the file (sealed) and a queued Job to commit it."""
    plan = dry_run(actor=actor, data=data)
    if not plan.is_clean:
        return plan, None
    # The rows as read, sealed at rest; the job checks them again without re-reading the xlsx.
    rows = [
        [number, {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in raw.items()}]
        for number, raw in plan.raw_rows
    ]
    name = encrypted_storage().save("registry/imports/rows", ContentFile(json.dumps(rows).encode()))
    job = jobs.job_create(
        actor=actor,
        kind=JOB_KIND,
        capability="registry.import",
        total=len(plan.rows),
        result={
            "file": name,
            "sha256": plan.sha256,
            "rows": len(plan.rows),
            "households": plan.household_count,
        },
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
    transaction.on_commit(lambda: person_import_task.enqueue(str(job.pk)))
    return job


def _commit_rows(job: Job, actor) -> dict:
    """Check the sealed rows again (the registry may have changed), then commit them all in
    one transaction."""
    try:
        with encrypted_storage().open(job.result.get("file", "")) as handle:
            raw_rows = [(number, raw) for number, raw in json.loads(handle.read())]
    except FileNotFoundError:
        raise jobs.JobFailed(_("The uploaded file is gone; upload it again.")) from None

    def progress(done, total):
        jobs.job_progress(job=job, done=done, total=total)

    plan = check(actor=actor, raw_rows=raw_rows, sha256=job.result.get("sha256", ""), progress=progress)
    if not plan.is_clean:
        raise jobs.JobFailed(
            _("Nothing was imported: the file has problems now."), problems=problems_report(plan)[:2000]
        )
    people = commit(actor=actor, plan=plan, job_id=job.pk)
    job.progress = len(people)
    return {"created": len(people)}


def import_run(*, job_id) -> Job | None:
    """The task's body. Idempotent: a job that is not queued is left alone."""
    job = jobs.job_run(
        job_id=job_id,
        kind=JOB_KIND,
        work=_commit_rows,
        refused=gettext_lazy("You may no longer import people."),
    )
    _discard_file(job)
    return job


def _discard_file(job: Job | None) -> None:
    """However the job ended (done, refused, failed), the sealed rows go."""
    if job is None or job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        return
    storage = encrypted_storage()
    name = job.result.get("file", "")
    if name and storage.exists(name):
        storage.delete(name)
