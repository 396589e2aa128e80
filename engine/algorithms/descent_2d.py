"""Gradient descent and the optimizers on a two-parameter loss surface f(x, y).

Surfaces (with their parameters a, b):

    quadratic   f(x, y) = a·x² + b·y²                 ∇f = (2a·x, 2b·y)            minimum (0, 0)
                (a ≠ b: an elongated bowl, the classic picture of zig-zagging descent)
    rosenbrock  f(x, y) = (a − x)² + b·(y − x²)²      ∇f = (−2(a − x) − 4b·x(y − x²), 2b(y − x²))
                                                                                   minimum (a, a²)

Every optimizer of :mod:`engine.algorithms.optimizers` works coordinate by coordinate, so its
update rule here is the same as there (PyTorch's conventions), applied to the vector (x, y):

    sgd       p_t = p_{t−1} − lr·g_t
    momentum  v_t = μ·v_{t−1} + g_t,  p_t = p_{t−1} − lr·v_t
    adagrad   G_t = G_{t−1} + g_t²,   p_t = p_{t−1} − lr·g_t / (√G_t + eps)
    rmsprop   s_t = ρ·s_{t−1} + (1 − ρ)·g_t²,  p_t = p_{t−1} − lr·g_t / (√s_t + eps)
    adam      m_t, v_t, bias-corrected m̂_t, v̂_t;  p_t = p_{t−1} − lr·m̂_t / (√v̂_t + eps)

``optimizer`` may name one optimizer or a list (then ``lr`` is one number for all, or one per
optimizer): each runs from the same start on the same surface, for comparing them side by side.
The trace has one row per optimizer and step t = 0 … steps: the point p_t, f(p_t) and ∇f(p_t).
A run stops early (``diverged``) when |x| or |y| exceeds 1e8 — a learning rate too large.

:func:`contour` evaluates f on a grid around the paths and returns the points where the grid
crosses a contour level: the picture draws them, it computes nothing.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.algorithms.optimizers import DEFAULT_EPS, OPTIMIZERS
from engine.core import Algorithm, InputError, Int, as_array, as_choice, as_float, as_int
from engine.registry import algorithm

SURFACES = ("quadratic", "rosenbrock")
DEFAULTS = {"quadratic": (1.0, 10.0), "rosenbrock": (1.0, 100.0)}
BLOWUP = 1e8
MAX_STEPS = 10_000
MAX_RUNS = 5


def loss(surface: str, a: float, b: float, x: Any, y: Any) -> Any:
    """f(x, y) — numbers or numpy arrays (the grid of :func:`contour`)."""
    if surface == "quadratic":
        return a * x * x + b * y * y
    return (a - x) ** 2 + b * (y - x * x) ** 2


def gradient(surface: str, a: float, b: float, x: float, y: float) -> tuple[float, float]:
    if surface == "quadratic":
        return 2.0 * a * x, 2.0 * b * y
    r = y - x * x
    return -2.0 * (a - x) - 4.0 * b * x * r, 2.0 * b * r


def minimum(surface: str, a: float, b: float) -> list[float]:
    return [0.0, 0.0] if surface == "quadratic" else [a, a * a]


def formula(surface: str, a: float, b: float) -> str:
    from engine.core import fmt

    if surface == "quadratic":
        return f"f(x, y) = {fmt(a)}·x² + {fmt(b)}·y²"
    return f"f(x, y) = ({fmt(a)} − x)² + {fmt(b)}·(y − x²)²"


def descend(kind: str, surface: str, a: float, b: float, start: list[float], lr: float, steps: int, *,
            momentum: float = 0.9, rho: float = 0.99, beta1: float = 0.9, beta2: float = 0.999,
            eps: float = 1e-8) -> dict:
    """One optimizer's run: trace rows for t = 0 … steps_run, and whether it diverged."""
    p = np.array(start, dtype=float)
    vel = np.zeros(2)
    acc = np.zeros(2)
    m = np.zeros(2)
    v = np.zeros(2)
    rows: list[dict] = []
    diverged, reason = False, ""

    def row(t: int) -> dict:
        with np.errstate(over="ignore", invalid="ignore"):
            gx, gy = gradient(surface, a, b, float(p[0]), float(p[1]))
            f = float(loss(surface, a, b, float(p[0]), float(p[1])))
        return {"optimizer": kind, "t": t, "x": float(p[0]), "y": float(p[1]), "f": f, "g_x": gx, "g_y": gy}

    rows.append(row(0))
    for t in range(1, steps + 1):
        g = np.array([rows[-1]["g_x"], rows[-1]["g_y"]])
        with np.errstate(over="ignore", invalid="ignore"):
            if kind == "sgd":
                step = lr * g
            elif kind == "momentum":
                vel = momentum * vel + g
                step = lr * vel
            elif kind == "adagrad":
                acc = acc + g * g
                step = lr * g / (np.sqrt(acc) + eps)
            elif kind == "rmsprop":
                acc = rho * acc + (1.0 - rho) * g * g
                step = lr * g / (np.sqrt(acc) + eps)
            else:  # adam
                m = beta1 * m + (1.0 - beta1) * g
                v = beta2 * v + (1.0 - beta2) * g * g
                m_hat, v_hat = m / (1.0 - beta1 ** t), v / (1.0 - beta2 ** t)
                step = lr * m_hat / (np.sqrt(v_hat) + eps)
            p = p - step
        rows.append(row(t))
        if not np.all(np.abs(p) <= BLOWUP):            # also catches inf / nan
            diverged, reason = True, f"|x| or |y| exceeded {BLOWUP:g} after {t} steps"
            break
    return {"rows": rows, "diverged": diverged, "reason": reason}


