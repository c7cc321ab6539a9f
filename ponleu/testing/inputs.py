"""Every id-typed input of every route, found in the code: what the adversarial matrix fills.

A request carries ids in four places; each is found where the code declares or reads it, so a
new input is in the next run without anyone listing it:

- **path**: the URL conf's keyword arguments (``<uuid:person_id>``), as the path-id matrix;
- **keys a view reads itself**: ``request.GET.get("person")``, ``request.POST["token"]``,
  ``{k: v for k, v in request.POST.items() if k.startswith("s-")}`` (an id in the key), found
  by reading the source of the view (its class, the Ponleu classes it inherits from, the module
  functions it calls) and of any filter object it hands ``request.GET`` to;
- **form fields**: the fields of every form class a view names (``form_class`` or any form it
  builds), on the query string when the form is built from ``request.GET``;
- **Ninja operations**: the fields of each operation's path, query and body schemas.

Which inputs name an object, and of which kind, follows from the name (``KIND_OF``), the type
(a UUID, a model choice) or the shape (an id in a key). Anything that looks like an id — every
key a view reads, every UUID or run-time choice field, every API query parameter, every field
named ``*_id`` — must be classified here, as a kind or in ``NOT_IDS`` with the reason:
``tests/security/test_matrix_inputs.py`` fails on one that is neither, so an input cannot slip
past the matrix unclassified.
"""

from __future__ import annotations

import ast
import builtins
import functools
import inspect
import sys
import textwrap
import types
import typing
import uuid
from dataclasses import dataclass

from django import forms
from django.urls import get_resolver
from pydantic import BaseModel

from .permissions import METHODS, RouteMethod, _path_view, _walk, object_kwargs

# The kind of object an input names, by the input's name. The kinds are filled by
# ponleu/testing/input_values.py.
KIND_OF = {
    "person": "person",
    "person_id": "person",
    "child_id": "person",
    "other": "person",  # the second record of a merge
    "household": "household",
    "household_id": "household",
    "member_id": "household_member",
    "phone_id": "phone",
    "identifier_id": "identifier",
    "consent_id": "consent",
    "referral_id": "referral",
    "plan_id": "support_plan",
    "pregnancy_id": "pregnancy",
    "anc_id": "antenatal_visit",
    "job_id": "job",
    "directory_job_id": "directory_job",
    "case_id": "case",
    "case": "case",
    "case_type_id": "case_type",
    "goal": "goal",
    "goals": "goal",
    "goal_id": "goal",
    "goal_ids": "goal",
    "action_id": "action",
    "placement_id": "placement",
    "follow_up_id": "follow_up",
    "attachment_id": "attachment",
    "owner": "user",
    "owner_id": "user",
    "caseworker": "user",
    "caseworker_id": "user",
    "team": "team",
    "team_id": "team",
    "homeroom_teacher": "membership",
    "member": "membership",  # a reset link is issued for one membership
    "school": "school",
    "school_id": "school",
    "class": "class",
    "class_id": "class",
    "year": "year",
    "year_id": "year",
    "enrolment": "enrolment",
    "enrolment_id": "enrolment",
    "test": "assessment",
    "flag_id": "flag",
    "flag": "flag",
    "risk_flag_id": "flag",
    "intervention_id": "intervention",
    "model_id": "model",
    "token": "device_token",
    "form_version_id": "form_version",
    "collection_form_id": "collection_form",
    "submission_id": "submission",
    "teams": "team",  # a form is published to teams of the organisation
    "device": "organisation_device",  # a user manager revokes any of the organisation's tokens
    "group_id": "group",
    "event_id": "event",
    "project_ids": "project",
    "staff_ids": "user",
    "user_id": "user",
    "present": "group_member",  # the session API: memberships present
    "project_id": "project",
    "session_id": "session",
    "visit_id": "visit",
    "seen_id": "child_seen",
    "out_of_school_id": "out_of_school",
    "profile_id": "youth_profile",
    "offer_id": "job_offer",
    "offer": "job_offer",
    "job_placement_id": "job_placement",
    "course_id": "course",
    "nursery": "nursery",  # the nursery a development check is taken in
    "nursery_id": "nursery",
    "factory_id": "factory",
    "participants.person_id": "person",
    "participants.user_id": "user",
    "scheme_id": "scheme",
    "measurement_id": "measurement",
    "alert_id": "sam_alert",
    "dev_item_id": "dev_item",
    "application_id": "application",
    "award_id": "award",
    "payment_id": "payment",
    "payments": "payment",  # the payments recorded as paid, from the scheme's page
}

