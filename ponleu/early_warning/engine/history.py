"""The school-history folder: read, validate completely, then hand over compact arrays.

The format is FORMAT.md in this package (six CSV files). Validation runs over every
file before anything else happens: every problem is collected with its file, line (the header
is line 1) and column, and a folder with any problem raises ``HistoryError`` carrying all of
them, so nothing is half-read. Files the format does not name are ignored with a warning.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.utils.translation import gettext_lazy as _

from .bitmaps import STATUS_NAMES

REQUIRED = ("cohorts.csv", "students.csv", "outcomes.csv")
OPTIONAL = ("attendance.csv", "assessments.csv", "behaviour.csv")
COLUMNS = {
    "cohorts.csv": (("cohort_id", "start_date", "end_date"), ()),
    "students.csv": (
        ("student_id", "cohort_id", "school_id"),
        (
            "person_id",
            "enrolled_on",
            "grade",
            "sex",
            "birth_date",
            "age_years",
            "disability",
            "poverty_level",
            "province_code",
        ),
    ),
    "attendance.csv": (("student_id", "date", "status"), ()),
    "assessments.csv": (("student_id", "subject", "due_date", "taken_on", "score", "max_score"), ()),
    "behaviour.csv": (("student_id", "date", "severity"), ()),
    "outcomes.csv": (("student_id", "outcome", "date"), ()),
}
# Past this many, problems are counted rather than kept: the first ones show what is wrong.
MAX_PROBLEMS = 10_000
NAT = np.datetime64("NaT", "D")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", {_('line')} {self.line}"
        if self.column:
            where += f", {_('column')} {self.column}"
        return f"{where}: {self.message}"


class HistoryError(ValueError):
    """The folder breaks the format. ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = problems
        self.more = more
        count = len(problems) + more
        super().__init__(f"{count} problem(s) in the school history")

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.more:
            lines.append(str(_("… and %(count)s more problems") % {"count": self.more}))
        return "\n".join(lines)


@dataclass(frozen=True)
class Cohort:
    cohort_id: str
    start: dt.date
    end: dt.date


@dataclass
class Students:
    ids: np.ndarray  # str, unique
    cohort: np.ndarray  # int16 index into History.cohorts
    school: np.ndarray  # object
    person: np.ndarray  # object: person_id, or the student id when not given
    enrolled_on: np.ndarray  # datetime64[D]
    grade: np.ndarray  # object (str or None)
    sex: np.ndarray
    disability: np.ndarray
    poverty_level: np.ndarray
    province_code: np.ndarray
    birth_date: np.ndarray  # datetime64[D], NaT when unknown
    age_years: np.ndarray  # float, NaN when unknown
    extras: dict = field(default_factory=dict)  # x_ name -> object array
    extras_numeric: dict = field(default_factory=dict)  # x_ name -> float array, when every value is a number
    has_person_id: bool = False


@dataclass
class Events:
    """Dated records as parallel arrays; ``student`` indexes History.students."""

    student: np.ndarray
    arrays: dict


@dataclass
class History:
    folder: Path
    cohorts: list[Cohort]
    students: Students
    dropped: np.ndarray  # bool
    left_on: np.ndarray  # datetime64[D], NaT for stayed
    attendance: Events  # date, status (bitmaps codes)
    assessments: Events  # subject (int codes), due, taken, score, max_score
    subjects: list[str]
    behaviour: Events  # date, severity
    warnings: list[str]
    file_hashes: dict[str, str]

    @property
    def n_students(self) -> int:
        return len(self.students.ids)

    def cohort_index(self, cohort_id: str) -> int:
        for i, c in enumerate(self.cohorts):
            if c.cohort_id == cohort_id:
                return i
        raise KeyError(cohort_id)


class _Collector:
    def __init__(self):
        self.problems: list[Problem] = []
        self.more = 0

    def add(self, file, line, column, message):
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(file, line, column, str(message)))
        else:
            self.more += 1


