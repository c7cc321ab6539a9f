"""Request counters and latency histograms of this process, in Prometheus's text format.

Routes are URL patterns (``people/<uuid:person_id>/``), never paths, so no id and no search
term reaches the metrics. Each app server counts its own requests; Prometheus adds them up.
"""

from __future__ import annotations

import threading
from collections import defaultdict

BUCKETS = (0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0)

_lock = threading.Lock()
_requests: dict[tuple[str, str, str], int] = defaultdict(int)
_latency: dict[str, list[float]] = {}
_latency_sum: dict[str, float] = defaultdict(float)
_latency_count: dict[str, int] = defaultdict(int)


def observe(route: str, method: str, status: int, seconds: float) -> None:
    with _lock:
        _requests[(route, method, str(status))] += 1
        counts = _latency.setdefault(route, [0] * len(BUCKETS))
        for index, bound in enumerate(BUCKETS):
            if seconds <= bound:
                counts[index] += 1
        _latency_sum[route] += seconds
        _latency_count[route] += 1


def reset() -> None:
    with _lock:
        _requests.clear()
        _latency.clear()
        _latency_sum.clear()
        _latency_count.clear()


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def exposition(gauges: list[tuple[str, str, dict[str, str], float]]) -> str:
    """The text format: this process's request metrics, then ``gauges`` (name, help, labels, value)."""
    lines = [
        "# HELP ponleu_http_requests_total Requests served, by route pattern, method and status.",
        "# TYPE ponleu_http_requests_total counter",
    ]
    with _lock:
        for (route, method, status), count in sorted(_requests.items()):
            lines.append(
                f'ponleu_http_requests_total{{route="{_label(route)}",method="{method}",status="{status}"}} {count}'
            )
        lines += [
            "# HELP ponleu_http_request_duration_seconds Time to answer, by route pattern.",
            "# TYPE ponleu_http_request_duration_seconds histogram",
        ]
        for route in sorted(_latency):
            name = _label(route)
            for bound, count in zip(BUCKETS, _latency[route], strict=True):
                lines.append(
                    f'ponleu_http_request_duration_seconds_bucket{{route="{name}",le="{bound}"}} {count}'
                )
            lines.append(
                f'ponleu_http_request_duration_seconds_bucket{{route="{name}",le="+Inf"}} {_latency_count[route]}'
            )
            lines.append(
                f'ponleu_http_request_duration_seconds_sum{{route="{name}"}} {_latency_sum[route]:.6f}'
            )
            lines.append(
                f'ponleu_http_request_duration_seconds_count{{route="{name}"}} {_latency_count[route]}'
            )
    seen: set[str] = set()
    for name, help_text, labels, value in gauges:
        if name not in seen:
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
            seen.add(name)
        rendered = ",".join(f'{k}="{_label(v)}"' for k, v in sorted(labels.items()))
        lines.append(f"{name}{{{rendered}}} {value}" if rendered else f"{name} {value}")
    return "\n".join(lines) + "\n"
