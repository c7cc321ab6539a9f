"""The demo's programme work: projects of three (fictional) donors, a group of every kind with a
year of monthly sessions, an awareness event with a crowd and a training with its tests, school
kits given from a project's stock (one child twice, to show the warning), a child labour
monitoring committee whose visit to a brick kiln found a child who became a case, and
out-of-school children brought back to a non-formal class and followed up.

Sabay's two projects both count the children of its child club, so the projects' page shows a
child counted by two projects. Everything goes through the services, with the clock set to the
day of each step. Deterministic for a seed; a small world (the browser tests') gets the same
stories with fewer people, the child club filled to 45 members with newcomers.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager

from django.utils import timezone

from ponleu.access.actors import actor_for_membership
from ponleu.common import clock
from ponleu.organisations.choices import Role
from ponleu.programmes.choices import GroupBase, IndicatorSource
from ponleu.programmes.models import GroupKind
from ponleu.programmes.services import distributions, events, monitoring, out_of_school
from ponleu.programmes.services import groups as group_services
from ponleu.programmes.services import projects as project_services
from ponleu.registry.models import Person

from . import people

# Each organisation's projects: code, name, fictional donor, grant reference.
PROJECTS = {
    "sabay": (
        ("LOTUS-ED", "គម្រោងត្រឡប់ទៅសាលារៀនវិញ Back to School", "Lotus Education Fund (demo)", "LEF-2026-014"),
        ("MEKONG-CP", "គម្រោងការពារកុមារក្នុងសហគមន៍ Safe Villages", "Mekong Children's Trust (demo)", "MCT/KH/88"),
    ),
    "angkor-light": (("SUNRISE", "គម្រោងក្លឹបកុមារ Sunrise Clubs", "Sunrise Foundation (demo)", "SF-0419"),),
}
CLUB_SIZE = 45
GROUP_SIZE = 10
SESSIONS = 12  # the child club meets monthly; the other groups every three months
NEWCOMER_NUMBERS = 200_000  # document numbers of the club's newcomers, clear of the others
TOPICS = ("សិទ្ធិកុមារ", "សុវត្ថិភាពតាមផ្លូវ", "អនាម័យ", "ការពារការជួញដូរ", "គ្រោះថ្នាក់មីន", "ការអាន")


@contextmanager
def _on(day: dt.date):
    with clock.frozen(timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))):
        yield


_ACTORS: dict = {}


def _actor(membership):
    """The member's actor, built once (the build runs in one transaction, nothing changes it)."""
    if membership.pk not in _ACTORS:
        _ACTORS[membership.pk] = actor_for_membership(membership, is_verified=True)
    return _ACTORS[membership.pk]


def _people(organisation, district: str, kind: str, limit: int) -> list[Person]:
    return list(
        Person.objects.filter(
            organisation=organisation, kind=kind, area_code__startswith=district, merged_into__isnull=True
        ).order_by("created_at", "id")[:limit]
    )


def _school_age(children, today):
    return [c for c in children if c.date_of_birth and 6 <= c.age_on(today) <= 17]


