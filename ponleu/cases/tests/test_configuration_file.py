"""Case configuration as data: the standard file, the one loader, an organisation's own file."""

from __future__ import annotations

import importlib
import io

import pytest
import yaml
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from ponleu.audit.models import AuditEvent
from ponleu.cases import standard
from ponleu.cases.choices import ServiceType
from ponleu.cases.models import AssessmentInstrument, CaseType
from ponleu.cases.services.configuration import configuration_seed

ORGANISATION_FILE = """
instruments:
  - code: home_visit
    kind: checklist
    name: {km: "បញ្ជីការចុះសួរសុខទុក្ខ", fr: "Visite à domicile", en: "Home visit"}
    thresholds: {medium: 2, high: 4}
    items:
      - code: no_food
        label: {km: "គ្មានអាហារ", fr: "Pas de nourriture", en: "No food at home"}
        weight: 3
case_types:
  - code: street_children
    name: {km: "កុមាររស់នៅតាមចិញ្ចើមផ្លូវ", fr: "Enfants des rues", en: "Street children"}
    subtypes:
      - code: night
        name: {km: "ដេកតាមផ្លូវពេលយប់", fr: "Dort dehors la nuit", en: "Sleeps outside at night"}
    forms: [1, 2]
    instruments: [home_visit]
    service_types: [shelter, healthcare]
"""


