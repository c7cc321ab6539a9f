"""A trafficking case walked through the screens in Khmer, from referral to post-closure follow-up."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from ponleu.audit.models import AuditEvent
from ponleu.cases.models import Case, FollowUp, Goal, NoteAttachment

from . import pdftext
from .factories import make_child

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Phnom_Penh")
READY = ["child_willing", "family_willing", "home_safe", "caregiver_capable", "school_arranged"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _post(client, name, data, **kwargs):
    response = client.post(reverse(name, kwargs=kwargs), data)
    assert response.status_code == 302, (name, response.status_code, response.content.decode()[:3000])
    return response


def _step(client, case, event, **data):
    case.refresh_from_db()
    return client.post(
        reverse("cases:case_transition", kwargs={"case_id": case.pk, "event": event}),
        {"version": case.version, **data},
    )


def test_trafficking_case_walked_through_the_screens_in_khmer(world, login_as, media):
    from ponleu.common import clock

    for key in ("caseworker_a", "supervisor"):
        user = world.user(key)
        user.language = "km"
        user.save()
    child = make_child(world, family_km="ចាន់", given_km="សុភា", family_latin="Chan", given_latin="Sophea")
    with clock.frozen(dt.datetime(2025, 1, 6, 9, tzinfo=TZ)) as traveller:
        worker = login_as(world.user("caseworker_a"))
        page = worker.get(reverse("cases:case_open") + f"?person={child.pk}")
        assert page.status_code == 200
        assert '<html lang="km">' in page.content.decode()
        opened = worker.post(
            reverse("cases:case_open"),
            {
                "person": child.pk,
                "case_type": "trafficking",
                "subtype": "trafficking",
                "source": "police",
                "identified_on": "២០២៥-០១-០៦",  # typed with Khmer digits
                "summary": "Brought back from Thailand by the police",
                "immediate_danger": "on",
            },
        )
        assert opened.status_code == 302, opened.content.decode()[-3000:]
        case = Case.objects.get(person=child)
        assert case.is_sensitive
        assert case.urgency_pending
        detail = worker.get(reverse("cases:case_detail", kwargs={"case_id": case.pk})).content.decode()
        assert "ចាន់ សុភា" in detail or "Chan Sophea" in detail

        assert _step(worker, case, "start_intake").status_code == 302
        refused = _step(worker, case, "complete_screening")
        assert refused.status_code == 400
        assert Case.objects.get(pk=case.pk).status == "intake"
        _post(
            worker,
            "cases:safety_plan_edit",
            {
                "dangers": "The recruiter lives in the village",
                "safe_place": "Aunt's house",
                "steps": "Call 1280",
            },
            case_id=case.pk,
        )
        assert _step(worker, case, "complete_screening").status_code == 302
        _post(
            worker,
            "cases:specifics_edit",
            {
                "destination": "thailand",
                "destination_place": "Rayong",
                "route": "Poipet",
                "legal_status": "complaint",
            },
            case_id=case.pk,
        )
        _post(
            worker,
            "cases:assessment_create",
            {"assessed_on": "2025-01-06", "item_previous_exploitation": "on", "item_parents_migrated": "on"},
            case_id=case.pk,
            instrument="danger_factors",
        )
        csi = {
            f"item_{code}": "2"
            for code in ("1A", "1B", "2A", "2B", "3A", "3B", "4A", "4B", "5A", "5B", "6A", "6B")
        }
        _post(
            worker,
            "cases:assessment_create",
            {"assessed_on": "2025-01-06", **csi},
            case_id=case.pk,
            instrument="csi",
        )
        assert _step(worker, case, "complete_assessment").status_code == 302
        _post(
            worker,
            "cases:goal_create",
            {"domain": "3A", "description": "Safe from the recruiter"},
            case_id=case.pk,
        )
        goal = Goal.objects.get(case=case)
        _post(
            worker,
            "cases:action_create",
            {
                "goal": goal.pk,
                "description": "Legal aid meeting",
                "due_on": "2025-01-31",
                "owner": world.user("caseworker_a").pk,
            },
            case_id=case.pk,
        )
        assert _step(worker, case, "submit_plan").status_code == 302
        assert _step(worker, case, "approve_plan").status_code == 403  # a caseworker cannot approve
        supervisor = login_as(world.user("supervisor"))
        team_page = supervisor.get(reverse("cases:team_caseload")).content.decode()
        assert reverse("cases:case_detail", kwargs={"case_id": case.pk}) in team_page
        assert _step(supervisor, case, "approve_plan").status_code == 302

        traveller.advance(days=30)
        worker = login_as(world.user("caseworker_a"))
        _post(
            worker,
            "cases:service_create",
            {
                "service_type": "legal_aid",
                "provider": "Legal aid NGO",
                "delivered_on": "2025-01-20",
                "currency": "KHR",
            },
            case_id=case.pk,
        )
        _post(
            worker,
            "cases:placement_create",
            {"placement_type": "emergency_shelter", "carer": "Safe shelter", "started_on": "2025-01-07"},
            case_id=case.pk,
        )
        overlap = worker.post(
            reverse("cases:placement_create", kwargs={"case_id": case.pk}),
            {"placement_type": "kinship", "carer": "Aunt", "started_on": "2025-01-20"},
        )
        assert overlap.status_code == 400
        canary = "CANARY-7f3a9-trafficker-name"
        upload = SimpleUploadedFile(
            "visit.pdf", b"%PDF-1.4 " + canary.encode(), content_type="application/pdf"
        )
        _post(
            worker,
            "cases:note_create",
            {
                "interaction": "home_visit",
                "happened_on": "2025-02-04",
                "observations": f"Family ready to receive her. {canary}",
                "goals": [goal.pk],
                "attachments": [upload],
            },
            case_id=case.pk,
        )
        future = worker.post(
            reverse("cases:note_create", kwargs={"case_id": case.pk}),
            {"interaction": "home_visit", "happened_on": "2025-03-01", "observations": "x"},
        )
        assert future.status_code == 400
        attachment = NoteAttachment.objects.get()
        assert canary.encode() not in (media / "encrypted" / attachment.file.name).read_bytes()
        with connection.cursor() as cursor:
            cursor.execute("SELECT observations FROM cases_casenote")
            assert canary not in cursor.fetchone()[0]
        download = worker.get(
            reverse("cases:attachment_download", kwargs={"case_id": case.pk, "attachment_id": attachment.pk})
        )
        assert canary.encode() in download.content
        _post(
            worker,
            "cases:assessment_create",
            {"assessed_on": "2025-02-04", **{f"item_{code}": "on" for code in READY}},
            case_id=case.pk,
            instrument="reintegration_readiness",
        )
        case.refresh_from_db()
        _post(
            worker,
            "cases:case_reintegrate",
            {"version": case.version, "reunified_on": "2025-02-05", "reunified_with": "Mother"},
            case_id=case.pk,
        )
        assert _step(worker, case, "start_review").status_code == 302
        assert (
            _step(
                worker,
                case,
                "request_closure",
                closure_reason="reintegrated",
                open_actions_reason="Done by the NGO",
                reason="Home, safe",
            ).status_code
            == 302
        )
        supervisor = login_as(world.user("supervisor"))
        assert _step(supervisor, case, "approve_closure").status_code == 302
        case.refresh_from_db()
        assert case.status == "follow_up"

        traveller.advance(days=400)
        worker = login_as(world.user("caseworker_a"))
        mine = worker.get(reverse("cases:caseload")).content.decode()
        first = FollowUp.objects.get(case=case, months=3)
        assert (
            reverse("cases:follow_up_record", kwargs={"case_id": case.pk, "follow_up_id": first.pk}) in mine
        )
        for follow_up, day in zip(
            FollowUp.objects.filter(case=case).order_by("months"),
            ["2025-05-06", "2025-08-06", "2026-02-06"],
            strict=True,
        ):
            _post(
                worker,
                "cases:follow_up_record",
                {"done_on": day, "outcome": "doing_well"},
                case_id=case.pk,
                follow_up_id=follow_up.pk,
            )
        assert _step(worker, case, "complete_follow_up").status_code == 302
        case.refresh_from_db()
        assert case.status == "closed"

        closure = worker.get(reverse("cases:mosvy_form", kwargs={"case_id": case.pk, "form_number": 6}))
    assert closure["Content-Type"] == "application/pdf"
    document = b"".join([closure.content])
    fonts = pdftext.embedded_fonts(document)
    assert any("Ponleu-Khmer" in name for name in fonts)
    assert all(name.split("+")[1].startswith("Ponleu") for name in fonts), fonts  # no system font
    text = pdftext.text(document)
    assert case.short_id in text
    assert "Chan Sophea" in text
    # Khmer glyphs extract to Khmer text: every letter of the form's title and the child's name.
    assert set("ទម្រង់ការបិទករណី") <= set(text)
    assert set("ចាន់សុភា") <= set(text)
    audit = list(AuditEvent.objects.filter(target_id=str(case.pk)).values_list("action", flat=True))
    assert audit.count("cases.case.transitioned") == 9
    for action in (
        "cases.case.opened",
        "cases.safety_plan.saved",
        "cases.specifics.saved",
        "cases.case.reintegrated",
    ):
        assert action in audit
    assert AuditEvent.objects.filter(action="cases.note.added").count() == 1
    assert AuditEvent.objects.filter(action="cases.follow_up.recorded").count() == 3
    assert AuditEvent.objects.filter(action="cases.approval.decided").count() == 2
