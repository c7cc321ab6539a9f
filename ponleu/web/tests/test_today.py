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

from ponleu.cases.choices import CaseEvent, CaseStatus
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
    school_days,
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
    if url.startswith(reverse("jobs:job_list")):
        return len(re.findall(r'<li class="card" id="job-', main))
    if url.startswith(reverse("early_warning:data_quality")):
        return len(re.findall(r"<tr data-class=", main))
    if url.startswith(reverse("early_warning:risk_list")):
        return len(re.findall(r'<a href="/risk/students/[0-9a-f-]+/">', main))
    if url.startswith(reverse("accounts:organisation_devices")):
        return len(re.findall(r'<li class="card" data-device=', main))
    if url.startswith(reverse("referrals:directory")):
        return len(re.findall(r'<li class="card" data-provider=', main))
    if url.startswith(reverse("family_support:plan_list")):
        return len(re.findall(r'<li class="card" data-plan=', main))
    if url.startswith(reverse("registry:consents_withdrawn")):
        return len(re.findall(r'<li class="card" data-consent=', main))
    if url.startswith(reverse("audit:unusual_access")):
        return len(re.findall(r'<li class="card" data-reader=', main))
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


def test_cases_waiting_too_long_for_their_next_step(world, login_as, on_a_school_day):
    def at(status, days, **kwargs):
        case = open_case(world, **kwargs)
        changed = MORNING - dt.timedelta(days=days)
        Case.objects.filter(pk=case.pk).update(status=status, status_changed_at=changed)
        return case

    plan = at(CaseStatus.CASE_PLAN, 15)  # no plan two weeks after the assessment: late
    at(CaseStatus.IDENTIFIED, 4)  # intake not started after three days: late
    at(CaseStatus.ASSESSMENT, 20)  # an assessment may take a month
    at(CaseStatus.IMPLEMENTATION, 200)  # watched through its actions and visits instead
    at(CaseStatus.PLAN_APPROVAL, 30)  # the supervisor's approvals item asks for it
    team_b = make_child(world, village="02080101", team=world.team_b)
    at(CaseStatus.INTAKE, 9, worker="caseworker_b", child=team_b)
    partner_child = make_child(world, village="17070101", team=None, organisation=world.other_org)
    at(CaseStatus.INTAKE, 9, worker="partner", child=partner_child)
    counts = _assert_counts_match_lists(world, login_as, "caseworker_a")
    assert counts["cases.stalled"] == 2
    assert _assert_counts_match_lists(world, login_as, "supervisor")["cases.team_stalled"] == 3
    assert _counts(world.actor("caseworker_b"))["cases.stalled"] == 1
    assert _counts(world.actor("partner_supervisor")) == {"cases.team_stalled": 1}
    shown = next(
        s for s in today.today_for(actor=world.actor("caseworker_a")) if s.item.key == "cases.stalled"
    )
    first = shown.entries[0]  # the longest waiting first, with the day its step was due
    assert first.url == reverse("cases:case_detail", kwargs={"case_id": plan.pk})
    assert first.day == DAY - dt.timedelta(days=1)
    assert first.late


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


def _flagged(world, school_class, count, *, index=2.0):
    """``count`` pupils of the class with this week's score flagged and a flag awaiting review."""
    from ponleu.early_warning.models import Flag, RiskScore, week_of

    enrolments = []
    for _ in range(count):
        pupil = make_pupil(school_class.organisation, village=school_class.school.village_id)
        enrolment = enrol(school_class, pupil, on=school_class.year.starts_on)
        common = {"organisation_id": school_class.organisation_id, "enrolment": enrolment}
        common |= {"school_class": school_class, "method": "rule_index", "index_score": index}
        RiskScore.objects.create(**common, period=week_of(DAY), scored_on=DAY, flagged=True)
        Flag.objects.create(**common, opened_on=DAY)
        enrolments.append(enrolment)
        index -= 0.1  # the first pupil is at highest risk
    return enrolments


