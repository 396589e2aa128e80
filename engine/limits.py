"""Limits and the work budget of engine calls (split out of :mod:`engine.core`, which re-exports
every name: ``from engine.core import Limit, Int, budget, tick`` keeps working).
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Collection, Mapping

from engine.errors import InputError, TooMuchWork

# --------------------------------------------------------------------------- limits and budget
#
# Every generator declares the allowed range of each parameter (``Generator.limits``) and every
# algorithm the range of its count-like inputs (``Algorithm.limits``) plus a cap on how many
# numbers all its inputs hold together (``Algorithm.max_values``). They are checked before any
# work starts, so the size of every engine call is bounded by declaration. On top of that a
# deadline (:func:`budget`) is checked by the engine's own loops (every variant draw, every
# mistake check, every input read): a call that is still running when it passes is stopped with
# :class:`TooMuchWork`. Code between two checks is bounded by the limits above.

MAX_VALUES = 10_000          # numbers (and characters of strings) in all inputs of one call
DEFAULT_SECONDS = 2.0        # the deadline of one call when the caller set none


@dataclass(frozen=True)
class Limit:
    """The allowed values of one parameter or input."""

    kind: str                      # int | ints | num | choice | flag | names | values
    lo: float | None = None
    hi: float | None = None
    choices: tuple = ()

    def problem(self, v: Any) -> str | None:
        """Why ``v`` is not allowed (one line), or None."""
        if self.kind in ("int", "num"):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                return f"expected {'a whole number' if self.kind == 'int' else 'a number'}, got {type(v).__name__}"
            if isinstance(v, float) and not math.isfinite(v):
                return "must be finite"
            if self.kind == "int" and isinstance(v, float) and not v.is_integer():
                return "expected a whole number"
            if (self.lo is not None and v < self.lo) or (self.hi is not None and v > self.hi):
                return f"must be between {self.lo:g} and {self.hi:g}, got {_short(v)}"
            return None
        if self.kind == "ints":   # a whole number or a list of them (a pair: stride, padding)
            items = v if isinstance(v, (list, tuple)) and 0 < len(v) <= 4 else [v]
            for x in items:
                msg = Limit("int", self.lo, self.hi).problem(x)
                if msg:
                    return msg
            return None
        if self.kind == "choice":
            if isinstance(v, bool) or not isinstance(v, (str, int, float)) or str(v) not in self.choices:
                return f"must be one of {', '.join(self.choices)}"
            return None
        if self.kind == "flag":
            return None if isinstance(v, bool) else "expected true or false"
        if self.kind == "names":
            if not isinstance(v, (list, tuple)) or not v:
                return f"expected a list of names from {', '.join(self.choices)}"
            if self.hi is not None and len(v) > self.hi:
                return f"at most {self.hi:g} names"
            bad = [x for x in v if not isinstance(x, str) or x not in self.choices]
            return f"unknown name {_short(bad[0])}; use {', '.join(self.choices)}" if bad else None
        if self.kind == "values":
            n = count_values(v, int(self.hi or MAX_VALUES))
            return f"more than {int(self.hi or MAX_VALUES):,} values" if n > (self.hi or MAX_VALUES) else None
        raise ValueError(f"unknown limit kind {self.kind!r}")


def Int(lo: int, hi: int) -> Limit:  # noqa: N802 - reads as a type in a declaration
    return Limit("int", lo, hi)


def Ints(lo: int, hi: int) -> Limit:  # noqa: N802
    return Limit("ints", lo, hi)


def Num(lo: float, hi: float) -> Limit:  # noqa: N802
    return Limit("num", lo, hi)


def OneOf(*choices: str) -> Limit:  # noqa: N802
    return Limit("choice", choices=tuple(choices))


def Flag() -> Limit:  # noqa: N802
    return Limit("flag")


def Names(choices: Collection[str], most: int) -> Limit:  # noqa: N802
    return Limit("names", hi=most, choices=tuple(choices))


def Values(most: int) -> Limit:  # noqa: N802
    return Limit("values", hi=most)


def _short(v: Any) -> str:
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


def count_values(obj: Any, stop: int) -> int:
    """Numbers and string characters in a nested list/dict, counted until more than ``stop``
    (shared sub-lists, as YAML aliases make them, are counted every time they occur)."""
    n, todo, visits = 0, [obj], 0
    while todo and n <= stop:
        visits += 1
        if visits > 4 * stop + 16:   # a list inside itself (a recursive YAML alias) holds no numbers but never ends
            return stop + 1
        x = todo.pop()
        if isinstance(x, (list, tuple)):
            todo.extend(x)
        elif isinstance(x, Mapping):
            todo.extend(x.values())
        elif isinstance(x, (str, bytes)):
            n += max(1, len(x))
        else:
            n += 1
        if len(todo) > stop:
            return stop + 1
    return n


def check_limits(limits: Mapping[str, Limit], params: Any,
                 max_values: int | None = None) -> list[tuple[str, str]]:
    """``(key, message)`` for every parameter outside its declared limit (nothing runs)."""
    if not isinstance(params, Mapping):
        return []
    out = [(k, msg) for k, lim in limits.items() if k in params and params[k] is not None
           and (msg := lim.problem(params[k]))]
    if max_values is not None and not out and count_values(params, max_values) > max_values:
        out.append(("inputs", f"more than {max_values:,} values in all"))
    return out


def _raise_limits(limits: Mapping[str, Limit], params: Any, max_values: int | None) -> None:
    problems = check_limits(limits, params, max_values)
    if problems:
        raise InputError(*problems[0])


_budget = threading.local()


@contextmanager
def budget(seconds: float):
    """Run the block under a deadline of ``seconds`` of work (an outer, earlier deadline stays).

    The deadline is the calling thread's CPU time, not the wall clock: a loaded machine (a CI box,
    a laptop compiling something) must not stop a call that does little work, while a call that
    truly works too long still stops. The cheap wall clock is checked first; the thread's CPU time
    is read only once the wall-clock deadline has passed."""
    prev = getattr(_budget, "deadline", None)
    wall, cpu = time.monotonic() + seconds, time.thread_time() + seconds
    _budget.deadline = (wall, cpu) if prev is None else (min(prev[0], wall), min(prev[1], cpu))
    try:
        yield
    finally:
        _budget.deadline = prev


def tick() -> None:
    """Stop the current engine call with :class:`TooMuchWork` once its deadline has passed."""
    dl = getattr(_budget, "deadline", None)
    if dl is not None and time.monotonic() >= dl[0] and time.thread_time() >= dl[1]:
        raise TooMuchWork("time", "stopped: this computation takes too long (over its time limit)")


@contextmanager
def _default_budget():
    if getattr(_budget, "deadline", None) is None:
        with budget(DEFAULT_SECONDS):
            yield
    else:
        yield
