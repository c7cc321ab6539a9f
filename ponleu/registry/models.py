"""Children, caregivers and households, and what is recorded about them.

Every query for people starts from ``Person.objects.visible_to(actor)``: the one choke
point that applies organisation, area, team and caseload scope. Rows that hang off a person
(phones, identifiers, consents, functioning answers) are read through a visible person; the
search-key table carries the person's scope columns so that it is filtered by the same rule.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from ponleu.access.models import ScopedRecord
from ponleu.access.scoping import ScopedQuerySet, Scoping
from ponleu.common import clock
from ponleu.common.models import TimestampedModel, user_link
from ponleu.encryption.storage import encrypted_storage
from ponleu.organisations.models import Organisation, Team

from .choices import (
    AliasSource,
    ChildAssent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
    DatePrecision,
    FunctioningModule,
    FunctioningRespondent,
    IdentifierType,
    IDPoorSource,
    IDPoorStatus,
    MigrationDestination,
    NameScript,
    PersonKind,
    PhoneOwner,
    ProviderKind,
    Relationship,
    Sex,
)
from .validators import CHILD_AGE_LIMIT, age_on


class PersonQuerySet(ScopedQuerySet):
    scoping = Scoping(view="registry.view")

    def active(self):
        return self.filter(merged_into__isnull=True)

    def merge_group_ids(self, person) -> list:
        """The person, the record they were merged into, and every record merged into either
        (merges can chain: A into B, then B into C)."""
        root = person
        seen = {root.pk}
        while root.merged_into_id is not None and root.merged_into_id not in seen:
            root = self.model.objects.only("id", "merged_into_id").get(pk=root.merged_into_id)
            seen.add(root.pk)
        group = [root.pk]
        frontier = [root.pk]
        while frontier:
            found = self.model.objects.filter(merged_into_id__in=frontier).values_list("id", flat=True)
            frontier = [pk for pk in found if pk not in group]
            group.extend(frontier)
        return group


# Rows that belong to a person are visible when the person is.
PersonRowQuerySet = ScopedQuerySet.declare(via="person")


class Household(ScopedRecord):
    address_detail = models.CharField(_("house, street or group"), max_length=200, blank=True)
    # Current IDPoor status, copied from the latest IDPoorAssessment (kept for filtering).
    idpoor_status = models.CharField(
        _("IDPoor status"), max_length=20, choices=IDPoorStatus.choices, default=IDPoorStatus.NOT_ASSESSED
    )
    equity_card_number = models.CharField(_("equity card number"), max_length=40, blank=True)
    parents_away = models.CharField(
        _("parents working away"), max_length=20, choices=MigrationDestination.choices, blank=True
    )
    is_single_parent = models.BooleanField(_("single-parent household"), default=False)
    is_child_headed = models.BooleanField(_("child-headed household"), default=False)
    income_sources = models.JSONField(_("income sources"), default=list, blank=True)

    objects = ScopedQuerySet.declare(view="registry.view").as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["organisation", "area_code"], name="household_org_area")]

    def __str__(self) -> str:
        return f"{_('Household')} {str(self.pk)[:8]}"


# Undated results (self-reported, card not seen) sort after dated ones on both databases.
IDPOOR_NEWEST_FIRST = (models.F("assessed_on").desc(nulls_last=True), "-created_at")


class IDPoorAssessment(TimestampedModel):
    """One IDPoor result for a household; the newest (by date) is the household's status."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="idpoor_history")
    status = models.CharField(_("IDPoor status"), max_length=20, choices=IDPoorStatus.choices)
    card_number = models.CharField(_("equity card number"), max_length=40, blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=IDPoorSource.choices, default=IDPoorSource.UNKNOWN
    )
    is_card_seen = models.BooleanField(_("card seen by the worker"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.declare(via="household").as_manager()

    class Meta:
        verbose_name = _("IDPoor assessment")
        verbose_name_plural = _("IDPoor assessments")
        ordering = IDPOOR_NEWEST_FIRST

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.assessed_on or ''}".strip()


class Person(ScopedRecord):
    """A child, caregiver or other household member.

    ``kind`` says why the record exists; ``is_child`` says whether the person is under 18 today.
    Names are kept as typed (NFC); matching uses ``PersonSearchKey``.
    """

    owner = user_link(_("responsible worker"))
    kind = models.CharField(
        _("registered as"), max_length=10, choices=PersonKind.choices, default=PersonKind.CHILD
    )
    family_name_km = models.CharField(_("family name (Khmer)"), max_length=80, blank=True)
    given_name_km = models.CharField(_("given name (Khmer)"), max_length=80, blank=True)
    family_name_latin = models.CharField(_("family name (Latin letters)"), max_length=80, blank=True)
    given_name_latin = models.CharField(_("given name (Latin letters)"), max_length=80, blank=True)
    nickname = models.CharField(_("nickname"), max_length=80, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    date_of_birth_precision = models.CharField(
        _("date of birth known to"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Sealed at rest under a random name; served only by an audited view, never by URL.
    photo = models.FileField(
        _("photo"), storage=encrypted_storage, upload_to="registry/photos/", blank=True, editable=False
    )
    is_sensitive = models.BooleanField(_("sensitive record"), default=False)
    # The latest functioning assessment's overall flag (None: never assessed), for filtering.
    has_functional_difficulty = models.BooleanField(_("functional difficulty"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    merged_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["organisation", "area_code"], name="person_org_area"),
            models.Index(fields=["organisation", "created_at", "id"], name="person_org_created"),
        ]

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        khmer = " ".join(p for p in (self.family_name_km, self.given_name_km) if p)
        latin = " ".join(p for p in (self.family_name_latin, self.given_name_latin) if p)
        if language == "km":
            return khmer or latin or self.nickname
        return latin or khmer or self.nickname

    def initials(self) -> str:
        parts = [p for p in (self.family_name_latin, self.given_name_latin) if p] or [
            p for p in (self.family_name_km, self.given_name_km) if p
        ]
        return ". ".join(p[0].upper() for p in parts) + "." if parts else "?"

    def age_on(self, day: dt.date) -> int | None:
        return age_on(self.date_of_birth, day)

    @property
    def age(self) -> int | None:
        return self.age_on(clock.today())

    @property
    def is_child(self) -> bool:
        """Under 18 today; unknown dates of birth count as children when registered as one."""
        age = self.age
        if age is None:
            return self.kind == PersonKind.CHILD
        return age < CHILD_AGE_LIMIT

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class PersonAlias(TimestampedModel):
    """Another spelling or name the person is known by (and where it was seen)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=160)
    script = models.CharField(_("script"), max_length=10, choices=NameScript.choices)
    source = models.CharField(
        _("source"), max_length=20, choices=AliasSource.choices, default=AliasSource.SPELLING
    )

    objects = PersonRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [models.UniqueConstraint(fields=["person", "name"], name="alias_once_per_person")]

    def __str__(self) -> str:
        return self.name


class PersonPhone(TimestampedModel):
    """A phone number, stored as E.164; phones are often shared, so each says whose it is."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = PhoneNumberField(_("phone number"), db_index=True)
    owner = models.CharField(_("whose phone"), max_length=20, choices=PhoneOwner.choices)
    owner_name = models.CharField(_("owner's name"), max_length=120, blank=True)

    objects = PersonRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        constraints = [models.UniqueConstraint(fields=["person", "number"], name="phone_once_per_person")]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_owner_display()})"


class Identifier(TimestampedModel):
    """A document number, unique per type within the organisation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    type = models.CharField(_("document"), max_length=20, choices=IdentifierType.choices)
    value = models.CharField(_("number"), max_length=40)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)

    objects = PersonRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "type", "value"], name="identifier_unique_per_org_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.value}"


class HouseholdMember(TimestampedModel):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    is_primary_caregiver = models.BooleanField(_("primary caregiver"), default=False)

    # A household's roster: each member's identity is still decided for that member.
    objects = ScopedQuerySet.declare(via="household").as_manager()

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(fields=["household", "person"], name="household_member_once"),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(is_primary_caregiver=True),
                name="household_one_primary_caregiver",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"


class FunctioningQuestionText(models.Model):
    """The configured wording of one Child Functioning Module item in one language."""

    module = models.CharField(_("module"), max_length=10, choices=FunctioningModule.choices)
    item = models.CharField(_("item"), max_length=40)
    language = models.CharField(_("language"), max_length=10)
    text = models.TextField(_("question"))

    class Meta:
        verbose_name = _("functioning question text")
        verbose_name_plural = _("functioning question texts")
        constraints = [
            models.UniqueConstraint(fields=["module", "item", "language"], name="functioning_text_once")
        ]

    def __str__(self) -> str:
        return f"{self.module}/{self.item} [{self.language}]"


class FunctioningAssessment(TimestampedModel):
    """Child Functioning Module answers on one date, with the derived domains."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="functioning_assessments")
    assessed_on = models.DateField(_("assessed on"))
    module = models.CharField(_("module"), max_length=10, choices=FunctioningModule.choices)
    version = models.CharField(max_length=20, editable=False)
    respondent = models.CharField(_("answered by"), max_length=20, choices=FunctioningRespondent.choices)
    answers = models.JSONField(default=dict)
    difficulty_domains = models.JSONField(default=list, editable=False)
    has_functional_difficulty = models.BooleanField(default=False, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PersonRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("functioning assessment")
        verbose_name_plural = _("functioning assessments")
        ordering = ["-assessed_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_module_display()} {self.assessed_on}"


class ConsentQuerySet(ScopedQuerySet):
    scoping = Scoping(via="person")

    def in_force(self, on: dt.date | None = None):
        """Given on or before ``on``, not expired, not withdrawn (withdrawal counts at once)."""
        day = on or clock.today()
        current = self.filter(given_on__lte=day).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        if on is None:
            return current.filter(withdrawn_at__isnull=True)
        return current.filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_on__gt=day))


class Consent(TimestampedModel):
    """Who agreed to what, when and how; withdrawing ends it immediately."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    # For "share": the organisation in Ponleu, or the name of one outside it.
    recipient = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("shared with"),
    )
    recipient_name = models.CharField(_("shared with (organisation name)"), max_length=200, blank=True)
    # Or every provider of one kind (any health centre), for services outside Ponleu.
    recipient_kind = models.CharField(
        _("shared with (kind of service)"), max_length=30, choices=ProviderKind.choices, blank=True
    )
    # What may be shared; empty means DEFAULT_DATA_CATEGORIES (name, sex, age, village, reason).
    data_categories = models.JSONField(_("what may be shared"), default=list, blank=True)
    child_assent = models.CharField(
        _("the child's assent"), max_length=20, choices=ChildAssent.choices, default=ChildAssent.NOT_ASKED
    )
    given_by = models.CharField(_("given by"), max_length=20, choices=ConsentGiver.choices)
    given_by_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_by_name = models.CharField(_("name of the person giving consent"), max_length=160, blank=True)
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    method = models.CharField(_("how it was recorded"), max_length=20, choices=ConsentMethod.choices)
    witness_name = models.CharField(_("witness"), max_length=160, blank=True)
    # The signed form, sealed at rest like the photo.
    form_file = models.FileField(
        _("signed form"), storage=encrypted_storage, upload_to="registry/consent/", blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_on = models.DateField(null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-created_at"]
        indexes = [models.Index(fields=["person", "purpose"], name="consent_person_purpose")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.given_on}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def recipient_label(self) -> str:
        if self.recipient_id:
            return str(self.recipient)
        if self.recipient_kind and not self.recipient_name:
            return str(self.get_recipient_kind_display())
        return self.recipient_name


class PersonSearchKey(models.Model):
    """One match key of one person (from ``registry.names``), with the person's scope columns.

    Maintained by the services on every write that changes names, aliases, scope or merge
    state; merged-away people have no keys. ``visible_to`` applies the same rule as to people,
    on the copied columns, so candidate lookups need no join.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_keys")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    area_code = models.CharField(max_length=8, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key = models.CharField(max_length=64)

    # The person's scope, on the copied columns: candidate lookups need no join.
    objects = ScopedQuerySet.declare(view="registry.view").as_manager()

    class Meta:
        verbose_name = _("search key")
        verbose_name_plural = _("search keys")
        indexes = [
            # Covering on PostgreSQL: a candidate lookup (key, scope columns, person) reads the
            # index alone. SQLite ignores ``include`` and keeps the plain index.
            models.Index(
                fields=["organisation", "key"],
                include=["person", "area_code", "team", "owner"],
                name="searchkey_org_key_cover",
            ),
            models.Index(fields=["person"], name="searchkey_person"),
        ]

    def __str__(self) -> str:
        return self.key
