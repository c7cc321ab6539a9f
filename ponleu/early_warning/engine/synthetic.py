"""Synthetic school histories with a known data-generating process, for tests and demonstrations.

Each child has lasting facts (household IDPoor level, parents working away, distance to school,
sex, disability, birth date) and, each school year, two hidden traits: engagement and ability.
With the school and being over-age for the grade they set one yearly dropout probability ``q``;
leaving happens on a school day with a constant daily hazard ``h = 1 - (1 - q) ** (1 / D)``
(D school days in the year). Absences rise with low engagement, poverty, parents away, distance
and the rice harvest; test scores follow ability and engagement; behaviour incidents follow low
engagement; sickness brings runs of excused days. So absences, poverty and grades carry the
signal. Sex and disability are drawn independently of everything: any difference the fairness
table shows for them comes from the model, not from the children.

Two oracles come with it. ``truth.csv`` holds each student's daily hazard: the probability of
leaving after a cut-off given the hidden traits, ``1 - (1 - h) ** m`` with m school days left, which
no model can reach because the traits are hidden. ``generator.json`` holds the parameters, from
which ``observable_oracle`` computes the exact probability given only what the records show at the
cut-off (the posterior over the hidden traits): the best any model using those records can do.
Both files sit next to the history; the history reader ignores them and
``ponleu ews backtest --truth DIR/truth.csv`` uses them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import holidays
import numpy as np

from ponleu.common import spreadsheet_writer

SUBJECTS = (("khmer", 50.0, 0.2), ("maths", 50.0, -0.2), ("science", 50.0, 0.0), ("english", 50.0, -0.1))
PROVINCES = ("01", "02", "03", "12", "17", "25")
HARVEST_MONTHS = (11, 12)
# The data-generating process. Yearly dropout log-odds:
DROPOUT = {
    "intercept": -2.9,
    "poverty_1": 1.0,
    "poverty_2": 0.7,
    "overage": 0.4,
    "parents_away": 0.6,
    "distance": 0.15,
    "ability": -0.5,
    "engagement": -1.3,
    "grade_9": 0.25,
}
# Daily absence log-odds (days outside sickness spells):
ABSENCE = {
    "intercept": -3.0,
    "engagement": -1.0,
    "poor": 0.45,
    "parents_away": 0.3,
    "distance": 0.08,
    "harvest": 0.4,
}
# Test score: max_score * sigmoid(intercept + subject + ability + engagement + poor + Normal(0, noise)), rounded.
SCORE = {"intercept": 0.3, "ability": 1.0, "engagement": 0.3, "poor": -0.2, "noise": 0.5}
# Daily probability of a behaviour incident: rate * exp(engagement coefficient * engagement).
INCIDENT = {"rate": 0.004, "engagement": -0.6}
SICK_SPELL = 1 / 70  # daily chance that a sickness spell (2 to 5 excused days) starts


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _dropout_base(pov, overage, away, dist, grade):
    """Yearly dropout log-odds from the observable facts (the school and hidden traits are added)."""
    d = DROPOUT
    return (
        d["intercept"]
        + d["poverty_1"] * (pov == 1)
        + d["poverty_2"] * (pov == 2)
        + d["overage"] * overage
        + d["parents_away"] * away
        + d["distance"] * (dist - 3)
        + d["grade_9"] * (grade == 9)
    )


def _absence_base(pov, away, dist):
    a = ABSENCE
    return a["intercept"] + a["poor"] * (pov > 0) + a["parents_away"] * away + a["distance"] * (dist - 3)


def school_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Monday to Friday, minus Cambodian public holidays and the Khmer New Year break."""
    off = holidays.country_holidays("KH", years=range(start.year, end.year + 1))
    days = []
    d = start
    while d <= end:
        new_year_break = d.month == 4 and 10 <= d.day <= 20
        if d.weekday() < 5 and d not in off and not new_year_break:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


@dataclass
class _People:
    """Lasting facts about every child, indexed by person number."""

    poverty: np.ndarray
    parents_away: np.ndarray
    distance: np.ndarray
    sex: np.ndarray
    disability: np.ndarray
    birth_offset: np.ndarray  # days into the birth year

    @classmethod
    def draw(cls, rng, n):
        poverty = rng.choice(np.array([0, 1, 2]), size=n, p=[0.68, 0.13, 0.19])
        return cls(
            poverty=poverty,
            parents_away=rng.random(n) < np.where(poverty > 0, 0.3, 0.15),
            distance=np.round(rng.lognormal(np.log(2.5), 0.6, n), 1),
            sex=np.where(rng.random(n) < 0.5, "F", "M"),
            disability=rng.random(n) < 0.06,
            birth_offset=rng.integers(0, 365, n),
        )


@dataclass
class GeneratedHistory:
    folder: Path
    students: int
    cohorts: list[str]
    hazard: dict[str, float]  # student_id -> daily hazard
    yearly_probability: dict[str, float]


