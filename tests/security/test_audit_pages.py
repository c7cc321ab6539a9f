"""'Who has seen this child' and the audit trail: for auditors within scope, and audited themselves."""

import pytest
from django.urls import reverse

from ponleu.access import policy
from ponleu.audit import services as audit
from ponleu.audit.models import AccessEvent

pytestmark = pytest.mark.django_db


def _read(actor, child, *, break_glass=False):
    return audit.record_access(
        actor=actor,
        action="registry.person.viewed",
        target_type="registry.person",
        target_ids=[child.pk],
        break_glass=break_glass,
    )


def test_the_dpo_sees_who_read_a_child_and_the_page_is_audited(world, person, login_as):
    child = person(village="02010101", given="Chenda")
    other = person(village="02010101")
    _read(world.actor("caseworker_a"), child)
    _read(world.actor("supervisor"), child, break_glass=True)
    _read(world.actor("field_worker"), other)
    page = login_as(world.user("dpo")).get(reverse("audit:person_access", kwargs={"person_id": child.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert "caseworker_a" in body
    assert "supervisor" in body
    assert "field_worker" not in body
    assert "registry.person.viewed" in body
    assert "Sok Chenda" in body
    own = AccessEvent.objects.filter(action="audit.person_access.viewed").get()
    assert own.target_ids == [str(child.pk)]
    assert own.actor_username == "dpo"
    # The page's own read shows on the next visit.
    again = login_as(world.user("dpo")).get(reverse("audit:person_access", kwargs={"person_id": child.pk}))
    assert "audit.person_access.viewed" in again.content.decode()


def test_a_supervisor_audits_only_within_their_areas(world, person, login_as):
    near = person(village="02010101")
    far = person(org=world.other_org, village="17070101")
    client = login_as(world.user("supervisor"))
    assert client.get(reverse("audit:person_access", kwargs={"person_id": near.pk})).status_code == 200
    refused = client.get(reverse("audit:person_access", kwargs={"person_id": far.pk}))
    missing = client.get(
        reverse("audit:person_access", kwargs={"person_id": "3f1f0c3a-0000-4000-8000-000000000000"})
    )
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content


def test_caseworkers_cannot_audit(world, person, login_as):
    child = person(village="02010101", owner=world.user("caseworker_a"))
    client = login_as(world.user("caseworker_a"))
    assert client.get(reverse("audit:person_access", kwargs={"person_id": child.pk})).status_code == 403
    assert client.get(reverse("audit:event_list")).status_code == 403


def test_sensitive_children_are_named_by_initials_to_auditors_without_view_sensitive(
    world, person, login_as, monkeypatch
):
    child = person(village="02010101", sensitive=True, given="Chenda")
    url = reverse("audit:person_access", kwargs={"person_id": child.pk})
    assert "Sok Chenda" in login_as(world.user("supervisor")).get(url).content.decode()
    # No role today audits without view_sensitive; give one that shape to see the mask.
    original = policy.capabilities_of
    monkeypatch.setattr(
        policy,
        "capabilities_of",
        lambda role: {k: v for k, v in original(role).items() if k != "registry.view_sensitive"},
    )
    body = login_as(world.user("supervisor")).get(url).content.decode()
    assert "Chenda" not in body
    assert "S. C." in body


def test_the_audit_trail_for_the_dpo_lists_changes_and_reads(world, person, login_as):
    child = person(village="02010101")
    audit.record(
        actor=world.actor("caseworker_a"),
        action="registry.person.updated",
        target=child,
        changes={"given_name_latin": ["Dara", "Dany"]},
    )
    _read(world.actor("caseworker_a"), child)
    client = login_as(world.user("dpo"))
    changes = client.get(reverse("audit:event_list")).content.decode()
    assert "registry.person.updated" in changes
    assert "given_name_latin" in changes
    assert "Dany" not in changes  # field names only, never values
    reads = client.get(reverse("audit:event_list"), {"kind": "reads"}).content.decode()
    assert "registry.person.viewed" in reads
    listed = AccessEvent.objects.filter(action="audit.event_list.viewed")
    assert listed.count() == 2


def test_a_supervisor_sees_changes_only_to_records_in_scope(world, person, login_as):
    near = person(village="02010101")
    far = person(village="17070101")
    audit.record(
        actor=world.actor("caseworker_a"),
        action="registry.person.updated",
        target=near,
        changes={"a": [1, 2]},
    )
    audit.record(actor=world.actor("dpo"), action="registry.person.merged", target=far, changes={"b": [1, 2]})
    audit.record(
        actor=world.actor("org_admin"),
        action="organisations.membership.created",
        target=world.members["teacher"],
    )
    body = login_as(world.user("supervisor")).get(reverse("audit:event_list")).content.decode()
    assert "registry.person.updated" in body
    assert "registry.person.merged" not in body
    assert "organisations.membership.created" not in body
    # Reads are the DPO's: a supervisor asking for them still gets changes in scope.
    reads = (
        login_as(world.user("supervisor"))
        .get(reverse("audit:event_list"), {"kind": "reads"})
        .content.decode()
    )
    assert "registry.person.updated" in reads
