"""Registering and editing people, their phones, document numbers and other names."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.registry import policies
from ponleu.registry.choices import AliasSource, NameScript, PersonAction, Relationship
from ponleu.registry.models import Household, HouseholdMember, Identifier, Person, PersonAlias, PersonPhone

from . import cleaning, search_keys
from .cleaning import Errors, add

AUDITED_FIELDS = (*cleaning.PERSON_FIELDS, "owner", "team")
KEY_FIELDS = {*cleaning.NAME_FIELDS, "village", "owner", "team"}


def _village(code: str):
    return cleaning.village_lookup([code]).get(code)


def _snapshot(person: Person) -> dict:
    values = audit.snapshot(person, [f for f in AUDITED_FIELDS if f not in ("village", "owner", "team")])
    values.update(village=person.village_id, owner=person.owner_id, team=person.team_id)
    return values


def identifier_conflicts(organisation_id, identifiers: list[dict], *, exclude_person=None) -> Errors:
    """Numbers already used (same type) in the organisation, or twice in this submission."""
    errors: Errors = {}
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(identifiers):
        pair = (item.get("type"), item.get("value"))
        if pair in seen:
            add(errors, f"identifiers.{index}.value", _("This number is entered twice."))
        seen.add(pair)
    if not identifiers:
        return errors
    taken = Identifier.objects.filter(organisation_id=organisation_id)
    if exclude_person is not None:
        taken = taken.exclude(person_id=exclude_person)
    values = {item["value"] for item in identifiers if item.get("value")}
    existing = set(taken.filter(value__in=values).values_list("type", "value"))
    for index, item in enumerate(identifiers):
        if (item.get("type"), item.get("value")) in existing:
            add(
                errors,
                f"identifiers.{index}.value",
                _("Another person in your organisation already has this %(document)s number.")
                % {"document": Identifier(type=item["type"]).get_type_display().lower()},
            )
    return errors


def _clean_many(items, cleaner, prefix: str) -> tuple[list[dict], Errors]:
    cleaned, errors = [], {}
    for index, item in enumerate(items or ()):
        values, problems = cleaner(item)
        cleaned.append(values)
        errors.update(cleaning.prefixed(problems, f"{prefix}.{index}"))
    return cleaned, errors


def _save_identifiers(person: Person, identifiers: list[dict]) -> list[Identifier]:
    rows = [Identifier(person=person, organisation_id=person.organisation_id, **item) for item in identifiers]
    try:
        with transaction.atomic():
            return Identifier.objects.bulk_create(rows)
    except IntegrityError:
        # Someone saved the same number between our check and our insert.
        raise ValidationFailed(
            errors={
                "identifiers.0.value": [_("Another person in your organisation already has this number.")]
            }
        ) from None


@transaction.atomic
def person_create(
    *,
    actor,
    data: dict,
    phones: list[dict] = (),
    identifiers: list[dict] = (),
    household: Household | None = None,
    relationship: str = "",
    is_primary_caregiver: bool = False,
) -> Person:
    """Register a person (and their phones and documents); nothing is saved unless all is valid."""
    today = clock.today()
    values, errors = cleaning.clean_person(data, today=today, villages=_village)
    phone_rows, phone_errors = _clean_many(phones, cleaning.clean_phone, "phones")
    id_rows, id_errors = _clean_many(identifiers, cleaning.clean_identifier, "identifiers")
    errors.update(phone_errors)
    errors.update(id_errors)
    village = values.get("village") or (household.village if household else None)
    if household is not None:
        policies.require(actor, "registry.edit", household)
        if relationship not in Relationship.values:
            add(errors, "relationship", _("Choose how this person is related to the household."))
    team_id = actor.team_ids[0] if actor.team_ids else None
    if not errors.get("village") and not policies.can_create_in(
        actor, area_code=village.code if village else ""
    ):
        if not actor.can("registry.create"):
            raise PermissionDenied()
        add(errors, "village", _("Choose a village in the areas you work in."))
    if not id_errors:
        errors.update(identifier_conflicts(actor.organisation_id, id_rows))
    if errors:
        raise ValidationFailed(errors=errors)

    values["village"] = village
    person = Person(organisation_id=actor.organisation_id, owner_id=actor.user_id, team_id=team_id, **values)
    person.save(force_insert=True)
    PersonPhone.objects.bulk_create([PersonPhone(person=person, **row) for row in phone_rows])
    _save_identifiers(person, id_rows)
    if household is not None:
        _join(household, person, relationship, is_primary_caregiver)
    search_keys.rebuild([person], fresh=True)
    changes = audit.diff({}, _snapshot(person))
    if phone_rows:
        changes["phones"] = [None, [row["number"] for row in phone_rows]]
    if id_rows:
        changes["identifiers"] = [None, [f"{row['type']}:{row['value']}" for row in id_rows]]
    audit.record(actor=actor, action=PersonAction.CREATED, target=person, changes=changes)
    return person


def _join(household: Household, person: Person, relationship: str, is_primary: bool) -> HouseholdMember:
    if is_primary:
        household.members.filter(is_primary_caregiver=True).update(is_primary_caregiver=False)
    return HouseholdMember.objects.create(
        household=household, person=person, relationship=relationship, is_primary_caregiver=is_primary
    )


@transaction.atomic
def person_update(*, actor, person: Person, version: int | None, data: dict, reason: str = "") -> Person:
    """Change person fields; ``version`` is the one the editor read (a stale one is a conflict)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    # Editing shows every name and number: the web form and the API need the same clearance.
    if not policies.can_edit_person(actor, person):
        if person.is_merged:
            raise Conflict(_("This record was merged into another one; edit that one instead."))
        raise PermissionDenied()
    claim_version(person, version)
    lifting = "is_sensitive" in data and not data["is_sensitive"] and person.is_sensitive
    if lifting and not policies.can_lift_protection(actor, person):
        raise ValidationFailed(
            _("Only a supervisor can lift the protection of this record."), field="is_sensitive"
        )
    unknown = set(data) - set(cleaning.PERSON_FIELDS)
    if unknown:
        raise ValidationFailed(
            errors={name: [_("This field cannot be changed.")] for name in sorted(unknown)}
        )
    current = {name: getattr(person, name) for name in cleaning.PERSON_FIELDS}
    values, errors = cleaning.clean_person(data, today=clock.today(), villages=_village, current=current)
    village = values.get("village", person.village)
    if (
        "village" in values
        and village != person.village
        and not policies.can_create_in(actor, area_code=village.code if village else "")
    ):
        add(errors, "village", _("Choose a village in the areas you work in."))
    if errors:
        raise ValidationFailed(errors=errors)
    before = _snapshot(person)
    for name, value in values.items():
        setattr(person, name, value)
    after = _snapshot(person)
    changes = audit.diff(before, after)
    if not changes:
        return person
    person.save()
    if KEY_FIELDS & set(changes):
        search_keys.rebuild([person])
    audit.record(actor=actor, action=PersonAction.UPDATED, target=person, changes=changes, reason=reason)
    return person


