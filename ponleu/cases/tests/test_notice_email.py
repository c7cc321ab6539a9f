"""Notices by e-mail, where a mail server is configured: the same words as in the app, a subject
that is the same for every notice, and never a child's name or the record's address."""

from __future__ import annotations

import pytest
from django.core import mail

from .factories import make_child, open_case

pytestmark = pytest.mark.django_db


def _assign(world, case):
    from ponleu.cases.services.cases import case_assign

    case.refresh_from_db()
    return case_assign(
        actor=world.actor("supervisor"),
        case=case,
        expected_version=case.version,
        owner_id=world.user("caseworker_b").pk,
    )


def test_a_case_assigned_is_mailed_without_the_childs_name(
    world, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_BY_EMAIL = True
    worker = world.user("caseworker_b")
    worker.email = "caseworker-b@example.org"
    worker.language = "km"
    worker.save()
    child = make_child(world, family_km="ចាន់", given_km="សុភ័ក្រ", given_latin="Sopheak")
    case = open_case(world, child=child)
    with django_capture_on_commit_callbacks(execute=True):
        _assign(world, case)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["caseworker-b@example.org"]
    assert sent.subject == "ពន្លឺ៖ មានសារថ្មីសម្រាប់អ្នក"
    for secret in ("ចាន់", "សុភ័ក្រ", "Sopheak", "Sok", str(case.pk), str(child.pk)):
        assert secret not in sent.subject
        assert secret not in sent.body
    assert worker.notifications.get().kind == "case_assigned"  # the in-app notice too


def test_without_a_mail_server_notices_stay_in_the_app(world, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_BY_EMAIL = False
    worker = world.user("caseworker_b")
    worker.email = "caseworker-b@example.org"
    worker.save()
    with django_capture_on_commit_callbacks(execute=True):
        _assign(world, open_case(world))
    assert mail.outbox == []
    assert worker.notifications.count() == 1


def test_an_approval_asked_is_a_notice_of_its_own_kind(world):
    from ponleu.cases.choices import CaseEvent
    from ponleu.notifications.models import Notification

    from .factories import move, to_implementation

    case = to_implementation(world, open_case(world))
    Notification.objects.all().delete()
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
    notice = Notification.objects.get(recipient=world.user("supervisor"))
    assert notice.kind == "approval_asked"
    assert notice.link == f"/cases/{case.pk}/"
