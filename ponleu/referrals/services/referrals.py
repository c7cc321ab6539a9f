"""Referrals: drafting, sending under consent, the receiving side's steps, and the end of
sharing when consent is withdrawn. Each is one transaction with its audit rows."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.notifications.choices import NotificationKind
from ponleu.notifications.services import notify
from ponleu.organisations.choices import Role
from ponleu.organisations.models import Membership
from ponleu.referrals import selectors, workflow
from ponleu.referrals.choices import (
    DEFAULT_SHARED_FIELDS,
    FIELD_CATEGORY,
    FINAL_STATUSES,
    DeclineReason,
    LegalException,
    ReferralAction,
    ReferralEvent,
    ReferralOrigin,
    ReferralStatus,
    ServiceType,
    SharedField,
    Urgency,
)
from ponleu.referrals.models import Provider, Referral, SharedRecord
from ponleu.registry import policies as registry_policies
from ponleu.registry import services as registry_services
from ponleu.registry.choices import ConsentPurpose
from ponleu.registry.models import Consent, Person
from ponleu.registry.selectors.search import search

from . import casework

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def _reference() -> str:
    return "PR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _claim(referral: Referral, version) -> None:
    try:
        expected = int(version)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("The record's version is missing; reload the page."), field="version"
        ) from None
    if not Referral.objects.filter(pk=referral.pk, version=expected).update(version=F("version") + 1):
        raise Conflict()
    referral.version = expected + 1


def _text(value, *, field: str, required: bool = False, limit: int = 4000) -> str:
    text = str(value or "").replace("\x00", "").strip()[:limit]
    if required and not text:
        raise ValidationFailed(_("This field is required."), field=field)
    return text


def _acting(actor, referral_id, capability: str) -> Referral:
    """The referral as ``actor`` may act on it with ``capability``, locked for the write."""
    found = (
        Referral.objects.actionable_by(actor, capability).filter(pk=referral_id).values_list("pk", flat=True)
    )
    if not found:
        raise PermissionDenied()
    return Referral.objects.select_for_update().select_related("provider", "person").get(pk=referral_id)


@transaction.atomic
def referral_draft(
    *,
    actor,
    person: Person,
    provider: Provider,
    service: str,
    reason: str,
    urgency: str = Urgency.ROUTINE,
    origin: str = ReferralOrigin.REGISTRY,
    shared_fields=DEFAULT_SHARED_FIELDS,
    case=None,
    household=None,
    risk_flag=None,
    legal_exception: str = "",
    legal_exception_note: str = "",
) -> Referral:
    """A draft, from where the worker met the need (``origin``): a case, a household's family
    support, a dropout-risk flag or the child's record; the case, household or flag it came
    from is named with it. A provider that does not serve the child's commune is allowed
    (the pages warn), a provider that is the worker's own organisation is not."""
    if person.is_merged:
        raise Conflict(_("This record was merged into another one; refer the child from there."))
    if not actor.allows_object("referrals.send", person):
        raise PermissionDenied()
    errors: dict = {}
    if not provider.is_active:
        errors["provider"] = [_("This provider is no longer in the directory.")]
    if service not in ServiceType.values or not provider.services.filter(service=service).exists():
        errors["service"] = [_("Choose a service this provider offers.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose how urgent it is.")]
    if origin not in ReferralOrigin.values:
        errors["origin"] = [_("Choose where the referral comes from.")]
    fields = sorted(set(shared_fields))
    if any(f not in SharedField.values for f in fields):
        errors["shared_fields"] = [_("Choose what to share from the list.")]
    if legal_exception and legal_exception not in LegalException.values:
        errors["legal_exception"] = [_("Choose the legal exception from the list.")]
    if legal_exception and not str(legal_exception_note or "").strip():
        errors["legal_exception_note"] = [_("Explain the danger or give the court order's reference.")]
    if provider.organisation_id is not None and provider.organisation_id == actor.organisation_id:
        errors["provider"] = [_("This provider is your own organisation: open a case instead.")]
    if case is not None and case.person_id != person.pk:
        errors["case"] = [_("This case is about another child.")]
    if household is not None and not household.members.filter(person=person).exists():
        errors["household"] = [_("The child is not a member of this household.")]
    if risk_flag is not None and risk_flag.enrolment.person_id != person.pk:
        errors["risk_flag"] = [_("This flag is about another child.")]
    for name, needed, link in (
        ("case", ReferralOrigin.CASE, case),
        ("household", ReferralOrigin.HOUSEHOLD, household),
        ("risk_flag", ReferralOrigin.RISK_FLAG, risk_flag),
    ):
        if origin == needed and link is None and name not in errors:
            errors[name] = [_("Name the record the referral comes from.")]
    reason = str(reason or "").replace("\x00", "").strip()[:4000]
    if not reason:
        errors["reason"] = [_("Say why the child is referred.")]
    if errors:
        raise ValidationFailed(errors=errors)
    referral = Referral(
        organisation_id=actor.organisation_id,
        team_id=person.team_id,
        owner_id=actor.user_id,
        reference=_reference(),
        person=person,
        origin=origin,
        case=case,
        household=household,
        risk_flag=risk_flag,
        provider=provider,
        service=service,
        receiver_id=provider.organisation_id,
        reason=reason,
        urgency=urgency,
        shared_fields=fields,
        legal_exception=legal_exception or "",
        legal_exception_note=_text(legal_exception_note, field="legal_exception_note"),
    )
    referral.save(force_insert=True)
    audit.record(
        actor=actor,
        action=ReferralAction.CREATED,
        target=referral,
        changes={
            "person": [None, str(person.pk)],
            "provider": [None, str(provider.pk)],
            "service": [None, service],
            "origin": [None, origin],
            **{
                name: [None, str(link.pk)]
                for name, link in (("case", case), ("household", household), ("risk_flag", risk_flag))
                if link is not None
            },
        },
    )
    return referral


