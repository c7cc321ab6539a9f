"""The demo's service directory: who offers what in the demo districts, deterministic by seed.

Public facilities carry synthetic names made from the gazetteer ("Kantueu Muoy health
centre"); the NGO programmes are the demo organisations' own, so no real organisation owns
any of it. Every commune of the teams' districts has a health centre, a commune committee
for women and children and a primary school; every district a referral hospital, an office
of social affairs and a police post; every province a court, a legal aid desk, a shelter, a
vocational centre and a rehabilitation centre; and each demo organisation runs a programme
that takes referrals from the others. Written through the directory's service, so each
provider has its history from the first day.
"""

from __future__ import annotations

import datetime as dt
import random

from ponleu.access.actors import actor_for_membership, system_actor
from ponleu.common import clock
from ponleu.geography.models import AdminUnit
from ponleu.organisations.choices import Role
from ponleu.referrals.choices import Accessibility, Cost, ProviderKind, ServiceType
from ponleu.referrals.models import Provider
from ponleu.referrals.services import provider_report, provider_save

S, C = ServiceType, Cost

# Per commune: (kind, Khmer prefix ({type}: the unit's kind in Khmer), English suffix, services, hours).
COMMUNE_PROVIDERS = (
    (
        ProviderKind.HEALTH_CENTRE,
        "មណ្ឌលសុខភាព",
        "health centre",
        ((S.PRIMARY_HEALTH, C.FREE), (S.NUTRITION, C.FREE)),
        "ច័ន្ទ–សៅរ៍ ៧:០០–១៧:០០ · Mon–Sat 7:00–17:00",
    ),
    (
        ProviderKind.CCWC,
        "គណៈកម្មាធិការទទួលបន្ទុកកិច្ចការនារី និងកុមារ{type}",
        "commune committee for women and children",
        ((S.DOCUMENTS, C.FREE), (S.SOCIAL_ASSISTANCE, C.FREE)),
        "ច័ន្ទ–សុក្រ ៧:៣០–១៦:៣០ · Mon–Fri 7:30–16:30",
    ),
    (
        ProviderKind.SCHOOL,
        "សាលាបឋមសិក្សា",
        "primary school",
        ((S.SCHOOL_ENROLMENT, C.FREE),),
        "ច័ន្ទ–សៅរ៍ ៧:០០–១១:០០, ១៣:០០–១៧:០០ · Mon–Sat 7:00–11:00, 13:00–17:00",
    ),
)
# Per district.
DISTRICT_PROVIDERS = (
    (
        ProviderKind.REFERRAL_HOSPITAL,
        "មន្ទីរពេទ្យបង្អែក{type}",
        "referral hospital",
        ((S.HOSPITAL_CARE, C.LOW), (S.COUNSELLING, C.LOW), (S.NUTRITION, C.FREE)),
        "២៤ ម៉ោង · 24 hours",
    ),
    (
        ProviderKind.DOSVY,
        "ការិយាល័យសង្គមកិច្ច អតីតយុទ្ធជន និងយុវនីតិសម្បទា{type}",
        "district office of social affairs",
        ((S.SOCIAL_ASSISTANCE, C.FREE), (S.FAMILY_TRACING, C.FREE), (S.DOCUMENTS, C.FREE)),
        "ច័ន្ទ–សុក្រ ៧:៣០–១៦:៣០ · Mon–Fri 7:30–16:30",
    ),
    (
        ProviderKind.POLICE,
        "អធិការដ្ឋាននគរបាល{type}",
        "district police (women and juvenile desk)",
        ((S.POLICE_REPORT, C.FREE),),
        "២៤ ម៉ោង · 24 hours",
    ),
)
# Per province.
PROVINCE_PROVIDERS = (
    (
        ProviderKind.COURT,
        "សាលាដំបូង{type}",
        "provincial court (child-friendly room)",
        ((S.LEGAL_AID, C.FREE),),
        "ច័ន្ទ–សុក្រ ៨:០០–១៧:០០ · Mon–Fri 8:00–17:00",
    ),
    (
        ProviderKind.LEGAL_AID,
        "តុជំនួយផ្លូវច្បាប់{type}",
        "legal aid desk (demo)",
        ((S.LEGAL_AID, C.FREE),),
        "ច័ន្ទ–សុក្រ ៨:០០–១៧:០០ · Mon–Fri 8:00–17:00",
    ),
    (
        ProviderKind.SHELTER,
        "ផ្ទះសុវត្ថិភាព{type}",
        "safe house (demo)",
        ((S.SHELTER, C.FREE), (S.COUNSELLING, C.FREE)),
        "២៤ ម៉ោង · 24 hours",
    ),
    (
        ProviderKind.VOCATIONAL,
        "មជ្ឈមណ្ឌលបណ្ដុះបណ្ដាលវិជ្ជាជីវៈ{type}",
        "provincial vocational training centre",
        ((S.VOCATIONAL, C.LOW),),
        "ច័ន្ទ–សៅរ៍ ៧:៣០–១៧:០០ · Mon–Sat 7:30–17:00",
    ),
    (
        ProviderKind.OTHER,
        "មជ្ឈមណ្ឌលស្តារនីតិសម្បទាកាយ{type}",
        "physical rehabilitation centre (demo)",
        ((S.DISABILITY, C.FREE), (S.HOSPITAL_CARE, C.LOW)),
        "ច័ន្ទ–សុក្រ ៧:០០–១៧:០០ · Mon–Fri 7:00–17:00",
    ),
)
# The demo organisations' own programmes, and the provinces each takes referrals from
# (its own and a neighbour's): (short name, Khmer, English, services, provinces).
PROGRAMMES = (
    (
        "sabay",
        "កម្មវិធីប្រឹក្សា និងមជ្ឈមណ្ឌលស្នាក់នៅបណ្ដោះអាសន្នសប្បាយ",
        "Sabay Children counselling and drop-in centre",
        ((S.COUNSELLING, C.FREE), (S.SCHOOL_ENROLMENT, C.FREE)),
        ("02", "17"),
    ),
    (
        "chetana",
        "កម្មវិធីគាំទ្រគ្រួសារ និងការបង្រួបបង្រួមចេតនា",
        "Chetana family support and reunification",
        ((S.FAMILY_TRACING, C.FREE), (S.SOCIAL_ASSISTANCE, C.FREE), (S.SHELTER, C.FREE)),
        ("12", "05", "02"),
    ),
    (
        "angkor-light",
        "ថ្នាក់រៀនបំប៉ន និងវិជ្ជាជីវៈពន្លឺអង្គរ",
        "Angkor Light catch-up classes and vocational training",
        ((S.SCHOOL_ENROLMENT, C.FREE), (S.VOCATIONAL, C.FREE)),
        ("17", "12"),
    ),
)
LANGUAGES = (["km"], ["km"], ["km", "en"], ["km", "th"])


