"""Scholarship schemes: created on a project the actor manages scholarships for."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ponleu.audit import services as audit
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.programmes.models import Project
from ponleu.programmes.services.base import choice, date, required_text
from ponleu.scholarships.choices import Currency, Schedule, SchemeKind, ScholarshipAction
from ponleu.scholarships.models import IDPOOR_LEVELS, Scheme
from ponleu.scholarships.money import parse_amount

MANAGE = "scholarships.manage"


def _grade(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        grade = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a grade from 1 to 12."), field=field) from None
    if not 1 <= grade <= 12:
        raise ValidationFailed(_("Enter a grade from 1 to 12."), field=field)
    return grade


def _percent(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        percent = int(value)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        raise ValidationFailed(
            _("Give the attendance condition as a percentage, 0 to 100."), field="min_attendance_percent"
        )
    return percent


@transaction.atomic
def scheme_create(*, actor, project: Project, data: dict) -> Scheme:
    """``amount`` and ``budget`` are typed amounts ("15.50" dollars, "60000" riel)."""
    if not Project.objects.actionable_by(actor, MANAGE).filter(pk=project.pk).exists():
        raise PermissionDenied()
    currency = choice(data.get("currency"), Currency, field="currency")
    amount = parse_amount(data.get("amount"), currency)
    if not amount:
        raise ValidationFailed(_("Enter the amount per period, above zero."), field="amount")
    budget = parse_amount(data.get("budget") or "0", currency)
    if budget is None:
        raise ValidationFailed(_("Enter the budget as an amount in the scheme's currency."), field="budget")
    opens_on = date(data.get("opens_on"), field="opens_on")
    closes_on = date(data.get("closes_on"), field="closes_on")
    if closes_on < opens_on:
        raise ValidationFailed(_("The last day is before the first."), field="closes_on")
    levels = [str(v) for v in data.get("idpoor_levels") or ()]
    if any(level not in IDPOOR_LEVELS for level in levels):
        raise ValidationFailed(_("Choose IDPoor level 1 or 2."), field="idpoor_levels")
    grade_min = _grade(data.get("grade_min"), "grade_min")
    grade_max = _grade(data.get("grade_max"), "grade_max")
    if grade_min and grade_max and grade_max < grade_min:
        raise ValidationFailed(_("The last grade is below the first."), field="grade_max")
    scheme = Scheme(
        organisation_id=project.organisation_id,
        project=project,
        name=required_text(data.get("name"), field="name"),
        kind=choice(data.get("kind"), SchemeKind, field="kind"),
        currency=currency,
        amount=amount,
        schedule=choice(data.get("schedule"), Schedule, field="schedule"),
        budget=budget,
        opens_on=opens_on,
        closes_on=closes_on,
        idpoor_levels=levels,
        requires_hiv_affected=bool(data.get("requires_hiv_affected")),
        requires_orphan=bool(data.get("requires_orphan")),
        requires_disability=bool(data.get("requires_disability")),
        requires_risk_flag=bool(data.get("requires_risk_flag")),
        grade_min=grade_min,
        grade_max=grade_max,
        min_attendance_percent=_percent(data.get("min_attendance_percent")),
        requires_promotion=bool(data.get("requires_promotion")),
        takes_early_warning=bool(data.get("takes_early_warning")),
        created_by_id=actor.user_id,
    )
    try:
        with transaction.atomic():
            scheme.save()
    except IntegrityError:
        raise ValidationFailed(
            _("A scheme of this organisation already has this name."), field="name"
        ) from None
    audit.record(
        actor=actor,
        action=ScholarshipAction.SCHEME_CREATED,
        target=scheme,
        changes={"project": [None, str(project.pk)], "amount": [None, amount], "currency": [None, currency]},
    )
    return scheme
