"""Recording and withdrawing consent. Checking it is ``policies.consent_allows``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import Conflict, ValidationFailed
from ponleu.organisations.models import Organisation
from ponleu.registry import policies, signals, validators
from ponleu.registry.choices import (
    ChildAssent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    DataCategory,
    PersonAction,
    ProviderKind,
)
from ponleu.registry.models import Consent, Person

from . import cleaning
from .cleaning import Errors, add
from .people import image_kind

FORM_MAX_BYTES = 10 * 1024 * 1024


def clean_consent(data: dict, *, today) -> tuple[dict, Errors]:
    errors: Errors = {}
    cleaned: dict = {}
    for name, choices, message in (
        ("purpose", ConsentPurpose, _("Choose what the consent is for.")),
        ("given_by", ConsentGiver, _("Choose who gave the consent.")),
        ("method", ConsentMethod, _("Choose how the consent was recorded.")),
    ):
        try:
            cleaned[name] = cleaning.choice(data.get(name), choices, message)
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    for name in ("given_on", "valid_until"):
        try:
            cleaned[name] = cleaning.parse_date(data.get(name))
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    if not errors.get("given_on"):
        if cleaned["given_on"] is None:
            add(errors, "given_on", _("Enter the date the consent was given."))
        elif cleaned["given_on"] > today:
            add(errors, "given_on", _("This date is in the future."))
    if (
        cleaned.get("given_on")
        and cleaned.get("valid_until")
        and cleaned["valid_until"] < cleaned["given_on"]
    ):
        add(errors, "valid_until", _("Consent cannot end before it was given."))
    cleaned["given_by_name"] = validators.clean_name(data.get("given_by_name"))[:160]
    cleaned["witness_name"] = validators.clean_name(data.get("witness_name"))[:160]
    cleaned["recipient_name"] = validators.clean_name(data.get("recipient_name"))[:200]
    recipient = data.get("recipient")
    if recipient not in (None, "") and not isinstance(recipient, Organisation):
        recipient = Organisation.objects.filter(pk=recipient, is_active=True).first()
        if recipient is None:
            add(errors, "recipient", _("Choose an organisation from the list."))
    cleaned["recipient"] = recipient or None
    kind = data.get("recipient_kind") or ""
    if kind and kind not in ProviderKind.values:
        add(errors, "recipient_kind", _("Choose a kind of service from the list."))
    cleaned["recipient_kind"] = kind if kind in ProviderKind.values else ""
    categories = data.get("data_categories") or []
    if isinstance(categories, str):
        categories = [categories]
    if any(c not in DataCategory.values for c in categories):
        add(errors, "data_categories", _("Choose what may be shared from the list."))
    cleaned["data_categories"] = sorted({c for c in categories if c in DataCategory.values})
    assent = data.get("child_assent") or ChildAssent.NOT_ASKED
    if assent not in ChildAssent.values:
        add(errors, "child_assent", _("Choose whether the child agreed."))
    cleaned["child_assent"] = assent if assent in ChildAssent.values else ChildAssent.NOT_ASKED
    if cleaned.get("purpose") == ConsentPurpose.SHARE:
        if cleaned["recipient"] is None and not cleaned["recipient_name"] and not cleaned["recipient_kind"]:
            add(errors, "recipient_name", _("Name the organisation the information may be shared with."))
    else:
        cleaned["recipient"], cleaned["recipient_name"], cleaned["recipient_kind"] = None, "", ""
    if cleaned.get("method") == ConsentMethod.VERBAL_WITNESSED and not cleaned["witness_name"]:
        add(errors, "witness_name", _("Verbal consent needs the name of a witness."))
    if cleaned.get("given_by") in (ConsentGiver.CAREGIVER, ConsentGiver.GUARDIAN):
        giver = data.get("given_by_person")
        if not giver and not cleaned["given_by_name"]:
            add(errors, "given_by_name", _("Name the caregiver or guardian who gave consent."))
    return cleaned, errors


@transaction.atomic
def consent_record(*, actor, person: Person, data: dict, form_file=None) -> Consent:
    """Record consent; ``form_file`` is the scanned signed form (PDF, JPEG or PNG), sealed at rest."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    policies.require(actor, "registry.edit", person)
    if person.is_merged:
        raise Conflict(_("This record was merged into another one; record consent there."))
    values, errors = clean_consent(data, today=clock.today())
    giver = data.get("given_by_person")
    if giver:
        giver_id = getattr(giver, "pk", giver)
        giver = (
            Person.objects.visible_to(actor)
            .filter(pk=giver_id, organisation_id=person.organisation_id)
            .first()
        )
        if giver is None:
            add(errors, "given_by_person", _("Choose a household member from the list."))
    if form_file is not None:
        head = form_file.read(8)
        form_file.seek(0)
        if form_file.size > FORM_MAX_BYTES:
            add(errors, "form_file", _("The file is larger than 10 MB."))
        elif not (head.startswith(b"%PDF") or image_kind(head)):
            add(errors, "form_file", _("Upload the signed form as a PDF, JPEG or PNG file."))
    age = person.age_on(values["given_on"]) if values.get("given_on") else None
    if (
        age is not None
        and validators.ASSENT_AGE <= age < validators.CHILD_AGE_LIMIT
        and values.get("given_by") != ConsentGiver.CHILD
        and values.get("child_assent") == ChildAssent.NOT_ASKED
    ):
        add(
            errors,
            "child_assent",
            _("The child is %(age)s: ask them too, and record whether they agreed.") % {"age": age},
        )
    if errors:
        raise ValidationFailed(errors=errors)
    consent = Consent(
        person=person,
        organisation_id=person.organisation_id,
        given_by_person=giver or None,
        recorded_by_id=actor.user_id,
        **values,
    )
    if form_file is not None:
        consent.form_file.save("form", form_file, save=False)
    consent.save(force_insert=True)
    changes = {
        "consent": [None, str(consent.pk)],
        "purpose": [None, consent.purpose],
        "given_by": [None, consent.given_by],
        "given_on": [None, consent.given_on.isoformat()],
        "method": [None, consent.method],
    }
    if consent.purpose == ConsentPurpose.SHARE:
        changes["recipient"] = [
            None,
            str(consent.recipient_id or consent.recipient_name or consent.recipient_kind),
        ]
        changes["data_categories"] = [None, consent.data_categories]
    changes["child_assent"] = [None, consent.child_assent]
    audit.record(actor=actor, action=PersonAction.CONSENT_RECORDED, target=person, changes=changes)
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent, reason: str = "") -> Consent:
    """From this moment ``consent_allows`` answers no for this consent, and whatever rested on
    it ends in the same transaction (``signals.consent_withdrawn``: the open referrals)."""
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    policies.require(actor, "registry.edit", consent.person)
    if consent.withdrawn_at is not None:
        raise Conflict(_("This consent was already withdrawn."))
    now = clock.now()
    consent.withdrawn_at = now
    consent.withdrawn_on = clock.today()
    consent.withdrawal_reason = validators.clean_name(reason)[:1000]
    consent.save(update_fields=["withdrawn_at", "withdrawn_on", "withdrawal_reason"])
    audit.record(
        actor=actor,
        action=PersonAction.CONSENT_WITHDRAWN,
        target=consent.person,
        changes={"consent": [str(consent.pk), str(consent.pk)], "withdrawn_at": [None, now.isoformat()]},
        reason=consent.withdrawal_reason,
    )
    # Whatever rested on it ends in this transaction (the referrals app listens).
    signals.consent_withdrawn.send(sender=Consent, consent=consent, actor=actor)
    return consent
