"""The backtest of the history format: how well would a model trained on the past have warned?

At each cut-off (days after each cohort's start) the population is every student enrolled on or
before the cut-off date who has not left by then; the label is leaving after the cut-off date and
on or before the cohort's end date. The model is trained on cohorts that ended before the test
cohort started (tuned on the latest of them), frozen, and scored once on the test cohort. Without
such a cohort the backtest falls back to repeated stratified 5-fold cross-validation grouped by
child, labelled "random split; optimistic". The rule index at its default settings scores the same
population and the model is compared with it at the rule index's own flag rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np

from . import metrics, oracle
from .features import FeatureFrame, compute_features
from .history import History
from .model import NotEnoughDropouts, TrainingSettings, grouped_folds, train_model
from .records import StudentRecords, from_history
from .rules import RuleIndexSettings, rule_index

SUBGROUPS = ("sex", "disability", "poverty_level", "province_code")
METRICS = ("roc_auc", "pr_auc", "precision_at_10pct", "recall_at_20pct", "ece", "brier")
OUTCOME_DEFINITION = (
    "Positive: outcome dropped_out with a date after the cut-off date and on or before the cohort's "
    "end_date. Everyone else in the population is negative, including students who left after the "
    "end_date. Students who left on or before the cut-off date, or who enrolled after it, are not in "
    "the population at that cut-off."
)


@dataclass
class BacktestOptions:
    cutoffs: list[int] = field(default_factory=lambda: [0, 28, 56, 84])
    test_cohort: str | None = None
    use_protected: bool = False
    truth: oracle.Truth | None = None  # synthetic histories: the generator's truth
    training: TrainingSettings = field(default_factory=TrainingSettings)
    rules: RuleIndexSettings = field(default_factory=RuleIndexSettings)
    cv_repeats: int = 5
    cv_folds: int = 5
    resamples: int = metrics.RESAMPLES
    seed: int = metrics.SEED
    capacity_per_school: int = 30  # students a school can review: precision and recall at that list


@dataclass
class CutoffDetail:
    """What the HTML report shows beyond report.json, for one cut-off."""

    cutoff_days: int
    reliability: list = field(default_factory=list)
    calibration_line: dict = field(default_factory=dict)
    gaps: dict = field(default_factory=dict)
    model_card: dict | None = None
    keys: np.ndarray | None = None
    model_flags: np.ndarray | None = None  # the top 20 %
    model_flags_at_rule_rate: np.ndarray | None = None
    rule_flags: np.ndarray | None = None
    cutoff_dates: np.ndarray | None = None


@dataclass
class BacktestResult:
    report: dict
    details: list[CutoffDetail]
    lead_time: dict


class BacktestError(ValueError):
    pass


@dataclass
class Population:
    """The students at risk at one cut-off: their features, labels, child ids and audit attributes."""

    frame: FeatureFrame
    y: np.ndarray  # 1: left after the cut-off date and by the cohort's end date
    groups: np.ndarray  # person_id (the same child across cohorts)
    attributes: dict  # sex, disability, poverty_level, province_code: reported on, not inputs
    rows: np.ndarray  # history rows
    cohort: int
    cutoff: np.datetime64


class CohortData:
    """A history's cohorts as compact records (built once), and their populations at cut-offs."""

    def __init__(self, history: History):
        self.history = history
        self.records: dict[int, tuple[StudentRecords, np.ndarray]] = {}

    def get(self, c: int):
        if c not in self.records:
            self.records[c] = from_history(self.history, c)
        return self.records[c]

    def slice(self, c: int, days: int, use_protected: bool = False) -> Population:
        h = self.history
        records, rows = self.get(c)
        cohort = h.cohorts[c]
        cut = np.datetime64(cohort.start + dt.timedelta(days=days), "D")
        end = np.datetime64(cohort.end, "D")
        left = h.left_on[rows]
        gone = h.dropped[rows] & (left <= cut)
        population = np.flatnonzero((h.students.enrolled_on[rows] <= cut) & ~gone)
        frame = compute_features(records, cut, use_protected=use_protected).take(population)
        prow = rows[population]
        y = (h.dropped[prow] & (h.left_on[prow] > cut) & (h.left_on[prow] <= end)).astype(int)
        s = h.students
        attributes = {
            "sex": s.sex[prow],
            "disability": s.disability[prow],
            "poverty_level": s.poverty_level[prow],
            "province_code": s.province_code[prow],
        }
        return Population(frame, y, s.person[prow], attributes, prow, c, cut)


