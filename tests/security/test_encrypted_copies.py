"""Encrypted text stays encrypted: no audit row, approval note or other plain column copies it.

A canary goes into every encrypted field a closing case passes through (the reason for the
case, a case note, the closing summary); afterwards every column of every table is searched
for it with raw SQL. It may only exist as ciphertext.
"""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse

from ponleu.audit import services as audit
from ponleu.audit.models import AuditEvent
from ponleu.cases.choices import CaseEvent, CaseStatus, InteractionType
from ponleu.cases.models import Case, CaseApproval
from ponleu.cases.services import cases as case_services
from ponleu.cases.services import contact
from ponleu.cases.tests.factories import move, open_case
from ponleu.common import clock
from ponleu.testing.login import login

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Phnom_Penh"))
CANARY = "CANARY-closing-4e1d-uncle-in-Poipet"


def plaintext_copies(token: str) -> list[str]:
    """Every table.column holding ``token`` in clear, found with raw SQL over all columns."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE CAST({quote(column.name)} AS TEXT) LIKE %s",  # noqa: S608 - names from introspection
                    [f"%{token}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(NOW) as traveller:
        yield traveller


def test_closing_a_case_leaves_the_summary_only_as_ciphertext(world, client, caplog):
    caplog.set_level(logging.DEBUG)
    case = open_case(world, summary=f"Opened after a call. {CANARY} (reason)")
    case_services.case_update(
        actor=world.actor("caseworker_a"),
        case=case,
        expected_version=case.version,
        data={"summary": f"Revised: {CANARY} (reason, revised)"},
    )
    contact.note_add(
        actor=world.actor("caseworker_a"),
        case=case,
        interaction=InteractionType.HOME_VISIT,
        happened_on=dt.date(2025, 2, 1),
        observations=f"Home visit. {CANARY} (note)",
    )
    move(world, case, CaseEvent.START_INTAKE)
    case.refresh_from_db()
    summary = f"The family copes; the danger has gone. {CANARY} (closing summary)"
    login(client, world.user("caseworker_a"))
    asked = client.post(
        reverse("cases:case_transition", kwargs={"case_id": case.pk, "event": CaseEvent.REQUEST_CLOSURE}),
        {"version": case.version, "closure_reason": "goals_achieved", "reason": summary},
    )
    assert asked.status_code == 302, asked.content.decode()[:2000]
    case.refresh_from_db()
    login(client, world.user("supervisor"))
    approved = client.post(
        reverse("cases:case_transition", kwargs={"case_id": case.pk, "event": CaseEvent.APPROVE_CLOSURE}),
        {"version": case.version, "reason": "Agreed: the goals are met."},
    )
    assert approved.status_code == 302, approved.content.decode()[:2000]

    closed = Case.objects.get(pk=case.pk)
    assert closed.status == CaseStatus.CLOSED
    assert closed.closure_note == summary  # readable through the field
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT closure_note FROM cases_case WHERE id = %s",
            [Case._meta.pk.get_db_prep_value(case.pk, connection)],
        )
        assert cursor.fetchone()[0].startswith("pe1:")
    assert plaintext_copies(CANARY) == []
    assert CANARY not in caplog.text
    request = CaseApproval.objects.get(case=case, kind="closure")
    assert request.request_note == ""
    event = AuditEvent.objects.filter(target_id=str(case.pk), changes__has_key="closure_note").get()
    assert event.changes["closure_note"] == [audit.REDACTED, audit.REDACTED]
    assert event.reason == ""


def test_the_reason_for_closing_with_open_actions_is_still_the_supervisors_note(world):
    """Only the encrypted summary is kept out; the separate, plain explanation still reaches the note."""
    case = open_case(world)
    move(world, case, CaseEvent.START_INTAKE)
    move(
        world,
        case,
        CaseEvent.REQUEST_CLOSURE,
        closure_reason="moved_away",
        reason=f"Summary {CANARY}",
        open_actions_reason="The family moved to Battambang.",
    )
    request = CaseApproval.objects.get(case=case, kind="closure")
    assert request.request_note == "The family moved to Battambang."
    assert plaintext_copies(CANARY) == []


def test_audit_record_keeps_only_that_an_encrypted_field_changed(world):
    case = open_case(world, summary=f"Opened after a call. {CANARY}")
    event = audit.record(
        actor=world.actor("caseworker_a"),
        action="test.copied",
        target=case,
        changes={
            "summary": ["", case.summary],
            "status": ["identified", "intake"],
            "note": [None, case.summary],
        },
        reason=case.summary,
    )
    assert event.changes == {
        "summary": ["", audit.REDACTED],
        "status": ["identified", "intake"],
        "note": [None, audit.REDACTED],
    }
    assert event.reason == audit.REDACTED
    quoted = audit.record(
        actor=world.actor("caseworker_a"),
        action="test.quoted",
        target=case,
        reason=f"As the summary says: {case.summary} Closing.",
    )
    assert quoted.reason == audit.REDACTED
    ordinary = audit.record(
        actor=world.actor("caseworker_a"), action="test.ordinary", target=case, reason="Opened after a call"
    )
    assert ordinary.reason == "Opened after a call"  # shorter than the summary and not all of it
    assert plaintext_copies(CANARY) == []
