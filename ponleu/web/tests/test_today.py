"""The "Today" home page: each item counts exactly the rows behind its link, within scope, in a
fixed number of queries whatever the counts."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ponleu.cases.choices import CaseEvent
from ponleu.cases.models import Action, Case
from ponleu.cases.services import work
from ponleu.cases.tests.factories import make_child, move, open_case, to_implementation
from ponleu.common import clock
from ponleu.education.tests.factories import (
    enrol,
    fill_register,
    make_class,
    make_pupil,
    make_school,
    make_year,
    school_year_of,
)
from ponleu.web import today

pytestmark = pytest.mark.django_db

# A Tuesday of the first semester: a school day whatever day the suite runs on.
DAY = dt.date(2028, 2, 29)
MORNING = dt.datetime(2028, 2, 29, 7, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Phnom_Penh"))


@pytest.fixture
def on_a_school_day():
    with clock.frozen(MORNING):
        yield


def _counts(actor) -> dict[str, int]:
    return {shown.item.key: shown.count for shown in today.today_for(actor=actor)}


def _rows_behind(client, url) -> int:
    """How many rows the full list behind an item's link shows."""
    page = client.get(url)
    assert page.status_code == 200, url
    body = page.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    if url.startswith(reverse("cases:case_list")):
        return len(re.findall(r'<a class="title" href="/cases/[0-9a-f-]+/"', main))
    if url.startswith(reverse("education:school_list")):
        return len(re.findall(r'href="/schools/classes/[0-9a-f-]+/\?date=', main))
    if url.startswith(reverse("referrals:referral_list")):
        return len(re.findall(r'href="/referrals/[0-9a-f-]+/"', main))
    if url.startswith((reverse("audit:event_list"), reverse("accounts:users"))):
        tbody = main[main.index("<tbody>") : main.index("</tbody>")] if "<tbody>" in main else ""
        return tbody.count("<tr>")
    raise AssertionError(f"no row counter for {url}")


def _assert_counts_match_lists(world, login_as, key):
    client = login_as(world.user(key))
    shown = today.today_for(actor=world.actor(key))
    for item in shown:
        assert _rows_behind(client, item.url) == item.count, (key, item.item.key)
    return {item.item.key: item.count for item in shown}


def _visit_due(world, *, worker="caseworker_a", days=0, child=None):
    case = open_case(world, worker=worker, child=child)
    Case.objects.filter(pk=case.pk).update(next_visit_on=DAY + dt.timedelta(days=days))
    return case


def _caseload(world):
    """Caseworker A: two visits due (one late), one not yet due, one overdue action;
    caseworker B (another team and district): one visit due; another organisation: one."""
    _visit_due(world, days=0)
    _visit_due(world, days=-3)
    _visit_due(world, days=5)
    late = to_implementation(world, open_case(world), on=dt.date(2025, 1, 10))
    Action.objects.filter(case=late).update(due_on=DAY - dt.timedelta(days=1))
    Case.objects.filter(pk=late.pk).update(next_visit_on=DAY + dt.timedelta(days=60))
    _visit_due(world, worker="caseworker_b", child=make_child(world, village="02080101", team=world.team_b))
    partner_child = make_child(world, village="17070101", team=None, organisation=world.other_org)
    _visit_due(world, worker="partner", child=partner_child)


def test_a_caseworker_counts_own_visits_and_actions_as_the_lists_show(world, login_as, on_a_school_day):
    _caseload(world)
    counts = _assert_counts_match_lists(world, login_as, "caseworker_a")
    assert counts["cases.visits"] == 2  # not the one due next week, nor B's, nor the partner's
    assert counts["cases.overdue"] == 1
    assert "cases.approvals" not in counts  # a caseworker approves nothing
    assert _counts(world.actor("caseworker_b")) == {"cases.visits": 1}
    assert _counts(world.actor("partner")) == {"cases.visits": 1}


def test_a_supervisor_sees_approvals_and_the_teams_late_visits(world, login_as, on_a_school_day):
    _caseload(world)
    waiting = open_case(world)
    to_implementation(world, waiting)
    move(world, waiting, CaseEvent.START_REVIEW)
    Case.objects.filter(pk=waiting.pk).update(next_visit_on=DAY + dt.timedelta(days=30))
    counts = _assert_counts_match_lists(world, login_as, "supervisor")
    # A's visit three days late; B's is due today, not late; the partner's is another organisation's.
    assert counts["cases.team_visits"] == 1
    assert counts["cases.team_overdue"] == 2  # A's late action and the plan's first action, due in 2025
    assert "cases.visits" not in counts  # the supervisor holds no case


