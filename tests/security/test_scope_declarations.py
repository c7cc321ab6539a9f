"""Every model that holds data about a person or a case is scoped through the one queryset.

A new row hanging off a scoped model (a case note, an enrolment, a risk score) without a
``visible_to`` is how a page ends up listing another team's children; this test names it the
day it is written.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from ponleu.access.scopes import Relationship
from ponleu.access.scoping import ScopedQuerySet, Scoping, is_scoped, resolve
from ponleu.cases.models import Case, CaseNote, NoteAttachment
from ponleu.education.models import AttendanceMonth, Enrolment
from ponleu.registry.models import Person, PersonPhone

# Configuration rows that point at scoped rows without holding anyone's data (none yet).
NOT_PERSON_DATA: set[str] = set()


def _project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("ponleu.")]


def _foreign_keys(model):
    return [
        f
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey | models.OneToOneField) and not f.auto_created
    ]


def test_every_model_pointing_at_a_scoped_model_is_scoped():
    unscoped = []
    for model in _project_models():
        if model._meta.label in NOT_PERSON_DATA:
            continue
        targets = [f.name for f in _foreign_keys(model) if is_scoped(f.related_model)]
        if targets and not is_scoped(model):
            unscoped.append(f"{model._meta.label} (foreign key {', '.join(targets)})")
    assert not unscoped, "declare a Scoping (ponleu/access/scoping.py) on: " + "; ".join(unscoped)


@pytest.mark.parametrize("root", [Person, Case], ids=["person", "case"])
def test_every_row_about_a_person_or_a_case_has_visible_to(root):
    """Rows reached from a person or a case by foreign keys, however deep, answer visible_to."""
    reached = {root}
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        for model in _project_models():
            if model in reached:
                continue
            if any(f.related_model is parent for f in _foreign_keys(model)):
                reached.add(model)
                frontier.append(model)
    missing = [m._meta.label for m in reached if not is_scoped(m) or resolve(m).view is None]
    assert not missing, f"no visible_to on {missing}"


def test_a_row_declared_via_its_parent_reads_the_parent_scope():
    spec = resolve(NoteAttachment)
    assert spec.view == "cases.view"
    assert spec.organisation == "note__case__organisation"
    assert spec.owner == "note__case__owner"
    # A grant on the case, and on the child, opens the attachment too.
    assert spec.grants == {"cases.case": "note__case", "registry.person": "note__case__person"}
    attendance = resolve(AttendanceMonth)
    assert attendance.owner == "enrolment__school_class__homeroom_teacher__user"
    assert attendance.team is None
    assert resolve(Enrolment).view == "registry.view"
    assert resolve(PersonPhone).grants == {"registry.person": "person"}


def test_a_model_without_a_declaration_is_refused():
    class Unscoped(ScopedQuerySet):
        pass

    assert Unscoped.scoping is None
    assert Scoping(via="case").prefixed("note").organisation == "note__organisation"


@pytest.mark.django_db
def test_child_rows_follow_their_case(world):
    import datetime as dt

    from ponleu.cases.tests.factories import make_child, open_case

    own = open_case(world)
    theirs = open_case(
        world, worker="caseworker_b", child=make_child(world, village="02080101", team=world.team_b)
    )
    for case in (own, theirs):
        CaseNote.objects.create(
            case=case, interaction="home_visit", happened_on=dt.date(2025, 1, 7), observations="x"
        )
    actor = world.actor("caseworker_a")
    assert list(CaseNote.objects.visible_to(actor).values_list("case_id", flat=True)) == [own.pk]
    relationships = Case.objects.filter(pk__in=[own.pk, theirs.pk]).relationships(actor)
    assert relationships == {own.pk: Relationship.OWN, theirs.pk: Relationship.ORG}
