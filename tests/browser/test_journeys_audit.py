"""Journeys through the audit pages: break-the-glass and the officer who is told of it, who
has seen a child's record, and the organisation's audit trail."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from . import checks
from .harness import RUNS

pytestmark = pytest.mark.browser

SANGKAE = "0208"  # a district outside caseworker.sabay's area (Banan, 0201)


def test_break_the_glass(browse, viewport, language):
    """A caseworker opens a record outside her area for an hour, with a reason; the
    data-protection officer is told in the inbox and reads who has seen the record."""
    dpo = browse("dpo.sabay")
    dpo.goto(f"{reverse('registry:person_list')}?area={SANGKAE}", step="officer-list")
    # A different child each run: emergency access to one record stays open for an hour.
    link = dpo.page.locator("main #results ul.people li a").nth(RUNS.index((viewport, language)))
    person_id = re.search(r"/people/([0-9a-f-]{36})/", link.get_attribute("href")).group(1)

    worker = browse("caseworker.sabay")
    worker.goto("audit:break_glass", step="request", person_id=person_id)
    worker.page.fill(
        "#id_reason", "The child called the hotline from Sangkae tonight; the family is not answering."
    )
    worker.click("main form button[type=submit]", step="opened")
    assert worker.page.url.endswith(reverse("registry:person_detail", kwargs={"person_id": person_id}))
    assert worker.page.locator("main ul.messages li").count() == 1

    dpo.goto("notifications:inbox", step="inbox")
    access_log = reverse("audit:person_access", kwargs={"person_id": person_id})
    dpo.click(dpo.page.locator(f'main ul.messages a[href="{access_log}"]').first, step="who-has-seen")
    grants = dpo.page.locator("main table").first
    assert "caseworker.sabay" in grants.inner_text()
    dpo.goto("notifications:inbox", step="inbox-again")
    dpo.click("main form button[type=submit]", step="marked-read")
    assert dpo.page.locator("main ul.messages .badge").count() == 0

    # The same opening, found in the audit trail, leads to the record's access log.
    dpo.follow("audit:event_list", step="trail")
    dpo.page.fill("#id_action", "access.break_glass.opened")
    dpo.page.fill("#id_user", "caseworker.sabay")
    dpo.click("main form button[type=submit]", step="trail-openings")
    dpo.click(dpo.page.locator(f'main table a[href="{access_log}"]').first, step="trail-access-log")


def test_emergency_access_from_a_case_out_of_reach(browse, viewport, language):
    """A caseworker follows a link to a case of another team: the 404 offers emergency access,
    and with a reason she opens that case for an hour."""
    dpo = browse("dpo.sabay")
    dpo.goto("cases:case_list", step="officer-cases")
    hrefs = dpo.page.locator("main a[href^='/cases/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    case_urls = sorted({m.group(0) for h in hrefs if (m := re.fullmatch(r"/cases/[0-9a-f-]{36}/", h))})

    worker = browse("caseworker.sabay")
    worker.goto("web:home", step="home")
    # Cases of the other team answer her 404; a different one each run, since access stays open an hour.
    hidden = [url for url in case_urls if worker.page.request.get(url).status == 404]
    assert len(hidden) >= len(RUNS), f"only {len(hidden)} cases out of the caseworker's reach"
    case_url = hidden[RUNS.index((viewport, language))]
    answer = worker.page.goto(case_url, wait_until="load")
    assert answer.status == 404
    assert not worker.check_page()
    assert not checks.axe_blocking(checks.axe(worker.page))
    glass = worker.page.locator("main a.button[href^='/audit/break-glass/cases/']")
    assert glass.count() == 1
    worker.click(glass, step="case-request")
    worker.page.fill("#id_reason", "The police called about this child tonight; her caseworker is on leave.")
    worker.click("main form button[type=submit]", step="case-opened")
    assert worker.page.url.endswith(case_url)
    assert worker.page.locator("main ul.messages li").count() == 1


def test_audit_trail(browse):
    """The officer reads the trail of changes, then of reads, then one user's reads, then who
    read unusually many records; a supervisor sees the changes in her areas."""
    b = browse("dpo.sabay")
    b.goto("web:home", step="home")
    b.follow("audit:event_list", step="changes")
    assert b.page.locator("main table tbody tr").count() > 0
    b.page.select_option("#id_kind", "reads")
    b.click("main form button[type=submit]", step="reads", state="reads")
    assert b.page.locator("main table tbody tr").count() > 0
    b.page.fill("#id_user", "supervisor.sabay")
    b.click("main form button[type=submit]", step="reads-by-user")
    # Unusual reading: the rule the list follows is written above it.
    b.follow("audit:unusual_access", step="unusual")
    assert b.page.locator("main p.help").count() == 1
    readers = b.page.locator("main li.card[data-reader]").count()
    assert readers or b.page.locator("main p:not(.help)").count() == 1  # or "nobody's reading is unusual"

    supervisor = browse("supervisor.sabay")
    supervisor.goto("web:home", step="supervisor-home")
    supervisor.follow("audit:event_list", step="supervisor-changes")
    assert supervisor.page.locator("#id_kind").count() == 0  # reads are the officer's to see
    older = supervisor.page.locator("main a[href^='?'][href*='before=']")
    if older.count():
        supervisor.click(older.first, step="supervisor-older")


@pytest.mark.languages("km")
def test_consent_withdrawals_from_today(browse, viewport, language):
    """The officer opens this week's consent withdrawals from Today: as many as the item counts,
    each saying what was withdrawn, each a tap from who has seen the record."""
    b = browse("dpo.sabay")
    b.goto("web:home", step="home")
    badge = b.page.locator('main section[data-item="registry.consents_withdrawn"] .count')
    assert badge.count() == 1, "the demo has no consent withdrawn this week"
    count = int(badge.get_attribute("data-count"))
    b.click('main section[data-item="registry.consents_withdrawn"] h2 a', step="withdrawals")
    assert b.page.locator("main li.card[data-consent]").count() == count
    b.click('main li.card[data-consent] a[href^="/audit/people/"] >> nth=0', step="access-log")
