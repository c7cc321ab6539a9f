"""Oracles for synthetic histories: the best possible predictions, from the generator's own truth.

- ``hidden_traits``: knows each child's daily hazard, hence their hidden engagement and ability.
  No model can reach it.
- ``observable``: knows the generator's parameters but sees only the records a model sees at the
  cut-off (attendance, incidents, test scores taken, static facts, and having stayed so far). It
  integrates over the hidden traits with their exact posterior on a grid: the AUC the signal in
  the records allows. A model trained on the history should come close to it.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import ndtr

from .bitmaps import ABSENT, LATE, PRESENT
from .records import StudentRecords

GRID = np.linspace(-4.5, 4.5, 41)
PRIOR = np.exp(-0.5 * GRID**2)


@dataclass
class Truth:
    hazard: dict[str, float]  # student_id -> daily hazard
    parameters: dict | None  # generator.json, when present


def read_truth(path: str | Path) -> Truth:
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        hazard = {row["student_id"]: float(row["daily_hazard"]) for row in csv.DictReader(handle)}
    params_path = path.with_name("generator.json")
    parameters = json.loads(params_path.read_text(encoding="utf-8")) if params_path.is_file() else None
    return Truth(hazard, parameters)


def _remaining(slot_dates, cutoff, end) -> int:
    return int(np.count_nonzero((slot_dates > cutoff) & (slot_dates <= end)))


def hidden_traits(
    slot_dates: np.ndarray, cutoff: np.datetime64, end: np.datetime64, hazard: np.ndarray
) -> np.ndarray:
    """P(leaving after the cut-off, by the end | still enrolled, hidden traits)."""
    return 1.0 - (1.0 - hazard) ** _remaining(slot_dates, cutoff, end)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p):
    with np.errstate(divide="ignore"):
        return np.log(p) - np.log1p(-p)


def observable(
    records: StudentRecords,
    rows: np.ndarray,
    cutoff: np.datetime64,
    end: np.datetime64,
    parameters: dict,
    subjects: list[str],
) -> np.ndarray:
    """P(leaving after the cut-off, by the end | the records known at the cut-off), for ``rows``."""
    p_drop, p_abs, p_score, p_inc = (parameters[k] for k in ("dropout", "absence", "score", "incident"))
    slots = records.slot_dates
    n_days = len(slots)
    hi = int(np.searchsorted(slots, cutoff, side="right"))
    m = _remaining(slots, cutoff, end)
    codes = records.planes.take(rows).to_codes()[:, :hi]
    harvest = np.isin(slots[:hi].astype("datetime64[M]").astype(int) % 12 + 1, parameters["harvest_months"])
    absent = codes == ABSENT
    attended = (codes == PRESENT) | (codes == LATE)
    counts = {
        "absent_h": (absent & harvest).sum(1),
        "attended_h": (attended & harvest).sum(1),
        "absent_o": (absent & ~harvest).sum(1),
        "attended_o": (attended & ~harvest).sum(1),
    }
    enrol_slot = np.searchsorted(slots, records.enrolled_on[rows], side="left")
    survived = np.maximum(hi - enrol_slot, 0)
    local = np.full(len(records), -1)
    local[rows] = np.arange(len(rows))
    beh = records.behaviour
    seen_incident = (beh.date <= cutoff) & (local[beh.student] >= 0)
    incidents = np.bincount(local[beh.student[seen_incident]], minlength=len(rows))

    cat = records.categorical
    pov = np.array([int(v) if v is not None else 0 for v in cat["poverty_level"][rows]])
    away = np.array([v == "yes" for v in cat["x_parents_away"][rows]], dtype=float)
    dist = np.asarray(records.numeric["x_distance_km"], dtype=float)[rows]
    grade = np.array([int(g) for g in records.grade[rows]])
    start_year = int(str(records.year_start)[:4])
    birth_year = records.birth_date[rows].astype("datetime64[Y]").astype(int) + 1970
    overage = start_year - birth_year - grade - 5
    school = np.array([parameters["school_effect"].get(s, 0.0) for s in cat["school_id"][rows]])
    drop_base = (
        p_drop["intercept"]
        + p_drop["poverty_1"] * (pov == 1)
        + p_drop["poverty_2"] * (pov == 2)
        + p_drop["overage"] * overage
        + p_drop["parents_away"] * away
        + p_drop["distance"] * (dist - 3)
        + p_drop["grade_9"] * (grade == 9)
        + school
    )
    abs_base = (
        p_abs["intercept"]
        + p_abs["poor"] * (pov > 0)
        + p_abs["parents_away"] * away
        + p_abs["distance"] * (dist - 3)
    )

    ass = records.assessments
    taken = (ass.taken <= cutoff) & np.isfinite(ass.score) & (local[ass.student] >= 0)
    difficulty = np.array([parameters["subjects"].get(subjects[c], 0.0) for c in ass.subject[taken]])
    lo = _logit(np.clip((ass.score[taken] - 0.5) / ass.max_score[taken], 0, 1))
    up = _logit(np.clip((ass.score[taken] + 0.5) / ass.max_score[taken], 0, 1))
    owner = local[ass.student[taken]]
    score_base = p_score["intercept"] + difficulty + p_score["poor"] * (pov[owner] > 0)

    e, a = GRID[:, None], GRID[None, :]
    prior = np.log(PRIOR[:, None] * PRIOR[None, :])
    rate = p_inc["rate"] * np.exp(p_inc["engagement"] * GRID)
    out = np.empty(len(rows))
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(len(rows) + 1))
    for i in range(len(rows)):
        eta = drop_base[i] + p_drop["engagement"] * e + p_drop["ability"] * a
        log_stay = -np.logaddexp(0.0, eta) / n_days  # log(1 - h): (1 - q) ** (1 / D)
        loglik = prior + survived[i] * log_stay
        for suffix, shift in (("h", p_abs["harvest"]), ("o", 0.0)):
            pa = _sigmoid(abs_base[i] + p_abs["engagement"] * GRID + shift)
            loglik += (
                counts[f"absent_{suffix}"][i] * np.log(pa) + counts[f"attended_{suffix}"][i] * np.log1p(-pa)
            )[:, None]
        loglik += (incidents[i] * np.log(rate) + (survived[i] - incidents[i]) * np.log1p(-rate))[:, None]
        mine = order[bounds[i] : bounds[i + 1]]
        if mine.size:
            mu = score_base[mine][:, None, None] + p_score["engagement"] * e + p_score["ability"] * a
            z_up = (up[mine][:, None, None] - mu) / p_score["noise"]
            z_lo = (lo[mine][:, None, None] - mu) / p_score["noise"]
            loglik += np.log(np.maximum(ndtr(z_up) - ndtr(z_lo), 1e-300)).sum(axis=0)
        weight = np.exp(loglik - loglik.max())
        leave = 1.0 - np.exp(log_stay * m)
        out[i] = float((weight * leave).sum() / weight.sum())
    return out