def join(slices: list[Population]) -> Population:
    return Population(
        FeatureFrame.concat([s.frame for s in slices]),
        np.concatenate([s.y for s in slices]),
        np.concatenate([s.groups for s in slices]),
        {k: np.concatenate([s.attributes[k] for s in slices]) for k in SUBGROUPS},
        np.concatenate([s.rows for s in slices]),
        -1,
        slices[0].cutoff,
    )


def _round(x, digits=6):
    if x is None:
        return None
    if isinstance(x, list):
        return [_round(v, digits) for v in x]
    if isinstance(x, dict):
        return {k: _round(v, digits) for k, v in x.items()}
    if isinstance(x, float):
        return round(x, digits)
    return x


def school_rates(train_schools, train_y, schools, *, prior_weight: float = 10.0) -> np.ndarray:
    """The school-only baseline: each school's dropout rate in the training data, shrunk towards
    the overall rate (a school with few students says little)."""
    base = float(np.mean(train_y)) if len(train_y) else 0.0
    names, index = np.unique(np.asarray(train_schools, dtype=str), return_inverse=True)
    rate = (np.bincount(index, weights=train_y, minlength=len(names)) + prior_weight * base) / (
        np.bincount(index, minlength=len(names)) + prior_weight
    )
    lookup = dict(zip(names, rate, strict=True))
    return np.array([lookup.get(str(s), base) for s in schools])


def at_capacity(y, p, keys, schools, capacity: int) -> dict:
    """Precision and recall when each school reviews its ``capacity`` highest-risk students."""
    flags = np.zeros(len(y), dtype=bool)
    schools = np.asarray(schools, dtype=str)
    for school in np.unique(schools):
        rows = np.flatnonzero(schools == school)
        flags[rows[metrics.top_k(p[rows], keys[rows], capacity)]] = True
    m = metrics.flag_metrics(y, flags)
    return {
        "per_school": capacity,
        "flag_rate": m["flag_rate"],
        "precision": m["precision"],
        "recall": m["recall"],
    }


def evaluate(
    y, p, keys, attributes, rule_flags, options=None, *, intervals=True, schools=None, school_only=None
) -> tuple[dict, dict]:
    """Metrics, rule comparison and subgroup table of one set of predictions (a report.json cut-off
    block without its counts), and the extras the HTML report draws. Also what a model card records.
    With ``schools``, precision and recall at the schools' capacity; with ``school_only`` (the
    baseline's predictions), that baseline's ranking quality and its results at the rule's flag rate."""
    options = options or BacktestOptions()
    block = metrics.point_metrics(y, p, keys)
    ci = (
        metrics.bootstrap(y, p, keys, rule_flags=rule_flags, resamples=options.resamples, seed=options.seed)
        if intervals
        else {}
    )
    n = len(y)
    model_flags = metrics.top_k(p, keys, int(rule_flags.sum()))
    at_rule = metrics.flag_metrics(y, model_flags)
    table = metrics.subgroups(y, p, keys, attributes, seed=options.seed, intervals=intervals)
    out = {}
    for name in METRICS:
        out[name] = block[name]
        if name not in ("ece", "brier"):
            out[f"{name}_ci95"] = ci.get(name) if block[name] is not None else None
    out["ece"], out["brier"] = block["ece"], block["brier"]
    out["calibration"] = metrics.calibration_line(y, p)
    out["model_at_rule_flag_rate"] = {"precision": at_rule["precision"], "recall": at_rule["recall"]}
    out["rule_comparison_ci95"] = {
        "precision_difference": ci.get("precision_difference"),
        "recall_difference": ci.get("recall_difference"),
    }
    out["subgroups"] = table
    if schools is not None and len(y):
        out["at_capacity"] = at_capacity(y, p, keys, schools, options.capacity_per_school)
    if school_only is not None and len(y):
        baseline = metrics.flag_metrics(y, metrics.top_k(school_only, keys, int(rule_flags.sum())))
        out["school_only"] = {
            "roc_auc": metrics.roc_auc(y, school_only),
            "precision_at_rule_flag_rate": baseline["precision"],
            "recall_at_rule_flag_rate": baseline["recall"],
        }
    extras = {
        "reliability": metrics.reliability(y, p),
        "calibration_line": metrics.calibration_line(y, p),
        "gaps": metrics.largest_gaps(table),
        "top20": metrics.top_share(p, keys, metrics.TOP_RECALL) if n else np.zeros(0, bool),
        "at_rule_rate": model_flags,
    }
    return out, extras


