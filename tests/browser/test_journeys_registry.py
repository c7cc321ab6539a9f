"""Journeys through the registry: finding a child, registering one after searching, the
small records hanging off a person, households, merging, importing and exporting.

Each run (viewport x language) registers its own people, with names carrying the run's
letters, so a run never trips over what an earlier one created.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.browser

BANAN_VILLAGE = "02010103"  # Svay Prey, Banan district: in caseworker.sabay's area
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f7a2b00000000049454e44ae426082"
)


def run_letters(viewport: str, language: str) -> str:
    """Latin letters naming this run, for names that must differ between runs."""
    return ("Na" if viewport.startswith("360") else "Ve") + {"km": "ka", "en": "el", "fr": "fa"}[language]


def person_id_of(b) -> str:
    match = re.search(r"/people/([0-9a-f-]{36})/", b.page.url)
    assert match, f"not a person's page: {b.page.url}"
    return match.group(1)


def household_id_of(b) -> str:
    match = re.search(r"/people/households/([0-9a-f-]{36})/", b.page.url)
    assert match, f"not a household's page: {b.page.url}"
    return match.group(1)


def register(b, *, family_km: str, given_km: str, given_latin: str, step: str) -> str:
    """Search-before-create, then the full form: the way every person enters the registry."""
    if b.page.locator(f'main a[href="{reverse("registry:person_create")}"]').count() == 0:
        b.follow("registry:person_list", step=f"{step}-list")
    b.follow("registry:person_create", step=f"{step}-search")
    b.page.fill("#id_family_name_km", family_km)
    b.page.fill("#id_given_name_km", given_km)
    b.page.fill("#id_family_name_latin", "Sok")
    b.page.fill("#id_given_name_latin", given_latin)
    b.page.fill("#id_date_of_birth", "09/03/2015")
    b.page.fill("#id_village", BANAN_VILLAGE)
    b.click("main button[name=step][value=match]", step=f"{step}-matches", state="matches")
    assert b.page.locator("#matches").count() == 1
    b.click("main button[name=step][value=details]", step=f"{step}-details", state="details")
    # What was typed for the search is carried into the full form.
    assert b.page.input_value("#id_given_name_latin") == given_latin
    assert b.page.input_value("#id_village") == BANAN_VILLAGE
    b.page.select_option("#id_sex", "F")
    b.click("main form button[type=submit]", step=f"{step}-registered")
    assert "/edit/" not in b.page.url
    return person_id_of(b)


def test_find_a_child(browse):
    """Search by a Khmer family name, narrow the list with filters, open a child and their household."""
    b = browse("caseworker.sabay")
    b.goto("registry:person_list", step="list")
    assert b.page.locator("main ul.people li").count() > 0
    # The filters swap the results in place (HTMX), without reloading the page.
    results = b.partial(
        "registry:person_list", step="filtered", hx_target="results", params={"sex": "F", "age_band": ""}
    )
    assert 'id="results"' in results
    # Search for the family name of the first child listed, in Khmer script as it is written.
    # (A sensitive record's name is masked, with the reason in brackets: not searchable.)
    names = b.page.locator("main ul.people li a strong").all_inner_texts()
    b.page.fill("#id_q", next(name for name in names if "(" not in name).split()[0])
    b.click("main form.filters button[type=submit]", step="search")
    hits = b.page.locator("main #results ul.people li a")
    assert hits.count() > 0
    b.click(hits.first, step="record")
    household = b.page.locator("main a[href*='/people/households/']")
    if household.count():
        b.click(household.first, step="household")
        assert b.page.locator("main ul.members li").count() > 0


def test_register_edit_and_records(browse, viewport, language):
    """A caseworker registers a child (after searching), edits them, adds a phone, a document,
    another spelling, consent (then withdraws it), the functioning questions and a photo,
    then starts a household, edits it and records its IDPoor result."""
    letters = run_letters(viewport, language)
    b = browse("caseworker.sabay")
    b.goto("registry:person_list", step="list")
    person_id = register(b, family_km="សុខ", given_km="ចរិយា", given_latin=f"Chariya{letters}", step="register")

    b.follow("registry:person_edit", step="edit", person_id=person_id)
    b.page.fill("#id_nickname", "អូន")
    b.click("main form button[type=submit]", step="edited")
    assert b.page.locator("main dl.facts").get_by_text("អូន").count() == 1

    b.follow("registry:phone_add", step="phone", person_id=person_id)
    b.page.fill("#id_number", "012 345 678")
    b.page.select_option("#id_owner", "caregiver")
    b.click("main form button[type=submit]", step="phone-added")
    b.follow("registry:identifier_add", step="document", person_id=person_id)
    b.page.select_option("#id_type", "birth_certificate")
    b.page.fill("#id_value", f"77/2015-{letters}")
    b.click("main form button[type=submit]", step="document-added")
    b.follow("registry:alias_add", step="alias", person_id=person_id)
    b.page.fill("#id_name", f"Chareya {letters}")
    b.click("main form button[type=submit]", step="alias-added")

    # Phone and document again removed, each with its own button on the record.
    b.click("main form[action*='/phones/'] button", step="phone-removed")
    b.click("main form[action*='/documents/'] button", step="document-removed")

    b.follow("registry:consent_add", step="consent", person_id=person_id)
    b.page.select_option("#id_purpose", "services")
    b.page.select_option("#id_given_by", "caregiver")
    b.page.fill("#id_given_by_name", "សុខ ស្រីមុំ")
    b.page.fill("#id_given_on", "01/02/2026")
    b.page.select_option("#id_method", "verbal_witnessed")
    b.page.fill("#id_witness_name", "ចាន់ សុភា")
    b.click("main form button[type=submit]", step="consent-recorded")
    b.click(b.page.locator("main a[href*='/consent/'][href$='/withdraw/']").first, step="consent-withdraw")
    b.page.fill("#id_reason", "The caregiver asked to stop.")
    b.click("main form button[type=submit]", step="consent-withdrawn")
    assert b.page.locator("main .badge").count() >= 1

    b.follow("registry:functioning_add", step="functioning", person_id=person_id)
    b.page.fill("#id_assessed_on", "01/02/2026")
    # The first answer of every question ("no difficulty", usually).
    b.page.evaluate(
        """() => {
            const seen = new Set();
            for (const radio of document.querySelectorAll('main input[type=radio]')) {
                if (!seen.has(radio.name)) { seen.add(radio.name); radio.checked = true; }
            }
        }"""
    )
    b.click("main form button[type=submit]", step="functioning-recorded")

    b.follow("registry:photo_edit", step="photo", person_id=person_id)
    b.page.set_input_files("#id_photo", {"name": "photo.png", "mimeType": "image/png", "buffer": PNG_1PX})
    b.click("main form button[type=submit]", step="photo-added")
    photo = b.page.locator("main img.photo")
    assert photo.count() == 1
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0"), "the photo did not load"

    b.follow("registry:household_start", step="household", person_id=person_id)
    b.page.select_option("#id_relationship", "child")
    b.click("main form button[type=submit]", step="household-started")
    household_id = household_id_of(b)
    b.follow("registry:household_edit", step="household-edit", household_id=household_id)
    b.page.fill("#id_address_detail", "ក្រុមទី ៣")
    b.click("main form button[type=submit]", step="household-edited")
    b.follow("registry:idpoor_add", step="idpoor", household_id=household_id)
    b.page.select_option("#id_status", "level_2")
    b.page.fill("#id_card_number", f"EQ-{letters}")
    b.page.select_option("#id_source", "round")
    b.click("main form button[type=submit]", step="idpoor-recorded")
    b.click(b.page.locator("main a[href*='/members/']").first, step="member")
    b.page.locator("#id_is_primary_caregiver").check()
    b.click("main form button[type=submit]", step="member-changed")
    assert b.page.locator("main ul.members strong").count() == 1


def test_merge_and_undo(browse, viewport, language):
    """A supervisor finds two records of the same child, merges them, then undoes the merge."""
    letters = run_letters(viewport, language)
    b = browse("supervisor.sabay")
    b.goto("registry:person_list", step="list")
    duplicate = register(b, family_km="សុខ", given_km="វិចិត្រា", given_latin=f"Vichetra{letters}", step="first")
    kept = register(b, family_km="សុខ", given_km="វិចិត្រា", given_latin=f"Vichetra{letters}", step="second")
    b.follow("registry:person_merge", step="merge", person_id=kept)
    b.page.fill("#merge-q", f"Vichetra{letters}")
    b.click("main form button[type=submit]", step="merge-search", state="matches")
    b.click(b.page.locator(f"main a[href='?other={duplicate}']"), step="compare", state="compare")
    b.page.fill("#id_reason", "Registered twice at the same home visit.")
    b.click("main form button[type=submit]", step="merged")
    assert person_id_of(b) == kept
    b.follow("registry:person_detail", step="merged-record", state="merged", person_id=duplicate)
    b.page.fill("#unmerge-reason", "They are twins, not one child.")
    b.click("main form.inline-form button[type=submit]", step="unmerged")
    assert b.page.locator("main .alert.warning").count() == 0


def test_import_people(browse, viewport, language, tmp_path):
    """A supervisor downloads the template, fills it in, uploads it for the dry run, imports it
    and watches the progress to the end."""
    letters = run_letters(viewport, language)
    b = browse("supervisor.sabay")
    b.goto("registry:person_list", step="list")
    b.follow("registry:person_import", step="import")
    with b.page.expect_download() as download:
        b.page.locator(f'main a[href="{reverse("registry:import_template")}"]').click()
    template = download.value
    assert template.failure() is None
    workbook = load_workbook(io.BytesIO(Path(template.path()).read_bytes()))
    sheet = workbook["people"]
    assert sheet["E2"].value == "Family name (Khmer)"
    rows = [
        [
            "1",
            "mother",
            "yes",
            "adult",
            "ចាន់",
            "សុភា",
            "Chan",
            f"Sophea{letters}",
            "",
            "F",
            "12/05/1988",
            "",
            BANAN_VILLAGE,
            "012 345 678",
            "self",
        ],
        [
            "1",
            "child",
            "",
            "child",
            "ចាន់",
            "ដារា",
            "Chan",
            f"Dara{letters}",
            "",
            "M",
            "28/02/2015",
            "",
            BANAN_VILLAGE,
        ],
    ]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=3 + offset, column=column, value=value)
    right = tmp_path / "people.xlsx"
    workbook.save(right)
    b.page.set_input_files("#id_file", str(right))
    b.click("main form[enctype] button[type=submit]", step="dry-run-clean", state="dry-run")
    b.click("main form[action$='/start/'] button[type=submit]", step="queued")
    job_id = re.search(r"/people/import/([0-9a-f-]{36})/", b.page.url).group(1)
    assert b.page.locator("#progress[hx-get]").count() == 1, "a queued import's progress does not refresh"
    b.partial("registry:import_job", step="progress", job_id=job_id)
    b.server.run_tasks()
    # The progress bar refreshes itself every second until the job has finished.
    b.page.locator("#progress .alert").wait_for(timeout=15_000)
    assert b.page.locator("#progress[hx-get]").count() == 0
    assert b.page.locator("#import-progress").get_attribute("value") == "100"
    b.goto("registry:import_job", step="finished", state="finished", job_id=job_id)
    b.follow("registry:person_list", step="list-again")


def test_export_people(browse):
    """A supervisor downloads the filtered list as CSV and as Excel."""
    b = browse("supervisor.sabay")
    b.goto("/people/?sex=F", step="list")
    with b.page.expect_download() as csv_download:
        b.page.locator("main a[href*='/people/export.csv']").click()
    assert csv_download.value.failure() is None
    text = Path(csv_download.value.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "id"
    assert len(table) > 1
    assert {row[table[0].index("sex")] for row in table[1:]} == {"F"}
    with b.page.expect_download() as xlsx_download:
        b.page.locator("main a[href*='/people/export.xlsx']").click()
    assert xlsx_download.value.failure() is None
    workbook = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert workbook.active.max_row == len(table)


@pytest.mark.languages("km")
def test_namesakes_are_told_apart_before_registering(browse, viewport, language):
    """Two children already share a name; searching before registering a third shows both, with
    their age, village and a note to compare them, in Khmer on a phone."""
    letters = run_letters(viewport, language) + "Nm"
    b = browse("caseworker.sabay")
    b.goto("registry:person_list", step="list")
    for step in ("first", "second"):
        register(b, family_km="សុខ", given_km="បុប្ផារី", given_latin=f"Bophary{letters}", step=step)
    b.follow("registry:person_list", step="list-again")
    b.follow("registry:person_create", step="search")
    b.page.fill("#id_family_name_km", "សុខ")
    b.page.fill("#id_given_name_km", "បុប្ផារី")
    b.page.fill("#id_given_name_latin", f"Bophary{letters}")
    b.click("main button[name=step][value=match]", step="namesakes", state="matches")
    cards = b.page.locator("#matches li.person-row")
    assert cards.count() >= 2
    notes = b.page.locator("#matches li.person-row .namesake")
    assert notes.count() >= 2
    assert "ភូមិ" in notes.first.inner_text()  # "compare age, village and caregiver", in Khmer
    assert "អាយុ" in cards.first.inner_text()  # the age of each namesake
