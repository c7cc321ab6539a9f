"""The early warning's one announcement: a scholarship was decided on a flag (after the commit).

The scholarships app, which sits above this one, listens and makes the award in the scheme that
takes such decisions; early_warning never imports it.

    scholarship_decided.send(sender=Intervention, intervention_id=..., actor=actor)
"""

from django.dispatch import Signal

scholarship_decided = Signal()
