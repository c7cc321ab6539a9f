"""The demo's early childhood work, at Angkor Light (Siem Reap): the
generic development checklist in use, six fictional factories (with and without the childcare
the Labour Law asks of those with 100 women workers or more), a factory nursery and a community
preschool of twelve young children each with a term of daily attendance, the organisation's parents' association
linked as the preschool's caregiver (positive parenting) group, and development checks taken
over the term, some children left due or late.

The nurseries' facilitator is the nursery worker (nursery.angkor-light), a caseworker of the
first team (Puok), as whom the browser journey takes the day's attendance and a check. Everything goes through the services, with the clock set to the day of
each step; deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager

from django.utils import timezone

from ponleu.access.actors import actor_for_membership
from ponleu.common import clock
from ponleu.early_childhood import selectors
from ponleu.early_childhood.models import months_old
from ponleu.early_childhood.services import checks, instruments, nurseries
from ponleu.early_childhood.services import factories as factory_services
from ponleu.geography.models import AdminUnit
from ponleu.organisations.choices import Role
from ponleu.programmes.choices import GroupBase
from ponleu.programmes.models import Group
from ponleu.programmes.services import groups as group_services

from . import people

ORGANISATION = "angkor-light"
CHILDREN = 12
TERM_DAYS = 60  # weekdays of daily attendance, up to yesterday
NUMBERS_FROM = 300_000  # document numbers of the nurseries' children, clear of the others
# Fictional factories: name, women workers, childcare provided.
FACTORIES = (
    ("Demo Garment Factory A", 850, "on_site"),
    ("Demo Garment Factory B", 420, "paid_elsewhere"),
    ("Demo Shoe Factory C", 260, "none"),
    ("Demo Garment Factory D", 140, "none"),
    ("Demo Bag Factory E", 99, "none"),
    ("Demo Print Works F", 60, "none"),
)


@contextmanager
def _on(day: dt.date):
    with clock.frozen(timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))):
        yield


def _weekdays_before(day: dt.date, count: int) -> list[dt.date]:
    days, current = [], day - dt.timedelta(days=1)
    while len(days) < count:
        if current.weekday() < 5:
            days.append(current)
        current -= dt.timedelta(days=1)
    return sorted(days)


# The nursery worker: a caseworker of the organisation's first team (the demo world makes the account).
WORKER = ("nursery", "Keo Sophany")


def populate(*, organisation, teams, members, worker_membership, seed: int) -> dict:
    if organisation.short_name != ORGANISATION:
        return {}
    rng = random.Random(seed + 186)
    today = clock.today()
    term = _weekdays_before(today, TERM_DAYS)
    start = term[0] - dt.timedelta(days=7)
    admin = actor_for_membership(members[Role.ORG_ADMIN][0], is_verified=True)
    supervisor = actor_for_membership(members[Role.SUPERVISOR][0], is_verified=True)
    worker = actor_for_membership(worker_membership, is_verified=True)
    team, district = next((t, d) for t, d in teams if t.pk in worker.team_ids)
    villages = list(AdminUnit.objects.within(district).filter(level="village").order_by("code")[:20])

    with _on(start):
        instruments.instrument_create(
            actor=admin,
            name="Generic development checklist (demo, not a validated instrument)",
            source="own",
            bands=instruments.generic_bands(),
        )
        made = [
            factory_services.factory_create(
                actor=supervisor,
                name=name,
                village_code=villages[index % len(villages)].code,
                women_workers=women,
                childcare=childcare,
                checked_on=start - dt.timedelta(days=rng.randint(10, 200)),
            )
            for index, (name, women, childcare) in enumerate(FACTORIES)
        ]
        # The organisation's parents' association (the programmes demo's) holds the preschool's
        # caregiver sessions.
        parents = Group.objects.filter(
            organisation=organisation, kind__base=GroupBase.PARENTS_ASSOCIATION
        ).first()
        opened = [
            nurseries.nursery_open(
                actor=supervisor,
                kind="factory",
                name="មណ្ឌលថែទាំកុមាររោងចក្រ A Factory A nursery",
                village_code=villages[0].code,
                starts_on=start,
                schedule="ច័ន្ទ–សុក្រ ៧:០០–១៧:០០",
                factory=made[0],
                capacity=30,
                facilitator_id=worker.user_id,
                team_id=team.pk,
            ),
            nurseries.nursery_open(
                actor=supervisor,
                kind="preschool",
                name="មត្តេយ្យសហគមន៍ផ្កាឈូក Lotus preschool",
                village_code=villages[1 % len(villages)].code,
                starts_on=start,
                schedule="ច័ន្ទ–សុក្រ ៧:៣០–១០:៣០",
                capacity=25,
                parents_group_id=parents.pk if parents else None,
                facilitator_id=worker.user_id,
                team_id=team.pk,
            ),
        ]
        enrolled = {}
        for index, nursery in enumerate(opened):
            pairs = people.newcomers(
                organisation=organisation,
                team=team,
                district=district,
                owner=worker_membership.user,
                count=CHILDREN,
                ages=(1, 4) if nursery.kind == "factory" else (3, 5),
                seed=seed + index,
                numbers_from=NUMBERS_FROM + index * 1000,
            )
            kids = [
                child for child, _household in pairs if child.date_of_birth and child.date_of_birth < start
            ]
            group_services.members_add(
                actor=worker, group=nursery.group, person_ids=[k.pk for k in kids], joined_on=start
            )
            enrolled[nursery.pk] = kids

    # A term of daily roll calls: most children come most days.
    days = 0
    for day in term:
        with _on(day):
            for nursery in opened:
                present = [
                    member.pk
                    for member, _label in selectors.nursery_children(actor=worker, nursery=nursery, day=day)
                    if rng.random() < 0.86
                ]
                nurseries.nursery_day_record(actor=worker, nursery=nursery, day=day, present_ids=present)
                days += 1
    # Development checks over the term: two children in three checked, the rest left due.
    taken = 0
    for nursery in opened:
        for kid in enrolled[nursery.pk]:
            if rng.random() > 0.67:
                continue
            day = rng.choice(term[10:])
            with _on(day):
                instrument = selectors.instrument_in_use(organisation_id=organisation.pk)
                band = selectors.band_for(instrument, months_old(kid.date_of_birth, day))
                if band is None:
                    continue
                results = {str(item.pk): rng.random() < 0.8 for item in selectors.band_items(band=band)}
                checks.check_record(
                    actor=worker, person_id=kid.pk, checked_on=day, results=results, nursery=nursery
                )
                taken += 1
    return {"nurseries": len(opened), "factories": len(made), "days": days, "checks": taken}