def test_reviewers_count_the_flags_awaiting_review_on_the_risk_list(world, login_as, on_a_school_day):
    from ponleu.early_warning.choices import FlagStatus
    from ponleu.early_warning.models import EwsSettings, Flag

    EwsSettings.objects.create(organisation=world.org, capacity_per_school=2)
    start, end, terms = school_year_of(DAY)
    year = make_year(world.org, start=start, end=end, terms=terms)
    banan = make_class(make_school(world.org), year)  # caseworker A's district
    first, second, _beyond = _flagged(world, banan, 3)  # the third is past the school's capacity
    Flag.objects.filter(enrolment=second).update(status=FlagStatus.DECIDED, decision="home_visit")
    sangkae = make_class(make_school(world.org, village="02080101"), year)  # the supervisor's too
    _flagged(world, sangkae, 1)
    partner_year = make_year(world.other_org, start=start, end=end, terms=terms)
    _flagged(world, make_class(make_school(world.other_org, village="17070101"), partner_year), 1)
    counts = _assert_counts_match_lists(world, login_as, "caseworker_a")
    assert counts["early_warning.flags"] == 1  # not the decided one, nor the one past capacity
    assert _assert_counts_match_lists(world, login_as, "supervisor")["early_warning.flags"] == 2
    assert _counts(world.actor("partner"))["early_warning.flags"] == 1
    assert "early_warning.flags" not in _counts(world.actor("teacher"))  # sees scores, reviews none
    shown = next(
        s for s in today.today_for(actor=world.actor("caseworker_a")) if s.item.key == "early_warning.flags"
    )
    flag = Flag.objects.get(enrolment=first)
    assert shown.entries[0].url == reverse("early_warning:flag_review", kwargs={"flag_id": flag.pk})


def test_the_flags_shown_on_today_are_one_read_in_the_audit_log(world, login_as, on_a_school_day):
    from ponleu.audit.models import AccessEvent

    start, end, terms = school_year_of(DAY)
    year = make_year(world.org, start=start, end=end, terms=terms)
    pupils = _flagged(world, make_class(make_school(world.org), year), 4)
    login_as(world.user("caseworker_a")).get(reverse("web:home"))
    read = AccessEvent.objects.get(query="today", actor_username="caseworker_a")
    assert read.target_type == "registry.person"
    assert sorted(read.target_ids) == sorted(str(e.person_id) for e in pupils[:3])  # the short list's


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


def test_the_jobs_that_failed_this_week_are_asked_of_those_who_follow_them(world, login_as, on_a_school_day):
    from ponleu.jobs import services as jobs

    def failed(key, kind, capability, *, days_ago=0):
        with clock.frozen(MORNING - dt.timedelta(days=days_ago)):
            job = jobs.job_create(actor=world.actor(key), kind=kind, capability=capability)
            return jobs.job_fail(job=job, message="Nothing was imported: the file has problems now.")

    imported = failed("supervisor", "registry.import", "registry.import")
    failed("supervisor", "registry.import", "registry.import", days_ago=7)  # last week's
    jobs.job_create(actor=world.actor("supervisor"), kind="registry.import", capability="registry.import")
    failed("me_officer", "early_warning.train", "ews.manage_models", days_ago=6)
    failed("partner_supervisor", "registry.import", "registry.import")
    counts = _assert_counts_match_lists(world, login_as, "supervisor")
    assert counts["jobs.failed"] == 1  # not last week's, not the waiting one, not the training
    assert _assert_counts_match_lists(world, login_as, "me_officer") == {"jobs.failed": 1}
    assert "jobs.failed" not in _counts(world.actor("caseworker_a"))  # follows no import
    assert _counts(world.actor("partner_supervisor")) == {"jobs.failed": 1}
    shown = next(s for s in today.today_for(actor=world.actor("supervisor")) if s.item.key == "jobs.failed")
    assert shown.entries[0].url == reverse("registry:import_job", kwargs={"job_id": imported.pk})


