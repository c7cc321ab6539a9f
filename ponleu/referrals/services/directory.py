"""Maintaining the service directory: organisation administrators add and change providers;
every change is an audit row with the fields before and after (the provider's history)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import Conflict, PermissionDenied, ValidationFailed
from ponleu.geography.models import AdminUnit
from ponleu.organisations.models import Organisation
from ponleu.referrals.choices import Accessibility, Cost, DirectoryAction, ProviderKind, ServiceType
from ponleu.referrals.models import Provider, ProviderArea, ProviderService, in_reach

TEXT_FIELDS = {"name_km": 200, "name_en": 200, "address": 300, "phone": 40, "hours": 200}
AUDITED = (
    "kind",
    "name_km",
    "name_en",
    "organisation_id",
    "location_id",
    "address",
    "phone",
    "hours",
    "languages",
    "accessibility",
    "is_active",
    "is_employer",
    "verified_on",
    "flagged_on",
    "flag_note",
)
REPORT_LIMIT = 300


def clean_provider(data: dict) -> tuple[dict, list, list, dict]:
    """A provider's values, its (service, cost, note) rows and the units it serves, with the
    errors by field: the form, the API and the spreadsheet import all check through it."""
    errors: dict = {}
    values: dict = {}
    for name, limit in TEXT_FIELDS.items():
        text = " ".join(str(data.get(name) or "").split())
        if len(text) > limit:
            errors[name] = [_("At most %(limit)s characters.") % {"limit": limit}]
        values[name] = text[:limit]
    if not values["name_km"]:
        errors["name_km"] = [_("Enter the name in Khmer.")]
    if data.get("kind") not in ProviderKind.values:
        errors["kind"] = [_("Choose the kind of provider.")]
    values["kind"] = data.get("kind")
    values["is_active"] = bool(data.get("is_active", True))
    values["is_employer"] = bool(data.get("is_employer", False))
    values["languages"] = sorted({str(x)[:20] for x in data.get("languages") or []})
    access = data.get("accessibility") or []
    if any(a not in Accessibility.values for a in access):
        errors["accessibility"] = [_("Choose accessibility from the list.")]
    values["accessibility"] = sorted(set(access) & set(Accessibility.values))
    location = data.get("location") or None
    values["location"] = None
    if location:
        values["location"] = AdminUnit.objects.filter(pk=str(location)).first()
        if values["location"] is None:
            errors["location"] = [_("Choose a place from the list.")]
    organisation = data.get("organisation") or None
    values["organisation"] = None
    if organisation:
        values["organisation"] = Organisation.objects.filter(pk=str(organisation), is_active=True).first()
        if values["organisation"] is None:
            errors["organisation"] = [_("Choose an organisation from the list.")]
    services = []
    for row, item in enumerate(data.get("services") or [], start=1):
        service, cost = item.get("service"), item.get("cost") or Cost.FREE
        if service not in ServiceType.values or cost not in Cost.values:
            errors.setdefault("services", []).append(
                _("Service %(row)s: choose the service and its cost.") % {"row": row}
            )
            continue
        services.append((service, cost, " ".join(str(item.get("note") or "").split())[:300]))
    if not services and "services" not in errors and not values["is_employer"]:
        errors["services"] = [_("Name at least one service.")]
    if len({s for s, _c, _n in services}) != len(services):
        errors["services"] = [_("Each service once.")]
    codes = [str(c) for c in data.get("areas") or []]
    units = list(AdminUnit.objects.filter(pk__in=codes))
    if len(units) != len(set(codes)):
        errors["areas"] = [_("Choose the communes served from the list.")]
    elif not units:
        errors["areas"] = [_("Choose at least one commune, district or province served.")]
    return values, services, units, errors


@transaction.atomic
def provider_save(*, actor, data: dict, provider: Provider | None = None, version=None) -> Provider:
    """Add a provider, or change one (``version`` as read); the services and areas given replace
    the old ones. Nothing is saved unless all is valid. Saving is checking: the entry counts as
    checked today, and a report that it was wrong is answered."""
    if not actor.can("directory.manage"):
        raise PermissionDenied()
    if provider is not None and not Provider.objects.manageable_by(actor).filter(pk=provider.pk).exists():
        raise PermissionDenied()  # another area's entry: the interfaces already answer 404
    values, services, units, errors = clean_provider(data)
    if not (errors.get("location") or errors.get("areas")) and not in_reach(
        actor, values["location"], [unit.pk for unit in units]
    ):
        errors["location"] = [_("Choose a place in the areas you look after.")]
    if errors:
        raise ValidationFailed(errors=errors)
    values |= {"verified_on": clock.today(), "flagged_on": None, "flag_note": ""}
    if provider is None:
        provider = Provider(**values)
        provider.save(force_insert=True)
        before = {}
        action = DirectoryAction.PROVIDER_CREATED
    else:
        try:
            expected = int(version)
        except (TypeError, ValueError):
            raise ValidationFailed(
                _("The record's version is missing; reload the page."), field="version"
            ) from None
        if not Provider.objects.filter(pk=provider.pk, version=expected).update(version=F("version") + 1):
            raise Conflict()
        provider.refresh_from_db()
        before = {**audit.snapshot(provider, AUDITED), **_links(provider)}
        for name, value in values.items():
            setattr(provider, name, value)
        provider.save()
        action = DirectoryAction.PROVIDER_CHANGED
    ProviderService.objects.filter(provider=provider).delete()
    ProviderService.objects.bulk_create(
        [ProviderService(provider=provider, service=s, cost=c, note=n) for s, c, n in services]
    )
    ProviderArea.objects.filter(provider=provider).delete()
    ProviderArea.objects.bulk_create([ProviderArea(provider=provider, unit=u) for u in units])
    after = {**audit.snapshot(provider, AUDITED), **_links(provider)}
    audit.record(actor=actor, action=action, target=provider, changes=audit.diff(before, after))
    return provider


@transaction.atomic
def provider_report(*, actor, provider: Provider, note: str) -> Provider:
    """A user says the entry is wrong (closed, moved, another phone): the administrators find it
    among the directory entries to check until one of them saves it again."""
    if not actor.can("directory.view"):
        raise PermissionDenied()
    text = " ".join(str(note or "").replace("\x00", "").split())
    if not text:
        raise ValidationFailed(_("Say what is wrong in this entry."), field="note")
    if len(text) > REPORT_LIMIT:
        raise ValidationFailed(_("At most %(limit)s characters.") % {"limit": REPORT_LIMIT}, field="note")
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    before = audit.snapshot(provider, ("flagged_on", "flag_note"))
    provider.flagged_on = clock.today()
    provider.flag_note = text
    provider.version += 1
    provider.save(update_fields=["flagged_on", "flag_note", "version", "updated_at"])
    after = audit.snapshot(provider, ("flagged_on", "flag_note"))
    audit.record(
        actor=actor,
        action=DirectoryAction.PROVIDER_REPORTED,
        target=provider,
        changes=audit.diff(before, after),
    )
    return provider


def _links(provider: Provider) -> dict:
    return {
        "services": sorted(f"{s}:{c}" for s, c in provider.services.values_list("service", "cost")),
        "areas": sorted(provider.areas.values_list("unit_id", flat=True)),
    }
