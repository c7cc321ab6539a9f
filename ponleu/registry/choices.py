from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other")
    UNKNOWN = "U", _("Unknown")


class PersonKind(models.TextChoices):
    """Why the person is in the registry; 'child' is checked against the age rule."""

    CHILD = "child", _("Child or young person served")
    ADULT = "adult", _("Caregiver or other adult")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact date")
    MONTH = "month", _("Month known")
    YEAR = "year", _("Year known")
    ESTIMATED = "estimated", _("Estimated")


class Language(models.TextChoices):
    KHMER = "km", _("Khmer")
    CHAM = "cjm", _("Cham")
    VIETNAMESE = "vi", _("Vietnamese")
    THAI = "th", _("Thai")
    CHINESE = "zh", _("Chinese")
    INDIGENOUS = "indigenous", _("An indigenous language")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SIGN = "sign", _("Sign language")
    OTHER = "other", _("Other")


class NameScript(models.TextChoices):
    KHMER = "km", _("Khmer script")
    LATIN = "latin", _("Latin letters")


class AliasSource(models.TextChoices):
    SPELLING = "spelling", _("Other spelling")
    NICKNAME = "nickname", _("Nickname")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    FAMILY_BOOK = "family_book", _("Family book")
    SCHOOL = "school", _("School records")
    PREVIOUS = "previous", _("Previous name")
    OTHER = "other", _("Other")


class PhoneOwner(models.TextChoices):
    SELF = "self", _("The person")
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    CAREGIVER = "caregiver", _("Caregiver")
    RELATIVE = "relative", _("Relative")
    NEIGHBOUR = "neighbour", _("Neighbour")
    VILLAGE_CHIEF = "village_chief", _("Village chief")
    OTHER = "other", _("Other")


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    CHILD = "child", _("Child")
    AUNT_UNCLE = "aunt_uncle", _("Aunt or uncle")
    GUARDIAN = "guardian", _("Guardian")
    FOSTER_CARER = "foster_carer", _("Foster carer")
    OTHER = "other", _("Other")


class IDPoorStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    NOT_POOR = "not_poor", _("Not poor")
    LEVEL_1 = "level_1", _("IDPoor level 1 (very poor)")
    LEVEL_2 = "level_2", _("IDPoor level 2 (poor)")
    UNKNOWN = "unknown", _("Unknown")


class IDPoorSource(models.TextChoices):
    ROUND = "round", _("Regular IDPoor round")
    ON_DEMAND = "on_demand", _("On-demand assessment")
    SELF_REPORTED = "self_reported", _("Reported by the family")
    UNKNOWN = "unknown", _("Unknown")


class MigrationDestination(models.TextChoices):
    NONE = "", _("Not away")
    OTHER_PROVINCE = "other_province", _("Another province")
    THAILAND = "thailand", _("Thailand")
    OTHER_COUNTRY = "other_country", _("Another country")


class IncomeSource(models.TextChoices):
    FARMING = "farming", _("Farming")
    FISHING = "fishing", _("Fishing")
    DAILY_LABOUR = "daily_labour", _("Daily labour")
    FACTORY = "factory", _("Factory or construction work")
    SMALL_BUSINESS = "small_business", _("Small business or market stall")
    REMITTANCES = "remittances", _("Money sent by relatives")
    SALARY = "salary", _("Salary")
    SOCIAL_ASSISTANCE = "social_assistance", _("Government cash transfer")
    NONE = "none", _("No regular income")
    OTHER = "other", _("Other")


class IdentifierType(models.TextChoices):
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    NATIONAL_ID = "national_id", _("National ID card")
    FAMILY_BOOK = "family_book", _("Family book")
    RESIDENCE_BOOK = "residence_book", _("Residence book")
    PASSPORT = "passport", _("Passport")
    IDPOOR_HOUSEHOLD = "idpoor_household", _("IDPoor household number")
    DISABILITY_CARD = "disability_card", _("Disability card")
    MOSVY_CASE = "mosvy_case", _("MoSVY / Primero case number")
    OSCAR_CLIENT = "oscar_client", _("OSCaR client ID")
    EMIS_STUDENT = "emis_student", _("School (EMIS) student ID")


class FunctioningModule(models.TextChoices):
    CFM_2_4 = "cfm_2_4", _("Child Functioning Module, age 2–4")
    CFM_5_17 = "cfm_5_17", _("Child Functioning Module, age 5–17")


