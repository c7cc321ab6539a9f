"""Scope factories for the family support routes (see ponleu/testing/scopes.py).

A plan stands where its household stands (it is declared ``via="household"``): the factory
builds a household at that distance, as the household factory does (one of its own, so that
the household factory's stays free to start a plan on), and puts a plan on it with a serious
health need already linked to a directory health centre, so that a referral of a member is
valid but for the member named; it is seen with ``family_support.view``. ``need_domain`` names
an area of need, not a record.
"""

from __future__ import annotations

import datetime as dt

from .scopes import MatrixWorld, ScopedObject, household_at, route_parameter, scope_factory

route_parameter("need_domain", "health")


def _health_centre(world: MatrixWorld):
    from ponleu.referrals.models import Provider, ProviderArea, ProviderService

    key = ("family-support-health-centre",)
    if key not in world._cache:
        provider = Provider.objects.create(kind="health_centre", name_km="មណ្ឌលសុខភាព" + world.token("H"))
        ProviderService.objects.create(provider=provider, service="primary_health", cost="free")
        ProviderArea.objects.create(provider=provider, unit_id="02")
        world._cache[key] = provider
    return world._cache[key]


@scope_factory("plan_id")
def plan_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.family_support.choices import NeedDomain, NeedLevel
    from ponleu.family_support.models import SupportNeed, SupportPlan

    household = household_at(world, member, scope)
    if household is None:
        return None
    plan = SupportPlan.objects.create(household=household.obj, assessed_on=dt.date(2026, 1, 5))
    health_centre = _health_centre(world)
    SupportNeed.objects.bulk_create(
        [
            SupportNeed(
                plan=plan,
                domain=domain,
                level=NeedLevel.SERIOUS,
                service="primary_health",
                provider=health_centre,
            )
            if domain == NeedDomain.HEALTH
            else SupportNeed(plan=plan, domain=domain, level=NeedLevel.NONE)
            for domain in NeedDomain.values
        ]
    )
    return household.derive(kwargs={"plan_id": plan.pk}, obj=plan, view_capability="family_support.view")
