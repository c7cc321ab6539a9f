"""Scope factories for the pregnancy routes (see ponleu/testing/scopes.py).

A pregnancy stands where its woman stands (it is declared ``via="person"``): the factory
builds a person at that distance, as the person factory does (one of her own, so that the
person factory's stays free to register a pregnancy on), and puts an ongoing pregnancy on her.
Pregnancies are sensitive by default, so every one is marked sensitive for the oracle (seen
masked or refused without ``registry.view_sensitive``). The antenatal visit of the nested
route has a danger sign, so that a referral is valid but for what the request names; its pages
read (and record) the pregnancy, which is the object the oracle follows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .scopes import MatrixWorld, ScopedObject, person_at, scope_factory

VIEW = "maternal.view"
LAST_PERIOD = dt.date(2026, 1, 5)


def _pregnancy(world: MatrixWorld, member: str, scope: str):
    from ponleu.maternal.models import Pregnancy

    woman = person_at(world, member, scope)
    if woman is None:
        return None, None
    pregnancy = Pregnancy.objects.create(
        organisation_id=woman.obj.organisation_id,
        person=woman.obj,
        last_period_on=LAST_PERIOD,
        due_on=LAST_PERIOD + dt.timedelta(days=280),
        next_anc_due_on=LAST_PERIOD + dt.timedelta(weeks=16),
    )
    return woman, pregnancy


@scope_factory("pregnancy_id")
def pregnancy_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    woman, pregnancy = _pregnancy(world, member, scope)
    if woman is None:
        return None
    found = woman.derive(kwargs={"pregnancy_id": pregnancy.pk}, obj=pregnancy, view_capability=VIEW)
    return replace(found, sensitive=True)


@scope_factory("pregnancy_id", provides=("anc_id",))
def antenatal_visit_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    from ponleu.maternal.models import AntenatalVisit

    woman, pregnancy = _pregnancy(world, member, scope)
    if woman is None:
        return None
    visit = AntenatalVisit.objects.create(
        pregnancy=pregnancy,
        number=1,
        visited_on=LAST_PERIOD + dt.timedelta(weeks=12),
        weeks=12,
        place="facility",
        danger_signs=["bleeding"],
    )
    found = woman.derive(
        kwargs={"pregnancy_id": pregnancy.pk, "anc_id": visit.pk}, obj=pregnancy, view_capability=VIEW
    )
    return replace(found, sensitive=True)
