"""An organisation's case types and assessment instruments."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.cases import standard
from ponleu.cases.choices import CaseAction, MosvyForm, ServiceType
from ponleu.cases.models import AssessmentInstrument, CaseType
from ponleu.common.errors import PermissionDenied, ValidationFailed

EDITABLE = (
    "name_km",
    "name_en",
    "name_fr",
    "is_sensitive_default",
    "requires_safety_plan",
    "forms",
    "instruments",
    "service_types",
    "is_active",
)


@transaction.atomic
def configuration_seed(*, actor: Actor, organisation, source: Path | None = None) -> int:
    """Give the organisation the types and instruments it lacks. Returns how many were added.

    ``source`` is the organisation's own configuration file; without one, the standard set. Both
    go through ``standard.load``, so a file that names an unknown choice or lacks a label in one of
    the three languages is refused whole.
    """
    have_types = set(CaseType.objects.filter(organisation=organisation).values_list("code", flat=True))
    have_instruments = set(
        AssessmentInstrument.objects.filter(organisation=organisation).values_list("code", flat=True)
    )
    configuration = (
        standard.load(source, known_instruments=have_instruments)
        if source is not None
        else {"instruments": standard.standard_instruments(), "case_types": standard.standard_case_types()}
    )
    instruments = [
        AssessmentInstrument(organisation=organisation, **spec)
        for spec in configuration["instruments"]
        if spec["code"] not in have_instruments
    ]
    types = [
        CaseType(organisation=organisation, position=index, **spec)
        for index, spec in enumerate(configuration["case_types"])
        if spec["code"] not in have_types
    ]
    AssessmentInstrument.objects.bulk_create(instruments)
    CaseType.objects.bulk_create(types)
    added = len(instruments) + len(types)
    if added:
        audit.record(
            actor=actor,
            action=CaseAction.CONFIGURATION_SEEDED,
            target=("organisations.organisation", str(organisation.pk)),
            changes={
                "case_types": [None, [t.code for t in types]],
                "instruments": [None, [i.code for i in instruments]],
            },
        )
    return added


@transaction.atomic
def case_type_save(*, actor: Actor, case_type: CaseType, data: dict) -> CaseType:
    if not actor.can("organisation.manage") or actor.organisation_id != case_type.organisation_id:
        raise PermissionDenied()
    unknown_forms = set(data.get("forms", [])) - set(MosvyForm.values)
    unknown_services = set(data.get("service_types", [])) - set(ServiceType.values)
    known_instruments = set(
        AssessmentInstrument.objects.filter(organisation_id=case_type.organisation_id).values_list(
            "code", flat=True
        )
    )
    unknown_instruments = set(data.get("instruments", [])) - known_instruments
    for field, unknown in (
        ("forms", unknown_forms),
        ("service_types", unknown_services),
        ("instruments", unknown_instruments),
    ):
        if unknown:
            raise ValidationFailed(
                _("Unknown choice: %(value)s") % {"value": sorted(map(str, unknown))[0]}, field=field
            )
    for field in ("name_km", "name_en"):
        if field in data and not str(data[field]).strip():
            raise ValidationFailed(_("This field is required."), field=field)
    before = audit.snapshot(case_type, EDITABLE)
    for field in EDITABLE:
        if field in data:
            setattr(case_type, field, data[field])
    case_type.save()
    changes = audit.diff(before, audit.snapshot(case_type, EDITABLE))
    audit.record(actor=actor, action=CaseAction.TYPE_SAVED, target=case_type, changes=changes)
    return case_type
