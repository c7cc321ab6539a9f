"""The six MoSVY case forms, filled from the case, as Khmer documents.

A government form is a Khmer document whatever the reader's interface language, so its fixed
wording (in the template) and the values of its option lists (here) are Khmer constants, as in
OSCaR's government forms; names and free text are printed as they were entered.
"""

from __future__ import annotations

import datetime as dt

from babel import dates as babel_dates
from django.template.loader import render_to_string
from django.utils import translation

from ponleu.common import clock
from ponleu.common.numerals import to_khmer_digits
from ponleu.geography.models import AdminUnit
from ponleu.organisations.models import Organisation
from ponleu.registry.models import HouseholdMember

from . import charts, pdf, selectors
from .choices import (
    ActionStatus,
    ApprovalKind,
    ApprovalStatus,
    AssessmentResult,
    CaseStatus,
    ClosureReason,
    Destination,
    FollowUpOutcome,
    IdentificationSource,
    InstrumentKind,
    InteractionType,
    LegalCaseStatus,
    MosvyForm,
    PlacementType,
    ServiceType,
    WorkplaceType,
)
from .models import Case

KHMER = {
    "sex": {"F": "ស្រី", "M": "ប្រុស", "X": "ផ្សេងៗ", "U": "មិនដឹង"},
    "relationship": {
        "head": "មេគ្រួសារ",
        "mother": "ម្ដាយ",
        "father": "ឪពុក",
        "grandparent": "ជីដូនជីតា",
        "sibling": "បងប្អូន",
        "child": "កូន",
        "aunt_uncle": "ពូ មីង មា អ៊ំ",
        "guardian": "អាណាព្យាបាល",
        "foster_carer": "អ្នកថែទាំបណ្ដោះអាសន្ន",
        "other": "ផ្សេងៗ",
    },
    "source": {
        IdentificationSource.VOLUNTEER: "អ្នកស្ម័គ្រចិត្តសហគមន៍",
        IdentificationSource.CCWC: "គណៈកម្មាធិការទទួលបន្ទុកកិច្ចការនារី និងកុមារឃុំ សង្កាត់",
        IdentificationSource.TEACHER: "គ្រូបង្រៀន ឬសាលារៀន",
        IdentificationSource.POLICE: "នគរបាល",
        IdentificationSource.HOTLINE: "ខ្សែទូរស័ព្ទជំនួយកុមារ",
        IdentificationSource.LABOUR_COMMITTEE: "គណៈកម្មាធិការតាមដានពលកម្មកុមារ",
        IdentificationSource.HEALTH: "បុគ្គលិកសុខាភិបាល",
        IdentificationSource.FAMILY: "គ្រួសារ ឬកុមារផ្ទាល់",
        IdentificationSource.EARLY_WARNING: "ការព្រមានជាមុនអំពីការបោះបង់ការសិក្សា",
        IdentificationSource.OTHER_ORGANISATION: "អង្គការផ្សេង",
        IdentificationSource.OTHER: "ផ្សេងៗ",
    },
    "result": {
        AssessmentResult.LOW: "ទាប",
        AssessmentResult.MEDIUM: "មធ្យម",
        AssessmentResult.HIGH: "ខ្ពស់",
        AssessmentResult.READY: "រួចរាល់សម្រាប់សមាហរណកម្ម",
        AssessmentResult.NOT_READY: "មិនទាន់រួចរាល់សម្រាប់សមាហរណកម្ម",
    },
    "placement": {
        PlacementType.EMERGENCY_SHELTER: "មណ្ឌលស្នាក់នៅបណ្ដោះអាសន្ន",
        PlacementType.KINSHIP: "ការថែទាំដោយសាច់ញាតិ",
        PlacementType.FOSTER: "ការថែទាំដោយគ្រួសារអាណាព្យាបាលបណ្ដោះអាសន្ន",
        PlacementType.RESIDENTIAL: "ការថែទាំតាមមណ្ឌល",
        PlacementType.INDEPENDENT: "ការរស់នៅដោយខ្លួនឯង",
    },
    "service": {
        ServiceType.SHELTER: "ទីជម្រក",
        ServiceType.HEALTHCARE: "ការថែទាំសុខភាព",
        ServiceType.TRAUMA_COUNSELLING: "ការប្រឹក្សាផ្លូវចិត្ត",
        ServiceType.LEGAL_AID: "ជំនួយផ្លូវច្បាប់",
        ServiceType.EDUCATION_SUPPORT: "ការគាំទ្រការសិក្សា",
        ServiceType.VOCATIONAL_TRAINING: "ការបណ្ដុះបណ្ដាលវិជ្ជាជីវៈ",
        ServiceType.FAMILY_SUPPORT: "ការគាំទ្រគ្រួសារ",
        ServiceType.CASH_SUPPORT: "ជំនួយជាសាច់ប្រាក់",
        ServiceType.MATERIAL_SUPPORT: "ជំនួយជាសម្ភារៈ",
    },
    "interaction": {
        InteractionType.HOME_VISIT: "ការចុះសួរសុខទុក្ខតាមផ្ទះ",
        InteractionType.OFFICE_VISIT: "ការជួបនៅការិយាល័យ",
        InteractionType.PHONE: "ការហៅទូរស័ព្ទ",
        InteractionType.SCHOOL_VISIT: "ការចុះសួរសុខទុក្ខនៅសាលារៀន",
        InteractionType.THIRD_PARTY: "តាមរយៈភាគីទីបី",
    },
    "closure": {
        ClosureReason.GOALS_ACHIEVED: "សម្រេចបាននូវគោលដៅនៃផែនការគ្រប់គ្រងករណី",
        ClosureReason.REINTEGRATED: "បានធ្វើសមាហរណកម្មទៅក្នុងគ្រួសារ និងមានស្ថិរភាព",
        ClosureReason.NO_CONCERN: "គ្មានបញ្ហាកិច្ចការពារកុមារនៅពេលពិនិត្យ",
        ClosureReason.TRANSFERRED: "បានផ្ទេរទៅអង្គការផ្សេង ឬរដ្ឋាភិបាល",
        ClosureReason.MOVED_AWAY: "គ្រួសារបានផ្លាស់ទីលំនៅ មិនអាចទាក់ទងបាន",
        ClosureReason.REFUSED: "កុមារ ឬគ្រួសារបដិសេធសេវា",
        ClosureReason.AGED_OUT: "មានអាយុ១៨ឆ្នាំ និងលែងត្រូវការសេវា",
        ClosureReason.DIED: "កុមារបានទទួលមរណភាព",
        ClosureReason.OTHER: "ផ្សេងៗ",
    },
    "follow_up": {
        FollowUpOutcome.DOING_WELL: "សុខសប្បាយ",
        FollowUpOutcome.NEEDS_SUPPORT: "ត្រូវការការគាំទ្រខ្លះ",
        FollowUpOutcome.AT_RISK: "ស្ថិតក្នុងហានិភ័យម្ដងទៀត",
        FollowUpOutcome.NOT_FOUND: "រកមិនឃើញ",
    },
    "action": {
        ActionStatus.OPEN: "មិនទាន់ធ្វើ",
        ActionStatus.DONE: "បានធ្វើរួច",
        ActionStatus.CANCELLED: "បានលុបចោល",
    },
    "approval": {
        ApprovalStatus.PENDING: "កំពុងរង់ចាំ",
        ApprovalStatus.APPROVED: "បានអនុម័ត",
        ApprovalStatus.RETURNED: "បានបញ្ជូនត្រឡប់",
    },
    "status": {
        CaseStatus.IDENTIFIED: "បានកំណត់អត្តសញ្ញាណ ឬបញ្ជូនមក",
        CaseStatus.INTAKE: "ការទទួល និងការពិនិត្យ",
        CaseStatus.ASSESSMENT: "ការវាយតម្លៃ",
        CaseStatus.CASE_PLAN: "ផែនការគ្រប់គ្រងករណី",
        CaseStatus.PLAN_APPROVAL: "ផែនការកំពុងរង់ចាំការអនុម័ត",
        CaseStatus.IMPLEMENTATION: "ការអនុវត្ត",
        CaseStatus.REVIEW: "ការពិនិត្យឡើងវិញ",
        CaseStatus.CLOSURE_APPROVAL: "ការបិទករណីកំពុងរង់ចាំការអនុម័ត",
        CaseStatus.FOLLOW_UP: "បានបិទ៖ ការតាមដានក្រោយសមាហរណកម្ម",
        CaseStatus.CLOSED: "បានបិទ",
    },
    "destination": {
        Destination.OTHER_PROVINCE: "ខេត្តផ្សេង",
        Destination.THAILAND: "ប្រទេសថៃ",
        Destination.OTHER_COUNTRY: "ប្រទេសផ្សេង",
    },
    "legal": {
        LegalCaseStatus.NONE: "មិនទាន់ប្ដឹង",
        LegalCaseStatus.COMPLAINT: "បានដាក់ពាក្យបណ្ដឹង",
        LegalCaseStatus.INVESTIGATION: "កំពុងស៊ើបអង្កេត",
        LegalCaseStatus.COURT: "នៅតុលាការ",
        LegalCaseStatus.JUDGMENT: "តុលាការបានសម្រេច",
        LegalCaseStatus.DROPPED: "បានបោះបង់",
    },
    "workplace": {
        WorkplaceType.AGRICULTURE: "កសិកម្ម",
        WorkplaceType.BRICK_KILN: "ឡឥដ្ឋ",
        WorkplaceType.GARBAGE_DUMP: "ទីលានចាក់សំរាម",
        WorkplaceType.DOMESTIC_WORK: "ការងារតាមផ្ទះ",
        WorkplaceType.OTHER: "ផ្សេងៗ",
    },
}

