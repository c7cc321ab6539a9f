"""Reading people: lists, one record, search and the possible-duplicate check.

Every function starts from ``Person.objects.visible_to(actor)`` and writes one access event
naming the people it returns, in the same transaction that reads them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch, Q

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.pagination import MAX_PAGE_SIZE, PAGE_SIZE, Page, paginate
from ponleu.geography.models import code_range
from ponleu.jobs import selectors as job_selectors
from ponleu.jobs.models import Job
from ponleu.registry.choices import AgeBand, IDPoorStatus, PersonAction, PersonKind, Sex
from ponleu.registry.models import (
    Consent,
    FunctioningAssessment,
    HouseholdMember,
    Identifier,
    Person,
    PersonAlias,
    PersonPhone,
)

TARGET = "registry.person"
MAX_PAGE = 400  # capped pagination: narrow the filters rather than page past 10,000 rows
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class PersonFilters:
    area: str = ""
    age_band: str = ""
    sex: str = ""
    disability: str = ""  # "yes", "no", "unknown"
    idpoor: str = ""
    kind: str = ""

    @classmethod
    def from_params(cls, params) -> PersonFilters:
        def pick(name, allowed):
            value = (params.get(name) or "").strip()
            return value if value in allowed else ""

        area = (params.get("area") or "").strip()
        return cls(
            area=area if area.isdigit() and len(area) in (2, 4, 6, 8) else "",
            age_band=pick("age_band", AgeBand.values),
            sex=pick("sex", Sex.values),
            disability=pick("disability", {"yes", "no", "unknown"}),
            idpoor=pick("idpoor", IDPoorStatus.values),
            kind=pick("kind", PersonKind.values),
        )

    def as_query(self) -> str:
        return "&".join(f"{k}={v}" for k, v in self.__dict__.items() if v)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band_q(band: str, today: dt.date) -> Q:
    low, _, high = band.partition("-")
    low_age = int(low.rstrip("+"))
    q = Q(date_of_birth__lte=years_before(today, low_age))
    if high:
        q &= Q(date_of_birth__gt=years_before(today, int(high) + 1))
    return q


def person_queryset(*, actor, filters: PersonFilters | None = None):
    """The visible, unmerged people matching ``filters`` (no access event: callers page it)."""
    people = Person.objects.visible_to(actor).active()
    f = filters or PersonFilters()
    if f.area:
        low, high = code_range(f.area)
        people = people.filter(area_code__gte=low, area_code__lt=high)
    if f.age_band:
        people = people.filter(_age_band_q(f.age_band, clock.today()))
    if f.sex:
        people = people.filter(sex=f.sex)
    if f.kind:
        people = people.filter(kind=f.kind)
    if f.disability == "yes":
        people = people.filter(has_functional_difficulty=True)
    elif f.disability == "no":
        people = people.filter(has_functional_difficulty=False)
    elif f.disability == "unknown":
        people = people.filter(has_functional_difficulty__isnull=True)
    if f.idpoor:
        members = HouseholdMember.objects.filter(household__idpoor_status=f.idpoor).values("person_id")
        people = people.filter(pk__in=members)
    return people


def _page_bounds(page, per_page) -> tuple[int, int]:
    try:
        number = min(max(int(page or 1), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    try:
        size = min(max(int(per_page or PAGE_SIZE), 1), MAX_PAGE_SIZE)
    except (TypeError, ValueError):
        size = PAGE_SIZE
    return number, size


LIST_ORDER = ("family_name_latin", "given_name_latin", "family_name_km", "given_name_km", "id")


@transaction.atomic
def person_page(*, actor, filters: PersonFilters | None = None, page=1, per_page=PAGE_SIZE) -> Page:
    """One page of the list (no COUNT: 'next' is known by reading one row more)."""
    people = person_queryset(actor=actor, filters=filters).select_related("village__parent")
    result = paginate(people.order_by(*LIST_ORDER), *_page_bounds(page, per_page))
    audit.record_access(
        actor=actor,
        action=PersonAction.LISTED,
        target_type=TARGET,
        target_ids=[p.pk for p in result.items],
        query=(filters or PersonFilters()).as_query(),
    )
    return result


def _uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def by_grant(actor, record, capability: str = "registry.view") -> bool:
    """Seen only through a break-the-glass grant: the access event is flagged."""
    return not actor.allows(capability, actor.relationship_to_object(record))


def _visible_person(actor, person_id) -> Person:
    pk = _uuid(person_id)
    if pk is None:
        raise Person.DoesNotExist
    return Person.objects.visible_to(actor).select_related("village__parent__parent__parent").get(pk=pk)


def person_fetch(*, actor, person_id) -> Person:
    """One visible person, not yet recorded as read: for write pages, which check the action
    first and call ``person_read`` only when they go on to show the person."""
    return _visible_person(actor, person_id)


def person_read(*, actor, person: Person, query: str = "") -> None:
    audit.record_access(
        actor=actor,
        action=PersonAction.VIEWED,
        target_type=TARGET,
        target_ids=[person.pk],
        query=query,
        break_glass=by_grant(actor, person),
    )


@transaction.atomic
def person_get(*, actor, person_id, query: str = "") -> Person:
    """One visible person (merged records included); DoesNotExist when missing or not visible.
    ``query`` says what of the person was shown (a form, the photo)."""
    person = _visible_person(actor, person_id)
    person_read(actor=actor, person=person, query=query)
    return person


@dataclass
class PersonDetail:
    person: Person
    group_ids: list
    memberships: list = field(default_factory=list)
    phones: list = field(default_factory=list)
    identifiers: list = field(default_factory=list)
    aliases: list = field(default_factory=list)
    consents: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    merged_from: list = field(default_factory=list)
    visible_ids: set = field(default_factory=set)  # household members this actor may see


@transaction.atomic
def person_detail(*, actor, person_id) -> PersonDetail:
    """The person with their households and everything recorded about them, including what was
    recorded on records merged into this one."""
    person = _visible_person(actor, person_id)
    group = Person.objects.merge_group_ids(person) if person.merged_into_id is None else [person.pk]
    others = [pk for pk in group if pk != person.pk]
    household_members = Prefetch(
        "household__members",
        queryset=HouseholdMember.objects.select_related("person").order_by(
            "-is_primary_caregiver", "created_at"
        ),
    )
    detail = PersonDetail(
        person=person,
        group_ids=group,
        memberships=list(
            HouseholdMember.objects.filter(person_id__in=group)
            .select_related("household__village__parent")
            .prefetch_related(household_members)
        ),
        phones=list(PersonPhone.objects.filter(person_id__in=group).order_by("created_at")),
        identifiers=list(Identifier.objects.filter(person_id__in=group).order_by("type", "created_at")),
        aliases=list(PersonAlias.objects.filter(person_id__in=group).order_by("created_at")),
        consents=list(Consent.objects.filter(person_id__in=group).select_related("recipient")),
        assessments=list(FunctioningAssessment.objects.filter(person_id__in=group)),
        merged_from=list(Person.objects.visible_to(actor).filter(pk__in=others)) if others else [],
    )
    relatives = {
        m.person_id
        for membership in detail.memberships
        for m in membership.household.members.all()
        if m.person_id != person.pk
    }
    visible = set(Person.objects.visible_to(actor).filter(pk__in=relatives).values_list("pk", flat=True))
    detail.visible_ids = visible | {person.pk, *detail.group_ids}
    # One event: the person first, then the household members shown with them.
    audit.record_access(
        actor=actor,
        action=PersonAction.VIEWED,
        target_type=TARGET,
        target_ids=[person.pk, *sorted(visible, key=str)],
        break_glass=by_grant(actor, person),
    )
    return detail


@transaction.atomic
def person_export(*, actor, filters: PersonFilters | None = None) -> list[Person]:
    """The filtered list for download: visible and exportable, one access event naming them all."""
    people = list(
        person_queryset(actor=actor, filters=filters)
        .actionable_by(actor, "registry.export")
        .select_related("village__parent")
        .order_by(*LIST_ORDER)[:EXPORT_LIMIT]
    )
    audit.record_access(
        actor=actor,
        action=PersonAction.EXPORTED,
        target_type=TARGET,
        target_ids=[p.pk for p in people],
        query=(filters or PersonFilters()).as_query(),
    )
    return people


@transaction.atomic
def import_job_get(*, actor, job_id) -> Job | None:
    """An import job in the actor's import scope (their own; the organisation's for those who
    import for all of it). Its problem list may quote what was typed, so the read is audited."""
    job = job_selectors.job_get(actor=actor, job_id=job_id, kind="registry.import")
    if job is not None:
        audit.record_access(
            actor=actor, action=PersonAction.IMPORT_VIEWED, target_type="jobs.job", target_ids=[job.pk]
        )
    return job