def _phone(rng: random.Random) -> str:
    prefix = rng.choice(["012", "015", "016", "017", "077", "078", "085", "092", "097"])
    return f"{prefix} {rng.randint(100, 999)} {rng.randint(100, 999)}"


def _data(rng, kind, name_km, name_en, services, hours, *, location, areas, organisation=None) -> dict:
    return {
        "kind": kind,
        "name_km": name_km,
        "name_en": name_en,
        "organisation": organisation,
        "location": location.code,
        "address": f"{location.name_latin or location.name_km}",
        "phone": _phone(rng),
        "hours": hours,
        "languages": rng.choice(LANGUAGES),
        "accessibility": sorted(rng.sample(Accessibility.values, rng.randint(0, 2))),
        "services": [{"service": s, "cost": c} for s, c in services],
        "areas": list(areas),
    }


def _km(prefix: str, unit: AdminUnit) -> str:
    """A Khmer name from a prefix and the unit ("{type}" is the unit's kind: ស្រុក or ខណ្ឌ)."""
    return prefix.format(type=unit.type_km) + unit.name_km


def _latin(unit: AdminUnit) -> str:
    return unit.name_latin or unit.code


def populate(*, organisations: dict, districts: list[str], seed: int) -> list[Provider]:
    """The directory for ``districts`` (NCDD codes) and their provinces; ``organisations`` maps
    a demo organisation's short name to itself, for the programmes they run."""
    rng = random.Random(f"{seed}:directory")
    actor = system_actor(name="demo")
    made = []

    def save(*args, **kwargs):
        made.append(provider_save(actor=actor, data=_data(rng, *args, **kwargs)))

    provinces = sorted({code[:2] for code in districts})
    for district in AdminUnit.objects.filter(code__in=districts).order_by("code"):
        communes = list(AdminUnit.objects.within(district.code).filter(level="commune").order_by("code"))
        for commune in communes:
            for kind, km, en, services, hours in COMMUNE_PROVIDERS:
                save(
                    kind,
                    _km(km, commune),
                    f"{_latin(commune)} {en}",
                    services,
                    hours,
                    location=commune,
                    areas=[commune.code],
                )
        for kind, km, en, services, hours in DISTRICT_PROVIDERS:
            save(
                kind,
                _km(km, district),
                f"{_latin(district)} {en}",
                services,
                hours,
                location=communes[0] if communes else district,
                areas=[district.code],
            )
    for province in AdminUnit.objects.filter(code__in=provinces).order_by("code"):
        for kind, km, en, services, hours in PROVINCE_PROVIDERS:
            save(
                kind,
                _km(km, province),
                f"{_latin(province)} {en}",
                services,
                hours,
                location=province,
                areas=[province.code],
            )
    wanted = {code for *_rest, served in PROGRAMMES for code in served}
    present = set(AdminUnit.objects.filter(code__in=wanted).values_list("code", flat=True))
    for short_name, km, en, services, served in PROGRAMMES:
        organisation = organisations.get(short_name)
        areas = [code for code in served if code in present]
        if organisation is None or not areas:
            continue
        home = AdminUnit.objects.get(code=areas[0])
        save(
            ProviderKind.NGO_PROGRAMME,
            km,
            f"{en} (demo)",
            services,
            "ច័ន្ទ–សុក្រ ៨:០០–១៧:០០ · Mon–Fri 8:00–17:00",
            location=home,
            areas=areas,
            organisation=str(organisation.pk),
        )
    _revise(actor, made)
    return made


