"""Nurseries as programme groups: opening one creates the group (of a kind named after the
kind of nursery) and the nursery's own details; its children join as the group's members and
its days are the group's sessions, recorded through the programme services."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common.errors import ValidationFailed
from ponleu.early_childhood.choices import EarlyChildhoodAction, NurseryKind
from ponleu.early_childhood.models import Factory, Nursery
from ponleu.programmes.choices import GroupBase
from ponleu.programmes.models import Group, GroupKind, Session
from ponleu.programmes.services import groups as group_services
from ponleu.programmes.services.base import acting, choice, past

RECORD = "programmes.record"
VIEW = "programmes.view"
MOST_PLACES = 1000


def nursery_group_kind(*, organisation_id, kind: str) -> GroupKind:
    """The programmes kind of group a kind of nursery stands for, created the first time with
    its Khmer and English names (the organisation may rename it)."""
    label = NurseryKind(kind).label
    with translation.override("en"):
        name_en = str(label)
    found = GroupKind.objects.filter(organisation_id=organisation_id, name_en=name_en).first()
    if found is not None:
        return found
    with translation.override("km"):
        name_km = str(label)
    return GroupKind.objects.create(
        organisation_id=organisation_id, base=GroupBase.OTHER, name_km=name_km, name_en=name_en
    )


def _places(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        places = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a whole number."), field="capacity") from None
    if places < 1 or places > MOST_PLACES:
        raise ValidationFailed(_("Enter a number between 1 and 1,000."), field="capacity")
    return places


@transaction.atomic
def nursery_open(
    *,
    actor,
    kind: str,
    name: str,
    village_code: str,
    starts_on,
    schedule: str = "",
    factory: Factory | None = None,
    capacity=None,
    parents_group_id=None,
    facilitator_id=None,
    team_id=None,
) -> Nursery:
    """A nursery opened: a programmes group of the nursery's kind, with its factory (a factory
    nursery must name one) and the parents' group of its caregiver sessions."""
    kind = choice(kind, NurseryKind, field="kind")
    if factory is not None and factory.organisation_id != actor.organisation_id:
        raise ValidationFailed(_("Choose a factory this organisation follows."), field="factory")
    if kind == NurseryKind.FACTORY and factory is None:
        raise ValidationFailed(_("A factory nursery names its factory."), field="factory")
    parents_group = None
    if parents_group_id:
        parents_group = Group.objects.visible_to(actor).filter(pk=str(parents_group_id)).first()
        if parents_group is None or parents_group.kind.base != GroupBase.PARENTS_ASSOCIATION:
            raise ValidationFailed(_("Choose a parents' group you work with."), field="parents_group")
    places = _places(capacity)
    group = group_services.group_create(
        actor=actor,
        kind=nursery_group_kind(organisation_id=actor.organisation_id, kind=kind),
        name=name,
        village_code=village_code,
        starts_on=starts_on,
        schedule=schedule,
        facilitator_id=facilitator_id,
        team_id=team_id,
    )
    nursery = Nursery.objects.create(
        group=group, kind=kind, factory=factory, capacity=places, parents_group=parents_group
    )
    audit.record(
        actor=actor,
        action=EarlyChildhoodAction.NURSERY_CREATED,
        target=nursery,
        changes={
            "kind": [None, kind],
            "factory": [None, str(factory.pk) if factory else None],
            "capacity": [None, places],
        },
    )
    return nursery


def day_session(nursery: Nursery, day) -> Session | None:
    """The nursery's session of ``day``: a nursery meets once a day, whatever its topic."""
    return Session.objects.filter(group_id=nursery.group_id, held_on=day).order_by("created_at").first()


@transaction.atomic
def nursery_day_record(*, actor, nursery: Nursery, day, present_ids, version=None) -> Session:
    """The day's roll call: the children present (ids of their memberships). The first roll
    call of the day records the session; a later one corrects it, naming the version read."""
    group = acting(actor, Group.objects, nursery.group, RECORD)
    day = past(day, field="held_on")
    session = day_session(nursery, day)
    if session is None:
        topic = _("Nursery day")
        return group_services.session_record(
            actor=actor, group=group, held_on=day, topic=topic, present_ids=present_ids
        )
    return group_services.attendance_save(
        actor=actor, session=session, present_ids=present_ids, version=version
    )
