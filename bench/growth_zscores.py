"""WHO growth z-scores and classification for a million measurements.

    .venv/bin/python bench/growth_zscores.py [--rows 1000000] [--sample 20000] [--repeat 3]

Generates synthetic measurements (children 0-19 years, most under five as in a nutrition
programme; lying, standing or unknown position; MUAC; a little oedema; some values missing), then
reports, in one run:

- ``assess_many``: every z-score (wfa, lhfa, wflh, bmifa, muacfa), the implausible flags and every
  finding (stunting ... SAM, MAM) for all rows, best wall time of ``--repeat`` runs;
- the reference: ``assess``, one measurement at a time in a Python loop, on the first ``--sample``
  rows (Measurement objects built beforehand), scaled up linearly to all rows; its results are
  checked identical to ``assess_many``'s on those rows.

Target (issue 16): at most 2 s for 1,000,000 measurements on 2 cores. The load average is
printed because neighbouring load slows both paths. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ponleu.nutrition.growth_standards import (  # noqa: E402
    FINDINGS,
    INDICATORS,
    Measurement,
    assess,
    assess_many,
    curve,
)

TARGET_SECONDS = 2.0


def _median(indicator: str, sex: str, age: np.ndarray) -> np.ndarray:
    xs, ys = np.array(curve(indicator, sex, 0.0)).T
    return np.interp(age, xs, ys)


def synthetic(n: int, seed: int) -> dict[str, np.ndarray]:
    """Children around the WHO medians, somewhat short and thin as in a nutrition programme."""
    rng = np.random.default_rng(seed)
    under_five = rng.random(n) < 0.85
    age = np.where(under_five, rng.integers(0, 1857, n), rng.integers(1857, 6971, n))
    sex = rng.choice(np.array(["M", "F"]), n)
    length = np.empty(n)
    bmi = np.empty(n)
    for code in ("M", "F"):
        rows = sex == code
        length[rows] = _median("lhfa", code, age[rows])
        bmi[rows] = _median("bmifa", code, age[rows])
    length *= rng.normal(0.97, 0.045, n)
    weight = bmi * (length / 100) ** 2 * rng.lognormal(-0.04, 0.09, n)
    return {
        "sex": sex,
        "age_days": age,
        "weight_kg": np.where(rng.random(n) < 0.02, np.nan, np.round(weight, 1)),
        "length_cm": np.where(rng.random(n) < 0.02, np.nan, np.round(length, 1)),
        "measured_lying": rng.choice(np.array([1.0, 0.0, np.nan]), n, p=[0.3, 0.3, 0.4]),
        "muac_mm": np.where(rng.random(n) < 0.2, np.nan, np.round(rng.normal(145, 12, n))),
        "oedema": rng.random(n) < 0.002,
    }


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def measurements(data: dict[str, np.ndarray], count: int) -> list[Measurement]:
    return [
        Measurement(
            sex=str(data["sex"][i]),
            age_days=int(data["age_days"][i]),
            weight_kg=_optional(data["weight_kg"][i]),
            length_cm=_optional(data["length_cm"][i]),
            measured_lying=None if math.isnan(data["measured_lying"][i]) else bool(data["measured_lying"][i]),
            muac_mm=_optional(data["muac_mm"][i]),
            oedema=bool(data["oedema"][i]),
        )
        for i in range(count)
    ]


def check_same(result: dict[str, np.ndarray], assessments: list) -> None:
    for i, one in enumerate(assessments):
        for indicator in INDICATORS:
            value = getattr(one, indicator)
            ours = result[indicator][i]
            same = math.isnan(ours) if value is None else math.isclose(value, ours, abs_tol=1e-9)
            if not same or (indicator in one.implausible) != result[f"implausible_{indicator}"][i]:
                raise SystemExit(f"row {i}: {indicator} differs between assess and assess_many")
        if one.findings != {name for name in FINDINGS if result[name][i]}:
            raise SystemExit(f"row {i}: findings differ between assess and assess_many")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()

    data = synthetic(args.rows, args.seed)
    assess_many(**{key: values[:10] for key, values in data.items()})  # tables loaded outside the timing
    load_start = os.getloadavg()[0]

    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = assess_many(**data)
        times.append(time.perf_counter() - started)
    vectorised = min(times)

    sample = min(args.sample, args.rows)
    rows = measurements(data, sample)
    started = time.perf_counter()
    assessments = [assess(m) for m in rows]
    loop_sample = time.perf_counter() - started
    loop_scaled = loop_sample * args.rows / sample
    check_same(result, assessments)
    load_end = os.getloadavg()[0]

    scored = {indicator: int((~np.isnan(result[indicator])).sum()) for indicator in INDICATORS}
    found = {name: int(result[name].sum()) for name in FINDINGS}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"measurements                 {args.rows:>12,}   cores {cores}   load {load_start:.2f} -> {load_end:.2f}"
    )
    print(f"scored per indicator         {scored}")
    print(f"findings                     {found}")
    print(
        f"assess_many (vectorised)     {vectorised:>10.3f} s   {args.rows / vectorised / 1e6:.1f} M rows/s"
        f"   (runs: {', '.join(f'{t:.3f}' for t in times)})"
    )
    print(
        f"assess loop (per row)        {loop_scaled:>10.1f} s   scaled from {sample:,} rows in {loop_sample:.2f} s"
        f" ({loop_sample / sample * 1e6:.1f} us/row)"
    )
    print(f"ratio loop / vectorised      {loop_scaled / vectorised:>10.0f} x")
    verdict = "within" if vectorised <= TARGET_SECONDS * args.rows / 1_000_000 else "OVER"
    print(
        f"target                       <= {TARGET_SECONDS} s per million: {verdict}; same results on the sample"
    )
    print(
        json.dumps(
            {
                "rows": args.rows,
                "assess_many_s": round(vectorised, 4),
                "assess_loop_scaled_s": round(loop_scaled, 2),
                "loop_sample_rows": sample,
                "ratio": round(loop_scaled / vectorised, 1),
                "target_s": TARGET_SECONDS,
                "cores": cores,
                "loadavg_start": round(load_start, 2),
                "loadavg_end": round(load_end, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
