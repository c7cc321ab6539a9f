"""Projects: their donors, the places they cover, their staff, their log-frame, and the records
tagged to them."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.cases.models import Case
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.geography.models import AdminUnit
from ponleu.organisations.models import Membership
from ponleu.programmes.choices import IndicatorSource, ProgrammeAction, ResultLevel
from ponleu.programmes.models import (
    Donor,
    Event,
    Group,
    Indicator,
    Project,
    ProjectCase,
    ProjectPerson,
    ProjectStaff,
    Result,
    Target,
)
from ponleu.registry.models import Person

from .base import acting, choice, date, required_text, text

MANAGE = "programmes.manage"
RECORD = "programmes.record"


def organisation_members(actor, user_ids, *, field: str) -> list:
    ids = [str(u) for u in user_ids or () if u]
    found = {
        str(u)
        for u in Membership.objects.filter(
            organisation_id=actor.organisation_id, user_id__in=ids, is_active=True
        ).values_list("user_id", flat=True)
    }
    if set(ids) - found:
        raise ValidationFailed(_("Choose members of this organisation."), field=field)
    return ids


def _areas(codes) -> list[AdminUnit]:
    codes = [str(c) for c in codes or () if c]
    units = list(AdminUnit.objects.filter(pk__in=codes, level__in=["province", "district"]))
    if len(units) != len(set(codes)):
        raise ValidationFailed(_("Choose provinces or districts."), field="areas")
    return units


def _donors(actor, names) -> list[Donor]:
    donors = []
    for name in names or ():
        name = text(name, 200)
        if name:
            donor, _created = Donor.objects.get_or_create(organisation_id=actor.organisation_id, name=name)
            donors.append(donor)
    if not donors:
        raise ValidationFailed(_("Name the project's donor."), field="donors")
    return donors


@transaction.atomic
def project_create(
    *,
    actor,
    name: str,
    code: str,
    starts_on,
    ends_on,
    donors: list[str],
    grant_reference: str = "",
    programme: str = "",
    area_codes: list[str] = (),
    partners: list[str] = (),
    manager_id=None,
    team_id=None,
    staff_ids: list = (),
) -> Project:
    """A project of the actor's organisation; its manager is the actor unless named."""
    if not actor.can(MANAGE) or actor.organisation_id is None:
        raise PermissionDenied()
    starts_on = date(starts_on, field="starts_on")
    ends_on = date(ends_on, field="ends_on")
    if ends_on < starts_on:
        raise ValidationFailed(_("The project cannot end before it starts."), field="ends_on")
    code = required_text(code, field="code", limit=20)
    if Project.objects.filter(organisation_id=actor.organisation_id, code=code).exists():
        raise ValidationFailed(_("Another project already has this code."), field="code")
    manager_id = manager_id or actor.user_id
    organisation_members(actor, [manager_id], field="manager")
    staff = organisation_members(actor, staff_ids, field="staff")
    project = Project(
        organisation_id=actor.organisation_id,
        name=required_text(name, field="name"),
        code=code,
        programme=text(programme, 200),
        grant_reference=text(grant_reference, 100),
        starts_on=starts_on,
        ends_on=ends_on,
        partners=[text(p, 200) for p in partners or () if text(p, 200)],
        manager_id=manager_id,
        team_id=team_id if team_id in actor.team_ids else None,
    )
    project.save(force_insert=True)
    project.donors.set(_donors(actor, donors))
    project.areas.set(_areas(area_codes))
    ProjectStaff.objects.bulk_create([ProjectStaff(project=project, user_id=u) for u in staff])
    audit.record(
        actor=actor,
        action=ProgrammeAction.PROJECT_CREATED,
        target=project,
        changes={
            "code": [None, project.code],
            "donors": [None, sorted(d.name for d in project.donors.all())],
            "areas": [None, sorted(str(code) for code in area_codes or ())],
            "staff": [None, sorted(staff)],
        },
    )
    return project


@transaction.atomic
def project_staff_set(*, actor, project: Project, staff_ids: list, version) -> Project:
    project = acting(actor, Project.objects, project, MANAGE)
    claim_version(project, version)
    staff = organisation_members(actor, staff_ids, field="staff")
    before = sorted(str(u) for u in project.staff.values_list("user_id", flat=True))
    project.staff.all().delete()
    ProjectStaff.objects.bulk_create([ProjectStaff(project=project, user_id=u) for u in staff])
    audit.record(
        actor=actor,
        action=ProgrammeAction.PROJECT_UPDATED,
        target=project,
        changes={"staff": [before, sorted(staff)]},
    )
    return project


# --- the log-frame ---------------------------------------------------------------------------


