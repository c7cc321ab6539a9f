"""Compact attendance: one bit per student per day slot, in planes of 64-bit words.

A school year of 190 days fits in three uint64 words per student and plane. Four planes carry
every status: ``recorded`` (any status that day), ``absent``, ``late`` and ``excused``; a present
day is recorded and none of the other three. At national scale (3.2 million students) the four
planes take about 300 MB, against tens of gigabytes for a long (student, day) table, and every
attendance feature is a handful of word-wide operations over them.

Slots are whatever calendar the caller chooses (school days of an academic year, or the dates
on which a cohort has any record): slot ``s`` lives in word ``s // 64``, bit ``s % 64``. A
missing slot for one student (no record) is neither present nor absent and breaks a run.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

WORD_BITS = 64

# Dense status codes: one byte per slot, the exchange form with callers.
NO_RECORD, PRESENT, ABSENT, LATE, EXCUSED = 0, 1, 2, 3, 4
# The same codes as letters, for storing a month of roll calls as a short string.
STATUS_LETTERS = ".PALE"
STATUS_NAMES = {"present": PRESENT, "absent": ABSENT, "late": LATE, "excused": EXCUSED}

# Students per chunk: four planes of a chunk stay within the CPU caches.
CHUNK_ROWS = 65_536


def words_for(n_slots: int) -> int:
    return max(1, -(-n_slots // WORD_BITS))


def pack_bits(mask: np.ndarray, n_words: int | None = None) -> np.ndarray:
    """(n, slots) booleans -> (n, words) uint64, slot s at word s // 64, bit s % 64."""
    mask = np.asarray(mask, dtype=bool)
    n, slots = mask.shape
    n_words = words_for(slots) if n_words is None else n_words
    packed = np.packbits(mask, axis=1, bitorder="little")
    out = np.zeros((n, n_words * 8), dtype=np.uint8)
    out[:, : packed.shape[1]] = packed
    return out.view("<u8").astype(np.uint64, copy=False)


def unpack_bits(words: np.ndarray, n_slots: int) -> np.ndarray:
    as_bytes = np.ascontiguousarray(words.astype("<u8", copy=False)).view(np.uint8)
    return np.unpackbits(as_bytes, axis=1, bitorder="little", count=n_slots).astype(bool)


def codes_from_text(rows: list[str], n_slots: int) -> np.ndarray:
    """Strings of STATUS_LETTERS (one per slot) -> (n, n_slots) uint8 codes; short rows pad with '.'."""
    table = np.zeros(256, dtype=np.uint8)
    for code, letter in enumerate(STATUS_LETTERS):
        table[ord(letter)] = code
    out = np.zeros((len(rows), n_slots), dtype=np.uint8)
    for i, row in enumerate(rows):
        raw = np.frombuffer(row[:n_slots].encode("ascii"), dtype=np.uint8)
        bad = ~np.isin(raw, np.frombuffer(STATUS_LETTERS.encode("ascii"), dtype=np.uint8))
        if bad.any():
            raise ValueError(f"row {i}: unknown status letter {chr(raw[bad][0])!r}")
        out[i, : raw.size] = table[raw]
    return out


def text_from_codes(codes: np.ndarray) -> list[str]:
    letters = np.frombuffer(STATUS_LETTERS.encode("ascii"), dtype=np.uint8)
    return [bytes(letters[row]).decode("ascii") for row in np.asarray(codes, dtype=np.uint8)]


