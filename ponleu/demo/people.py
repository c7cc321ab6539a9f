"""Synthetic households and people for one demo organisation.

Households of 2–7 people (a mother, often a father, children) in the teams' districts, with
IDPoor history, income sources and phones; children with birth certificates, school (EMIS)
ids, consent to services, and for some the Child Functioning Module answers; a few sensitive
records; and a few deliberate near-duplicates (another spelling of a child already registered
in the same village) for search-before-create to catch. Rows are written in bulk, then the
search keys are built for everyone.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from ponleu.common import clock
from ponleu.geography.models import AdminUnit
from ponleu.organisations.choices import Role
from ponleu.registry import functioning
from ponleu.registry.choices import (
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    DatePrecision,
    FunctioningRespondent,
    IdentifierType,
    IDPoorSource,
    IDPoorStatus,
    IncomeSource,
    MigrationDestination,
    PersonKind,
    PhoneOwner,
    Relationship,
    Sex,
)
from ponleu.registry.models import (
    Consent,
    FunctioningAssessment,
    Household,
    HouseholdMember,
    Identifier,
    IDPoorAssessment,
    Person,
    PersonPhone,
)
from ponleu.registry.services import search_keys

from . import names

PEOPLE_PER_ORG = 1700
NEAR_DUPLICATES_PER_ORG = 8
SHARING_PARTNER = "Provincial Department of Social Affairs (demo)"


@dataclass
class Batch:
    """Everything one organisation's people need, written in bulk at the end."""

    households: list = field(default_factory=list)
    people: list = field(default_factory=list)
    links: list = field(default_factory=list)
    phones: list = field(default_factory=list)
    identifiers: list = field(default_factory=list)
    idpoor: list = field(default_factory=list)
    assessments: list = field(default_factory=list)
    consents: list = field(default_factory=list)
    counter: int = 0

    def number(self) -> int:
        self.counter += 1
        return self.counter


def _birth_date(rng: random.Random, today: dt.date, min_age: int, max_age: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(min_age * 365, max_age * 365 + 364))


def _person(rng, organisation, village, team, owner, family, sex, min_age, max_age, today, kind) -> Person:
    given = rng.choice(names.GIVEN_NAMES_FEMALE if sex == Sex.FEMALE else names.GIVEN_NAMES_MALE)
    precision = rng.choices(
        [DatePrecision.DAY, DatePrecision.YEAR, DatePrecision.ESTIMATED], weights=[80, 12, 8]
    )[0]
    nickname = rng.choice(names.NICKNAMES)[1] if kind == PersonKind.CHILD and rng.random() < 0.1 else ""
    return Person(
        organisation=organisation,
        village=village,
        area_code=village.code,
        team=team,
        owner=owner,
        kind=kind,
        family_name_km=family[0],
        family_name_latin=family[1],
        given_name_km=given[0],
        given_name_latin=given[1],
        nickname=nickname,
        sex=sex,
        date_of_birth=_birth_date(rng, today, min_age, max_age),
        date_of_birth_precision=precision,
        languages=["km"],
        is_sensitive=kind == PersonKind.CHILD and rng.random() < 0.01,
    )


def _phone(rng: random.Random) -> str:
    prefix = rng.choice(
        ["10", "12", "15", "16", "17", "69", "70", "77", "78", "85", "89", "92", "93", "95", "97"]
    )
    return f"+855{prefix}{rng.randint(100000, 999999)}"


def _functioning(rng, batch: Batch, child: Person, today: dt.date, owner) -> None:
    age = child.age_on(today)
    module = functioning.module_for_age(age)
    if module is None:
        return
    items = functioning.ITEMS[module]
    answers = {}
    for item in items:
        values = [value for value, _label in item.choices]
        if item.scale == "difficulty":
            answers[item.code] = rng.choices(values, weights=[88, 10, 1.5, 0.5])[0]
        elif item.scale == "frequency":
            answers[item.code] = rng.choices(values, weights=[2, 5, 8, 25, 60])[0]
        else:
            answers[item.code] = rng.choices(values, weights=[60, 30, 8, 2])[0]
    if rng.random() < 0.3:  # about a third of those assessed have a difficulty
        item = rng.choice([i for i in items if i.scale == "difficulty"])
        answers[item.code] = rng.choice(["a_lot", "cannot"])
    domains, flagged = functioning.derive(module, answers)
    batch.assessments.append(
        FunctioningAssessment(
            person=child,
            assessed_on=today - dt.timedelta(days=rng.randint(10, 300)),
            module=module,
            version=functioning.VERSION,
            respondent=FunctioningRespondent.MOTHER,
            answers=answers,
            difficulty_domains=domains,
            has_functional_difficulty=flagged,
            recorded_by=owner,
        )
    )
    child.has_functional_difficulty = flagged


