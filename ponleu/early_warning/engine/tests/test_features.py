"""Features at a cut-off: only what was known that day, with the format's definitions."""

import csv
import datetime as dt
import shutil

import numpy as np
import pytest

from ponleu.early_warning.engine import bitmaps, features, history, records, synthetic
from ponleu.early_warning.engine.records import Assessments, Behaviour, StudentRecords

CUTOFF_DAYS = (0, 28, 84)


@pytest.fixture(scope="module")
def contract_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("contract")
    synthetic.generate_history(folder, students=400, cohorts=2, seed=21)
    return folder


@pytest.fixture(scope="module")
def contract_history(contract_folder):
    return history.read_history(contract_folder)


def _rewrite(path, change):
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    kept = [r for r in (change(row) for row in rows) if r is not None]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)


def _alter_after(folder, cut_of, seed):
    """Change, move or delete every record dated after its student's cut-off date."""
    rng = np.random.default_rng(seed)

    def later(text, n=10):
        return (dt.date.fromisoformat(text) + dt.timedelta(days=int(rng.integers(1, n)))).isoformat()

    def attendance(row):
        if dt.date.fromisoformat(row["date"]) <= cut_of[row["student_id"]]:
            return row
        if rng.random() < 0.3:
            return None
        return {**row, "status": str(rng.choice(["present", "absent", "late", "excused"]))}

    def assessment(row):
        cut = cut_of[row["student_id"]]
        if row["taken_on"] and dt.date.fromisoformat(row["taken_on"]) > cut:
            return {**row, "taken_on": later(row["taken_on"]), "score": str(rng.integers(0, 51))}
        if not row["taken_on"] and dt.date.fromisoformat(row["due_date"]) > cut:
            return {**row, "due_date": later(row["due_date"])}
        return row

    def behaviour(row):
        if dt.date.fromisoformat(row["date"]) <= cut_of[row["student_id"]]:
            return row
        return {**row, "date": later(row["date"]), "severity": str(rng.integers(1, 4))}

    def outcome(row):
        if row["outcome"] == "dropped_out" and dt.date.fromisoformat(row["date"]) > cut_of[row["student_id"]]:
            return {**row, "date": later(row["date"], 5)}
        return row

    _rewrite(folder / "attendance.csv", attendance)
    _rewrite(folder / "assessments.csv", assessment)
    _rewrite(folder / "behaviour.csv", behaviour)
    _rewrite(folder / "outcomes.csv", outcome)


@pytest.mark.parametrize("days", CUTOFF_DAYS)
def test_records_dated_after_the_cutoff_do_not_change_the_features(
    contract_history, contract_folder, tmp_path, days
):
    h = contract_history
    cut_of = {
        sid: h.cohorts[c].start + dt.timedelta(days=days)
        for sid, c in zip(h.students.ids, h.students.cohort, strict=True)
    }
    altered = tmp_path / "altered"
    shutil.copytree(contract_folder, altered)
    _alter_after(altered, cut_of, seed=days)
    other = history.read_history(altered)
    assert other.file_hashes["attendance.csv"] != h.file_hashes["attendance.csv"]
    for c, cohort in enumerate(h.cohorts):
        cut = cohort.start + dt.timedelta(days=days)
        before = features.compute_features(records.from_history(h, c)[0], cut)
        after = features.compute_features(records.from_history(other, c)[0], cut)
        assert before.same_as(after), f"cohort {cohort.cohort_id} at {days} days"
        assert np.all(before.available_at == np.datetime64(cut))


def test_the_contract_is_not_vacuous(contract_history, contract_folder, tmp_path):
    """Altering records on or before the cut-off does change the features."""
    h = contract_history
    cut_of = {
        sid: h.cohorts[c].start + dt.timedelta(days=20)
        for sid, c in zip(h.students.ids, h.students.cohort, strict=True)
    }
    altered = tmp_path / "altered"
    shutil.copytree(contract_folder, altered)
    _alter_after(altered, cut_of, seed=1)
    other = history.read_history(altered)
    cut = h.cohorts[0].start + dt.timedelta(days=84)
    before = features.compute_features(records.from_history(h, 0)[0], cut)
    after = features.compute_features(records.from_history(other, 0)[0], cut)
    assert not before.same_as(after)


