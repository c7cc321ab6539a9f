"""JSON bodies the adversarial matrix sends: valid for the operation's schema, with every flag low.

A type tells most values (a date, a number, a list); the codes a plain string must hold (a case
type, an event) are in ``EXAMPLES``, by schema. Every yes/no field is sent as *no*, whether the
schema requires it or not: ``is_sensitive: false`` is the attack worth trying on every record.
"""

from __future__ import annotations

import datetime as dt
import typing
import uuid
from collections.abc import Callable

from pydantic import BaseModel

from .inputs import KEYED, KIND_OF

TODAY = object()  # stands for the day the pass runs on
EXAMPLES = {
    "CaseOpenIn": {"case_type": "trafficking", "source": "police", "summary": "Matrix"},
    "CasePatchIn": {"summary": "Matrix"},
    "TransitionIn": {"event": "start_review", "reason": "Matrix"},
    "AssignIn": {"reason": "Matrix"},
    "TraffickingIn": {"destination": "thailand"},
    "LabourIn": {"workplace_type": "agriculture"},
    "AssessmentIn": {"instrument": "danger_factors", "answers": {}},
    "GoalIn": {"domain": "3A"},
    "ActionPatchIn": {"status": "done", "done_on": TODAY},
    "NoteIn": {"interaction": "home_visit"},
    "MeasurementIn": {"muac_mm": 140, "village_code": ""},
    "ServiceIn": {"service_type": "healthcare", "currency": "KHR"},
    "PlacementIn": {"placement_type": "kinship"},
    "FollowUpIn": {"outcome": "doing_well"},
    "PersonCreateIn": {
        "kind": "child",
        "sex": "f",
        "family_name_latin": "Matrix",
        "given_name_latin": "Probe",
    },
}


def fill(schema: type[BaseModel], today: dt.date, id_for: Callable[[str], object]) -> dict:
    """A body for ``schema``; ``id_for(name)`` gives a required id field its (valid) value."""
    example = EXAMPLES.get(schema.__name__, {})
    body: dict = {}
    for name, f in schema.model_fields.items():
        annotation = f.annotation
        if name in example:
            body[name] = today.isoformat() if example[name] is TODAY else example[name]
        elif _bool(annotation):
            body[name] = False
        elif not f.is_required():
            continue
        elif name in KIND_OF or name in KEYED:
            body[name] = id_for(name)
        else:
            body[name] = _sample(annotation, name, today)
    return body


def set_dotted(body: dict, dotted: str, value) -> None:
    *parents, leaf = dotted.split(".")
    target = body
    for name in parents:
        target = target.setdefault(name, {})
    target[leaf] = value


def _bool(annotation) -> bool:
    if annotation is bool:
        return True
    args = typing.get_args(annotation)
    return bool(args) and all(a in (bool, type(None)) for a in args)


def _sample(annotation, name: str, today: dt.date):
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    base = args[0] if args and typing.get_origin(annotation) is not list else annotation
    origin = typing.get_origin(base)
    if base is dt.date:
        return today.isoformat()
    if base is dt.datetime:
        return f"{today.isoformat()}T09:00:00+07:00"
    if base is int or base is float:
        return 1
    if base is bool:
        return False
    if origin is list or base is list:
        return []
    if origin is dict or base is dict:
        return {}
    if base is uuid.UUID:
        return str(uuid.uuid4())
    return f"Matrix {name}"