def test_an_approval_asked_is_on_the_supervisors_today(world, login_as, on_a_school_day):
    case = open_case(world)
    to_implementation(world, case)
    move(world, case, CaseEvent.START_REVIEW)
    move(world, case, CaseEvent.CONTINUE_PLAN)
    move(
        world,
        case,
        CaseEvent.REQUEST_CLOSURE,
        reason="Goals met",
        closure_reason="goals_achieved",
        open_actions_reason="Done by the family",
    )
    counts = _assert_counts_match_lists(world, login_as, "supervisor")
    assert counts["cases.approvals"] == 1
    assert _counts(world.actor("partner_supervisor")) == {}


def test_the_cases_today_shows_are_one_read_in_the_audit_log(world, login_as, on_a_school_day):
    from ponleu.audit.models import AccessEvent

    _caseload(world)
    login_as(world.user("caseworker_a")).get(reverse("web:home"))
    reads = AccessEvent.objects.filter(query="today", actor_username="caseworker_a")
    assert sorted(reads.values_list("target_type", flat=True)) == ["cases.case", "registry.person"]
    shown = reads.get(target_type="cases.case").target_ids
    mine = Case.objects.filter(owner=world.user("caseworker_a"))
    assert len(shown) == 3  # two visits and the case with an overdue action, each once
    assert set(shown) <= {str(pk) for pk in mine.values_list("pk", flat=True)}


def _classes(world, count, *, teacher="teacher"):
    start, end, terms = school_year_of(DAY)
    year = make_year(world.org, start=start, end=end, terms=terms)
    school = make_school(world.org)
    classes = []
    for section in "ABCDEFGHIJKLMNOPQRST"[:count]:
        school_class = make_class(school, year, section=section, teacher=world.members[teacher])
        enrol(school_class, make_pupil(world.org), on=start)
        classes.append(school_class)
    return classes


def test_a_teacher_counts_the_roll_calls_not_taken_today(world, login_as, on_a_school_day):
    taken, waiting, _ = _classes(world, 3)
    fill_register(taken.enrolments.get(), {DAY: "P"})
    fill_register(waiting.enrolments.get(), {DAY - dt.timedelta(days=1): "A"})  # yesterday's only
    counts = _assert_counts_match_lists(world, login_as, "teacher")
    assert counts == {"education.roll_calls": 2}
    page = login_as(world.user("teacher")).get(reverse("web:home")).content.decode()
    one_tap = reverse("education:class_roll_call", kwargs={"class_id": waiting.pk}) + f"?date={DAY}"
    assert f'class="button" href="{one_tap}"' in page


def test_no_roll_call_is_asked_on_a_holiday(world, on_a_school_day):
    _classes(world, 1)
    with clock.frozen(dt.datetime(2028, 4, 14, 8, tzinfo=zoneinfo.ZoneInfo("Asia/Phnom_Penh"))):
        assert _counts(world.actor("teacher")) == {}  # Khmer New Year


def test_a_new_member_with_nothing_waiting_sees_where_to_start(world, login_as, on_a_school_day):
    page = login_as(world.user("teacher")).get(reverse("web:home")).content.decode()
    assert 'aria-labelledby="first-steps"' in page
    assert f'href="{reverse("education:school_list")}"' in page
    admin = login_as(world.user("org_admin")).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("accounts:users")}"' in admin


def test_the_officer_reviews_the_last_weeks_emergency_accesses(world, login_as, on_a_school_day):
    from ponleu.audit.services import break_glass_open

    reason = "The child called the hotline from Sangkae tonight."
    out_of_reach = [make_child(world, village="02080101", team=world.team_b) for _ in range(3)]
    with clock.frozen(MORNING - dt.timedelta(days=8)):
        break_glass_open(actor=world.actor("caseworker_a"), target=out_of_reach[0], reason=reason)
    break_glass_open(actor=world.actor("caseworker_a"), target=out_of_reach[1], reason=reason)
    break_glass_open(actor=world.actor("caseworker_b"), target=make_child(world), reason=reason)
    partner = make_child(world, village="02010101", team=None, organisation=world.other_org)
    break_glass_open(actor=world.actor("partner"), target=partner, reason=reason)
    counts = _assert_counts_match_lists(world, login_as, "dpo")
    assert counts == {"audit.break_glass": 2}  # this week's two, not last month's, not the partner's
    assert "audit.break_glass" not in _counts(world.actor("supervisor"))  # audits only its areas


