"""The search box and the possible-duplicate check at registration.

Candidates come from the search-key table, filtered by the actor's scope on the key rows
themselves; the people found are then read through ``Person.objects.visible_to(actor)`` and
re-ranked by the names engine, which says why each one matched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ponleu.access.policies import can_see_identity
from ponleu.audit import services as audit
from ponleu.common.numerals import to_ascii_digits
from ponleu.geography.models import code_range
from ponleu.registry import matching, validators
from ponleu.registry.choices import PersonAction
from ponleu.registry.models import (
    HouseholdMember,
    Identifier,
    Person,
    PersonAlias,
    PersonPhone,
    PersonSearchKey,
)
from ponleu.registry.names.fetch import fetch_plan

from .people import TARGET, PersonFilters, person_queryset

CANDIDATES = 200  # people fetched per key tier before re-ranking
SEARCH_LIMIT = 20
MATCH_LIMIT = 10
NAME_THRESHOLD = 80  # at or above this a name alone is a match, whatever the best hit
NAMESAKE_GAP = 3.0
_DIGITS = re.compile(r"\d")
# In the order of ``PersonNames``' fields.
NAME_FIELDS = ("family_name_km", "given_name_km", "family_name_latin", "given_name_latin", "nickname")
# What the identity policy reads of a person.
SCOPE_FIELDS = ("organisation_id", "area_code", "team_id", "owner_id", "is_sensitive")


@dataclass
class Hit:
    person: Person
    score: float
    reasons: tuple = ()  # the names engine's reasons
    notes: list = field(default_factory=list)  # other reasons (phone or document number)

    def why(self, *, reveal: bool) -> list[str]:
        """Why it matched; without ``reveal`` (a masked record) the person's spelling is left out."""
        return [str(n) for n in self.notes] + [matching.explain(r, reveal=reveal) for r in self.reasons]


def candidate_ids(keyed, keys, limit: int = CANDIDATES, exclude=()) -> list:
    """Person ids sharing the most keys with the query, best first."""
    keys = sorted(set(keys))
    if not keys:
        return []
    if exclude:
        keyed = keyed.exclude(person_id__in=list(exclude))
    rows = (
        keyed.filter(key__in=keys)
        .values("person_id")
        .annotate(shared=Count("person_id"))  # a column of the covering index: no table visit
        .order_by("-shared", "person_id")[:limit]
    )
    return [row["person_id"] for row in rows]


def _number_hits(actor, text: str) -> dict:
    """People whose phone or document number is the query (ids → reason)."""
    if len(_DIGITS.findall(to_ascii_digits(text))) < 6:
        return {}
    found: dict = {}
    try:
        number = validators.normalise_phone(text)
    except ValidationError:
        number = None
    if number:
        for person_id in (
            PersonPhone.objects.visible_to(actor).filter(number=number).values_list("person_id", flat=True)
        ):
            found[person_id] = _("Phone number matches")
    value = re.sub(r"\s+", "", to_ascii_digits(text)).upper()
    for person_id, kind in (
        Identifier.objects.visible_to(actor).filter(value=value).values_list("person_id", "type")
    ):
        found[person_id] = _("%(document)s number matches") % {
            "document": Identifier(type=kind).get_type_display()
        }
    return found


def _spelled_as_typed(reasons) -> int:
    return sum(reason.kind == matching.EXACT for reason in reasons)


def _keyed(actor, filters: PersonFilters | None):
    keyed = PersonSearchKey.objects.visible_to(actor)
    if filters is not None and filters.area:
        low, high = code_range(filters.area)
        keyed = keyed.filter(area_code__gte=low, area_code__lt=high)
    return keyed


