"""Marks a database as holding the synthetic demo world (and nothing else)."""

from __future__ import annotations

from django.db import models

from ponleu.common import clock


class DemoWorld(models.Model):
    seed = models.PositiveIntegerField()
    built_at = models.DateTimeField(default=clock.now)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"demo world (seed {self.seed})"