def _list(inputs: Mapping[str, Any], key: str) -> list:
    v = inputs.get(key)
    return list(v) if isinstance(v, (list, tuple)) else [v]


def parse(inputs: Mapping[str, Any]) -> dict:
    surface = as_choice(inputs, "surface", SURFACES, default="quadratic")
    da, db = DEFAULTS[surface]
    a = as_float(inputs, "a", default=da)
    b = as_float(inputs, "b", default=db)
    if surface == "quadratic" and not (a > 0 and b > 0):
        raise InputError("a" if not a > 0 else "b", "must be > 0 (a bowl with one minimum)")
    if surface == "rosenbrock" and not b > 0:
        raise InputError("b", "must be > 0")
    start = as_array(inputs, "start", ndim=1)
    if start.shape[0] != 2:
        raise InputError("start", "expected a point [x, y]")
    kinds = []
    for k in _list(inputs, "optimizer") if inputs.get("optimizer") is not None else ["sgd"]:
        k = k.strip().lower() if isinstance(k, str) else k
        kinds.append(as_choice({"optimizer": k}, "optimizer", OPTIMIZERS))
    if not 1 <= len(kinds) <= MAX_RUNS:
        raise InputError("optimizer", f"give 1 … {MAX_RUNS} optimizers")
    if len(set(kinds)) != len(kinds):
        raise InputError("optimizer", "each optimizer at most once")
    lrs = _list(inputs, "lr")
    if len(lrs) == 1:
        lrs = lrs * len(kinds)
    if len(lrs) != len(kinds):
        raise InputError("lr", f"one learning rate, or one per optimizer ({len(kinds)})")
    lrs = [as_float({"lr": x}, "lr", lo=0.0, open_lo=True) for x in lrs]
    steps = as_int(inputs, "steps", default=30, lo=1, hi=MAX_STEPS)
    hyper = {
        "momentum": as_float(inputs, "momentum", default=0.9, lo=0.0, hi=1.0, open_hi=True),
        "rho": as_float(inputs, "rho", default=0.99, lo=0.0, hi=1.0, open_hi=True),
        "beta1": as_float(inputs, "beta1", default=0.9, lo=0.0, hi=1.0, open_hi=True),
        "beta2": as_float(inputs, "beta2", default=0.999, lo=0.0, hi=1.0, open_hi=True),
    }
    eps = inputs.get("eps")
    return {"surface": surface, "a": a, "b": b, "start": [float(start[0]), float(start[1])], "kinds": kinds,
            "lrs": lrs, "steps": steps, "eps": None if eps is None else as_float(inputs, "eps", lo=0.0), **hyper}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, ())
    q = parse(inputs)
    trace: list[dict] = []
    finals, f_finals, steps_run, diverged, reasons = [], [], [], [], []
    for kind, lr in zip(q["kinds"], q["lrs"]):
        eps = q["eps"] if q["eps"] is not None else DEFAULT_EPS.get(kind, 1e-8)
        r = descend(kind, q["surface"], q["a"], q["b"], q["start"], lr, q["steps"], momentum=q["momentum"],
                    rho=q["rho"], beta1=q["beta1"], beta2=q["beta2"], eps=eps)
        trace += r["rows"]
        last = r["rows"][-1]
        finals.append([last["x"], last["y"]])
        f_finals.append(last["f"])
        steps_run.append(last["t"])
        diverged.append(r["diverged"])
        reasons.append(r["reason"])
    xm = minimum(q["surface"], q["a"], q["b"])
    return {"formula": formula(q["surface"], q["a"], q["b"]), "surface": q["surface"], "a": q["a"], "b": q["b"],
            # points as {x, y}: one table row each, never a column beside the per-optimizer lists
            "start": {"x": q["start"][0], "y": q["start"][1]}, "minimum": {"x": xm[0], "y": xm[1]}, "f_min": 0.0,
            "optimizers": q["kinds"], "lrs": q["lrs"], "f_final": f_finals, "steps_run": steps_run,
            "diverged": diverged, "reason": reasons, "final": finals, "trace": trace}


