"""The one signal of the education app: a class's attendance changed (after the commit).

Risk scores are derived from attendance; the early-warning app, which sits above education,
listens and rescores the class at once. Education cannot call it directly without importing
upwards, and nothing else may hang domain logic on this signal (house style: signals are for
derived data and third-party hooks only).

    attendance_changed.send(sender=SchoolClass, school_class_id=..., first_day=date)
"""

from django.dispatch import Signal

attendance_changed = Signal()
