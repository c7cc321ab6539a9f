"""`ponleu cases`: case management chores.

    ponleu cases alerts                                  # queue overdue alerts (a daily timer)
    ponleu cases configure --organisation SHORT [FILE]   # case types and instruments from a file

``configure`` gives the organisation the case types and instruments of FILE (a file shaped like
``cases/data/standard.yaml``) that it lacks, or the standard ones without FILE: the same loader
and the same service as the configuration screen's "add the standard types".
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ponleu.access.actors import system_actor
from ponleu.cases.services.configuration import configuration_seed
from ponleu.cases.tasks import alerts_send_task
from ponleu.common.errors import DomainError
from ponleu.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Case management chores: 'alerts' tells owners of overdue actions and missed safety-plan deadlines; "
        "'configure' adds an organisation's case types and instruments from a file (default: the standard set)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["alerts", "configure"])
        parser.add_argument(
            "file", nargs="?", default=None, help="configure: a case configuration file (YAML)."
        )
        parser.add_argument("--organisation", default=None, help="configure: the organisation's short name.")

    def handle(self, *args, action, **options):
        if action == "configure":
            self._configure(options["organisation"], options["file"])
            return
        ids = [str(pk) for pk in Organisation.objects.filter(is_active=True).values_list("pk", flat=True)]
        for organisation_id in ids:
            transaction.on_commit(
                lambda organisation_id=organisation_id: alerts_send_task.enqueue(organisation_id)
            )
        self.stdout.write(f"alerts queued for {len(ids)} organisation(s)")

    def _configure(self, short_name, file):
        if not short_name:
            raise CommandError("configure needs --organisation SHORT_NAME")
        organisation = Organisation.objects.filter(is_active=True, short_name=short_name).first()
        if organisation is None:
            raise CommandError(f"no active organisation {short_name!r}")
        source = Path(file) if file else None
        if source is not None and not source.is_file():
            raise CommandError(f"no file {file!r}")
        try:
            added = configuration_seed(
                actor=system_actor(organisation.pk, name="cases-configure"),
                organisation=organisation,
                source=source,
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"{organisation.short_name}: {added} case type(s) and instrument(s) added")
