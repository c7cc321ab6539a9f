"""The attendance bit planes against a plain per-student loop over the same days."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ponleu.early_warning.engine import bitmaps
from ponleu.early_warning.engine.bitmaps import ABSENT, EXCUSED, LATE, NO_RECORD, PRESENT, StatusPlanes


def naive(codes, hi, window, terms):
    """Straight from the definitions, one student and one day at a time."""
    out = []
    for row in codes:
        seen = list(row[:hi])
        longest = run = 0
        for c in seen:
            run = run + 1 if c == ABSENT else 0
            longest = max(longest, run)
        current = 0
        for c in reversed(seen):
            if c != ABSENT:
                break
            current += 1
        out.append(
            {
                "recorded": sum(c != NO_RECORD for c in seen),
                "attended": sum(c in (PRESENT, LATE) for c in seen),
                "absences": sum(c == ABSENT for c in seen),
                "late": sum(c == LATE for c in seen),
                "excused": sum(c == EXCUSED for c in seen),
                "longest": longest,
                "current": current,
                "window": sum(c == ABSENT for c in row[window[0] : min(window[1], hi)]),
                "terms": [sum(c == ABSENT for c in row[a : min(b, hi)]) for a, b in terms],
            }
        )
    return out


def random_codes(rng, n, slots):
    codes = rng.choice(
        np.array([NO_RECORD, PRESENT, ABSENT, LATE, EXCUSED]), size=(n, slots), p=[0.1, 0.6, 0.2, 0.05, 0.05]
    )
    codes[: n // 3, 20:60] = ABSENT  # long runs crossing a word boundary
    return codes.astype(np.uint8)


@pytest.mark.parametrize("hi", [0, 1, 63, 64, 65, 127, 128, 150, 190])
def test_summary_matches_the_definitions(hi):
    rng = np.random.default_rng(hi)
    codes = random_codes(rng, 60, 190)
    planes = StatusPlanes.from_codes(codes)
    window, terms = (max(0, hi - 30), hi), [(0, 95), (95, 190)]
    s = bitmaps.summarise(planes, hi=hi, windows={"w": window}, terms=terms, threads=1)
    for i, expected in enumerate(naive(codes, hi, window, terms)):
        assert s.recorded[i] == expected["recorded"]
        assert s.attended[i] == expected["attended"]
        assert s.absences[i] == expected["absences"]
        assert s.late[i] == expected["late"]
        assert s.excused[i] == expected["excused"]
        assert s.longest_absence_run[i] == expected["longest"]
        assert s.current_absence_run[i] == expected["current"]
        assert s.windows["w"]["absences"][i] == expected["window"]
        assert [t[i] for t in s.terms] == expected["terms"]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(alphabet=".PALE", min_size=0, max_size=140), min_size=1, max_size=8), st.integers(0, 140)
)
def test_runs_and_counts_for_any_roll_calls(rows, hi):
    codes = bitmaps.codes_from_text(rows, 140)
    s = bitmaps.summarise(StatusPlanes.from_codes(codes), hi=hi, threads=1)
    for i, expected in enumerate(naive(codes, hi, (0, 0), [])):
        assert (s.longest_absence_run[i], s.current_absence_run[i]) == (
            expected["longest"],
            expected["current"],
        )
        assert s.absences[i] == expected["absences"]


def test_threads_and_chunks_do_not_change_the_result(monkeypatch):
    codes = random_codes(np.random.default_rng(3), 500, 190)
    planes = StatusPlanes.from_codes(codes)
    one = bitmaps.summarise(planes, hi=170, windows={"w": (140, 170)}, threads=1)
    monkeypatch.setattr(bitmaps, "CHUNK_ROWS", 64)
    many = bitmaps.summarise(planes, hi=170, windows={"w": (140, 170)}, threads=2)
    for name in ("recorded", "attended", "absences", "longest_absence_run", "current_absence_run"):
        assert np.array_equal(getattr(one, name), getattr(many, name))
    assert np.array_equal(one.windows["w"]["absences"], many.windows["w"]["absences"])


def test_encodings_round_trip():
    codes = random_codes(np.random.default_rng(4), 30, 190)
    planes = StatusPlanes.from_codes(codes)
    assert planes.recorded.shape == (30, 3)
    assert planes.recorded.dtype == np.uint64
    assert np.array_equal(planes.to_codes(), codes)
    student, slot = np.nonzero(codes)
    from_triples = StatusPlanes.from_records(student, slot, codes[student, slot], 30, 190)
    assert np.array_equal(from_triples.to_codes(), codes)
    assert np.array_equal(bitmaps.codes_from_text(bitmaps.text_from_codes(codes), 190), codes)


def test_a_roll_call_updates_one_day():
    planes = StatusPlanes.from_codes(bitmaps.codes_from_text(["PPPP", "PPAP"], 5))
    after = planes.with_codes(np.array([0, 1]), np.array([4, 4]), np.array([ABSENT, ABSENT]))
    assert bitmaps.text_from_codes(after.to_codes()) == ["PPPPA", "PPAPA"]
    assert list(bitmaps.summarise(after, hi=5).current_absence_run) == [1, 1]


def test_unknown_status_letters_are_refused():
    with pytest.raises(ValueError, match="unknown status letter"):
        bitmaps.codes_from_text(["PPX"], 3)