def test_the_administrator_sees_device_tokens_issued_long_ago_that_still_work(
    world, login_as, on_a_school_day
):
    from ponleu.accounts.models import DeviceToken
    from ponleu.accounts.services import token_issue, token_revoke
    from ponleu.testing.world import TEST_PASSWORD

    def issued(key, days_ago):
        token = token_issue(
            actor=world.actor(key),
            membership=world.members[key],
            name="Field phone",
            capabilities=["directory.view"],
            password=TEST_PASSWORD,
        ).token
        DeviceToken.objects.filter(pk=token.pk).update(created_at=MORNING - dt.timedelta(days=days_ago))
        return token

    issued("caseworker_a", 91)
    issued("teacher", 30)  # recent
    token_revoke(actor=world.actor("caseworker_b"), token=issued("caseworker_b", 200))
    issued("partner", 120)  # another organisation's
    counts = _assert_counts_match_lists(world, login_as, "org_admin")
    assert counts["accounts.devices"] == 1
    assert "accounts.devices" not in _counts(world.actor("supervisor"))


def test_the_me_officer_sees_the_classes_whose_roll_calls_were_missed(world, login_as, on_a_school_day):
    start, end, terms = school_year_of(DAY)
    year = make_year(world.org, start=start, end=end, terms=terms)
    recent = school_days(year, start, DAY - dt.timedelta(days=1))[-10:]
    school = make_school(world.org)

    def with_gaps(section, missed, *, school=school, year=year, pupils=1):
        school_class = make_class(school, year, section=section)
        for _ in range(pupils):
            enrolment = enrol(school_class, make_pupil(school.organisation), on=year.starts_on)
            fill_register(enrolment, {day: "P" for day in recent[missed:]})
        return school_class

    with_gaps("A", 0)
    three = with_gaps("B", 3)
    with_gaps("C", 2)  # two days missed: not yet a gap worth asking about
    never = with_gaps("D", 10)
    with_gaps("E", 10, pupils=0)  # nobody enrolled: no roll call to take
    partner_year = make_year(world.other_org, start=start, end=end, terms=terms)
    with_gaps("F", 10, school=make_school(world.other_org, village="17070101"), year=partner_year)
    counts = _assert_counts_match_lists(world, login_as, "me_officer")
    assert counts == {"early_warning.roll_calls_missing": 2}
    shown = today.today_for(actor=world.actor("me_officer"))[0]
    assert [entry.label for entry in shown.entries] == [f"Class {never.label}", f"Class {three.label}"]
    assert "early_warning.roll_calls_missing" not in _counts(world.actor("supervisor"))


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
# Each item asked is one query (its count) and one more when shown (its short list); what
# the page shows is recorded in one audit chain append. Items: the cases waiting too long
# for their next step (own, and the team's), the jobs that failed (every member), the flags
# awaiting review (the school year, the review capacity and the count) and the three
# referral items (one count each when empty).
# Then the family support visits due, the referrals declined and the out-of-school children
# due for a follow-up: one count each when empty; for the supervisor, the field submissions
# waiting for a match too. The two nutrition items (severe malnutrition to refer, follow-ups
# due): one count each when empty. Then the young people in work due for a follow-up (one count),
# the antenatal visits overdue and the newborns without a birth certificate (one count each), and
# the development checks due (one read: no checklist set up).
CASEWORKER_QUERIES = 31
SUPERVISOR_QUERIES = 36
TEACHER_QUERIES = 12


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


# The roles whose items came later, pinned the same way (with something in every item).
# with the four referral items, the family support visits, the follow-ups due, the two nutrition
# items, the young people in work due for a follow-up, the two pregnancy reminders and the
# development checks due
REVIEWER_QUERIES = 37
ME_OFFICER_QUERIES = 14  # with the nutrition follow-ups due
ADMINISTRATOR_QUERIES = 13  # with the directory entries to check (its count and its list)


def test_a_reviewers_flags_cost_the_same_whatever_their_number(world, login_as, on_a_school_day):
    start, end, terms = school_year_of(DAY)
    school_class = make_class(make_school(world.org), make_year(world.org, start=start, end=end, terms=terms))
    client = login_as(world.user("caseworker_a"))
    _more_work(world, 1)
    _flagged(world, school_class, 1)
    one = _home_queries(client)
    _more_work(world, 6)
    _flagged(world, school_class, 12)
    many = _home_queries(client)
    assert one == many == REVIEWER_QUERIES