def generate_history(
    folder: str | Path, *, students: int = 3000, cohorts: int = 3, seed: int = 0, first_year: int = 2019
) -> GeneratedHistory:
    """Write a synthetic history of about ``students`` student-years over ``cohorts`` school years."""
    if cohorts < 1 or students < 10 * cohorts:
        raise ValueError("need at least one cohort and ten students per cohort")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    per_cohort = students // cohorts
    n_schools = max(3, round(per_cohort / 150))
    school_effect = rng.normal(0, 0.35, n_schools)
    school_province = np.array([PROVINCES[i % len(PROVINCES)] for i in range(n_schools)])
    people = _People.draw(rng, students * 2)
    next_person = 0
    continuing: list[tuple[int, int, int]] = []  # (person, grade, overage)
    out = {
        k: [] for k in ("cohorts", "students", "attendance", "assessments", "behaviour", "outcomes", "truth")
    }
    hazard_of, q_of = {}, {}
    cohort_ids = []
    for k in range(cohorts):
        year = first_year + k
        cid = f"{year}-{year + 1}"
        cohort_ids.append(cid)
        start, end = dt.date(year, 11, 1), dt.date(year + 1, 8, 15)
        out["cohorts"].append((cid, start.isoformat(), end.isoformat()))
        days = school_days(start, end)
        roster = list(continuing)
        while len(roster) < per_cohort:
            overage = int(rng.choice([0, 1, 2, 3], p=[0.62, 0.24, 0.1, 0.04]))
            roster.append((next_person, 7, overage))
            next_person += 1
        roster = roster[:per_cohort]
        continuing = _cohort(
            rng,
            cid,
            k,
            start,
            end,
            days,
            roster,
            people,
            school_effect,
            school_province,
            out,
            hazard_of,
            q_of,
        )
    _write(folder, out)
    parameters = {
        "generator": "ponleu-synthetic-history-1",
        "seed": seed,
        "dropout": DROPOUT,
        "absence": ABSENCE,
        "score": SCORE,
        "incident": INCIDENT,
        "harvest_months": list(HARVEST_MONTHS),
        "subjects": {name: difficulty for name, _top, difficulty in SUBJECTS},
        "school_effect": {f"SCH{i:03d}": float(v) for i, v in enumerate(school_effect)},
    }
    (folder / "generator.json").write_text(json.dumps(parameters, indent=1), encoding="utf-8")
    return GeneratedHistory(folder, len(out["students"]), cohort_ids, hazard_of, q_of)


def _cohort(
    rng, cid, k, start, end, days, roster, people, school_effect, school_province, out, hazard_of, q_of
):
    n, n_days = len(roster), len(days)
    person = np.array([r[0] for r in roster])
    grade = np.array([r[1] for r in roster])
    overage = np.array([r[2] for r in roster])
    school = (person * 7919) % len(school_effect)
    pov = people.poverty[person]
    away = people.parents_away[person]
    dist = people.distance[person]
    # Hidden traits, drawn afresh each school year.
    ability = rng.normal(0, 1, n)
    engage = rng.normal(0, 1, n)
    eta = (
        _dropout_base(pov, overage, away, dist, grade)
        + school_effect[school]
        + DROPOUT["ability"] * ability
        + DROPOUT["engagement"] * engage
    )
    q = _sigmoid(eta)
    h = 1.0 - (1.0 - q) ** (1.0 / n_days)
    # A few transfers arrive during the year; their hazard runs from the day they enrol.
    first_day = np.where(rng.random(n) < 0.05, rng.integers(5, 60, n), 0)
    drops = rng.random((n, n_days)) < h[:, None]
    drops &= np.arange(n_days)[None, :] >= first_day[:, None]
    left = np.where(drops.any(axis=1), drops.argmax(axis=1), n_days)  # index of the leaving day

    # Attendance: a daily absence probability, sickness spells of excused days, late arrivals.
    harvest = np.isin(np.array([d.month for d in days]), HARVEST_MONTHS)
    p_abs = _sigmoid(
        _absence_base(pov, away, dist)[:, None]
        + ABSENCE["engagement"] * engage[:, None]
        + ABSENCE["harvest"] * harvest[None, :]
    )
    codes = np.where(rng.random((n, n_days)) < p_abs, 2, 1).astype(np.uint8)
    late = rng.random((n, n_days)) < (0.03 + 0.02 * (dist > 5))[:, None]
    codes[(codes == 1) & late] = 3
    for i, d0 in zip(*np.nonzero(rng.random((n, n_days)) < SICK_SPELL), strict=True):
        codes[i, d0 : d0 + rng.integers(2, 6)] = 4
    day_index = np.arange(n_days)[None, :]
    codes[(day_index < first_day[:, None]) | (day_index >= left[:, None])] = 0

    next_roster = []
    summer_leave = rng.random(n) < 0.25 * q
    for i in range(n):
        sid = f"S{k:02d}{i:06d}"
        p = int(person[i])
        hazard_of[sid], q_of[sid] = float(h[i]), float(q[i])
        birth_year = start.year - (int(grade[i]) + 5 + int(overage[i]))
        birth = dt.date(birth_year, 1, 1) + dt.timedelta(days=int(people.birth_offset[p]))
        enrolled = days[first_day[i]].isoformat() if first_day[i] else ""
        out["students"].append(
            (
                sid,
                cid,
                f"SCH{school[i]:03d}",
                f"P{p:07d}",
                enrolled,
                str(grade[i]),
                people.sex[p],
                birth.isoformat(),
                "yes" if people.disability[p] else "no",
                str(pov[i]),
                school_province[school[i]],
                "yes" if away[i] else "no",
                f"{dist[i]:.1f}",
            )
        )
        out["truth"].append((sid, f"{h[i]:.10g}"))
        if left[i] < n_days:
            out["outcomes"].append((sid, "dropped_out", days[left[i]].isoformat()))
        elif summer_leave[i]:
            out["outcomes"].append(
                (sid, "dropped_out", (end + dt.timedelta(days=int(rng.integers(10, 80)))).isoformat())
            )
        else:
            out["outcomes"].append((sid, "stayed", ""))
            if grade[i] < 9 and rng.random() < 0.92:
                repeat = rng.random() < _sigmoid(-2.8 - 0.9 * ability[i])
                next_roster.append(
                    (p, int(grade[i]) if repeat else int(grade[i]) + 1, int(overage[i]) + int(repeat))
                )
        status = ("", "present", "absent", "late", "excused")
        row = codes[i]
        for j in np.flatnonzero(row):
            out["attendance"].append((sid, days[j].isoformat(), status[row[j]]))
    _assessments(rng, days, codes, left, first_day, ability, engage, pov, k, out)
    _behaviour(rng, days, left, first_day, engage, k, out)
    return next_roster


