"""Every write to schools, calendars, classes, enrolments, attendance and marks: checked, audited, atomic.

``schools`` sets up schools, academic years, terms, calendar days and classes; ``enrolment``
enrols pupils and records how their year ends; ``attendance`` takes roll calls, corrects past
days and imports registers; ``marks`` records test scores and behaviour incidents.
"""
