import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ponleu.audit.models import AccessEvent, AuditEvent
from ponleu.jobs.models import Job
from ponleu.registry import spreadsheets
from ponleu.registry.models import Household, Person
from ponleu.registry.services import imports

from . import factories

pytestmark = pytest.mark.django_db


def filled(rows: list[dict]) -> bytes:
    """The downloaded template with ``rows`` (by column key) filled in from row 3."""
    workbook = load_workbook(io.BytesIO(spreadsheets.build_template()))
    sheet = workbook["people"]
    keys = [column.key for column in spreadsheets.COLUMNS]
    for offset, row in enumerate(rows):
        for key, value in row.items():
            sheet.cell(row=spreadsheets.FIRST_DATA_ROW + offset, column=keys.index(key) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [
    {
        "household": "1",
        "relationship": "mother - Mother",
        "primary_caregiver": "yes",
        "kind": "adult",
        "family_name_km": "ចាន់",
        "given_name_km": "សុភា",
        "sex": "F",
        "date_of_birth": "12/05/1988",
        "village": "2010101",
        "phone": "០១២ ៣៤៥ ៦៧៨",
        "phone_owner": "self",
        "idpoor_status": "level_1",
        "equity_card_number": "eq-9",
    },
    {
        "household": "1",
        "relationship": "child",
        "family_name_latin": "Sok",
        "given_name_latin": "Dara",
        "sex": "M - Male",
        "date_of_birth": "០៩/០៣/២០១៥",
        "village": "KH02010101",
        "identifier_type": "birth_certificate",
        "identifier_value": "77/2015",
        "idpoor_status": "level_1",
        "equity_card_number": "eq-9",
    },
]


def test_template_has_both_header_rows_and_drop_downs():
    workbook = load_workbook(io.BytesIO(spreadsheets.build_template()))
    sheet = workbook["people"]
    assert sheet["E1"].value == "នាមត្រកូល (ខ្មែរ)"
    assert sheet["E2"].value == "Family name (Khmer)"
    formulas = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert len(formulas) == sum(1 for c in spreadsheets.COLUMNS if c.choices)
    assert workbook["lists"].sheet_state == "hidden"


def test_a_clean_file_imports_people_households_and_one_audit_event(
    world, django_capture_on_commit_callbacks
):
    actor = world.actor("supervisor")
    plan, job = imports.import_prepare(actor=actor, data=filled(GOOD))
    assert plan.problems == []
    assert job is not None
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_start(actor=actor, job=job)
    job.refresh_from_db()
    assert job.status == "succeeded", job.message
    assert job.result["created"] == 2
    household = Household.objects.get()
    assert (household.idpoor_status, household.equity_card_number) == ("level_1", "EQ-9")
    mother = Person.objects.get(given_name_km="សុភា")
    assert household.members.get(is_primary_caregiver=True).person == mother
    assert str(mother.phones.get().number) == "+85512345678"
    child = Person.objects.get(given_name_latin="Dara")
    assert child.date_of_birth.isoformat() == "2015-03-09"
    assert child.identifiers.get().value == "77/2015"
    assert AuditEvent.objects.filter(action="registry.person.imported").count() == 1
    assert not imports.encrypted_storage().exists(job.result["file"])


def test_one_bad_row_imports_nothing_and_every_problem_is_named(world):
    factories.person(
        world.actor("caseworker_a"), identifiers=[{"type": "birth_certificate", "value": "77/2015"}]
    )
    rows = [
        *GOOD,
        {
            "family_name_latin": "Ly",
            "sex": "Z",
            "date_of_birth": "31/02/2015",
            "village": "99999999",
            "phone": "12",
        },
        {
            "household": "1",
            "relationship": "father",
            "primary_caregiver": "yes",
            "kind": "adult",
            "given_name_latin": "Vuthy",
            "village": "02010101",
        },
    ]
    before = Person.objects.count()
    plan, job = imports.import_prepare(actor=world.actor("supervisor"), data=filled(rows))
    assert job is None
    found = {(p.row, p.column) for p in plan.problems}
    assert (4, "identifier_value") in found  # already used in the organisation
    assert {(5, "sex"), (5, "date_of_birth"), (5, "village"), (5, "phone")} <= found
    assert (6, "primary_caregiver") in found
    assert Person.objects.count() == before
    assert Household.objects.count() == 0
    assert plan.problems[0].label("km").startswith("Q (")  # column letter and its Khmer header


def test_upload_screen_reports_problems_in_the_users_language(world, login_as):
    client = login_as(world.user("supervisor"))
    upload = io.BytesIO(filled([{"family_name_latin": "Ly", "village": "99999999"}]))
    upload.name = "people.xlsx"
    response = client.post(reverse("registry:person_import"), {"file": upload})
    assert response.status_code == 400
    text = response.content.decode()
    assert "nothing was imported" in text
    assert "Village code" in text
    assert "99999999" in text
    assert login_as(world.user("caseworker_a")).get(reverse("registry:person_import")).status_code == 403


def test_import_job_page_shows_progress(world, login_as, django_capture_on_commit_callbacks):
    client = login_as(world.user("supervisor"))
    upload = io.BytesIO(filled(GOOD))
    upload.name = "people.xlsx"
    response = client.post(reverse("registry:person_import"), {"file": upload})
    job = Job.objects.get()
    assert reverse("registry:import_start", kwargs={"job_id": job.pk}) in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_start", kwargs={"job_id": job.pk}))
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "<progress" in page
    assert "2 people imported" in page
    assert "<html" not in page


def test_export_neutralises_formulas_and_is_an_access_event(world, login_as):
    actor = world.actor("supervisor")
    person = factories.person(
        actor, family_name_latin='=HYPERLINK("http://x")', given_name_latin="\u200b+1", nickname="@me"
    )  # stored without the U+200B
    _services_consent(actor, person)
    client = login_as(world.user("supervisor"))
    response = client.get(reverse("registry:person_export", kwargs={"fmt": "csv"}))
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][3].startswith("'=")
    assert rows[1][4] == "'+1"
    assert rows[1][5] == "'@me"
    assert AccessEvent.objects.latest("id").action == "registry.person.exported"
    xlsx = client.get(reverse("registry:person_export", kwargs={"fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["D2"].value.startswith("'=")
    assert sheet["D2"].data_type == "s"
    assert (
        login_as(world.user("caseworker_a"))
        .get(reverse("registry:person_export", kwargs={"fmt": "csv"}))
        .status_code
        == 403
    )


def _services_consent(actor, person):
    from ponleu.common import clock
    from ponleu.registry.services.consent import consent_record

    consent_record(
        actor=actor,
        person=person,
        data={
            "purpose": "services",
            "given_by": "caregiver",
            "given_by_name": "Sok Sophea",
            "given_on": clock.today().isoformat(),
            "method": "signed_form",
            "child_assent": "not_asked",
        },
    )


def test_export_masks_names_and_birth_dates_of_people_without_consent_for_services(world, login_as):
    """Identities leave Ponleu in a file only under the rule every export asks
    (``may_export_identity``): one the supervisor sees on screen, but without consent, is masked."""
    actor = world.actor("supervisor")
    factories.person(actor, family_name_latin="Chan", given_name_latin="Dara", date_of_birth="2015-04-09")
    client = login_as(world.user("supervisor"))
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("registry:person_export", kwargs={"fmt": "csv"})).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["family_name_km"] == "C. D."
    assert row["family_name_latin"] == row["given_name_latin"] == row["date_of_birth"] == ""


def _export_rows(client) -> list[dict]:
    content = client.get(reverse("registry:person_export", kwargs={"fmt": "csv"})).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_consent_given_on_a_record_merged_away_clears_the_kept_one(world, login_as):
    from ponleu.registry.services.merge import person_merge

    actor = world.actor("supervisor")
    kept = factories.person(actor, family_name_latin="Chan", given_name_latin="Dara")
    duplicate = factories.person(actor, family_name_latin="Chan", given_name_latin="Dara")
    _services_consent(actor, duplicate)
    person_merge(actor=actor, duplicate=duplicate, kept=kept, reason="Same child")
    (row,) = _export_rows(login_as(world.user("supervisor")))
    assert row["id"] == str(kept.pk)
    assert row["family_name_latin"] == "Chan"


def test_the_export_judges_consent_in_the_same_queries_for_one_person_or_twenty(world, login_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = world.actor("supervisor")
    client = login_as(world.user("supervisor"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("registry:person_export", kwargs={"fmt": "csv"}))
        return len(captured)

    _services_consent(actor, factories.person(actor, given_name_latin="Dara"))
    queries()
    one = queries()
    for n in range(19):
        _services_consent(actor, factories.person(actor, given_name_latin=f"Dara{n}"))
    assert queries() == one
    assert sum(1 for row in _export_rows(client) if row["given_name_latin"].startswith("Dara")) == 20