def test_the_me_officers_today_costs_the_same_whatever_the_counts(world, login_as, on_a_school_day):
    from ponleu.jobs import services as jobs

    start, end, terms = school_year_of(DAY)
    year = make_year(world.org, start=start, end=end, terms=terms)
    school = make_school(world.org)

    sections = iter(range(100))

    def more(n):
        for _ in range(n):
            school_class = make_class(school, year, section=str(next(sections)))
            enrol(school_class, make_pupil(world.org), on=start)  # and no roll call taken
            job = jobs.job_create(
                actor=world.actor("me_officer"), kind="early_warning.train", capability="ews.manage_models"
            )
            jobs.job_fail(job=job, message="Not enough dropouts to train a model.")

    client = login_as(world.user("me_officer"))
    more(1)
    one = _home_queries(client)
    more(8)
    many = _home_queries(client)
    assert one == many == ME_OFFICER_QUERIES
    assert _counts(world.actor("me_officer")) == {"early_warning.roll_calls_missing": 9, "jobs.failed": 9}


def test_the_administrators_today_costs_the_same_whatever_the_counts(world, login_as, on_a_school_day):
    from ponleu.accounts.models import DeviceToken
    from ponleu.organisations.models import Membership
    from ponleu.testing.world import make_user

    made = iter(range(1000))

    def more(n):
        for _ in range(n):
            index = next(made)
            user = make_user(f"newcomer{index}", with_totp=False)
            Membership.objects.create(user=user, organisation=world.org, role="teacher")
            holder = world.members["caseworker_a"]
            DeviceToken.objects.create(
                user=holder.user,
                membership=holder,
                name=f"Phone {index}",
                prefix=f"pnl_{index:08d}",
                token_hash=f"{index:064d}",
                capabilities=["web.use"],
                created_at=MORNING - dt.timedelta(days=100),
                expires_at=MORNING + dt.timedelta(hours=72),
                session_generation=holder.user.session_generation,
            )

    client = login_as(world.user("org_admin"))
    more(1)
    _stale_providers(world, 1)
    one = _home_queries(client)
    more(8)
    _stale_providers(world, 8)
    many = _home_queries(client)
    assert one == many == ADMINISTRATOR_QUERIES
    assert _counts(world.actor("org_admin")) == {
        "accounts.to_set_up": 9,
        "accounts.devices": 9,
        "referrals.directory_to_check": 9,
    }


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


def test_family_support_visits_due_count_as_their_list_shows(world, login_as, on_a_school_day):
    from ponleu.family_support.tests import factories as family

    mine = world.actor("caseworker_a")
    for days in (0, -9, 10):  # due today, overdue, not yet due
        household, _child = family.household_with_child(mine)
        plan = family.plan(mine, household, assessed_on=DAY - dt.timedelta(days=20))
        type(plan).objects.filter(pk=plan.pk).update(next_visit_on=DAY + dt.timedelta(days=days))
    theirs = world.actor("caseworker_b")
    household, _child = family.household_with_child(theirs, village="02080101")
    plan = family.plan(theirs, household, assessed_on=DAY - dt.timedelta(days=20))
    type(plan).objects.filter(pk=plan.pk).update(next_visit_on=DAY - dt.timedelta(days=1))
    assert _assert_counts_match_lists(world, login_as, "caseworker_a")["family_support.visits_due"] == 2
    assert _assert_counts_match_lists(world, login_as, "supervisor")["family_support.visits_due"] == 3
    assert _counts(world.actor("caseworker_b"))["family_support.visits_due"] == 1
    assert "family_support.visits_due" not in _counts(world.actor("partner_supervisor"))
    assert "family_support.visits_due" not in _counts(world.actor("dpo"))  # sees plans, records no visit


