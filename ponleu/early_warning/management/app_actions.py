"""`ponleu ews import` and `ponleu ews score`: the early-warning commands that use Ponleu's tables.

    ponleu ews import DIR --organisation SHORT_NAME [--village CODE]
    ponleu ews score [--organisation SHORT_NAME] [--date YYYY-MM-DD]

``import`` loads a school-history folder into the organisation's schools, years, classes, pupils
and registers, all or nothing, listing every problem. ``score`` recomputes features and risk for
every student enrolled today in each organisation's current school year, one school at a time
(a timer runs it nightly; a roll call rescores its class at once).
"""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import CommandError

from ponleu.access.actors import system_actor
from ponleu.common import clock
from ponleu.early_warning.services.history_import import HistoryImportError, history_import
from ponleu.early_warning.services.scoring import risk_score
from ponleu.education.models import SchoolClass
from ponleu.education.selectors import current_year
from ponleu.organisations.models import Organisation


def import_arguments(parser):
    parser.add_argument(
        "folder", help="A school-history folder (cohorts.csv, students.csv, outcomes.csv, ...)."
    )
    parser.add_argument(
        "--organisation", required=True, help="Short name of the organisation to load it into."
    )
    parser.add_argument("--village", default=None, help="NCDD code of the village for every new school.")


def score_arguments(parser):
    parser.add_argument(
        "--organisation", default=None, help="Short name (default: every active organisation)."
    )
    parser.add_argument("--date", default=None, help="Score as of this day (default: today).")


def _organisations(short_name):
    rows = Organisation.objects.filter(is_active=True)
    if short_name:
        rows = rows.filter(short_name=short_name)
        if not rows.exists():
            raise CommandError(f"no active organisation {short_name!r}")
    return list(rows.order_by("short_name"))


def run_import(command, options) -> None:
    (organisation,) = _organisations(options["organisation"])
    actor = system_actor(organisation.pk, name="ews-import")
    try:
        summary = history_import(actor=actor, folder=options["folder"], village=options["village"])
    except HistoryImportError as refused:
        raise CommandError(
            "the history folder cannot be imported; nothing was written:\n" + "\n".join(refused.problems)
        ) from None
    for warning in summary.warnings:
        command.stderr.write(f"warning: {warning}")
    command.stdout.write(
        f"imported into {organisation.short_name}: {summary.years} school years, {summary.schools} schools, "
        f"{summary.classes} classes, {summary.people} children, {summary.enrolments} enrolments, "
        f"{summary.attendance_rows} monthly registers, {summary.assessments} test sheets, "
        f"{summary.incidents} behaviour incidents"
    )


def run_score(command, options) -> None:
    day = None
    if options["date"]:
        try:
            day = dt.date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(f"--date takes YYYY-MM-DD, not {options['date']!r}") from None
    for organisation in _organisations(options["organisation"]):
        year = current_year(organisation.pk, day or clock.today())
        if year is None:
            command.stdout.write(f"{organisation.short_name}: no school year, nothing to score")
            continue
        actor = system_actor(organisation.pk, name="ews-score")
        started = time.perf_counter()
        students = flagged = 0
        by_school: dict = {}
        for class_id, school_id in SchoolClass.objects.filter(year=year).values_list("pk", "school_id"):
            by_school.setdefault(school_id, []).append(class_id)
        for class_ids in by_school.values():
            run = risk_score(actor=actor, year=year, class_ids=class_ids, on=day)
            students += run.students
            flagged += run.flagged
        command.stdout.write(
            f"{organisation.short_name} {year.name}: {students} students in {len(by_school)} schools scored, "
            f"{flagged} flagged, {time.perf_counter() - started:.1f} s"
        )