def _labels(node, path="file"):
    """Every label mapping (``name`` or ``label``) in the raw YAML, with where it is."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("name", "label"):
                yield f"{path}.{key}", value
            else:
                yield from _labels(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _labels(value, f"{path}[{index}]")


def test_every_label_of_the_standard_file_is_written_in_khmer_french_and_english():
    raw = yaml.safe_load(standard.STANDARD_FILE.read_text(encoding="utf-8"))
    labels = list(_labels(raw))
    # 7 case types, 13 kinds, 3 instruments, 10 + 12 + 6 items.
    assert len(labels) == 51
    for where, label in labels:
        assert isinstance(label, dict), where
        assert set(label) == {"km", "fr", "en"}, where
        for language, text in label.items():
            assert str(text).strip(), f"{where}.{language} is empty"
        assert any("\u1780" <= ch <= "\u17ff" for ch in label["km"]), f"{where}.km is not Khmer"
        assert label["fr"] != label["en"] or label["en"] in ("Agriculture",), f"{where}.fr is the English"


def test_the_standard_set_loads_as_seven_types_and_three_instruments():
    types = standard.standard_case_types()
    instruments = standard.standard_instruments()
    assert [t["code"] for t in types] == [
        "child_protection",
        "trafficking",
        "child_labour",
        "sexual_exploitation",
        "gender_based_violence",
        "disability_inclusion",
        "school_dropout",
    ]
    assert [i["code"] for i in instruments] == [standard.DANGER_CHECKLIST, standard.CSI, standard.READINESS]
    trafficking = types[1]
    assert trafficking["service_types"] == list(ServiceType.values)
    assert trafficking["name_fr"] == "Traite des personnes et migration à risque"
    danger = instruments[0]
    assert danger["items"][0] == {
        "code": "immediate_danger",
        "label_km": "កុមារកំពុងស្ថិតក្នុងគ្រោះថ្នាក់ភ្លាមៗ",
        "label_fr": "Enfant en danger immédiat",
        "label_en": "Child in immediate danger",
        "weight": 5,
        "critical": True,
        "required": True,
    }
    # Callers get copies: changing one does not change the next caller's.
    types[0]["subtypes"].clear()
    assert standard.standard_case_types()[0]["subtypes"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('fr: "Enfants des rues", ', ""), "case_types[1] (street_children): name needs"),
        (lambda t: t.replace("[shelter, healthcare]", "[shelter, massage]"), "unknown value massage"),
        (lambda t: t.replace("instruments: [home_visit]", "instruments: [csi]"), "unknown value csi"),
        (lambda t: t.replace("code: no_food", "code: no food"), "instruments[1] (home_visit) items[1]"),
        (lambda t: t.replace("forms: [1, 2]", "forms: [1, 9]"), "forms: unknown value 9"),
        (lambda t: t.replace("weight: 3", "weight: -1"), "weight must be a whole number"),
        (lambda t: t + t[t.index("  - code: street") :], "the code street_children appears twice"),
        (lambda t: t.replace("kind: checklist", "kind: survey"), "kind: unknown value survey"),
        (lambda t: t.replace("    forms: [1, 2]", "  forms: [1, 2"), "line"),
    ],
)
def test_a_configuration_file_with_a_fault_is_refused_naming_the_entry(change, message):
    with translation.override("en"), pytest.raises(standard.ConfigurationFileError) as caught:
        standard.parse(change(ORGANISATION_FILE))
    assert message in str(caught.value)


def test_the_refusal_is_in_the_readers_language():
    broken = ORGANISATION_FILE.replace("[shelter, healthcare]", "[shelter, massage]")
    with translation.override("km"), pytest.raises(standard.ConfigurationFileError) as caught:
        standard.parse(broken)
    assert "តម្លៃមិនស្គាល់ massage" in str(caught.value)


@pytest.mark.django_db
def test_an_organisations_own_file_takes_the_same_path_as_the_standard_set(world, tmp_path):
    path = tmp_path / "ours.yaml"
    path.write_text(ORGANISATION_FILE, encoding="utf-8")
    admin = world.actor("org_admin")
    assert configuration_seed(actor=admin, organisation=world.org, source=path) == 2
    case_type = CaseType.objects.get(organisation=world.org, code="street_children")
    assert (case_type.forms, case_type.instruments, case_type.service_types) == (
        [1, 2],
        ["home_visit"],
        ["shelter", "healthcare"],
    )
    instrument = AssessmentInstrument.objects.get(organisation=world.org, code="home_visit")
    assert instrument.thresholds == {"medium": 2, "high": 4}
    assert instrument.reassess_after_days is None
    shown = {
        lang: (case_type.display_name(lang), case_type.subtype_name("night", lang))
        for lang in ("km", "fr", "en")
    }
    assert shown == {
        "km": ("កុមាររស់នៅតាមចិញ្ចើមផ្លូវ", "ដេកតាមផ្លូវពេលយប់"),
        "fr": ("Enfants des rues", "Dort dehors la nuit"),
        "en": ("Street children", "Sleeps outside at night"),
    }
    assert instrument.item_label("no_food", "fr") == "Pas de nourriture"
    assert AuditEvent.objects.filter(action="cases.configuration.seeded").count() == 1
    # The standard set then adds what the organisation lacks, through the same loader.
    assert configuration_seed(actor=admin, organisation=world.org) == 10
    assert CaseType.objects.get(organisation=world.org, code="school_dropout").name_fr == (
        "Décrochage scolaire"
    )
    # A later file may name the instruments the organisation now has.
    path.write_text(
        ORGANISATION_FILE.replace("code: home_visit", "code: school_visit")
        .replace("code: street_children", "code: street_youth")
        .replace("instruments: [home_visit]", f"instruments: [school_visit, {standard.CSI}]"),
        encoding="utf-8",
    )
    assert configuration_seed(actor=admin, organisation=world.org, source=path) == 2
    assert CaseType.objects.get(organisation=world.org, code="street_youth").instruments == [
        "school_visit",
        "csi",
    ]


@pytest.mark.django_db
def test_a_faulty_file_seeds_nothing(world, tmp_path):
    path = tmp_path / "ours.yaml"
    path.write_text(ORGANISATION_FILE.replace('en: "No food at home"', 'en: ""'), encoding="utf-8")
    with pytest.raises(standard.ConfigurationFileError):
        configuration_seed(actor=world.actor("org_admin"), organisation=world.org, source=path)
    assert not CaseType.objects.filter(organisation=world.org).exists()
    assert not AssessmentInstrument.objects.filter(organisation=world.org).exists()


@pytest.mark.django_db
def test_rows_seeded_before_french_get_the_standard_french_unless_renamed(world):
    configuration_seed(actor=world.actor("org_admin"), organisation=world.org)
    CaseType.objects.filter(organisation=world.org).update(name_fr="")
    renamed = CaseType.objects.get(organisation=world.org, code="child_labour")
    renamed.name_en = "Working children"
    renamed.save()
    danger = AssessmentInstrument.objects.get(organisation=world.org, code=standard.DANGER_CHECKLIST)
    danger.name_fr = ""
    danger.items = [{k: v for k, v in item.items() if k != "label_fr"} for item in danger.items]
    danger.save()
    migration = importlib.import_module("ponleu.cases.migrations.0003_french_names")
    migration.add_french(django_apps, None)
    assert CaseType.objects.get(organisation=world.org, code="trafficking").name_fr == (
        "Traite des personnes et migration à risque"
    )
    assert CaseType.objects.get(organisation=world.org, code="child_labour").name_fr == ""
    danger.refresh_from_db()
    assert danger.name_fr == "Facteurs de danger et de vulnérabilité"
    assert danger.item_label("immediate_danger", "fr") == "Enfant en danger immédiat"


@pytest.mark.django_db
def test_the_command_loads_an_organisations_file_and_refuses_a_faulty_one(world, tmp_path):
    path = tmp_path / "ours.yaml"
    path.write_text(
        ORGANISATION_FILE.replace("[shelter, healthcare]", "[shelter, massage]"), encoding="utf-8"
    )
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"case_types\[1\] \(street_children\)"),
    ):
        call_command("cases", "configure", str(path), organisation=world.org.short_name)
    assert not CaseType.objects.filter(organisation=world.org).exists()
    path.write_text(ORGANISATION_FILE, encoding="utf-8")
    out = io.StringIO()
    call_command("cases", "configure", str(path), organisation=world.org.short_name, stdout=out)
    assert "2 case type(s) and instrument(s) added" in out.getvalue()
    assert set(CaseType.objects.filter(organisation=world.org).values_list("code", flat=True)) == {
        "street_children"
    }


@pytest.mark.django_db
def test_the_administrator_names_a_type_in_french_on_its_page(world, login_as):
    configuration_seed(actor=world.actor("org_admin"), organisation=world.org)
    labour = CaseType.objects.get(organisation=world.org, code="child_labour")
    admin = login_as(world.user("org_admin"))
    url = reverse("cases:case_type_edit", kwargs={"case_type_id": labour.pk})
    assert "Travail des enfants" in admin.get(url).content.decode()
    response = admin.post(
        url,
        {
            "name_km": labour.name_km,
            "name_en": labour.name_en,
            "name_fr": "Enfants au travail",
            "is_active": "on",
            "mosvy_forms": ["1"],
            "instruments": [standard.CSI],
            "service_types": ["education_support"],
        },
    )
    assert response.status_code == 302
    labour.refresh_from_db()
    assert labour.display_name("fr") == "Enfants au travail"
    saved = AuditEvent.objects.get(action="cases.case_type.saved", target_id=str(labour.pk))
    assert saved.changes["name_fr"] == ["Travail des enfants", "Enfants au travail"]