# Ids carried in a key rather than a value: a form key's prefix (``s-<enrolment id>``) or a
# JSON object whose keys are ids.
KEYED = {
    "s-": "enrolment",  # roll call: one status per pupil
    "score-": "enrolment",  # marks: one score per pupil
    "statuses": "enrolment",  # the roll-call API: enrolment id → status
    "m-": "group_member",  # a session's attendance: one status per member
    "i-": "dev_item",  # a development check: one answer per item of the checklist
    "results": "dev_item",  # the development check API: item id → achieved
}

# Inputs that search people by name: probed with the names of people at every distance.
NAME_PROBES = frozenset({"q", "family_name_km", "given_name_km", "family_name_latin", "given_name_latin"})

# Inputs that look like ids (read from a request, a run-time choice, an API parameter, ``*_id``)
# but name no record, and why.
NOT_IDS = {
    **dict.fromkeys(
        ("case_type", "subtype", "service_type", "instruments", "capabilities", "language", "event"),
        "a code from the organisation's configuration or a fixed list",
    ),
    **dict.fromkeys(
        (
            "status",
            "kind",
            "sex",
            "age_band",
            "disability",
            "idpoor",
            "interaction",
            "part",
            "action",
            "keep",
            "decision",
            "standard",
            "export",
            "level",
        ),
        "a choice from a fixed list",
    ),
    **dict.fromkeys(
        (
            "mine",
            "urgent",
            "overdue",
            "visit_due",
            "approval",
            "remove",
            "pending",
            "setup",
            "received",
            "awaiting",
            "create_new",
            "stalled",
            "awaiting",
            "old",
            "graduated",
            "due",
            "declined",
            "check",
            "anc",
            "anc_overdue",
            "certificate",
            "consent_given",
            "short",
        ),
        "a yes/no flag",
    ),
    **dict.fromkeys(("service", "cost"), "a choice from a fixed list"),
    "commune": "a place code from the public gazetteer",
    "village": "a place code from the public gazetteer (the growth monitoring day to return to)",
    "indicator": "a choice from a fixed list (the growth chart shown)",
    "falls_short": "a yes/no flag",
    "place_code": "a place code from the public gazetteer",
    **dict.fromkeys(
        ("employer", "employer_id"),
        "an employer of the service directory, shared by the whole installation (not personal data)",
    ),
    "months": "which follow-up of a placement: 3 or 6 months",
    **dict.fromkeys(
        ("provider", "provider_id", "facility", "facility_id", "planned_facility", "planned_facility_id"),
        "a provider of the service directory, shared by the whole installation (not personal data)",
    ),
    "ProviderIn.organisation_id": "an organisation of the installation, which the directory names publicly",
    "organisation": "an organisation of the installation a directory entry names, which the directory names publicly",
    "recipient": "an organisation of the installation a consent names, which the directory names publicly",
    "send_key": "an idempotency key the client makes up, naming nothing until it is used",
    **dict.fromkeys(("page", "per_page"), "a page number"),
    "before": "a paging cursor over audit rows the selector has already scoped",
    **dict.fromkeys(("date", "month", "since", "from", "held_on", "period", "checked_on"), "a date"),
    "child-sex": "a choice from a fixed list",
    "confirmed_new": "a yes/no flag",
    **dict.fromkeys(("reason",), "free text"),
    "version": "the version of the record the path names",
    **dict.fromkeys(("form", "step"), "which form of the page is sent"),
    **dict.fromkeys(("area", "parent", "village_q"), "a place code or place name from the public gazetteer"),
    "next": "a URL to go back to (checked by url_has_allowed_host_and_scheme)",
    "answers": "assessment answers keyed by the instrument's item codes",
    "module": "which questionnaire of the functioning assessment",
    # Schema fields, named by their schema: a plain string named like a kind of record.
    "PhoneIn.owner": "whose phone: a code (self, caregiver)",
    **dict.fromkeys(("primero_case_id", "oscar_global_id"), "another system's reference, free text"),
}

