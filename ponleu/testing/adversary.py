"""The adversarial pass of the authorization matrix: every id-typed input × every scope.

The path-id matrix (ponleu/testing/permissions.py) sends an object's id where the URL names it,
with an empty body. This pass sends ids everywhere a request can carry one — the path, the
query string, a form field, a key, a JSON field: ponleu/testing/inputs.py finds them in the
code — one input at a time, with the rest of the request as its user would send it:

- a form is filled from the page that shows it (hidden versions, chosen options, required
  fields given a plausible value), then the one id is replaced; a second, *bare* request sends
  the id with the form's hidden fields only, to reach the page shown again after a refusal;
- a JSON body is built from the operation's schema (ponleu/testing/api_bodies.py), every
  yes/no field set to no (``is_sensitive: false`` is the attack worth trying), ``If-Match``
  carrying the record's version.

Each input is filled, for each identity, with the ids of objects at each scope of
``input_values.INPUT_SCOPES`` (own, same team, another team, same area, another area of the
organisation, another organisation, sensitive, missing, malformed), the other ids of the
request naming an object the identity may use. For every request:

- nothing answers 5xx (a malformed id is a 4xx);
- no name, nickname or address of a person the identity may not see appears (the path
  matrix's scan), other than what the request itself sent; every name shown is in an
  AccessEvent of the request;
- no id of a person the identity may not see at all appears, other than what it sent;
- a search by the hidden name of a record the identity sees only masked does not return it;
- where the policy refuses the input's object: nothing is written that involves it (an
  AuditEvent naming it, in its changes, or on a row that points at it), no allowed AccessEvent
  names it, and the answer is the same as for a missing id (ids, nonces and tokens aside);
- nothing lowers the protection of a sensitive record the identity may only see masked.

Each request runs in a savepoint that is rolled back, cookies restored, so every request meets
the same world.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlencode

from django.apps import apps
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from ponleu.access.scopes import Relationship, Scope
from ponleu.audit.models import AccessEvent, AuditEvent

from . import scopes as scope_kit
from .api_bodies import fill, set_dotted
from .html_forms import PageForm, post_forms
from .input_values import (
    INPUT_SCOPES,
    MALFORMED,
    MALFORMED_VALUE,
    NAME_SCOPES,
    PARENT_KWARG,
    PARENT_OF,
    Value,
    value_for,
)
from .inputs import KEYED, KIND_OF, Input, Inventory, _model_of, targets
from .permissions import (
    _CSRF,
    _NONCE,
    ALLOW,
    DENY,
    EITHER,
    Identity,
    Matrix,
    RouteMethod,
    _to_login,
    expected,
    factory_key,
    identity_allowed,
    object_kwargs,
    role_scope,
)
from .scopes import MISSING, OWN, PARAMETERS, SAME_AREA, SAME_ORG, SAME_TEAM, SENSITIVE, MemberFacts

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Where the object a route's path names is taken from: the nearest the identity may use.
BASE_SCOPES = (OWN, SAME_TEAM, SAME_AREA, SAME_ORG, SENSITIVE)
# What a key carrying an id is given (a roll-call status, a mark).
KEY_VALUES = {"s-": "A", "score-": "31", "statuses": "A"}


@dataclass
class Base:
    """The rest of the request: the path object an identity may use, if any."""

    kwargs: dict
    obj: scope_kit.ScopedObject | None
    scope: str | None
    reachable: bool


@dataclass
class Stats:
    requests: int = 0
    routes: set = field(default_factory=set)  # route-methods run
    refused: int = 0
    bodies_scanned: int = 0
    writes_checked: int = 0
    valid_sent: int = 0
    valid_accepted: int = 0  # an otherwise-valid form or body that was not answered 400/422
    same_refusals: int = 0
    by_where: Counter = field(default_factory=Counter)  # requests by where the input sits
    valid_rejected: Counter = field(default_factory=Counter)  # route → allowed, valid, yet 400/422


def record_visible(world, member: MemberFacts | None, person_id: str) -> bool:
    """May this identity see that the record exists at all (masked or not)?"""
    if member is None or not member.verified:
        return False
    person = world.people[person_id]
    if person.organisation_id != member.organisation_id:
        return False
    if (member.key, person_id) in world.grants and role_scope(member, "access.break_glass"):
        return True
    return role_scope(member, "registry.view") >= scope_kit.relationship_of(member, person)


class InputMatrix:
    def __init__(self, matrix: Matrix, inventory: Inventory, today: dt.date):
        self.matrix = matrix
        self.world = matrix.world
        self.today = today
        self.inputs: dict[RouteMethod, list[Input]] = defaultdict(list)
        for inp in inventory.inputs:
            self.inputs[inp.rm].append(inp)
        self.stats = Stats()
        self._pages: dict = {}
        self._served = {(rm.route, rm.method) for rm in self.inputs}

    def prepare(self) -> None:
        from ponleu.cases.models import Case

        self.built = len(self.world._cache)  # objects built before the tests' transactions
        self.people = set(self.world.people)
        self.sensitive_people = [pid for pid, f in self.world.people.items() if f.sensitive]
        self.sensitive_cases = {
            str(pk): str(person)
            for pk, person in Case.objects.filter(is_sensitive=True).values_list("pk", "person_id")
        }

    # --- running ------------------------------------------------------------------------

    def run(self, rm: RouteMethod) -> list[str]:
        self.stats.routes.add(rm)
        failures: list[str] = []
        for identity in self.matrix.shard_identities():
            base = self._base(rm, identity)
            for inp in self.inputs[rm]:
                failures += self._input(rm, identity, base, inp)
        return failures

    def _base(self, rm: RouteMethod, identity: Identity) -> Base:
        member = identity.member
        reach = self.matrix._may_reach_any(rm, member)
        if not object_kwargs(rm):
            return Base({}, None, None, reach)
        member_key = member.key if member else "caseworker_a"
        key = factory_key(rm)
        if reach and member is not None:
            for scope in BASE_SCOPES:
                obj = self.world.scoped(key, member_key, scope)
                if obj is not None and expected(rm, member, obj) == ALLOW:
                    return Base(dict(obj.kwargs), obj, scope, True)
        own = self.world.scoped(key, member_key, OWN)
        return Base(dict(own.kwargs), own, OWN, False)

    def plan(self, rm: RouteMethod) -> Iterator[tuple[Identity, Input, Value, str]]:
        """Every (identity, input, value, verdict) ``run`` sends, without sending anything."""
        for identity in self.matrix.identities:
            base = self._base(rm, identity)
            for inp in self.inputs[rm]:
                for value, verdict in self._values(rm, identity, base, inp):
                    yield identity, inp, value, verdict

    def _values(self, rm, identity, base, inp: Input) -> Iterator[tuple[Value, str]]:
        scopes = NAME_SCOPES if inp.kind == "name" else INPUT_SCOPES
        if not base.reachable:
            # Refused before any record is looked up (the path matrix shows it with real ids):
            # a malformed id must be refused as calmly.
            scopes = tuple(s for s in (MALFORMED,) if s in scopes)
        for scope in scopes:
            value = self._value(rm, identity, base, inp, scope)
            if value is not None:
                yield value, self._verdict(rm, identity, base, inp, value)

    def _input(self, rm, identity, base, inp: Input) -> list[str]:
        failures: list[str] = []
        outcomes: dict[str, list] = defaultdict(list)
        for value, verdict in self._values(rm, identity, base, inp):
            for variant in self._variants(rm, inp):
                problems, outcome = self._cell(rm, identity, base, inp, value, verdict, variant)
                failures += problems
                if verdict == DENY and outcome is not None and self._unseen(identity.member, value):
                    outcomes[variant].append((value.scope, outcome))
        for variant, seen in outcomes.items():
            failures += self._same_refusal(rm, identity, inp, variant, seen)
        return failures

    # --- values and the oracle ------------------------------------------------------------

    def _value(self, rm, identity, base, inp: Input, scope: str) -> Value | None:
        member_key = identity.member.key if identity.member else "caseworker_a"
        if inp.where != "path":
            value = value_for(self.world, inp.kind, member_key, scope)
            if value is not None and inp.many:
                value = replace(value, sent=[value.sent])
            return value
        # A path keyword: the first names the object (the whole chain at ``scope``); a later one
        # names a record under it, put under the base object to see it is not reached from there.
        kwargs = object_kwargs(rm)
        leaf = inp.name != kwargs[0]
        if scope == MALFORMED:
            return Value(inp.kind, scope, MALFORMED_VALUE, rule="none", path={**base.kwargs})
        if scope == MISSING:
            missing = uuid.uuid4()
            return Value(
                inp.kind,
                scope,
                str(missing),
                ids=(str(missing),),
                rule="none",
                path={**base.kwargs, inp.name: missing},
            )
        obj = self.world.scoped(factory_key(rm), member_key, scope)
        if obj is None:
            return None
        if leaf:
            pk = obj.kwargs[inp.name]
            return Value(
                inp.kind,
                scope,
                str(pk),
                ids=(str(pk),),
                rule="chain",
                obj=obj,
                chain=(member_key, scope),
                path={**base.kwargs, inp.name: pk},
            )
        ids = tuple(str(v) for v in obj.kwargs.values())
        return Value(
            inp.kind, scope, str(obj.kwargs[inp.name]), ids=ids, rule="path", obj=obj, path=dict(obj.kwargs)
        )

    def _verdict(self, rm, identity, base, inp: Input, value: Value) -> str:
        member = identity.member
        if value.scope == MALFORMED:
            return MALFORMED
        door = expected(rm, member, None)
        if door == EITHER and (member is None or not member.verified or rm.public):
            return EITHER
        if door == DENY or not base.reachable:
            return DENY
        if value.rule == "none":
            return DENY
        if value.rule == "name":
            return EITHER
        if value.rule == "path":
            return expected(rm, member, value.obj)
        if value.rule == "org":
            return ALLOW if value.organisation_id == member.organisation_id else DENY
        if value.rule == "own":
            return ALLOW if value.scope == OWN else DENY
        if value.rule == "chain" and PARENT_KWARG.get(PARENT_OF.get(inp.kind)) in rm.kwargs:
            # Under the object the path names, only that object's own records may be reached.
            return ALLOW if value.chain == (member.key, base.scope) else DENY
        return expected(rm, member, value.obj)

    def _unseen(self, member: MemberFacts | None, value: Value) -> bool:
        """May the identity not even know that the object exists? Then it must look missing."""
        if value.rule == "none":
            return True
        if member is None or not member.verified:
            return True
        if value.rule == "org":
            return value.organisation_id != member.organisation_id
        if value.rule == "own":
            return value.scope != OWN
        obj = value.obj
        if obj is None or obj.relationship is None or obj.relationship == Relationship.OUTSIDE:
            return True
        granted = obj.grant == "active" and role_scope(member, "access.break_glass") > Scope.NONE
        return not granted and role_scope(member, obj.view_capability) < obj.relationship

    @staticmethod
    def _variants(rm: RouteMethod, inp: Input) -> tuple[str, ...]:
        if rm.method == "get":
            return ("get",)
        if rm.kind == "api":
            return ("json",)
        if inp.where == "path":
            return ("valid",)
        return ("valid", "bare")

    # --- one request ----------------------------------------------------------------------

    def _cell(self, rm, identity, base, inp, value, verdict, variant) -> tuple[list[str], tuple | None]:
        where = (
            f"{rm.id} {inp.where}:{inp.name}={value.scope}"
            + (f" ({variant})" if variant in ("valid", "bare") else "")
            + f" as {identity.key}"
        )
        client = identity.client
        cookies = copy.deepcopy(client.cookies)
        problems: list[str] = []
        outcome = None
        with transaction.atomic():
            before_audit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            before_access = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            if identity.member is not None and not identity.member.verified:
                self.matrix.login(identity)
            sent = self._send(rm, identity, base, inp, value, variant)
            response = sent.response
            self.stats.requests += 1
            self.stats.by_where[inp.where] += 1
            chain = getattr(response, "redirect_chain", None) or []
            first = chain[0][1] if chain else response.status_code
            status = response.status_code
            body = (
                response.content.decode("utf-8", "replace")
                if not getattr(response, "streaming", False)
                else ""
            )
            if sent.valid:
                self.stats.valid_sent += 1
                self.stats.valid_accepted += first not in (400, 422)
            try:
                if status >= 500 or first >= 500:
                    exc = getattr(response, "exc_info", None)
                    problems.append(f"{where}: {status} {exc[1]!r}" if exc else f"{where}: {status}")
                else:
                    problems += self._scan(where, identity, body, value, sent.text, before_access)
                    if rm.method != "get":
                        problems += self._protection(where, identity, before_audit)
                    if sent.valid and first in (400, 422) and verdict == ALLOW:
                        self.stats.valid_rejected[rm.id] += 1
                    if verdict == DENY:
                        self.stats.refused += 1
                        problems += self._refused(
                            where, rm, inp, value, first, response, before_audit, before_access
                        )
                        outcome = self._outcome(first, status, chain, body)
            except DatabaseError as error:
                problems.append(f"{where}: the request left the transaction broken ({error})")
            transaction.set_rollback(True)
        client.cookies = cookies
        return problems, outcome

    def _send(self, rm, identity, base, inp: Input, value: Value, variant: str) -> Sent:
        client = identity.client
        kwargs = dict(value.path if value.path is not None else base.kwargs)
        url = self._reverse(
            rm, kwargs, value if inp.where == "path" and value.scope == MALFORMED else None, inp
        )
        sent = value.names.get(inp.name, value.sent) if value.names else value.sent
        if inp.where == "query":
            url += "?" + urlencode({inp.name: sent if isinstance(sent, list) else [sent]}, doseq=True)
        if rm.method == "get":
            return Sent(client.get(url), unquote(url), False)
        if rm.kind == "api":
            body = self._body(rm, identity, base)
            if inp.where == "json":
                set_dotted(body, inp.name, sent)
            elif inp.where == "json-key":
                set_dotted(body, inp.name, {str(sent): KEY_VALUES.get(inp.name, "1")})
            text = json.dumps(body, default=str, ensure_ascii=False)
            headers = {}
            version = self._version(value if inp.where == "path" and value.obj is not None else base)
            if version is not None:
                headers["If-Match"] = f'"{version}"'
            response = getattr(client, rm.method)(
                url, data=text, content_type="application/json", headers=headers
            )
            return Sent(response, f"{unquote(url)} {text}", True)
        form, names = self._form(rm, identity, base, inp)
        data = form.data(self.today, bare=variant == "bare") if form is not None else {}
        if inp.where == "form":
            if value.names and variant == "valid":
                # A duplicate check or an edit sends the whole name, not one part of it.
                for name in data.keys() & value.names.keys():
                    data[name] = [value.names[name]]
            for name in names or [inp.name]:
                data[name] = sent if isinstance(sent, list) else [sent]
        elif inp.where == "form-key":
            data[f"{inp.name}{sent}"] = [KEY_VALUES.get(inp.name, "1")]
        response = client.post(url, data, follow=True)
        return Sent(response, f"{unquote(url)} {json.dumps(data, ensure_ascii=False)}", variant == "valid")

    def _reverse(self, rm, kwargs, malformed: Value | None, inp: Input) -> str:
        full = {k: PARAMETERS[k] for k in rm.kwargs if k in PARAMETERS}
        full.update({k: v for k, v in kwargs.items() if k in rm.kwargs})
        url = reverse(rm.name, kwargs=full or None)
        if malformed is not None:
            url = url.replace(str(full[inp.name]), malformed.sent, 1)
        return url

    @staticmethod
    def _version(holder) -> int | None:
        obj = getattr(getattr(holder, "obj", None), "obj", None)
        if obj is None or not hasattr(obj, "version"):
            return None
        return type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True).first()

    # --- the rest of a request: forms and bodies ---------------------------------------------

    def _form(self, rm, identity, base, inp: Input) -> tuple[PageForm | None, list[str]]:
        forms = self._page(rm, identity, base)
        for form in forms:
            if inp.where == "form":
                names = [n for n in form.names() if n == inp.name or n.endswith(f"-{inp.name}")]
                if names:
                    return form, names
            elif inp.where == "form-key" and any(n.startswith(inp.name) for n in form.names()):
                return form, []
        return (forms[0] if forms else None), []

    def _page(self, rm, identity, base) -> list[PageForm]:
        """The POST forms of the page the route's GET shows (with the same path object)."""
        key = (rm.route, identity.key)
        if key in self._pages:
            return self._pages[key]
        forms: list[PageForm] = []
        if (rm.route, "get") in self._served or self._has_get(rm):
            member_key = identity.member.key if identity.member else "caseworker_a"
            url = self._reverse(rm, base.kwargs, None, None)
            query = {}
            for inp in self._inputs_of(rm.route, "get"):
                if inp.where == "query" and inp.kind != "name":
                    own = value_for(self.world, inp.kind, member_key, base.scope or OWN) or value_for(
                        self.world, inp.kind, member_key, OWN
                    )
                    if own is not None:
                        query[inp.name] = own.sent
            if query:
                url += "?" + urlencode(query, doseq=True)
            client = identity.client
            cookies = copy.deepcopy(client.cookies)
            with transaction.atomic():
                if identity.member is not None and not identity.member.verified:
                    self.matrix.login(identity)
                response = client.get(url)
                if response.status_code == 200 and not getattr(response, "streaming", False):
                    forms = post_forms(response.content.decode("utf-8", "replace"), url.split("?")[0])
                transaction.set_rollback(True)
            client.cookies = cookies
        self._pages[key] = forms
        return forms

    def _has_get(self, rm) -> bool:
        callback = targets().get(rm.route)
        view_class = getattr(callback, "view_class", None)
        return view_class is not None and hasattr(view_class, "get")

    def _inputs_of(self, route: str, method: str) -> list[Input]:
        return [
            i
            for rm, inputs in self.inputs.items()
            if rm.route == route and rm.method == method
            for i in inputs
        ]

    def _body(self, rm, identity, base) -> dict:
        operation = targets().get((rm.route, rm.method))
        schema = None
        for model in getattr(operation, "models", ()):
            if model.__ninja_param_source__ == "body":
                for f in model.model_fields.values():
                    schema = _model_of(f.annotation) or schema
        if schema is None:
            return {}
        member_key = identity.member.key if identity.member else "caseworker_a"

        def id_for(name: str):
            """A required id other than the one under test: the member's own, under the base."""
            if name in KEYED:
                return {}
            own = value_for(self.world, KIND_OF[name], member_key, base.scope or OWN)
            return own.sent if own else str(uuid.uuid4())

        return fill(schema, self.today, id_for)

    # --- what is checked ------------------------------------------------------------------

    def _scan(self, where, identity, body, value: Value, sent: str, before_access) -> list[str]:
        """Names and ids of people the identity may not see, other than what the request sent."""
        self.stats.bodies_scanned += 1
        world = self.world
        member = identity.member
        scanner = self.matrix._scanner()
        tokens = self.matrix._people_tokens
        sent_ids = {i.lower() for i in UUID.findall(sent)}
        shown = {tokens[m.group(0)] for m in scanner.finditer(body) if m.group(0) not in sent}
        problems = [
            f"{where}: LEAK — shows the identity of person {pid}"
            for pid in sorted(shown)
            if not identity_allowed(world, member, pid)
        ]
        if shown and not problems:
            named = set()
            for event in AccessEvent.objects.filter(id__gt=before_access):
                named.update(str(t) for t in event.target_ids)
            unlogged = sorted(pid for pid in shown if pid not in named and not (sent_ids & named))
            if unlogged:
                problems.append(f"{where}: shows people {unlogged} without an AccessEvent naming them")
        found = {m.group(0).lower() for m in UUID.finditer(body)}
        hidden = sorted(
            pid for pid in (found & self.people) - sent_ids if not record_visible(world, member, pid)
        )
        if hidden:
            problems.append(
                f"{where}: LEAK — carries the id of person(s) {hidden}, out of the identity's sight"
            )
        if value.rule == "name" and value.person_id in found:
            pid = value.person_id
            if record_visible(world, member, pid) and not identity_allowed(world, member, pid):
                problems.append(
                    f"{where}: LEAK — a search by the hidden name of masked person {pid} returned them"
                )
        return problems

    def _protection(self, where, identity, before_audit) -> list[str]:
        """No write lowers a protection, or hands the identity a record, that the policy keeps from it."""
        from ponleu.cases.models import Case
        from ponleu.registry.models import Person

        member = identity.member
        problems = []
        for event in AuditEvent.objects.filter(id__gt=before_audit):
            row = _row(event)
            owner = getattr(row, "owner_id", None)
            if row is None or member is None or owner is None or owner != member.user_id:
                continue
            pid = str(getattr(row, "person_id", None) or row.pk)
            if pid in self.people and not identity_allowed(self.world, member, pid):
                problems.append(
                    f"{where}: UNAUTHORISED SUCCESS — made itself the owner of {event.target_type}"
                    f" {event.target_id}, about person {pid} it may not see"
                )
        lifted = Person.objects.filter(pk__in=self.sensitive_people, is_sensitive=False).values_list(
            "pk", flat=True
        )
        for pk in lifted:
            if not identity_allowed(self.world, member, str(pk)):
                problems.append(
                    f"{where}: UNAUTHORISED SUCCESS — lifted the protection of sensitive person {pk}"
                )
        cases = Case.objects.filter(pk__in=list(self.sensitive_cases), is_sensitive=False).values_list(
            "pk", flat=True
        )
        for pk in cases:
            if not identity_allowed(self.world, member, self.sensitive_cases[str(pk)]):
                problems.append(
                    f"{where}: UNAUTHORISED SUCCESS — lifted the protection of sensitive case {pk}"
                )
        return problems

    def _refused(self, where, rm, inp, value, first, response, before_audit, before_access) -> list[str]:
        problems = []
        ids = set(value.ids)
        writes = list(AuditEvent.objects.filter(id__gt=before_audit))
        self.stats.writes_checked += 1
        if inp.where == "path" or value.rule == "none":
            success = 200 <= first < 300 or (300 <= first < 400 and not _first_to_login(response))
            if inp.where == "path" and success:
                problems.append(f"{where}: UNAUTHORISED SUCCESS ({first}) — policy says no")
        involved = [e for e in writes if ids and _involves(e, ids)]
        if inp.where == "path" and writes and not involved:
            involved = writes
        for event in involved:
            problems.append(
                f"{where}: UNAUTHORISED SUCCESS — wrote {event.action} on {event.target_type} {event.target_id}"
            )
        if ids:
            for event in AccessEvent.objects.filter(id__gt=before_access, allowed=True):
                if ids & {str(t) for t in event.target_ids}:
                    problems.append(f"{where}: refused, yet an allowed AccessEvent ({event.action}) names it")
                    break
        return problems

    @staticmethod
    def _outcome(first, status, chain, body) -> tuple:
        text = _NONCE.sub('nonce=""', body)
        text = _CSRF.sub(r'\1""', text)
        text = UUID.sub("<uuid>", text)
        hops = tuple(UUID.sub("<uuid>", url) for url, _ in chain)
        if 200 <= first < 400 and hops:
            # Both accepted the write (the field was ignored): the pages differ by the record
            # each created (a case's short number), which says nothing about the input.
            text = ""
        return (first, status, hops, text)

    def _same_refusal(self, rm, identity, inp, variant, seen) -> list[str]:
        """Forbidden and missing look alike: every refused scope answers as the missing id does."""
        reference = next((o for s, o in seen if s == MISSING), None)
        if reference is None:
            return []
        self.stats.same_refusals += 1
        problems = []
        for scope, outcome in seen:
            if scope == MISSING or outcome == reference:
                continue
            label = f"{rm.id} {inp.where}:{inp.name}" + (
                f" ({variant})" if variant in ("valid", "bare") else ""
            )
            problems.append(
                f"{label} as {identity.key}: {scope} answers {outcome[0]}/{outcome[1]}, missing answers"
                f" {reference[0]}/{reference[1]} — forbidden and missing must look alike"
                f"{_first_difference(outcome[3], reference[3])}"
            )
        return problems