def search(
    actor, query: str, *, filters: PersonFilters | None = None, limit: int = SEARCH_LIMIT
) -> list[Hit]:
    """Ranked hits without the access event (for callers that write their own).

    Candidates come path by path (``names.fetch``: the exact keys, then the consonant
    skeletons, then the one-edit neighbours, the later ones only while fewer than ``limit``
    perfect matches are in hand), each path at most ``CANDIDATES`` people; the engine's floor
    (``names.ranking``) decides what is shown, relative to the query and the best hit."""
    text = (query or "").strip()[:100]
    if not text:
        return []
    numbers = _number_hits(actor, text)
    parsed = matching.parse(text)
    keyed = _keyed(actor, filters)
    visible = person_queryset(actor=actor, filters=filters)
    # Candidates are scored from their names alone (plain rows, no model objects); only the
    # hits returned are loaded as people.
    scored: dict = {pk: (100.0, (), [note], "") for pk, note in numbers.items()}
    looked_at: set = set(numbers)

    def rank(ids) -> None:
        ids = set(ids) - looked_at
        looked_at.update(ids)
        if not ids:
            return
        aliases = defaultdict(list)
        for person_id, name in PersonAlias.objects.filter(person_id__in=ids).values_list("person_id", "name"):
            aliases[person_id].append(name)
        for person in visible.filter(pk__in=ids).only(*SCOPE_FIELDS, *NAME_FIELDS):
            # A record whose names the actor may not see is never ranked by them: its place in
            # the list would tell what the hidden name is. Phone and document numbers still find it.
            if not can_see_identity(actor, person):
                continue
            names = matching.PersonNames(
                *(getattr(person, f) for f in NAME_FIELDS), aliases=tuple(aliases[person.pk])
            )
            score, reasons = matching.score_names(parsed, names)
            if score >= matching.LOWEST_SHOWN:
                scored[person.pk] = (score, reasons, [], person.display_name() or "")

    if numbers:
        rank(numbers)
    for _path, keys in fetch_plan(text, lambda: {pk: v[0] for pk, v in scored.items()}, limit):
        rank(candidate_ids(keyed, keys, exclude=looked_at))
    names_only = {pk: value[0] for pk, value in scored.items() if pk not in numbers}
    bar = matching.show_threshold(text, names_only)
    kept = {pk: value for pk, value in scored.items() if pk in numbers or value[0] >= bar}
    # Equal scores: a name spelled exactly as typed before a namesake that only sounds the
    # same (a rarer but correct spelling is not buried under a usual one), then by name.
    best = sorted(
        kept.items(), key=lambda item: (-item[1][0], -_spelled_as_typed(item[1][1]), item[1][3], str(item[0]))
    )[:limit]
    people = visible.select_related("village__parent").in_bulk([pk for pk, _value in best])
    return [
        Hit(people[pk], score, reasons, notes) for pk, (score, reasons, notes, _shown) in best if pk in people
    ]


@transaction.atomic
def person_search(
    *, actor, query: str, filters: PersonFilters | None = None, limit: int = SEARCH_LIMIT
) -> list[Hit]:
    """The search box and ``GET /api/v1/people?q=``: Khmer or Latin, either name order,
    spelling variants, phone and document numbers; one access event naming the hits."""
    hits = search(actor, query, filters=filters, limit=limit)
    audit.record_access(
        actor=actor,
        action=PersonAction.SEARCHED,
        target_type=TARGET,
        target_ids=[h.person.pk for h in hits],
        query=(query or "")[:100],
    )
    return hits


@dataclass
class Candidate:
    person: Person
    score: float
    reasons: list
    guardian: Person | None = None
    name_score: float = 0.0
    # Other candidates whose names score within ``NAMESAKE_GAP`` of this one's: the name alone
    # cannot tell them apart, so the screen points at age, village and caregiver.
    namesakes: int = 0


@dataclass
class Matches:
    candidates: list
    hidden: int = 0  # likely matches in the actor's area that they may not open


def _within_a_year(a: dt.date | None, b: dt.date | None) -> bool:
    return a is not None and b is not None and abs((a - b).days) <= 366


def _guardians(actor, person_ids) -> dict:
    """The primary caregiver of each person's household, when the actor may see them in full."""
    memberships = HouseholdMember.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "household_id"
    )
    household_of = dict(memberships)
    carers = [
        member
        for member in HouseholdMember.objects.filter(
            household_id__in=set(household_of.values()),
            is_primary_caregiver=True,
            person__in=Person.objects.visible_to(actor),
        ).select_related("person")
        if can_see_identity(actor, member.person)
    ]
    by_household = {m.household_id: m.person for m in carers}
    return {
        pid: by_household.get(hid)
        for pid, hid in household_of.items()
        if by_household.get(hid) and by_household[hid].pk != pid
    }


def _phone_people(keyed_people, number: str) -> set:
    """People with this phone, and everyone in their households (a caregiver's phone finds the child)."""
    owners = set(
        PersonPhone.objects.filter(person__in=keyed_people, number=number).values_list("person_id", flat=True)
    )
    if not owners:
        return set()
    households = HouseholdMember.objects.filter(person_id__in=owners).values("household_id")
    return owners | set(
        HouseholdMember.objects.filter(household_id__in=households).values_list("person_id", flat=True)
    )