# ----------------------------------------------------------------------------- the contour


def contour(out: Mapping[str, Any], nx: int = 64, ny: int = 32, n_levels: int = 5) -> dict:
    """The loss on a grid around the start, the minimum and the paths (a diverging path is
    followed at most 3 box sizes beyond it), and the grid points where a contour level is crossed.

    Returns ``xlim``, ``ylim``, ``levels`` (f values, largest first) and the crossing points as
    ``x``, ``y`` and ``level`` (the index of the level each point lies on)."""
    surface, a, b = out["surface"], float(out["a"]), float(out["b"])
    pts = np.array([[p["x"], p["y"]] for p in (out["start"], out["minimum"])], dtype=float)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = np.maximum(hi - lo, 1.0)
    lo, hi = lo - 0.3 * span, hi + 0.3 * span
    cap_lo, cap_hi = lo - 3 * span, hi + 3 * span
    path = np.array([[r["x"], r["y"]] for r in out["trace"]], dtype=float)
    path = path[np.all(np.isfinite(path), axis=1)]
    if len(path):
        lo = np.maximum(np.minimum(lo, path.min(axis=0)), cap_lo)
        hi = np.minimum(np.maximum(hi, path.max(axis=0)), cap_hi)
    xs = np.linspace(lo[0], hi[0], nx)
    ys = np.linspace(lo[1], hi[1], ny)
    gx, gy = np.meshgrid(xs, ys)
    z = loss(surface, a, b, gx, gy)
    f_min = float(out.get("f_min", 0.0))
    top = float(np.max(z))
    levels = [f_min + (top - f_min) * 0.4 ** k for k in range(1, n_levels + 1)]
    asc = np.array(levels[::-1])
    idx = np.searchsorted(asc, z)                       # how many levels lie below each node
    px: list[float] = []
    py: list[float] = []
    lv: list[int] = []
    # each pair of neighbouring nodes on either side of a level: the node nearer to the level
    for (r0, c0), (r1, c1) in ((np.nonzero(idx[:, :-1] != idx[:, 1:]), (0, 1)),
                               (np.nonzero(idx[:-1, :] != idx[1:, :]), (1, 0))):
        r1, c1 = r0 + r1, c0 + c1
        k = np.minimum(idx[r0, c0], idx[r1, c1])        # the lowest level crossed between them
        first = np.abs(z[r0, c0] - asc[k]) <= np.abs(z[r1, c1] - asc[k])
        rows, cols = np.where(first, r0, r1), np.where(first, c0, c1)
        px += gx[rows, cols].tolist()
        py += gy[rows, cols].tolist()
        lv += (len(levels) - 1 - k).tolist()            # index into ``levels`` (largest first)
    return {"xlim": [float(lo[0]), float(hi[0])], "ylim": [float(lo[1]), float(hi[1])], "levels": levels,
            "x": px, "y": py, "level": lv}


