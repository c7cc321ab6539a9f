"""Instruments are re-weighted in the admin; a broken item list or threshold is refused."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from ponleu.audit.models import AuditEvent
from ponleu.cases.models import AssessmentInstrument

from .factories import open_case

pytestmark = pytest.mark.django_db


def test_staff_reweight_the_danger_checklist(world, login_as):
    open_case(world)  # seeds the organisation's instruments
    staff = world.user("system_admin")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client = login_as(staff)
    checklist = AssessmentInstrument.objects.get(organisation=world.org, code="danger_factors")
    url = reverse("admin:cases_assessmentinstrument_change", args=[checklist.pk])
    items = checklist.items
    form = {
        "name_km": checklist.name_km,
        "name_en": checklist.name_en,
        "items": json.dumps(items),
        "thresholds": json.dumps({"medium": 9, "high": 3}),
        "reassess_after_days": 180,
        "is_active": "on",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "Medium must be above 0" in refused.content.decode()
    items[0]["weight"] = 6
    saved = client.post(
        url, {**form, "items": json.dumps(items), "thresholds": json.dumps({"medium": 3, "high": 7})}
    )
    assert saved.status_code == 302
    checklist.refresh_from_db()
    assert checklist.thresholds == {"medium": 3, "high": 7}
    assert checklist.items[0]["weight"] == 6
    assert AuditEvent.objects.filter(action="cases.instrument.saved", target_id=str(checklist.pk)).exists()
