"""Timing helpers and the result table."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Result:
    name: str
    value: str                 # the headline figure, formatted
    spread: str = ""           # min–max
    ratio: str = ""
    budget: str = ""
    budget_ok: bool | None = None
    note: str = ""


def timeit(fn: Callable[[], object], reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def ms(x: float) -> str:
    return f"{x * 1000:.2f} ms" if x < 1 else f"{x:.3f} s"


def summary(samples: list[float]) -> tuple[float, str]:
    med = statistics.median(samples)
    return med, f"{ms(min(samples))} – {ms(max(samples))}"


def percentile(samples: list[float], q: float) -> float:
    s = sorted(samples)
    k = min(len(s) - 1, max(0, int(round(q / 100 * (len(s) - 1)))))
    return s[k]


def _mark(r: Result) -> str:
    return "" if r.budget_ok is None else ("✓" if r.budget_ok else "✗ MISSED")


def render_table(results: list[Result]) -> str:
    cols = ["benchmark", "median / value", "min–max", "ratio", "budget", "", "note"]
    rows = [[r.name, r.value, r.spread, r.ratio, r.budget, _mark(r), r.note] for r in results]
    widths = [max(len(str(x)) for x in col) for col in zip(cols, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(cols), line(["-" * w for w in widths])] + [line(r) for r in rows])


def render_markdown(results: list[Result], header: str) -> str:
    out = ["# Benchmark results", "", header, "| benchmark | median / value | min–max | ratio | budget | ok | note |",
           "|---|---|---|---|---|---|---|"]
    for r in results:
        out.append(f"| {r.name} | {r.value} | {r.spread} | {r.ratio} | {r.budget} | {_mark(r)} | {r.note} |")
    return "\n".join(out) + "\n"
