"""Reads of youth employment, each starting from the scoped querysets: profiles and their
path from course to job, offers matched to a young person, follow-ups due, and the
indicators by sex and age band."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from ponleu.access.policies import can_see_identity, identity_label
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.programmes.choices import GroupBase, Sex
from ponleu.programmes.models import Group, GroupMember
from ponleu.referrals.models import Provider

from .choices import (
    CourseOutcome,
    EmploymentAction,
    Nearness,
    PlacementStatus,
    YouthAgeBand,
    youth_age_band,
)
from .models import EMPLOYMENT_VIEW, CourseResult, FollowUp, Offer, Placement, YouthDocument, YouthProfile

PERSON_TARGET = "registry.person"
LIST_LIMIT = 200


def _uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _get(queryset, pk):
    pk = _uuid(pk)
    if pk is None:
        raise queryset.model.DoesNotExist
    return queryset.get(pk=pk)


def people_read(*, actor, people, action=EmploymentAction.PROFILE_VIEWED, query: str = "") -> None:
    """One access event naming the young people a page or an answer showed."""
    ids = sorted({str(p.pk) for p in people})
    if ids:
        audit.record_access(
            actor=actor, action=action, target_type=PERSON_TARGET, target_ids=ids, query=query
        )


def record_read(*, actor, obj, action=EmploymentAction.PROFILE_VIEWED) -> None:
    """One access event naming the record a page or an answer is about."""
    audit.record_access(actor=actor, action=action, target_type=obj._meta.label_lower, target_ids=[obj.pk])


# --- profiles --------------------------------------------------------------------------------


def profile_queryset(*, actor, capability: str = EMPLOYMENT_VIEW):
    return YouthProfile.objects.actionable_by(actor, capability).select_related("person")


def profile_list(*, actor) -> list[tuple[YouthProfile, str]]:
    """The young people followed, each with whether they completed a course and were placed
    (``has_completed``, ``has_placement``), so that the list shows who waits for a job."""
    completed = CourseResult.objects.filter(
        person=OuterRef("person"),
        outcome=CourseOutcome.COMPLETED,
        course__organisation_id=OuterRef("organisation_id"),
    )
    rows = list(
        profile_queryset(actor=actor)
        .annotate(
            has_completed=Exists(completed),
            has_placement=Exists(Placement.objects.filter(profile=OuterRef("pk"))),
        )
        .order_by("has_placement", "-created_at", "id")[:LIST_LIMIT]
    )
    people_read(actor=actor, people=[r.person for r in rows], action=EmploymentAction.LISTED)
    return [(r, identity_label(actor, r.person)) for r in rows]


def profile_get(*, actor, profile_id, capability: str = EMPLOYMENT_VIEW) -> YouthProfile:
    return _get(profile_queryset(actor=actor, capability=capability), profile_id)


def profile_of_person(*, actor, person_id) -> YouthProfile | None:
    pk = _uuid(person_id)
    return profile_queryset(actor=actor).filter(person_id=pk).first() if pk else None


def identity_seen(*, actor, profile: YouthProfile) -> bool:
    return can_see_identity(actor, profile.person)


def documents(*, actor, profile: YouthProfile) -> list[YouthDocument] | None:
    """The documents, or None when the actor may not see who the young person is."""
    if not can_see_identity(actor, profile.person):
        return None
    return list(YouthDocument.objects.filter(profile=profile).order_by("created_at"))


@dataclass
class Path:
    """A young person's way from course to job."""

    profile: YouthProfile
    name: str
    courses: list = field(default_factory=list)  # (course, result or None)
    placements: list = field(default_factory=list)  # (placement, {months: follow-up})
    documents: list | None = None
    # A certificate number is a document number: shown only with the identity.
    identity_seen: bool = False