def _child_records(rng, batch: Batch, child: Person, mother: Person, phone: str, today, owner) -> None:
    organisation = child.organisation
    if rng.random() < 0.7:
        number = f"{child.area_code[:6]}-{batch.number():05d}/{child.date_of_birth.year}"
        batch.identifiers.append(
            Identifier(
                person=child, organisation=organisation, type=IdentifierType.BIRTH_CERTIFICATE, value=number
            )
        )
    age = child.age_on(today)
    if 6 <= age <= 17 and rng.random() < 0.4:
        batch.identifiers.append(
            Identifier(
                person=child,
                organisation=organisation,
                type=IdentifierType.EMIS_STUDENT,
                value=f"{child.area_code[:4]}{batch.number():07d}",
            )
        )
    if phone and rng.random() < 0.5:
        batch.phones.append(PersonPhone(person=child, number=phone, owner=PhoneOwner.MOTHER))
    if age >= 2 and rng.random() < 0.1:
        _functioning(rng, batch, child, today, owner)
    if rng.random() < 0.85:
        given_on = today - dt.timedelta(days=rng.randint(5, 700))
        mother_name = f"{mother.family_name_latin} {mother.given_name_latin}"
        batch.consents.append(
            Consent(
                person=child,
                organisation=organisation,
                purpose=ConsentPurpose.SERVICES,
                given_by=ConsentGiver.CAREGIVER,
                given_by_person=mother,
                given_by_name=mother_name,
                given_on=given_on,
                method=ConsentMethod.SIGNED_FORM,
                recorded_by=owner,
            )
        )
        if rng.random() < 0.12:
            withdrawn = rng.random() < 0.25
            batch.consents.append(
                Consent(
                    person=child,
                    organisation=organisation,
                    purpose=ConsentPurpose.SHARE,
                    recipient_name=SHARING_PARTNER,
                    given_by=ConsentGiver.CAREGIVER,
                    given_by_person=mother,
                    given_by_name=mother_name,
                    given_on=given_on,
                    method=ConsentMethod.VERBAL_WITNESSED,
                    witness_name="Village chief (demo)",
                    recorded_by=owner,
                    withdrawn_at=clock.now() - dt.timedelta(days=3) if withdrawn else None,
                    withdrawn_on=today - dt.timedelta(days=3) if withdrawn else None,
                    withdrawal_reason="The family changed its mind." if withdrawn else "",
                )
            )


def _household(rng, batch: Batch, organisation, village, team, owner, today) -> Household:
    status = rng.choices(
        [IDPoorStatus.NOT_POOR, IDPoorStatus.LEVEL_1, IDPoorStatus.LEVEL_2, IDPoorStatus.NOT_ASSESSED],
        weights=[45, 15, 20, 20],
    )[0]
    card = (
        f"EQ-{village.code[:4]}-{batch.number():05d}"
        if status in (IDPoorStatus.LEVEL_1, IDPoorStatus.LEVEL_2)
        else ""
    )
    sources = [
        IncomeSource.FARMING,
        IncomeSource.DAILY_LABOUR,
        IncomeSource.FACTORY,
        IncomeSource.SMALL_BUSINESS,
    ]
    household = Household(
        organisation=organisation,
        village=village,
        area_code=village.code,
        team=team,
        owner=owner,
        address_detail=f"Group {rng.randint(1, 9)}",
        idpoor_status=status,
        equity_card_number=card,
        parents_away=rng.choices(
            [MigrationDestination.NONE, MigrationDestination.OTHER_PROVINCE, MigrationDestination.THAILAND],
            weights=[75, 12, 13],
        )[0],
        income_sources=sorted(set(rng.sample(sources, rng.randint(1, 2)))),
    )
    if household.parents_away == MigrationDestination.THAILAND:
        household.income_sources = sorted({*household.income_sources, IncomeSource.REMITTANCES})
    if status != IDPoorStatus.NOT_ASSESSED:
        batch.idpoor.append(
            IDPoorAssessment(
                household=household,
                status=status,
                card_number=card,
                assessed_on=today - dt.timedelta(days=rng.randint(60, 900)),
                source=IDPoorSource.ROUND,
                is_card_seen=bool(card) and rng.random() < 0.7,
            )
        )
    return household


def _near_duplicates(rng, batch: Batch, children: list[Person], owners: list, today) -> None:
    """Another spelling of a registered child, same village, date of birth a little off."""
    for original in rng.sample(children, min(NEAR_DUPLICATES_PER_ORG, len(children))):
        family = names.ROMANISATIONS.get(original.family_name_km, (original.family_name_latin,))
        given = names.ROMANISATIONS.get(original.given_name_km, (original.given_name_latin,))
        other_family = rng.choice([s for s in family if s != original.family_name_latin] or list(family))
        other_given = rng.choice([s for s in given if s != original.given_name_latin] or [given[0] + "h"])
        latin_only = rng.random() < 0.5
        batch.people.append(
            Person(
                organisation=original.organisation,
                village=original.village,
                area_code=original.area_code,
                team=original.team,
                owner=rng.choice(owners) if owners else original.owner,
                kind=PersonKind.CHILD,
                family_name_km="" if latin_only else original.family_name_km,
                given_name_km="" if latin_only else original.given_name_km,
                family_name_latin=other_family,
                given_name_latin=other_given,
                sex=original.sex,
                date_of_birth=min(original.date_of_birth + dt.timedelta(days=rng.randint(-200, 200)), today),
                date_of_birth_precision=DatePrecision.ESTIMATED,
                languages=["km"],
            )
        )


