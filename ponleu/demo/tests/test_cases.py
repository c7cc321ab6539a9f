"""The demo cases: every type at every stage, with histories the workflow could have produced."""

from __future__ import annotations

import datetime as dt

import pytest

from ponleu.cases.choices import ApprovalStatus, CaseStatus
from ponleu.cases.models import Case, CaseNote, FollowUp, Placement
from ponleu.cases.tests.factories import make_child
from ponleu.demo import cases as demo_cases
from ponleu.organisations.choices import Role

pytestmark = pytest.mark.django_db
LATER = (
    CaseStatus.IMPLEMENTATION,
    CaseStatus.REVIEW,
    CaseStatus.CLOSURE_APPROVAL,
    CaseStatus.FOLLOW_UP,
    CaseStatus.CLOSED,
)


@pytest.mark.dated
def test_demo_cases_cover_every_type_and_stage_coherently(world, today):
    for index in range(70):
        team = world.team_a if index % 2 else world.team_b
        born = today - dt.timedelta(days=365 * (2 + index % 14) + index)  # children on the day of the test
        make_child(world, team=team, village="02010101" if index % 2 else "02080101", date_of_birth=born)
    members = {
        Role.CASEWORKER: [world.members["caseworker_a"], world.members["caseworker_b"]],
        Role.SUPERVISOR: [world.members["supervisor"]],
    }
    counts = demo_cases.populate(organisation=world.org, teams=[], members=members, seed=7)
    assert counts["case"] == 70
    cases = list(Case.objects.select_related("case_type").prefetch_related("approvals", "follow_ups"))
    combos = {(c.case_type.code, c.status) for c in cases}
    expected = {
        (code, status)
        for code in (
            "child_protection",
            "trafficking",
            "child_labour",
            "sexual_exploitation",
            "gender_based_violence",
            "disability_inclusion",
            "school_dropout",
        )
        for status in CaseStatus.values
        if not (status == CaseStatus.FOLLOW_UP and code in demo_cases.NO_FOLLOW_UP_TYPES)
    }
    assert combos == expected
    for case in cases:
        approvals = {(a.kind, a.status) for a in case.approvals.all()}
        if case.status in LATER:
            assert ("case_plan", ApprovalStatus.APPROVED) in approvals, case.status
        if case.status == CaseStatus.PLAN_APPROVAL:
            assert ("case_plan", ApprovalStatus.PENDING) in approvals
        if case.status == CaseStatus.FOLLOW_UP:
            assert case.reintegrated_on is not None
            assert sorted(f.months for f in case.follow_ups.all()) == [3, 6, 12]
        if case.status in (CaseStatus.FOLLOW_UP, CaseStatus.CLOSED):
            assert case.closed_on is not None
            assert ("closure", ApprovalStatus.APPROVED) in approvals
        assert case.identified_on <= today
    assert not CaseNote.objects.filter(happened_on__gt=today).exists()
    assert not FollowUp.objects.filter(done_on__gt=today).exists()
    for placement in Placement.objects.all():
        overlapping = Placement.objects.filter(person=placement.person).overlapping(
            placement.started_on, placement.ended_on
        )
        assert overlapping.count() == 1
    assert CaseNote.objects.first().observations  # encrypted in bulk, readable again
    assert all(c.person.is_sensitive for c in Case.objects.filter(is_sensitive=True).select_related("person"))
