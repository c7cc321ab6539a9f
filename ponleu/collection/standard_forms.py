"""Ponleu's standard field forms, defined here and written out as XLSForms.

Each form is the three sheets of an XLSForm (survey, choices, settings) with every label in
Khmer, English and French. ``xlsx(name)`` writes the workbook an organisation uploads (or
downloads to adapt); the forms page installs them through the same upload service as any
other XLSForm, so they pass the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from ponleu.common.spreadsheet_writer import new_workbook, row, xlsx_bytes
from ponleu.registry.choices import DataCategory

LANGUAGES = ("Khmer (km)", "English (en)", "French (fr)")
VERSION = "2026120702"

# The standard forms' questions that identify a person, with the category of data a file
# carrying the answer needs consent for (file questions, photos, need ``PHOTO``).
IDENTIFYING = {
    "head_name": DataCategory.BASIC,
    "head_birth_date": DataCategory.BASIC,
    "member_name": DataCategory.BASIC,
    "member_birth_date": DataCategory.BASIC,
    "child_name": DataCategory.BASIC,
    "birth_date": DataCategory.BASIC,
    "phone": DataCategory.CONTACT,
}


def q(kind: str, name: str, km: str, en: str, fr: str, **columns: str) -> dict:
    return {"type": kind, "name": name, "label": (km, en, fr), **columns}


def choice(list_name: str, name: str, km: str, en: str, fr: str) -> dict:
    return {"list_name": list_name, "name": name, "label": (km, en, fr)}


@dataclass(frozen=True)
class StandardForm:
    form_id: str
    title: tuple[str, str, str]
    survey: tuple[dict, ...]
    choices: tuple[dict, ...] = ()
    binding: str = ""


SEX = (
    choice("sex", "female", "ស្រី", "Female", "Féminin"),
    choice("sex", "male", "ប្រុស", "Male", "Masculin"),
)
YES_NO = (
    choice("yes_no", "yes", "បាទ/ចាស", "Yes", "Oui"),
    choice("yes_no", "no", "ទេ", "No", "Non"),
)
LEVELS = (
    choice("level", "1", "ធ្ងន់ធ្ងរ", "Severe", "Grave"),
    choice("level", "2", "ខ្សោយ", "Weak", "Faible"),
    choice("level", "3", "ល្មម", "Adequate", "Correct"),
    choice("level", "4", "ល្អ", "Good", "Bon"),
)
META = (
    {"type": "start", "name": "start"},
    {"type": "end", "name": "end"},
)

FORMS: dict[str, StandardForm] = {
    "household_registration": StandardForm(
        form_id="ponleu_household_registration",
        title=("ការចុះឈ្មោះគ្រួសារ", "Household registration", "Enregistrement du ménage"),
        binding="household_registration",
        survey=(
            *META,
            q(
                "text",
                "village_code",
                "លេខកូដភូមិ",
                "Village code",
                "Code du village",
                required="yes",
                constraint="regex(., '^[0-9]{8}$')",
            ),
            q(
                "text",
                "head_name",
                "ឈ្មោះមេគ្រួសារ",
                "Head of household's name",
                "Nom du chef de ménage",
                required="yes",
            ),
            q("select_one sex", "head_sex", "ភេទមេគ្រួសារ", "Sex of the head", "Sexe du chef", required="yes"),
            q(
                "date",
                "head_birth_date",
                "ថ្ងៃខែឆ្នាំកំណើតមេគ្រួសារ",
                "Head's date of birth",
                "Date de naissance du chef",
            ),
            q("text", "phone", "លេខទូរស័ព្ទ", "Phone number", "Numéro de téléphone"),
            q("begin_repeat", "members", "សមាជិកគ្រួសារ", "Household members", "Membres du ménage"),
            q("text", "member_name", "ឈ្មោះ", "Name", "Nom", required="yes"),
            q("select_one sex", "member_sex", "ភេទ", "Sex", "Sexe", required="yes"),
            q("date", "member_birth_date", "ថ្ងៃខែឆ្នាំកំណើត", "Date of birth", "Date de naissance"),
            {"type": "end_repeat", "name": "members"},
        ),
        choices=SEX,
    ),
    "child_registration": StandardForm(
        form_id="ponleu_child_registration",
        title=("ការចុះឈ្មោះកុមារ", "Child registration", "Enregistrement de l'enfant"),
        binding="child_registration",
        survey=(
            *META,
            q(
                "text",
                "village_code",
                "លេខកូដភូមិ",
                "Village code",
                "Code du village",
                required="yes",
                constraint="regex(., '^[0-9]{8}$')",
            ),
            q("text", "child_name", "ឈ្មោះកុមារ", "Child's name", "Nom de l'enfant", required="yes"),
            q("select_one sex", "child_sex", "ភេទ", "Sex", "Sexe", required="yes"),
            q("date", "birth_date", "ថ្ងៃខែឆ្នាំកំណើត", "Date of birth", "Date de naissance", required="yes"),
            q("text", "caregiver_name", "ឈ្មោះអ្នកថែទាំ", "Caregiver's name", "Nom de la personne qui s'occupe"),
            q("select_one yes_no", "in_school", "កំពុងរៀន", "Goes to school", "Va à l'école"),
            q("image", "photo", "រូបថត", "Photo", "Photo"),
        ),
        choices=(*SEX, *YES_NO),
    ),
    "home_visit": StandardForm(
        form_id="ponleu_home_visit",
        title=("ការចុះសួរសុខទុក្ខតាមផ្ទះ", "Home visit", "Visite à domicile"),
        binding="home_visit",
        survey=(
            *META,
            q("text", "case_reference", "លេខករណី", "Case reference", "Référence du dossier", required="yes"),
            q(
                "date",
                "visit_date",
                "កាលបរិច្ឆេទចុះសួរ",
                "Date of the visit",
                "Date de la visite",
                required="yes",
            ),
            q("select_one yes_no", "child_seen", "បានជួបកុមារ", "Child seen", "Enfant vu", required="yes"),
            q("text", "concerns", "កង្វល់", "Concerns", "Préoccupations"),
            q("text", "notes", "កំណត់ត្រា", "Notes", "Notes"),
        ),
        choices=YES_NO,
    ),
    "needs_assessment": StandardForm(
        form_id="ponleu_needs_assessment",
        title=("ការវាយតម្លៃតម្រូវការគ្រួសារ", "Household needs assessment", "Évaluation des besoins du ménage"),
        survey=(
            *META,
            q(
                "text",
                "household_reference",
                "លេខគ្រួសារ",
                "Household reference",
                "Référence du ménage",
                required="yes",
            ),
            q("select_one level", "health", "សុខភាព", "Health", "Santé", required="yes"),
            q(
                "select_one level",
                "civil_documents",
                "ឯកសារអត្រានុកូលដ្ឋាន",
                "Civil documents",
                "Documents d'état civil",
                required="yes",
            ),
            q("select_one level", "schooling", "ការសិក្សា", "Schooling", "Scolarité", required="yes"),
            q("select_one level", "income", "ប្រាក់ចំណូល", "Income", "Revenus", required="yes"),
            q("select_one level", "housing", "លំនៅដ្ឋាន", "Housing", "Logement", required="yes"),
            q("select_one level", "safety", "សុវត្ថិភាព", "Safety", "Sécurité", required="yes"),
        ),
        choices=LEVELS,
    ),
    "activity_attendance": StandardForm(
        form_id="ponleu_activity_attendance",
        title=("វត្តមានសកម្មភាព", "Activity attendance", "Présence aux activités"),
        survey=(
            *META,
            q("text", "activity", "សកម្មភាព", "Activity", "Activité", required="yes"),
            q("date", "session_date", "កាលបរិច្ឆេទ", "Date", "Date", required="yes"),
            q("begin_repeat", "participants", "អ្នកចូលរួម", "Participants", "Participants"),
            q("text", "participant_name", "ឈ្មោះ", "Name", "Nom", required="yes"),
            q("select_one yes_no", "present", "មានវត្តមាន", "Present", "Présent", required="yes"),
            {"type": "end_repeat", "name": "participants"},
        ),
        choices=YES_NO,
    ),
}


def _labels(prefix: str) -> list[str]:
    return [f"{prefix}::{language}" for language in LANGUAGES]


def xlsx(key: str) -> bytes:
    """The standard form ``key`` as an XLSForm workbook."""
    return workbook(FORMS[key])


def workbook(form: StandardForm, *, version: str = VERSION) -> bytes:
    book = new_workbook()
    survey = book.active
    survey.title = "survey"
    extra = sorted({k for item in form.survey for k in item if k not in ("type", "name", "label")})
    survey.append(row(["type", "name", *_labels("label"), *extra]))
    for item in form.survey:
        labels = list(item.get("label", ("", "", "")))
        survey.append(row([item["type"], item["name"], *labels, *(item.get(k, "") for k in extra)]))
    choices = book.create_sheet("choices")
    choices.append(row(["list_name", "name", *_labels("label")]))
    for item in form.choices:
        choices.append(row([item["list_name"], item["name"], *item["label"]]))
    settings = book.create_sheet("settings")
    # The XForm title has no translations: ODK Collect lists the form under its Khmer title.
    settings.append(row(["form_id", "version", "form_title", "default_language"]))
    settings.append(row([form.form_id, version, form.title[0], LANGUAGES[0]]))
    return xlsx_bytes(book)