def _revise(actor, made: list[Provider]) -> None:
    """A change after the first entry, so the directory's history shows one: the first health
    centre opens on Sunday mornings too."""
    centre = next((p for p in made if p.kind == ProviderKind.HEALTH_CENTRE), None)
    if centre is None:
        return
    data = {
        "kind": centre.kind,
        "name_km": centre.name_km,
        "name_en": centre.name_en,
        "location": centre.location_id,
        "address": centre.address,
        "phone": centre.phone,
        "hours": centre.hours + " · អាទិត្យ ៧:០០–១១:០០ · Sun 7:00–11:00",
        "languages": centre.languages,
        "accessibility": centre.accessibility,
        "services": [{"service": s, "cost": c} for s, c in centre.services.values_list("service", "cost")],
        "areas": list(centre.areas.values_list("unit_id", flat=True)),
    }
    provider_save(actor=actor, provider=centre, data=data, version=centre.version)


WRONG_PHONE = "លេខទូរស័ព្ទនេះលែងប្រើហើយ។ The phone number no longer answers; the centre gave a new one at the village meeting."


def reports(*, members_by_org: dict) -> list[Provider]:
    """A caseworker of each organisation said a week ago that a health centre's entry in their
    district is wrong, so the administrators have a directory entry to check on "Today"."""
    reported = []
    for _short_name, members in sorted(members_by_org.items()):
        member = members[Role.CASEWORKER][0]
        codes = sorted(member.areas.values_list("code", flat=True))
        if not codes:
            continue
        provider = (
            Provider.objects.filter(kind=ProviderKind.HEALTH_CENTRE, location__code__startswith=codes[0])
            .order_by("-location_id", "name_km")
            .first()
        )
        if provider is None:
            continue
        with clock.frozen(clock.now() - dt.timedelta(days=6)):
            actor = actor_for_membership(member, is_verified=True)
            reported.append(provider_report(actor=actor, provider=provider, note=WRONG_PHONE))
    return reported
