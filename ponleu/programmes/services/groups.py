"""Groups of any kind the organisation runs, their members, and their sessions with the
attendance taken on the day: registered members present, and people who came without being
registered, counted by sex and age band."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.audit import services as audit
from ponleu.common.errors import ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.education.models import School
from ponleu.programmes.choices import GroupBase, MemberRole, ProgrammeAction
from ponleu.programmes.models import Attendance, Group, GroupKind, GroupMember, Session, SessionHeadcount

from .base import (
    acting,
    choice,
    date,
    headcounts,
    past,
    require_place,
    required_text,
    text,
    village,
    visible_people,
)
from .projects import MANAGE, RECORD, organisation_members, tag_projects

# The kinds an organisation starts with; it renames, adds or retires its own.
DEFAULT_KINDS = [
    (GroupBase.CHILD_CLUB, gettext_lazy("Child club")),
    (GroupBase.NON_FORMAL_CLASS, gettext_lazy("Non-formal class")),
    (GroupBase.REMEDIAL_CLASS, gettext_lazy("Remedial class")),
    (GroupBase.PARENTS_ASSOCIATION, gettext_lazy("Parents' association")),
    (GroupBase.STUDENT_COUNCIL, gettext_lazy("Student council")),
    (GroupBase.SELF_HELP_GROUP, gettext_lazy("Self-help group")),
    (GroupBase.LABOUR_COMMITTEE, gettext_lazy("Child labour monitoring committee")),
    (GroupBase.VOCATIONAL_COURSE, gettext_lazy("Vocational course")),
]


def group_kinds_seed(*, organisation_id) -> list[GroupKind]:
    """The organisation's kinds of group, the default ones created the first time."""
    kinds = list(GroupKind.objects.filter(organisation_id=organisation_id))
    if kinds:
        return kinds
    rows = []
    for base, label in DEFAULT_KINDS:
        with translation.override("km"):
            name_km = str(label)
        with translation.override("en"):
            name_en = str(label)
        rows.append(GroupKind(organisation_id=organisation_id, base=base, name_km=name_km, name_en=name_en))
    return GroupKind.objects.bulk_create(rows)


@transaction.atomic
def group_create(
    *,
    actor,
    kind: GroupKind,
    name: str,
    village_code: str,
    starts_on,
    schedule: str = "",
    school: School | None = None,
    facilitator_id=None,
    team_id=None,
    project_ids=(),
) -> Group:
    if kind.organisation_id != actor.organisation_id or not kind.is_active:
        raise ValidationFailed(_("Choose a kind of group."), field="kind")
    unit = village(village_code)
    team_id = team_id if team_id in actor.team_ids else None
    facilitator_id = facilitator_id or actor.user_id
    require_place(actor, MANAGE, unit.code)
    if school is not None and school.organisation_id != actor.organisation_id:
        raise ValidationFailed(_("Choose a school of this organisation."), field="school")
    organisation_members(actor, [facilitator_id], field="facilitator")
    group = Group(
        organisation_id=actor.organisation_id,
        kind=kind,
        name=required_text(name, field="name"),
        village=unit,
        school=school,
        schedule=text(schedule, 200),
        starts_on=date(starts_on, field="starts_on"),
        owner_id=facilitator_id,
        team_id=team_id,
    )
    group.save(force_insert=True)
    projects = tag_projects(actor, group, project_ids)
    audit.record(
        actor=actor,
        action=ProgrammeAction.GROUP_CREATED,
        target=group,
        changes={
            "kind": [None, kind.base],
            "village": [None, unit.code],
            "facilitator": [None, str(facilitator_id)],
            "projects": [None, sorted(p.code for p in projects)],
        },
    )
    return group


@transaction.atomic
def member_add(*, actor, group: Group, person_id, joined_on, role: str = MemberRole.MEMBER) -> GroupMember:
    """A person the actor sees joins the group; someone already a member is refused."""
    (member,) = members_add(actor=actor, group=group, person_ids=[person_id], joined_on=joined_on, role=role)
    return member


@transaction.atomic
def members_add(
    *, actor, group: Group, person_ids, joined_on, role: str = MemberRole.MEMBER
) -> list[GroupMember]:
    """People the actor sees join the group together (a class list, a committee); anyone
    already a member, or named twice, is refused and nobody joins."""
    group = acting(actor, Group.objects, group, RECORD)
    role = choice(role, MemberRole, field="role")
    joined_on = date(joined_on, field="joined_on")
    ids = [str(pk) for pk in person_ids]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(_("This person is listed twice."), field="person")
    people = {str(p.pk): p for p in visible_people(actor, ids)}
    if len(people) != len(ids):
        raise ValidationFailed(_("Choose a person registered by this organisation."), field="person")
    if GroupMember.objects.filter(group=group, person_id__in=ids, left_on__isnull=True).exists():
        raise ValidationFailed(_("This person is already a member of the group."), field="person")
    rows = [GroupMember(group=group, person=people[pk], role=role, joined_on=joined_on) for pk in ids]
    try:
        with transaction.atomic():
            members = GroupMember.objects.bulk_create(rows)
    except IntegrityError:
        raise ValidationFailed(_("This person is already a member of the group."), field="person") from None
    audit.record(
        actor=actor,
        action=ProgrammeAction.MEMBER_ADDED,
        target=group,
        changes={"members": [None, sorted(ids)]},
    )
    return members


