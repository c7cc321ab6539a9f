"""Helpers shared by the case services: checks on dates and members."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from ponleu.access import policy
from ponleu.access.scopes import Scope
from ponleu.cases.choices import CaseStatus
from ponleu.cases.models import Case
from ponleu.common import clock
from ponleu.common.errors import ValidationFailed
from ponleu.notifications.choices import NotificationKind
from ponleu.notifications.services import notify
from ponleu.organisations.models import Membership


def not_in_future(value: dt.date | None, *, field: str) -> None:
    if value is not None and value > clock.today():
        raise ValidationFailed(_("This date is in the future: give the day it happened."), field=field)


def not_before(value: dt.date | None, floor: dt.date | None, *, field: str) -> None:
    if value is not None and floor is not None and value < floor:
        raise ValidationFailed(
            _("This date is before %(date)s, which is not possible here.") % {"date": floor.isoformat()},
            field=field,
        )


def require_text(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("This field is required."), field=field)
    return value


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def caseworker_membership(organisation_id, user_id, *, field: str = "owner") -> Membership:
    """The user must be an active member of the organisation who can work on cases."""
    membership = (
        Membership.objects.filter(
            organisation_id=organisation_id, user_id=user_id, is_active=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if membership is None or policy.scope_of(membership.role, "cases.edit") == Scope.NONE:
        raise ValidationFailed(_("Choose a caseworker of this organisation."), field=field)
    return membership


def tell(users, message_factory, *, case: Case, kind: str = NotificationKind.INFO) -> None:
    """An in-app notice in each recipient's own language; never a child's name, only the link."""
    link = f"/cases/{case.pk}/"
    for user in users:
        if user is None:
            continue
        with translation.override(getattr(user, "language", None) or "km"):
            notify(
                recipients=[user],
                kind=kind,
                message=str(message_factory())[:300],
                link=link,
                organisation_id=case.organisation_id,
            )


def require_active(case: Case) -> None:
    """Work is recorded on open cases and during follow-up; a closed case must be reopened first."""
    if case.status == CaseStatus.CLOSED:
        raise ValidationFailed(
            _("The case is closed: reopen it before recording anything on it."), field="case"
        )