class _Dates:
    """ISO dates with a cache: a history repeats the same few hundred dates millions of times."""

    def __init__(self):
        self.cache: dict[str, int | None] = {}

    def parse(self, text: str) -> int | None:
        """Days since 1970-01-01, or None when the text is not a YYYY-MM-DD date."""
        value = self.cache.get(text, -1)
        if value != -1:
            return value
        value = None
        if _ISO_DATE.match(text):
            try:
                value = (dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days
            except ValueError:
                value = None
        self.cache[text] = value
        return value


def _days_to_date(days: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=int(days))


def _open(folder: Path, name: str, problems: _Collector):
    """(header, iterator of (line, cells)) after checking the header; None if the file is unusable."""
    required, optional = COLUMNS[name]
    handle = (folder / name).open(encoding="utf-8-sig", newline="")
    try:
        handle.read(1 << 16)
        handle.seek(0)
    except UnicodeDecodeError:
        handle.close()
        problems.add(name, None, None, _("the file is not UTF-8 text"))
        return None
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        problems.add(name, 1, None, _("the file is empty: a header row is required"))
        handle.close()
        return None
    header = [h.strip() for h in header]
    ok = True
    for column in required:
        if column not in header:
            problems.add(name, 1, column, _("required column is missing"))
            ok = False
    seen = set()
    for column in header:
        # Reported, but the rows are still checked so that one reading lists every problem.
        if column in seen:
            problems.add(name, 1, column, _("column appears twice"))
        seen.add(column)
        if column not in required and column not in optional and not column.startswith("x_"):
            problems.add(name, 1, column, _("unknown column (extra columns must start with x_)"))
    if not ok:
        handle.close()
        return None
    return header, _iterate(handle, reader, len(header), name, problems)


def _iterate(handle, reader, width, name, problems):
    previous_end = 1
    try:
        for row in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if len(row) != width:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                problems.add(
                    name,
                    line,
                    None,
                    _("expected %(expected)s fields, found %(found)s")
                    % {"expected": width, "found": len(row)},
                )
                continue
            yield line, row
    except UnicodeDecodeError:
        problems.add(name, previous_end + 1, None, _("the file is not UTF-8 text"))
    except csv.Error as exc:
        problems.add(name, previous_end + 1, None, _("unreadable CSV: %(error)s") % {"error": exc})
    finally:
        handle.close()


def _rows(folder: Path, name: str, problems: _Collector):
    """Yield (line, {column: value}) for a file, after checking its header; None if unusable."""
    opened = _open(folder, name, problems)
    if opened is None:
        return None
    header, rows = opened
    return ((line, dict(zip(header, (v.strip() for v in row), strict=True))) for line, row in rows)


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_history(folder: str | Path) -> History:
    """Read and validate a history folder; raise HistoryError listing every problem."""
    folder = Path(folder)
    problems = _Collector()
    if not folder.is_dir():
        problems.add(str(folder), None, None, _("not a folder"))
        raise HistoryError(problems.problems)
    warnings = [
        str(_("%(name)s is not part of the history format; ignored") % {"name": entry.name})
        for entry in sorted(folder.iterdir())
        if entry.name not in REQUIRED + OPTIONAL
    ]
    for name in REQUIRED:
        if not (folder / name).is_file():
            problems.add(name, None, None, _("required file is missing"))
    if problems.problems:
        raise HistoryError(problems.problems)
    dates = _Dates()
    cohorts = _read_cohorts(folder, problems, dates)
    students = _read_students(folder, problems, dates, cohorts)
    # Without a readable students.csv, other files' student ids cannot be checked (None: skip).
    index = {sid: i for i, sid in enumerate(students["ids"])} if students else None
    dropped, left_on = _read_outcomes(folder, problems, dates, index, students)
    attendance = _read_attendance(folder, problems, dates, index)
    assessments, subjects, ignored_scores = _read_assessments(folder, problems, dates, index)
    if ignored_scores:
        warnings.append(
            str(
                _("assessments.csv: %(count)s scores without a taken_on date were ignored (not taken)")
                % {"count": ignored_scores}
            )
        )
    behaviour = _read_behaviour(folder, problems, dates, index)
    if problems.problems or problems.more or students is None or cohorts is None:
        order = {name: k for k, name in enumerate(REQUIRED[:2] + OPTIONAL + REQUIRED[2:])}
        problems.problems.sort(key=lambda p: (order.get(p.file, -1), p.line or 0))
        raise HistoryError(problems.problems, problems.more)
    history = History(
        folder=folder,
        cohorts=[c for c in cohorts.values()],
        students=_students_table(students),
        dropped=dropped,
        left_on=left_on,
        attendance=attendance,
        assessments=assessments,
        subjects=subjects,
        behaviour=behaviour,
        warnings=warnings,
        file_hashes={
            name: _file_hash(folder / name) for name in REQUIRED + OPTIONAL if (folder / name).is_file()
        },
    )
    _order_cohorts(history)
    _drop_out_of_year(history)
    return history


def _read_cohorts(folder, problems, dates):
    rows = _rows(folder, "cohorts.csv", problems)
    if rows is None:
        return None
    cohorts: dict[str, Cohort] = {}
    for line, row in rows:
        cid = row["cohort_id"]
        if not cid:
            problems.add("cohorts.csv", line, "cohort_id", _("empty id"))
            continue
        if cid in cohorts:
            problems.add("cohorts.csv", line, "cohort_id", _("duplicate cohort %(id)s") % {"id": cid})
            continue
        start, end = dates.parse(row["start_date"]), dates.parse(row["end_date"])
        for column, value in (("start_date", start), ("end_date", end)):
            if value is None:
                problems.add(
                    "cohorts.csv",
                    line,
                    column,
                    _("not a date (YYYY-MM-DD): %(value)r") % {"value": row[column]},
                )
        if start is None or end is None:
            continue
        if end < start:
            problems.add("cohorts.csv", line, "end_date", _("ends before it starts"))
            continue
        cohorts[cid] = Cohort(cid, _days_to_date(start), _days_to_date(end))
    if not cohorts and not problems.problems:
        problems.add("cohorts.csv", None, None, _("no cohort"))
    return cohorts


def _read_students(folder, problems, dates, cohorts):
    rows = _rows(folder, "students.csv", problems)
    if rows is None:
        return None
    f = "students.csv"
    cols: dict[str, list] = {
        k: []
        for k in (
            "ids",
            "cohort",
            "school",
            "person",
            "enrolled_on",
            "grade",
            "sex",
            "disability",
            "poverty_level",
            "province_code",
            "birth_date",
            "age_years",
        )
    }
    extras: dict[str, list] = {}
    seen: dict[str, int] = {}
    has_person = False
    cohort_ids = list(cohorts or {})
    cohort_pos = {cid: i for i, cid in enumerate(cohort_ids)}
    for line, row in rows:
        sid = row["student_id"]
        if not sid:
            problems.add(f, line, "student_id", _("empty id"))
            continue
        if sid in seen:
            problems.add(
                f, line, "student_id", _("duplicate student (first on line %(line)s)") % {"line": seen[sid]}
            )
            continue
        seen[sid] = line
        cid = row["cohort_id"]
        if cohorts is not None and cid not in cohorts:
            # Still registered, so that its rows in other files are not reported a second time.
            problems.add(f, line, "cohort_id", _("unknown cohort %(id)r") % {"id": cid})
        if not row["school_id"]:
            problems.add(f, line, "school_id", _("empty id"))
        enrolled = row.get("enrolled_on", "")
        if enrolled:
            enrolled_day = dates.parse(enrolled)
            if enrolled_day is None:
                problems.add(
                    f, line, "enrolled_on", _("not a date (YYYY-MM-DD): %(value)r") % {"value": enrolled}
                )
        else:
            known = (cohorts or {}).get(cid)
            enrolled_day = (known.start - dt.date(1970, 1, 1)).days if known else 0
        birth = row.get("birth_date", "")
        birth_day = None
        if birth:
            birth_day = dates.parse(birth)
            if birth_day is None:
                problems.add(
                    f, line, "birth_date", _("not a date (YYYY-MM-DD): %(value)r") % {"value": birth}
                )
        age = row.get("age_years", "")
        age_value = np.nan
        if age:
            try:
                age_value = float(age)
                if not 0 <= age_value < 100:
                    raise ValueError
            except ValueError:
                problems.add(f, line, "age_years", _("not an age in years: %(value)r") % {"value": age})
        disability = row.get("disability", "").lower()
        if disability not in ("", "yes", "no"):
            problems.add(f, line, "disability", _("must be yes, no or empty"))
        poverty = row.get("poverty_level", "")
        if poverty not in ("", "0", "1", "2"):
            problems.add(f, line, "poverty_level", _("must be 0 (none), 1 (very poor), 2 (poor) or empty"))
        person = row.get("person_id", "")
        has_person = has_person or bool(person)
        cols["ids"].append(sid)
        cols["cohort"].append(cohort_pos.get(cid, 0))
        cols["school"].append(row["school_id"])
        cols["person"].append(person or f"student:{sid}")
        cols["enrolled_on"].append(enrolled_day if enrolled_day is not None else 0)
        cols["grade"].append(row.get("grade") or None)
        cols["sex"].append(row.get("sex") or None)
        cols["disability"].append(disability or None)
        cols["poverty_level"].append(poverty or None)
        cols["province_code"].append(row.get("province_code") or None)
        cols["birth_date"].append(birth_day)
        cols["age_years"].append(age_value)
        for key, value in row.items():
            if key.startswith("x_"):
                extras.setdefault(key, []).append(value or None)
    cols["extras"] = extras
    cols["has_person_id"] = has_person
    cols["cohort_ids"] = cohort_ids
    return cols


def _students_table(cols) -> Students:
    n = len(cols["ids"])

    def obj(values):
        out = np.empty(n, dtype=object)
        out[:] = values
        return out

    birth = np.array(
        [np.datetime64(_days_to_date(d)) if d is not None else NAT for d in cols["birth_date"]],
        dtype="datetime64[D]",
    )
    extras = {name: obj(values) for name, values in cols["extras"].items()}
    numeric = {}
    for name, values in extras.items():
        parsed = []
        for v in values:
            if v is None:
                parsed.append(np.nan)
                continue
            try:
                parsed.append(float(v))
            except ValueError:
                break
        else:
            numeric[name] = np.array(parsed, dtype=float)
    return Students(
        ids=obj(cols["ids"]),
        cohort=np.array(cols["cohort"], dtype=np.int16),
        school=obj(cols["school"]),
        person=obj(cols["person"]),
        enrolled_on=np.array(cols["enrolled_on"], dtype="int64").astype("datetime64[D]"),
        grade=obj(cols["grade"]),
        sex=obj(cols["sex"]),
        disability=obj(cols["disability"]),
        poverty_level=obj(cols["poverty_level"]),
        province_code=obj(cols["province_code"]),
        birth_date=birth,
        age_years=np.array(cols["age_years"], dtype=float),
        extras=extras,
        extras_numeric=numeric,
        has_person_id=cols["has_person_id"],
    )


def _student(index, problems, name, line, sid):
    if index is None:
        return None
    i = index.get(sid)
    if i is None:
        if sid:
            problems.add(name, line, "student_id", _("student %(id)r is not in students.csv") % {"id": sid})
        else:
            problems.add(name, line, "student_id", _("empty id"))
    return i


def _read_outcomes(folder, problems, dates, index, students):
    name = "outcomes.csv"
    n = len(index or ())
    dropped = np.zeros(n, dtype=bool)
    left = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    seen = np.zeros(n, dtype=np.int64)
    rows = _rows(folder, name, problems)
    if rows is None:
        return dropped, left.astype("datetime64[D]")
    for line, row in rows:
        i = _student(index, problems, name, line, row["student_id"])
        if i is not None:
            if seen[i]:
                problems.add(
                    name,
                    line,
                    "student_id",
                    _("second outcome for this student (first on line %(line)s)") % {"line": seen[i]},
                )
                continue
            seen[i] = line  # even when the row below is wrong: the student has an outcome row
        outcome = row["outcome"]
        if outcome not in ("dropped_out", "stayed"):
            problems.add(
                name, line, "outcome", _("must be dropped_out or stayed, not %(value)r") % {"value": outcome}
            )
            continue
        if outcome == "stayed" or i is None:
            if outcome == "dropped_out":
                _dropout_date(row, problems, dates, name, line)
            continue
        day = _dropout_date(row, problems, dates, name, line)
        if day is not None:
            dropped[i] = True
            left[i] = day
    if students is not None:
        # A student without an outcome is reported on the student's own line.
        missing = np.flatnonzero(seen == 0)
        if missing.size:
            lines = _student_lines(folder)
            for i in missing:
                sid = students["ids"][i]
                problems.add(
                    "students.csv",
                    lines.get(sid),
                    "student_id",
                    _("student %(id)r has no row in outcomes.csv") % {"id": sid},
                )
    return dropped, left.astype("datetime64[D]")


def _dropout_date(row, problems, dates, name, line):
    if not row["date"]:
        problems.add(name, line, "date", _("a dropped_out outcome needs the date the student left"))
        return None
    day = dates.parse(row["date"])
    if day is None:
        problems.add(name, line, "date", _("not a date (YYYY-MM-DD): %(value)r") % {"value": row["date"]})
    return day


def _student_lines(folder):
    lines = {}
    for line, row in _rows(folder, "students.csv", _Collector()) or ():
        lines.setdefault(row["student_id"], line)
    return lines


def _read_attendance(folder, problems, dates, index):
    name = "attendance.csv"
    student, day, status, lines = array("i"), array("i"), array("b"), array("l")
    opened = _open(folder, name, problems) if (folder / name).is_file() else None
    if opened is not None:
        # The largest file by far: cells by position, no dictionary per row.
        header, rows = opened
        c_student, c_date, c_status = (header.index(c) for c in ("student_id", "date", "status"))
        parse = dates.parse
        for line, row in rows:
            sid, text, word = row[c_student].strip(), row[c_date].strip(), row[c_status].strip()
            i = index.get(sid) if index is not None else None
            if i is None:
                _student(index, problems, name, line, sid)
            d = parse(text)
            if d is None:
                problems.add(name, line, "date", _("not a date (YYYY-MM-DD): %(value)r") % {"value": text})
            code = STATUS_NAMES.get(word)
            if code is None:
                problems.add(
                    name,
                    line,
                    "status",
                    _("must be present, absent, late or excused, not %(value)r") % {"value": word},
                )
            if i is None or d is None or code is None:
                continue
            student.append(i)
            day.append(d)
            status.append(code)
            lines.append(line)
    s = np.frombuffer(student, dtype=np.int32) if student else np.zeros(0, np.int32)
    d = np.frombuffer(day, dtype=np.int32) if day else np.zeros(0, np.int32)
    if s.size:
        # Duplicate days are found in one sort rather than a dictionary of millions of keys.
        key = s.astype(np.int64) * 1_000_000 + d
        order = np.argsort(key, kind="stable")
        dup = np.flatnonzero(key[order][1:] == key[order][:-1])
        ln = np.frombuffer(lines, dtype=f"i{lines.itemsize}")
        for k in dup:
            problems.add(
                name,
                int(ln[order[k + 1]]),
                "date",
                _("a second status for the same student and day (first on line %(line)s)")
                % {"line": int(ln[order[k]])},
            )
    return Events(
        student=s.copy(),
        arrays={
            "date": d.astype("int64").astype("datetime64[D]"),
            "status": np.frombuffer(status, dtype=np.int8).astype(np.uint8)
            if status
            else np.zeros(0, np.uint8),
        },
    )


def _number(text, problems, name, line, column):
    if not text:
        return np.nan
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not np.isfinite(value):
        problems.add(name, line, column, _("not a number: %(value)r") % {"value": text})
        return None
    return value


def _read_assessments(folder, problems, dates, index):
    name = "assessments.csv"
    cols = {k: [] for k in ("student", "subject", "due", "taken", "score", "max_score")}
    subjects: dict[str, int] = {}
    ignored_scores = 0
    if (folder / name).is_file():
        for line, row in _rows(folder, name, problems) or ():
            i = _student(index, problems, name, line, row["student_id"])
            due = taken = None
            ok = True
            for column in ("due_date", "taken_on"):
                if row[column]:
                    value = dates.parse(row[column])
                    if value is None:
                        problems.add(
                            name,
                            line,
                            column,
                            _("not a date (YYYY-MM-DD): %(value)r") % {"value": row[column]},
                        )
                        ok = False
                    elif column == "due_date":
                        due = value
                    else:
                        taken = value
            if not row["due_date"] and not row["taken_on"]:
                problems.add(name, line, "due_date", _("at least one of due_date and taken_on is needed"))
                ok = False
            if not row["subject"]:
                problems.add(name, line, "subject", _("empty subject"))
                ok = False
            score = _number(row["score"], problems, name, line, "score")
            top = _number(row["max_score"], problems, name, line, "max_score")
            if score is None or top is None:
                continue
            if not np.isnan(top) and top <= 0:
                problems.add(name, line, "max_score", _("must be greater than zero"))
                ok = False
            if not np.isnan(score):
                if score < 0:
                    problems.add(name, line, "score", _("below zero"))
                    ok = False
                elif not np.isnan(top) and score > top:
                    problems.add(
                        name, line, "score", _("above max_score (%(max)s)") % {"max": row["max_score"]}
                    )
                    ok = False
                if not row["taken_on"]:
                    # Not taken, by the format's definition: the score cannot stand.
                    ignored_scores += 1
                    score = np.nan
            if i is None or not ok:
                continue
            cols["student"].append(i)
            cols["subject"].append(subjects.setdefault(row["subject"], len(subjects)))
            cols["due"].append(due if due is not None else np.iinfo(np.int64).min)
            cols["taken"].append(taken if taken is not None else np.iinfo(np.int64).min)
            cols["score"].append(score)
            cols["max_score"].append(top)
    return (
        Events(
            student=np.array(cols["student"], dtype=np.int32),
            arrays={
                "subject": np.array(cols["subject"], dtype=np.int32),
                "due": np.array(cols["due"], dtype=np.int64).astype("datetime64[D]"),
                "taken": np.array(cols["taken"], dtype=np.int64).astype("datetime64[D]"),
                "score": np.array(cols["score"], dtype=float),
                "max_score": np.array(cols["max_score"], dtype=float),
            },
        ),
        list(subjects),
        ignored_scores,
    )


def _read_behaviour(folder, problems, dates, index):
    name = "behaviour.csv"
    student, day, severity = [], [], []
    if (folder / name).is_file():
        for line, row in _rows(folder, name, problems) or ():
            i = _student(index, problems, name, line, row["student_id"])
            d = dates.parse(row["date"])
            if d is None:
                problems.add(
                    name, line, "date", _("not a date (YYYY-MM-DD): %(value)r") % {"value": row["date"]}
                )
            if row["severity"] not in ("1", "2", "3"):
                problems.add(name, line, "severity", _("must be 1 (minor), 2 (serious) or 3 (grave)"))
                continue
            if i is None or d is None:
                continue
            student.append(i)
            day.append(d)
            severity.append(int(row["severity"]))
    return Events(
        student=np.array(student, dtype=np.int32),
        arrays={
            "date": np.array(day, dtype=np.int64).astype("datetime64[D]"),
            "severity": np.array(severity, dtype=np.int8),
        },
    )


def _order_cohorts(history: History) -> None:
    """Sort cohorts by start date and renumber the students' cohort index to match."""
    order = sorted(
        range(len(history.cohorts)), key=lambda i: (history.cohorts[i].start, history.cohorts[i].cohort_id)
    )
    remap = np.empty(len(order), dtype=np.int16)
    remap[np.array(order, dtype=int)] = np.arange(len(order), dtype=np.int16)
    history.cohorts = [history.cohorts[i] for i in order]
    history.students.cohort = remap[history.students.cohort]


def _drop_out_of_year(history: History) -> None:
    """Attendance and behaviour dated outside the student's cohort year are set aside, with a warning."""
    starts = np.array([np.datetime64(c.start) for c in history.cohorts], dtype="datetime64[D]")
    ends = np.array([np.datetime64(c.end) for c in history.cohorts], dtype="datetime64[D]")
    for label, events in (("attendance.csv", history.attendance), ("behaviour.csv", history.behaviour)):
        if not events.student.size:
            continue
        cohort = history.students.cohort[events.student]
        day = events.arrays["date"]
        inside = (day >= starts[cohort]) & (day <= ends[cohort])
        outside = int((~inside).sum())
        if outside:
            history.warnings.append(
                str(
                    _("%(file)s: %(count)s records dated outside their cohort's school year were ignored")
                    % {"file": label, "count": outside}
                )
            )
            events.student = events.student[inside]
            events.arrays = {k: v[inside] for k, v in events.arrays.items()}