ALGORITHM = algorithm(Algorithm(
    name="descent-2d",
    title={"en": "Gradient descent and optimizers on a 2-D loss surface",
           "ko": "2변수 손실 곡면의 경사하강법과 옵티마이저"},
    run=run,
    limits={"steps": Int(1, MAX_STEPS)},
    inputs={
        "surface": "quadratic (a·x² + b·y², default) or rosenbrock ((a − x)² + b·(y − x²)²)",
        "a": "surface parameter a (quadratic: 1, rosenbrock: 1 by default)",
        "b": "surface parameter b (quadratic: 10, rosenbrock: 100 by default)",
        "start": "the starting point [x, y]",
        "optimizer": "sgd, momentum, adagrad, rmsprop or adam — or a list of them to compare",
        "lr": "learning rate (> 0): one number, or one per optimizer",
        "steps": f"number of steps (1 … {MAX_STEPS}, default 30)",
        "momentum": "momentum μ (default 0.9)",
        "rho": "RMSprop decay ρ (default 0.99)",
        "beta1": "Adam β₁ (default 0.9)",
        "beta2": "Adam β₂ (default 0.999)",
        "eps": "ε added to the root (default 1e-10 Adagrad, 1e-8 RMSprop and Adam)",
    },
    inputs_ko={
        "surface": "quadratic(a·x² + b·y², 기본) 또는 rosenbrock((a − x)² + b·(y − x²)²)",
        "a": "곡면 파라미터 a(기본 quadratic: 1, rosenbrock: 1)",
        "b": "곡면 파라미터 b(기본 quadratic: 10, rosenbrock: 100)",
        "start": "시작점 [x, y]",
        "optimizer": "sgd, momentum, adagrad, rmsprop 또는 adam — 비교하려면 이들의 리스트",
        "lr": "학습률(> 0): 수 하나 또는 옵티마이저마다 하나",
        "steps": f"단계 수(1 … {MAX_STEPS}, 기본 30)",
        "momentum": "모멘텀 μ(기본 0.9)",
        "rho": "RMSprop 감쇠율 ρ(기본 0.99)",
        "beta1": "Adam β₁(기본 0.9)",
        "beta2": "Adam β₂(기본 0.999)",
        "eps": "제곱근에 더하는 ε(기본 Adagrad 1e-10, RMSprop과 Adam 1e-8)",
    },
    # an elongated bowl: momentum runs along the valley, Adam steps about lr in each coordinate
    example={"surface": "quadratic", "a": 1, "b": 10, "start": [-4, 2], "optimizer": ["momentum", "adam"],
             "lr": [0.02, 0.3], "steps": 40},
    ranges={"surface": "quadratic | rosenbrock", "a": "ℝ (quadratic: > 0)", "b": "> 0", "start": "[x₀, y₀]",
            "optimizer": "sgd | momentum | adagrad | rmsprop | adam, or a list", "lr": "η > 0, or [η, …]",
            "steps": "1 … 2000", "momentum": "μ ∈ [0, 1)", "beta1": "β₁ ∈ [0, 1)", "beta2": "β₂ ∈ [0, 1)",
            "rho": "ρ ∈ [0, 1)", "eps": "ε ≥ 0"},
    # η·2b = 2.4 > 2: every step overshoots the valley's floor further (y ← −1.4·y) — it diverges
    edge={"surface": "quadratic", "a": 1, "b": 10, "start": [-4, 2], "optimizer": "sgd", "lr": 0.12, "steps": 60},
    summary=("formula", "optimizers", "lrs", "f_final", "diverged"),
))
