"""Shared vocabulary of the engine: algorithms, mistakes, exercise variants.

Everything here is pure Python + numpy. No textual, no torch, no file access.

An *algorithm* turns validated inputs into a dict of named outputs (the trace: every
intermediate value named after the math).  A *mistake* is a function with the same
signature that computes what a learner with one specific misconception would get.

An *exercise generator* draws a variant from a seeded ``numpy.random.Generator``,
rounds the numbers once, and returns a :class:`Variant` whose fields are graded
against :meth:`Generator.expected` (which may take the learner's own earlier answers,
for error carried forward) and diagnosed against :meth:`Generator.mistakes`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Collection, Mapping, Sequence

import numpy as np

from engine.errors import Degenerate, InputError, TooMuchWork  # noqa: F401 - re-exported
from engine.limits import (  # noqa: F401 - re-exported
    DEFAULT_SECONDS,
    MAX_VALUES,
    Flag,
    Int,
    Ints,
    Limit,
    Names,
    Num,
    OneOf,
    Values,
    _default_budget,
    _raise_limits,
    _short,
    budget,
    check_limits,
    count_values,
    tick,
)

Text = Mapping[str, str]  # {"ko": ..., "en": ...}


# --------------------------------------------------------------------------- inputs


def as_array(inputs: Mapping[str, Any], key: str, *, ndim: int | tuple[int, ...] | None = None,
             shape: tuple[int | None, ...] | None = None, default: Any = None,
             finite: bool = True) -> np.ndarray:
    """Read ``inputs[key]`` as a float array, raising :class:`InputError` naming the key."""
    tick()
    if key not in inputs or inputs[key] is None:
        if default is not None:
            return np.asarray(default, dtype=float)
        raise InputError(key, "missing")
    raw = inputs[key]
    if isinstance(raw, (str, bytes, dict)):
        raise InputError(key, "expected a number or a (nested) list of numbers")
    try:
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InputError(key, "expected a number or a rectangular (nested) list of numbers") from None
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise InputError(key, f"expected {want}, got {arr.ndim}-D")
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            want = "×".join("?" if s is None else str(s) for s in shape)
            raise InputError(key, f"expected shape {want}, got {'×'.join(map(str, arr.shape)) or 'scalar'}")
    if arr.size == 0:
        raise InputError(key, "empty")
    if finite and not np.all(np.isfinite(arr)):
        raise InputError(key, "must be finite numbers")
    return arr


def as_float(inputs: Mapping[str, Any], key: str, *, default: float | None = None,
             lo: float | None = None, hi: float | None = None,
             open_lo: bool = False, open_hi: bool = False) -> float:
    tick()
    if key not in inputs or inputs[key] is None:
        if default is not None:
            return float(default)
        raise InputError(key, "missing")
    raw = inputs[key]
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise InputError(key, "expected a number")
    v = float(raw)
    if not math.isfinite(v):
        raise InputError(key, "must be finite")
    if lo is not None and (v < lo or (open_lo and v == lo)):
        raise InputError(key, f"must be {'>' if open_lo else '≥'} {lo:g}")
    if hi is not None and (v > hi or (open_hi and v == hi)):
        raise InputError(key, f"must be {'<' if open_hi else '≤'} {hi:g}")
    return v


def as_int(inputs: Mapping[str, Any], key: str, *, default: int | None = None,
           lo: int | None = None, hi: int | None = None) -> int:
    tick()
    if key not in inputs or inputs[key] is None:
        if default is not None:
            return int(default)
        raise InputError(key, "missing")
    raw = inputs[key]
    if isinstance(raw, bool) or not isinstance(raw, int):
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        else:
            raise InputError(key, "expected an integer")
    if lo is not None and raw < lo:
        raise InputError(key, f"must be ≥ {lo}")
    if hi is not None and raw > hi:
        raise InputError(key, f"must be ≤ {hi}")
    return int(raw)


def as_choice(inputs: Mapping[str, Any], key: str, choices: tuple[str, ...], *, default: str | None = None) -> str:
    raw = inputs.get(key, default)
    if raw is None:
        raise InputError(key, "missing")
    if raw not in choices:
        raise InputError(key, f"must be one of {', '.join(choices)}")
    return raw


def jsonable(value: Any) -> Any:
    """Convert numpy values (recursively) to plain JSON-able Python."""
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, (np.floating, float)):
        v = float(value)
        if math.isnan(v):
            return None
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


# --------------------------------------------------------------------------- algorithms


@dataclass(frozen=True)
class Mistake:
    """A named misconception: same inputs as the algorithm, the wrong outputs."""

    id: str
    explain: Text
    fn: Callable[[dict], dict] | None = None


@dataclass(frozen=True)
class Algorithm:
    name: str                                  # CLI name, e.g. "em-coins"
    title: Text
    run: Callable[[Mapping[str, Any]], dict]   # raw JSON-like inputs -> outputs (raises InputError)
    inputs: Mapping[str, str]                  # key -> description (English)
    example: Mapping[str, Any]
    mistakes: tuple[Mistake, ...] = ()
    summary: tuple[str, ...] = ()              # output keys shown first in the human table
    ranges: Mapping[str, str] | None = None    # input key -> allowed values, in math notation (the lab shows them)
    edge: Mapping[str, Any] | None = None      # an edge case for the lab: a tie, saturation, a divergence …
    limits: Mapping[str, Limit] = field(default_factory=dict)   # checked before every run
    max_values: int = MAX_VALUES               # numbers in all inputs together
    inputs_ko: Mapping[str, str] | None = None  # key -> description in Korean (the same keys as inputs)

    def __post_init__(self) -> None:
        # every call, from content, a lab or the CLI, is checked against the declared limits
        # first and runs under a deadline (the caller's, or DEFAULT_SECONDS)
        raw = self.run

        def run(inputs: Mapping[str, Any], *args: Any, **kw: Any) -> dict:
            _raise_limits(self.limits, inputs, self.max_values)
            with _default_budget():
                tick()
                out = raw(inputs, *args, **kw)
                tick()
                return out

        run.__doc__ = raw.__doc__
        object.__setattr__(self, "run", run)

    def check(self, inputs: Any) -> list[tuple[str, str]]:
        """``(key, message)`` for every input outside this algorithm's limits (nothing runs)."""
        return check_limits(self.limits, inputs, self.max_values)

    def mistake(self, mistake_id: str) -> Mistake:
        for m in self.mistakes:
            if m.id == mistake_id:
                return m
        raise KeyError(mistake_id)