def consent_missing(referral: Referral) -> list[str]:
    """What the referral's consent lacks; empty when a consent in force covers it."""
    return registry_policies.consent_gaps(
        referral.person, ConsentPurpose.SHARE, **_consent_question(referral)
    )


def _consent_question(referral: Referral) -> dict:
    provider = referral.provider
    return {
        "recipient": referral.receiver if referral.receiver_id else (provider.name_en or provider.name_km),
        "recipient_kind": provider.kind,
        "categories": {FIELD_CATEGORY[f] for f in referral.shared_fields if f in FIELD_CATEGORY},
    }


@transaction.atomic
def referral_approve_exception(*, actor, referral: Referral, version) -> Referral:
    """A supervisor approves sending without consent under the recorded legal exception; never
    the worker who asked for it."""
    referral = _acting(actor, referral.pk, "referrals.approve_exception")
    if not referral.legal_exception:
        raise ValidationFailed(_("This referral names no legal exception."), field="legal_exception")
    if referral.owner_id == actor.user_id:
        raise PermissionDenied(_("Someone else must approve: you cannot approve your own request."))
    if referral.status in FINAL_STATUSES:
        raise workflow.IllegalMove()
    _claim(referral, version)
    referral.exception_approved_by_id = actor.user_id
    referral.exception_approved_at = clock.now()
    referral.save(update_fields=["exception_approved_by", "exception_approved_at"])
    audit.record(
        actor=actor,
        action=ReferralAction.EXCEPTION_APPROVED,
        target=referral,
        changes={"legal_exception": [None, referral.legal_exception]},
        reason=referral.legal_exception_note[:500],
    )
    return referral


@transaction.atomic
def referral_send(*, actor, referral: Referral, version, send_key) -> Referral:
    """Send once: the same ``send_key`` again returns the referral as it is (a double tap, a
    retried request), whatever the version. Refused, naming what is missing, without
    covering consent or an approved legal exception."""
    already = Referral.objects.visible_to(actor).filter(send_key=send_key).first() if send_key else None
    if already is not None:
        return already
    referral = _acting(actor, referral.pk, "referrals.send")
    if not send_key:
        raise ValidationFailed(_("Reload the page and send again."), field="send_key")
    if referral.status != ReferralStatus.DRAFT:
        raise workflow.IllegalMove(_("This referral was already sent."))
    if referral.person.is_merged:
        _follow_merge(actor, referral)
    missing = consent_missing(referral)
    consent = None
    if missing:
        if not referral.exception_approved_at:
            raise ValidationFailed(errors={"consent": [_("Consent does not cover this referral."), *missing]})
    else:
        consent = registry_policies.covering_consent(
            referral.person, ConsentPurpose.SHARE, **_consent_question(referral)
        )
    _claim(referral, version)
    now = clock.now()
    referral.status = ReferralStatus.SENT
    referral.consent = consent
    referral.sent_at = now
    referral.send_key = send_key
    referral.due_on = _due(referral)
    referral.save(update_fields=["status", "consent", "sent_at", "send_key", "due_on"])
    if referral.receiver_id:
        SharedRecord.objects.create(referral=referral, **_shared_values(referral, actor))
    audit.record(
        actor=actor,
        action=ReferralAction.SENT,
        target=referral,
        changes={
            "status": [ReferralStatus.DRAFT, ReferralStatus.SENT],
            "shared_fields": [None, referral.shared_fields],
            "consent": [None, str(consent.pk) if consent else None],
            "legal_exception": [None, referral.legal_exception or None],
        },
    )
    if referral.receiver_id:
        _tell(
            _receiving_staff(referral),
            _("A child was referred to your organisation: %(reference)s.")
            % {"reference": referral.reference},
            organisation_id=referral.receiver_id,
        )
    return referral