def tiny_records():
    days = np.array(
        [
            "2024-01-01",
            "2024-01-02",
            "2024-01-03",
            "2024-01-04",
            "2024-01-05",
            "2024-01-08",
            "2024-01-09",
            "2024-01-10",
            "2024-01-11",
            "2024-01-12",
        ],
        dtype="datetime64[D]",
    )
    codes = bitmaps.codes_from_text(["PAAPLAAAEP", "PPPPPPP.PP"], len(days))
    nat = np.datetime64("NaT")
    return StudentRecords(
        keys=["a", "b"],
        year_start="2024-01-01",
        slot_dates=days,
        planes=bitmaps.StatusPlanes.from_codes(codes),
        enrolled_on=np.array(["2024-01-01", "2024-01-03"], dtype="datetime64[D]"),
        assessments=Assessments(
            student=np.array([0, 0, 0, 1]),
            subject=np.array([0, 1, 0, 0]),
            due=np.array(["2024-01-03", "2024-01-05", "2024-01-12", "2024-01-05"], dtype="datetime64[D]"),
            taken=np.array(["2024-01-04", nat, "2024-01-12", "2024-01-05"], dtype="datetime64[D]"),
            score=np.array([10.0, np.nan, 45.0, 40.0]),
            max_score=np.array([50.0, 50.0, 50.0, 50.0]),
        ),
        behaviour=Behaviour(
            student=np.array([0, 0]),
            date=np.array(["2024-01-02", "2024-01-10"], dtype="datetime64[D]"),
            severity=np.array([2, 1]),
        ),
        birth_date=np.array(["2010-06-01", "NaT"], dtype="datetime64[D]"),
        age_years=np.array([np.nan, 12.0]),
        grade=np.array(["7", "7"], dtype=object),
        categorical={"poverty_level": np.array(["1", None], dtype=object)},
        protected={
            "sex": np.array(["F", "M"], dtype=object),
            "disability": np.array(["no", "yes"], dtype=object),
        },
    )


def test_features_by_hand():
    frame = features.compute_features(tiny_records(), dt.date(2024, 1, 10))
    a, b = (dict(zip(frame.numeric_names, row, strict=True)) for row in frame.numeric)
    # Student a, up to 10 January: P A A P L A A A -> 8 days, 5 absent, attended 3 (P, P, L).
    assert a["days_recorded"] == 8
    assert a["absences"] == 5
    assert a["late_days"] == 1
    assert a["attendance_rate"] == pytest.approx(3 / 8)
    assert a["longest_absence_run"] == 3
    assert a["current_absence_run"] == 3
    assert a["attendance_rate_30d"] == pytest.approx(3 / 8)
    # One test taken on 4 January (10/50), one due 5 January and never taken: missed so far.
    assert a["assessments_taken"] == 1
    assert a["assessments_missed"] == 1
    assert a["mean_score_pct"] == pytest.approx(0.2)
    assert a["serious_incidents_30d"] == 1
    assert a["incidents"] == 2
    assert a["max_severity"] == 2
    assert a["age_years"] == pytest.approx(
        (np.datetime64("2024-01-10") - np.datetime64("2010-06-01")).astype(int) / 365.25
    )
    # Student b: no record on 9 January (slot left empty) and an assessment at 40/50.
    assert b["days_recorded"] == 7
    assert b["absences"] == 0
    assert b["mean_score_pct"] == pytest.approx(0.8)
    assert b["late_enrolment_days"] == 2
    assert list(frame.column("poverty_level")) == ["1", None]


def test_protected_attributes_are_inputs_only_on_request():
    recs = tiny_records()
    default = features.compute_features(recs, dt.date(2024, 1, 10))
    assert "sex" not in default.names
    assert "disability" not in default.names
    opted_in = features.compute_features(recs, dt.date(2024, 1, 10), use_protected=True)
    assert {"sex", "disability"} <= set(opted_in.names)
    with pytest.raises(ValueError, match="protected"):
        StudentRecords(
            keys=["a"],
            year_start="2024-01-01",
            slot_dates=recs.slot_dates,
            planes=recs.planes.take([0]),
            enrolled_on=recs.enrolled_on[:1],
            categorical={"sex": np.array(["F"], dtype=object)},
        )