# --------------------------------------------------------------------------- exercises


@dataclass(frozen=True)
class Tolerance:
    rtol: float = 0.0
    atol: float = 0.0
    sig: int | None = None       # significant figures that must match
    decimals: int | None = None  # decimal places that must match

    def ok(self, got: float, want: float) -> bool:
        if not (math.isfinite(got) and math.isfinite(want)):
            return got == want
        if self.sig is not None:
            return _round_sig(got, self.sig) == _round_sig(want, self.sig) or \
                abs(got - want) <= 0.5 * 10 ** (_magnitude(want) - self.sig + 1)
        if self.decimals is not None:
            return abs(got - want) <= 0.5 * 10 ** (-self.decimals) + 1e-12
        return abs(got - want) <= self.atol + self.rtol * abs(want)

    def resolution(self, want: float) -> float:
        """Smallest difference this tolerance can tell apart near ``want``."""
        if self.sig is not None:
            return 10 ** (_magnitude(want) - self.sig + 1)
        if self.decimals is not None:
            return 10 ** (-self.decimals)
        return self.atol + self.rtol * abs(want)

    @classmethod
    def parse(cls, spec: Mapping[str, Any] | None, default: Tolerance) -> Tolerance:
        if not spec:
            return default
        return cls(rtol=float(spec.get("rtol", 0.0)), atol=float(spec.get("atol", 0.0)),
                   sig=spec.get("sig"), decimals=spec.get("decimals"))


def _magnitude(x: float) -> int:
    return 0 if x == 0 else int(math.floor(math.log10(abs(x))))


def _round_sig(x: float, sig: int) -> float:
    if x == 0:
        return 0.0
    return round(x, sig - 1 - _magnitude(x))


@dataclass
class Field:
    """One answer blank: graded as a number within ``tol``."""

    name: str                  # stable key, e.g. "resp_a[2]"
    label: Text                # shown next to the blank
    part: str = "main"         # multi-part exercises: earlier parts feed later ones
    tol: Tolerance = field(default_factory=lambda: Tolerance(atol=0.005))


