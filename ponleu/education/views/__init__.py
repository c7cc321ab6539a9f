"""Education screens: a teacher's classes, the roll call, registers from spreadsheets, marks and
behaviour (``classes``); schools, years, calendars, classes and pupils for administrators (``setup``)."""
