"""Reading plans, always through ``SupportPlan.objects.visible_to(actor)``; every read of a
plan or of a household's plans writes one access event in the request that serves it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch

from ponleu.access.policies import identity_label
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.referrals import selectors as directory
from ponleu.referrals.models import Provider, Referral
from ponleu.registry.models import Household, HouseholdMember, Person

from .choices import DOMAIN_SERVICES, NeedDomain, SupportAction
from .models import SupportNeed, SupportPlan, SupportVisit

PLAN_TARGET = "family_support.supportplan"
HOUSEHOLD_TARGET = "registry.household"
LIST_LIMIT = 200


def _uuid(value):
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def _needs_prefetch():
    return Prefetch(
        "needs",
        queryset=SupportNeed.objects.select_related("provider").order_by("created_at"),
    )


def household_get(*, actor, household_id, capability: str = "family_support.view") -> Household:
    """The household, if the actor reaches it with ``capability`` (DoesNotExist otherwise:
    missing, malformed and out of reach alike)."""
    pk = _uuid(household_id)
    if pk is None:
        raise Household.DoesNotExist
    return (
        Household.objects.actionable_by(actor, capability)
        .select_related("village__parent__parent__parent")
        .get(pk=pk)
    )


def household_plans(*, actor, household: Household) -> list[SupportPlan]:
    """The household's plans, the open one first; recorded as one read of the household."""
    plans = list(
        SupportPlan.objects.visible_to(actor)
        .filter(household=household)
        .prefetch_related(_needs_prefetch())
        .order_by("status", "-assessed_on", "-created_at")
    )
    audit.record_access(
        actor=actor,
        action=SupportAction.PLANS_LISTED,
        target_type=HOUSEHOLD_TARGET,
        target_ids=[household.pk],
        query="family support",
    )
    return plans


def plan_fetch(*, actor, plan_id, capability: str = "family_support.view") -> SupportPlan:
    """One plan the actor reaches with ``capability``, not yet recorded as read."""
    pk = _uuid(plan_id)
    if pk is None:
        raise SupportPlan.DoesNotExist
    return (
        SupportPlan.objects.actionable_by(actor, capability)
        .select_related("household__village__parent__parent__parent")
        .get(pk=pk)
    )


@dataclass
class PlanDetail:
    plan: SupportPlan
    needs: list
    visits: list
    members: list = field(default_factory=list)  # (person, label) the actor may refer
    referrals: dict = field(default_factory=dict)  # referral id -> the referral, if visible


def plan_detail(*, actor, plan_id) -> PlanDetail:
    """The plan with its needs, visits, the household members the actor may see (to refer),
    and the referrals of its needs the actor may see; one access event names the plan."""
    plan = plan_fetch(actor=actor, plan_id=plan_id)
    needs = list(SupportNeed.objects.filter(plan=plan).select_related("provider").order_by("created_at"))
    needs.sort(key=lambda need: list(NeedDomain.values).index(need.domain))
    visits = list(SupportVisit.objects.filter(plan=plan).order_by("-visited_on", "-created_at"))
    referral_ids = [n.referral_id for n in needs if n.referral_id]
    referrals = {
        r.pk: r
        for r in Referral.objects.visible_to(actor).filter(pk__in=referral_ids).select_related("provider")
    }
    audit.record_access(
        actor=actor, action=SupportAction.PLAN_VIEWED, target_type=PLAN_TARGET, target_ids=[plan.pk]
    )
    return PlanDetail(
        plan=plan,
        needs=needs,
        visits=visits,
        members=household_people(actor=actor, household=plan.household),
        referrals=referrals,
    )


def household_people(*, actor, household: Household, capability: str = "") -> list[tuple[Person, str]]:
    """Members of the household the actor reaches (not merged away), children first, with the
    name the identity policy lets the actor see; with ``capability``, only those the actor may
    act on with it (refer: ``referrals.send``)."""
    member_ids = HouseholdMember.objects.filter(household=household).values("person_id")
    people = Person.objects.visible_to(actor).active().filter(pk__in=member_ids).order_by("created_at")
    found = [p for p in people if not capability or actor.allows_object(capability, p)]
    found.sort(key=lambda person: not person.is_child)
    return [(person, identity_label(actor, person)) for person in found]


def plan_queryset(*, actor, open_only: bool = True, due: bool = False, capability: str = ""):
    """Plans in the actor's reach, the next visit due first (not yet recorded as read); with
    ``due``, the open plans whose next follow-up visit is today or already past; with
    ``capability``, only those the actor may act on with it."""
    if capability:
        plans = SupportPlan.objects.actionable_by(actor, capability)
    else:
        plans = SupportPlan.objects.visible_to(actor)
    plans = plans.select_related("household__village")
    if open_only or due:
        plans = plans.open()
    if due:
        plans = plans.filter(next_visit_on__lte=clock.today())
    return plans.order_by("next_visit_on", "-assessed_on", "id")


def plans_served(*, actor, plans, query: str = "") -> None:
    """One access event naming the plans a list showed."""
    audit.record_access(
        actor=actor,
        action=SupportAction.PLANS_LISTED,
        target_type=PLAN_TARGET,
        target_ids=[p.pk for p in plans],
        query=query,
    )


def plan_list(*, actor, open_only: bool = True, due: bool = False) -> list[SupportPlan]:
    """Plans in the actor's reach, the next visit due first; one access event names them.
    ``due``: the visits due today or overdue that the actor may record."""
    capability = "family_support.edit" if due else ""
    rows = list(plan_queryset(actor=actor, open_only=open_only, due=due, capability=capability)[:LIST_LIMIT])
    plans_served(actor=actor, plans=rows)
    return rows


def services_for(domain: str) -> tuple:
    return DOMAIN_SERVICES.get(domain, ())


def providers_for(*, service: str, household: Household) -> list[Provider]:
    """Directory providers offering ``service`` in the household's commune, nearest first."""
    commune = (household.area_code or "")[:6]
    if not service:
        return []
    return directory.provider_search(service=service, commune=commune if len(commune) == 6 else "")


def plan_read(*, actor, plan: SupportPlan) -> None:
    """Record a page's read of one plan (a form of the plan shows its household's people too)."""
    audit.record_access(
        actor=actor, action=SupportAction.PLAN_VIEWED, target_type=PLAN_TARGET, target_ids=[plan.pk]
    )