@dataclass
class Table:
    """A grid layout of fields and given values (LSTM gate table, attention weights ...).

    ``cells[r][c]`` is either a field name (a blank) or a number/string shown as given.
    """

    title: Text
    rows: list[Any]            # a row's or a column's header is a string or a {"en", "ko"} mapping
    cols: list[Any]
    cells: list[list[Any]]


@dataclass
class Variant:
    generator: str
    seed: int
    params: dict
    data: dict                 # rounded inputs shown to the learner and used for grading
    prompt: Text               # the question text, with the numbers
    fields: list[Field]
    tables: list[Table] = field(default_factory=list)
    hints: list[Text] = field(default_factory=list)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass
class Step:
    """One line of a worked solution; ``fields`` are the answer blanks it settles."""

    text: Text
    fields: tuple[str, ...] = ()


class Generator:
    """Base class for engine exercise generators (one subclass per generator name)."""

    name: str = ""
    title: Text = {"en": "", "ko": ""}
    defaults: Mapping[str, Any] = {}
    mistakes_catalog: tuple[Mistake, ...] = ()
    max_tries = 200
    limits: Mapping[str, Limit] = {}   # every parameter's allowed values, checked before drawing

    def check(self, params: Any) -> list[tuple[str, str]]:
        """``(key, message)`` for every parameter outside its declared limit (nothing is drawn)."""
        return check_limits(self.limits, params, MAX_VALUES)

    def variant(self, seed: int, params: Mapping[str, Any] | None = None) -> Variant:
        """Draw the variant for ``seed``; degenerate draws are rejected deterministically.

        Besides the generator's own checks, a variant is rejected when one of its mistakes
        would not be diagnosed as itself (it coincides with the right answer, is not finite,
        or is indistinguishable from another mistake on the fields it gets wrong).
        """
        p = {**self.defaults, **(params or {})}
        _raise_limits(self.limits, p, MAX_VALUES)
        rng = np.random.default_rng(seed)
        with _default_budget():
            for _ in range(self.max_tries):
                tick()
                try:
                    v = self.make(rng, p)
                    self.check_diagnosable(v)
                except Degenerate:
                    continue
                v.seed = seed
                return v
        raise RuntimeError(f"{self.name}: no usable variant in {self.max_tries} draws (seed {seed})")

    def check_diagnosable(self, v: Variant) -> None:
        right = self.expected(v)
        for mid, vals in self.mistakes(v).items():
            tick()
            if not all(math.isfinite(x) for x in vals.values()):
                raise Degenerate(f"{mid}: not finite")
            answers = {**right, **vals}
            want = self.expected(v, answers)   # error carried forward, as when grading
            wrong = [f for f in v.fields if not accepted(f, answers[f.name], want[f.name], right[f.name])]
            if not wrong:
                raise Degenerate(f"{mid}: gives the right answer")
            cands = self.mistakes(v, answers)
            # told apart on the fields it gets wrong alone, and named by the full diagnosis
            if _best_on_wrong(wrong, answers, cands) != mid or \
                    diagnose(v.fields, answers, cands, [f.name for f in wrong]) != mid:
                raise Degenerate(f"{mid}: not distinguishable from another mistake")

    # subclasses implement these ---------------------------------------------------
    def make(self, rng: np.random.Generator, params: Mapping[str, Any]) -> Variant:
        raise NotImplementedError

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        """Right value of every field; later parts may be computed from ``answers``."""
        raise NotImplementedError

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        """Mistake id -> the field values a learner with that misconception would give."""
        return {}

    def solution(self, v: Variant) -> list[Step]:
        raise NotImplementedError

    def mistake(self, mistake_id: str) -> Mistake:
        for m in self.mistakes_catalog:
            if m.id == mistake_id:
                return m
        raise KeyError(mistake_id)