def _editable(actor, person: Person) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    policies.require(actor, "registry.edit", person)
    if person.is_merged:
        raise Conflict(_("This record was merged into another one; edit that one instead."))
    return person


@transaction.atomic
def person_phone_add(*, actor, person: Person, number: str, owner: str, owner_name: str = "") -> PersonPhone:
    person = _editable(actor, person)
    values, errors = cleaning.clean_phone({"number": number, "owner": owner, "owner_name": owner_name})
    if not errors and person.phones.filter(number=values["number"]).exists():
        add(errors, "number", _("This number is already recorded for this person."))
    if errors:
        raise ValidationFailed(errors=errors)
    phone = PersonPhone.objects.create(person=person, **values)
    audit.record(
        actor=actor,
        action=PersonAction.PHONE_ADDED,
        target=person,
        changes={"phone": [None, f"{values['number']} ({values['owner']})"]},
    )
    return phone


@transaction.atomic
def person_phone_remove(*, actor, phone: PersonPhone) -> None:
    person = _editable(actor, phone.person)
    audit.record(
        actor=actor,
        action=PersonAction.PHONE_REMOVED,
        target=person,
        changes={"phone": [str(phone.number), None]},
    )
    phone.delete()


@transaction.atomic
def identifier_add(*, actor, person: Person, type: str, value: str, issued_on=None) -> Identifier:  # noqa: A002
    person = _editable(actor, person)
    values, errors = cleaning.clean_identifier({"type": type, "value": value, "issued_on": issued_on})
    if not errors:
        conflicts = identifier_conflicts(person.organisation_id, [values])
        errors.update({"value": conflicts["identifiers.0.value"]} if conflicts else {})
    if errors:
        raise ValidationFailed(errors=errors)
    try:
        identifier = _save_identifiers(person, [values])[0]
    except ValidationFailed as exc:
        raise ValidationFailed(errors={"value": exc.errors["identifiers.0.value"]}) from None
    audit.record(
        actor=actor,
        action=PersonAction.IDENTIFIER_ADDED,
        target=person,
        changes={values["type"]: [None, values["value"]]},
    )
    return identifier


