"""The menu: each entry names the capability it needs, so nobody sees what they cannot use."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: object
    capability: str


MENU: list[NavItem] = [
    NavItem("web:home", _("Home"), "web.use"),
    NavItem("registry:person_list", _("People"), "registry.view"),
    NavItem("cases:case_list", _("Cases"), "cases.view"),
    NavItem("referrals:referral_list", _("Referrals"), "referrals.view"),
    NavItem("referrals:directory", _("Services"), "directory.view"),
    NavItem("family_support:plan_list", _("Family support"), "family_support.view"),
    NavItem("programmes:group_list", _("Programmes"), "programmes.view"),
    NavItem("nutrition:home", _("Nutrition"), "nutrition.view"),
    NavItem("employment:youth_list", _("Youth employment"), "employment.view"),
    NavItem("maternal:pregnancy_list", _("Pregnancies"), "maternal.view"),
    NavItem("scholarships:scheme_list", _("Scholarships"), "scholarships.view"),
    NavItem("early_childhood:nursery_list", _("Nurseries"), "programmes.view"),
    NavItem("education:school_list", _("Schools"), "education.take_attendance"),
    NavItem("education:school_manage", _("School setup"), "education.manage"),
    NavItem("early_warning:risk_list", _("Dropout risk"), "ews.view_scores"),
    NavItem("reporting:report_list", _("Reports"), "reports.view"),
    NavItem("audit:event_list", _("Audit"), "audit.view"),
    NavItem("accounts:users", _("Users"), "users.manage"),
    NavItem("web:policy", _("Roles"), "users.manage"),
    NavItem("cases:case_type_list", _("Case types"), "organisation.manage"),
    NavItem("collection:form_list", _("Field forms"), "collection.manage"),
    NavItem("notifications:inbox", _("Messages"), "web.use"),
    NavItem("accounts:devices", _("Devices"), "web.use"),
    NavItem("collection:device", _("ODK Collect"), "collection.submit"),
]


# On a phone the bottom bar holds this many of the role's sections (the first in MENU's
# order, which puts the daily work first); the rest open from "More".
PRIMARY = 4


def menu_for(actor) -> list[dict]:
    items = []
    for item in MENU:
        if not actor.can(item.capability):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # the feature is not installed in this build
        items.append(
            {"url": url, "label": item.label, "name": item.url_name, "primary": len(items) < PRIMARY}
        )
    return items