def _assessments(rng, days, codes, left, first_day, ability, engage, pov, k, out):
    n, n_days = codes.shape
    # A monthly test on the first school day after the 25th; exams at the end of each semester.
    due = []
    for i, d in enumerate(days[:-1]):
        if d.day > 25 and (i == 0 or days[i - 1].day <= 25 or days[i - 1].month != d.month) and d.month != 11:
            due.append(i)
    for name, top, difficulty in SUBJECTS:
        for j in due:
            ok = (j >= first_day) & (j < left)
            present = ok & ((codes[:, j] == 1) | (codes[:, j] == 3))
            makeup = ok & ~present & (rng.random(n) < 0.5)
            shift = rng.integers(1, 6, n)
            taken_index = np.where(present, j, np.where(makeup, np.minimum(j + shift, n_days - 1), -1))
            taken_index = np.where(taken_index >= left, -1, taken_index)
            pct = _sigmoid(
                SCORE["intercept"]
                + difficulty
                + SCORE["ability"] * ability
                + SCORE["engagement"] * engage
                + SCORE["poor"] * (pov > 0)
                + rng.normal(0, SCORE["noise"], n)
            )
            score = np.round(pct * top)
            for i in np.flatnonzero(ok):
                t = taken_index[i]
                out["assessments"].append(
                    (
                        f"S{k:02d}{i:06d}",
                        name,
                        days[j].isoformat(),
                        days[t].isoformat() if t >= 0 else "",
                        f"{score[i]:.0f}" if t >= 0 else "",
                        f"{top:.0f}",
                    )
                )


def _behaviour(rng, days, left, first_day, engage, k, out):
    n_days = len(days)
    rate = INCIDENT["rate"] * np.exp(INCIDENT["engagement"] * engage)
    events = rng.random((len(engage), n_days)) < rate[:, None]
    for i, j in zip(*np.nonzero(events), strict=True):
        if first_day[i] <= j < left[i]:
            severity = rng.choice([1, 2, 3], p=[0.7, 0.25, 0.05])
            out["behaviour"].append((f"S{k:02d}{i:06d}", days[j].isoformat(), str(severity)))


HEADERS = {
    "cohorts": ("cohort_id", "start_date", "end_date"),
    "students": (
        "student_id",
        "cohort_id",
        "school_id",
        "person_id",
        "enrolled_on",
        "grade",
        "sex",
        "birth_date",
        "disability",
        "poverty_level",
        "province_code",
        "x_parents_away",
        "x_distance_km",
    ),
    "attendance": ("student_id", "date", "status"),
    "assessments": ("student_id", "subject", "due_date", "taken_on", "score", "max_score"),
    "behaviour": ("student_id", "date", "severity"),
    "outcomes": ("student_id", "outcome", "date"),
    "truth": ("student_id", "daily_hazard"),
}


def _write(folder: Path, out: dict) -> None:
    for name, header in HEADERS.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            spreadsheet_writer.write_csv_rows(handle, [header, *out[name]], lineterminator="\n")
