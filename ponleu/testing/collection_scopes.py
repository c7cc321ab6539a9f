"""Scope factories for the field collection routes (see ponleu/testing/scopes.py).

A form is the organisation's, not a child's: a form version stands at the distance of the
teams its form is published to (filled with ``collection.submit``, which the roles hold for
their team): published to the member's own team it is theirs to fill (own), to one of their
teams as one of their teammates would see it (same team), to a team not theirs (same
organisation). A form stands at the organisation's (managed with ``collection.manage``). Each version
carries one media file, ``logo.png``, which ``filename`` names.
"""

from __future__ import annotations

import hashlib

from ponleu.access.scopes import Relationship

from .scopes import (
    OTHER_ORG,
    OWN,
    SAME_ORG,
    SAME_TEAM,
    MatrixWorld,
    ScopedObject,
    route_parameter,
    scope_factory,
)

MEDIA_NAME = "logo.png"
route_parameter("filename", MEDIA_NAME)


def _xml(world: MatrixWorld) -> str:
    from ponleu.collection import xlsform
    from ponleu.collection.standard_forms import xlsx

    key = ("collection-form-xml",)
    if key not in world._cache:
        world._cache[key] = xlsform.compile_xlsform(xlsx("home_visit")).xml
    return world._cache[key]


def _form(world: MatrixWorld, organisation, teams):
    from ponleu.collection.models import CollectionForm, FormMedia, FormVersion

    xml = _xml(world)
    form = CollectionForm.objects.create(
        organisation=organisation, form_id=world.token("form"), title="Visit"
    )
    version = FormVersion.objects.create(
        form=form,
        version="1",
        title="Visit",
        source=b"",
        xml=xml,
        md5=hashlib.md5(xml.encode(), usedforsecurity=False).hexdigest(),
    )
    FormMedia.objects.create(version=version, filename=MEDIA_NAME, data=b"png", md5="0" * 32)
    form.current_version = version
    form.save(update_fields=["current_version"])
    form.teams.set(teams)
    return form


def _teams_at(world: MatrixWorld, member: str, scope: str):
    membership = world.world.members[member]
    own_org = membership.organisation
    if scope == OWN:
        team = membership.teams.order_by("name").first() or own_org.teams.order_by("name").first()
        return own_org, [team], Relationship.OWN
    if scope == SAME_TEAM:
        team = membership.teams.order_by("name").first()
        return None if team is None else (own_org, [team], Relationship.TEAM)
    if scope == SAME_ORG:
        others = list(own_org.teams.exclude(pk__in=membership.teams.values("pk")).order_by("name")[:1])
        if not others:
            others = [own_org.teams.create(name=world.token("Team"))]
        return own_org, others, Relationship.ORG
    if scope == OTHER_ORG:
        other = world.world.other_org if own_org == world.world.org else world.world.org
        team = other.teams.order_by("name").first() or other.teams.create(name=world.token("Team"))
        return other, [team], Relationship.OUTSIDE
    return None


@scope_factory("form_version_id")
def form_version_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    placed = _teams_at(world, member, scope)
    if placed is None:
        return None
    organisation, teams, relationship = placed
    form = _form(world, organisation, teams)
    return ScopedObject(
        scope=scope,
        kwargs={"form_version_id": form.current_version_id},
        obj=form.current_version,
        relationship=relationship,
        view_capability="collection.submit",
    )


@scope_factory("collection_form_id")
def collection_form_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    if scope not in (OWN, SAME_ORG, OTHER_ORG):
        return None
    organisation, teams, relationship = _teams_at(world, member, scope)
    form = _form(world, organisation, teams)
    return ScopedObject(
        scope=scope,
        kwargs={"collection_form_id": form.pk},
        obj=form,
        relationship=relationship,
        view_capability="collection.manage",
    )


@scope_factory("submission_id")
def submission_at(world: MatrixWorld, member: str, scope: str) -> ScopedObject | None:
    """A household registration waiting for review: sent by the member (own), by a teammate to
    their team (same team), by a colleague of no team of theirs (same organisation), or held by
    another organisation though sent under the member's name (other organisation)."""
    from ponleu.collection.choices import SubmissionStatus
    from ponleu.collection.models import Submission

    membership = world.world.members[member]
    own_org = membership.organisation
    colleague = next(
        m.user for key, m in world.world.members.items() if key != member and m.organisation_id == own_org.pk
    )
    team = membership.teams.order_by("name").first()
    if scope == OWN:
        organisation, sender, team, relationship = own_org, membership.user, None, Relationship.OWN
    elif scope == SAME_TEAM:
        if team is None:
            return None
        organisation, sender, relationship = own_org, colleague, Relationship.TEAM
    elif scope == SAME_ORG:
        organisation, sender, team, relationship = own_org, colleague, None, Relationship.ORG
    elif scope == OTHER_ORG:
        organisation = world.world.other_org if own_org == world.world.org else world.world.org
        sender, team, relationship = membership.user, None, Relationship.OUTSIDE
    else:
        return None
    form = _form(world, organisation, [])
    submission = Submission(
        organisation=organisation,
        form=form,
        form_version=form.current_version,
        instance_id=world.token("uuid:"),
        team=team,
        submitted_by=sender,
        xml="<data/>",
        status=SubmissionStatus.REVIEW,
        likely_matches=[],
    )
    submission.save()
    return ScopedObject(
        scope=scope,
        kwargs={"submission_id": submission.pk},
        obj=submission,
        relationship=relationship,
        view_capability="collection.view",
    )
