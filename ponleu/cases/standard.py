"""The standard configuration every organisation starts from: seven case types, three instruments.

Plain data: ``services.configuration`` copies it into an organisation's own rows, which the
organisation may then rename, re-weight or switch off.
"""

from __future__ import annotations

from .choices import CSIDomain, DetailsKind, InstrumentKind, ServiceType

ALL_FORMS = [1, 2, 3, 4, 5, 6]
NO_PLACEMENT_FORMS = [1, 2, 3, 5, 6]
ALL_SERVICES = list(ServiceType.values)

DANGER_CHECKLIST = "danger_factors"
CSI = "csi"
READINESS = "reintegration_readiness"


def _subtype(code, km, en):
    return {"code": code, "name_km": km, "name_en": en}


CASE_TYPES = [
    {
        "code": "child_protection",
        "name_km": "កិច្ចការពារកុមារ (ការរំលោភបំពាន ការធ្វេសប្រហែស ការបោះបង់ចោល)",
        "name_en": "Child protection (abuse, neglect, abandonment)",
        "subtypes": [
            _subtype("abuse", "ការរំលោភបំពាន", "Abuse"),
            _subtype("neglect", "ការធ្វេសប្រហែស", "Neglect"),
            _subtype("abandonment", "ការបោះបង់ចោល", "Abandonment"),
        ],
        "is_sensitive_default": False,
        "requires_safety_plan": False,
        "details_kind": DetailsKind.NONE,
        "forms": ALL_FORMS,
        "instruments": [DANGER_CHECKLIST, CSI, READINESS],
        "service_types": ALL_SERVICES,
    },
    {
        "code": "trafficking",
        "name_km": "ការជួញដូរមនុស្ស និងចំណាកស្រុកដោយគ្មានសុវត្ថិភាព",
        "name_en": "Trafficking and unsafe migration",
        "subtypes": [
            _subtype("trafficking", "ការជួញដូរមនុស្ស", "Trafficking"),
            _subtype("unsafe_migration", "ចំណាកស្រុកដោយគ្មានសុវត្ថិភាព", "Unsafe migration"),
        ],
        "is_sensitive_default": True,
        "requires_safety_plan": False,
        "details_kind": DetailsKind.TRAFFICKING,
        "forms": ALL_FORMS,
        "instruments": [DANGER_CHECKLIST, CSI, READINESS],
        "service_types": ALL_SERVICES,
    },
    {
        "code": "child_labour",
        "name_km": "ពលកម្មកុមារ",
        "name_en": "Child labour",
        "subtypes": [
            _subtype("agriculture", "កសិកម្ម", "Agriculture"),
            _subtype("brick_kiln", "ឡឥដ្ឋ", "Brick kilns"),
            _subtype("garbage_dump", "ទីលានចាក់សំរាម", "Garbage dumps"),
            _subtype("domestic_work", "ការងារតាមផ្ទះ", "Domestic work"),
            _subtype("other", "ផ្សេងៗ", "Other"),
        ],
        "is_sensitive_default": False,
        "requires_safety_plan": False,
        "details_kind": DetailsKind.CHILD_LABOUR,
        "forms": ALL_FORMS,
        "instruments": [DANGER_CHECKLIST, CSI, READINESS],
        "service_types": [
            ServiceType.EDUCATION_SUPPORT,
            ServiceType.VOCATIONAL_TRAINING,
            ServiceType.FAMILY_SUPPORT,
            ServiceType.CASH_SUPPORT,
            ServiceType.MATERIAL_SUPPORT,
            ServiceType.HEALTHCARE,
            ServiceType.LEGAL_AID,
            ServiceType.SHELTER,
        ],
    },
    {
        "code": "sexual_exploitation",
        "name_km": "ការកេងប្រវ័ញ្ចផ្លូវភេទ",
        "name_en": "Sexual exploitation",
        "subtypes": [],
        "is_sensitive_default": True,
        "requires_safety_plan": True,
        "details_kind": DetailsKind.VIOLENCE,
        "forms": ALL_FORMS,
        "instruments": [DANGER_CHECKLIST, CSI, READINESS],
        "service_types": ALL_SERVICES,
    },
    {
        "code": "gender_based_violence",
        "name_km": "អំពើហិង្សាក្នុងគ្រួសារ និងអំពើហិង្សាលើស្ត្រី និងក្មេងស្រី",
        "name_en": "Domestic and gender-based violence against women and girls",
        "subtypes": [
            _subtype("domestic", "អំពើហិង្សាក្នុងគ្រួសារ", "Domestic violence"),
            _subtype("sexual", "អំពើហិង្សាផ្លូវភេទ", "Sexual violence"),
            _subtype("other", "ផ្សេងៗ", "Other"),
        ],
        "is_sensitive_default": True,
        "requires_safety_plan": True,
        "details_kind": DetailsKind.VIOLENCE,
        "forms": ALL_FORMS,
        "instruments": [DANGER_CHECKLIST, CSI, READINESS],
        "service_types": ALL_SERVICES,
    },
    {
        "code": "disability_inclusion",
        "name_km": "កុមារពិការ (បរិយាប័ន្ន)",
        "name_en": "Children with disabilities (inclusion)",
        "subtypes": [],
        "is_sensitive_default": False,
        "requires_safety_plan": False,
        "details_kind": DetailsKind.NONE,
        "forms": NO_PLACEMENT_FORMS,
        "instruments": [DANGER_CHECKLIST, CSI],
        "service_types": [
            ServiceType.HEALTHCARE,
            ServiceType.EDUCATION_SUPPORT,
            ServiceType.VOCATIONAL_TRAINING,
            ServiceType.FAMILY_SUPPORT,
            ServiceType.CASH_SUPPORT,
            ServiceType.MATERIAL_SUPPORT,
        ],
    },
    {
        "code": "school_dropout",
        "name_km": "ការបោះបង់ការសិក្សា",
        "name_en": "School dropout",
        "subtypes": [],
        "is_sensitive_default": False,
        "requires_safety_plan": False,
        "details_kind": DetailsKind.NONE,
        "forms": [1, 2, 3, 6],
        "instruments": [DANGER_CHECKLIST, CSI],
        "service_types": [
            ServiceType.EDUCATION_SUPPORT,
            ServiceType.FAMILY_SUPPORT,
            ServiceType.CASH_SUPPORT,
            ServiceType.MATERIAL_SUPPORT,
            ServiceType.VOCATIONAL_TRAINING,
        ],
    },
]


