from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member does for an organisation. ``access.policy`` turns each into capabilities."""

    FIELD_WORKER = "field_worker", _("Field worker / volunteer")
    CASEWORKER = "caseworker", _("Caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    TEACHER = "teacher", _("Teacher")
    ME_OFFICER = "me_officer", _("M&E officer")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    DPO = "dpo", _("Data-protection officer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class OrganisationAction(models.TextChoices):
    CREATED = "organisations.organisation.created", _("Organisation created")
    MEMBER_ADDED = "organisations.membership.created", _("Member added")
    MEMBER_UPDATED = "organisations.membership.updated", _("Member updated")
    MEMBER_REMOVED = "organisations.membership.deactivated", _("Member removed")
    TEAM_CREATED = "organisations.team.created", _("Team created")