def _follow_merge(actor, referral: Referral) -> None:
    """A draft whose child was merged since goes to the surviving record: what is shared and
    the consent it rests on are the surviving record's (whose consents include the merged one's)."""
    kept = selectors.surviving_record(referral.person)
    if not actor.allows_object("referrals.send", kept):
        raise Conflict(_("This record was merged into another one; refer the child from there."))
    merged = referral.person_id
    referral.person = kept
    referral.save(update_fields=["person", "area_code"])
    audit.record(
        actor=actor,
        action=ReferralAction.MOVED,
        target=referral,
        changes={"person": [str(merged), str(kept.pk)]},
        reason="merged",
    )


def _due(referral: Referral) -> dt.date | None:
    days = workflow.due_days(referral.status, referral.urgency)
    return None if days is None else clock.today() + dt.timedelta(days=days)


def _shared_values(referral: Referral, actor) -> dict:
    person = referral.person
    chosen = set(referral.shared_fields)
    values: dict = {}
    if SharedField.NAME in chosen:
        values["name"] = person.display_name("km") or ""
    if SharedField.SEX in chosen:
        values["sex"] = person.sex
    if SharedField.AGE in chosen:
        values["age"] = person.age_on(clock.today())
    if SharedField.VILLAGE in chosen:
        values["village_id"] = person.village_id
    if SharedField.REASON in chosen:
        values["reason"] = referral.reason
    if SharedField.URGENCY in chosen:
        values["urgency"] = referral.urgency
    if SharedField.REFERRER_CONTACT in chosen:
        member = Membership.objects.filter(pk=actor.membership_id).select_related("user").first()
        user = member.user if member else None
        values["referrer_contact"] = " ".join(
            p for p in (getattr(user, "full_name", ""), getattr(user, "phone", "") or "", actor.username) if p
        )[:200]
    if SharedField.PHONE in chosen:
        phone = person.phones.first()
        values["phone"] = str(phone.number) if phone else ""
    if SharedField.NOTES in chosen and referral.case_id:
        values["notes"] = referral.case.summary if hasattr(referral.case, "summary") else ""
    return values


SHARED_COLUMNS = (
    "name",
    "sex",
    "age",
    "village",
    "reason",
    "urgency",
    "referrer_contact",
    "phone",
    "notes",
    "health",
    "sensitive",
)


def _end_sharing(referral: Referral, now) -> None:
    referral.sharing_ended_at = now
    SharedRecord.objects.filter(referral=referral).update(
        name="",
        sex="",
        age=None,
        village=None,
        reason="",
        urgency="",
        referrer_contact="",
        phone="",
        notes="",
        health="",
        sensitive="",
    )


_STEP_FIELDS = {
    ReferralEvent.DECLINE: ("decline_reason", "decline_note"),
    ReferralEvent.COMPLETE: ("outcome", "family_said"),
    ReferralEvent.NOT_COMPLETE: ("outcome", "family_said"),
    ReferralEvent.WITHDRAW: ("withdrawal_reason",),
}


