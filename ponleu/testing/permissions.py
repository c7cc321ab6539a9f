"""The authorization matrix: every route × method × identity × object scope, against the policy.

How a route joins the matrix
============================

You do nothing. ``tests/security/test_matrix.py`` walks the URL resolver (Django routes and
every Ninja API operation) each time it runs, so a new page or endpoint is in the next run:

1. **Declare who may use it.** A view subclasses ``AppView`` with ``capability = "..."``
   (and, if it needs it organisation-wide, ``scope = Scope.ORG``) or ``public = True``; a
   function view uses ``@requires(...)`` or ``@public``; an API operation uses
   ``@capability(...)`` from ``ponleu.access.endpoints``. ``tests/security/test_routes.py``
   fails on a route without one of these.
2. **Name the object in the URL by its kind.** ``<uuid:person_id>``, ``<uuid:household_id>``:
   the matrix builds, for each member of the test world, one such object per scope (own, same
   team, same area, same organisation, other organisation, sensitive, break-the-glass open
   and expired, missing) with the factories in ``ponleu/testing/scopes.py``. A URL keyword
   with no factory fails the suite with "register a scope factory for case_id in
   ponleu/testing/scopes.py"; write one there (its docstring shows how: usually a few lines
   that reuse the person at the same distance).
3. **Write one AccessEvent per read** of person-level data (``audit.services.record_access``)
   in the request that serves it, naming the ids returned.

What is asserted, for each request
----------------------------------

The oracle is ``ponleu.access.policy.POLICY`` plus the route's declaration, never the code
under test:

- a request the oracle refuses never succeeds (no 2xx, no redirect other than to the
  login), writes no AuditEvent and no "allowed" AccessEvent naming the object;
- a GET the oracle allows succeeds (a missing page is reported too: the matrix checks the
  policy both ways); if its capability touches person data and the URL names an object,
  it leaves exactly one AccessEvent naming that object (flagged ``break_glass`` when only a
  grant opened it);
- no response carries a name, nickname or address of a person the identity may not see
  (out of scope, another organisation, sensitive without ``registry.view_sensitive``), and
  any response that does show a name comes with an AccessEvent of the same request;
- every refusal of a route for one identity has the same status and the same body whether
  the object is forbidden or missing (ids, nonces and CSRF tokens aside);
- nothing answers 5xx.

POST, PUT, PATCH and DELETE are sent with an empty body: the check is that refusal comes
first, not that the form is valid. The adversarial pass (ponleu/testing/adversary.py, run by
tests/security/test_matrix_inputs.py) shares this engine and sends ids in every other input,
with the rest of the request valid. An identity that cannot reach any record of a route
(anonymous, password without second factor, or a role without the capability at all) is
refused before the record is looked up, so it meets two objects only: its own and a missing
one; every other identity meets all nine scopes. Sensitive records seen without ``registry.view_sensitive``
may be shown masked or refused; either passes, a name does not.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.admin import OTPAdminSite

from ponleu.access import policy
from ponleu.access.capabilities import CAPABILITIES
from ponleu.access.models import BREAK_GLASS_CAPABILITIES
from ponleu.access.scopes import Relationship, Scope
from ponleu.audit.models import AccessEvent, AuditEvent

from . import scopes as scope_kit
from . import shards
from .scopes import FACTORIES, PARAMETERS, MatrixWorld, MemberFacts, ScopedObject

ALLOW, DENY, EITHER = "allow", "deny", "either"
METHODS = ("get", "post", "put", "patch", "delete")
ANONYMOUS = "anonymous"


# --- the route inventory ----------------------------------------------------------------


@dataclass(frozen=True)
class RouteMethod:
    route: str
    name: str
    method: str
    kwargs: tuple[str, ...]
    kind: str  # "view", "api", "admin", "ninja_root"
    capability: str | None = None
    scope: Scope = Scope.OWN
    public: bool = False
    declared: bool = True
    may_be_empty: bool = False

    @property
    def id(self) -> str:
        return f"{self.method.upper()} /{self.route}"


def _walk(patterns, prefix="", namespace="", kwargs=(), app="") -> Iterator[tuple]:
    for entry in patterns:
        keys = kwargs + _pattern_kwargs(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = ":".join(p for p in (namespace, entry.namespace) if p)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns, keys, app or entry.app_name)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry, keys, app


def _pattern_kwargs(pattern) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def _path_view(callback):
    from ninja.operation import PathView

    for cell in getattr(callback, "__closure__", None) or ():
        if isinstance(cell.cell_contents, PathView):
            return cell.cell_contents
    return None


def _ninja_internal(callback) -> str | None:
    target = callback
    while isinstance(target, functools.partial) or hasattr(target, "__wrapped__"):
        target = target.func if isinstance(target, functools.partial) else target.__wrapped__
    module = getattr(target, "__module__", "") or ""
    return getattr(target, "__name__", None) if module.startswith("ninja.") else None


def routes() -> list[RouteMethod]:
    """Every (route, method) the URL conf serves, with what it declares."""
    found: list[RouteMethod] = []
    for route, namespace, entry, keys, app in _walk(get_resolver().url_patterns):
        name = ":".join(p for p in (namespace, entry.name or "") if p) if entry.name else ""
        callback = entry.callback
        if app == "admin":
            found.append(RouteMethod(route, name, "get", keys, "admin"))
            continue
        path_view = _path_view(callback)
        if path_view is not None:
            for operation in path_view.operations:
                func = operation.view_func
                for method in operation.methods:
                    found.append(_declared(route, name, method.lower(), keys, "api", func))
            continue
        if _ninja_internal(callback) == "default_home" and not hasattr(callback, "ponleu_public"):
            # Ninja's API root only lets reverse() find the prefix; it answers 404 to everyone.
            found.append(RouteMethod(route, name, "get", keys, "ninja_root", public=False))
            continue
        view_class = getattr(callback, "view_class", None)
        methods = [m for m in METHODS if hasattr(view_class, m)] if view_class else ["get", "post"]
        for method in methods:
            found.append(_declared(route, name, method, keys, "view", callback))
    # Ninja repeats a path once per operation on it; keep one entry per (route, method).
    unique = {}
    for rm in found:
        unique.setdefault((rm.route, rm.method), rm)
    return list(unique.values())


def _declared(route, name, method, keys, kind, func) -> RouteMethod:
    has = hasattr(func, "ponleu_capability") or hasattr(func, "ponleu_public")
    return RouteMethod(
        route,
        name,
        method,
        keys,
        kind,
        capability=getattr(func, "ponleu_capability", None),
        scope=getattr(func, "ponleu_scope", Scope.OWN),
        public=bool(getattr(func, "ponleu_public", False)),
        declared=has,
        may_be_empty=bool(getattr(func, "ponleu_may_be_empty", False)),
    )


def declaration_problems(found: list[RouteMethod] | None = None) -> list[str]:
    """Routes that neither declare a capability nor say they are public, and why others pass."""
    problems = []
    for rm in found if found is not None else routes():
        if rm.kind == "admin":
            if not isinstance(admin.site, OTPAdminSite):
                problems.append(f"{rm.id}: the admin site does not require a verified second factor")
            continue
        if rm.kind == "ninja_root":
            continue
        if not rm.declared:
            problems.append(f"{rm.id} ({rm.name or 'unnamed'}): declares no capability and is not public")
        elif rm.public and rm.capability:
            problems.append(f"{rm.id}: public and also requires {rm.capability!r}")
        elif not rm.public and rm.capability not in CAPABILITIES:
            problems.append(f"{rm.id}: unknown capability {rm.capability!r}")
    return problems


def object_kwargs(rm: RouteMethod) -> tuple[str, ...]:
    return tuple(k for k in rm.kwargs if k not in PARAMETERS)


def factory_key(rm: RouteMethod) -> str:
    return scope_kit.factory_key(object_kwargs(rm))


def missing_factory(rm: RouteMethod) -> str | None:
    key = factory_key(rm)
    if key and key not in FACTORIES:
        leaf, *parents = object_kwargs(rm)[::-1]
        hint = f" (with provides={tuple(parents[::-1])!r})" if parents else ""
        return (
            f"{rm.id}: register a scope factory for {leaf}{hint} in ponleu/testing/scopes.py,"
            " or declare a non-object keyword with route_parameter()"
        )
    return None


# --- the oracle --------------------------------------------------------------------------


def role_scope(member: MemberFacts | None, capability: str) -> Scope:
    if member is None:
        return Scope.NONE
    scope = policy.scope_of(member.role, capability)
    if not member.verified and CAPABILITIES[capability].touches_person_data:
        return Scope.NONE
    return scope


def expected(rm: RouteMethod, member: MemberFacts | None, obj: ScopedObject | None) -> str:
    """What the policy table says this identity may do with this route and object."""
    if rm.kind == "ninja_root":
        return DENY
    if rm.public:
        return EITHER  # open to all; a login page may still send a logged-in user onwards
    if member is None:
        return DENY
    if not member.verified:
        # Without the second factor nothing touching people is allowed; whether the rest
        # is offered or the user is sent back to finish logging in is the login's choice.
        return DENY if _touches(rm) else EITHER
    held = role_scope(member, rm.capability)
    if held < max(rm.scope, Scope.OWN):
        return DENY
    if obj is None:
        return ALLOW
    if obj.relationship is None or obj.relationship == Relationship.OUTSIDE:
        return DENY
    granted = obj.grant == "active" and role_scope(member, "access.break_glass") > Scope.NONE

    def reaches(capability: str) -> bool:
        capability = obj.reach_as.get(capability, capability)
        return role_scope(member, capability) >= obj.relationship or (
            granted and capability in BREAK_GLASS_CAPABILITIES
        )

    if not reaches(rm.capability):
        return DENY
    if rm.capability not in policy.ACTS_WITHOUT_VIEW and not reaches(obj.view_capability):
        return DENY  # acting on a record one cannot see
    if obj.sensitive and role_scope(member, "registry.view_sensitive") < obj.relationship:
        return EITHER  # shown masked or refused; the leak scan guards the names
    return ALLOW


def _touches(rm: RouteMethod) -> bool:
    return bool(rm.capability) and CAPABILITIES[rm.capability].touches_person_data


def identity_allowed(matrix: MatrixWorld, member: MemberFacts | None, person_id: str) -> bool:
    """May this identity see the names of this person (from the policy table alone)?"""
    if member is None or not member.verified:
        return False
    person = matrix.people[person_id]
    if person.organisation_id != member.organisation_id:
        return False
    if (member.key, person_id) in matrix.grants and role_scope(member, "access.break_glass"):
        return True
    rel = scope_kit.relationship_of(member, person)
    if role_scope(member, "registry.view") < rel:
        return False
    return not person.sensitive or role_scope(member, "registry.view_sensitive") >= rel


# --- running ----------------------------------------------------------------------------

_NONCE = re.compile(r'nonce="[^"]*"')
_CSRF = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"')


@dataclass
class Identity:
    key: str
    client: object
    member: MemberFacts | None
    user: object = None


def log_in(identity: Identity) -> None:
    """Log the identity's client in; a password-only member is left without the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from .login import login

    identity.user.refresh_from_db()
    login(identity.client, identity.user)
    if not identity.member.verified:
        session = identity.client.session
        session.pop(DEVICE_ID_SESSION_KEY, None)
        session.save()