def test_referrals_declined_are_asked_of_those_who_sent_them(world, login_as, on_a_school_day):
    from ponleu.referrals import services as referral_services
    from ponleu.referrals.tests import factories as referrals

    shelter = referrals.partner_provider(world)
    declined, still_open = (_referred(world, shelter, recipient=world.other_org.pk) for _ in range(2))
    receiver = world.actor("partner_supervisor")
    for event, data in (("acknowledge", {}), ("decline", {"decline_reason": "no_capacity"})):
        declined.refresh_from_db()
        referral_services.referral_move(
            actor=receiver, referral=declined, event=event, version=declined.version, data=data
        )
    assert _assert_counts_match_lists(world, login_as, "supervisor")["referrals.declined"] == 1
    assert _assert_counts_match_lists(world, login_as, "caseworker_a")["referrals.declined"] == 1
    assert "referrals.declined" not in _counts(world.actor("caseworker_b"))  # not theirs
    assert "referrals.declined" not in _counts(receiver)  # declined by them, not sent
    declined.refresh_from_db()
    referral_services.referral_move(
        actor=world.actor("caseworker_a"), referral=declined, event="close", version=declined.version
    )
    assert "referrals.declined" not in _counts(world.actor("supervisor"))
    assert still_open.status == "sent"


def _withdrawn_consent(world, *, key="caseworker_a", **consent):
    from ponleu.referrals.tests import factories as referrals
    from ponleu.registry import services as registry_services
    from ponleu.registry.tests.factories import person

    actor = world.actor(key)
    given = referrals.share_consent(
        actor, person(actor, village=consent.pop("village", "02010101")), **consent
    )
    registry_services.consent_withdraw(actor=actor, consent=given, reason="The family moved away")
    return given


def test_the_officer_sees_this_weeks_consent_withdrawals_with_what_was_withdrawn(
    world, login_as, on_a_school_day
):
    with clock.frozen(MORNING - dt.timedelta(days=10)):
        _withdrawn_consent(world, recipient=world.other_org.pk)  # before this week
    _withdrawn_consent(world, recipient=world.other_org.pk, data_categories=["basic", "health"])
    _withdrawn_consent(world, recipient_kind="health_centre")
    _withdrawn_consent(world, key="caseworker_b", recipient_kind="school", village="02080101")
    counts = _assert_counts_match_lists(world, login_as, "dpo")
    assert counts["registry.consents_withdrawn"] == 3
    shown = next(
        s for s in today.today_for(actor=world.actor("dpo")) if s.item.key == "registry.consents_withdrawn"
    )
    # What was withdrawn: the purpose and who it was shared with, and the data it covered.
    metas = {entry.label.split(" · ")[-1]: entry.meta for entry in shown.entries}
    assert metas["Other Org"] == "Name, sex, age and village, Health and disability"
    assert set(metas) == {"Other Org", "Health centre", "School"}  # caseworker B's too: the whole trail
    # The consents shown, on Today and on their list, are reads in the audit log.
    from ponleu.audit.models import AccessEvent

    assert AccessEvent.objects.filter(target_type="registry.consent", actor_username="dpo").count() >= 2
    # Whoever reads only part of the trail, or another organisation's, is not asked.
    assert "registry.consents_withdrawn" not in _counts(world.actor("supervisor"))
    assert "registry.consents_withdrawn" not in _counts(world.actor("partner_supervisor"))


def _reads(world, key, day, people, *, offset=0):
    from ponleu.audit import services as audit

    with clock.frozen(dt.datetime.combine(day, dt.time(10), tzinfo=MORNING.tzinfo)):
        audit.record_access(
            actor=world.actor(key),
            action="person.listed",
            target_type="registry.person",
            target_ids=[f"00000000-0000-0000-0000-{offset + n:012d}" for n in range(people)],
        )


