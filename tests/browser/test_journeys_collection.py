"""Field forms on phones, in Khmer on the phone and on the laptop: an organisation's administrator
installs Ponleu's household registration form (one button on the forms page) and publishes it to
a team; a field worker sets up ODK Collect, issuing a collect-only key for the phone and seeing
the settings QR code the app scans; a supervisor opens the review queue of the submissions.

Each viewport's administrator belongs to an organisation of its own, so that the form is installed
for the first time in each run (installing the same version again is refused).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

# Shared logins: these journeys end no session and change no password.
ADMINS = {"360x740": "admin.sabay", "1280x800": "admin.chetana"}
FIELD_WORKER = "field.sabay"
SUPERVISOR = "supervisor.sabay"
HOUSEHOLD_FORM = "household_registration"


@pytest.mark.languages("km")
def test_an_administrator_installs_and_publishes_the_household_form(browse, viewport, language):
    admin = browse(ADMINS[viewport])
    admin.goto("web:home", step="home")
    admin.follow("collection:form_list", step="forms")
    assert admin.page_language() == language
    assert (
        admin.page.locator("main ul.cards li.card").filter(has_text="ponleu_household_registration").count()
        == 0
    )
    admin.click(f'main button[name="standard"][value="{HOUSEHOLD_FORM}"]', step="installed")
    assert "/manage/" in admin.page.url
    assert not admin.page.url.endswith(reverse("collection:form_list"))
    assert admin.page.locator("main h1").inner_text() == "ការចុះឈ្មោះគ្រួសារ"
    assert admin.page.locator("main .badge").first.is_visible()  # the current version
    teams = admin.page.locator('main input[name="teams"]')
    assert teams.count() >= 1
    assert not teams.first.is_checked()
    teams.first.check()
    admin.click("main form.card button[type=submit]", step="published", state="published")
    assert admin.page.locator("ul.messages li").count() == 1
    assert admin.page.locator('main input[name="teams"]').first.is_checked()
    admin.follow("collection:form_list", step="forms-after")
    card = admin.page.locator("main ul.cards li.card").filter(has_text="ponleu_household_registration")
    assert card.count() == 1
    assert card.locator("a").inner_text() == "ការចុះឈ្មោះគ្រួសារ"


@pytest.mark.languages("km")
def test_a_field_worker_sets_up_odk_collect(browse, viewport, language):
    worker = browse(FIELD_WORKER)
    worker.goto("web:home", step="home")
    worker.follow("collection:device", step="device")
    assert worker.page_language() == language
    name = f"ទូរស័ព្ទប្រមូលទិន្នន័យ {viewport}"
    worker.page.fill("#id_name", name)
    worker.page.fill("#id_password", worker.server.password(FIELD_WORKER))
    worker.click("main form button[type=submit]", step="qr-code", state="ready")
    qr = worker.page.locator("main .qr[role=img]")
    assert qr.locator("svg").count() == 1
    assert qr.is_visible()
    assert name in worker.page.locator("main [role=status]").inner_text()
    assert worker.server.url in worker.page.locator("main p.meta").inner_text()
    # The key is shown once; "Done" leads to the devices page, where the phone's key can be revoked.
    assert worker.page.locator(f'main a.button[href="{reverse("accounts:devices")}"]').count() == 1


@pytest.mark.languages("km")
def test_a_supervisor_opens_the_review_queue(browse, viewport, language):
    supervisor = browse(SUPERVISOR)
    supervisor.goto(f"{reverse('collection:submission_list')}?status=review", step="review-queue")
    assert supervisor.page_language() == language
    current = supervisor.page.locator("main nav.filters a[aria-current=page]")
    assert current.count() == 1
    assert current.get_attribute("href") == "?status=review"
    # Only submissions waiting for review are listed, each with its decision buttons.
    cards = supervisor.page.locator("main ul.cards li.card")
    for index in range(cards.count()):
        assert cards.nth(index).locator('button[name="decision"][value="register"]').count() == 1
    if not cards.count():
        assert supervisor.page.locator("main p.muted").count() == 1
    supervisor.click(supervisor.page.locator("main nav.filters a").first, step="all")
    assert supervisor.page.url.endswith(reverse("collection:submission_list"))