def youth_path(*, actor, profile_id) -> Path:
    """The profile, the courses they joined with how they ended, the placements with their
    follow-ups; one access event for the person."""
    profile = profile_get(actor=actor, profile_id=profile_id)
    person = profile.person
    memberships = (
        GroupMember.objects.filter(
            person=person,
            group__kind__base=GroupBase.VOCATIONAL_COURSE,
            group__organisation_id=actor.organisation_id,
        )
        .select_related("group")
        .order_by("joined_on")
    )
    results = {r.course_id: r for r in CourseResult.objects.filter(person=person)}
    placements = list(
        Placement.objects.visible_to(actor)
        .filter(profile=profile)
        .select_related("offer__employer", "offer__place")
        .order_by("-starts_on")
    )
    follow_ups = defaultdict(dict)
    for follow_up in FollowUp.objects.filter(placement__in=placements):
        follow_ups[follow_up.placement_id][follow_up.months] = follow_up
    people_read(actor=actor, people=[person])
    return Path(
        profile=profile,
        name=identity_label(actor, person),
        courses=[(m.group, results.get(m.group_id)) for m in memberships],
        placements=[(p, follow_ups[p.pk]) for p in placements],
        documents=documents(actor=actor, profile=profile),
        identity_seen=can_see_identity(actor, person),
    )


# --- courses ---------------------------------------------------------------------------------


