"""Early-warning scoring at national scale: attendance features from compact bitmaps.

    .venv/bin/python bench/ews_features.py --scale 1      # 3.2 million students x 190 school days
    .venv/bin/python bench/ews_features.py --scale 0.1    # a tenth

Builds a synthetic national school year as attendance bit planes (recorded, absent, late, excused:
3 x uint64 per student and plane), then reports, in one run:

- Ponleu's feature pass (ponleu.early_warning.engine.bitmaps.summarise: absences in the last 30
  school days, longest absence run, absences per term, consecutive absent days now, attendance
  rate, late and excused days) in a separate process: best wall time of several runs and that
  process's peak resident memory (bitmaps included);
- the same features from a straightforward pandas long table (one row per student-day) on a subset,
  scaled up linearly to the full population, checked identical to Ponleu's on that subset;
- reference kernels in the same run: ``attn_c`` (the same features in C on the same bitmaps, two
  OpenMP threads, when a C compiler is present) and ``membw`` (memory read bandwidth, giving the
  floor for one pass over the bitmaps);
- rescoring one school of 1,000 students after a roll call: features, rule index, calibrated model
  and top factors, from bitmaps.

Targets (performance.md): national features <= 5 s and <= 2 GB on 2 cores; >= 50x pandas; one
school rescored <= 300 ms. The load average is recorded because neighbouring load slows Python
paths. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ponleu.early_warning.engine import bitmaps  # noqa: E402

NATIONAL_STUDENTS = 3_200_000
DAYS = 190
TERMS = [(0, 95), (95, 190)]
WINDOW = 30
FEATURES = (
    "recorded",
    "attended",
    "absences",
    "late",
    "excused",
    "longest_absence_run",
    "current_absence_run",
    "absences_30",
    "term_0",
    "term_1",
)
# ---------------------------------------------------------------------------------------------
# The synthetic national year


def national_codes(rng, n: int) -> np.ndarray:
    """(n, DAYS) status codes: each child's own absence propensity, a few long absences, dropouts
    (no record after leaving), late enrolments, late and excused days."""
    p_abs = rng.beta(1.2, 18.0, n).astype(np.float32)
    u = rng.random((n, DAYS), dtype=np.float32)
    codes = np.where(u < p_abs[:, None], bitmaps.ABSENT, bitmaps.PRESENT).astype(np.uint8)
    late = rng.random((n, DAYS), dtype=np.float32) < 0.03
    codes[(codes == bitmaps.PRESENT) & late] = bitmaps.LATE
    excused = rng.random((n, DAYS), dtype=np.float32) < 0.01
    codes[excused] = bitmaps.EXCUSED
    day = np.arange(DAYS)[None, :]
    episode = rng.random(n) < 0.06
    start = rng.integers(0, DAYS, n)
    length = rng.integers(3, 25, n)
    codes[episode[:, None] & (day >= start[:, None]) & (day < (start + length)[:, None])] = bitmaps.ABSENT
    leave = np.where(rng.random(n) < 0.09, rng.integers(10, DAYS, n), DAYS)
    enrol = np.where(rng.random(n) < 0.03, rng.integers(1, 60, n), 0)
    codes[(day >= leave[:, None]) | (day < enrol[:, None])] = bitmaps.NO_RECORD
    return codes


def build_year(n: int, seed: int, subset: int) -> tuple[np.ndarray, np.ndarray]:
    """Bit planes (4, n, words) built chunk by chunk, and the dense codes of the first ``subset``."""
    rng = np.random.default_rng(seed)
    words = bitmaps.words_for(DAYS)
    planes = np.zeros((4, n, words), dtype=np.uint64)
    kept = []
    chunk = 200_000
    for a in range(0, n, chunk):
        codes = national_codes(rng, min(chunk, n - a))
        p = bitmaps.StatusPlanes.from_codes(codes)
        for k, plane in enumerate((p.recorded, p.absent, p.late, p.excused)):
            planes[k, a : a + len(codes)] = plane
        if a < subset:
            kept.append(codes[: subset - a])
    return planes, np.concatenate(kept)[:subset]


# ---------------------------------------------------------------------------------------------
# Ponleu's pass, in a worker process so that its peak memory is its own


def ponleu_features(planes: np.ndarray, hi: int, threads: int) -> dict[str, np.ndarray]:
    sp = bitmaps.StatusPlanes(planes[0], planes[1], planes[2], planes[3], DAYS)
    s = bitmaps.summarise(sp, hi=hi, windows={"30": (hi - WINDOW, hi)}, terms=TERMS, threads=threads)
    return {
        "recorded": s.recorded,
        "attended": s.attended,
        "absences": s.absences,
        "late": s.late,
        "excused": s.excused,
        "longest_absence_run": s.longest_absence_run,
        "current_absence_run": s.current_absence_run,
        "absences_30": s.windows["30"]["absences"],
        "term_0": s.terms[0],
        "term_1": s.terms[1],
        "attendance_rate": s.attendance_rate(),
    }


def worker(path: str, hi: int, threads: int, repeats: int, subset: int, out: str) -> None:
    """Best of ``repeats`` runs with one thread and with ``threads`` threads, interleaved so that
    both see the same neighbouring load; the faster setting is Ponleu's figure."""
    planes = np.load(path)
    settings = sorted({1, threads})
    times = {t: [] for t in settings}
    for _ in range(repeats):
        for t in settings:
            t0 = time.perf_counter()
            result = ponleu_features(planes, hi, t)
            times[t].append(time.perf_counter() - t0)
    np.savez(out, **{k: v[:subset] for k, v in result.items()})
    best = min(settings, key=lambda t: min(times[t]))
    print(
        json.dumps(
            {
                "best_s": min(times[best]),
                "median_s": float(np.median(times[best])),
                "threads": best,
                "by_threads": {str(t): min(v) for t, v in times.items()},
                "peak_mb": peak_rss_mb(),
            }
        )
    )


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux keeps ru_maxrss across exec (so a worker would
    inherit its parent's), hence VmHWM, which belongs to the new address space."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_worker(
    planes: np.ndarray, hi: int, threads: int, repeats: int, subset: int, tmp: Path
) -> tuple[dict, dict]:
    path, out = tmp / "planes.npy", tmp / "subset.npz"
    np.save(path, planes)
    cmd = [sys.executable, __file__, "--worker", str(path), "--hi", str(hi), "--threads", str(threads)]
    cmd += ["--repeats", str(repeats), "--subset", str(subset), "--result", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    with np.load(out) as data:
        features = {k: data[k] for k in data.files}
    return figures, features


# ---------------------------------------------------------------------------------------------
# pandas_long: the straightforward reference on a long (student, day, status) table


def long_table(codes: np.ndarray):
    import pandas as pd

    student, day = np.nonzero(codes)
    return pd.DataFrame(
        {
            "student": student.astype(np.int32),
            "day": day.astype(np.int16),
            "status": codes[student, day].astype(np.int8),
        }
    )


def pandas_features(df, n: int, hi: int) -> dict[str, np.ndarray]:
    import pandas as pd

    index = pd.RangeIndex(n)
    seen = df[df["day"] < hi]
    absent = seen[seen["status"] == bitmaps.ABSENT]

    def count(frame):
        return frame.groupby("student").size().reindex(index, fill_value=0).to_numpy()

    out = {
        "recorded": count(seen),
        "attended": count(seen[seen["status"].isin([bitmaps.PRESENT, bitmaps.LATE])]),
        "absences": count(absent),
        "late": count(seen[seen["status"] == bitmaps.LATE]),
        "excused": count(seen[seen["status"] == bitmaps.EXCUSED]),
        "absences_30": count(absent[absent["day"] >= hi - WINDOW]),
    }
    for k, (lo, top) in enumerate(TERMS):
        out[f"term_{k}"] = count(absent[(absent["day"] >= lo) & (absent["day"] < min(top, hi))])
    runs = absent.sort_values(["student", "day"])
    new_run = (runs["student"] != runs["student"].shift()) | (runs["day"] != runs["day"].shift() + 1)
    runs = runs.assign(run=new_run.cumsum())
    lengths = runs.groupby("run").agg(
        student=("student", "first"), last=("day", "last"), length=("day", "size")
    )
    out["longest_absence_run"] = (
        lengths.groupby("student")["length"].max().reindex(index, fill_value=0).to_numpy()
    )
    current = lengths[lengths["last"] == hi - 1]
    out["current_absence_run"] = (
        current.set_index("student")["length"].reindex(index, fill_value=0).to_numpy()
    )
    rec = out["recorded"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["attendance_rate"] = np.where(rec > 0, out["attended"] / np.maximum(rec, 1), np.nan)
    return out


# ---------------------------------------------------------------------------------------------
# attn_c and membw: compiled references in the same run

C_SOURCE = r"""
#include <stdint.h>
#include <omp.h>
static inline int pc(uint64_t x){return __builtin_popcountll(x);}
static uint64_t range_mask(int lo,int hi,int j){
  int a=lo>j*64?lo:j*64, b=hi<(j+1)*64?hi:(j+1)*64; if(a>=b) return 0;
  int w=b-a; uint64_t ones=(w==64)?~0ULL:((1ULL<<w)-1); return ones<<(a-j*64);}
void attn(const uint64_t*rec,const uint64_t*ab,const uint64_t*lt,const uint64_t*ex,long n,int W,int hi,
          int wlo,int t0,int t1,int t2,int32_t*out){
  #pragma omp parallel for schedule(static)
  for(long i=0;i<n;i++){
    const uint64_t*r=rec+i*W,*a=ab+i*W,*l=lt+i*W,*e=ex+i*W; int32_t*o=out+i*10;
    int c_rec=0,c_att=0,c_abs=0,c_late=0,c_exc=0,c_w=0,c_t0=0,c_t1=0; uint64_t x[8];
    for(int j=0;j<W;j++){
      uint64_t m=range_mask(0,hi,j);
      c_rec+=pc(r[j]&m); c_att+=pc(r[j]&~a[j]&~e[j]&m); c_abs+=pc(a[j]&m);
      c_late+=pc(l[j]&m); c_exc+=pc(e[j]&m); c_w+=pc(a[j]&range_mask(wlo,hi,j));
      c_t0+=pc(a[j]&range_mask(t0,t1<hi?t1:hi,j)); c_t1+=pc(a[j]&range_mask(t1,t2<hi?t2:hi,j));
      x[j]=a[j]&m;}
    int longest=0; int any=0; for(int j=0;j<W;j++) any|=(x[j]!=0);
    while(any){ longest++; any=0; uint64_t carry=0;
      for(int j=0;j<W;j++){uint64_t nc=x[j]>>63; x[j]&=(x[j]<<1)|carry; carry=nc; any|=(x[j]!=0);} }
    int cur=0; for(int s=hi-1;s>=0;s--){ if((a[s>>6]>>(s&63))&1ULL) cur++; else break; }
    o[0]=c_rec;o[1]=c_att;o[2]=c_abs;o[3]=c_late;o[4]=c_exc;o[5]=longest;o[6]=cur;o[7]=c_w;o[8]=c_t0;o[9]=c_t1;}
}
double membw(const uint64_t*p,long n){
  uint64_t s=0;
  #pragma omp parallel for reduction(^:s) schedule(static)
  for(long i=0;i<n;i++) s^=p[i];
  return (double)s;}
"""


def compile_c(tmp: Path):
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        return None
    src, lib = tmp / "attn.c", tmp / "attn.so"
    src.write_text(C_SOURCE)
    done = subprocess.run(
        [cc, "-O3", "-march=native", "-fopenmp", "-shared", "-fPIC", str(src), "-o", str(lib)],
        capture_output=True,
        check=False,
    )
    if done.returncode:
        return None
    so = ctypes.CDLL(str(lib))
    ptr = ctypes.c_void_p
    so.attn.argtypes = [
        ptr,
        ptr,
        ptr,
        ptr,
        ctypes.c_long,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ptr,
    ]
    so.membw.argtypes = [ptr, ctypes.c_long]
    so.membw.restype = ctypes.c_double
    return so


def c_features(so, planes: np.ndarray, hi: int, repeats: int) -> tuple[float, np.ndarray]:
    n, words = planes.shape[1], planes.shape[2]
    out = np.zeros((n, 10), dtype=np.int32)
    args = [np.ascontiguousarray(planes[k]) for k in range(4)]
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        so.attn(
            *(a.ctypes.data for a in args),
            n,
            words,
            hi,
            hi - WINDOW,
            TERMS[0][0],
            TERMS[1][0],
            TERMS[1][1],
            out.ctypes.data,
        )
        best = min(best, time.perf_counter() - t0)
    return best, out


def bandwidth(so, repeats: int = 5) -> float | None:
    if so is None:
        return None
    buf = np.ones(1 << 27, dtype=np.uint64)  # 1 GiB
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        so.membw(buf.ctypes.data, buf.size)
        best = min(best, time.perf_counter() - t0)
    return buf.nbytes / best / 1e9


# ---------------------------------------------------------------------------------------------
# One school rescored after a roll call


def school_rescore(repeats: int) -> dict:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=True, LANGUAGE_CODE="en")
        django.setup()
    import datetime as dt

    from ponleu.early_warning.engine import backtest, features, history, model, records, scoring, synthetic

    with tempfile.TemporaryDirectory() as tmp:
        synthetic.generate_history(tmp, students=3000, cohorts=3, seed=7)
        data = history.read_history(tmp)
    cohorts = backtest.CohortData(data)
    train = backtest.join([cohorts.slice(c, 84, False) for c in (0, 1)])
    trained = model.train_model(train.frame, train.y, groups=train.groups)
    school, _rows = records.from_history(data, 2)
    cutoff = np.datetime64(data.cohorts[2].start + dt.timedelta(days=84), "D")
    today = int(np.searchsorted(school.slot_dates, cutoff, side="right")) - 1
    rng = np.random.default_rng(3)
    times = []
    for _ in range(repeats):
        klass = rng.choice(len(school), 45, replace=False)
        roll_call = np.where(rng.random(45) < 0.1, bitmaps.ABSENT, bitmaps.PRESENT)
        t0 = time.perf_counter()
        planes = school.planes.with_codes(klass, np.full(45, today), roll_call)
        school.planes = planes
        frame = features.compute_features(school, cutoff)
        scores = scoring.score(frame, model=trained)
        times.append(time.perf_counter() - t0)
    assert len(scores.factors) == len(school)
    assert scores.rules.flagged.shape == scores.risk.shape
    return {
        "students": len(school),
        "best_ms": 1000 * min(times),
        "median_ms": 1000 * float(np.median(times)),
        "model": trained.family,
    }


# ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--pandas-students", type=int, default=64_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--hi", type=int, default=DAYS, help="cut-off slot: features see days [0, hi)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker")
    parser.add_argument("--subset", type=int, default=0)
    parser.add_argument("--result")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.hi, args.threads, args.repeats, args.subset, args.result)
        return

    load_start = os.getloadavg()
    n = max(1000, round(NATIONAL_STUDENTS * args.scale))
    subset = min(n, args.pandas_students)
    print(
        f"national year: {n:,} students x {DAYS} school days (scale {args.scale}), load average {load_start[0]:.2f}"
    )
    t0 = time.perf_counter()
    planes, subset_codes = build_year(n, args.seed, subset)
    print(
        f"  built bitmaps in {time.perf_counter() - t0:.1f} s: {planes.nbytes / 1e6:.0f} MB "
        f"({planes.nbytes / n:.0f} bytes per student-year, four planes)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        figures, ours = run_worker(planes, args.hi, args.threads, args.repeats, subset, tmp)
        by = ", ".join(f"{t} thread(s) {v:.3f} s" for t, v in figures["by_threads"].items())
        print(
            f"ponleu (numpy on bitmaps; {by}): best {figures['best_s']:.3f} s, "
            f"median {figures['median_s']:.3f} s, peak {figures['peak_mb']:.0f} MB (process, bitmaps included)"
        )
        df = long_table(subset_codes)
        pandas_times = []
        for _ in range(args.repeats):  # best of several, as for Ponleu's pass
            t0 = time.perf_counter()
            theirs = pandas_features(df, subset, args.hi)
            pandas_times.append(time.perf_counter() - t0)
        pandas_subset_s = min(pandas_times)
        pandas_s = pandas_subset_s * n / subset
        identical = all(
            np.array_equal(
                np.asarray(ours[k], dtype=float), np.asarray(theirs[k], dtype=float), equal_nan=True
            )
            for k in theirs
        )
        print(
            f"pandas long table ({len(df):,} rows for {subset:,} students): best {pandas_subset_s:.2f} s, "
            f"scaled to {n:,} students: {pandas_s:.1f} s; identical features: {identical}"
        )
        ratio = pandas_s / figures["best_s"]
        print(f"ratio pandas / ponleu: {ratio:.0f}x")

        so = compile_c(tmp)
        c_s = c_ok = gbs = None
        if so is not None:
            c_s, c_out = c_features(so, planes, args.hi, args.repeats)
            c_ok = all(np.array_equal(c_out[:subset, j], np.asarray(ours[k])) for j, k in enumerate(FEATURES))
            gbs = bandwidth(so)
            print(
                f"attn_c (C on the same bitmaps, OpenMP): {c_s * 1000:.1f} ms, identical: {c_ok}; "
                f"python / C: {figures['best_s'] / c_s:.1f}x"
            )
            floor_ms = planes.nbytes / (gbs * 1e9) * 1000
            print(
                f"membw: {gbs:.1f} GB/s read; one pass over the bitmaps needs at least {floor_ms:.1f} ms "
                f"(ponleu is {figures['best_s'] * 1000 / floor_ms:.0f}x the floor)"
            )
        else:
            print("attn_c and membw: no C compiler found, skipped")
    del planes

    school = school_rescore(max(3, args.repeats))
    print(
        f"one school of {school['students']:,} students after a 45-pupil roll call (features, rule index, "
        f"{school['model']} model, top factors): best {school['best_ms']:.0f} ms, median {school['median_ms']:.0f} ms"
    )
    load_end = os.getloadavg()
    print(f"load average at the end: {load_end[0]:.2f}")
    line = {
        "students": n,
        "days": DAYS,
        "scale": args.scale,
        "threads": figures["threads"],
        "ponleu_features_by_threads_s": {k: round(v, 4) for k, v in figures["by_threads"].items()},
        "ponleu_features_s": round(figures["best_s"], 4),
        "ponleu_features_median_s": round(figures["median_s"], 4),
        "ponleu_peak_mb": round(figures["peak_mb"], 1),
        "bitmap_mb": round(n * 4 * bitmaps.words_for(DAYS) * 8 / 1e6, 1),
        "pandas_subset_students": subset,
        "pandas_subset_s": round(pandas_subset_s, 3),
        "pandas_s": round(pandas_s, 2),
        "ratio": round(ratio, 1),
        "identical": identical,
        "attn_c_s": None if c_s is None else round(c_s, 4),
        "attn_c_identical": c_ok,
        "python_vs_c": None if c_s is None else round(figures["best_s"] / c_s, 1),
        "membw_gbs": None if gbs is None else round(gbs, 1),
        "school_students": school["students"],
        "school_rescore_ms": round(school["best_ms"], 1),
        "school_rescore_median_ms": round(school["median_ms"], 1),
        "loadavg_start": round(load_start[0], 2),
        "loadavg_end": round(load_end[0], 2),
    }
    # Feature time scaled to the national population when run at a fraction of it.
    line["targets_met"] = bool(
        figures["best_s"] / min(args.scale, 1.0) <= 5
        and figures["peak_mb"] <= 2048
        and ratio >= 50
        and school["best_ms"] <= 300
    )
    print(json.dumps(line))


if __name__ == "__main__":
    main()
