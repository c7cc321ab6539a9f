"""A school history goes in through the apps that own its rows (registry, education)."""

import datetime as dt
import zoneinfo

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied
from ponleu.early_warning.engine import synthetic
from ponleu.early_warning.services.history_import import history_import
from ponleu.education.choices import CalendarDayKind, EducationAction
from ponleu.education.models import AcademicYear, CalendarDay, Enrolment, SchoolClass
from ponleu.registry.choices import PersonAction
from ponleu.registry.models import Person, PersonSearchKey
from ponleu.registry.selectors.search import person_matches, person_search

PP = zoneinfo.ZoneInfo("Asia/Phnom_Penh")


@pytest.fixture
def imported(world, tmp_path):
    synthetic.generate_history(tmp_path, students=40, cohorts=1, seed=5, first_year=2024)
    with clock.frozen(dt.datetime(2026, 5, 12, 9, tzinfo=PP)):
        return history_import(actor=world.actor("org_admin"), folder=tmp_path, village="02010101")


def test_a_child_imported_from_a_school_history_is_found_by_name_search_at_once(world, imported):
    child = Person.objects.filter(organisation=world.org).order_by("given_name_latin").first()
    assert PersonSearchKey.objects.filter(person=child).exists()
    viewer = world.actor("supervisor")
    hits = person_search(actor=viewer, query=f"{child.family_name_latin} {child.given_name_latin}")
    assert child.pk in [hit.person.pk for hit in hits]
    matches = person_matches(
        actor=viewer,
        names={"family_name_latin": child.family_name_latin, "given_name_latin": child.given_name_latin},
        date_of_birth=child.date_of_birth,
        village_code=child.village_id,
    )
    assert child.pk in [candidate.person.pk for candidate in matches.candidates]


def test_the_owning_apps_audit_what_they_wrote(world, imported):
    people = AuditEvent.objects.get(action=PersonAction.IMPORTED)
    assert sorted(people.changes["people"][1]) == sorted(
        str(pk) for pk in Person.objects.filter(organisation=world.org).values_list("pk", flat=True)
    )
    assert imported.people == 40
    assert AuditEvent.objects.filter(action=EducationAction.YEAR_CREATED).count() == 1
    assert AuditEvent.objects.filter(action=EducationAction.SCHOOL_CREATED).count() == imported.schools
    classes = AuditEvent.objects.get(action=EducationAction.CLASS_CREATED)
    assert len(classes.changes["classes"][1]) == SchoolClass.objects.count() == imported.classes
    assert AuditEvent.objects.get(action=EducationAction.ENROLLED).changes == {"enrolments": [None, 40]}
    assert Enrolment.objects.filter(organisation=world.org).count() == 40


def test_days_nobody_recorded_are_closures_not_holidays(world, imported):
    year = AcademicYear.objects.get(organisation=world.org)
    kinds = set(CalendarDay.objects.filter(year=year).values_list("kind", flat=True))
    assert kinds <= {CalendarDayKind.CLOSURE}


def test_only_those_who_manage_schools_may_load_a_history(world, tmp_path):
    synthetic.generate_history(tmp_path, students=10, cohorts=1, seed=5, first_year=2024)
    with pytest.raises(PermissionDenied):
        history_import(actor=world.actor("supervisor"), folder=tmp_path, village="02010101")
    assert not Person.objects.filter(organisation=world.org).exists()