def _mean_blocks(blocks: list[dict]) -> dict:
    """Mean over cross-validation repeats, metric by metric (None where no repeat could compute it).

    Intervals come from the first repeat's pooled predictions; counts are the same in every repeat.
    """
    out = {}
    for key, value in blocks[0].items():
        if isinstance(value, dict):
            out[key] = _mean_blocks([b[key] for b in blocks])
        elif key.endswith("_ci95") or isinstance(value, bool | int | list):
            out[key] = value
        else:
            values = [b[key] for b in blocks if b.get(key) is not None]
            out[key] = float(np.mean(values)) if values else None
    return out


def _null_model_block(y, attributes, rule_flags) -> dict:
    out = {}
    for name in METRICS:
        out[name] = None
        if name not in ("ece", "brier"):
            out[f"{name}_ci95"] = None
    out["model_at_rule_flag_rate"] = {"precision": None, "recall": None}
    table = {}
    for attribute, raw in attributes.items():
        values = np.array(["unknown" if v is None or v == "" else str(v) for v in raw], dtype=object)
        table[attribute] = {
            v: {
                "n": int((values == v).sum()),
                "base_rate": float(y[values == v].mean()),
                **dict.fromkeys(("roc_auc", "flag_rate", "recall", "fpr", "precision")),
            }
            for v in sorted(set(values))
        }
    out["subgroups"] = table
    return out


def _oracle(history, cohorts: CohortData, test: Population, truth: oracle.Truth | None, end) -> dict | None:
    """The synthetic generator's oracles on the test population (None for a real history)."""
    if truth is None or len(test.y) == 0:
        return None
    keys = test.frame.keys
    hazard = np.array([truth.hazard.get(k, np.nan) for k in keys])
    if np.isnan(hazard).any():
        return None
    records, rows = cohorts.get(test.cohort)
    out = {}
    if truth.parameters is not None and {"x_parents_away", "poverty_level"} <= set(records.categorical):
        local = np.searchsorted(rows, test.rows)
        p = oracle.observable(records, local, test.cutoff, end, truth.parameters, history.subjects)
        pm = metrics.point_metrics(test.y, p, keys)
        out.update(
            {"roc_auc": pm["roc_auc"], "pr_auc": pm["pr_auc"], "recall_at_20pct": pm["recall_at_20pct"]}
        )
    hidden = metrics.point_metrics(
        test.y, oracle.hidden_traits(records.slot_dates, test.cutoff, end, hazard), keys
    )
    out["roc_auc_hidden_traits"] = hidden["roc_auc"]
    return out


def run_backtest(
    history: History, options: BacktestOptions | None = None, *, progress=None
) -> BacktestResult:
    options = options or BacktestOptions()
    say = progress or (lambda message: None)
    cohorts = CohortData(history)
    ids = [c.cohort_id for c in history.cohorts]
    if options.test_cohort is not None:
        if options.test_cohort not in ids:
            raise BacktestError(f"unknown test cohort {options.test_cohort!r} (cohorts: {', '.join(ids)})")
        test = ids.index(options.test_cohort)
    else:
        test = len(ids) - 1  # cohorts are sorted by start date
    start = history.cohorts[test].start
    train = [i for i, c in enumerate(history.cohorts) if c.end <= start and i != test]
    split = "cohort" if train else "cv"
    report = {
        "split": split,
        "test_cohort": ids[test] if split == "cohort" else None,
        "train_cohorts": [ids[i] for i in train] if split == "cohort" else ids,
        "cutoffs": [],
    }
    if split == "cv":
        report["note"] = "random split; optimistic"
    details = []
    for days in sorted(set(options.cutoffs)):
        say(f"cut-off {days} days")
        if split == "cohort":
            block, detail = _cohort_cutoff(history, cohorts, train, test, days, options)
        else:
            block, detail = _cv_cutoff(history, cohorts, days, options)
        report["cutoffs"].append(_round(block))
        details.append(detail)
    report["use_protected"] = options.use_protected
    report["outcome_definition"] = OUTCOME_DEFINITION
    report["bootstrap"] = {"resamples": options.resamples, "seed": options.seed, "stratified_by": "outcome"}
    report["inputs"] = dict(history.file_hashes)
    report["warnings"] = list(history.warnings)
    lead = _lead_time(history, details)
    return BacktestResult(report, details, lead)


