import datetime as dt

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.registry import functioning, services
from ponleu.registry.models import Identifier, Person, PersonPhone, PersonSearchKey

from . import factories

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(TODAY):
        yield


def test_create_saves_the_person_phones_documents_keys_and_one_audit_event(world):
    actor = world.actor("caseworker_a")
    person = factories.person(
        actor,
        phones=[{"number": "០១២ ៣៤៥ ៦៧៨", "owner": "mother"}],
        identifiers=[{"type": "birth_certificate", "value": " bc-001 / 2015 "}],
    )
    assert person.organisation_id == world.org.pk
    assert person.owner_id == world.user("caseworker_a").pk
    assert person.area_code == factories.THMEI
    assert person.is_child
    assert [str(p.number) for p in PersonPhone.objects.filter(person=person)] == ["+85512345678"]
    assert Identifier.objects.get(person=person).value == "BC-001/2015"
    assert PersonSearchKey.objects.filter(person=person).exists()
    event = AuditEvent.objects.get(action="registry.person.created", target_id=str(person.pk))
    assert event.changes["family_name_latin"] == [None, "Sok"]


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"date_of_birth": dt.date(2027, 1, 1)}, "date_of_birth", "future"),
        ({"date_of_birth": dt.date(1990, 1, 1)}, "date_of_birth", "at most 25"),
        ({"village": "99999999"}, "village", "no village"),
        ({"village": "02080101"}, "village", "areas you work in"),
        (
            {"family_name_km": "", "given_name_km": "", "family_name_latin": "", "given_name_latin": ""},
            "given_name_latin",
            "at least one name",
        ),
        ({"phones": [{"number": "12345", "owner": "self"}]}, "phones.0.number", "not a valid phone"),
        (
            {"identifiers": [{"type": "national_id", "value": "12AB"}]},
            "identifiers.0.value",
            "9 or 10 digits",
        ),
        ({"sex": "Q"}, "sex", "Choose"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, data, field, fragment):
    actor = world.actor("caseworker_a")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        factories.person(actor, **data)
    assert field in caught.value.errors
    assert fragment in " ".join(str(m) for m in caught.value.errors[field])
    assert Person.objects.count() == 0
    assert PersonPhone.objects.count() == Identifier.objects.count() == PersonSearchKey.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_an_adult_may_be_older_than_25_and_a_child_of_25_is_accepted(world):
    actor = world.actor("caseworker_a")
    factories.person(actor, kind="adult", date_of_birth=dt.date(1980, 1, 1))
    young = factories.person(actor, date_of_birth=dt.date(2001, 1, 1), given_name_latin="Vanna")
    assert young.age == 25
    assert not young.is_child


def test_duplicate_identifier_in_the_organisation_is_refused_on_the_field(world):
    actor = world.actor("caseworker_a")
    factories.person(actor, identifiers=[{"type": "national_id", "value": "010123456"}])
    with pytest.raises(ValidationFailed) as caught:
        factories.person(
            actor, given_name_latin="Vanna", identifiers=[{"type": "national_id", "value": "010 123 456"}]
        )
    assert "already has this" in str(caught.value.errors["identifiers.0.value"][0])
    assert Person.objects.count() == 1
    # The same number in another organisation is another person's business.
    factories.person(
        world.actor("partner"),
        village=factories.TRAPEANG_THUM,
        identifiers=[{"type": "national_id", "value": "010123456"}],
    )


def test_the_second_of_two_editors_gets_a_conflict_not_an_overwrite(world):
    actor = world.actor("caseworker_a")
    person = factories.person(actor)
    first = Person.objects.get(pk=person.pk)
    second = Person.objects.get(pk=person.pk)
    services.person_update(actor=actor, person=first, version=first.version, data={"nickname": "Mab"})
    with pytest.raises(Conflict):
        services.person_update(actor=actor, person=second, version=second.version, data={"nickname": "Toch"})
    person.refresh_from_db()
    assert person.nickname == "Mab"
    assert person.version == 2