def test_the_administrator_sees_who_has_not_set_up_a_phone(world, login_as, on_a_school_day):
    from ponleu.organisations.models import Membership
    from ponleu.testing.world import make_user

    for name, organisation in (("newcomer", world.org), ("elsewhere", world.other_org)):
        user = make_user(name, with_totp=False)
        Membership.objects.create(user=user, organisation=organisation, role="teacher")
    counts = _assert_counts_match_lists(world, login_as, "org_admin")
    assert counts == {"accounts.to_set_up": 1}


def _home_queries(client) -> int:
    client.get(reverse("web:home"))  # warm-up: session, caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("web:home")).status_code == 200
    # PostgreSQL takes the audit chain's lock in a statement of its own (SQLite serialises writes
    # by itself): counted apart, the pins hold on both databases.
    return sum("pg_advisory_xact_lock" not in query["sql"] for query in captured.captured_queries)


def _more_work(world, n):
    for _ in range(n):
        _visit_due(world)
        _visit_due(world, days=-2)
        case = to_implementation(world, open_case(world), on=dt.date(2025, 1, 10))
        Action.objects.filter(case=case).update(due_on=DAY - dt.timedelta(days=1))
        work.goal_add(actor=world.actor("caseworker_a"), case=case, domain="1A", description="Food")


# The home page's queries, pinned: a change here is a change to what every morning costs.
CASEWORKER_QUERIES = 26  # with the three referral items (one count each when empty)
SUPERVISOR_QUERIES = 29
TEACHER_QUERIES = 11


def test_the_caseworkers_today_costs_the_same_whatever_the_counts(world, login_as, on_a_school_day):
    client = login_as(world.user("caseworker_a"))
    _more_work(world, 1)
    one = _home_queries(client)
    _more_work(world, 6)
    many = _home_queries(client)
    assert one == many == CASEWORKER_QUERIES


def test_the_supervisors_today_costs_the_same_whatever_the_counts(world, login_as, on_a_school_day):
    client = login_as(world.user("supervisor"))
    _more_work(world, 1)
    one = _home_queries(client)
    _more_work(world, 6)
    many = _home_queries(client)
    assert one == many == SUPERVISOR_QUERIES


def test_the_teachers_today_costs_the_same_whatever_the_counts(world, login_as, on_a_school_day):
    client = login_as(world.user("teacher"))
    _classes(world, 1)
    one = _home_queries(client)
    _classes(world, 12)
    many = _home_queries(client)
    assert one == many == TEACHER_QUERIES


def _referred(world, provider, *, service="shelter", **consent):
    from ponleu.referrals.tests import factories as referrals
    from ponleu.registry.tests.factories import person

    actor = world.actor("caseworker_a")
    child = person(actor)
    referrals.share_consent(actor, child, child_assent="given", **consent)
    return referrals.send(actor, referrals.draft(actor, child, provider, service=service, urgency="routine"))


def test_referrals_waiting_and_overdue_count_as_their_lists_show(world, login_as, on_a_school_day):
    from ponleu.referrals.tests import factories as referrals

    shelter = referrals.partner_provider(world)
    clinic = referrals.provider(world)
    with clock.frozen(MORNING - dt.timedelta(days=20)):
        _referred(world, shelter, recipient=world.other_org.pk)
        _referred(world, shelter, recipient=world.other_org.pk)
        _referred(world, clinic, service="primary_health", recipient_kind="health_centre")
    _referred(world, shelter, recipient=world.other_org.pk)  # sent today: not overdue yet
    mine = _assert_counts_match_lists(world, login_as, "caseworker_a")
    assert mine["referrals.sent_overdue"] == 3
    assert "referrals.to_acknowledge" not in mine
    theirs = _assert_counts_match_lists(world, login_as, "partner_supervisor")
    assert theirs["referrals.to_acknowledge"] == 3
    assert theirs["referrals.received_overdue"] == 2
    assert "referrals.sent_overdue" not in theirs
    # Another team's caseworker, and the receiving side's caseworker (none given to them yet).
    assert not [key for key in _counts(world.actor("caseworker_b")) if key.startswith("referrals.")]
    assert not [key for key in _counts(world.actor("partner")) if key.startswith("referrals.")]