def _cohort_cutoff(history, cohorts, train, test, days, options):
    parts = [cohorts.slice(c, days, options.use_protected) for c in train]
    training = join(parts)
    latest = parts[-1].cohort if len(parts) > 1 else None
    validation = (
        np.concatenate([np.full(len(p.y), p.cohort == latest) for p in parts]) if latest is not None else None
    )
    window = {
        "cohorts": [history.cohorts[c].cohort_id for c in train],
        "from": history.cohorts[train[0]].start.isoformat(),
        "to": max(history.cohorts[c].end for c in train).isoformat(),
        "cutoff_days": days,
    }
    target = cohorts.slice(test, days, options.use_protected)
    rules = rule_index(target.frame, options.rules)
    y, keys = target.y, target.frame.keys
    block = {
        "cutoff_days": days,
        "n": int(len(y)),
        "positives": int(y.sum()),
        "base_rate": float(y.mean()) if len(y) else None,
    }
    detail = CutoffDetail(
        days, keys=keys, rule_flags=rules.flagged, cutoff_dates=np.full(len(y), target.cutoff)
    )
    rule_block = metrics.flag_metrics(y, rules.flagged)
    try:
        model = train_model(
            training.frame,
            training.y,
            groups=training.groups,
            validation=validation,
            settings=options.training,
            window=window,
        )
    except NotEnoughDropouts as exc:
        block.update(_null_model_block(y, target.attributes, rules.flagged))
        block["model_refused"] = str(exc)
        model = None
    if model is not None:
        p = model.predict_proba(target.frame)
        schools = target.frame.column("school_id")
        baseline = school_rates(training.frame.column("school_id"), training.y, schools)
        evaluated, extras = evaluate(
            y, p, keys, target.attributes, rules.flagged, options, schools=schools, school_only=baseline
        )
        block.update(evaluated)
        block["model"] = _model_summary(model)
        detail.reliability, detail.calibration_line, detail.gaps = (
            extras["reliability"],
            extras["calibration_line"],
            extras["gaps"],
        )
        detail.model_card = model.card
        detail.model_flags = extras["top20"]
        detail.model_flags_at_rule_rate = extras["at_rule_rate"]
        if options.use_protected:
            block["roc_auc_without_protected"] = _without_protected(
                history, cohorts, train, test, days, options, validation, window
            )
        oracle = _oracle(
            history, cohorts, target, options.truth, np.datetime64(history.cohorts[test].end, "D")
        )
        if oracle is not None:
            block["oracle"] = oracle
    block["rule_index"] = {k: rule_block[k] for k in ("flag_rate", "precision", "recall")}
    return _order(block), detail


def _without_protected(history, cohorts, train, test, days, options, validation, window):
    training = join([cohorts.slice(c, days, False) for c in train])
    target = cohorts.slice(test, days, False)
    model = train_model(
        training.frame,
        training.y,
        groups=training.groups,
        validation=validation,
        settings=options.training,
        window=window,
    )
    return metrics.roc_auc(target.y, model.predict_proba(target.frame))


def _model_summary(model) -> dict:
    card = model.card
    return {
        "family": card["family"],
        "hyperparameters": card["hyperparameters"],
        "calibration": card["calibration"],
        "protected_inputs": card["protected_inputs"],
        "training_n": card["training"]["n"],
        "training_dropouts": card["training"]["dropouts"],
        "validation": {
            "method": card["validation"]["method"],
            "candidates": [
                {"family": c["family"], "roc_auc": c["roc_auc"], **c["params"]}
                for c in card["validation"]["candidates"]
            ],
        },
    }


