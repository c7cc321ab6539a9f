"""What a finding starts: severe acute malnutrition raises an alert to the child's worker with
the nearest health service that treats it proposed (services.referral); moderate acute
malnutrition starts a follow-up, measured again every two weeks until the child recovers or
becomes severe. Called by the measurement services inside their transaction."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.notifications.choices import NotificationKind
from ponleu.notifications.services import notify
from ponleu.nutrition.choices import AlertStatus, FollowUpStatus, NutritionAction
from ponleu.nutrition.models import FollowUp, GrowthMeasurement, SamAlert

from . import referral

FOLLOW_UP_EVERY_DAYS = 14


def after_measurement(*, actor, measurement: GrowthMeasurement) -> None:
    follow_up = FollowUp.objects.open().select_for_update().filter(person_id=measurement.person_id).first()
    if measurement.sam:
        _raise_alert(actor, measurement)
        if follow_up is not None:
            _end(actor, follow_up, measurement, FollowUpStatus.ESCALATED)
    elif measurement.mam:
        if follow_up is None:
            _start(actor, measurement)
        elif measurement.measured_on >= follow_up.started_on:
            follow_up.next_due_on = measurement.measured_on + dt.timedelta(days=follow_up.every_days)
            follow_up.save(update_fields=["next_due_on", "updated_at"])
    elif follow_up is not None and measurement.measured_on > follow_up.started_on:
        _end(actor, follow_up, measurement, FollowUpStatus.RECOVERED)


def _raise_alert(actor, measurement: GrowthMeasurement) -> SamAlert | None:
    if SamAlert.objects.filter(person_id=measurement.person_id, status=AlertStatus.OPEN).exists():
        return None  # the child already waits for a referral: one alert, not one per weighing
    if SamAlert.objects.filter(measurement=measurement).exists():
        return None
    proposal = referral.nearest_provider(actor=actor, person=measurement.person)
    alert = SamAlert(
        person=measurement.person,
        measurement=measurement,
        raised_on=measurement.measured_on,
        proposed_provider=proposal.provider if proposal else None,
    )
    alert.stand_with_child()
    alert.save(force_insert=True)
    audit.record(
        actor=actor,
        action=NutritionAction.SAM_ALERT_RAISED,
        target=alert,
        changes={
            "person": [None, str(alert.person_id)],
            "measurement": [None, str(measurement.pk)],
            "proposed_provider": [
                None,
                str(alert.proposed_provider_id) if alert.proposed_provider_id else None,
            ],
        },
    )
    # The child's worker, and whoever measured if someone else: the message never names the
    # child (notifications are read on shared phones); the link opens the child's growth page.
    recipients = {user.pk: user for user in (measurement.person.owner, measurement.measured_by) if user}
    notify(
        recipients=list(recipients.values()),
        kind=NotificationKind.INFO,
        message=_("A child you follow has severe acute malnutrition: refer them to a health service today."),
        link=reverse("nutrition:child", args=[measurement.person_id]),
        organisation_id=alert.organisation_id,
    )
    return alert


def _start(actor, measurement: GrowthMeasurement) -> FollowUp:
    follow_up = FollowUp(
        person=measurement.person,
        started_by=measurement,
        started_on=measurement.measured_on,
        every_days=FOLLOW_UP_EVERY_DAYS,
        next_due_on=measurement.measured_on + dt.timedelta(days=FOLLOW_UP_EVERY_DAYS),
    )
    follow_up.stand_with_child()
    follow_up.save(force_insert=True)
    audit.record(
        actor=actor,
        action=NutritionAction.FOLLOW_UP_STARTED,
        target=follow_up,
        changes={
            "person": [None, str(follow_up.person_id)],
            "next_due_on": [None, follow_up.next_due_on.isoformat()],
        },
    )
    return follow_up


def _end(actor, follow_up: FollowUp, measurement: GrowthMeasurement, status: str) -> None:
    follow_up.status = status
    follow_up.ended_on = measurement.measured_on
    follow_up.ended_by = measurement
    follow_up.next_due_on = None
    follow_up.save(update_fields=["status", "ended_on", "ended_by", "next_due_on", "updated_at"])
    audit.record(
        actor=actor,
        action=NutritionAction.FOLLOW_UP_ENDED,
        target=follow_up,
        changes={"status": [FollowUpStatus.OPEN, status]},
    )
