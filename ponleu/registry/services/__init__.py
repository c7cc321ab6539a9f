"""Every write to the registry: validated, permission-checked again, audited in its transaction."""

from ponleu.common.versions import VersionMissing

from . import cleaning, search_keys
from .consent import consent_record, consent_withdraw
from .functioning import functioning_record
from .households import (
    household_create,
    household_member_add,
    household_member_change,
    household_member_remove,
    household_update,
    idpoor_record,
)
from .merge import person_merge, person_unmerge
from .people import (
    alias_add,
    alias_remove,
    identifier_add,
    identifier_remove,
    person_create,
    person_phone_add,
    person_phone_remove,
    person_photo_set,
    person_update,
)

__all__ = [
    "VersionMissing",
    "alias_add",
    "alias_remove",
    "cleaning",
    "consent_record",
    "consent_withdraw",
    "functioning_record",
    "household_create",
    "household_member_add",
    "household_member_change",
    "household_member_remove",
    "household_update",
    "identifier_add",
    "identifier_remove",
    "idpoor_record",
    "person_create",
    "person_merge",
    "person_phone_add",
    "person_phone_remove",
    "person_photo_set",
    "person_unmerge",
    "person_update",
    "search_keys",
]