def populate(*, organisation, teams, members, seed: int) -> dict:
    _ACTORS.clear()
    rng = random.Random(seed + sum(map(ord, organisation.short_name)) + 14)
    today = clock.today()
    start = today - dt.timedelta(days=400)
    supervisor = members[Role.SUPERVISOR][0]
    caseworkers = members.get(Role.CASEWORKER, [])
    field = members.get(Role.FIELD_WORKER, [])
    team, district = teams[0]
    facilitator = caseworkers[0]
    staff = [m.user_id for m in (*caseworkers, *field)]
    counts: dict = {}

    with _on(start):
        manager = _actor(supervisor)
        projects = [
            project_services.project_create(
                actor=manager,
                name=name,
                code=code,
                starts_on=start,
                ends_on=start + dt.timedelta(days=3 * 365),
                donors=[donor],
                grant_reference=reference,
                programme="Education and child protection",
                area_codes=[code_ for _t, code_ in teams],
                partners=["Commune Committee for Women and Children"],
                staff_ids=staff,
            )
            for code, name, donor, reference in PROJECTS.get(organisation.short_name, ())
        ]
        for project in projects:
            _logframe(manager, project, start)
        group_services.group_kinds_seed(organisation_id=organisation.pk)
        # Vocational courses are the youth employment centre's (demo/employment.py).
        kinds = {
            k.base: k
            for k in GroupKind.objects.filter(organisation=organisation).exclude(
                base=GroupBase.VOCATIONAL_COURSE
            )
        }

    children = _school_age(_people(organisation, district, "child", 400), today)
    if len(children) < CLUB_SIZE + 10:
        pairs = people.newcomers(
            organisation=organisation,
            team=team,
            district=district,
            owner=facilitator.user,
            count=CLUB_SIZE + 10 - len(children),
            ages=(8, 14),
            seed=seed + 14,
            numbers_from=NEWCOMER_NUMBERS,
        )
        children += [child for child, _household in pairs]
    adults = _people(organisation, district, "adult", 60)
    village = children[0].village_id

    groups = {}
    with _on(start):
        worker = _actor(facilitator)
        manager = _actor(supervisor)
        for base, kind in kinds.items():
            groups[base] = group_services.group_create(
                actor=manager,
                kind=kind,
                name=f"{kind.name_km} · {organisation.short_name}",
                village_code=village,
                starts_on=start,
                schedule="ថ្ងៃសៅរ៍ ម៉ោង ៨ ព្រឹក",
                facilitator_id=facilitator.user_id,
                team_id=team.pk,
                project_ids=[p.pk for p in projects[:1]],
            )
        adult_kinds = {GroupBase.PARENTS_ASSOCIATION, GroupBase.SELF_HELP_GROUP, GroupBase.LABOUR_COMMITTEE}
        for base, group in groups.items():
            pool = adults if base in adult_kinds and adults else children
            size = CLUB_SIZE if base == GroupBase.CHILD_CLUB else GROUP_SIZE
            group_services.member_add(
                actor=worker, group=group, person_id=pool[0].pk, joined_on=start, role="leader"
            )
            group_services.members_add(
                actor=worker, group=group, person_ids=[p.pk for p in pool[1:size]], joined_on=start
            )
    if len(projects) > 1:  # the club counts for both of Sabay's projects
        with _on(start):
            project_services.project_tag(
                actor=_actor(supervisor), project=projects[1], record=groups[GroupBase.CHILD_CLUB]
            )
    counts["sessions"] = _sessions(groups, facilitator, today, rng)
    counts["events"] = _events(field[0] if field else facilitator, village, projects, children, today)
    counts["distributions"] = _distributions(supervisor, facilitator, projects, district, children, today)
    counts["cases"] = _committee(facilitator, groups[GroupBase.LABOUR_COMMITTEE], children, today)
    # Three children found out of school: from families new to the district, never enrolled.
    found = people.newcomers(
        organisation=organisation,
        team=team,
        district=district,
        owner=facilitator.user,
        count=3,
        ages=(9, 13),
        seed=seed + 15,
        numbers_from=NEWCOMER_NUMBERS + 500,
    )
    counts["back_to_school"] = _out_of_school(
        supervisor, groups[GroupBase.NON_FORMAL_CLASS], [child for child, _household in found], today
    )
    return counts


def _logframe(actor, project, start) -> None:
    outcome = project_services.result_add(
        actor=actor, project=project, level="outcome", code="1", statement="កុមារនៅរៀន និងមានសុវត្ថិភាព"
    )
    output = project_services.result_add(
        actor=actor,
        project=project,
        level="output",
        code="1.1",
        statement="ក្លឹបកុមារជួបគ្នារៀងរាល់ខែ",
        parent=outcome,
    )
    indicators = (
        (outcome, "1.a", "ចំនួនកុមារដែលបានទទួលសេវា", IndicatorSource.CHILDREN_REACHED, 60),
        (output, "1.1.a", "ចំនួនវគ្គក្រុមដែលបានធ្វើ", IndicatorSource.SESSIONS_HELD, 80),
        (output, "1.1.b", "ចំនួនកញ្ចប់សម្ភារៈសិក្សាដែលបានចែក", IndicatorSource.ITEMS_DISTRIBUTED, 40),
    )
    for result, code, statement, source, target in indicators:
        indicator = project_services.indicator_add(
            actor=actor, result=result, code=code, statement=statement, source=source
        )
        for year in (0, 1):
            first = start + dt.timedelta(days=365 * year)
            project_services.target_set(
                actor=actor,
                indicator=indicator,
                period=f"Y{year + 1}",
                starts_on=first,
                ends_on=first + dt.timedelta(days=364),
                value=target,
            )


