"""Synthetic cases for one demo organisation: every type at every stage, over the last two years.

Built in bulk (one INSERT batch per table) and deterministic for a seed. The histories are
coherent: a case at implementation has an approved plan, a closed case its approvals, a case in
follow-up its reunification and the 3/6/12-month visits that are due. Child protection cases
whose type has no reunification (school dropout, disability inclusion) cannot be in follow-up,
so those two pairs are skipped.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ponleu.access.actors import system_actor
from ponleu.audit import services as audit
from ponleu.cases import scoring, standard
from ponleu.cases.choices import (
    ActionStatus,
    ApprovalKind,
    ApprovalStatus,
    CaseStatus,
    ClosureReason,
    CSIDomain,
    Destination,
    DetailsKind,
    FollowUpOutcome,
    Hazard,
    IdentificationSource,
    InteractionType,
    LegalCaseStatus,
    PlacementType,
    WorkplaceType,
)
from ponleu.cases.models import (
    Action,
    Assessment,
    AssessmentInstrument,
    Case,
    CaseApproval,
    CaseConference,
    CaseNote,
    CaseType,
    ChildLabourDetail,
    FollowUp,
    Goal,
    Placement,
    SafetyPlan,
    ServiceDelivery,
    TraffickingDetail,
)
from ponleu.cases.services.base import add_months
from ponleu.cases.services.configuration import configuration_seed
from ponleu.cases.services.contact import next_visit_after
from ponleu.common import clock
from ponleu.organisations.choices import Role
from ponleu.registry.models import Person

CASES_PER_ORG = 100
STAGES = list(CaseStatus)
NO_FOLLOW_UP_TYPES = {"school_dropout", "disability_inclusion"}

OBSERVATIONS = [
    "កុមារមានសុខភាពល្អ ហើយទៅសាលារៀនជាប្រចាំ។ The child is well and goes to school every day.",
    "ម្ដាយបាននិយាយថា គ្រួសារមានការលំបាកផ្នែកហិរញ្ញវត្ថុ។ The mother says money is short this month.",
    "កុមារហាក់ដូចជាព្រួយបារម្ភ និងមិនចង់និយាយច្រើន។ The child seemed worried and spoke little.",
    "បានពិភាក្សាអំពីផែនការសុវត្ថិភាពជាមួយកុមារ និងអ្នកថែទាំ។ We went through the safety plan together.",
    "គ្រូបង្រៀនរាយការណ៍ថា វត្តមានរបស់កុមារប្រសើរឡើង។ The teacher reports better attendance.",
    "The grandmother cares for the child while the parents work in Thailand.",
    "Home is clean; food for the week is there; the child sleeps inside now.",
    "The child asked to see the counsellor again; appointment made for next week.",
]
PLACES = ["ផ្ទះកុមារ · the child's home", "សាលារៀន · school", "ការិយាល័យ · office", "មណ្ឌលសុខភាព · health centre"]
CARERS = {
    PlacementType.EMERGENCY_SHELTER: ("Safe Haven shelter (demo)", ""),
    PlacementType.KINSHIP: ("យាយ ស្រី (grandmother)", "grandmother"),
    PlacementType.FOSTER: ("Foster family Chan (demo)", "foster carer"),
    PlacementType.RESIDENTIAL: ("Light House centre (demo)", ""),
}
PROVIDERS = [
    "Health centre",
    "Legal aid NGO (demo)",
    "Commune council",
    "Vocational school (demo)",
    "Ponleu partner",
]


def _children(organisation, today: dt.date) -> list[Person]:
    adult = dt.date(today.year - 18, today.month, min(today.day, 28))
    return list(
        Person.objects.filter(organisation=organisation, date_of_birth__gt=adult, village__isnull=False)
        .order_by("family_name_latin", "given_name_latin", "id")
        .select_related("team")
    )


def _combos(case_types) -> list[tuple[CaseType, CaseStatus]]:
    return [
        (case_type, stage)
        for stage in STAGES
        for case_type in case_types
        if not (stage == CaseStatus.FOLLOW_UP and case_type.code in NO_FOLLOW_UP_TYPES)
    ]


class _Builder:
    """Collects the rows of every table, then writes each table in one bulk insert."""

    def __init__(self, organisation, rng, today, members, instruments):
        self.organisation, self.rng, self.today = organisation, rng, today
        self.instruments = instruments
        self.caseworker_by_team = {m.teams.first().pk: m.user for m in members.get(Role.CASEWORKER, [])}
        self.supervisor = members[Role.SUPERVISOR][0].user
        self.rows: dict[type, list] = {}

    def add(self, row):
        self.rows.setdefault(type(row), []).append(row)
        return row

    def day(self, start: dt.date, low: int, high: int) -> dt.date:
        return min(start + dt.timedelta(days=self.rng.randint(low, high)), self.today)

    # --- one case -------------------------------------------------------------------------------
    def case(self, person: Person, case_type: CaseType, stage: CaseStatus) -> Case:
        rng, today = self.rng, self.today
        index = STAGES.index(stage)
        reaches_follow_up = stage in (CaseStatus.FOLLOW_UP, CaseStatus.CLOSED)
        minimum_age = 600 if reaches_follow_up else 20 + index * 30
        identified = today - dt.timedelta(days=rng.randint(minimum_age, max(minimum_age + 30, 720)))
        owner = self.caseworker_by_team.get(person.team_id)
        if stage == CaseStatus.IDENTIFIED and rng.random() < 0.4:
            owner = None  # identified by a volunteer, not assigned yet
        case = Case(
            organisation=self.organisation,
            case_type=case_type,
            subtype=rng.choice(case_type.subtypes)["code"] if case_type.subtypes else "",
            person=person,
            area_code=person.area_code,
            team_id=person.team_id,
            owner=owner,
            status=stage,
            is_sensitive=case_type.is_sensitive_default,
            source=rng.choice(
                [s for s in IdentificationSource.values if s != IdentificationSource.EARLY_WARNING]
                if case_type.code != "school_dropout"
                else [IdentificationSource.EARLY_WARNING, IdentificationSource.TEACHER]
            ),
            identified_on=identified,
            summary=rng.choice(OBSERVATIONS),
            mosvy_number=f"MSVY-{identified.year}-{rng.randint(1000, 9999)}" if rng.random() < 0.3 else "",
        )
        case.created_at = _moment(identified)
        case.updated_at = case.created_at
        moment = identified
        urgent = stage != CaseStatus.IDENTIFIED and rng.random() < 0.12
        if urgent:
            case.urgent_since = _moment(identified)
            case.urgent_deadline = case.urgent_since + dt.timedelta(hours=24)
            pending = stage == CaseStatus.INTAKE and rng.random() < 0.5
            case.urgency_met_at = (
                None if pending else case.urgent_since + dt.timedelta(hours=rng.randint(2, 20))
            )
        needs_plan = urgent or (case_type.requires_safety_plan and index >= 3)
        if needs_plan and (case.urgency_met_at is not None or not urgent):
            self.safety_plan(case)
        if index >= 1:
            self.specifics(case, case_type)
            self.notes(case, identified, 1 + rng.randint(0, 1), owner)
        if index >= 2 and (index > 2 or rng.random() < 0.5):
            moment = self.day(identified, 3, 15)
            self.checklist(case, moment, owner)
        if index >= 3:
            moment = self.day(moment, 2, 10)
            goals = self.plan(case, moment, owner, executed=index >= 5)
            self.csi(case, moment, owner, repeats=1 if index < 5 else rng.randint(2, 4))
        if index >= 4:
            self.approval(case, ApprovalKind.CASE_PLAN, owner, moment, decided=index >= 5)
        if index >= 5:
            moment = self.day(moment, 5, 40)
            self.services(case, case_type, moment, goals)
            self.notes(case, moment, rng.randint(1, 6), owner, goals=goals)
            if rng.random() < 0.5:
                self.add(
                    CaseConference(
                        case=case,
                        held_on=self.day(moment, 0, 30),
                        participants="Caseworker, supervisor, CCWC focal person, mother",
                        decisions="Continue the plan; review school support next month.",
                        recorded_by=owner,
                    )
                )
        placed = (
            4 in case_type.forms
            and index >= 5
            and (reaches_follow_up and case_type.code not in NO_FOLLOW_UP_TYPES or rng.random() < 0.4)
        )
        if placed:
            moment = self.care(
                case, moment, owner, reintegrate=reaches_follow_up or index >= 6 and rng.random() < 0.5
            )
        if index >= 7:
            self.close(case, stage, moment, owner)
        case.next_visit_on = self.next_visit(case) if case.status in _OPEN else None
        case.status_changed_at = _moment(min(moment, today))
        return self.add(case)

    def safety_plan(self, case: Case) -> None:
        self.add(
            SafetyPlan(
                case=case,
                dangers="The person who hurt the child lives nearby.",
                safe_place="ផ្ទះយាយ · the grandmother's house",
                trusted_adults="Grandmother; village chief; teacher",
                warning_signs="He comes to the house drunk",
                steps="Go to the grandmother; call 1280 (child helpline); tell the teacher.",
                recorded_by=case.owner,
            )
        )

    def specifics(self, case: Case, case_type: CaseType) -> None:
        rng = self.rng
        if case_type.details_kind == DetailsKind.TRAFFICKING:
            destination = rng.choice(Destination.values)
            self.add(
                TraffickingDetail(
                    case=case,
                    route="Battambang → Poipet → Bangkok",
                    destination=destination,
                    destination_place={"thailand": "Rayong", "other_province": "Phnom Penh"}.get(
                        destination, "Malaysia"
                    ),
                    returned_on=case.identified_on - dt.timedelta(days=rng.randint(1, 30)),
                    legal_status=rng.choice(LegalCaseStatus.values),
                    legal_aid=rng.random() < 0.6,
                    legal_aid_provider="Legal aid NGO (demo)",
                )
            )
        elif case_type.details_kind == DetailsKind.CHILD_LABOUR:
            self.add(
                ChildLabourDetail(
                    case=case,
                    workplace_type=case.subtype
                    if case.subtype in WorkplaceType.values
                    else WorkplaceType.OTHER,
                    workplace="Brick kiln near the river (demo)" if case.subtype == "brick_kiln" else "",
                    hazards=rng.sample(Hazard.values, rng.randint(1, 3)),
                    hours_per_week=rng.randint(15, 60),
                    is_paid=rng.random() < 0.5,
                )
            )

    def checklist(self, case: Case, day: dt.date, owner) -> None:
        instrument = self.instruments[standard.DANGER_CHECKLIST]
        ticked = self.rng.sample([item["code"] for item in instrument.items[1:]], self.rng.randint(1, 4))
        if case.urgent_since:
            ticked.insert(0, "immediate_danger")
        scored = scoring.score(
            instrument.kind, instrument.items, instrument.thresholds, dict.fromkeys(ticked, True)
        )
        case.risk_level = scored.result
        self.assessment(case, instrument, day, owner, dict.fromkeys(ticked, True), scored)

    def csi(self, case: Case, day: dt.date, owner, repeats: int) -> None:
        instrument = self.instruments[standard.CSI]
        scores = {code: self.rng.choice([1, 2, 2, 3, 3, 4]) for code in CSIDomain.values}
        for _ in range(repeats):
            if day > self.today:
                break
            scored = scoring.score(instrument.kind, instrument.items, {}, scores)
            self.assessment(case, instrument, day, owner, dict(scores), scored)
            scores = {code: min(4, s + (self.rng.random() < 0.5)) for code, s in scores.items()}
            day += dt.timedelta(days=instrument.reassess_after_days + self.rng.randint(-10, 20))

    def assessment(self, case, instrument, day, owner, answers, scored) -> None:
        self.add(
            Assessment(
                case=case,
                instrument=instrument,
                assessed_on=day,
                assessed_by=owner,
                answers=answers,
                score=scored.score,
                result=scored.result,
                reasons=scored.reasons,
                next_due_on=day + dt.timedelta(days=instrument.reassess_after_days)
                if instrument.reassess_after_days
                else None,
            )
        )

    def plan(self, case: Case, day: dt.date, owner, executed: bool) -> list[Goal]:
        rng = self.rng
        goals = []
        for domain in rng.sample(["2B", "3A", "5A", "6B", "1A", "4B"], rng.randint(1, 3)):
            goal = self.add(Goal(case=case, domain=domain, description=_GOALS[domain], created_by=owner))
            goals.append(goal)
            for _ in range(rng.randint(1, 2)):
                due = day + dt.timedelta(days=rng.randint(14, 90))
                done = executed and due < self.today and rng.random() < 0.7
                self.add(
                    Action(
                        case=case,
                        goal=goal,
                        description=rng.choice(_ACTIONS),
                        owner=owner,
                        due_on=due,
                        status=ActionStatus.DONE if done else ActionStatus.OPEN,
                        done_on=min(due, self.today) if done else None,
                    )
                )
        return goals

    def approval(self, case, kind, owner, day, decided: bool) -> None:
        self.add(
            CaseApproval(
                case=case,
                kind=kind,
                status=ApprovalStatus.APPROVED if decided else ApprovalStatus.PENDING,
                requested_by=owner,
                requested_at=_moment(day),
                decided_by=self.supervisor if decided else None,
                decided_at=_moment(self.day(day, 0, 5)) if decided else None,
                comment="Agreed." if decided else "",
            )
        )

    def services(self, case, case_type, day, goals) -> None:
        for _ in range(self.rng.randint(1, 4)):
            self.add(
                ServiceDelivery(
                    case=case,
                    goal=self.rng.choice(goals) if goals else None,
                    service_type=self.rng.choice(case_type.service_types),
                    provider=self.rng.choice(PROVIDERS),
                    delivered_on=self.day(day, 0, 120),
                    cost=self.rng.choice([None, 20000, 40000, 100000]),
                    outcome="Received; the family is satisfied.",
                    recorded_by=case.owner,
                )
            )

    def notes(self, case, start, count, owner, goals=()) -> None:
        day = start
        for _ in range(count):
            day = self.day(day, 3, 40)
            note = self.add(
                CaseNote(
                    case=case,
                    interaction=self.rng.choice(
                        [InteractionType.HOME_VISIT] * 3
                        + [InteractionType.PHONE, InteractionType.SCHOOL_VISIT, InteractionType.OFFICE_VISIT]
                    ),
                    happened_on=day,
                    place=self.rng.choice(PLACES),
                    present="Child, mother" if self.rng.random() < 0.6 else "Child, grandmother",
                    observations=self.rng.choice(OBSERVATIONS),
                    author=owner,
                )
            )
            if goals and self.rng.random() < 0.5:
                note.linked_goals = [self.rng.choice(goals)]

    def care(self, case, day, owner, reintegrate: bool) -> dt.date:
        rng = self.rng
        kind = rng.choice(list(CARERS))
        carer, relationship = CARERS[kind]
        started = self.day(case.identified_on, 1, 10)
        placement = self.add(
            Placement(
                case=case,
                person=case.person,
                placement_type=kind,
                carer=carer,
                carer_relationship=relationship,
                started_on=started,
                recorded_by=owner,
            )
        )
        if not reintegrate:
            return day
        readiness = self.instruments[standard.READINESS]
        ready_on = self.day(max(day, started), 20, 60)
        answers = {item["code"]: True for item in readiness.items}
        self.assessment(
            case,
            readiness,
            ready_on,
            owner,
            answers,
            scoring.score(readiness.kind, readiness.items, {}, answers),
        )
        reunified = self.day(ready_on, 1, 10)
        placement.ended_on = reunified
        placement.end_reason = "Reunified with family"
        case.reintegrated_on = reunified
        case.reintegrated_with = "Mother and grandmother"
        return reunified

    def close(self, case, stage, day, owner) -> None:
        rng = self.rng
        if case.reintegrated_on:
            case.closure_reason = ClosureReason.REINTEGRATED
        else:
            case.closure_reason = rng.choice(
                [
                    ClosureReason.GOALS_ACHIEVED,
                    ClosureReason.MOVED_AWAY,
                    ClosureReason.TRANSFERRED,
                    ClosureReason.AGED_OUT,
                ]
            )
        case.closure_note = "Goals reached; the family copes on its own."
        requested = self.day(day, 5, 30)
        decided = stage != CaseStatus.CLOSURE_APPROVAL
        self.approval(case, ApprovalKind.CLOSURE, owner, requested, decided=decided)
        if not decided:
            return
        case.closed_on = self.day(requested, 0, 5)
        for action in self.rows.get(Action, []):
            if action.case is case and action.status == ActionStatus.OPEN:
                action.status = ActionStatus.CANCELLED
        if case.reintegrated_on:
            for months in (3, 6, 12):
                due = add_months(case.reintegrated_on, months)
                done = due <= self.today and (stage == CaseStatus.CLOSED or rng.random() < 0.8)
                self.add(
                    FollowUp(
                        case=case,
                        months=months,
                        due_on=due,
                        done_on=min(due + dt.timedelta(days=rng.randint(0, 10)), self.today)
                        if done
                        else None,
                        outcome=rng.choice([FollowUpOutcome.DOING_WELL] * 3 + [FollowUpOutcome.NEEDS_SUPPORT])
                        if done
                        else "",
                        observations="Child at home and at school." if done else "",
                        done_by=owner if done else None,
                    )
                )

    def next_visit(self, case) -> dt.date:
        visits = [
            n.happened_on
            for n in self.rows.get(CaseNote, [])
            if n.case is case and n.interaction == InteractionType.HOME_VISIT
        ]
        return next_visit_after(max(visits) if visits else case.identified_on, case.risk_level)

    def write(self) -> dict[str, int]:
        order = [
            Case,
            SafetyPlan,
            TraffickingDetail,
            ChildLabourDetail,
            Assessment,
            Goal,
            Action,
            CaseApproval,
            ServiceDelivery,
            CaseNote,
            CaseConference,
            Placement,
            FollowUp,
        ]
        counts = {}
        for model in order:
            rows = self.rows.get(model, [])
            for row in rows:
                if hasattr(row, "case"):
                    row.case_id = row.case.pk
                if isinstance(row, Action):
                    row.goal_id = row.goal.pk
            model.objects.bulk_create(rows, batch_size=500)
            counts[model._meta.model_name] = len(rows)
        links = [
            CaseNote.goals.through(casenote_id=note.pk, goal_id=goal.pk)
            for note in self.rows.get(CaseNote, [])
            for goal in getattr(note, "linked_goals", [])
        ]
        CaseNote.goals.through.objects.bulk_create(links, batch_size=500)
        return counts


_OPEN = set(CaseStatus.values) - {CaseStatus.FOLLOW_UP, CaseStatus.CLOSED}
_GOALS = {
    "1A": "The family has enough food every day.",
    "2B": "The child lives in stable, loving care.",
    "3A": "The child is safe from abuse and exploitation.",
    "4B": "The child gets the health care they need.",
    "5A": "The child feels safe and copes with what happened.",
    "6B": "The child goes back to school and stays.",
}
_ACTIONS = [
    "Home visit with the CCWC focal person",
    "Enrol the child in the school feeding programme",
    "Refer to the health centre for a check-up",
    "Counselling sessions (4) with the psychologist",
    "Help the mother apply for IDPoor",
    "Meet the teacher about catch-up classes",
]


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def populate(*, organisation, teams, members, seed: int, count: int | None = None) -> dict[str, int]:
    """Cases of every type at every stage for the organisation's children (about ``count``)."""
    rng = random.Random(f"{seed}:cases:{organisation.short_name}")
    actor = system_actor(organisation.pk, name="demo")
    configuration_seed(actor=actor, organisation=organisation)
    case_types = list(CaseType.objects.filter(organisation=organisation).order_by("position"))
    instruments = {i.code: i for i in AssessmentInstrument.objects.filter(organisation=organisation)}
    today = clock.today()
    children = _children(organisation, today)
    rng.shuffle(children)
    combos = _combos(case_types)
    target = min(count or CASES_PER_ORG, len(children))
    builder = _Builder(organisation, rng, today, members, instruments)
    for index in range(target):
        case_type, stage = combos[index % len(combos)] if index < len(combos) else rng.choice(combos)
        builder.case(children[index], case_type, stage)
    counts = builder.write()
    # As case_open does: the child of a trafficking, exploitation or violence case is sensitive.
    sensitive_children = [case.person_id for case in builder.rows.get(Case, []) if case.is_sensitive]
    Person.objects.filter(pk__in=sensitive_children).update(is_sensitive=True)
    audit.record(
        actor=actor,
        action="demo.cases.created",
        target=("organisations.organisation", str(organisation.pk)),
        changes={"counts": [None, counts]},
    )
    return counts