@dataclass
class Stats:
    requests: int = 0
    route_methods: int = 0
    cells: int = 0  # (route, method, identity, scope) combinations run
    allowed: int = 0
    denied: int = 0
    access_events_checked: int = 0
    bodies_scanned: int = 0
    by_route: dict = field(default_factory=lambda: defaultdict(int))


class Matrix:
    def __init__(self, world: MatrixWorld, identities: list[Identity], login):
        self.world = world
        self.identities = identities
        self.login = login
        self.stats = Stats()
        self._people_tokens = {
            token: pid for pid, facts in world.people.items() for token in facts.identifying
        }
        self._scan = None
        self._relogged: set[str] = set()

    # Tokens are added as factories build objects; the scanner is rebuilt when they change.
    def _scanner(self):
        tokens = {t: pid for pid, f in self.world.people.items() for t in f.identifying}
        if self._scan is None or len(tokens) != len(self._people_tokens):
            self._people_tokens = tokens
            self._scan = re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)))
        return self._scan

    def objects_for(self, rm: RouteMethod, identity: Identity) -> list[ScopedObject | None]:
        if not object_kwargs(rm):
            return [None]
        member_key = identity.member.key if identity.member else "caseworker_a"
        key = factory_key(rm)
        found = []
        scopes = scope_kit.SCOPES
        if not self._may_reach_any(rm, identity.member):
            # Refused before any record is looked up (no login, no second factor, or a role
            # without the capability at all): its own record and a missing one show that the
            # refusal does not depend on the record.
            scopes = (scope_kit.OWN, scope_kit.MISSING)
        for scope in scopes:
            obj = self.world.scoped(key, member_key, scope)
            if obj is not None:
                found.append(obj)
        return found

    @staticmethod
    def _may_reach_any(rm: RouteMethod, member: MemberFacts | None) -> bool:
        if rm.public:
            return True
        if member is None or not member.verified:
            return False
        if role_scope(member, rm.capability) >= max(rm.scope, Scope.OWN):
            return True
        return (
            rm.capability in BREAK_GLASS_CAPABILITIES
            and role_scope(member, "access.break_glass") > Scope.NONE
        )

    def prepare(self) -> None:
        """Build every object of every factory for every member now, outside any one test's
        transaction, so that all tests of the module share them."""
        for key in FACTORIES:
            for member in scope_kit.MATRIX_MEMBERS:
                for scope in scope_kit.SCOPES:
                    self.world.scoped(key, member, scope)
        self._scanner()

    def shard_identities(self) -> list[Identity]:
        """The identities this phase sends requests as (ponleu/testing/shards.py)."""
        return [identity for identity in self.identities if shards.sends_as(identity.key)]

    def run(self, rm: RouteMethod) -> list[str]:
        if not rm.name:
            return [f"{rm.id}: give this route a name, so the matrix can build its URL"]
        # A session made inside an earlier test vanished with that test's rollback.
        for identity in self.identities:
            if identity.key in self._relogged:
                self.login(identity)
        failures: list[str] = []
        self.stats.route_methods += 1
        for identity in self.shard_identities():
            refusals: dict[int, tuple[str, str]] = {}
            for obj in self.objects_for(rm, identity):
                failures += self._cell(rm, identity, obj, refusals)
        return failures

    def _url(self, rm: RouteMethod, obj: ScopedObject | None) -> str:
        kwargs = {k: PARAMETERS[k] for k in rm.kwargs if k in PARAMETERS}
        if obj is not None:
            kwargs.update({k: v for k, v in obj.kwargs.items() if k in rm.kwargs})
        return reverse(rm.name, kwargs=kwargs or None)

    def _cell(self, rm, identity, obj, refusals) -> list[str]:
        where = f"{rm.id} as {identity.key}" + (f" on {obj.scope}" if obj else "")
        outcome = expected(rm, identity.member, obj)
        before_audit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        client = identity.client
        if identity.member is not None and not identity.member.verified:
            # A half-finished login is closed by the first page it asks for; start each
            # request from a fresh one, as an attacker with only the password would.
            self.login(identity)
        url = self._url(rm, obj)
        if rm.kind == "api" and rm.method != "get":
            response = getattr(client, rm.method)(url, data="{}", content_type="application/json")
        else:
            response = getattr(client, rm.method)(url)
        self.stats.requests += 1
        self.stats.cells += 1
        self.stats.by_route[rm.id] += 1
        if rm.method != "get" and (rm.public or rm.name.startswith("accounts:")) and identity.member:
            self.login(identity)  # a login, logout or language form may have changed the session
            self._relogged.add(identity.key)
        body = response.content.decode("utf-8", "replace")
        status = response.status_code
        request_id = response.get("X-Request-Id", "")
        problems = []
        if status >= 500:
            exc = getattr(response, "exc_info", None)
            return [f"{where}: {status} {exc[1]!r}" if exc else f"{where}: {status}"]
        success = 200 <= status < 300 or (300 <= status < 400 and not _to_login(response))
        if outcome == DENY:
            self.stats.denied += 1
            if success:
                problems.append(f"{where}: UNAUTHORISED SUCCESS ({status}) — policy says no")
            after = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            if after != before_audit:
                problems.append(f"{where}: refused, yet wrote {after - before_audit} audit event(s)")
            if obj is not None and obj.relationship is not None:
                target = str(obj.obj.pk)
                for event in AccessEvent.objects.filter(request_id=request_id, allowed=True):
                    if target in event.target_ids:
                        problems.append(f"{where}: refused, yet an allowed AccessEvent names the object")
            if not success:
                problems += self._same_refusal(where, rm, obj, status, body, refusals)
        elif outcome == ALLOW:
            self.stats.allowed += 1
            if rm.method == "get" and not success and not (status == 404 and rm.may_be_empty):
                problems.append(f"{where}: policy allows, but got {status}")
            if rm.method == "get" and success and obj is not None and _touches(rm):
                problems += self._one_access_event(where, rm, request_id, obj, identity)
        elif rm.method == "get" and success and obj is not None and _touches(rm):
            problems += self._one_access_event(where, rm, request_id, obj, identity)
        problems += self._no_leak(where, identity, body, request_id, obj)
        return problems

    def _same_refusal(self, where, rm, obj, status, body, refusals) -> list[str]:
        text = _normalise(body, obj)
        seen = refusals.get(status)
        if seen is None:
            refusals[status] = (where, text)
            return []
        if seen[1] != text:
            return [f"{where}: {status} body differs from {seen[0]} (forbidden and missing must look alike)"]
        return []

    def _one_access_event(self, where, rm, request_id, obj, identity) -> list[str]:
        """Exactly one AccessEvent of this request names the object (a page that also shows
        related records, such as a household's members, may write one more for those)."""
        self.stats.access_events_checked += 1
        target = str(obj.obj.pk)
        events = [
            e for e in AccessEvent.objects.filter(request_id=request_id) if target in (e.target_ids or [])
        ]
        if len(events) != 1:
            return [f"{where}: allowed read left {len(events)} AccessEvents naming the object, not one"]
        event = events[0]
        member = identity.member
        through_grant = member is not None and obj.grant == "active" and obj.relationship is not None
        only_by_grant = through_grant and role_scope(member, rm.capability) < obj.relationship
        if only_by_grant and not event.break_glass:
            return [f"{where}: a read through break-the-glass is not flagged break_glass"]
        return []

    def _no_leak(self, where, identity, body, request_id, obj) -> list[str]:
        self.stats.bodies_scanned += 1
        shown = {self._people_tokens[m.group(0)] for m in self._scanner().finditer(body)}
        if not shown:
            return []
        problems = []
        for person_id in sorted(shown):
            if not identity_allowed(self.world, identity.member, person_id):
                problems.append(f"{where}: LEAK — shows the identity of person {person_id}")
        if not problems:
            named = set()
            for event in AccessEvent.objects.filter(request_id=request_id):
                named.update(event.target_ids)
            object_ids = {str(v) for v in obj.kwargs.values()} if obj else set()
            unlogged = sorted(pid for pid in shown if pid not in named and not (object_ids & named))
            if unlogged:
                problems.append(f"{where}: shows people {unlogged} without an AccessEvent naming them")
        return problems


def _to_login(response) -> bool:
    location = response.get("Location", "")
    return location.startswith(settings.LOGIN_URL_PATH) or location.startswith(reverse("admin:login"))


def _normalise(body: str, obj: ScopedObject | None) -> str:
    text = _NONCE.sub('nonce=""', body)
    text = _CSRF.sub(r'\1""', text)
    if obj is not None:
        for value in obj.kwargs.values():
            text = text.replace(str(value), "<id>")
    return text
