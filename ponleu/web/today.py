"""The "Today" home page: each app's items the actor may see, with something in them, by urgency.

An app with things to ask of people adds its ``today`` module to ``SOURCES`` (see
``ponleu/common/today.py`` for the interface). Items the actor lacks the capability for are
not asked; items with nothing in them are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ponleu.accounts import today as accounts_today
from ponleu.audit import today as audit_today
from ponleu.cases import today as cases_today
from ponleu.collection import today as collection_today
from ponleu.common.today import SHORT_LIST, Entry, Item
from ponleu.early_childhood import today as early_childhood_today
from ponleu.early_warning import today as early_warning_today
from ponleu.education import today as education_today
from ponleu.employment import today as employment_today
from ponleu.family_support import today as family_support_today
from ponleu.jobs import today as jobs_today
from ponleu.maternal import today as maternal_today
from ponleu.nutrition import today as nutrition_today
from ponleu.programmes import today as programmes_today
from ponleu.referrals import today as referrals_today
from ponleu.registry import today as registry_today

# Each app with something to ask of people today; a new app adds its module here.
SOURCES = (
    cases_today,
    referrals_today,
    family_support_today,
    education_today,
    audit_today,
    registry_today,
    accounts_today,
    early_warning_today,
    jobs_today,
    programmes_today,
    nutrition_today,
    employment_today,
    collection_today,
    maternal_today,
    early_childhood_today,
)


@dataclass
class Shown:
    item: Item
    count: int
    url: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


def items_for(actor) -> list[Item]:
    """The items this actor may be asked about, most urgent first."""
    items = [item for source in SOURCES for item in source.ITEMS if actor.can(item.capability)]
    return sorted(items, key=lambda item: (item.urgency, item.key))


def today_for(actor, *, limit: int = SHORT_LIST) -> list[Shown]:
    """Call inside a transaction: the access events of what is shown commit with the reads."""
    shown = []
    served: dict = {}
    for item in items_for(actor):
        found = item.find(actor, limit)
        if found.count:
            shown.append(Shown(item, found.count, item.full_list(actor), list(found.entries)))
            if item.record is not None and found.served:
                served.setdefault(item.record, []).extend(found.served)
    for record, records in served.items():
        record(actor, records)
    return shown


@dataclass(frozen=True)
class FirstStep:
    url_name: str
    label: object
    capability: str


# What a new member can do first, when nothing is waiting for them yet.
FIRST_STEPS = (
    FirstStep(
        "education:school_list",
        _("Open your classes and take today's roll call"),
        "education.take_attendance",
    ),
    FirstStep("registry:person_create", _("Register a child or a caregiver"), "registry.create"),
    FirstStep("cases:case_open", _("Open a case for a child who needs protection"), "cases.open"),
    FirstStep("early_warning:risk_list", _("See the pupils at risk of dropping out"), "ews.view_scores"),
    FirstStep(
        "education:school_manage", _("Set up schools, classes and the school year"), "education.manage"
    ),
    FirstStep("accounts:users", _("Add your organisation's users"), "users.manage"),
    FirstStep("audit:event_list", _("Read the audit trail"), "audit.view"),
    FirstStep("accounts:devices", _("Set up Ponleu on your phone"), "web.use"),
)


def first_steps(actor) -> list[dict]:
    steps = []
    for step in FIRST_STEPS:
        if not actor.can(step.capability):
            continue
        try:
            steps.append({"url": reverse(step.url_name), "label": step.label})
        except NoReverseMatch:
            continue
    return steps
