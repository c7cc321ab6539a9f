"""Reading and validating a school-history folder: every problem, by file, line and column."""

import pytest

from ponleu.early_warning.engine import history

GOOD = {
    "cohorts.csv": "cohort_id,start_date,end_date\n2023,2023-11-01,2024-08-15\n",
    "students.csv": (
        "student_id,cohort_id,school_id,sex,disability,poverty_level,x_distance_km,x_parents_away\n"
        "s1,2023,A,F,no,1,2.5,yes\n"
        "s2,2023,A,M,yes,,4,no\n"
    ),
    "attendance.csv": "student_id,date,status\ns1,2023-11-01,present\ns2,2023-11-01,absent\n",
    "assessments.csv": (
        "student_id,subject,due_date,taken_on,score,max_score\n"
        "s1,maths,2023-11-20,2023-11-20,30,50\n"
        "s2,maths,2023-11-20,,,50\n"
    ),
    "behaviour.csv": "student_id,date,severity\ns2,2023-11-02,2\n",
    "outcomes.csv": "student_id,outcome,date\ns1,stayed,\ns2,dropped_out,2024-01-10\n",
}


def write(folder, files):
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def problems(folder):
    with pytest.raises(history.HistoryError) as caught:
        history.read_history(folder)
    return {(p.file, p.line, p.column) for p in caught.value.problems}, caught.value


def test_a_good_folder_is_read(tmp_path):
    h = history.read_history(write(tmp_path, GOOD))
    assert list(h.students.ids) == ["s1", "s2"]
    assert list(h.dropped) == [False, True]
    assert h.students.extras_numeric["x_distance_km"].tolist() == [2.5, 4.0]
    assert "x_parents_away" not in h.students.extras_numeric
    assert h.attendance.student.size == 2
    assert h.assessments.student.size == 2
    assert set(h.file_hashes) == set(GOOD)
    assert h.warnings == []


def test_a_byte_order_mark_is_tolerated_and_unknown_files_are_ignored_with_a_warning(tmp_path):
    files = dict(GOOD)
    files["students.csv"] = "\ufeff" + files["students.csv"]
    write(tmp_path, files)
    (tmp_path / "notes.txt").write_text("hello")
    h = history.read_history(tmp_path)
    assert len(h.students.ids) == 2
    assert any("notes.txt" in w for w in h.warnings)


def test_every_problem_is_listed_with_file_line_and_column(tmp_path):
    files = dict(GOOD)
    files["students.csv"] = (
        "student_id,cohort_id,school_id,favourite_colour\n"  # unknown column
        "s1,2023,A,red\n"
    )
    files["outcomes.csv"] = "student_id,outcome,date\ns1,dropped_out,\n"
    found, _ = problems(write(tmp_path, files))
    assert ("students.csv", 1, "favourite_colour") in found
    assert ("outcomes.csv", 2, "date") in found  # dropped_out without a date


def test_the_listed_kinds_of_bad_input(tmp_path):
    files = {
        "cohorts.csv": "cohort_id,start_date,end_date\n2023,2023-11-01,2024-08-15\n",
        "students.csv": (
            "student_id,cohort_id,school_id,enrolled_on\n"
            "s1,2023,A,\n"
            "s1,2023,A,\n"  # line 3: duplicate
            "s2,2099,A,\n"  # line 4: unknown cohort
            "s3,2023,A,1/11/2023\n"  # line 5: date that does not parse
            "s4,2023,A,\n"  # line 6: no outcome
        ),
        "attendance.csv": (
            "student_id,date,status\n"
            "s1,2023-11-01,present\n"
            "ghost,2023-11-01,present\n"  # line 3: not in students.csv
            "s1,2023-11-02,asleep\n"  # line 4: bad status
            "s1,2023-11-01,absent\n"  # line 5: second status for one day
        ),
        "assessments.csv": (
            "student_id,subject,due_date,taken_on,score,max_score\n"
            "s1,maths,2023-11-20,2023-11-20,60,50\n"  # line 2: above max_score
            "s1,maths,2023-11-21,2023-11-21,-1,50\n"  # line 3: below zero
            "s1,maths,,,,50\n"  # line 4: neither date
        ),
        "behaviour.csv": "student_id,date,severity\ns1,2023-11-02,5\n",
        "outcomes.csv": "student_id,outcome,date\ns1,dropped_out,\ns2,stayed,\ns3,left,\n",
    }
    found, error = problems(write(tmp_path, files))
    expected = {
        ("students.csv", 3, "student_id"),
        ("students.csv", 4, "cohort_id"),
        ("students.csv", 5, "enrolled_on"),
        ("students.csv", 6, "student_id"),
        ("attendance.csv", 3, "student_id"),
        ("attendance.csv", 4, "status"),
        ("attendance.csv", 5, "date"),
        ("assessments.csv", 2, "score"),
        ("assessments.csv", 3, "score"),
        ("assessments.csv", 4, "due_date"),
        ("behaviour.csv", 2, "severity"),
        ("outcomes.csv", 2, "date"),
        ("outcomes.csv", 4, "outcome"),
    }
    assert expected <= found, expected - found
    text = error.report()
    assert "students.csv, line 4, column cohort_id" in text
    assert "'2099'" in text


def test_missing_files_and_columns(tmp_path):
    write(tmp_path, {"cohorts.csv": GOOD["cohorts.csv"]})
    found, _ = problems(tmp_path)
    assert {("students.csv", None, None), ("outcomes.csv", None, None)} <= found

    other = tmp_path / "other"
    other.mkdir()
    files = dict(GOOD)
    files["attendance.csv"] = "student_id,status\ns1,present\n"
    found, _ = problems(write(other, files))
    assert found == {("attendance.csv", 1, "date")}


def test_a_score_without_a_taken_date_is_not_a_score(tmp_path):
    files = dict(GOOD)
    files["assessments.csv"] = (
        "student_id,subject,due_date,taken_on,score,max_score\ns1,maths,2023-11-20,,30,50\n"
    )
    h = history.read_history(write(tmp_path, files))
    assert h.assessments.arrays["score"].tolist() != [30.0]
    assert any("taken_on" in w for w in h.warnings)


def test_records_outside_the_school_year_are_set_aside_with_a_warning(tmp_path):
    files = dict(GOOD)
    files["attendance.csv"] = "student_id,date,status\ns1,2023-11-01,present\ns1,2025-01-01,absent\n"
    h = history.read_history(write(tmp_path, files))
    assert h.attendance.student.size == 1
    assert any("outside" in w for w in h.warnings)


def test_a_broken_students_header_is_one_problem_not_one_per_row(tmp_path):
    files = dict(GOOD)
    files["students.csv"] = "student,cohort_id,school_id\ns1,2023,A\n"
    found, _ = problems(write(tmp_path, files))
    assert ("students.csv", 1, "student_id") in found
    assert not any(f == "attendance.csv" for f, _line, _col in found)
