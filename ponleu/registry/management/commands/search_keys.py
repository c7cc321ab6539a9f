"""Rebuild the registry's search keys: after a change to the names engine, or after people
were written without the registry's services (a bulk load from another system).

    ponleu search_keys rebuild                    # everyone
    ponleu search_keys rebuild --organisation sabay
    ponleu search_keys missing                    # only people who have no keys at all
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ponleu.organisations.models import Organisation
from ponleu.registry.models import Person, PersonSearchKey
from ponleu.registry.services import search_keys

CHUNK = 5000


class Command(BaseCommand):
    help = "Rebuild the search keys of people (all, or only those without keys)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "missing"])
        parser.add_argument("--organisation", help="short name of one organisation")

    def handle(self, *args, action, organisation, **options):
        people = Person.objects.active().order_by("pk")
        if organisation:
            org = Organisation.objects.filter(short_name=organisation).first()
            if org is None:
                raise CommandError(f"no organisation {organisation!r}")
            people = people.filter(organisation=org)
        if action == "missing":
            people = people.exclude(pk__in=PersonSearchKey.objects.values("person_id"))
        ids = list(people.values_list("pk", flat=True))
        written = 0
        for start in range(0, len(ids), CHUNK):
            with transaction.atomic():
                chunk = list(Person.objects.filter(pk__in=ids[start : start + CHUNK]))
                written += search_keys.rebuild(chunk)
            self.stdout.write(f"  {min(start + CHUNK, len(ids)):,} / {len(ids):,} people")
        self.stdout.write(f"search keys: {written:,} keys for {len(ids):,} people")
