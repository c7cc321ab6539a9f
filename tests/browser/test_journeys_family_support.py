"""A family support plan from the needs assessment to graduation, in Khmer on the phone and
on the laptop: a supervisor opens a household from the registry, sees its family support
section (loaded into the household's page), assesses the household's needs, links the health
need to a health centre serving the household's commune (the providers listed as the service
is chosen), refers a member of the household there (a draft referral, from the household),
is refused graduation while needs are open, records a follow-up visit where both needs were
met, and graduates the household.

Each viewport takes a household of its own (the plan of one run is graduated by its end, and a
household has one plan in progress at a time).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

# A supervisor works with every household of the organisation's province, and may refer any of
# their members (a caseworker refers the children of their own caseload).
SUPERVISOR = "supervisor.sabay"
HOUSEHOLD_INDEX = {"360x740": 0, "1280x800": 1}
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def open_household(b, index: int) -> str:
    """The ``index``-th household met going down the registry's list of people."""
    b.goto("registry:person_list", step="people")
    people = b.page.locator('#results a[href^="/people/"]').evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    seen: list[str] = []
    for href in people:
        b.goto(href, step="person")
        household = b.page.locator('main a[href^="/people/households/"]')
        if household.count():
            target = household.first.get_attribute("href")
            if target not in seen:
                seen.append(target)
            if len(seen) > index:
                b.click(household.first, step="household")
                return target
    raise AssertionError("no household in the supervisor's registry")


def graduate(b, *, step: str, state: str) -> None:
    b.click('main form[action$="/graduate/"] button[type=submit]', step=step, state=state)


@pytest.mark.languages("km")
def test_a_family_support_plan_from_assessment_to_graduation(browse, viewport, language):
    b = browse(SUPERVISOR)
    b.goto("web:home", step="home")
    b.follow("family_support:plan_list", step="plans")
    open_household(b, HOUSEHOLD_INDEX[viewport])

    # The household's page loads its family support section from the plan's own pages.
    start = b.page.locator('#support a[href$="/new/"]')
    start.wait_for()
    b.checkpoint(step="support-section", state="support")
    household_id = re.search(rf"/households/({UUID})/", b.page.url).group(1)
    section = b.partial("family_support:household_plans", step="support-partial", household_id=household_id)
    assert 'id="support"' in section

    # The needs assessment: a level in each of the six areas.
    b.click(start, step="assessment")
    b.page.select_option("#id_level_health", "serious")
    b.page.fill("#id_note_health", "កូនពៅក្អករ៉ាំរ៉ៃ មិនទាន់បានទៅពិនិត្យ។")
    b.page.select_option("#id_level_documents", "some")
    b.page.fill("#id_note_documents", "កុមារម្នាក់មិនទាន់មានសំបុត្រកំណើត។")
    b.click("main form.card button[type=submit]", step="plan")
    assert re.search(rf"/family-support/plans/{UUID}/$", b.page.url), b.page.locator("main").inner_text()
    plan_url = urlsplit(b.page.url).path

    # The health need: a service, then a provider of it serving the household's commune.
    b.click('#needs li[data-need="health"] a[href*="/needs/health/"]', step="need")
    with b.page.expect_response(lambda r: "/needs/health/?" in r.url):
        b.page.select_option("#id_service", "primary_health")
    b.page.wait_for_function("document.querySelectorAll('#id_provider option').length > 1")
    b.checkpoint(step="providers", state="providers")
    b.page.select_option("#id_provider", index=1)
    b.click("main form.card button[type=submit]", step="need-saved")
    assert "មណ្ឌលសុខភាព" in b.page.locator('#needs li[data-need="health"]').inner_text()

    # A member of the household referred there: a draft, sent from its own page under consent.
    b.click('#needs li[data-need="health"] a[href*="/needs/health/"]', step="need-linked", state="refer")
    b.page.select_option("#id_refer_person", index=0)
    b.page.fill("#id_refer_reason", f"ពិនិត្យសុខភាពកុមារដែលក្អករ៉ាំរ៉ៃ។ ({viewport})")
    b.click("#refer form button[type=submit]", step="referred")
    assert re.search(rf"/referrals/{UUID}/$", b.page.url), b.page.locator("main").inner_text()
    b.goto(plan_url, step="plan-referred")
    assert b.page.locator('#needs li[data-need="health"] a[href*="/referrals/"]').count() == 1

    # Not while needs are open: the refusal names each of them.
    graduate(b, step="refused", state="refused")
    messages = b.page.locator("ul.messages").inner_text()
    assert "សុខភាព" in messages, messages
    assert "ឯកសារអត្រានុកូលដ្ឋាន" in messages, messages
    assert b.page.locator('main form[action$="/graduate/"]').count() == 1

    # The follow-up visit: both needs met.
    b.click('#visits a[href$="/visits/new/"]', step="visit")
    for box in b.page.locator('main input[name="met"]').all():
        box.check()
    b.page.fill("#id_note", "កុមារបានទៅមណ្ឌលសុខភាព ហើយសំបុត្រកំណើតបានចេញហើយ។")
    b.click("main form.card button[type=submit]", step="visited")
    assert b.page.locator("#visits li").count() == 1

    graduate(b, step="graduated", state="graduated")
    assert b.page.locator('main form[action$="/graduate/"]').count() == 0
    assert b.page.locator("#graduation").count() == 0