@dataclass
class Sent:
    response: object
    text: str  # the URL and the body: what the request itself carried (echoes of it are no leak)
    valid: bool  # an otherwise-valid form or body


def _first_to_login(response) -> bool:
    chain = getattr(response, "redirect_chain", None)
    if chain:
        return chain[0][0].startswith(("/accounts/login", "/admin/login"))
    return _to_login(response)


def _first_difference(a: str, b: str) -> str:
    a_lines, b_lines = a.splitlines(), b.splitlines()
    for left, right in zip(a_lines, b_lines, strict=False):
        if left.strip() != right.strip():
            return f": «{left.strip()[:160]}» vs «{right.strip()[:160]}»"
    if len(a_lines) != len(b_lines):
        return f": {len(a_lines)} lines vs {len(b_lines)}"
    return ""


def _involves(event: AuditEvent, ids: set[str]) -> bool:
    """Does this write name one of ``ids``: as its target, in its changes, or on the row it wrote?"""
    if event.target_id in ids:
        return True
    changes = json.dumps(event.changes, default=str)
    if any(i in changes for i in ids):
        return True
    row = _row(event)
    if row is None:
        return False
    model = type(row)
    for f in model._meta.concrete_fields:
        if f.is_relation and str(getattr(row, f.attname)) in ids:
            return True
    for f in model._meta.many_to_many:
        if ids & {str(pk) for pk in getattr(row, f.name).values_list("pk", flat=True)}:
            return True
    return False


def _row(event: AuditEvent):
    """The row a write was about, as it now stands (None if gone or not a model)."""
    try:
        model = apps.get_model(event.target_type)
    except (LookupError, ValueError):
        return None
    try:
        return model._default_manager.filter(pk=event.target_id).first()
    except (ValueError, TypeError, DjangoValidationError):
        return None
