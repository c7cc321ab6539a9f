"""The catalogue of named capabilities. Every view, endpoint and service declares one."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Capability:
    name: str
    label: object
    touches_person_data: bool = False


_CATALOGUE = [
    Capability("web.use", _("Use Ponleu (home page, own profile)")),
    Capability("registry.view", _("See children, caregivers and households"), True),
    Capability("registry.view_sensitive", _("See sensitive records unmasked"), True),
    Capability("registry.create", _("Register people and households"), True),
    Capability("registry.edit", _("Edit people and households"), True),
    Capability("registry.merge", _("Merge duplicate records"), True),
    Capability("registry.lift_protection", _("Lift the protection of a sensitive record or case"), True),
    Capability("registry.import", _("Import people from spreadsheets"), True),
    Capability("registry.export", _("Export lists of people"), True),
    Capability("cases.view", _("See cases"), True),
    Capability("cases.edit", _("Work on cases: notes, plans, services, visits"), True),
    Capability("cases.open", _("Open cases"), True),
    Capability("cases.assign", _("Assign and transfer cases"), True),
    Capability("cases.approve", _("Approve case plans and closures"), True),
    Capability("cases.close", _("Close and reopen cases"), True),
    Capability("referrals.send", _("Refer children to other organisations"), True),
    Capability("referrals.accept", _("Accept or decline referrals"), True),
    Capability("referrals.view", _("See referrals and their outcomes"), True),
    Capability("referrals.receive", _("See and work on children other organisations referred to us"), True),
    Capability(
        "referrals.approve_exception", _("Approve sharing without consent under a legal exception"), True
    ),
    Capability("family_support.view", _("See households' family support plans"), True),
    Capability(
        "family_support.edit", _("Assess households' needs, plan support, record visits and graduate"), True
    ),
    Capability("maternal.view", _("See pregnancies, births and family planning"), True),
    Capability(
        "maternal.record",
        _("Record pregnancies, antenatal and postnatal visits, births, newborns and family planning"),
        True,
    ),
    Capability("collection.submit", _("Fill in field forms on a phone and send them"), True),
    Capability("collection.view", _("See field form submissions"), True),
    Capability("collection.review", _("Review field form submissions: match or register"), True),
    Capability("collection.manage", _("Upload and publish field forms")),
    Capability("programmes.view", _("See projects, groups, sessions, events and distributions"), True),
    Capability(
        "programmes.record",
        _("Record group sessions and attendance, events, distributions, workplace visits"),
        True,
    ),
    Capability("programmes.manage", _("Manage projects, their log-frames, groups and stock"), True),
    Capability("nutrition.view", _("See children's growth measurements, follow-ups and alerts"), True),
    Capability("nutrition.record", _("Record growth measurements and refer severe malnutrition"), True),
    Capability("employment.view", _("See young people's profiles, courses, offers and placements"), True),
    Capability(
        "employment.record",
        _("Record young people's profiles, course results, placements and follow-ups"),
        True,
    ),
    Capability("employment.manage", _("Record employers' internship and job offers")),
    Capability("scholarships.view", _("See scholarship schemes, awards and payments"), True),
    Capability(
        "scholarships.manage",
        _("Run scholarship schemes: decide applications, run payments, override conditions"),
        True,
    ),
    Capability("scholarships.pay", _("Record scholarship payments and print receipts"), True),
    Capability("directory.view", _("See the service directory")),
    Capability("directory.manage", _("Maintain the service directory")),
    Capability("education.take_attendance", _("Take roll call and enter marks"), True),
    Capability("education.manage", _("Manage schools, classes and enrolment"), True),
    Capability("ews.view_scores", _("See dropout risk scores"), True),
    Capability("ews.review", _("Review risk flags and choose interventions"), True),
    Capability("ews.manage_models", _("Train and activate risk models")),
    Capability("reports.view", _("See aggregate reports")),
    Capability("reports.export", _("Export reports"), True),
    Capability("audit.view", _("See who saw and changed records"), True),
    Capability("access.break_glass", _("Open a record outside one's scope in an emergency"), True),
    Capability("users.manage", _("Manage the organisation's users and roles")),
    Capability("organisation.manage", _("Manage the organisation's settings")),
    Capability("system.manage", _("Manage the whole installation")),
]

CAPABILITIES: dict[str, Capability] = {cap.name: cap for cap in _CATALOGUE}


def get(name: str) -> Capability:
    try:
        return CAPABILITIES[name]
    except KeyError:
        raise KeyError(f"unknown capability {name!r}; add it to access/capabilities.py") from None
