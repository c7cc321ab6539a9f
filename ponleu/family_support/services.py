"""Family support: the needs assessment that starts a plan, each need linked to a directory
service and referred there through the referrals' own service, follow-up visits, and
graduation once every need is met. Each write is one transaction with its audit row; every
change to a plan names the version it read (a stale one is a ``Conflict``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.common.versions import claim_version
from ponleu.referrals import services as referral_services
from ponleu.referrals.choices import (
    DEFAULT_SHARED_FIELDS,
    FINAL_STATUSES,
    ReferralOrigin,
    ServiceType,
    Urgency,
)
from ponleu.referrals.models import Provider, Referral
from ponleu.registry.models import Household, HouseholdMember, Person

from . import policies
from .choices import NeedDomain, NeedLevel, PlanStatus, SupportAction
from .models import SupportNeed, SupportPlan, SupportVisit

NOTE_LIMIT = 4000


def _text(value, limit: int = NOTE_LIMIT) -> str:
    return str(value or "").replace("\x00", "").strip()[:limit]


def _date(value, *, field: str, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(_("This field is required."), field=field)
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(_("Enter a valid date."), field=field) from None


def _not_in_future(value: dt.date | None, *, field: str) -> None:
    if value is not None and value > clock.today():
        raise ValidationFailed(_("This date is in the future: give the day it happened."), field=field)


def _locked(actor, plan: SupportPlan, version) -> SupportPlan:
    """The plan, checked for ``family_support.edit``, locked and claimed at ``version``."""
    policies.require(actor, "family_support.edit", plan)
    plan = SupportPlan.objects.select_for_update().select_related("household").get(pk=plan.pk)
    claim_version(plan, version)
    if not plan.is_open:
        raise ValidationFailed(_("This household has graduated: its plan can no longer change."))
    return plan


def _touch(plan: SupportPlan) -> None:
    plan.save(update_fields=["version"])


# --- the needs assessment -----------------------------------------------------------------


def _clean_needs(needs: dict) -> tuple[dict, dict]:
    cleaned, errors = {}, {}
    for domain in NeedDomain.values:
        given = needs.get(domain) or {}
        level = given.get("level")
        if level not in NeedLevel.values:
            errors[domain] = [_("Choose the level of need.")]
            continue
        cleaned[domain] = {"level": level, "note": _text(given.get("note"))}
    unknown = sorted(set(needs) - set(NeedDomain.values))
    for domain in unknown:
        errors[domain] = [_("This is not an area of need.")]
    return cleaned, errors


@transaction.atomic
def plan_start(*, actor, household: Household, assessed_on, needs: dict, next_visit_on=None) -> SupportPlan:
    """Start a plan from the household's needs assessment: a level (and what is needed) in each
    of the six areas. One plan at a time per household."""
    if not actor.allows_object("family_support.edit", household):
        raise PermissionDenied()
    # Plans of one household are started one at a time (PostgreSQL; SQLite serialises writers).
    household = Household.objects.select_for_update().get(pk=household.pk)
    assessed_on = _date(assessed_on, field="assessed_on")
    _not_in_future(assessed_on, field="assessed_on")
    next_visit_on = _date(next_visit_on, field="next_visit_on", required=False)
    cleaned, errors = _clean_needs(needs or {})
    if next_visit_on is not None and next_visit_on < assessed_on:
        errors["next_visit_on"] = [_("The next visit cannot be before the assessment.")]
    if SupportPlan.objects.filter(household=household, status=PlanStatus.OPEN).exists():
        errors["household"] = [_("This household already has a plan in progress: continue that one.")]
    if errors:
        raise ValidationFailed(errors=errors)
    plan = SupportPlan(
        household=household,
        assessed_on=assessed_on,
        next_visit_on=next_visit_on,
        created_by_id=actor.user_id,
    )
    plan.save(force_insert=True)
    SupportNeed.objects.bulk_create(
        [SupportNeed(plan=plan, domain=domain, **values) for domain, values in cleaned.items()]
    )
    audit.record(
        actor=actor,
        action=SupportAction.PLAN_STARTED,
        target=plan,
        changes={
            "household": [None, str(household.pk)],
            "assessed_on": [None, assessed_on.isoformat()],
            **{f"need.{d}": [None, v["level"]] for d, v in cleaned.items()},
        },
    )
    return plan


# --- one need -------------------------------------------------------------------------------

NEED_FIELDS = ("level", "note", "service", "provider", "met")


def _need(plan: SupportPlan, domain: str) -> SupportNeed:
    need = SupportNeed.objects.select_related("provider").filter(plan=plan, domain=domain).first()
    if need is None:
        raise ValidationFailed(_("This is not an area of need."), field="domain")
    return need


def _provider(value, service: str) -> Provider | None:
    if value in (None, ""):
        return None
    provider = Provider.objects.filter(pk=str(getattr(value, "pk", value)), is_active=True).first()
    if provider is None:
        raise ValidationFailed(_("Choose a service provider from the directory."), field="provider")
    if not provider.services.filter(service=service).exists():
        raise ValidationFailed(_("This provider does not offer the service chosen."), field="provider")
    return provider


@transaction.atomic
def need_update(*, actor, plan: SupportPlan, domain: str, version, data: dict) -> SupportNeed:
    """Change one need: its level, what is needed, the directory service that answers it, and
    whether it is met. Only the keys given change."""
    unknown = sorted(set(data) - set(NEED_FIELDS))
    if unknown:
        raise ValidationFailed(errors={name: [_("This field cannot be changed.")] for name in unknown})
    plan = _locked(actor, plan, version)
    need = _need(plan, domain)
    before = {
        "level": need.level,
        "service": need.service,
        "provider": str(need.provider_id) if need.provider_id else None,
        "met_on": need.met_on.isoformat() if need.met_on else None,
    }
    if "level" in data:
        if data["level"] not in NeedLevel.values:
            raise ValidationFailed(_("Choose the level of need."), field="level")
        need.level = data["level"]
    if "note" in data:
        need.note = _text(data["note"])
    if "service" in data:
        service = data["service"] or ""
        if service and service not in ServiceType.values:
            raise ValidationFailed(_("Choose a service from the list."), field="service")
        need.service = service
    if "provider" in data or "service" in data:
        provider = _provider(data.get("provider", need.provider_id), need.service)
        if provider is not None and not need.service:
            raise ValidationFailed(_("Choose the service first."), field="service")
        need.provider = provider
    if "met" in data:
        if data["met"] and not need.is_need:
            raise ValidationFailed(_("There is no need in this area to meet."), field="met")
        if data["met"] and need.met_on is None:
            need.met_on = clock.today()
        elif not data["met"]:
            need.met_on = None
    if not need.is_need:
        need.met_on = None
    need.save()
    _touch(plan)
    after = {
        "level": need.level,
        "service": need.service,
        "provider": str(need.provider_id) if need.provider_id else None,
        "met_on": need.met_on.isoformat() if need.met_on else None,
    }
    changes = {f"{domain}.{k}": v for k, v in audit.diff(before, after).items()}
    audit.record(actor=actor, action=SupportAction.NEED_CHANGED, target=plan, changes=changes)
    return need


@transaction.atomic
def need_refer(
    *,
    actor,
    plan: SupportPlan,
    domain: str,
    version,
    person: Person,
    reason: str,
    urgency: str = Urgency.ROUTINE,
    shared_fields=DEFAULT_SHARED_FIELDS,
) -> Referral:
    """Refer a member of the household to the need's directory service: a referral drafted by
    the referrals' own service (from a household, for family support), linked to the need. It
    is sent from its own page, where consent is checked."""
    plan = _locked(actor, plan, version)
    need = _need(plan, domain)
    if not need.is_need:
        raise ValidationFailed(_("There is no need in this area to refer."), field="domain")
    if need.provider is None or not need.service:
        raise ValidationFailed(_("Choose the service and its provider first."), field="provider")
    if need.referral_id is not None:
        current = Referral.objects.filter(pk=need.referral_id).values_list("status", "reference").first()
        if current is not None and current[0] not in FINAL_STATUSES:
            raise ValidationFailed(
                _("This need is already referred (%(reference)s).") % {"reference": current[1]},
                field="domain",
            )
    is_member = HouseholdMember.objects.filter(household_id=plan.household_id, person_id=person.pk).exists()
    if not is_member or person.is_merged:
        raise ValidationFailed(_("Choose a member of this household."), field="person")
    referral = referral_services.referral_draft(
        actor=actor,
        person=person,
        provider=need.provider,
        service=need.service,
        reason=reason,
        urgency=urgency,
        origin=ReferralOrigin.HOUSEHOLD,
        shared_fields=shared_fields,
        household=plan.household,
    )
    need.referral = referral
    need.save(update_fields=["referral"])
    _touch(plan)
    audit.record(
        actor=actor,
        action=SupportAction.NEED_REFERRED,
        target=plan,
        changes={f"{domain}.referral": [None, referral.reference]},
    )
    return referral


# --- follow-up visits and graduation ----------------------------------------------------------


@transaction.atomic
def visit_record(
    *, actor, plan: SupportPlan, version, visited_on, note: str = "", met=(), next_visit_on=None
) -> SupportVisit:
    """A follow-up visit: what was seen, the needs met since the last visit (marked met on the
    day of the visit) and when to come back."""
    plan = _locked(actor, plan, version)
    visited_on = _date(visited_on, field="visited_on")
    _not_in_future(visited_on, field="visited_on")
    if visited_on < plan.assessed_on:
        raise ValidationFailed(_("The visit cannot be before the needs assessment."), field="visited_on")
    next_visit_on = _date(next_visit_on, field="next_visit_on", required=False)
    if next_visit_on is not None and next_visit_on <= visited_on:
        raise ValidationFailed(_("The next visit must come after this one."), field="next_visit_on")
    needs = {n.domain: n for n in SupportNeed.objects.filter(plan=plan)}
    met = list(dict.fromkeys(met or []))
    wrong = [d for d in met if d not in needs or not needs[d].is_open]
    if wrong:
        raise ValidationFailed(_("Choose among the needs still open."), field="met")
    for domain in met:
        needs[domain].met_on = visited_on
        needs[domain].save(update_fields=["met_on", "updated_at"])
    visit = SupportVisit.objects.create(
        plan=plan, visited_on=visited_on, note=_text(note), needs_met=met, visited_by_id=actor.user_id
    )
    plan.next_visit_on = next_visit_on
    plan.save(update_fields=["next_visit_on", "version"])
    audit.record(
        actor=actor,
        action=SupportAction.VISIT_RECORDED,
        target=plan,
        changes={
            "visited_on": [None, visited_on.isoformat()],
            "needs_met": [None, met],
            "next_visit_on": [None, next_visit_on.isoformat() if next_visit_on else None],
        },
    )
    return visit


@transaction.atomic
def plan_graduate(*, actor, plan: SupportPlan, version, note: str = "") -> SupportPlan:
    """The household graduates: refused, naming each need still open, until every need is met."""
    plan = _locked(actor, plan, version)
    gaps = policies.graduation_gaps(SupportNeed.objects.filter(plan=plan))
    if gaps:
        raise ValidationFailed(
            _("The household cannot graduate while a need is still open: meet it or change its level first."),
            errors={"needs": gaps},
        )
    plan.status = PlanStatus.GRADUATED
    plan.graduated_on = clock.today()
    plan.graduated_by_id = actor.user_id
    plan.graduation_note = _text(note)
    plan.next_visit_on = None
    plan.save(
        update_fields=[
            "status",
            "graduated_on",
            "graduated_by",
            "graduation_note",
            "next_visit_on",
            "version",
        ]
    )
    audit.record(
        actor=actor,
        action=SupportAction.PLAN_GRADUATED,
        target=plan,
        changes={"status": [PlanStatus.OPEN, PlanStatus.GRADUATED]},
    )
    return plan
