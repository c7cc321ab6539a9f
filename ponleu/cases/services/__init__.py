"""Every write to a case goes through these services: checked, version-checked, audited, atomic.

``cases`` opens, edits, moves and assigns cases; ``work`` records assessments, plans and
services; ``contact`` notes, attachments and conferences; ``care`` placements, reunification
and follow-up; ``configuration`` the organisation's case types and instruments.
"""
