"""Services: checks, refusals that save nothing, version conflicts, approvals, overdue, siblings."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ponleu.audit.models import AuditEvent
from ponleu.cases import workflow
from ponleu.cases.choices import ActionStatus, CaseEvent, CaseStatus
from ponleu.cases.models import Action, Case, CaseApproval, CaseNote, CaseType, FollowUp, Placement
from ponleu.cases.selectors import caseload, team_caseload
from ponleu.cases.services import care, contact, work
from ponleu.cases.services import cases as case_services
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed

from .factories import ALL_CSI, make_child, make_siblings, move, open_case, to_implementation

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Phnom_Penh"))


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(NOW) as traveller:
        yield traveller


def test_opening_seeds_the_standard_types_and_scopes_the_case_like_the_child(world):
    case = open_case(world, type_code="trafficking", subtype="trafficking")
    assert CaseType.objects.filter(organisation=world.org).count() == 7
    assert case.is_sensitive, "trafficking cases are sensitive by default"
    assert case.area_code == "02010101"
    assert case.owner == world.user("caseworker_a")
    assert case.team == world.team_a
    assert case.status == CaseStatus.IDENTIFIED
    assert AuditEvent.objects.filter(action="cases.case.opened", target_id=str(case.pk)).count() == 1
    assert not open_case(world, type_code="child_labour").is_sensitive


def test_partner_organisation_cannot_open_a_case_for_our_child(world):
    with pytest.raises(PermissionDenied):
        open_case(world, worker="partner")
    assert not Case.objects.exists()


def test_immediate_danger_sets_a_24_hour_deadline_met_by_the_safety_plan(world, frozen_clock):
    case = open_case(world, immediate_danger=True)
    assert case.urgent_deadline == NOW + dt.timedelta(hours=24)
    move(world, case, CaseEvent.START_INTAKE)
    with pytest.raises(workflow.GuardFailed):
        move(world, case, CaseEvent.COMPLETE_SCREENING)
    frozen_clock.advance(hours=25)
    assert Case.objects.urgent_overdue().filter(pk=case.pk).exists()
    case_services.safety_plan_save(
        actor=world.actor("caseworker_a"),
        case=case,
        data={"dangers": "uncle", "safe_place": "aunt's house", "steps": "call the hotline"},
    )
    case.refresh_from_db()
    assert not case.urgency_pending
    move(world, case, CaseEvent.COMPLETE_SCREENING)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ASSESSMENT


def test_illegal_transition_is_refused_and_saves_nothing(world):
    case = open_case(world)
    before = AuditEvent.objects.count()
    with pytest.raises(workflow.IllegalTransition):
        move(world, case, CaseEvent.APPROVE_CLOSURE, "supervisor")
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED
    assert case.version == 1
    assert AuditEvent.objects.count() == before


def test_a_stale_version_is_a_conflict_not_a_lost_update(world):
    case = open_case(world)
    stale = Case.objects.get(pk=case.pk)
    move(world, case, CaseEvent.START_INTAKE)
    with pytest.raises(Conflict):
        case_services.case_update(
            actor=world.actor("caseworker_a"),
            case=stale,
            expected_version=stale.version,
            data={"summary": "x"},
        )
    assert Case.objects.get(pk=case.pk).summary == ""


def test_caseworker_cannot_approve_and_supervisor_cannot_approve_own_request(world):
    case = to_implementation(world, open_case(world))
    assert case.status == CaseStatus.IMPLEMENTATION
    approval = CaseApproval.objects.get(case=case, kind="case_plan")
    assert approval.status == "approved"
    assert approval.decided_by == world.user("supervisor")
    # A supervisor's own closure request needs another approver.
    move(world, case, CaseEvent.START_REVIEW)
    case.refresh_from_db()
    case_services.case_assign(
        actor=world.actor("supervisor"),
        case=case,
        expected_version=case.version,
        owner_id=world.user("caseworker_a").pk,
    )
    move(
        world,
        case,
        CaseEvent.REQUEST_CLOSURE,
        "supervisor",
        closure_reason="goals_achieved",
        open_actions_reason="done elsewhere",
    )
    with pytest.raises(workflow.GuardFailed):
        move(world, case, CaseEvent.APPROVE_CLOSURE, "supervisor")
    with pytest.raises(PermissionDenied):
        move(world, case, CaseEvent.APPROVE_CLOSURE, "caseworker_a")


def test_closing_with_open_actions_needs_a_reason_and_cancels_them(world):
    case = to_implementation(world, open_case(world))
    move(world, case, CaseEvent.START_REVIEW)
    with pytest.raises(workflow.GuardFailed):
        move(world, case, CaseEvent.REQUEST_CLOSURE, closure_reason="moved_away")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REVIEW
    assert not CaseApproval.objects.filter(case=case, kind="closure").exists()
    move(
        world, case, CaseEvent.REQUEST_CLOSURE, closure_reason="moved_away", open_actions_reason="family left"
    )
    move(world, case, CaseEvent.APPROVE_CLOSURE, "supervisor")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == NOW.date()
    assert not Action.objects.filter(case=case, status=ActionStatus.OPEN).exists()


def test_overdue_actions_follow_the_injected_clock(world, frozen_clock):
    case = to_implementation(world, open_case(world))
    action = Action.objects.get(case=case)
    assert action.due_on == dt.date(2025, 2, 9)
    assert list(Action.objects.overdue()) == [action]  # 3 March is after 9 February
    with clock.frozen(dt.datetime(2025, 2, 9, 23, 0, tzinfo=ZoneInfo("Asia/Phnom_Penh"))):
        assert not Action.objects.overdue().exists()
        assert not action.is_overdue()
    assert action.is_overdue()
    load = caseload(actor=world.actor("caseworker_a"))
    assert [a.pk for a in load.overdue_actions] == [action.pk]
    team = team_caseload(actor=world.actor("supervisor"))
    assert sum(row["overdue"] for row in team.rows) == 1


def test_a_future_date_for_a_past_visit_is_refused(world):
    case = open_case(world)
    with pytest.raises(ValidationFailed) as refused:
        contact.note_add(
            actor=world.actor("caseworker_a"),
            case=case,
            interaction="home_visit",
            happened_on=NOW.date() + dt.timedelta(days=1),
            observations="x",
        )
    assert refused.value.field == "happened_on"
    assert not CaseNote.objects.exists()


def test_home_visit_sets_the_next_visit_by_risk(world):
    case = to_implementation(world, open_case(world))
    contact.note_add(
        actor=world.actor("caseworker_a"),
        case=case,
        interaction="home_visit",
        happened_on=dt.date(2025, 3, 1),
        observations="Family well",
    )
    case.refresh_from_db()
    assert case.risk_level == "medium"
    assert case.next_visit_on == dt.date(2025, 3, 31)


def test_overlapping_placements_are_refused(world):
    case = to_implementation(world, open_case(world))
    actor = world.actor("caseworker_a")
    care.placement_start(
        actor=actor, case=case, placement_type="kinship", carer="Aunt", started_on=dt.date(2025, 1, 20)
    )
    with pytest.raises(ValidationFailed) as refused:
        care.placement_start(
            actor=actor,
            case=case,
            placement_type="foster",
            carer="Foster family",
            started_on=dt.date(2025, 2, 1),
        )
    assert refused.value.field == "started_on"
    assert Placement.objects.count() == 1


def test_siblings_placed_apart_are_warned_about(world):
    first, second = make_siblings(world, 2)
    actor = world.actor("caseworker_a")
    case_one = to_implementation(world, open_case(world, child=first))
    case_two = to_implementation(world, open_case(world, child=second))
    _, warning = care.placement_start(
        actor=actor,
        case=case_one,
        placement_type="foster",
        carer="Foster family A",
        started_on=dt.date(2025, 2, 1),
    )
    assert warning == ""
    placement, warning = care.placement_start(
        actor=actor,
        case=case_two,
        placement_type="residential",
        carer="Centre B",
        started_on=dt.date(2025, 2, 2),
    )
    assert placement.siblings_apart
    assert "sibling" in warning
    together, warning = care.placement_start(
        actor=actor,
        case=open_case(world, child=make_siblings(world, 1)[0]),
        placement_type="foster",
        carer="Foster family A",
        started_on=dt.date(2025, 2, 3),
    )
    assert not together.siblings_apart
    assert warning == ""


def test_reintegration_needs_readiness_then_follow_ups_are_scheduled(world):
    case = to_implementation(world, open_case(world))
    actor = world.actor("caseworker_a")
    care.placement_start(
        actor=actor,
        case=case,
        placement_type="emergency_shelter",
        carer="Shelter",
        started_on=dt.date(2025, 1, 20),
    )
    case.refresh_from_db()
    with pytest.raises(ValidationFailed):
        care.case_reintegrate(
            actor=actor,
            case=case,
            expected_version=case.version,
            reunified_on=dt.date(2025, 2, 20),
            reunified_with="Mother",
        )
    work.assessment_record(
        actor=actor,
        case=case,
        instrument_code="reintegration_readiness",
        assessed_on=dt.date(2025, 2, 15),
        answers=dict.fromkeys(
            ["child_willing", "family_willing", "home_safe", "caregiver_capable", "school_arranged"], True
        ),
    )
    case.refresh_from_db()
    care.case_reintegrate(
        actor=actor,
        case=case,
        expected_version=case.version,
        reunified_on=dt.date(2025, 2, 20),
        reunified_with="Mother",
    )
    assert Placement.objects.get(case=case).ended_on == dt.date(2025, 2, 20)
    move(world, case, CaseEvent.START_REVIEW)
    move(world, case, CaseEvent.REQUEST_CLOSURE, closure_reason="reintegrated", open_actions_reason="done")
    move(world, case, CaseEvent.APPROVE_CLOSURE, "supervisor")
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP
    assert list(FollowUp.objects.filter(case=case).values_list("months", "due_on")) == [
        (3, dt.date(2025, 5, 20)),
        (6, dt.date(2025, 8, 20)),
        (12, dt.date(2026, 2, 20)),
    ]


def test_csi_needs_every_domain(world):
    case = open_case(world)
    actor = world.actor("caseworker_a")
    answers = dict(ALL_CSI)
    del answers["5A"]
    with pytest.raises(ValidationFailed) as refused:
        work.assessment_record(
            actor=actor, case=case, instrument_code="csi", assessed_on=dt.date(2025, 2, 1), answers=answers
        )
    assert refused.value.field == "5A"
    done = work.assessment_record(
        actor=actor,
        case=case,
        instrument_code="csi",
        assessed_on=dt.date(2025, 2, 1),
        answers={**ALL_CSI, "3A": 1},
    )
    assert done.result == "high"
    assert done.reasons == ["3A"]
    assert done.next_due_on == dt.date(2025, 5, 2)


def test_services_of_another_type_are_refused(world):
    case = open_case(world, type_code="school_dropout")
    with pytest.raises(ValidationFailed):
        work.service_record(
            actor=world.actor("caseworker_a"),
            case=case,
            service_type="shelter",
            provider="X",
            delivered_on=dt.date(2025, 2, 1),
        )


def test_other_team_and_field_workers_do_not_reach_the_case(world):
    case = open_case(world)
    assert Case.objects.visible_to(world.actor("caseworker_b")).filter(pk=case.pk).count() == 0
    field = world.actor("field_worker")
    assert Case.objects.visible_to(field).count() == 0
    with pytest.raises(PermissionDenied):
        work.goal_add(actor=world.actor("caseworker_b"), case=case, domain="1A", description="x")


def test_a_sensitive_case_makes_the_childs_record_sensitive(world):
    child = make_child(world, owner=world.user("field_worker"))
    open_case(world, worker="field_worker", type_code="gender_based_violence", child=child)
    child.refresh_from_db()
    assert child.is_sensitive
    assert AuditEvent.objects.filter(action="registry.person.updated", target_id=str(child.pk)).exists()


def test_alerts_tell_once_about_overdue_actions_and_missed_safety_plans(
    world, frozen_clock, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    from ponleu.notifications.models import Notification

    late = to_implementation(world, open_case(world))
    urgent = open_case(world, immediate_danger=True)
    frozen_clock.advance(hours=25)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cases", "alerts", stdout=None)
    owner = world.user("caseworker_a")
    supervisor = world.user("supervisor")
    assert Notification.objects.filter(recipient=owner, link=f"/cases/{late.pk}/").count() == 1
    assert Notification.objects.filter(recipient=supervisor, link=f"/cases/{urgent.pk}/").count() == 1
    assert AuditEvent.objects.filter(action="cases.alerts.sent").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cases", "alerts", stdout=None)
    assert Notification.objects.count() == 3  # action owner, supervisor and owner of the urgent case
