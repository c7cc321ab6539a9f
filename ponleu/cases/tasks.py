"""Background work of case management: ids in, one service call."""

from __future__ import annotations

from django_tasks import task


@task(queue_name="notifications")
def alerts_send_task(organisation_id: str) -> dict:
    from ponleu.access.actors import system_actor  # tasks import their service inside the body
    from ponleu.organisations.models import Organisation

    from .services.alerts import alerts_send

    if not Organisation.objects.filter(pk=organisation_id, is_active=True).exists():
        return {}
    return alerts_send(actor=system_actor(organisation_id, name="alerts"))
