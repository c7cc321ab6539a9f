"""Bump ``User.actor_version`` whenever anything an Actor is built from changes (decision 0010).

The Actor of a browser session is kept in the session (``ponleu/access/actor_cache.py``) and
trusted while the user's ``actor_version`` is the one it was built at. A change that does not
bump it would leave a demoted member their old reach, so the bump hangs on the models' own
signals rather than on each service: the admin, commands, the demo and tests all save through
the ORM, and every one of those writes is caught. The bump runs after the change in the same
transaction (or just after it, in autocommit), never before: a request that reads the new
version also reads the new rows.

Writes that bypass signals (``QuerySet.update`` on these models, raw SQL) must call
``bump_users`` themselves; the session cache's age bound (``actor_cache.MAX_AGE``) caps the
harm of one that forgets. Deleting an administrative unit (the gazetteer, never a member's
edit) is left to that bound too: watching every unit's deletion would cost a query per unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from ponleu.access.models import BreakGlassGrant
from ponleu.organisations.models import Membership, Organisation, Team

from .models import User

# Instance attribute holding the user ids captured before a delete or a reverse clear.
_PENDING = "_ponleu_actor_users"


def bump_users(user_ids: Iterable) -> None:
    ids = {pk for pk in user_ids if pk is not None}
    if ids:
        User.objects.filter(pk__in=ids).update(actor_version=F("actor_version") + 1)


def _members_of(**filters) -> list:
    return list(Membership.objects.filter(**filters).values_list("user_id", flat=True).distinct())


def _membership_saved(sender, instance, **kwargs):
    bump_users([instance.user_id])
    # A user object loaded with this membership follows the bump, so code holding it (a
    # request built by hand, a command) does not keep trusting the older version.
    if Membership.user.is_cached(instance):
        instance.user.refresh_from_db(fields=["actor_version"])


def _grant_saved(sender, instance, **kwargs):
    bump_users([instance.user_id])


def _organisation_saved(sender, instance, **kwargs):
    bump_users(_members_of(organisation_id=instance.pk))


def _team_saved(sender, instance, **kwargs):
    bump_users(_members_of(teams=instance.pk))


def _remember_team_members(sender, instance, **kwargs):
    setattr(instance, _PENDING, _members_of(teams=instance.pk))


def _bump_remembered(sender, instance, **kwargs):
    bump_users(getattr(instance, _PENDING, ()))


def _membership_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Areas or teams added to or removed from a membership, from either side."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            bump_users([instance.user_id])
        return
    # From the team's or the area's side: ``pk_set`` names memberships, or None on clear.
    if action == "pre_clear":
        field = "teams" if sender is Membership.teams.through else "areas"
        setattr(instance, _PENDING, _members_of(**{field: instance.pk}))
    elif action in ("post_add", "post_remove"):
        bump_users(_members_of(pk__in=pk_set or ()))
    elif action == "post_clear":
        bump_users(getattr(instance, _PENDING, ()))


def connect() -> None:
    uid = "ponleu.accounts.actor_invalidation"
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid=f"{uid}.membership_saved")
    post_delete.connect(_membership_saved, sender=Membership, dispatch_uid=f"{uid}.membership_deleted")
    post_save.connect(_grant_saved, sender=BreakGlassGrant, dispatch_uid=f"{uid}.grant_saved")
    post_delete.connect(_grant_saved, sender=BreakGlassGrant, dispatch_uid=f"{uid}.grant_deleted")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid=f"{uid}.organisation_saved")
    post_save.connect(_team_saved, sender=Team, dispatch_uid=f"{uid}.team_saved")
    pre_delete.connect(_remember_team_members, sender=Team, dispatch_uid=f"{uid}.team_deleting")
    post_delete.connect(_bump_remembered, sender=Team, dispatch_uid=f"{uid}.team_deleted")
    for through in (Membership.teams.through, Membership.areas.through):
        m2m_changed.connect(
            _membership_links_changed, sender=through, dispatch_uid=f"{uid}.{through.__name__}"
        )