@dataclass(frozen=True)
class StatusPlanes:
    """Attendance of n students over n_slots day slots, as four (n, words) uint64 bit planes.

    One status per student and slot: absent, late and excused are disjoint subsets of recorded
    (the constructors below guarantee it; counts rely on it)."""

    recorded: np.ndarray
    absent: np.ndarray
    late: np.ndarray
    excused: np.ndarray
    n_slots: int

    @classmethod
    def from_codes(cls, codes: np.ndarray) -> StatusPlanes:
        codes = np.asarray(codes, dtype=np.uint8)
        if codes.ndim != 2:
            raise ValueError("status codes must be a (students, slots) matrix")
        if codes.size and codes.max() > EXCUSED:
            raise ValueError("status codes are 0 (no record) to 4 (excused)")
        n_words = words_for(codes.shape[1])
        return cls(
            recorded=pack_bits(codes != NO_RECORD, n_words),
            absent=pack_bits(codes == ABSENT, n_words),
            late=pack_bits(codes == LATE, n_words),
            excused=pack_bits(codes == EXCUSED, n_words),
            n_slots=codes.shape[1],
        )

    @classmethod
    def from_records(
        cls, student: np.ndarray, slot: np.ndarray, status: np.ndarray, n_students: int, n_slots: int
    ):
        """Build from (student index, slot index, status code) triples without a dense matrix."""
        n_words = words_for(n_slots)
        planes = {name: np.zeros(n_students * n_words, dtype=np.uint64) for name in ("r", "a", "l", "e")}
        student = np.asarray(student, dtype=np.int64)
        slot = np.asarray(slot, dtype=np.int64)
        status = np.asarray(status, dtype=np.uint8)
        flat = student * n_words + slot // WORD_BITS
        bit = np.left_shift(np.uint64(1), (slot % WORD_BITS).astype(np.uint64))
        for name, selected in (
            ("r", status != NO_RECORD),
            ("a", status == ABSENT),
            ("l", status == LATE),
            ("e", status == EXCUSED),
        ):
            np.bitwise_or.at(planes[name], flat[selected], bit[selected])
        shape = (n_students, n_words)
        return cls(
            recorded=planes["r"].reshape(shape),
            absent=planes["a"].reshape(shape),
            late=planes["l"].reshape(shape),
            excused=planes["e"].reshape(shape),
            n_slots=n_slots,
        )

    @property
    def n_students(self) -> int:
        return self.recorded.shape[0]

    @property
    def nbytes(self) -> int:
        return self.recorded.nbytes + self.absent.nbytes + self.late.nbytes + self.excused.nbytes

    def to_codes(self) -> np.ndarray:
        codes = np.zeros((self.n_students, self.n_slots), dtype=np.uint8)
        codes[unpack_bits(self.recorded, self.n_slots)] = PRESENT
        codes[unpack_bits(self.absent, self.n_slots)] = ABSENT
        codes[unpack_bits(self.late, self.n_slots)] = LATE
        codes[unpack_bits(self.excused, self.n_slots)] = EXCUSED
        return codes

    def take(self, rows) -> StatusPlanes:
        return StatusPlanes(
            self.recorded[rows], self.absent[rows], self.late[rows], self.excused[rows], self.n_slots
        )

    def with_codes(self, rows: np.ndarray, slots: np.ndarray, codes: np.ndarray) -> StatusPlanes:
        """A copy with some (row, slot) statuses set, e.g. after a roll call or a correction."""
        dense = self.to_codes()
        dense[np.asarray(rows), np.asarray(slots)] = np.asarray(codes, dtype=np.uint8)
        return StatusPlanes.from_codes(dense)


def range_masks(lo: int, hi: int, n_words: int) -> np.ndarray:
    """One mask word per word index selecting slots [lo, hi)."""
    masks = np.zeros(n_words, dtype=np.uint64)
    lo, hi = max(lo, 0), min(hi, n_words * WORD_BITS)
    for j in range(n_words):
        a, b = max(lo, j * WORD_BITS), min(hi, (j + 1) * WORD_BITS)
        if a < b:
            width = b - a
            ones = (1 << width) - 1
            masks[j] = np.uint64(ones << (a - j * WORD_BITS))
    return masks


