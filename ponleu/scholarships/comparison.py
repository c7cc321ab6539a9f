"""Children who got a scholarship against similar children who did not, with the uncertainty.

Pure arithmetic. Children are compared only inside strata (the same risk band, school and
year): within each stratum holding both groups, the difference in dropout rates; the overall
difference weights the strata by how many scholarship holders each holds (the holders' own
mix), with a normal-approximation 95 % interval from the strata's binomial variances. Each
group's rate carries a Wilson 95 % interval. This says how the groups differ, not why: the
committee chose who got a scholarship, so the groups may differ in ways no stratum captures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959964


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    if n == 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Group:
    n: int
    dropped: int

    @property
    def rate(self) -> float | None:
        return self.dropped / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.dropped, self.n)


@dataclass(frozen=True)
class Comparison:
    holders: Group  # in strata with both groups
    others: Group
    strata_compared: int
    strata_without_match: int
    difference: float | None  # holders' rate minus others', standardised to the holders' mix
    interval: tuple[float, float] | None


def compare(strata: dict) -> Comparison:
    """``strata``: key -> (holders n, holders dropped, others n, others dropped)."""
    weight_total = 0
    weighted = 0.0
    variance = 0.0
    held_n = held_d = other_n = other_d = 0
    compared = unmatched = 0
    for hn, hd, on, od in strata.values():
        if not hn or not on:
            unmatched += int(bool(hn))
            continue
        compared += 1
        held_n, held_d, other_n, other_d = held_n + hn, held_d + hd, other_n + on, other_d + od
        p1, p0 = hd / hn, od / on
        weighted += hn * (p1 - p0)
        variance += hn * hn * (p1 * (1 - p1) / hn + p0 * (1 - p0) / on)
        weight_total += hn
    if not weight_total:
        return Comparison(Group(0, 0), Group(0, 0), 0, unmatched, None, None)
    difference = weighted / weight_total
    half = Z95 * math.sqrt(variance) / weight_total
    return Comparison(
        Group(held_n, held_d),
        Group(other_n, other_d),
        compared,
        unmatched,
        difference,
        (difference - half, difference + half),
    )


def band_of(score: float, cuts: tuple[float, float]) -> int:
    """0, 1 or 2: the lower, middle or upper third of the year's flagged risk."""
    low, high = cuts
    return 0 if score < low else 1 if score < high else 2


def tertile_cuts(scores: list[float]) -> tuple[float, float]:
    ordered = sorted(scores)
    if not ordered:
        return (0.0, 0.0)
    return ordered[len(ordered) // 3], ordered[(2 * len(ordered)) // 3]