def course_list(*, actor):
    return (
        Group.objects.visible_to(actor)
        .filter(kind__base=GroupBase.VOCATIONAL_COURSE)
        .select_related("kind")
        .annotate(participants=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("-starts_on", "name")
    )


def course_get(*, actor, course_id, capability: str = EMPLOYMENT_VIEW) -> Group:
    return _get(
        Group.objects.actionable_by(actor, capability).filter(kind__base=GroupBase.VOCATIONAL_COURSE),
        course_id,
    )


def course_roll(*, actor, course: Group) -> list[tuple[GroupMember, str, CourseResult | None, bool]]:
    """The course's participants with their results and whether the actor may see who each one
    is (their certificate number is a document number, shown only then); one access event for
    the names."""
    members = list(
        GroupMember.objects.filter(group=course).select_related("person").order_by("joined_on", "id")
    )
    results = {r.person_id: r for r in CourseResult.objects.filter(course=course)}
    people_read(actor=actor, people=[m.person for m in members])
    return [
        (m, identity_label(actor, m.person), results.get(m.person_id), can_see_identity(actor, m.person))
        for m in members
    ]


# --- offers and matching ---------------------------------------------------------------------


def offer_queryset(*, actor):
    if actor.organisation_id is None or not actor.can(EMPLOYMENT_VIEW):
        return Offer.objects.none()
    return Offer.objects.filter(organisation_id=actor.organisation_id).select_related("employer", "place")


def offer_list(*, actor, open_only: bool = True):
    offers = offer_queryset(actor=actor)
    if open_only:
        offers = offers.open_on(clock.today())
    return offers.annotate(
        taken=Count("placements", filter=Q(placements__status=PlacementStatus.WORKING))
    ).order_by("-starts_on", "title")


def employers():
    """The directory's active employers (the directory is the installation's, not personal data)."""
    return Provider.objects.filter(is_employer=True, is_active=True).order_by("name_km")


def offer_get(*, actor, offer_id) -> Offer:
    return _get(offer_queryset(actor=actor), offer_id)


def nearness(home: str, place: str) -> Nearness:
    """How near an offer's place (any level of the gazetteer) is to a home village: codes are
    nested (province 2 digits, district 4, commune 6, village 8)."""
    for length, level in ((6, Nearness.COMMUNE), (4, Nearness.DISTRICT), (2, Nearness.PROVINCE)):
        if len(home) >= length and len(place) >= length and home[:length] == place[:length]:
            return level
    return Nearness.FURTHER


@dataclass
class Match:
    offer: Offer
    skills: list[str]  # the offer's skills the young person has
    missing: list[str]  # the offer's skills they lack
    nearness: Nearness

    @property
    def sort_key(self):
        return (-len(self.skills), int(self.nearness), len(self.missing), self.offer.title)


def matches(*, actor, profile: YouthProfile, limit: int = 20) -> list[Match]:
    """Open offers with a place left, the best first: the most skills in common, then the
    nearest (commune, district, province, further), then the fewest skills lacking. An offer
    that asks for skills of which the young person has none is left out unless it asks for none."""
    have = set(profile.skills)
    home = profile.person.village_id or profile.area_code or ""
    found = []
    for offer in offer_list(actor=actor):
        if offer.taken >= offer.places:
            continue
        wanted = list(offer.skills)
        common = [s for s in wanted if s in have]
        if wanted and not common:
            continue
        found.append(
            Match(offer, common, [s for s in wanted if s not in have], nearness(home, offer.place_id))
        )
    return sorted(found, key=lambda m: m.sort_key)[:limit]


# --- placements and follow-ups ---------------------------------------------------------------


def placement_get(*, actor, placement_id, capability: str = EMPLOYMENT_VIEW) -> Placement:
    return _get(
        Placement.objects.actionable_by(actor, capability).select_related(
            "person", "offer__employer", "profile"
        ),
        placement_id,
    )


def follow_ups_due(*, actor, day: dt.date | None = None):
    """Placements still working with a follow-up due by ``day`` (today) and not yet recorded,
    in the reach of the worker who records them."""
    day = day or clock.today()
    done = FollowUp.objects.filter(placement=OuterRef("pk"))
    return (
        Placement.objects.actionable_by(actor, "employment.record")
        .filter(status=PlacementStatus.WORKING)
        .annotate(
            done_3=Exists(done.filter(months=3)),
            done_6=Exists(done.filter(months=6)),
        )
        .filter(Q(follow_up_3_on__lte=day, done_3=False) | Q(follow_up_6_on__lte=day, done_6=False))
        .select_related("person", "offer__employer")
        .order_by("follow_up_3_on", "id")
    )


def due_months(placement, day: dt.date) -> int:
    """The follow-up to record next on a placement from ``follow_ups_due``."""
    return 3 if not placement.done_3 and placement.follow_up_3_on <= day else 6


# --- indicators ------------------------------------------------------------------------------


@dataclass
class Cell:
    profiles: int = 0
    completed: int = 0
    placed: int = 0
    employed_6: int = 0


@dataclass
class Indicators:
    day: dt.date
    cells: dict  # {(sex, band): Cell}
    total: Cell

    def rows(self):
        for sex in (Sex.FEMALE, Sex.MALE):
            for band in YouthAgeBand:
                yield sex, band, self.cells.get((sex, band.value), Cell())


def indicators(*, actor, day: dt.date | None = None) -> Indicators:
    """Young people with a profile who completed a course, were placed, and were still working
    at the 6-month follow-up, by sex and age band (age on ``day``): one query.

    Someone whose age is outside 15–24 on the day, or whose sex is not recorded, counts in the
    total only."""
    day = day or clock.today()
    completed = CourseResult.objects.filter(person=OuterRef("person"), outcome=CourseOutcome.COMPLETED)
    placements = Placement.objects.filter(profile=OuterRef("pk"))
    employed = FollowUp.objects.filter(placement__profile=OuterRef("pk"), months=6, still_working=True)
    rows = (
        YouthProfile.objects.visible_to(actor)
        .annotate(
            has_completed=Exists(completed.filter(course__organisation_id=OuterRef("organisation_id"))),
            has_placement=Exists(placements),
            has_employed=Exists(employed),
        )
        .values_list("person__sex", "person__date_of_birth", "has_completed", "has_placement", "has_employed")
    )
    cells: dict = defaultdict(Cell)
    total = Cell()
    for sex, born, done, placed, employed_6 in rows:
        age = None
        if born is not None:
            age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        band = youth_age_band(age)
        targets = [total] + ([cells[(sex, band)]] if band and sex in Sex.values else [])
        for cell in targets:
            cell.profiles += 1
            cell.completed += int(done)
            cell.placed += int(placed)
            cell.employed_6 += int(employed_6)
    return Indicators(day=day, cells=dict(cells), total=total)