@transaction.atomic
def referral_move(*, actor, referral: Referral, event: str, version, data: dict | None = None) -> Referral:
    """Every step but sending, and accepting into another organisation on Ponleu (that is
    ``referral_accept``). The receiving organisation's steps are its staff's; for a provider
    without an account, the referring worker records them, accepting included."""
    data = data or {}
    if event == ReferralEvent.SEND or event not in ReferralEvent.values:
        raise workflow.IllegalMove()
    current = Referral.objects.visible_to(actor).filter(pk=referral.pk).first()
    if current is None:
        raise PermissionDenied()
    if event == ReferralEvent.ACCEPT and current.receiver_id:
        raise workflow.IllegalMove()
    step = workflow.move(current.status, event)
    if (
        step.side == workflow.RECEIVER
        and current.receiver_id
        and current.receiver_id != actor.organisation_id
    ):
        raise PermissionDenied(_("The receiving organisation records this step."))
    if step.side == workflow.REFERRER and current.organisation_id != actor.organisation_id:
        raise PermissionDenied()
    referral = _acting(actor, referral.pk, _capability(current, step, actor))
    step = workflow.move(referral.status, event)
    updates = _step_values(event, data)
    _claim(referral, version)
    before = referral.status
    now = clock.now()
    referral.status = step.target
    referral.due_on = _due(referral)
    for name, value in updates.items():
        setattr(referral, name, value)
    fields = ["status", "due_on", *updates]
    if step.target in FINAL_STATUSES:
        referral.closed_at = now
        _end_sharing(referral, now)
        fields += ["closed_at", "sharing_ended_at"]
    referral.save(update_fields=fields)
    audit.record(
        actor=actor,
        action=ReferralAction.WITHDRAWN if event == ReferralEvent.WITHDRAW else ReferralAction.MOVED,
        target=referral,
        changes={
            "status": [before, step.target],
            **{k: [None, str(v)] for k, v in updates.items() if k != "family_said"},
        },
    )
    if referral.receiver_id and step.side == workflow.RECEIVER:
        _tell(
            [referral.owner] if referral.owner else [],
            _("Referral %(reference)s: %(status)s.")
            % {"reference": referral.reference, "status": referral.get_status_display()},
            organisation_id=referral.organisation_id,
        )
    if referral.receiver_id and event == ReferralEvent.WITHDRAW:
        _tell(
            _receiving_staff(referral),
            _("Referral %(reference)s was withdrawn.") % {"reference": referral.reference},
            organisation_id=referral.receiver_id,
        )
    casework.case_feedback(referral=referral, event=event)
    return referral


def _capability(referral: Referral, step, actor) -> str:
    if step.side == workflow.REFERRER or referral.receiver_id is None:
        return "referrals.send"
    return "referrals.accept"


def _step_values(event: str, data: dict) -> dict:
    if event == ReferralEvent.DECLINE:
        reason = data.get("decline_reason")
        if reason not in DeclineReason.values:
            raise ValidationFailed(_("Choose why the referral is declined."), field="decline_reason")
        note = _text(data.get("decline_note"), field="decline_note", required=reason == DeclineReason.OTHER)
        return {"decline_reason": reason, "decline_note": note}
    if event in (ReferralEvent.COMPLETE, ReferralEvent.NOT_COMPLETE):
        return {
            "outcome": _text(data.get("outcome"), field="outcome", required=True),
            "family_said": _text(data.get("family_said"), field="family_said"),
        }
    if event == ReferralEvent.WITHDRAW:
        return {
            "withdrawal_reason": _text(
                data.get("withdrawal_reason"), field="withdrawal_reason", required=True
            )
        }
    return {}


@transaction.atomic
def referral_accept(
    *,
    actor,
    referral: Referral,
    version,
    existing_person=None,
    create_new: bool = False,
    case_type: str = "",
) -> Referral:
    """The receiving organisation takes the child into its own registry: an existing record
    it chose (looked up in its own scope), or a new one, only after a search found none or the
    worker confirmed that none of those found is the child. With ``case_type``, it also opens
    a case of that type for the child, linked to the referral; refused, nothing is accepted."""
    referral = _acting(actor, referral.pk, "referrals.accept")
    if referral.receiver_id != actor.organisation_id:
        raise PermissionDenied()
    step = workflow.move(referral.status, ReferralEvent.ACCEPT)
    shared = SharedRecord.objects.get(referral=referral)
    if existing_person is not None:
        person = (
            Person.objects.visible_to(actor)
            .active()
            .filter(pk=getattr(existing_person, "pk", existing_person))
            .first()
        )
        if person is None:
            raise ValidationFailed(_("Choose a child from the list."), field="person")
    else:
        found = search(actor, shared.name, limit=5) if shared.name else []
        if found and not create_new:
            raise ValidationFailed(
                _(
                    "Children with this name are already in your registry: choose one, or confirm that none of them is this child."
                ),
                field="person",
            )
        person = _register(actor, shared)
    _claim(referral, version)
    before = referral.status
    referral.status = step.target
    referral.receiver_person = person
    referral.due_on = _due(referral)
    if referral.receiver_owner_id is None:
        referral.receiver_owner_id = actor.user_id
    fields = ["status", "receiver_person", "due_on", "receiver_owner"]
    changes = {"status": [before, step.target]}
    if case_type:
        referral.receiver_case = casework.receiver_case_open(
            actor=actor, referral=referral, person=person, shared=shared, case_type=case_type
        )
        fields.append("receiver_case")
        changes["receiver_case"] = [None, str(referral.receiver_case.pk)]
    referral.save(update_fields=fields)
    audit.record(actor=actor, action=ReferralAction.MOVED, target=referral, changes=changes)
    audit.record(
        actor=actor,
        action=ReferralAction.RECEIVED,
        target=person,
        changes={"referral": [None, referral.reference]},
    )
    _tell(
        [referral.owner] if referral.owner else [],
        _("Referral %(reference)s: %(status)s.")
        % {"reference": referral.reference, "status": referral.get_status_display()},
        organisation_id=referral.organisation_id,
    )
    casework.case_feedback(referral=referral, event=ReferralEvent.ACCEPT)
    return referral