@transaction.atomic
def member_leave(*, actor, member: GroupMember, left_on) -> GroupMember:
    group = acting(actor, Group.objects, member.group, RECORD)
    left_on = date(left_on, field="left_on")
    if member.left_on is not None:
        raise ValidationFailed(_("This member has already left."), field="left_on")
    if left_on < member.joined_on:
        raise ValidationFailed(_("A member cannot leave before joining."), field="left_on")
    member.left_on = left_on
    member.save(update_fields=["left_on", "updated_at"])
    audit.record(
        actor=actor,
        action=ProgrammeAction.MEMBER_LEFT,
        target=group,
        changes={"member": [str(member.person_id), None]},
    )
    return member


def members_on(group: Group, day):
    """Members of the group on ``day``: joined by then and not yet left."""
    return GroupMember.objects.filter(group=group, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


def _present(group: Group, day, present_ids) -> list[GroupMember]:
    ids = [str(i) for i in present_ids or ()]
    if len(ids) != len(set(ids)):
        raise ValidationFailed(_("A member is marked present twice."), field="present")
    members = list(members_on(group, day).filter(pk__in=ids))
    if len(members) != len(ids):
        raise ValidationFailed(
            _("Mark only members of the group on the day of the session."), field="present"
        )
    return members


def _save_attendance(session: Session, members, counted) -> dict:
    Attendance.objects.filter(session=session).delete()
    SessionHeadcount.objects.filter(session=session).delete()
    Attendance.objects.bulk_create(
        [Attendance(session=session, member=m, person_id=m.person_id) for m in members]
    )
    SessionHeadcount.objects.bulk_create([SessionHeadcount(session=session, **row) for row in counted])
    return {"present": len(members), "counted": sum(row["count"] for row in counted)}


@transaction.atomic
def session_record(
    *,
    actor,
    group: Group,
    held_on,
    topic: str,
    present_ids=(),
    counted=(),
    facilitator_id=None,
) -> Session:
    """A session held, with its attendance: the members present (ids of memberships) and the
    people counted without registration. The same session (group, day and topic) twice is
    refused."""
    group = acting(actor, Group.objects, group, RECORD)
    held_on = past(held_on, field="held_on")
    topic = required_text(topic, field="topic")
    if held_on < group.starts_on:
        raise ValidationFailed(_("The group had not started on this day."), field="held_on")
    if Session.objects.filter(group=group, held_on=held_on, topic=topic).exists():
        raise ValidationFailed(
            _("This session is already recorded: open it to change its attendance."), field="held_on"
        )
    members = _present(group, held_on, present_ids)
    counted = headcounts(counted)
    session = Session(
        group=group,
        held_on=held_on,
        topic=topic,
        facilitator_id=facilitator_id or actor.user_id,
        attendance_taken=True,
    )
    try:
        with transaction.atomic():
            session.save(force_insert=True)
    except IntegrityError:
        raise ValidationFailed(
            _("This session is already recorded: open it to change its attendance."), field="held_on"
        ) from None
    totals = _save_attendance(session, members, counted)
    audit.record(
        actor=actor,
        action=ProgrammeAction.SESSION_RECORDED,
        target=session,
        changes={
            "held_on": [None, held_on.isoformat()],
            "topic": [None, topic],
            **{k: [None, v] for k, v in totals.items()},
        },
    )
    return session


@transaction.atomic
def attendance_save(*, actor, session: Session, present_ids=(), counted=(), version) -> Session:
    """The session's attendance taken again (corrected): replaces what was saved."""
    acting(actor, Group.objects, session.group, RECORD)
    session = Session.objects.select_for_update().get(pk=session.pk)
    claim_version(session, version)
    before = {
        "present": Attendance.objects.filter(session=session).count(),
        "counted": sum(SessionHeadcount.objects.filter(session=session).values_list("count", flat=True)),
    }
    members = _present(session.group, session.held_on, present_ids)
    totals = _save_attendance(session, members, headcounts(counted))
    session.attendance_taken = True
    session.save(update_fields=["attendance_taken", "version"])
    audit.record(
        actor=actor,
        action=ProgrammeAction.ATTENDANCE_SAVED,
        target=session,
        changes={k: [before[k], v] for k, v in totals.items()},
    )
    return session