class FunctioningRespondent(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    CAREGIVER = "caregiver", _("Other caregiver")
    CHILD = "child", _("The child")


class ConsentGiver(models.TextChoices):
    CHILD = "child", _("The child")
    CAREGIVER = "caregiver", _("Parent or caregiver")
    GUARDIAN = "guardian", _("Legal guardian")


class ConsentPurpose(models.TextChoices):
    SERVICES = "services", _("Receive services")
    SHARE = "share", _("Share information with a named organisation")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    ANONYMOUS_REPORTING = "anonymous_reporting", _("Anonymous reporting")


class ChildAssent(models.TextChoices):
    """The child's own agreement, asked from ``validators.ASSENT_AGE``; below it, not asked."""

    GIVEN = "given", _("The child agreed")
    REFUSED = "refused", _("The child did not agree")
    NOT_ASKED = "not_asked", _("Not asked (the child is too young)")


class DataCategory(models.TextChoices):
    """What a consent to share covers. A consent naming none covers the first two only."""

    BASIC = "basic", _("Name, sex, age and village")
    REASON = "reason", _("Reason for referral and urgency")
    CONTACT = "contact", _("Phone numbers")
    NOTES = "notes", _("Case notes and assessments")
    HEALTH = "health", _("Health and disability")
    PHOTO = "photo", _("Photo and identity documents")
    SENSITIVE = "sensitive", _("Sensitive details (abuse, exploitation)")


DEFAULT_DATA_CATEGORIES = (DataCategory.BASIC, DataCategory.REASON)


class ProviderKind(models.TextChoices):
    """Kinds of service provider: in the service directory, and as a consent's recipient."""

    HEALTH_CENTRE = "health_centre", _("Health centre")
    REFERRAL_HOSPITAL = "referral_hospital", _("Referral hospital")
    SCHOOL = "school", _("School")
    CCWC = "ccwc", _("Commune committee for women and children")
    DOSVY = "dosvy", _("District office of social affairs")
    POLICE = "police", _("Police")
    COURT = "court", _("Court")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SHELTER = "shelter", _("Shelter")
    NGO_PROGRAMME = "ngo_programme", _("NGO programme")
    VOCATIONAL = "vocational", _("Vocational training centre")
    OTHER = "other", _("Other")


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed form")
    THUMBPRINT = "thumbprint", _("Thumbprint on form")
    VERBAL_WITNESSED = "verbal_witnessed", _("Verbal, with a witness")


class AgeBand(models.TextChoices):
    UNDER_5 = "0-4", _("Under 5")
    AGE_5_11 = "5-11", _("5 to 11")
    AGE_12_17 = "12-17", _("12 to 17")
    AGE_18_24 = "18-24", _("18 to 24")
    ADULT = "25+", _("25 and over")


class PersonAction(models.TextChoices):
    CREATED = "registry.person.created", _("Person registered")
    UPDATED = "registry.person.updated", _("Person updated")
    VIEWED = "registry.person.viewed", _("Person viewed")
    LISTED = "registry.person.listed", _("People listed")
    SEARCHED = "registry.person.searched", _("People searched")
    MATCHED = "registry.person.matched", _("Possible duplicates shown")
    EXPORTED = "registry.person.exported", _("People exported")
    IMPORTED = "registry.person.imported", _("People imported")
    IMPORT_VIEWED = "registry.import.viewed", _("Import job viewed")
    MERGED = "registry.person.merged", _("Records merged")
    UNMERGED = "registry.person.unmerged", _("Merge undone")
    ALIAS_ADDED = "registry.alias.added", _("Alias added")
    ALIAS_REMOVED = "registry.alias.removed", _("Alias removed")
    PHONE_ADDED = "registry.phone.added", _("Phone number added")
    PHONE_REMOVED = "registry.phone.removed", _("Phone number removed")
    IDENTIFIER_ADDED = "registry.identifier.added", _("Identifier added")
    IDENTIFIER_REMOVED = "registry.identifier.removed", _("Identifier removed")
    FUNCTIONING_RECORDED = "registry.functioning.recorded", _("Functioning assessment recorded")
    CONSENT_RECORDED = "registry.consent.recorded", _("Consent recorded")
    CONSENT_WITHDRAWN = "registry.consent.withdrawn", _("Consent withdrawn")
    HOUSEHOLD_CREATED = "registry.household.created", _("Household registered")
    HOUSEHOLD_UPDATED = "registry.household.updated", _("Household updated")
    HOUSEHOLD_VIEWED = "registry.household.viewed", _("Household viewed")
    HOUSEHOLD_LISTED = "registry.household.listed", _("Households listed")
    MEMBER_ADDED = "registry.household.member_added", _("Household member added")
    MEMBER_CHANGED = "registry.household.member_changed", _("Household member changed")
    MEMBER_REMOVED = "registry.household.member_removed", _("Household member removed")
    IDPOOR_RECORDED = "registry.household.idpoor_recorded", _("IDPoor status recorded")
