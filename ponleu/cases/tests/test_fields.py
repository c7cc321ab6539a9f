"""A field declared in CASE_EDITABLE_FIELDS is edited by the form and the API, shown on the
case page and in the API, bounded, and kept out of audit rows when it is protected text."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from ponleu.audit.models import AuditEvent
from ponleu.cases.models import Case

from .factories import open_case

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _patch(client, case, body):
    return client.patch(
        f"{API}/cases/{case.pk}", body, content_type="application/json", HTTP_IF_MATCH=f'"{case.version}"'
    )


def test_the_childs_views_are_edited_on_the_form_and_shown_on_the_page(world, login_as):
    case = open_case(world)
    worker = login_as(world.user("caseworker_a"))
    url = reverse("cases:case_edit", kwargs={"case_id": case.pk})
    form = worker.get(url)
    assert "child_views" in form.context["form"].fields
    data = {
        "version": case.version,
        "source": case.source,
        "identified_on": case.identified_on.isoformat(),
        "child_views": "Wants to stay with her grandmother and keep going to school.",
    }
    response = worker.post(url, data)
    assert response.status_code == 302, response.content
    assert Case.objects.get(pk=case.pk).child_views.startswith("Wants to stay")
    page = worker.get(reverse("cases:case_detail", kwargs={"case_id": case.pk})).content.decode()
    assert "The child&#x27;s views and wishes" in page
    assert "Wants to stay with her grandmother" in page


def test_the_childs_views_are_edited_through_the_api_and_kept_out_of_the_audit_row(world, login_as):
    case = open_case(world)
    worker = login_as(world.user("caseworker_a"))
    response = _patch(worker, case, {"child_views": "Afraid of going home at night."})
    assert response.status_code == 200, response.content
    assert response.json()["child_views"] == "Afraid of going home at night."
    assert worker.get(f"{API}/cases/{case.pk}").json()["child_views"] == "Afraid of going home at night."
    event = AuditEvent.objects.filter(target_id=case.pk, action="cases.case.updated").get()
    assert "child_views" in event.changes
    assert "Afraid" not in str(event.changes)


def test_the_childs_views_are_refused_past_their_bound_and_as_null(world, login_as):
    case = open_case(world)
    worker = login_as(world.user("caseworker_a"))
    for value in ("x" * 10_001, None):
        response = _patch(worker, case, {"child_views": value})
        assert response.status_code == 422, response.content
        assert "child_views" in response.json()["errors"]
    assert Case.objects.get(pk=case.pk).version == case.version


def test_the_khmer_label_is_written():
    with translation.override("km"):
        label = str(Case._meta.get_field("child_views").verbose_name)
    assert label == "មតិ និងបំណងប្រាថ្នារបស់កុមារ"
