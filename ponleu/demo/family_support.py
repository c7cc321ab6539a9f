"""The demo's family support: in each organisation a few households at each stage of the
method, from a needs assessment made this week to a household that graduated.

Every step goes through the family support services with the clock set to its day (the
assessment, each need linked to a directory service serving the household's commune, each
follow-up visit and the graduation), so dates, versions and audit rows are the app's own: no
visit after the build's today, none before its assessment, and the next visit of the plan
whose worker is late is genuinely overdue. The households are the last ones the registry's list
reaches (the browser journeys start plans of their own on the first ones). Deterministic for a
seed; with few households (a small world) the later stories are skipped.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from ponleu.access.actors import actor_for_membership
from ponleu.common import clock
from ponleu.family_support import services
from ponleu.family_support.choices import DOMAIN_SERVICES, NeedDomain, NeedLevel
from ponleu.family_support.models import SupportPlan
from ponleu.organisations.choices import Role
from ponleu.referrals.selectors import provider_search
from ponleu.registry.models import Household, HouseholdMember

D = NeedDomain
# Households the browser journeys may take for plans of their own: the first ones met going
# down the registry's list of people.
LEFT_FOR_JOURNEYS = 12


@dataclass(frozen=True)
class Visit:
    days_ago: int
    note: str
    met: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stage:
    name: str
    assessed_days_ago: int
    needs: dict  # domain -> (level, what is needed)
    visits: tuple[Visit, ...] = ()
    next_visit_in: int | None = None  # days from today (negative: overdue)
    graduate_days_ago: int | None = None


STAGES = (
    Stage(
        "assessment",
        3,
        {
            D.HEALTH: (NeedLevel.SOME, "កូនតូចក្អករ៉ាំរ៉ៃ។ The youngest has had a cough for a month."),
            D.DOCUMENTS: (
                NeedLevel.SERIOUS,
                "កុមារពីរនាក់គ្មានសំបុត្រកំណើត។ Two children have no birth certificate.",
            ),
        },
        next_visit_in=11,
    ),
    Stage(
        "plan",
        34,
        {
            D.SCHOOLING: (NeedLevel.SERIOUS, "កូនច្បងឈប់រៀនថ្នាក់ទី៥។ The eldest left school in grade 5."),
            D.INCOME: (
                NeedLevel.SOME,
                "ឪពុកធ្វើការជាកម្មករថ្ងៃ។ The father works by the day, when there is work.",
            ),
            D.SAFETY: (NeedLevel.SOME, "ការឈ្លោះគ្នាពេលស្រវឹង។ Quarrels at home when he drinks."),
        },
        visits=(Visit(20, "គ្រួសារបានទៅសាលា ប៉ុន្តែនាយកមិននៅ។ The family went to the school; the head was away."),),
        next_visit_in=-4,
    ),
    Stage(
        "visits",
        76,
        {
            D.HEALTH: (NeedLevel.SERIOUS, "ម្ដាយឈឺរ៉ាំរ៉ៃ មិនបានព្យាបាល។ The mother is ill and not treated."),
            D.DOCUMENTS: (NeedLevel.SOME, "គ្មានប័ណ្ណសមធម៌។ No equity card yet."),
            D.HOUSING: (NeedLevel.SOME, "ដំបូលលេចទឹក។ The roof leaks in the rains."),
        },
        visits=(
            Visit(58, "បានទទួលប័ណ្ណសមធម៌។ The equity card came through.", (D.DOCUMENTS,)),
            Visit(
                29,
                "ម្ដាយបានទៅមណ្ឌលសុខភាព ហើយកំពុងព្យាបាល។ The mother is treated at the health centre.",
                (D.HEALTH,),
            ),
        ),
        next_visit_in=0,
    ),
    Stage(
        "graduated",
        150,
        {
            D.SCHOOLING: (NeedLevel.SOME, "កូនស្រីត្រូវការកង់ទៅសាលា។ The daughter needs a bicycle for school."),
            D.INCOME: (NeedLevel.SERIOUS, "គ្មានប្រាក់ចំណូលទៀងទាត់។ No steady income."),
        },
        visits=(
            Visit(118, "កូនស្រីបានកង់ពីសាលា។ The school gave the daughter a bicycle.", (D.SCHOOLING,)),
            Visit(64, "ម្ដាយបើកតូបលក់បន្លែ។ The mother opened a vegetable stall.", (D.INCOME,)),
        ),
        graduate_days_ago=60,
    ),
)
GRADUATION_NOTE = "គ្រួសារអាចដោះស្រាយដោយខ្លួនឯង។ The family copes on its own: school and income are steady."


def _moment(day: dt.date, hour: int, latest: dt.datetime) -> dt.datetime:
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0))), latest)


def _households(organisation, caseworkers: dict) -> list[Household]:
    """The organisation's households held by a caseworker, in the order the registry's list of
    people first reaches them (by their members' names), the journeys' first ones left out."""
    members = (
        HouseholdMember.objects.filter(
            household__organisation=organisation, household__owner_id__in=list(caseworkers)
        )
        .select_related("household", "person")
        .exclude(person__merged_into__isnull=False)
    )
    first_met: dict = {}
    for member in members:
        person = member.person
        key = (
            person.family_name_latin,
            person.given_name_latin,
            person.family_name_km,
            person.given_name_km,
            str(person.pk),
        )
        household = member.household
        if household.pk not in first_met or key < first_met[household.pk][0]:
            first_met[household.pk] = (key, household)
    ordered = [household for _key, household in sorted(first_met.values(), key=lambda pair: pair[0])]
    return ordered[LEFT_FOR_JOURNEYS:]


def _provider(service: str, household: Household):
    found = provider_search(service=service, commune=(household.area_code or "")[:6], limit=10)
    return next((p for p in found if p.organisation_id is None), None)


def _story(stage: Stage, household: Household, worker, today: dt.date, now: dt.datetime) -> SupportPlan:
    assessed = today - dt.timedelta(days=stage.assessed_days_ago)
    levels = {domain: {"level": NeedLevel.NONE, "note": ""} for domain in NeedDomain.values}
    for domain, (level, note) in stage.needs.items():
        levels[domain] = {"level": level, "note": note}
    if stage.visits:
        next_visit_on = today - dt.timedelta(days=stage.visits[0].days_ago)
    elif stage.next_visit_in is not None:
        next_visit_on = today + dt.timedelta(days=stage.next_visit_in)
    else:
        next_visit_on = None
    hour = 9
    with clock.frozen(_moment(assessed, hour, now)):
        plan = services.plan_start(
            actor=worker,
            household=household,
            assessed_on=assessed,
            needs=levels,
            next_visit_on=next_visit_on,
        )
        for domain in stage.needs:
            service = DOMAIN_SERVICES[domain][0]
            provider = _provider(service, household)
            data = {"service": service, **({"provider": str(provider.pk)} if provider else {})}
            plan.refresh_from_db()
            services.need_update(actor=worker, plan=plan, domain=domain, version=plan.version, data=data)
    for index, visit in enumerate(stage.visits):
        day = today - dt.timedelta(days=visit.days_ago)
        later = stage.visits[index + 1].days_ago if index + 1 < len(stage.visits) else None
        if later is not None:
            next_on = today - dt.timedelta(days=later)
        elif stage.next_visit_in is not None:
            next_on = today + dt.timedelta(days=stage.next_visit_in)
        else:
            next_on = None
        with clock.frozen(_moment(day, 10, now)):
            plan.refresh_from_db()
            services.visit_record(
                actor=worker,
                plan=plan,
                version=plan.version,
                visited_on=day,
                note=visit.note,
                met=visit.met,
                next_visit_on=next_on,
            )
    if stage.graduate_days_ago is not None:
        with clock.frozen(_moment(today - dt.timedelta(days=stage.graduate_days_ago), 11, now)):
            plan.refresh_from_db()
            services.plan_graduate(actor=worker, plan=plan, version=plan.version, note=GRADUATION_NOTE)
    plan.refresh_from_db()
    return plan


def populate(*, organisations: dict, members_by_org: dict, seed: int) -> list[SupportPlan]:
    """Each stage once per organisation, on households of its caseworkers' caseloads."""
    today = clock.today()
    now = clock.now()
    made = []
    for short_name, organisation in organisations.items():
        rng = random.Random(f"{seed}:family_support:{short_name}")
        caseworkers = {
            m.user_id: actor_for_membership(m, is_verified=True)
            for m in members_by_org[short_name][Role.CASEWORKER]
        }
        households = _households(organisation, caseworkers)
        rng.shuffle(households)
        for stage, household in zip(STAGES, households, strict=False):
            made.append(_story(stage, household, caseworkers[household.owner_id], today, now))
    return made
