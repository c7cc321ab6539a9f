"""The directory's spreadsheet import: a dry run naming each problem by row and column (in the
reader's language), then everything or nothing, each provider with its history."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ponleu.audit.models import AuditEvent
from ponleu.common.errors import PermissionDenied
from ponleu.jobs.models import Job
from ponleu.referrals import spreadsheets
from ponleu.referrals.models import Provider
from ponleu.referrals.services import directory_import
from ponleu.testing.login import login

from . import factories

pytestmark = pytest.mark.django_db


def filled(rows: list[dict]) -> bytes:
    """The downloaded template with ``rows`` (by column key) filled in from row 3."""
    workbook = load_workbook(io.BytesIO(spreadsheets.build_template()))
    sheet = workbook["providers"]
    keys = [column.key for column in spreadsheets.columns()]
    for offset, row in enumerate(rows):
        for key, value in row.items():
            sheet.cell(row=spreadsheets.FIRST_DATA_ROW + offset, column=keys.index(key) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [
    {
        "kind": "health_centre - មណ្ឌលសុខភាព / Health centre",
        "name_km": "មណ្ឌលសុខភាពថ្មី",
        "name_en": "Thmei health centre",
        "service:primary_health": "free - ឥតគិតថ្លៃ / Free",
        "service:nutrition": "low",
        "areas": "020101, ០២០៨០១",
        "location": "KH020101",
        "phone": "012 345 678",
        "hours": "Mon–Sat 7:00–17:00",
        "languages": "km, en",
        "accessibility": "step_free",
    },
    {
        "kind": "ngo_programme",
        "name_km": "កម្មវិធីជំរក",
        "service:shelter": "free",
        "areas": "02",
        "organisation": "other",
    },
]


def test_the_template_has_both_header_rows_and_a_cost_column_per_service():
    workbook = load_workbook(io.BytesIO(spreadsheets.build_template()))
    sheet = workbook["providers"]
    assert sheet["B1"].value == "ឈ្មោះ (ខ្មែរ)"
    assert sheet["B2"].value == "Name (Khmer)"
    assert sheet["D2"].value == "Service: Primary health care"
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert len(formulas) == sum(1 for c in spreadsheets.columns() if c.choices)


def test_a_clean_file_imports_every_provider_with_its_history(world, django_capture_on_commit_callbacks):
    world.other_org.short_name = "other"
    world.other_org.save()
    actor = world.actor("org_admin")
    plan, job = directory_import.import_prepare(actor=actor, data=filled(GOOD))
    assert plan.problems == []
    with django_capture_on_commit_callbacks(execute=True):
        directory_import.import_start(actor=actor, job=job)
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert job.result["created"] == 2
    centre = Provider.objects.get(name_en="Thmei health centre")
    assert sorted(centre.services.values_list("service", "cost")) == [
        ("nutrition", "low"),
        ("primary_health", "free"),
    ]
    assert sorted(centre.areas.values_list("unit_id", flat=True)) == ["020101", "020801"]
    assert centre.location_id == "020101"
    assert centre.languages == ["en", "km"]
    assert Provider.objects.get(kind="ngo_programme").organisation == world.other_org
    assert AuditEvent.objects.filter(action="directory.provider_created").count() == 2
    assert not directory_import.encrypted_storage().exists(job.result["file"])
    # The same file again adds nothing: each provider is already in the directory.
    again, none = directory_import.import_prepare(actor=actor, data=filled(GOOD))
    assert none is None
    assert [(p.row, p.column) for p in again.problems] == [(3, "name_km"), (4, "name_km")]


def test_one_bad_row_imports_nothing_and_every_problem_is_named_in_the_readers_language(world):
    factories.provider(world, name_km="មណ្ឌលសុខភាពកន្ទឺ")
    rows = [
        *GOOD[:1],
        {
            "kind": "spaceship",
            "service:legal_aid": "expensive",
            "areas": "99, 020101",
            "location": "77",
            "organisation": "nobody",
            "accessibility": "lift",
        },
        {"kind": "health_centre", "name_km": "មណ្ឌលសុខភាពកន្ទឺ", "areas": "020101", "service:nutrition": "free"},
        {"kind": "health_centre", "name_km": "មណ្ឌលសុខភាពថ្មី", "areas": "020101", "service:nutrition": "free"},
    ]
    actor = world.actor("org_admin")
    plan, job = directory_import.import_prepare(actor=actor, data=filled(rows))
    assert job is None
    assert not Job.objects.exists()
    found = {(p.row, p.column) for p in plan.problems}
    assert {
        (4, "kind"),
        (4, "name_km"),
        (4, "service:legal_aid"),
        (4, "areas"),
        (4, "location"),
        (4, "organisation"),
        (4, "accessibility"),
        (4, ""),  # no service offered
        (5, "name_km"),  # already in the directory
        (6, "name_km"),  # the same provider as row 3
    } == found
    unknown = next(p for p in plan.problems if (p.row, p.column) == (4, "areas"))
    assert unknown.message == "Unknown codes: 99."
    assert next(p for p in plan.problems if p.row == 6).message == "The same provider is on row 3."
    assert not Provider.objects.exclude(name_km="មណ្ឌលសុខភាពកន្ទឺ").exists()
    # Checked under Khmer, the columns and the messages are Khmer.
    with translation.override("km"):
        report = directory_import.problems_report(directory_import.dry_run(actor=actor, data=filled(rows)))
    kind = next(p for p in report if p["column"].startswith("A "))
    assert kind == {"row": 4, "column": "A (ប្រភេទអ្នកផ្តល់សេវា)", "message": "សូមជ្រើសរើសប្រភេទអ្នកផ្តល់សេវា។"}


def test_only_directory_maintainers_import(world):
    with pytest.raises(PermissionDenied):
        directory_import.dry_run(actor=world.actor("caseworker_a"), data=filled(GOOD))


def test_not_the_template_is_named_as_such(world):
    plan = directory_import.dry_run(actor=world.actor("org_admin"), data=b"not a spreadsheet")
    assert [p.message for p in plan.problems] == [
        "This is not the directory template (an .xlsx file with its header rows)."
    ]


def test_the_pages_check_then_import(world, client, django_capture_on_commit_callbacks):
    login(client, world.user("org_admin"))
    assert client.get(reverse("referrals:directory_import")).status_code == 200
    template = client.get(reverse("referrals:directory_import_template"))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client.post(
        reverse("referrals:directory_import"),
        {"file": io.BytesIO(filled([{"kind": "health_centre"}]))},
    )
    assert bad.status_code == 400
    assert "nothing was imported" in bad.content.decode()
    upload = io.BytesIO(filled(GOOD[:1]))
    upload.name = "directory.xlsx"
    checked = client.post(reverse("referrals:directory_import"), {"file": upload})
    assert checked.status_code == 200
    job = Job.objects.get(kind=directory_import.JOB_KIND)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("referrals:directory_import_start", args=[job.pk]))
    assert started.status_code == 302
    page = client.get(started["Location"]).content.decode()
    assert "1 provider imported." in page
    assert Provider.objects.filter(name_en="Thmei health centre").exists()
    # Nobody else starts or watches it from another organisation.
    other = client.__class__()
    login(other, world.user("partner_supervisor"))
    assert other.get(reverse("referrals:directory_import_job", args=[job.pk])).status_code in (403, 404)
