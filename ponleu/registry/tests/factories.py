"""Small builders for registry tests; they go through the services, as the app does."""

from __future__ import annotations

import datetime as dt

from ponleu.registry import services

THMEI = "02010101"  # Banan district (team A's area)
CHAS = "02010102"  # Banan, same commune
KBAL_THNAL = "02080101"  # Sangkae district (team B's area)
TRAPEANG_THUM = "17070101"  # Siem Reap (the other organisation's area)


def person(actor, **data):
    values = {
        "kind": "child",
        "family_name_km": "សុខ",
        "given_name_km": "ដារ៉ា",
        "family_name_latin": "Sok",
        "given_name_latin": "Dara",
        "sex": "M",
        "date_of_birth": dt.date(2015, 3, 9),
        "village": THMEI,
    }
    values.update(data)
    phones = values.pop("phones", [])
    identifiers = values.pop("identifiers", [])
    return services.person_create(actor=actor, data=values, phones=phones, identifiers=identifiers)


def household(actor, village=THMEI, **data):
    return services.household_create(actor=actor, data={"village": village, **data})