def _sessions(groups, facilitator, today, rng) -> int:
    held = 0
    for base, group in groups.items():
        members = list(group.members.all())
        months = range(SESSIONS, 0, -1) if base == GroupBase.CHILD_CLUB else range(SESSIONS, 0, -3)
        for month in months:
            day = today - dt.timedelta(days=30 * month)
            present = [m.pk for m in members if rng.random() < 0.75]
            counted = []
            if base == GroupBase.CHILD_CLUB:
                counted = [
                    {"sex": "F", "age_band": "6-11", "count": rng.randint(0, 6)},
                    {"sex": "M", "age_band": "6-11", "count": rng.randint(0, 6)},
                ]
            with _on(day):
                group_services.session_record(
                    actor=_actor(facilitator),
                    group=group,
                    held_on=day,
                    topic=TOPICS[month % len(TOPICS)],
                    present_ids=present,
                    counted=counted,
                )
            held += 1
    return held


def _events(worker, village, projects, children, today) -> int:
    day = today - dt.timedelta(days=40)
    with _on(day):
        actor = _actor(worker)
        events.event_record(
            actor=actor,
            kind="awareness",
            topic="trafficking",
            title="យុទ្ធនាការចំណាកស្រុកដោយសុវត្ថិភាព Safe migration day",
            audience="community",
            held_on=day,
            village_code=village,
            counted=[
                {"sex": "F", "age_band": "18+", "count": 64},
                {"sex": "M", "age_band": "18+", "count": 41},
                {"sex": "F", "age_band": "12-14", "count": 23},
                {"sex": "M", "age_band": "12-14", "count": 19},
                {"sex": "F", "age_band": "15-17", "with_disability": True, "count": 2},
            ],
            project_ids=[p.pk for p in projects[1:2]],
        )
    return 1


def _distributions(supervisor, facilitator, projects, district, children, today) -> int:
    if not projects:
        return 0
    project = projects[0]
    day = today - dt.timedelta(days=60)
    with _on(day):
        distributions.stock_receive(
            actor=_actor(supervisor),
            project=project,
            place_code=district,
            item="school_kit",
            quantity=40,
            received_on=day,
        )
    given = 0
    for index, child in enumerate(children[:20]):
        with _on(day):
            distributions.distribution_record(
                actor=_actor(facilitator),
                project=project,
                place_code=district,
                item="school_kit",
                quantity=1,
                given_on=day,
                signed_by="ម្ដាយ" if index % 2 else "ឪពុក",
                person_id=child.pk,
            )
        given += 1
    later = today - dt.timedelta(days=20)
    with _on(later):  # the same child twice: recorded, with the warning
        distributions.distribution_record(
            actor=_actor(facilitator),
            project=project,
            place_code=district,
            item="school_kit",
            quantity=1,
            given_on=later,
            signed_by="ម្ដាយ",
            person_id=children[0].pk,
        )
    return given + 1


def _committee(facilitator, committee, children, today) -> int:
    day = today - dt.timedelta(days=25)
    child = children[-1]
    with _on(day):
        actor = _actor(facilitator)
        visit = monitoring.visit_record(
            actor=actor,
            committee=committee,
            visited_on=day,
            workplace="brick_kiln",
            workplace_name="ឡឥដ្ឋ ភូមិថ្មី",
            village_code=committee.village_id,
            note="កុមារពីរនាក់កំពុងលើកឥដ្ឋ ម៉ោង ២ រសៀល។",
            children=[
                {
                    "name": child.display_name("km"),
                    "sex": child.sex if child.sex in ("F", "M") else "M",
                    "age": child.age_on(day),
                    "work": "លើកឥដ្ឋ",
                },
                {"name": "", "sex": "M", "age": 15, "work": "ដឹកឥដ្ឋ"},
            ],
        )
        seen = visit.children.order_by("created_at").first()
        monitoring.child_seen_open_case(actor=actor, seen=seen, person_id=child.pk)
    return 1


def _out_of_school(supervisor, nfe, children, today) -> int:
    found = today - dt.timedelta(days=300)
    back = 0
    for index, child in enumerate(children):
        with _on(found):
            record = out_of_school.out_of_school_record(
                actor=_actor(supervisor),
                person_id=child.pk,
                identified_on=found,
                found_by="outreach",
                reason=("work", "poverty", "distance")[index % 3],
                plan="non_formal",
            )
        if index == 2:
            continue  # still out of school
        returned = found + dt.timedelta(days=30)
        with _on(returned):
            record = out_of_school.out_of_school_return(
                actor=_actor(supervisor),
                record=record,
                returned_on=returned,
                version=record.version,
                group=nfe,
            )
        back += 1
        if index == 0:
            followed = returned + dt.timedelta(days=183)
            with _on(followed):
                out_of_school.out_of_school_follow_up(
                    actor=_actor(supervisor),
                    record=record,
                    followed_on=followed,
                    in_school=True,
                    grade=4,
                    version=record.version,
                )
    return back