def _item(code, km, en, weight=1, critical=False, required=True):
    return {
        "code": code,
        "label_km": km,
        "label_en": en,
        "weight": weight,
        "critical": critical,
        "required": required,
    }


_CSI_KM = {
    "1A": "សន្តិសុខស្បៀង",
    "1B": "អាហារូបត្ថម្ភ និងការលូតលាស់",
    "2A": "ទីជម្រក",
    "2B": "ការថែទាំ",
    "3A": "ការរំលោភបំពាន និងការកេងប្រវ័ញ្ច",
    "3B": "ការការពារផ្លូវច្បាប់",
    "4A": "សុខុមាលភាព",
    "4B": "សេវាថែទាំសុខភាព",
    "5A": "សុខភាពផ្លូវចិត្ត",
    "5B": "អាកប្បកិរិយាសង្គម",
    "6A": "លទ្ធផលសិក្សា",
    "6B": "ការងារ និងការអប់រំ",
}

# English labels are kept as data (not gettext) because organisations edit them as data.
_CSI_EN = {
    "1A": "Food security",
    "1B": "Nutrition and growth",
    "2A": "Shelter",
    "2B": "Care",
    "3A": "Abuse and exploitation",
    "3B": "Legal protection",
    "4A": "Wellness",
    "4B": "Health-care services",
    "5A": "Emotional health",
    "5B": "Social behaviour",
    "6A": "Performance",
    "6B": "Work and education",
}

INSTRUMENTS = [
    {
        "code": DANGER_CHECKLIST,
        "kind": InstrumentKind.CHECKLIST,
        "name_km": "បញ្ជីកត្តាគ្រោះថ្នាក់ និងភាពងាយរងគ្រោះ",
        "name_en": "Vulnerability and danger factors",
        "items": [
            _item("immediate_danger", "កុមារកំពុងស្ថិតក្នុងគ្រោះថ្នាក់ភ្លាមៗ", "Child in immediate danger", 5, True),
            _item("previous_exploitation", "ធ្លាប់ត្រូវបានកេងប្រវ័ញ្ច", "Previously exploited", 3),
            _item(
                "caregiver_problems",
                "អ្នកថែទាំមានបញ្ហាស្រា ឬសុខភាពផ្លូវចិត្ត",
                "Caregiver with alcohol or mental-health problems",
                3,
            ),
            _item("orphan_abandoned", "កុមារកំព្រា ឬត្រូវបានបោះបង់ចោល", "Orphan or abandoned", 3),
            _item("violence_at_home", "មានអំពើហិង្សាក្នុងគ្រួសារ", "Violence at home", 3),
            _item(
                "unrelated_carer",
                "ត្រូវបានថែទាំដោយមនុស្សពេញវ័យដែលមិនមែនជាសាច់ញាតិ",
                "Cared for by an unrelated adult",
                2,
            ),
            _item("parents_migrated", "ឪពុកម្ដាយចំណាកស្រុក", "Parents migrated", 2),
            _item("child_working", "កុមារកំពុងធ្វើការ", "Child working", 2),
            _item("out_of_school", "កុមារមិនបានទៅសាលារៀន", "Out of school", 2),
            _item("extreme_poverty", "ភាពក្រីក្របំផុត", "Extreme poverty", 2),
        ],
        "thresholds": {"medium": 4, "high": 8},
        "reassess_after_days": 180,
    },
    {
        "code": CSI,
        "kind": InstrumentKind.CSI,
        "name_km": "សន្ទស្សន៍ស្ថានភាពកុមារ (CSI)",
        "name_en": "Child Status Index (CSI)",
        "items": [_item(code, _CSI_KM[code], _CSI_EN[code]) for code in CSIDomain.values],
        "thresholds": {},
        "reassess_after_days": 90,
    },
    {
        "code": READINESS,
        "kind": InstrumentKind.READINESS,
        "name_km": "ការត្រៀមខ្លួនសម្រាប់សមាហរណកម្ម",
        "name_en": "Reintegration readiness",
        "items": [
            _item("child_willing", "កុមារចង់ត្រឡប់ទៅគ្រួសារវិញ", "The child wants to return"),
            _item("family_willing", "គ្រួសារមានឆន្ទៈទទួលកុមារវិញ", "The family is willing to receive the child"),
            _item("home_safe", "ផ្ទះមានសុវត្ថិភាព គ្មានអ្នកបង្កគ្រោះថ្នាក់", "The home is safe; no abuser there"),
            _item("caregiver_capable", "អ្នកថែទាំអាចថែទាំកុមារបាន", "The caregiver can care for the child"),
            _item("school_arranged", "បានរៀបចំការសិក្សា ឬវិជ្ជាជីវៈ", "School or training arranged"),
            _item(
                "community_support",
                "គណៈកម្មាធិការទទួលបន្ទុកកិច្ចការនារី និងកុមារឃុំ ដឹង និងគាំទ្រ",
                "The commune committee knows and supports",
                required=False,
            ),
        ],
        "thresholds": {},
        "reassess_after_days": None,
    },
]
