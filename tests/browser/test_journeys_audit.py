"""Journeys through the audit pages: break-the-glass and the officer who is told of it, who
has seen a child's record, and the organisation's audit trail."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

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


def test_audit_trail(browse):
    """The officer reads the trail of changes, then of reads, then one user's reads; a
    supervisor sees the changes in her areas."""
    b = browse("dpo.sabay")
    b.goto("web:home", step="home")
    b.follow("audit:event_list", step="changes")
    assert b.page.locator("main table tbody tr").count() > 0
    b.page.select_option("#id_kind", "reads")
    b.click("main form button[type=submit]", step="reads", state="reads")
    assert b.page.locator("main table tbody tr").count() > 0
    b.page.fill("#id_user", "supervisor.sabay")
    b.click("main form button[type=submit]", step="reads-by-user")

    supervisor = browse("supervisor.sabay")
    supervisor.goto("web:home", step="supervisor-home")
    supervisor.follow("audit:event_list", step="supervisor-changes")
    assert supervisor.page.locator("#id_kind").count() == 0  # reads are the officer's to see
    older = supervisor.page.locator("main a[href^='?'][href*='before=']")
    if older.count():
        supervisor.click(older.first, step="supervisor-older")
