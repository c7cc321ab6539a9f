"""`ponleu cases alerts`: queue the overdue alerts of every organisation (run daily by a timer)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from ponleu.cases.tasks import alerts_send_task
from ponleu.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Case management chores: 'alerts' tells owners of overdue actions and missed safety-plan deadlines."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["alerts"])

    def handle(self, *args, action, **options):
        ids = [str(pk) for pk in Organisation.objects.filter(is_active=True).values_list("pk", flat=True)]
        for organisation_id in ids:
            transaction.on_commit(
                lambda organisation_id=organisation_id: alerts_send_task.enqueue(organisation_id)
            )
        self.stdout.write(f"alerts queued for {len(ids)} organisation(s)")