def _register(actor, shared: SharedRecord) -> Person:
    family, _sep, given = (shared.name or "").partition(" ")
    data = {
        "kind": "child",
        "family_name_km": family,
        "given_name_km": given,
        "sex": shared.sex or "U",
        "village": shared.village_id,
    }
    if shared.age is not None:
        data["date_of_birth"] = dt.date(clock.today().year - shared.age, 7, 1)
        data["date_of_birth_precision"] = "estimated"
    return registry_services.person_create(actor=actor, data=data)


@transaction.atomic
def referral_consent_withdraw(*, actor, consent: Consent, reason: str) -> list[Referral]:
    """Withdraw the consent and, in the same transaction, every open referral that rested on
    it (``referrals_end_for_consent``, which the registry's withdrawal calls through its
    signal, from this service or from the registry's own consent page alike)."""
    resting = list(
        Referral.objects.open()
        .filter(consent=consent, exception_approved_at__isnull=True)
        .values_list("pk", flat=True)
    )
    registry_services.consent_withdraw(actor=actor, consent=consent, reason=reason)
    return list(Referral.objects.filter(pk__in=resting, status=ReferralStatus.WITHDRAWN))


@transaction.atomic
def referrals_end_for_consent(*, actor, consent: Consent) -> list[Referral]:
    """The consent was withdrawn: every open referral that rested on it is withdrawn, sharing
    ends (the shared record is emptied), both organisations' staff on the referral and their
    data-protection officers are told. A referral sent under an approved legal exception does
    not rest on consent and stands."""
    now = clock.now()
    ended = []
    for referral in (
        Referral.objects.open()
        .filter(consent=consent, exception_approved_at__isnull=True)
        .select_related("owner", "receiver_owner")
    ):
        before = referral.status
        referral.status = ReferralStatus.WITHDRAWN
        referral.withdrawal_reason = _("Consent was withdrawn.")
        referral.closed_at = now
        referral.due_on = None
        _end_sharing(referral, now)
        referral.version += 1
        referral.save(
            update_fields=[
                "status",
                "withdrawal_reason",
                "closed_at",
                "due_on",
                "sharing_ended_at",
                "version",
            ]
        )
        audit.record(
            actor=actor,
            action=ReferralAction.SHARING_ENDED,
            target=referral,
            changes={"status": [before, ReferralStatus.WITHDRAWN], "consent": [str(consent.pk), None]},
        )
        message = _("Consent was withdrawn: referral %(reference)s is withdrawn and sharing has ended.") % {
            "reference": referral.reference
        }
        _tell(
            [u for u in (referral.owner,) if u] + _dpos(referral.organisation_id),
            message,
            organisation_id=referral.organisation_id,
        )
        if referral.receiver_id:
            _tell(
                _receiving_staff(referral) + _dpos(referral.receiver_id),
                message,
                organisation_id=referral.receiver_id,
            )
        ended.append(referral)
    return ended


def _dpos(organisation_id) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, role=Role.DPO, is_active=True
        ).select_related("user")
    ]


def _receiving_staff(referral: Referral) -> list:
    if referral.receiver_owner_id:
        return [referral.receiver_owner]
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=referral.receiver_id, role=Role.SUPERVISOR, is_active=True
        ).select_related("user")
    ]


def _tell(users, message: str, *, organisation_id) -> None:
    unique = {u.pk: u for u in users if u is not None}
    notify(
        recipients=list(unique.values()),
        kind=NotificationKind.INFO,
        message=message,
        organisation_id=organisation_id,
    )
