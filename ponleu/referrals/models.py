"""The service directory (shared by the installation: providers are not personal data) and
referrals of children to its services, with what the receiving organisation may see.

A referral belongs to the referring organisation's scope. The receiving organisation reaches
it, and its ``SharedRecord``, only through the "shared with us" scope while the referral is
sent and not withdrawn and its consent (or approved legal exception) still stands.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ponleu.access.scoping import ScopedQuerySet, Scoping, SharedWith
from ponleu.cases.models import Case
from ponleu.common import clock
from ponleu.common.models import TimestampedModel, VersionedModel
from ponleu.early_warning.models import Flag
from ponleu.geography.models import AdminUnit
from ponleu.organisations.models import Organisation, Team
from ponleu.registry.models import Consent, Household, Person

from .choices import (
    FINAL_STATUSES,
    SHARING_STATUSES,
    Cost,
    DeclineReason,
    LegalException,
    ProviderKind,
    ReferralOrigin,
    ReferralStatus,
    ServiceType,
    Urgency,
)


class ProviderQuerySet(models.QuerySet):
    def manageable_by(self, actor):
        """The entries an administrator may change: every one for an administrator without
        assigned areas; for one whose reach is some areas, those located in them (an entry
        with no place: one serving a unit in them). Everyone may read the directory; this is
        who may write it, and ``in_reach`` is the same rule for where an entry is saved."""
        if not actor.can("directory.manage"):
            return self.none()
        if not actor.area_codes:
            return self
        where = Q()
        for code in actor.area_codes:
            serves = ProviderArea.objects.filter(provider=OuterRef("pk"), unit__code__startswith=code)
            where |= Q(location__code__startswith=code) | (Q(location__isnull=True) & Exists(serves))
        return self.filter(where)


def in_reach(actor, location, served_codes) -> bool:
    """May an administrator place an entry here (``location``, or with none the units it
    serves)? The rule of ``ProviderQuerySet.manageable_by``, so what one saves stays theirs."""
    if not actor.area_codes:
        return True
    if location is not None:
        return any(location.code.startswith(code) for code in actor.area_codes)
    return any(unit.startswith(code) for unit in served_codes for code in actor.area_codes)


class Provider(VersionedModel):
    """A place that offers services: a health centre, a school, a commune committee, an NGO."""

    kind = models.CharField(_("kind"), max_length=30, choices=ProviderKind.choices)
    name_km = models.CharField(_("name (Khmer)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    # The organisation on this installation that runs it, if any: referrals to it go to its staff.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation on Ponleu"),
    )
    location = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("where")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    accessibility = models.JSONField(_("accessibility"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # A business or workshop that offers internships and jobs to young people (youth employment
    # records its offers); it may offer services to refer to as well, or none.
    is_employer = models.BooleanField(_("employer"), default=False)
    # The day an administrator last saved the entry (checked it against the place itself).
    verified_on = models.DateField(_("last checked on"), null=True, blank=True, editable=False)
    # A user said something in the entry is wrong (closed, moved, another phone): until an
    # administrator saves it again.
    flagged_on = models.DateField(_("reported wrong on"), null=True, blank=True, editable=False)
    flag_note = models.CharField(_("what is wrong"), max_length=300, blank=True, editable=False)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["name_km"]

    def __str__(self) -> str:
        return self.name_km

    def name(self, language: str | None = None) -> str:
        if language != "km" and self.name_en:
            return self.name_en
        return self.name_km


class ProviderService(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=30, choices=ServiceType.choices)
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "service"], name="provider_service_once"),
        ]
        indexes = [models.Index(fields=["service", "cost", "provider"], name="provider_service_search")]


class ProviderArea(models.Model):
    """A unit a provider serves: a commune, or a whole district or province."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="areas")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "unit"], name="provider_area_once")]
        indexes = [models.Index(fields=["unit", "provider"], name="provider_area_unit")]


def sharing_open(today) -> Q:
    """Sent, not withdrawn or ended, and covered today: by its consent (not withdrawn, not
    expired) or by a legal exception a supervisor approved."""
    consent_stands = (
        Q(consent__isnull=False)
        & Q(consent__withdrawn_at__isnull=True)
        & (Q(consent__valid_until__isnull=True) | Q(consent__valid_until__gte=today))
    )
    return (
        Q(status__in=[status.value for status in SHARING_STATUSES])
        & Q(sharing_ended_at__isnull=True)
        & (consent_stands | Q(exception_approved_at__isnull=False))
    )


class ReferralQuerySet(ScopedQuerySet):
    scoping = Scoping(
        view="referrals.view",
        shared=SharedWith(
            view="referrals.receive",
            organisation="receiver",
            team="receiver_team",
            owner="receiver_owner",
            open_when=lambda: sharing_open(clock.today()),
            acts=("referrals.accept",),
        ),
    )

    def open(self):
        return self.exclude(status__in=FINAL_STATUSES)


class Referral(VersionedModel):
    # The referring side: the scope of the organisation that refers.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=8, blank=True, db_index=True, editable=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(_("reference number"), max_length=20, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("child")
    )
    origin = models.CharField(_("referred from"), max_length=20, choices=ReferralOrigin.choices)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    # The dropout-risk flag the referral answers, when it came from one.
    risk_flag = models.ForeignKey(
        Flag, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service provider")
    )
    service = models.CharField(_("service"), max_length=30, choices=ServiceType.choices)
    # The receiving side, when the provider is an organisation on this installation.
    receiver = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receiver_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receiver_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    receiver_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # The case the receiving organisation opened for the child when it accepted (its own).
    receiver_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    reason = models.TextField(_("reason for referral"))
    urgency = models.CharField(_("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.ROUTINE)
    shared_fields = models.JSONField(_("shared with the receiver"), default=list, blank=True)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    legal_exception = models.CharField(
        _("legal exception"), max_length=20, choices=LegalException.choices, blank=True
    )
    legal_exception_note = models.TextField(_("legal exception: details"), blank=True)
    exception_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    exception_approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    due_on = models.DateField(_("next step due"), null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    send_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(_("declining: details"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    family_said = models.TextField(_("what the family said"), blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    sharing_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"], name="referral_org_status_due"),
            models.Index(fields=["receiver", "status", "due_on"], name="referral_receiver_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(receiver=models.F("organisation")), name="referral_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        self.area_code = self.person.area_code if self.person_id else ""
        super().save(*args, **kwargs)


class SharedRecord(TimestampedModel):
    """What the receiving organisation sees of the child: only the fields chosen when
    referring; every other column stays empty. Emptied again when sharing ends."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="shared")
    name = models.CharField(max_length=200, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    village = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    urgency = models.CharField(max_length=20, blank=True)
    referrer_contact = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    health = models.TextField(blank=True)
    sensitive = models.TextField(blank=True)

    objects = ScopedQuerySet.declare(via="referral").as_manager()