Where = str  # "path", "query", "form", "form-key", "json", "json-key"
# Classes of these libraries are not read (Django's View, Ninja's machinery): only the project's.
LIBRARIES = ("django.", "ninja.", "builtins")


@dataclass(frozen=True)
class Input:
    """One input of one route and method that carries an id (or a name to search for)."""

    rm: RouteMethod
    where: Where
    name: str  # the parameter, field or key prefix; a dotted path inside a JSON body
    kind: str  # a kind of KIND_OF's values, or "name"
    source: str  # where the code declares or reads it
    many: bool = False

    @property
    def id(self) -> str:
        return f"{self.rm.id} {self.where}:{self.name}"


# --- reading a view's source ----------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    where: Where  # "query", "form" or "form-key"
    key: str
    method: str  # "get", "post", ... or "*" (a helper every method may call)
    source: str


def _is_request_dict(node, which=("GET", "POST")) -> str | None:
    """``request.GET`` or ``self.request.POST`` (and the like): which one, else None."""
    if isinstance(node, ast.BoolOp):  # request.GET or None
        for value in node.values:
            found = _is_request_dict(value, which)
            if found:
                return found
        return None
    if isinstance(node, ast.Attribute) and node.attr in which:
        base = node.value
        if isinstance(base, ast.Name) and base.id == "request":
            return node.attr
        if isinstance(base, ast.Attribute) and base.attr == "request":
            return node.attr
    return None


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _parse(obj) -> ast.AST | None:
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(obj)))
    except (OSError, TypeError, SyntaxError):
        return None


def _resolve(node, namespace: dict, owner: type | None):
    """The object an expression names (a module global, an attribute chain, ``self.x``)."""
    if isinstance(node, ast.Name):
        if node.id in namespace:
            return namespace[node.id]
        return getattr(builtins, node.id, None)
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id == "self" and owner is not None:
            return inspect.getattr_static(owner, node.attr, None)
        base = _resolve(node.value, namespace, owner)
        if base is None:
            return None
        try:
            return getattr(base, node.attr, None)
        except Exception:  # noqa: BLE001 - a descriptor that cannot be read on the class
            return None
    return None


def _is_form(obj) -> bool:
    return inspect.isclass(obj) and issubclass(obj, forms.BaseForm)


def _function(obj):
    if isinstance(obj, classmethod | staticmethod):
        obj = obj.__func__
    obj = inspect.unwrap(obj) if callable(obj) else obj
    return obj if isinstance(obj, types.FunctionType | types.MethodType) else None


def _parameter_reads(func, position: int, source: str) -> list[str]:
    """Keys read from the positional parameter ``position`` of ``func`` (a filter's from_params)."""
    target = _function(func)
    if target is None:
        return []
    names = list(inspect.signature(target).parameters)
    if position >= len(names):
        return []
    param = names[position]
    tree = _parse(target)
    if tree is None:
        return []
    keys = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "getlist")
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == param
            and node.args
            and _literal(node.args[0])
        ):
            keys.append(node.args[0].value)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == param
            and _literal(node.slice)
        ):
            keys.append(node.slice.value)
    return keys