@transaction.atomic
def person_matches(
    *,
    actor,
    names: dict,
    date_of_birth: dt.date | None = None,
    village_code: str = "",
    phone: str = "",
) -> Matches:
    """Likely existing records of the person about to be registered: name score, date of birth
    within a year, same village or commune, same caregiver phone. Never merges anything."""
    text_km = " ".join(filter(None, (names.get("family_name_km"), names.get("given_name_km"))))
    text_latin = " ".join(filter(None, (names.get("family_name_latin"), names.get("given_name_latin"))))
    keys = {*matching.query_keys(text_km), *matching.query_keys(text_latin)}
    number = ""
    if phone:
        try:
            number = validators.normalise_phone(phone)
        except ValidationError:
            number = ""
    visible = Person.objects.visible_to(actor).active()
    phone_ids = _phone_people(visible, number) if number else set()
    ids = set(candidate_ids(PersonSearchKey.objects.visible_to(actor), keys)) | phone_ids
    candidates = []
    masked = 0
    people = list(visible.filter(pk__in=ids).select_related("village__parent").prefetch_related("aliases"))
    name_scores = {
        person.pk: _name_score(person, text_km, text_latin, [a.name for a in person.aliases.all()])
        for person in people
    }
    bar = _match_bar(text_km, text_latin, name_scores)
    for person in people:
        score = name_scores[person.pk]
        if not can_see_identity(actor, person):
            # Compared by name, a masked record would tell its hidden name: it is counted with
            # the hidden ones, and shown only when the caregiver's phone alone finds it.
            if person.pk not in phone_ids:
                masked += score >= bar
                continue
            score = 0
        reasons = []
        if score >= bar:
            reasons.append(_("Name is similar (%(score)s%%)") % {"score": round(score)})
        close_birth = _within_a_year(person.date_of_birth, date_of_birth)
        if close_birth:
            reasons.append(_("Born within a year of the date given"))
        if village_code and person.area_code == village_code:
            reasons.append(_("Same village"))
        elif village_code and person.area_code[:6] == village_code[:6] and len(village_code) >= 6:
            reasons.append(_("Same commune"))
        if person.pk in phone_ids:
            reasons.append(_("Same caregiver phone"))
        if score < bar and person.pk not in phone_ids:
            continue
        rank = (
            score
            + (10 if close_birth else 0)
            + (5 if len(reasons) > 1 else 0)
            + (20 if person.pk in phone_ids else 0)
        )
        candidates.append(Candidate(person=person, score=rank, reasons=reasons, name_score=score))
    candidates.sort(key=lambda c: (-c.score, str(c.person.pk)))
    candidates = candidates[:MATCH_LIMIT]
    for candidate in candidates:
        candidate.namesakes = sum(
            1
            for other in candidates
            if other is not candidate
            and candidate.name_score
            and abs(other.name_score - candidate.name_score) <= NAMESAKE_GAP
        )
    guardians = _guardians(actor, [c.person.pk for c in candidates])
    for candidate in candidates:
        candidate.guardian = guardians.get(candidate.person.pk)
    hidden = masked + _hidden_matches(actor, keys, {c.person.pk for c in candidates}, text_km, text_latin)
    audit.record_access(
        actor=actor,
        action=PersonAction.MATCHED,
        target_type=TARGET,
        target_ids=[c.person.pk for c in candidates]
        + [c.guardian.pk for c in candidates if c.guardian is not None],
    )
    return Matches(candidates=candidates, hidden=hidden)


def _match_bar(text_km: str, text_latin: str, name_scores: dict) -> float:
    """The name score a possible duplicate needs: the search's floor for the longer of the two
    names typed, never above ``NAME_THRESHOLD`` (a duplicate missed costs more than one shown)."""
    text = max((text_km, text_latin), key=len)
    return min(NAME_THRESHOLD, matching.show_threshold(text, name_scores))


def _hidden_matches(actor, keys, shown: set, text_km: str, text_latin: str) -> int:
    """How many strong name matches exist where the actor may register people but not open
    records (a field worker's area): counted, never shown."""
    reach = PersonSearchKey.objects.actionable_by(actor, "registry.create")
    ids = set(candidate_ids(reach, keys, limit=50)) - shown
    if not ids:
        return 0
    visible = set(Person.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    scores = [
        _name_score(person, text_km, text_latin)
        for person in Person.objects.active().filter(pk__in=ids - visible)
    ]
    bar = _match_bar(text_km, text_latin, dict(enumerate(scores)))
    return sum(score >= bar for score in scores)


def _name_score(person, text_km: str, text_latin: str, aliases=()) -> float:
    return max(
        matching.score(text_km, person, aliases=aliases)[0] if text_km else 0,
        matching.score(text_latin, person, aliases=aliases)[0] if text_latin else 0,
    )