@transaction.atomic
def result_add(
    *, actor, project: Project, level: str, code: str, statement: str, parent: Result | None = None
) -> Result:
    project = acting(actor, Project.objects, project, MANAGE)
    level = choice(level, ResultLevel, field="level")
    if parent is not None and (parent.project_id != project.pk or parent.level != ResultLevel.OUTCOME):
        raise ValidationFailed(_("An output belongs to an outcome of the same project."), field="parent")
    code = required_text(code, field="code", limit=20)
    if Result.objects.filter(project=project, code=code).exists():
        raise ValidationFailed(_("Another line of the log-frame has this code."), field="code")
    result = Result.objects.create(
        project=project,
        level=level,
        code=code,
        statement=required_text(statement, field="statement", limit=500),
        parent=parent,
    )
    audit.record(
        actor=actor,
        action=ProgrammeAction.PROJECT_UPDATED,
        target=project,
        changes={f"result.{code}": [None, level]},
    )
    return result


@transaction.atomic
def indicator_add(
    *, actor, result: Result, code: str, statement: str, source: str = IndicatorSource.MANUAL
) -> Indicator:
    project = acting(actor, Project.objects, result.project, MANAGE)
    indicator = Indicator.objects.create(
        result=result,
        code=required_text(code, field="code", limit=20),
        statement=required_text(statement, field="statement", limit=500),
        source=choice(source, IndicatorSource, field="source"),
    )
    audit.record(
        actor=actor,
        action=ProgrammeAction.PROJECT_UPDATED,
        target=project,
        changes={f"indicator.{indicator.code}": [None, indicator.source]},
    )
    return indicator


@transaction.atomic
def target_set(
    *, actor, indicator: Indicator, period: str, starts_on, ends_on, value: int, achieved: int | None = None
) -> Target:
    """The indicator's target for one period (set again, it changes)."""
    project = acting(actor, Project.objects, indicator.result.project, MANAGE)
    starts_on = date(starts_on, field="starts_on")
    ends_on = date(ends_on, field="ends_on")
    if ends_on < starts_on:
        raise ValidationFailed(_("The period cannot end before it starts."), field="ends_on")
    if int(value) < 0 or (achieved is not None and int(achieved) < 0):
        raise ValidationFailed(_("Enter a number of zero or more."), field="value")
    if achieved is not None and indicator.source != IndicatorSource.MANUAL:
        raise ValidationFailed(
            _("This indicator is counted from the records: it is not entered."), field="achieved"
        )
    period = required_text(period, field="period", limit=20)
    target, _created = Target.objects.update_or_create(
        indicator=indicator,
        period=period,
        defaults={"starts_on": starts_on, "ends_on": ends_on, "value": int(value), "achieved": achieved},
    )
    audit.record(
        actor=actor,
        action=ProgrammeAction.TARGET_SET,
        target=project,
        changes={f"target.{indicator.code}.{period}": [None, int(value)]},
    )
    return target


# --- tagging ---------------------------------------------------------------------------------


@transaction.atomic
def project_tag(*, actor, project: Project, record, since=None) -> None:
    """Count ``record`` (a person, a group, an event or a case the actor may work on) in the
    project. A record may be counted by several projects; tagging twice changes nothing."""
    project = acting(actor, Project.objects, project, RECORD)
    if isinstance(record, Person):
        person = Person.objects.visible_to(actor).filter(pk=record.pk).first()
        if person is None:
            raise PermissionDenied()
        try:
            with transaction.atomic():
                ProjectPerson.objects.get_or_create(
                    project=project, person=person, defaults={"since": date(since, field="since")}
                )
        except IntegrityError:
            return
    elif isinstance(record, Group | Event):
        model = type(record)
        if not model.objects.actionable_by(actor, RECORD).filter(pk=record.pk).exists():
            raise PermissionDenied()
        record.projects.add(project)
    elif isinstance(record, Case):
        if not Case.objects.actionable_by(actor, "cases.edit").filter(pk=record.pk).exists():
            raise PermissionDenied()
        ProjectCase.objects.get_or_create(project=project, case=record)
    else:
        raise ValidationFailed(_("This record cannot be counted by a project."))
    audit.record(
        actor=actor,
        action=ProgrammeAction.PROJECT_TAGGED,
        target=project,
        changes={"tagged": [None, f"{record._meta.label_lower}:{record.pk}"]},
    )


def tag_projects(actor, record, project_ids) -> list[Project]:
    """The projects named for a new record, each one the actor records for."""
    ids = [str(p) for p in project_ids or () if p]
    projects = list(Project.objects.actionable_by(actor, RECORD).filter(pk__in=ids))
    if len(projects) != len(set(ids)):
        raise ValidationFailed(_("Choose projects you work on."), field="projects")
    if projects:
        record.projects.set(projects)
    return projects
