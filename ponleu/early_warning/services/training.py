"""Risk model versions: train on the organisation's own finished school years, test, activate, retire.

Training follows the evaluation protocol (docs/early-warning): each finished year is cut at
several points of the year (days after it starts); at each cut-off the population is the students
enrolled and not yet gone, the label is dropping out after the cut-off and by the end of that
year, and the features use only what was known that day. With two or more finished years, the
model is tested on the latest after training on the earlier ones, then refitted on all of them;
with one, it is tested on a grouped fifth of the students, labelled "random split; optimistic".
Sex and disability are never inputs here; the subgroup table reports on them.

Fewer than 50 dropouts in the training data: the engine refuses, nothing is stored, the rule
index stays in use. A new model is a candidate until someone holding ``ews.manage_models``
activates it (audited); activating retires the previous one.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ponleu.access.actors import Actor
from ponleu.audit import services as audit
from ponleu.common import clock
from ponleu.common.errors import PermissionDenied, ValidationFailed
from ponleu.early_warning import artefacts, risk, rulebook, sources
from ponleu.early_warning.choices import EwsAction, ModelStatus
from ponleu.early_warning.engine import metrics
from ponleu.early_warning.engine.features import FeatureFrame
from ponleu.early_warning.engine.model import NotEnoughDropouts, TrainingSettings, grouped_folds, train_model
from ponleu.early_warning.engine.rules import rule_index
from ponleu.early_warning.models import RiskModel
from ponleu.early_warning.selectors import settings_for
from ponleu.early_warning.tasks import model_train_task
from ponleu.education.models import AcademicYear
from ponleu.jobs import services as jobs
from ponleu.jobs.models import Job

CUTOFF_DAYS = (28, 56, 84, 112, 140, 168)
SUBGROUPS = ("sex", "disability", "poverty_level", "province_code")
# The model flags as many students as the rule index did on the training data, and at most one in
# five: the workload the evaluation protocol reports recall at, and about what a school can review.
MAX_FLAG_RATE = 0.2


@dataclass
class _Slice:
    frame: FeatureFrame  # model inputs (no protected attributes)
    y: np.ndarray
    groups: np.ndarray
    attributes: dict
    year: int
    rule_flags: np.ndarray


def _slices(year: AcademicYear, year_index: int, settings) -> list[_Slice]:
    loaded = sources.load(year)
    out = []
    for days in CUTOFF_DAYS:
        cutoff = year.starts_on + dt.timedelta(days=days)
        if cutoff >= year.ends_on:
            break
        population = [
            i
            for i, left in enumerate(loaded.left_on)
            if loaded.records.enrolled_on[i] <= np.datetime64(cutoff) and (left is None or left > cutoff)
        ]
        if not population:
            continue
        rows = np.array(population)
        frame = risk.frame_at(loaded, cutoff).take(rows)
        y = sources.dropped_between(loaded, cutoff, year.ends_on)[rows]
        attributes = {
            "sex": frame.column("sex"),
            "disability": frame.column("disability"),
            "poverty_level": frame.column("poverty_level"),
            "province_code": frame.column("province_code"),
        }
        flags = rule_index(frame, settings).flagged
        keyed = FeatureFrame(
            np.array([f"{k}@{days}" for k in frame.keys], dtype=object),
            frame.numeric_names,
            frame.numeric,
            frame.categorical_names,
            frame.categorical,
            frame.available_at,
        )
        out.append(
            _Slice(
                risk.model_frame(keyed),
                y,
                np.array([str(loaded.person_ids[i]) for i in rows]),
                attributes,
                year_index,
                flags,
            )
        )
    return out


def _join(slices: list[_Slice]) -> _Slice:
    return _Slice(
        FeatureFrame.concat([s.frame for s in slices]),
        np.concatenate([s.y for s in slices]),
        np.concatenate([s.groups for s in slices]),
        {k: np.concatenate([s.attributes[k] for s in slices]) for k in SUBGROUPS},
        -1,
        np.concatenate([s.rule_flags for s in slices]),
    )


def _take(s: _Slice, rows) -> _Slice:
    return _Slice(
        s.frame.take(rows),
        s.y[rows],
        s.groups[rows],
        {k: v[rows] for k, v in s.attributes.items()},
        s.year,
        s.rule_flags[rows],
    )


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _evaluate(test: _Slice, p: np.ndarray) -> tuple[dict, dict]:
    keys = test.frame.keys
    block = metrics.point_metrics(test.y, p, keys)
    block["n"], block["positives"] = int(len(test.y)), int(test.y.sum())
    block["base_rate"] = float(test.y.mean()) if len(test.y) else None
    rule = metrics.flag_metrics(test.y, test.rule_flags)
    model_at_rule = metrics.flag_metrics(test.y, metrics.top_k(p, keys, int(test.rule_flags.sum())))
    block["rule_index"] = {k: rule.get(k) for k in ("flag_rate", "precision", "recall")}
    block["model_at_rule_flag_rate"] = {k: model_at_rule.get(k) for k in ("precision", "recall")}
    table = metrics.subgroups(test.y, p, keys, test.attributes, intervals=False)
    return _plain(block), _plain(table)


def _not_enough(count: int, minimum: int) -> str:
    return _(
        "%(count)s students dropped out in the training data; at least %(minimum)s are needed to train a "
        "model. The rule index stays in use."
    ) % {"count": count, "minimum": minimum}


@transaction.atomic
def model_train(*, actor: Actor, settings: TrainingSettings | None = None) -> RiskModel:
    """Train a candidate model on the organisation's finished school years."""
    if not actor.can("ews.manage_models"):
        raise PermissionDenied()
    today = clock.today()
    years = list(
        AcademicYear.objects.filter(organisation_id=actor.organisation_id, ends_on__lt=today).order_by(
            "starts_on"
        )
    )
    if not years:
        raise ValidationFailed(
            _(
                "No school year has finished yet: a model needs at least one finished year. The rule index stays in use."
            )
        )
    rules = rulebook.from_dict(settings_for(actor.organisation_id).rules)
    per_year = [_slices(year, i, rules) for i, year in enumerate(years)]
    settings = settings or TrainingSettings()
    if not any(per_year):
        raise ValidationFailed(_not_enough(0, settings.min_dropouts))
    everything = _join([s for slices in per_year for s in slices])
    # A child counted at several cut-offs is still one dropout: the minimum is about children.
    children = len(set(everything.groups[everything.y == 1]))
    if children < settings.min_dropouts:
        raise ValidationFailed(_not_enough(children, settings.min_dropouts))
    window = {
        "years": [y.name for y in years],
        "from": years[0].starts_on.isoformat(),
        "to": years[-1].ends_on.isoformat(),
        "cutoff_days": list(CUTOFF_DAYS),
        "outcome": "Dropped out after the cut-off and by the end of that school year. A transfer to another "
        "school counts as staying; students gone by the cut-off are not in the population.",
    }
    try:
        if len(years) > 1:
            split = "cohort"
            train = _join([s for slices in per_year[:-1] for s in slices])
            test = _join(per_year[-1])
            window["test_year"] = years[-1].name
            trial = train_model(train.frame, train.y, groups=train.groups, settings=settings, window=window)
        else:
            split = "random"
            fit, held = grouped_folds(everything.y, everything.groups, 5, settings.seed)[0]
            train, test = _take(everything, fit), _take(everything, held)
            trial = train_model(train.frame, train.y, groups=train.groups, settings=settings, window=window)
        block, table = _evaluate(test, trial.predict_proba(test.frame))
        final = train_model(
            everything.frame, everything.y, groups=everything.groups, settings=settings, window=window
        )
    except NotEnoughDropouts as refused:
        raise ValidationFailed(_not_enough(refused.dropouts, refused.minimum)) from None
    block["split"] = split
    if split == "random":
        block["note"] = "random split; optimistic"
    flag_rate = min(float(everything.rule_flags.mean()) if len(everything.y) else 0.0, MAX_FLAG_RATE)
    p_all = final.predict_proba(everything.frame)
    threshold = float(np.quantile(p_all, 1 - flag_rate)) if 0 < flag_rate < 1 else 0.5
    data, digest = artefacts.dump(final)
    number = (
        RiskModel.objects.filter(organisation_id=actor.organisation_id).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    model = RiskModel.objects.create(
        organisation_id=actor.organisation_id,
        number=number,
        family=final.family,
        trained_by_id=actor.user_id,
        trained_at=clock.now(),
        window=_plain(window),
        metrics=block,
        subgroups=table,
        card=_plain(final.card),
        threshold=threshold,
        artefact=data,
        digest=digest,
    )
    audit.record(
        actor=actor,
        action=EwsAction.MODEL_TRAINED,
        target=model,
        changes={
            "version": [None, number],
            "family": [None, final.family],
            "roc_auc": [None, block.get("roc_auc")],
            "split": [None, split],
            "years": [None, window["years"]],
        },
    )
    return model


@transaction.atomic
def model_activate(*, actor: Actor, model: RiskModel, reason: str = "") -> RiskModel:
    """Put a model in use for scoring; the one in use before is retired."""
    if model.organisation_id != actor.organisation_id or not actor.can("ews.manage_models"):
        raise PermissionDenied()
    if model.status == ModelStatus.ACTIVE:
        return model
    previous = RiskModel.objects.filter(
        organisation_id=actor.organisation_id, status=ModelStatus.ACTIVE
    ).first()
    if previous is not None:
        previous.status = ModelStatus.RETIRED
        previous.save(update_fields=["status", "updated_at"])
    model.status = ModelStatus.ACTIVE
    model.activated_at, model.activated_by_id = clock.now(), actor.user_id
    model.save(update_fields=["status", "activated_at", "activated_by", "updated_at"])
    audit.record(
        actor=actor,
        action=EwsAction.MODEL_ACTIVATED,
        target=model,
        changes={"active_model": [previous.number if previous else None, model.number]},
        reason=reason,
    )
    return model


@transaction.atomic
def model_retire(*, actor: Actor, model: RiskModel, reason: str = "") -> RiskModel:
    """Stop using a model: scoring falls back to the rule index."""
    if model.organisation_id != actor.organisation_id or not actor.can("ews.manage_models"):
        raise PermissionDenied()
    before = model.status
    model.status = ModelStatus.RETIRED
    model.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action=EwsAction.MODEL_RETIRED,
        target=model,
        changes={"status": [before, model.status]},
        reason=reason,
    )
    return model


# --- as a job the person can watch ----------------------------------------------------------

JOB_KIND = "early_warning.train"


@transaction.atomic
def model_train_request(*, actor: Actor) -> Job:
    """Queue training (it takes a while); the model list shows the job until it is done."""
    if not actor.can("ews.manage_models") or actor.user_id is None:
        raise PermissionDenied()
    job = jobs.job_create(actor=actor, kind=JOB_KIND, capability="ews.manage_models")
    transaction.on_commit(lambda: model_train_task.enqueue(str(job.pk)))
    return job


def _train(job: Job, actor: Actor) -> dict:
    model = model_train(actor=actor)
    return {"model": str(model.pk), "number": model.number}


def model_train_run(*, job_id) -> Job | None:
    """The task's body. Idempotent: a job that is not queued is left alone."""
    return jobs.job_run(
        job_id=job_id,
        kind=JOB_KIND,
        work=_train,
        refused=gettext_lazy("You may no longer train risk models."),
    )
