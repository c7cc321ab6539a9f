"""Marks a database as holding the synthetic demo world, and which accounts the demo made.

The demo commands act only on a database whose every user is one of ``accounts``: the demo's
superuser and predictable passwords and second-factor keys must never land beside real ones.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ponleu.common import clock


class DemoWorld(models.Model):
    seed = models.PositiveIntegerField()
    built_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)
    accounts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    def __str__(self) -> str:
        return f"demo world (seed {self.seed})"