TITLES = {
    MosvyForm.INITIAL: "ទម្រង់ទី១៖ ព័ត៌មានដំបូង",
    MosvyForm.ASSESSMENT: "ទម្រង់ទី២៖ ការវាយតម្លៃដើម្បីរក្សាគ្រួសារ",
    MosvyForm.CARE_PLAN: "ទម្រង់ទី៣៖ ផែនការសេវាគ្រួសារ និងការថែទាំ",
    MosvyForm.PLACEMENT: "ទម្រង់ទី៤៖ ការដាក់ឱ្យស្នាក់នៅ និងសមាហរណកម្ម",
    MosvyForm.FOLLOW_UP: "ទម្រង់ទី៥៖ ការតាមដាន",
    MosvyForm.CLOSURE: "ទម្រង់ទី៦៖ ការបិទករណី",
}


def km(group: str, value) -> str:
    if not value:
        return ""
    return KHMER.get(group, {}).get(value, str(value))


def km_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return to_khmer_digits(babel_dates.format_date(value, format="long", locale="km_KH"))


def km_number(value) -> str:
    return "" if value is None else to_khmer_digits(str(value))


def address_km(code: str) -> str:
    """ "ភូមិ … ឃុំ … ស្រុក … ខេត្ត …" from the village code, one query."""
    if not code:
        return ""
    codes = [code[:n] for n in (8, 6, 4, 2) if len(code) >= n]
    units = {u.code: u for u in AdminUnit.objects.filter(code__in=codes)}
    return " ".join(f"{units[c].type_km}{units[c].name_km}" for c in codes if c in units)