@dataclass
class Scan:
    """What one body of code reads from the request, and which forms it builds."""

    reads: list[Read]
    forms: list[tuple[type, str, str, str]]  # (form class, "query" or "form", method, source)
    calls: set  # module functions it calls (by object)


def _scan_function(fn: ast.FunctionDef, method: str, namespace: dict, owner, where_name: str) -> Scan:
    scan = Scan([], [], set())
    get_bound = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            func = node.func
            # request.GET.get("x"), request.POST.getlist("x")
            if isinstance(func, ast.Attribute) and func.attr in ("get", "getlist", "pop"):
                which = _is_request_dict(func.value)
                key = _literal(node.args[0]) if node.args else None
                if which and key:
                    where = "query" if which == "GET" else "form"
                    scan.reads.append(
                        Read(where, key, method, f"{where_name} reads request.{which}[{key!r}]")
                    )
                    continue
            # Anything handed request.GET / request.POST: a form, or a filter's from_params.
            for position, arg in enumerate(node.args):
                which = _is_request_dict(arg)
                if not which:
                    continue
                callee = _resolve(func, namespace, owner)
                if _is_form(callee):
                    where = "query" if which == "GET" else "form"
                    scan.forms.append((callee, where, method, f"{where_name} builds {callee.__name__}"))
                    if which == "GET":
                        get_bound.add(callee)
                elif callee is not None:
                    # A method named through self is read unbound: its first parameter is self.
                    via_self = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    offset = 1 if via_self and func.value.id == "self" else 0
                    for key in _parameter_reads(callee, position + offset, where_name):
                        where = "query" if which == "GET" else "form"
                        label = getattr(callee, "__qualname__", repr(callee))
                        scan.reads.append(
                            Read(where, key, method, f"{where_name} hands request.{which} to {label}")
                        )
            callee = _resolve(func, namespace, owner) if isinstance(func, ast.Name) else None
            if isinstance(callee, types.FunctionType) and callee.__module__ == namespace.get("__name__"):
                scan.calls.add(callee)
        elif isinstance(node, ast.Subscript):
            which = _is_request_dict(node.value)
            key = _literal(node.slice)
            if which and key:
                where = "query" if which == "GET" else "form"
                scan.reads.append(Read(where, key, method, f"{where_name} reads request.{which}[{key!r}]"))
        elif isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            # {k: v for k, v in request.POST.items() if k.startswith("s-")}: an id in the key.
            over = [
                _is_request_dict(g.iter.func.value)
                for g in node.generators
                if isinstance(g.iter, ast.Call)
                and isinstance(g.iter.func, ast.Attribute)
                and g.iter.func.attr == "items"
            ]
            which = next((w for w in over if w), None)
            if which:
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Attribute)
                        and inner.func.attr == "startswith"
                        and inner.args
                        and _literal(inner.args[0])
                    ):
                        prefix = inner.args[0].value
                        where = "query-key" if which == "GET" else "form-key"
                        scan.reads.append(
                            Read(where, prefix, method, f"{where_name} reads request.{which} keys {prefix}…")
                        )
        if isinstance(node, ast.Name | ast.Attribute):
            found = _resolve(node, namespace, owner)
            if _is_form(found) and found not in get_bound:
                scan.forms.append((found, "form", method, f"{where_name} names {found.__name__}"))
    # A form built from request.GET somewhere in the function is a query form there, not a POST one.
    scan.forms = [f for f in scan.forms if not (f[1] == "form" and f[0] in get_bound)]
    return scan