@transaction.atomic
def identifier_remove(*, actor, identifier: Identifier) -> None:
    person = _editable(actor, identifier.person)
    audit.record(
        actor=actor,
        action=PersonAction.IDENTIFIER_REMOVED,
        target=person,
        changes={identifier.type: [identifier.value, None]},
    )
    identifier.delete()


@transaction.atomic
def alias_add(*, actor, person: Person, name: str, script: str = "", source: str = "spelling") -> PersonAlias:
    person = _editable(actor, person)
    text = cleaning.validators.clean_name(name)
    errors: Errors = {}
    if not text:
        add(errors, "name", _("Enter the name."))
    elif len(text) > 160:
        add(errors, "name", _("At most 160 characters."))
    elif person.aliases.filter(name=text).exists():
        add(errors, "name", _("This name is already recorded."))
    if not script:
        script = NameScript.KHMER if any("\u1780" <= ch <= "\u17ff" for ch in text) else NameScript.LATIN
    if script not in NameScript.values:
        add(errors, "script", _("Choose the script."))
    try:
        source = cleaning.choice(source, AliasSource, _("Choose where this name comes from."))
    except ValidationError as exc:
        errors["source"] = list(exc.messages)
    if errors:
        raise ValidationFailed(errors=errors)
    alias = PersonAlias.objects.create(person=person, name=text, script=script, source=source)
    search_keys.rebuild([person])
    audit.record(actor=actor, action=PersonAction.ALIAS_ADDED, target=person, changes={"alias": [None, text]})
    return alias


@transaction.atomic
def alias_remove(*, actor, alias: PersonAlias) -> None:
    person = _editable(actor, alias.person)
    audit.record(
        actor=actor, action=PersonAction.ALIAS_REMOVED, target=person, changes={"alias": [alias.name, None]}
    )
    alias.delete()
    search_keys.rebuild([person])


PHOTO_MAX_BYTES = 5 * 1024 * 1024
_IMAGE_SIGNATURES = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"))


def image_kind(head: bytes) -> str | None:
    for signature, kind in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


@transaction.atomic
def person_photo_set(*, actor, person: Person, upload) -> Person:
    """Store a photo sealed at rest (JPEG, PNG or WebP, at most 5 MB); replaces the old one."""
    person = _editable(actor, person)
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationFailed(_("The photo is larger than 5 MB."), field="photo")
    head = upload.read(16)
    upload.seek(0)
    if image_kind(head) is None:
        raise ValidationFailed(_("Upload a JPEG, PNG or WebP photo."), field="photo")
    old = person.photo.name
    person.photo.save("photo", upload, save=False)
    person.version += 1
    person.save(update_fields=["photo", "version"])
    if old:
        transaction.on_commit(lambda: person.photo.storage.delete(old))
    audit.record(
        actor=actor,
        action=PersonAction.UPDATED,
        target=person,
        changes={"photo": ["[encrypted]", "[encrypted]"]},
    )
    return person