def form_context(case: Case, number: int) -> dict:
    selectors.case_bundle(case)
    person = case.person
    members = (
        HouseholdMember.objects.filter(household__members__person=person)
        .exclude(person=person)
        .select_related("person")
        .distinct()
        .order_by("relationship")
    )
    approvals = {a.kind: a for a in reversed(case.approval_list) if a.status == ApprovalStatus.APPROVED}
    organisation = Organisation.objects.get(pk=case.organisation_id)
    assessments = case.assessment_list
    checklist = next((a for a in assessments if a.instrument.kind == InstrumentKind.CHECKLIST), None)
    readiness = next((a for a in assessments if a.instrument.kind == InstrumentKind.READINESS), None)
    csi = [a for a in assessments if a.instrument.kind == InstrumentKind.CSI]
    latest_csi = csi[0] if csi else None
    home_visits = [n for n in case.note_list if n.interaction == InteractionType.HOME_VISIT]
    return {
        "number": number,
        "title": TITLES[number],
        "case": case,
        "person": person,
        "child_km": person.display_name("km"),
        "child_latin": person.display_name("en"),
        "subtype_km": case.case_type.subtype_name(case.subtype, "km") if case.subtype else "",
        "organisation": organisation,
        "address": address_km(case.area_code),
        "members": [
            {"name": m.person.display_name("km"), "relationship": km("relationship", m.relationship)}
            for m in members
        ],
        "km": KHMER,
        "approvals": approvals,
        "plan_approval": approvals.get(ApprovalKind.CASE_PLAN),
        "closure_approval": approvals.get(ApprovalKind.CLOSURE),
        "checklist": checklist,
        "checklist_reasons": checklist.reason_labels("km") if checklist else [],
        "readiness": readiness,
        "readiness_missing": readiness.reason_labels("km") if readiness else [],
        "latest_csi": latest_csi,
        "csi_rows": [
            (item["code"], item.get("label_km") or item["label_en"], latest_csi.answers.get(item["code"]))
            for item in latest_csi.instrument.items
        ]
        if latest_csi
        else [],
        "csi_chart": charts.csi_chart(
            selectors.csi_series(case),
            labels={item["code"]: item.get("label_km", "") for item in latest_csi.instrument.items},
            title="សន្ទស្សន៍ស្ថានភាពកុមារ",
        )
        if len(csi) > 1
        else "",
        "home_visits": home_visits,
        "printed_on": clock.today(),
    }


def render_form_html(case: Case, number: int) -> str:
    with translation.override("km"):
        return render_to_string(
            "cases/mosvy_form.html",
            {**form_context(case, number), "font_css": pdf.font_face_css()},
        )


def render_form_pdf(case: Case, number: int) -> bytes:
    return pdf.render_pdf(render_form_html(case, number))