def _cv_cutoff(history, cohorts, days, options):
    pooled = join([cohorts.slice(c, days, options.use_protected) for c in range(len(history.cohorts))])
    y, keys, groups = pooled.y, pooled.frame.keys, pooled.groups
    rules = rule_index(pooled.frame, options.rules)
    block = {
        "cutoff_days": days,
        "n": int(len(y)),
        "positives": int(y.sum()),
        "base_rate": float(y.mean()) if len(y) else None,
    }
    detail = CutoffDetail(
        days, keys=keys, rule_flags=rules.flagged, cutoff_dates=_cutoff_dates(history, pooled.rows, days)
    )
    rule_block = metrics.flag_metrics(y, rules.flagged)
    settings = replace(options.training, calibration_folds=min(options.training.calibration_folds, 3))
    repeats, first_extras, refused = [], None, None
    for r in range(options.cv_repeats):
        p = np.full(len(y), np.nan)
        baseline = np.full(len(y), np.nan)
        schools = pooled.frame.column("school_id")
        try:
            for fit, held in grouped_folds(y, groups, options.cv_folds, options.seed + r):
                model = train_model(pooled.frame.take(fit), y[fit], groups=groups[fit], settings=settings)
                p[held] = model.predict_proba(pooled.frame.take(held))
                baseline[held] = school_rates(schools[fit], y[fit], schools[held])
        except NotEnoughDropouts as exc:
            refused = str(exc)
            break
        evaluated, extras = evaluate(
            y,
            p,
            keys,
            pooled.attributes,
            rules.flagged,
            options,
            intervals=(r == 0),
            schools=schools,
            school_only=baseline,
        )
        repeats.append(evaluated)
        if r == 0:
            first_extras = extras
    if refused:
        block.update(_null_model_block(y, pooled.attributes, rules.flagged))
        block["model_refused"] = refused
    else:
        block.update(_mean_blocks(repeats))
        detail.reliability, detail.calibration_line, detail.gaps = (
            first_extras["reliability"],
            first_extras["calibration_line"],
            first_extras["gaps"],
        )
        detail.model_flags = first_extras["top20"]
        detail.model_flags_at_rule_rate = first_extras["at_rule_rate"]
    block["rule_index"] = {k: rule_block[k] for k in ("flag_rate", "precision", "recall")}
    return _order(block), detail


def _cutoff_dates(history, rows, days):
    starts = np.array([np.datetime64(c.start, "D") for c in history.cohorts])
    return starts[history.students.cohort[rows]] + np.timedelta64(days, "D")


ORDER = (
    "cutoff_days",
    "n",
    "positives",
    "base_rate",
    "roc_auc",
    "roc_auc_ci95",
    "pr_auc",
    "pr_auc_ci95",
    "precision_at_10pct",
    "precision_at_10pct_ci95",
    "recall_at_20pct",
    "recall_at_20pct_ci95",
    "ece",
    "brier",
    "rule_index",
    "model_at_rule_flag_rate",
    "subgroups",
)


def _order(block: dict) -> dict:
    """The format's keys first, in its order; additions after."""
    out = {k: block[k] for k in ORDER if k in block}
    out.update({k: v for k, v in block.items() if k not in out})
    return out


def _lead_time(history: History, details: list[CutoffDetail]) -> dict:
    """Days from the first flag to leaving, for students who left during the year, per method."""
    first = {"model": {}, "model_at_rule_flag_rate": {}, "rule_index": {}}
    for d in details:
        if d.keys is None:
            continue
        for method, flags in (
            ("model", d.model_flags),
            ("model_at_rule_flag_rate", d.model_flags_at_rule_rate),
            ("rule_index", d.rule_flags),
        ):
            if flags is None:
                continue
            for key, flagged, when in zip(d.keys, flags, d.cutoff_dates, strict=True):
                if flagged and key not in first[method]:
                    first[method][key] = when
    index = {k: i for i, k in enumerate(history.students.ids)}
    candidates = set()
    for d in details:
        if d.keys is not None:
            candidates.update(d.keys)
    leavers = {}
    for key in candidates:
        i = index[key]
        end = np.datetime64(history.cohorts[history.students.cohort[i]].end, "D")
        if history.dropped[i] and history.left_on[i] <= end:
            leavers[key] = history.left_on[i]
    out = {"dropouts": len(leavers)}
    for method, flagged in first.items():
        leads = [int((leavers[k] - flagged[k]) / np.timedelta64(1, "D")) for k in leavers if k in flagged]
        out[method] = {
            "flagged_before_leaving": len(leads),
            "share": len(leads) / len(leavers) if leavers else None,
            "median_lead_days": float(np.median(leads)) if leads else None,
        }
    return out