def populate(*, organisation, teams, members, rng: random.Random, count: int | None = None) -> int:
    """Households and people in the teams' districts; returns how many people were made."""
    target = count or PEOPLE_PER_ORG
    today = clock.today()
    caseworkers = {m.teams.first().pk: m.user for m in members.get(Role.CASEWORKER, [])}
    villages_by_team = {
        team.pk: list(AdminUnit.objects.within(district).filter(level="village").order_by("code")[:60])
        for team, district in teams
    }
    batch = Batch()
    children: list[Person] = []
    made = 0
    while made < target:
        team, _district = teams[rng.randrange(len(teams))]
        village = rng.choice(villages_by_team[team.pk])
        size, kids = _family(
            rng,
            batch,
            organisation,
            village,
            team,
            caseworkers.get(team.pk),
            today,
            children=(1, 5),
            ages=(0, 17),
        )
        children.extend(kids)
        made += size
    _near_duplicates(rng, batch, children, list(caseworkers.values()), today)
    _write(batch)
    return len(batch.people)


def _family(rng, batch: Batch, organisation, village, team, owner, today, *, children, ages) -> tuple:
    """A household: a mother, often a father, and between ``children[0]`` and ``children[1]``
    children aged ``ages``; returns (how many people, the children)."""
    household = _household(rng, batch, organisation, village, team, owner, today)
    batch.households.append(household)
    family = rng.choice(names.FAMILY_NAMES)
    args = (organisation, village, team, owner)
    mother = _person(rng, *args, rng.choice(names.FAMILY_NAMES), Sex.FEMALE, 24, 50, today, PersonKind.ADULT)
    members_here = [(mother, Relationship.MOTHER, True)]
    if rng.random() < 0.7:
        father = _person(rng, *args, family, Sex.MALE, 26, 55, today, PersonKind.ADULT)
        members_here.append((father, Relationship.FATHER, False))
    else:
        household.is_single_parent = True
    phone = _phone(rng) if rng.random() < 0.8 else ""
    if phone:
        batch.phones.append(PersonPhone(person=mother, number=phone, owner=PhoneOwner.SELF))
    if rng.random() < 0.6:
        batch.identifiers.append(
            Identifier(
                person=mother,
                organisation=organisation,
                type=IdentifierType.NATIONAL_ID,
                value=f"0{batch.number():08d}",
            )
        )
    kids = []
    for _ in range(rng.randint(*children)):
        sex = rng.choice([Sex.FEMALE, Sex.MALE])
        child = _person(rng, *args, family, sex, ages[0], ages[1], today, PersonKind.CHILD)
        members_here.append((child, Relationship.CHILD, False))
        kids.append(child)
        _child_records(rng, batch, child, mother, phone, today, owner)
    for person, relationship, primary in members_here:
        batch.people.append(person)
        batch.links.append(
            HouseholdMember(
                household=household,
                person=person,
                relationship=relationship,
                is_primary_caregiver=primary,
            )
        )
    return len(members_here), kids


def newcomers(
    *, organisation, team, district, owner, count: int, ages: tuple[int, int], seed: int, numbers_from: int
) -> list:
    """``count`` children aged ``ages`` from families new to the district, one child per family
    (who join a class this year); returns (child, household) pairs, written and searchable.
    Their document numbers start at ``numbers_from``, clear of the organisation's others."""
    rng = random.Random(seed)
    today = clock.today()
    villages = list(AdminUnit.objects.within(district).filter(level="village").order_by("code")[:60])
    batch = Batch(counter=numbers_from)
    pairs = []
    for _ in range(count):
        _size, kids = _family(
            rng, batch, organisation, rng.choice(villages), team, owner, today, children=(1, 1), ages=ages
        )
        pairs.append((kids[0], batch.households[-1]))
    _write(batch)
    return pairs


def _write(batch: Batch) -> None:
    Household.objects.bulk_create(batch.households, batch_size=1000)
    IDPoorAssessment.objects.bulk_create(batch.idpoor, batch_size=1000)
    Person.objects.bulk_create(batch.people, batch_size=1000)
    HouseholdMember.objects.bulk_create(batch.links, batch_size=1000)
    PersonPhone.objects.bulk_create(batch.phones, batch_size=1000)
    Identifier.objects.bulk_create(batch.identifiers, batch_size=1000)
    FunctioningAssessment.objects.bulk_create(batch.assessments, batch_size=1000)
    Consent.objects.bulk_create(batch.consents, batch_size=1000)
    search_keys.rebuild(batch.people, fresh=True)
