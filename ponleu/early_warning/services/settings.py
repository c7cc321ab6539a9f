"""The organisation's rule index (thresholds, weights, flag level) and review capacity."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.common.errors import PermissionDenied
from ponleu.common.versions import claim_version
from ponleu.early_warning import rulebook
from ponleu.early_warning.choices import EwsAction
from ponleu.early_warning.models import EwsSettings
from ponleu.early_warning.selectors import settings_for
from ponleu.education.services.base import Problems


@transaction.atomic
def settings_update(
    *, actor: Actor, version, rules: dict[str, dict], flag_at, capacity_per_school
) -> EwsSettings:
    """``rules`` maps a rule code to {"threshold": ..., "weight": ...}; every bad value is listed."""
    if not actor.can("ews.manage_models"):
        raise PermissionDenied()
    current = settings_for(actor.organisation_id)
    settings = rulebook.from_dict(current.rules)
    problems = Problems()
    items = []
    for rule in settings.rules:
        change = rules.get(rule.code, {})
        threshold, weight = change.get("threshold", rule.threshold), change.get("weight", rule.weight)
        label = str(rulebook.RULE_LABELS.get(rule.code, rule.code))
        try:
            weight = float(weight)
            if not 0 <= weight <= 10:
                raise ValueError
        except (TypeError, ValueError):
            problems.add(
                f"{rule.code}.weight", _("%(rule)s: the weight is a number from 0 to 10.") % {"rule": label}
            )
            weight = rule.weight
        if rule.code in rulebook.NUMERIC_RANGES:
            low, high = rulebook.NUMERIC_RANGES[rule.code]
            try:
                threshold = float(threshold)
                if not low <= threshold <= high:
                    raise ValueError
            except (TypeError, ValueError):
                problems.add(
                    f"{rule.code}.threshold",
                    _("%(rule)s: the threshold is a number from %(low)s to %(high)s.")
                    % {"rule": label, "low": low, "high": high},
                )
                threshold = rule.threshold
        else:
            threshold = rule.threshold
        items.append(
            {
                "code": rule.code,
                "feature": rule.feature,
                "op": rule.op,
                "threshold": list(threshold) if isinstance(threshold, tuple) else threshold,
                "weight": weight,
            }
        )
    try:
        flag_at = float(flag_at)
        if not 0 < flag_at <= 20:
            raise ValueError
    except (TypeError, ValueError):
        problems.add("flag_at", _("The flag level is a number above 0."))
    try:
        capacity = int(capacity_per_school)
        if not 1 <= capacity <= 1000:
            raise ValueError
    except (TypeError, ValueError):
        problems.add(
            "capacity_per_school", _("Give how many students per school can be reviewed, 1 to 1000.")
        )
    problems.raise_if_any()
    data = {"flag_at": flag_at, "rules": items}
    if current._state.adding:
        current.rules, current.capacity_per_school = data, capacity
        current.save()
        before = {}
    else:
        claim_version(current, version)
        before = {"rules": current.rules, "capacity_per_school": current.capacity_per_school}
        current.rules, current.capacity_per_school = data, capacity
        current.save()
    audit.record(
        actor=actor,
        action=EwsAction.SETTINGS_UPDATED,
        target=current,
        changes=audit.diff(before, {"rules": data, "capacity_per_school": capacity}),
    )
    return current