def test_update_requires_a_version_and_audits_the_change(world):
    actor = world.actor("caseworker_a")
    person = factories.person(actor)
    with pytest.raises(services.VersionMissing):
        services.person_update(actor=actor, person=person, version=None, data={"nickname": "Mab"})
    services.person_update(actor=actor, person=person, version=1, data={"family_name_latin": "Sokh"})
    event = AuditEvent.objects.filter(action="registry.person.updated").get()
    assert event.changes == {"family_name_latin": ["Sok", "Sokh"]}


def test_only_editable_people_can_be_changed(world):
    person = factories.person(world.actor("caseworker_a"))
    with pytest.raises(PermissionDenied):
        services.person_update(
            actor=world.actor("caseworker_b"), person=person, version=1, data={"nickname": "x"}
        )
    with pytest.raises(ValidationFailed):
        services.person_update(
            actor=world.actor("caseworker_a"), person=person, version=1, data={"owner": "x"}
        )


def test_household_members_primary_caregiver_and_idpoor_history(world):
    actor = world.actor("caseworker_a")
    child = factories.person(actor)
    mother = factories.person(
        actor, kind="adult", given_name_latin="Sophea", sex="F", date_of_birth=dt.date(1990, 5, 1)
    )
    grandmother = factories.person(
        actor, kind="adult", given_name_latin="Neary", sex="F", date_of_birth=dt.date(1960, 5, 1)
    )
    household = factories.household(actor, income_sources=["farming", "remittances"], parents_away="thailand")
    services.household_member_add(actor=actor, household=household, person=child, relationship="child")
    services.household_member_add(
        actor=actor, household=household, person=mother, relationship="mother", is_primary_caregiver=True
    )
    services.household_member_add(
        actor=actor,
        household=household,
        person=grandmother,
        relationship="grandparent",
        is_primary_caregiver=True,
    )
    assert list(household.members.filter(is_primary_caregiver=True).values_list("person_id", flat=True)) == [
        grandmother.pk
    ]
    services.idpoor_record(actor=actor, household=household, status="level_2", assessed_on="2024-01-10")
    services.idpoor_record(
        actor=actor,
        household=household,
        status="level_1",
        card_number="eq-12",
        assessed_on="10/06/2025",
        is_card_seen=True,
    )
    services.idpoor_record(actor=actor, household=household, status="level_2", assessed_on="2023-01-10")
    household.refresh_from_db()
    assert (household.idpoor_status, household.equity_card_number) == ("level_1", "EQ-12")
    assert household.idpoor_history.count() == 3
    with pytest.raises(ValidationFailed) as caught:
        services.idpoor_record(actor=actor, household=household, status="not_poor", card_number="X1")
    assert "card_number" in caught.value.errors


def test_functioning_domains_and_flag_are_derived(world):
    actor = world.actor("caseworker_a")
    child = factories.person(actor)  # 11 years old
    answers = {item.code: "no" for item in functioning.ITEMS["cfm_5_17"]}
    answers.update(anxiety="weekly", depression="never", walking_500m="a_lot")
    first = services.functioning_record(
        actor=actor,
        person=child,
        module="cfm_5_17",
        assessed_on="2026-10-01",
        respondent="mother",
        answers=answers,
    )
    assert (first.difficulty_domains, first.has_functional_difficulty) == ([], False)
    answers.update(seeing="a_lot", anxiety="daily")
    second = services.functioning_record(
        actor=actor,
        person=child,
        module="cfm_5_17",
        assessed_on="2026-11-01",
        respondent="mother",
        answers=answers,
    )
    assert second.difficulty_domains == ["seeing", "anxiety"]
    child.refresh_from_db()
    assert child.has_functional_difficulty is True
    with pytest.raises(ValidationFailed) as caught:
        services.functioning_record(
            actor=actor,
            person=child,
            module="cfm_2_4",
            assessed_on="2026-11-01",
            respondent="mother",
            answers={},
        )
    assert "another age group" in str(caught.value.errors["module"][0])