def count_in(plane: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Number of set bits per row in slots [lo, hi)."""
    masks = range_masks(lo, hi, plane.shape[1])
    total = np.zeros(plane.shape[0], dtype=np.int32)
    for j in np.flatnonzero(masks):
        total += np.bitwise_count(plane[:, j] & masks[j])
    return total


def runs(plane: np.ndarray, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, within slots [0, hi): the longest run of consecutive set slots, and the run that
    ends at slot hi - 1 (0 when that slot is not set).

    After k steps of x &= x << 1 (carrying across words), bit i is set exactly when a run of at
    least k + 1 slots ends at slot i. The first steps run over every row; then only the rows with a
    long run left are kept, so the cost follows the number of long runs, not the longest one. Words
    are laid out word-major so that every operation runs over contiguous memory.
    """
    n = plane.shape[0]
    longest = np.zeros(n, dtype=np.int16)
    current = np.zeros(n, dtype=np.int16)
    if hi <= 0:
        return longest, current
    n_words = words_for(hi)
    last_word = (hi - 1) // WORD_BITS
    last_slot = np.uint64(1 << ((hi - 1) % WORD_BITS))
    one, top = np.uint64(1), np.uint64(WORD_BITS - 1)
    x = plane[:, :n_words].T & range_masks(0, hi, n_words)[:, None]
    buffer, carry = np.empty_like(x), np.empty_like(x[:-1])

    def step(x):
        shifted, spill = buffer[:, : x.shape[1]], carry[:, : x.shape[1]]
        np.left_shift(x, one, out=shifted)
        if n_words > 1:
            np.right_shift(x[:-1], top, out=spill)
            shifted[1:] |= spill
        x &= shifted

    def alive(x):
        any_set = x[0] != 0
        for j in range(1, n_words):
            any_set |= x[j] != 0
        return any_set

    # Half the rows have no run longer than one day: settle them without compaction.
    for level in range(2):
        if level:
            step(x)
        set_now = alive(x)
        longest += set_now
        current += (x[last_word] & last_slot) != 0
    active = np.flatnonzero(set_now)
    x = np.compress(set_now, x, axis=1)
    length = 2
    while active.size:
        step(x)
        keep = alive(x)
        # np.compress along the student axis is several times faster than boolean indexing.
        active = np.compress(keep, active)
        x = np.compress(keep, x, axis=1)
        length += 1
        longest[active] = length
        current[active] += (x[last_word] & last_slot) != 0
    return longest, current


def longest_run(plane: np.ndarray, hi: int) -> np.ndarray:
    """Longest run of consecutive set slots per row within [0, hi)."""
    return runs(plane, hi)[0]


def run_ending_at(plane: np.ndarray, hi: int) -> np.ndarray:
    """Length of the run of set slots that ends at slot hi - 1 (0 when that slot is not set)."""
    return runs(plane, hi)[1].astype(np.int32)


@dataclass(frozen=True)
class AttendanceSummary:
    """Per-student attendance counts at a cut-off slot. Arrays are aligned with the planes' rows."""

    recorded: np.ndarray
    attended: np.ndarray  # present or late
    absences: np.ndarray
    late: np.ndarray
    excused: np.ndarray
    longest_absence_run: np.ndarray
    current_absence_run: np.ndarray
    windows: dict  # name -> {"recorded", "attended", "absences"} arrays
    terms: list  # per term: absences array

    def attendance_rate(self, window: str | None = None) -> np.ndarray:
        """Days present or late over days with a record (excused included); NaN with no record."""
        rec, att = (
            (self.recorded, self.attended)
            if window is None
            else (self.windows[window]["recorded"], self.windows[window]["attended"])
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(rec > 0, att / np.maximum(rec, 1), np.nan)


class _Counter:
    """Set bits of one plane over slot ranges; whole words reuse one popcount pass of the plane."""

    ALL = np.uint64(0xFFFF_FFFF_FFFF_FFFF)

    def __init__(self, plane: np.ndarray):
        self.plane = plane
        self._words = None

    def count(self, lo: int, hi: int) -> np.ndarray:
        masks = range_masks(lo, hi, self.plane.shape[1])
        total = np.zeros(self.plane.shape[0], dtype=np.int32)
        for j in np.flatnonzero(masks):
            if masks[j] == self.ALL:
                if self._words is None:
                    self._words = np.bitwise_count(self.plane)
                total += self._words[:, j]
            else:
                total += np.bitwise_count(self.plane[:, j] & masks[j])
        return total


def default_threads() -> int:
    """Two threads on an idle machine; one when every core is already busy, where a second
    thread only adds contention."""
    cores = os.cpu_count() or 1
    busy = os.getloadavg()[0] >= cores if hasattr(os, "getloadavg") else False
    return 1 if busy else min(2, cores)


def _summarise_chunk(planes: StatusPlanes, rows: slice, hi: int, windows: dict, terms: list, out: dict):
    rec, absent = _Counter(planes.recorded[rows]), _Counter(planes.absent[rows])
    late, excused = _Counter(planes.late[rows]), _Counter(planes.excused[rows])
    # Statuses are exclusive, so attended (present or late) = recorded - absent - excused.
    out["recorded"][rows] = recorded = rec.count(0, hi)
    out["absences"][rows] = absences = absent.count(0, hi)
    out["excused"][rows] = excused_days = excused.count(0, hi)
    out["attended"][rows] = recorded - absences - excused_days
    out["late"][rows] = late.count(0, hi)
    out["longest_absence_run"][rows], out["current_absence_run"][rows] = runs(absent.plane, hi)
    for name, (lo, whi) in windows.items():
        whi = min(whi, hi)
        w_recorded, w_absences = rec.count(lo, whi), absent.count(lo, whi)
        out[f"w:{name}:recorded"][rows] = w_recorded
        out[f"w:{name}:absences"][rows] = w_absences
        out[f"w:{name}:attended"][rows] = w_recorded - w_absences - excused.count(lo, whi)
    for k, (lo, thi) in enumerate(terms):
        out[f"t:{k}"][rows] = absent.count(lo, min(thi, hi))


def summarise(
    planes: StatusPlanes,
    *,
    hi: int,
    windows: dict[str, tuple[int, int]] | None = None,
    terms: list[tuple[int, int]] | None = None,
    threads: int | None = None,
) -> AttendanceSummary:
    """Attendance counts over slots [0, hi): everything after slot hi - 1 is invisible.

    ``windows`` name slot ranges (e.g. the last 30 days) counted separately; ``terms`` give slot
    ranges for absences per term. Rows are processed in cache-sized chunks, on ``threads`` threads
    (numpy releases the GIL inside these operations).
    """
    windows = windows or {}
    terms = terms or []
    hi = max(0, min(hi, planes.n_slots))
    n = planes.n_students
    names = ["recorded", "attended", "absences", "late", "excused", "current_absence_run"]
    # Every element is written by exactly one chunk.
    out = {name: np.empty(n, dtype=np.int32) for name in names}
    out["longest_absence_run"] = np.empty(n, dtype=np.int16)
    for name in windows:
        for part in ("recorded", "attended", "absences"):
            out[f"w:{name}:{part}"] = np.empty(n, dtype=np.int32)
    for k in range(len(terms)):
        out[f"t:{k}"] = np.empty(n, dtype=np.int32)
    chunks = [slice(a, min(a + CHUNK_ROWS, n)) for a in range(0, n, CHUNK_ROWS)]
    threads = threads or default_threads()
    if threads > 1 and len(chunks) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(lambda rows: _summarise_chunk(planes, rows, hi, windows, terms, out), chunks))
    else:
        for rows in chunks:
            _summarise_chunk(planes, rows, hi, windows, terms, out)
    return AttendanceSummary(
        recorded=out["recorded"],
        attended=out["attended"],
        absences=out["absences"],
        late=out["late"],
        excused=out["excused"],
        longest_absence_run=out["longest_absence_run"],
        current_absence_run=out["current_absence_run"],
        windows={
            name: {part: out[f"w:{name}:{part}"] for part in ("recorded", "attended", "absences")}
            for name in windows
        },
        terms=[out[f"t:{k}"] for k in range(len(terms))],
    )
