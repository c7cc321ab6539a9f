"""Child labour monitoring: a committee's visits to workplaces with the children it saw there,
and the one step from a child seen at work to a child-labour case: the child found in the
registry (searched for first) or registered, then the case opened by the cases' own service."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.cases.choices import IdentificationSource
from ponleu.cases.models import Case
from ponleu.cases.services import cases as case_services
from ponleu.common.errors import ValidationFailed
from ponleu.programmes.choices import GroupBase, ProgrammeAction, Sex, Workplace
from ponleu.programmes.models import ChildSeen, Group, MonitoringVisit, ProjectCase
from ponleu.registry.selectors.search import person_matches
from ponleu.registry.services import people as registry

from .base import acting, choice, past, text, village, visible_person
from .projects import RECORD

CASE_TYPE = "child_labour"
# The child-labour case type's subtype for each kind of workplace.
SUBTYPES = {
    Workplace.BRICK_KILN: "brick_kiln",
    Workplace.FARM: "agriculture",
    Workplace.GARBAGE_SITE: "garbage_dump",
}


def _children(rows) -> list[dict]:
    children = []
    for index, row in enumerate(rows or ()):
        where = f"children.{index}"
        sex = choice(row.get("sex"), Sex, field=f"{where}.sex")
        age = row.get("age")
        if age not in (None, ""):
            try:
                age = int(age)
            except (TypeError, ValueError):
                raise ValidationFailed(_("Enter an age in years."), field=f"{where}.age") from None
            if not 0 <= age < 25:
                raise ValidationFailed(_("Enter an age in years."), field=f"{where}.age")
        else:
            age = None
        children.append(
            {"name": text(row.get("name"), 200), "sex": sex, "age": age, "work": text(row.get("work"), 300)}
        )
    return children


@transaction.atomic
def visit_record(
    *,
    actor,
    committee: Group,
    visited_on,
    workplace: str,
    village_code: str,
    workplace_name: str = "",
    note: str = "",
    children=(),
) -> MonitoringVisit:
    committee = acting(actor, Group.objects.select_related("kind"), committee, RECORD)
    if committee.kind.base != GroupBase.LABOUR_COMMITTEE:
        raise ValidationFailed(
            _("Only a child labour monitoring committee visits workplaces."), field="committee"
        )
    visit = MonitoringVisit.objects.create(
        committee=committee,
        visited_on=past(visited_on, field="visited_on"),
        workplace=choice(workplace, Workplace, field="workplace"),
        workplace_name=text(workplace_name, 200),
        village=village(village_code),
        note=text(note, 4000),
        recorded_by_id=actor.user_id,
    )
    seen = _children(children)
    ChildSeen.objects.bulk_create([ChildSeen(visit=visit, **row) for row in seen])
    audit.record(
        actor=actor,
        action=ProgrammeAction.VISIT_RECORDED,
        target=visit,
        changes={"workplace": [None, visit.workplace], "children_seen": [None, len(seen)]},
    )
    return visit


@transaction.atomic
def child_seen_add(
    *, actor, visit: MonitoringVisit, name: str = "", sex: str, age=None, work: str = ""
) -> ChildSeen:
    acting(actor, Group.objects, visit.committee, RECORD)
    (row,) = _children([{"name": name, "sex": sex, "age": age, "work": work}])
    seen = ChildSeen.objects.create(visit=visit, **row)
    audit.record(
        actor=actor,
        action=ProgrammeAction.VISIT_RECORDED,
        target=visit,
        changes={"children_seen": [None, "+1"]},
    )
    return seen


def _birth_year(age: int | None, day: dt.date) -> dt.date | None:
    return dt.date(day.year - age, 7, 1) if age is not None else None


@transaction.atomic
def child_seen_open_case(
    *,
    actor,
    seen: ChildSeen,
    person_id=None,
    new_child: dict | None = None,
    confirmed_new: bool = False,
) -> Case:
    """Open a child-labour case for a child seen at work: ``person_id`` names the registry's
    child (found by the search), or ``new_child`` registers them. Registering is refused while
    the registry holds likely matches, unless the worker confirmed none of them is the child."""
    visit = seen.visit
    committee = acting(actor, Group.objects, visit.committee, RECORD)
    seen = ChildSeen.objects.select_for_update().get(pk=seen.pk)
    if seen.case_id is not None:
        raise ValidationFailed(_("A case is already open for this child."), field="case")
    if bool(person_id) == bool(new_child):
        raise ValidationFailed(_("Choose the child in the registry, or register them."), field="person")
    if person_id:
        person = visible_person(actor, person_id)
    else:
        names = {
            k: text(new_child.get(k), 80)
            for k in ("family_name_km", "given_name_km", "family_name_latin", "given_name_latin")
        }
        birth = _birth_year(seen.age, visit.visited_on)
        matches = person_matches(actor=actor, names=names, date_of_birth=birth, village_code=visit.village_id)
        if (matches.candidates or matches.hidden) and not confirmed_new:
            raise ValidationFailed(
                _("The registry may already hold this child: choose them, or confirm that none is them."),
                field="person",
            )
        data = {**names, "kind": "child", "sex": new_child.get("sex") or seen.sex, "village": visit.village}
        if birth is not None:
            data.update(date_of_birth=birth, date_of_birth_precision="year")
        person = registry.person_create(actor=actor, data=data)
    case = case_services.case_open(
        actor=actor,
        person=person,
        case_type_code=CASE_TYPE,
        source=IdentificationSource.LABOUR_COMMITTEE,
        identified_on=visit.visited_on,
        subtype=SUBTYPES.get(visit.workplace, "other"),
        summary=text(f"{visit.get_workplace_display()} {visit.workplace_name}: {seen.work}", 500),
    )
    ProjectCase.objects.bulk_create(
        [ProjectCase(project=project, case=case) for project in committee.projects.all()],
        ignore_conflicts=True,
    )
    seen.person = person
    seen.case = case
    seen.save(update_fields=["person", "case", "updated_at"])
    audit.record(
        actor=actor,
        action=ProgrammeAction.CHILD_SEEN_CASE,
        target=visit,
        changes={"case": [None, str(case.pk)], "person": [None, str(person.pk)]},
    )
    return case