def test_unusual_reading_is_a_days_people_far_above_the_members_usual_day(world, login_as, on_a_school_day):
    from ponleu.audit import selectors as audit_selectors

    for back in range(10, 30, 2):  # the four weeks before this week: ten days of 12 people
        _reads(world, "caseworker_a", DAY - dt.timedelta(days=back), 12)
        _reads(world, "caseworker_b", DAY - dt.timedelta(days=back), 20)
    _reads(world, "caseworker_a", DAY - dt.timedelta(days=2), 45)  # above the floor, > 3 x 12
    _reads(world, "caseworker_b", DAY - dt.timedelta(days=1), 45)  # above the floor, < 3 x 20
    _reads(world, "supervisor", DAY, 30)  # no usual day, under the floor
    _reads(world, "supervisor", DAY, 15, offset=100)  # the same day: 45 people, no usual day
    _reads(world, "partner", DAY, 90)  # another organisation
    _reads(world, "field_worker", DAY - dt.timedelta(days=12), 90)  # unusual, but not this week
    counts = _assert_counts_match_lists(world, login_as, "dpo")
    assert counts["audit.unusual_access"] == 2
    readers = audit_selectors.unusual_readers(actor=world.actor("dpo"), today=DAY)
    assert [(r.username, r.people, r.usual_day, r.day) for r in readers] == [
        ("caseworker_a", 45, 12, DAY - dt.timedelta(days=2)),
        ("supervisor", 45, None, DAY),
    ]
    assert "audit.unusual_access" not in _counts(world.actor("supervisor"))  # part of the trail only
    page = login_as(world.user("dpo")).get(reverse("audit:unusual_access")).content.decode()
    assert "caseworker_b" not in page
    assert "partner" not in page


# The officer's items (the emergency accesses, the consents withdrawn, unusual reading): a count
# and a short list each (unusual reading: one query for both), the consents shown recorded in
# one chain append (4), and the page's own reads.
DPO_QUERIES = 17  # with the nutrition follow-ups due


def test_the_officers_today_costs_the_same_whatever_the_counts(world, login_as, on_a_school_day):
    from ponleu.audit.services import break_glass_open

    made = iter(range(1000))

    def more(n):
        for _ in range(n):
            index = next(made)
            _withdrawn_consent(world, recipient=world.other_org.pk)
            _reads(world, "caseworker_b", DAY, 50, offset=index * 100)  # a new unusual reader each time
            _reads(world, "caseworker_a", DAY, 50, offset=index * 100)
            break_glass_open(
                actor=world.actor("caseworker_b"),
                target=make_child(world),
                reason="The child called the hotline from Sangkae tonight.",
            )

    client = login_as(world.user("dpo"))
    more(1)
    one = _home_queries(client)
    more(6)
    many = _home_queries(client)
    assert one == many == DPO_QUERIES
    assert _counts(world.actor("dpo"))["registry.consents_withdrawn"] == 7


def _stale_providers(world, n, *, location="020101", admin="org_admin"):
    from ponleu.referrals.tests import factories as referrals

    with clock.frozen(MORNING - dt.timedelta(days=400)):
        return [referrals.provider(world, location=location, admin=admin) for _ in range(n)]


def test_directory_entries_to_check_are_the_reported_and_the_long_unchecked(world, login_as, on_a_school_day):
    from ponleu.referrals import services as referral_services
    from ponleu.referrals.tests import factories as referrals

    stale = _stale_providers(world, 1)[0]
    # Outside the administrator's areas: entered by the installation's administrator.
    _stale_providers(world, 1, location="170701", admin="system_admin")
    fresh = referrals.provider(world, location="020101")
    referral_services.provider_report(
        actor=world.actor("caseworker_a"), provider=fresh, note="The phone number is no longer in use"
    )
    referrals.provider(world, location="020101")  # checked today, not reported
    counts = _assert_counts_match_lists(world, login_as, "org_admin")
    assert counts["referrals.directory_to_check"] == 2
    shown = next(
        s
        for s in today.today_for(actor=world.actor("org_admin"))
        if s.item.key == "referrals.directory_to_check"
    )
    assert [entry.url for entry in shown.entries] == [
        reverse("referrals:provider_edit", kwargs={"provider_id": pk}) for pk in (fresh.pk, stale.pk)
    ]
    assert "referrals.directory_to_check" not in _counts(world.actor("supervisor"))