class ChainGenerator(Generator):
    """A generator whose fields are one chain of computation, ``_chain(v, answers, mistake)``:
    right answers (with error carried forward from ``answers``) and every mistake's answers
    come from the same code path, so they can never drift apart.

    The mistakes offered for a variant are :meth:`mistake_ids` (by default the whole catalog);
    a subclass narrows them to those that make a difference for ``v``."""

    def _chain(self, v: Variant, answers: Mapping[str, float] | None = None,
               mistake: str | None = None) -> dict[str, float]:
        raise NotImplementedError

    def mistake_ids(self, v: Variant) -> Sequence[str]:
        """The mistakes that apply to ``v``, in the order they are diagnosed."""
        return [m.id for m in self.mistakes_catalog]

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        return self._chain(v, answers)

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        return {mid: self._chain(v, answers, mid) for mid in self.mistake_ids(v)}


def accepted(f: Field, got: float, want: float, plain: float | None = None) -> bool:
    """Is ``got`` right for ``f``?  ``want`` is the value carried forward from the learner's own
    earlier answers, ``plain`` the true value: either is accepted (a learner who slipped earlier
    but typed the true later value is right there too)."""
    return f.tol.ok(got, want) or (plain is not None and f.tol.ok(got, plain))


def contradictions(fields: Sequence[Field], answers: Mapping[str, float], prediction: Mapping[str, float],
                   wrong: Collection[str]) -> list[str]:
    """The fields the learner got right where ``prediction`` (a mistake's values) says otherwise.

    A field graded right — also one graded right from carried-forward values — rules a mistake
    out when the mistake predicts a value there that the learner's value does not match within
    the field's tolerance: a learner with that misconception would not have typed it."""
    return [f.name for f in fields
            if f.name not in wrong and f.name in prediction and f.name in answers
            and not f.tol.ok(answers[f.name], prediction[f.name])]


def _best_on_wrong(wrong: Sequence[Field], answers: Mapping[str, float],
                   candidates: Mapping[str, Mapping[str, float]]) -> str | None:
    """The mistake that explains the most wrong fields, net of the wrong fields it predicts otherwise."""
    best, best_key = None, (0, 0)
    for mid, vals in candidates.items():
        explained = mismatched = 0
        for f in wrong:
            if f.name in vals:
                if f.tol.ok(answers[f.name], vals[f.name]):
                    explained += 1
                else:
                    mismatched += 1
        key = (explained - mismatched, explained)
        if explained and key > best_key:
            best, best_key = mid, key
    return best


def diagnose(fields: Sequence[Field], answers: Mapping[str, float],
             candidates: Mapping[str, Mapping[str, float]], wrong: Collection[str]) -> str | None:
    """The misconception behind an answer, scored on ALL its fields, or None.

    ``wrong`` names the fields graded wrong. A mistake whose prediction differs from a field
    the learner got right is contradicted and never named (see :func:`contradictions`); among
    the others, the one that explains the most wrong fields (net of the wrong fields it predicts
    otherwise) is named. When no mistake explains a wrong field without contradiction: None.
    """
    wrong = set(wrong)
    allowed = {mid: vals for mid, vals in candidates.items()
               if not contradictions(fields, answers, vals, wrong)}
    return _best_on_wrong([f for f in fields if f.name in wrong], answers, allowed)


def paren(x: float, digits: int = 4) -> str:
    """A number in a worked line; negatives in parentheses, so that 2·(-1.5) reads right."""
    s = fmt(x, digits)
    return f"({s})" if s.startswith("-") else s


def fmt(x: float, digits: int = 4) -> str:
    """Format a number for display: fixed digits, trailing zeros trimmed, -0 avoided.

    The value is rounded once, half up, from its 12 significant digits, so that one number
    always shows the same digits: 0.5¹⁰ = 0.0009765625 is 0.000976563 whether it was computed
    as 0.5³·0.5⁷ or as 0.5⁵·0.5⁵ (float noise on either side of the tie does not decide)."""
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    x = float(f"{x:.12g}")
    if x != 0 and (abs(x) >= 1e6 or abs(x) < 1e-4):
        return f"{x:.{digits - 1}e}"
    if x != 0 and abs(x) < 0.1:  # small values keep `digits` significant figures
        s = _half_up(x, digits - 1 - int(math.floor(math.log10(abs(x)))))
    else:
        s = _half_up(x, digits)
    s = s.rstrip("0").rstrip(".") if "." in s else s
    return "0" if s in ("-0", "") else s


def _half_up(x: float, decimals: int) -> str:
    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format(q, "f")