@functools.cache
def _scan_class(view_class: type) -> Scan:
    total = Scan([], [], set())
    for klass in view_class.__mro__:
        if klass.__module__.startswith(LIBRARIES):
            continue
        namespace = vars(sys.modules[klass.__module__])
        for value in vars(klass).values():  # form_class = SomeForm
            if _is_form(value):
                total.forms.append((value, "form", "*", f"{klass.__name__}.form_class"))
        tree = _parse(klass)
        if tree is None:
            continue
        cls_node = tree.body[0]
        for fn in cls_node.body:
            if isinstance(fn, ast.FunctionDef):
                method = fn.name if fn.name in METHODS else "*"
                part = _scan_function(fn, method, namespace, view_class, f"{klass.__name__}.{fn.name}")
                total.reads += part.reads
                total.forms += part.forms
                total.calls |= part.calls
    # Module functions the view calls, one level down (a helper that reads the request itself).
    for helper in list(total.calls):
        tree = _parse(helper)
        if tree is None:
            continue
        namespace = vars(sys.modules[helper.__module__])
        part = _scan_function(tree.body[0], "*", namespace, None, helper.__qualname__)
        total.reads += part.reads
        total.forms += part.forms
    return total


def _scan_callable(func) -> Scan:
    target = inspect.unwrap(func)
    tree = _parse(target)
    if tree is None:
        return Scan([], [], set())
    namespace = vars(sys.modules[target.__module__])
    return _scan_function(tree.body[0], "*", namespace, None, target.__qualname__)


# --- classifying ------------------------------------------------------------------------------


def kind_of(name: str) -> str | None:
    if name in KIND_OF:
        return KIND_OF[name]
    if name in NAME_PROBES:
        return "name"
    return None


def _looks_like_id(name: str) -> bool:
    return name.endswith(("_id", "_ids")) or name in KIND_OF


def _dynamic_choices(field) -> bool:
    return (
        isinstance(field, forms.ChoiceField)
        and not isinstance(field, forms.ModelChoiceField)
        and not list(field.choices)
    )


def form_field_kind(name: str, field) -> tuple[str | None, bool, bool]:
    """(kind or None, many, must be classified) for one form field."""
    many = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    if isinstance(field, forms.ModelChoiceField):
        return (kind_of(name) or field.queryset.model._meta.model_name), many, False
    if isinstance(field, forms.ChoiceField) and not _dynamic_choices(field):
        return None, many, False  # a fixed list of codes (whose phone: "self" or "caregiver")
    kind = kind_of(name)
    must = isinstance(field, forms.UUIDField) or _dynamic_choices(field) or _looks_like_id(name)
    return kind, many, must and kind is None


def _annotation_args(annotation) -> tuple:
    return typing.get_args(annotation) or ()


def _is_uuid(annotation) -> tuple[bool, bool]:
    """(carries a UUID, is a list of them)."""
    if annotation is uuid.UUID:
        return True, False
    origin = typing.get_origin(annotation)
    args = _annotation_args(annotation)
    if origin in (list, tuple, set, frozenset) and args and args[0] is uuid.UUID:
        return True, True
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            found, many = _is_uuid(arg)
            if found:
                return True, many
    return False, False


def _is_dict(annotation) -> bool:
    return annotation is dict or typing.get_origin(annotation) is dict


def _model_of(annotation):
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return annotation
    for arg in _annotation_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


# --- the inventory ---------------------------------------------------------------------------


_TARGETS: dict = {}


def targets() -> dict:
    """(route, method) → the Ninja operation; route → the view callback (of the URL conf in use)."""
    resolver = get_resolver()
    if resolver not in _TARGETS:
        _TARGETS[resolver] = _find_targets(resolver)
    return _TARGETS[resolver]


def _find_targets(resolver) -> dict:
    found: dict = {}
    for route, _namespace, entry, _keys, app in _walk(resolver.url_patterns):
        if app == "admin":
            continue
        path_view = _path_view(entry.callback)
        if path_view is not None:
            for operation in path_view.operations:
                for method in operation.methods:
                    found.setdefault((route, method.lower()), operation)
            continue
        found.setdefault(route, entry.callback)
    return found


BY_NAME = object()  # an input's kind follows from its name


@dataclass
class Inventory:
    inputs: list[Input]
    unclassified: list[str]  # inputs that look like ids and are neither a kind nor NOT_IDS


