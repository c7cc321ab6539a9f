"""Households: who lives together, how they are related, who cares for the children,
their IDPoor history and the facts programmes ask about."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.registry import policies, validators
from ponleu.registry.choices import (
    IDPoorSource,
    IDPoorStatus,
    IncomeSource,
    MigrationDestination,
    PersonAction,
    Relationship,
)
from ponleu.registry.models import IDPOOR_NEWEST_FIRST, Household, HouseholdMember, IDPoorAssessment, Person

from . import cleaning
from .cleaning import Errors, add

HOUSEHOLD_FIELDS = (
    "village",
    "address_detail",
    "parents_away",
    "is_single_parent",
    "is_child_headed",
    "income_sources",
)


def clean_household(data: dict) -> tuple[dict, Errors]:
    cleaned: dict = {}
    errors: Errors = {}
    if "village" in data:
        raw = data["village"]
        if raw in (None, ""):
            cleaned["village"] = None
        else:
            code = raw.code if hasattr(raw, "code") else cleaning.normalise_area_code(raw)
            unit = cleaning.village_lookup([code]).get(code)
            if unit is None:
                add(errors, "village", _("There is no village with the code “%(code)s”.") % {"code": raw})
            else:
                cleaned["village"] = unit
    if "address_detail" in data:
        cleaned["address_detail"] = validators.clean_name(data["address_detail"])[:200]
    if "parents_away" in data:
        try:
            cleaned["parents_away"] = cleaning.choice(
                data["parents_away"] or "", MigrationDestination, _("Choose where the parents work.")
            )
        except ValidationError as exc:
            errors["parents_away"] = list(exc.messages)
    for flag in ("is_single_parent", "is_child_headed"):
        if flag in data:
            cleaned[flag] = bool(data[flag])
    if "income_sources" in data:
        sources = list(dict.fromkeys(data["income_sources"] or []))
        unknown = [s for s in sources if s not in IncomeSource.values]
        if unknown:
            add(
                errors,
                "income_sources",
                _("Unknown income source: %(codes)s.") % {"codes": ", ".join(unknown)},
            )
        cleaned["income_sources"] = [s for s in sources if s in IncomeSource.values]
    return cleaned, errors


def _snapshot(household: Household) -> dict:
    values = audit.snapshot(household, [f for f in HOUSEHOLD_FIELDS if f != "village"])
    values["village"] = household.village_id
    return values


@transaction.atomic
def household_create(*, actor, data: dict) -> Household:
    values, errors = clean_household(data)
    village = values.get("village")
    team_id = actor.team_ids[0] if actor.team_ids else None
    if not errors and not policies.can_create_in(actor, area_code=village.code if village else ""):
        add(errors, "village", _("Choose a village in the areas you work in."))
    if errors:
        raise ValidationFailed(errors=errors)
    household = Household(
        organisation_id=actor.organisation_id, owner_id=actor.user_id, team_id=team_id, **values
    )
    household.save(force_insert=True)
    audit.record(
        actor=actor,
        action=PersonAction.HOUSEHOLD_CREATED,
        target=household,
        changes=audit.diff({}, _snapshot(household)),
    )
    return household


@transaction.atomic
def household_update(*, actor, household: Household, version, data: dict, reason: str = "") -> Household:
    household = Household.objects.select_for_update().get(pk=household.pk)
    policies.require(actor, "registry.edit", household)
    claim_version(household, version)
    unknown = set(data) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValidationFailed(
            errors={name: [_("This field cannot be changed.")] for name in sorted(unknown)}
        )
    values, errors = clean_household(data)
    village = values.get("village", household.village)
    if (
        "village" in values
        and village != household.village
        and not policies.can_create_in(actor, area_code=village.code if village else "")
    ):
        add(errors, "village", _("Choose a village in the areas you work in."))
    if errors:
        raise ValidationFailed(errors=errors)
    before = _snapshot(household)
    for name, value in values.items():
        setattr(household, name, value)
    changes = audit.diff(before, _snapshot(household))
    if not changes:
        return household
    household.save()
    audit.record(
        actor=actor, action=PersonAction.HOUSEHOLD_UPDATED, target=household, changes=changes, reason=reason
    )
    return household


def _locked(actor, household: Household) -> Household:
    household = Household.objects.select_for_update().get(pk=household.pk)
    policies.require(actor, "registry.edit", household)
    return household


@transaction.atomic
def household_member_add(
    *, actor, household: Household, person: Person, relationship: str, is_primary_caregiver: bool = False
) -> HouseholdMember:
    household = _locked(actor, household)
    policies.require(actor, "registry.edit", person)
    errors: Errors = {}
    if person.organisation_id != household.organisation_id:
        add(errors, "person", _("This person belongs to another organisation."))
    if person.is_merged:
        add(errors, "person", _("This record was merged into another one; add that one instead."))
    if relationship not in Relationship.values:
        add(errors, "relationship", _("Choose how this person is related to the household."))
    if household.members.filter(person=person).exists():
        add(errors, "person", _("This person is already a member of the household."))
    if errors:
        raise ValidationFailed(errors=errors)
    if is_primary_caregiver:
        household.members.filter(is_primary_caregiver=True).update(is_primary_caregiver=False)
    member = HouseholdMember.objects.create(
        household=household,
        person=person,
        relationship=relationship,
        is_primary_caregiver=is_primary_caregiver,
    )
    audit.record(
        actor=actor,
        action=PersonAction.MEMBER_ADDED,
        target=household,
        changes={
            "member": [None, str(person.pk)],
            "relationship": [None, relationship],
            "primary": [None, is_primary_caregiver],
        },
    )
    return member


@transaction.atomic
def household_member_change(
    *, actor, member: HouseholdMember, relationship: str, is_primary_caregiver: bool
) -> HouseholdMember:
    _locked(actor, member.household)
    if relationship not in Relationship.values:
        raise ValidationFailed(
            errors={"relationship": [_("Choose how this person is related to the household.")]}
        )
    before = {"relationship": member.relationship, "primary": member.is_primary_caregiver}
    if is_primary_caregiver and not member.is_primary_caregiver:
        HouseholdMember.objects.filter(household_id=member.household_id, is_primary_caregiver=True).update(
            is_primary_caregiver=False
        )
    member.relationship = relationship
    member.is_primary_caregiver = is_primary_caregiver
    member.save()
    changes = audit.diff(before, {"relationship": relationship, "primary": is_primary_caregiver})
    changes["member"] = [str(member.person_id), str(member.person_id)]
    audit.record(actor=actor, action=PersonAction.MEMBER_CHANGED, target=member.household, changes=changes)
    return member


@transaction.atomic
def household_member_remove(*, actor, member: HouseholdMember, reason: str = "") -> None:
    household = _locked(actor, member.household)
    audit.record(
        actor=actor,
        action=PersonAction.MEMBER_REMOVED,
        target=household,
        changes={"member": [str(member.person_id), None], "relationship": [member.relationship, None]},
        reason=reason,
    )
    member.delete()


@transaction.atomic
def idpoor_record(
    *,
    actor,
    household: Household,
    status: str,
    card_number: str = "",
    assessed_on=None,
    valid_until=None,
    source: str = IDPoorSource.UNKNOWN,
    is_card_seen: bool = False,
) -> IDPoorAssessment:
    """Add one IDPoor result; the household's current status follows the newest one."""
    household = _locked(actor, household)
    errors: Errors = {}
    try:
        status = cleaning.choice(status, IDPoorStatus, _("Choose the IDPoor status."))
    except ValidationError as exc:
        errors["status"] = list(exc.messages)
    try:
        source = cleaning.choice(source or IDPoorSource.UNKNOWN, IDPoorSource, _("Choose the source."))
    except ValidationError as exc:
        errors["source"] = list(exc.messages)
    dates = {}
    for name, value in (("assessed_on", assessed_on), ("valid_until", valid_until)):
        try:
            dates[name] = cleaning.parse_date(value)
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    if dates.get("assessed_on") and dates["assessed_on"] > clock.today():
        add(errors, "assessed_on", _("This date is in the future."))
    if dates.get("assessed_on") and dates.get("valid_until") and dates["valid_until"] < dates["assessed_on"]:
        add(errors, "valid_until", _("The card cannot expire before it was assessed."))
    card_number = validators.clean_name(card_number).upper()
    if len(card_number) > 40:
        add(errors, "card_number", _("At most 40 characters."))
    if card_number and status not in (IDPoorStatus.LEVEL_1, IDPoorStatus.LEVEL_2):
        add(errors, "card_number", _("Only IDPoor level 1 and level 2 households hold an equity card."))
    if errors:
        raise ValidationFailed(errors=errors)
    assessment = IDPoorAssessment.objects.create(
        household=household,
        status=status,
        card_number=card_number,
        source=source,
        is_card_seen=is_card_seen,
        recorded_by_id=actor.user_id,
        **dates,
    )
    newest = household.idpoor_history.order_by(*IDPOOR_NEWEST_FIRST).first()
    before = {"idpoor_status": household.idpoor_status, "equity_card_number": household.equity_card_number}
    if newest is not None and newest.pk == assessment.pk:
        household.idpoor_status = status
        household.equity_card_number = card_number
        household.version += 1
        household.save()
    changes = {"assessment": [None, f"{status} {dates.get('assessed_on') or ''}".strip()]}
    changes.update(
        audit.diff(
            before,
            {"idpoor_status": household.idpoor_status, "equity_card_number": household.equity_card_number},
        )
    )
    audit.record(actor=actor, action=PersonAction.IDPOOR_RECORDED, target=household, changes=changes)
    return assessment
