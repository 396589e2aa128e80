"""Benchmark runner: `python -m benchmarks [--smoke] [--only NAME ...]`.

Prints a table of medians, min–max and ratios, writes the same figures to
benchmarks/RESULTS.md (full runs only), and exits 1 when a budget is missed (full runs only;
the smoke mode CI runs checks that every benchmark still works, not the budgets).
Things that are compared are measured in one run, interleaved; start-up ratios are judged as
the median of back-to-back pairs' ratios (see benchmarks/cases.py: startup), which cancels drift.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

from benchmarks import cases
from benchmarks.common import Result, render_markdown, render_table

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks")
    p.add_argument("--smoke", action="store_true", help="tiny sizes, no budgets (for CI)")
    p.add_argument("--only", nargs="*", help="run only these benchmarks (names as in the table)")
    p.add_argument("--reps", type=int, default=None, help="repetitions for timed cases (default 5, smoke 1)")
    args = p.parse_args(argv)
    reps = args.reps or (1 if args.smoke else 5)
    results: list[Result] = []
    started = time.time()
    for name, fn in cases.ALL:
        if args.only and name not in args.only:
            continue
        t0 = time.perf_counter()
        try:
            results.extend(fn(smoke=args.smoke, reps=reps))
        except Exception as e:  # a benchmark that cannot run is a failure, reported, not a crash
            results.append(Result(name, "error", note=f"{type(e).__name__}: {e}"[:200], budget_ok=False))
        print(f"  … {name} done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    print(render_table(results))
    failed = [r for r in results if r.budget_ok is False]
    if not args.smoke and not args.only:
        header = (f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
                  f"run {time.strftime('%Y-%m-%d %H:%M', time.localtime(started))}, {reps} repetitions.\n")
        (HERE / "RESULTS.md").write_text(render_markdown(results, header), encoding="utf-8")
    if args.smoke:
        errors = [r for r in results if r.value == "error"]
        return 1 if errors else 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