def inventory(found: list[RouteMethod]) -> Inventory:
    inputs: dict[tuple, Input] = {}
    unclassified: list[str] = []

    def add(rm, where, name, source, *, kind=BY_NAME, many=False, must=True):
        if kind is BY_NAME:
            kind = kind_of(name)
        if kind is None:
            if must and name not in NOT_IDS:
                unclassified.append(f"{rm.id} {where}:{name} ({source}): add it to KIND_OF or NOT_IDS")
            return
        key = (rm, where, name)
        inputs.setdefault(key, Input(rm, where, name, kind, source, many))

    found_targets = targets()
    for rm in found:
        if rm.kind not in ("view", "api"):
            continue
        for kwarg in object_kwargs(rm):
            add(rm, "path", kwarg, "the URL conf")
        if rm.kind == "api":
            _api_inputs(rm, found_targets.get((rm.route, rm.method)), add)
        else:
            _view_inputs(rm, found_targets.get(rm.route), add)
    return Inventory(list(inputs.values()), sorted(set(unclassified)))


def _view_inputs(rm: RouteMethod, callback, add) -> None:
    view_class = getattr(callback, "view_class", None)
    scan = _scan_class(view_class) if view_class is not None else _scan_callable(callback)
    writes = rm.method != "get"
    for read in scan.reads:
        if read.method not in ("*", rm.method):
            continue
        if read.where in ("form", "form-key") and not writes:
            continue
        if read.where.endswith("-key"):
            add(rm, read.where, read.key, read.source, kind=KEYED.get(read.key))
        else:
            add(rm, read.where, read.key, read.source)
    for form_class, where, method, source in scan.forms:
        if method not in ("*", rm.method):
            continue
        if where == "form" and not writes:
            continue
        for name, field in form_class.base_fields.items():
            kind, many, must = form_field_kind(name, field)
            add(rm, where, name, f"{source}: {form_class.__name__}.{name}", kind=kind, many=many, must=must)


def _api_inputs(rm: RouteMethod, operation, add) -> None:
    if operation is None:
        return
    for model in operation.models:
        source = model.__ninja_param_source__
        for name, field in model.model_fields.items():
            if source == "path":
                continue  # from the URL conf already
            if source == "body":
                schema = _model_of(field.annotation)
                if schema is not None:
                    _schema_inputs(rm, schema, "", add)
                continue
            # A query schema (``pages: Query[PageIn]``) sends its fields as parameters of their own.
            nested = _model_of(field.annotation)
            parameters = nested.model_fields.items() if nested is not None else [(name, field)]
            for parameter, parameter_field in parameters:
                found, many = _is_uuid(parameter_field.annotation)
                # Every query parameter is classified: they are few, and a str may carry an id.
                source = f"{operation.view_func.__name__}({parameter})"
                add(rm, "query", parameter, source, many=many, must=True)
                del found
    scan = _scan_callable(operation.view_func)
    for read in scan.reads:
        add(rm, read.where, read.key, read.source)


def _schema_inputs(rm, schema, prefix: str, add) -> None:
    for name, field in schema.model_fields.items():
        dotted = f"{prefix}{name}"
        source = f"{schema.__name__}.{name}"
        nested = _model_of(field.annotation)
        if nested is not None:
            _schema_inputs(rm, nested, f"{dotted}.", add)
            continue
        if source in NOT_IDS:
            continue
        if _is_dict(field.annotation):
            add(rm, "json-key", dotted, source, kind=KEYED.get(name), must=name not in NOT_IDS)
            continue
        found, many = _is_uuid(field.annotation)
        if not found and not name.endswith(("_id", "_ids")) and name in KIND_OF:
            # A plain string named like a kind of record: an id, or a code to be listed in NOT_IDS.
            add(rm, "json", dotted, source, many=many, must=True)
            continue
        add(rm, "json", dotted, source, many=many, must=found or _looks_like_id(name))
