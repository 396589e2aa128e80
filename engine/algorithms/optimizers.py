"""Optimizers on one parameter w: SGD, SGD with momentum, Adagrad, RMSprop and Adam.

The gradient g_t at step t = 1, 2, … is L′(w_{t−1}) from a ``derivative`` expression in w, or
the t-th entry of a given ``grads`` list. The conventions are PyTorch's (torch.optim, with
no weight decay), so the numbers agree with it:

    sgd       w_t = w_{t−1} − lr·g_t
    momentum  v_t = μ·v_{t−1} + g_t                     (v_0 = 0; μ = ``momentum``, default 0.9)
              w_t = w_{t−1} − lr·v_t
              (the other common form v_t = μ·v_{t−1} − lr·g_t, w_t = w_{t−1} + v_t gives the same w
              for a constant lr: its v is −lr times this one)
    adagrad   G_t = G_{t−1} + g_t²                      (G_0 = 0)
              w_t = w_{t−1} − lr·g_t / (√G_t + eps)      (eps OUTSIDE the root; default 1e-10)
    rmsprop   s_t = ρ·s_{t−1} + (1 − ρ)·g_t²            (s_0 = 0; ρ = ``rho``, torch's alpha, default 0.99)
              w_t = w_{t−1} − lr·g_t / (√s_t + eps)      (eps outside the root; default 1e-8)
    adam      m_t = β₁·m_{t−1} + (1 − β₁)·g_t            v_t = β₂·v_{t−1} + (1 − β₂)·g_t²
              m̂_t = m_t / (1 − β₁ᵗ)                      v̂_t = v_t / (1 − β₂ᵗ)   (bias correction)
              w_t = w_{t−1} − lr·m̂_t / (√v̂_t + eps)      (β₁ = 0.9, β₂ = 0.999, eps = 1e-8)

(Keras/TensorFlow put eps elsewhere for RMSprop/Adagrad and default ρ = 0.9; the difference
in eps is invisible at these sizes, ρ is not — pass ``rho`` to match a textbook.)
"""

from __future__ import annotations

import math
from typing import Any, Mapping

from engine.algorithms._common import check_mistake
from engine.algorithms.gradient_descent import BLOWUP, MAX_STEPS, parse_derivative
from engine.core import Algorithm, InputError, Int, Mistake, as_array, as_choice, as_float, as_int
from engine.expr import ExprError
from engine.registry import algorithm

OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
DEFAULT_EPS = {"adagrad": 1e-10, "rmsprop": 1e-8, "adam": 1e-8}


def optimize(kind: str, grad_at, w0: float, lr: float, steps: int, *, momentum: float = 0.9,
             rho: float = 0.99, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
             mistake: str | None = None) -> dict:
    """grad_at(t, w) -> g_t. Returns the trace of w and the optimizer state after every step."""
    sign = 1.0 if mistake == "optimizer.ascent" else -1.0
    root = (lambda s: s) if mistake == "optimizer.no-sqrt" else math.sqrt
    if mistake == "optimizer.adam-betas-swapped":
        beta1, beta2 = beta2, beta1
    w = w0
    vel = accum = m = v = 0.0
    ws, trace = [w0], []
    diverged, reason = False, ""
    for t in range(1, steps + 1):
        try:
            g = grad_at(t, w)
        except ExprError as e:
            diverged, reason = True, f"the gradient cannot be evaluated at w = {w:g}: {e.message}"
            break
        row: dict = {"t": t, "g": g}
        if kind == "sgd":
            step = lr * g
        elif kind == "momentum":
            vel = momentum * vel + g if mistake != "optimizer.momentum-no-velocity" else g
            step = lr * vel
            row["velocity"] = vel
        elif kind == "adagrad":
            accum = accum + g * g
            step = lr * g / (root(accum) + eps)
            row["accum"] = accum
        elif kind == "rmsprop":
            accum = rho * accum + (1.0 - rho) * g * g
            step = lr * g / (root(accum) + eps)
            row["s"] = accum
        else:  # adam
            m = beta1 * m + (1.0 - beta1) * g
            v = beta2 * v + (1.0 - beta2) * g * g
            if mistake == "optimizer.adam-no-bias-correction":
                m_hat, v_hat = m, v
            else:
                m_hat, v_hat = m / (1.0 - beta1 ** t), v / (1.0 - beta2 ** t)
            step = lr * m_hat / (root(v_hat) + eps)
            row.update(m=m, v=v, m_hat=m_hat, v_hat=v_hat)
        w = w + sign * step
        row.update(update=sign * step, w=w)
        trace.append(row)
        ws.append(w)
        if not abs(w) <= BLOWUP:
            diverged, reason = True, f"|w| exceeded {BLOWUP:g} after {t} steps"
            break
    out = {"w": ws, "w_final": ws[-1], "steps_run": len(trace), "diverged": diverged, "reason": reason,
           "trace": trace, "grad": [r["g"] for r in trace]}
    for key in ("velocity", "accum", "s", "m", "v", "m_hat", "v_hat"):
        if trace and key in trace[0]:
            out[key] = [r[key] for r in trace]
    return out


MISTAKES = (
    Mistake("optimizer.adam-no-bias-correction", {
        "en": "You skipped Adam's bias correction. m and v start at 0, so early on they are too small; divide "
              "by (1 − β₁ᵗ) and (1 − β₂ᵗ): m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).",
        "ko": "Adam의 편향 보정(bias correction)을 빠뜨렸습니다. m과 v는 0에서 시작하므로 초반에는 너무 작습니다. "
              "m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)로 나눠 보정해야 합니다.",
    }),
    Mistake("optimizer.adam-betas-swapped", {
        "en": "You swapped β₁ and β₂: β₁ (0.9) averages the gradients m, β₂ (0.999) averages the squared "
              "gradients v.",
        "ko": "β₁과 β₂를 바꿔 썼습니다: β₁(0.9)은 기울기의 평균 m에, β₂(0.999)는 기울기 제곱의 평균 v에 씁니다.",
    }),
    Mistake("optimizer.no-sqrt", {
        "en": "You divided by the accumulated squared gradient itself. Take its square root first: "
              "lr·g / (√s + eps).",
        "ko": "누적된 기울기 제곱을 그대로 나눴습니다. 먼저 제곱근을 씌워야 합니다: lr·g / (√s + eps).",
    }),
    Mistake("optimizer.momentum-no-velocity", {
        "en": "You used only the current gradient. With momentum the step follows the velocity "
              "v_t = μ·v_{t−1} + g_t, which remembers the earlier gradients.",
        "ko": "현재 기울기만 썼습니다. 모멘텀(momentum)에서는 이전 기울기를 기억하는 속도 v_t = μ·v_{t−1} + g_t를 "
              "따라 이동합니다.",
    }),
    Mistake("optimizer.ascent", {
        "en": "You added the step: w + lr·(…) climbs the loss. Optimizers subtract it.",
        "ko": "이동량을 더했습니다: w + lr·(…)은 손실을 키우는 방향입니다. 옵티마이저는 빼야 합니다.",
    }),
)



def parse(inputs: Mapping[str, Any]) -> dict:
    kind = inputs.get("optimizer")
    if isinstance(kind, str):
        kind = {"sgd_momentum": "momentum", "sgd-momentum": "momentum"}.get(kind.strip().lower(), kind.strip().lower())
    kind = as_choice({"optimizer": kind}, "optimizer", OPTIMIZERS)
    w0 = as_float(inputs, "w0")
    lr = as_float(inputs, "lr", lo=0.0, open_lo=True)
    has_d, has_g = inputs.get("derivative") is not None, inputs.get("grads") is not None
    if has_d == has_g:
        raise InputError("derivative", "give either a derivative expression in w or a list of grads (not both)")
    if has_g:
        grads = as_array(inputs, "grads", ndim=1)
        if grads.shape[0] > MAX_STEPS:
            raise InputError("grads", f"at most {MAX_STEPS} gradients")
        steps = as_int(inputs, "steps", default=grads.shape[0], lo=1, hi=grads.shape[0])
        gl = [float(g) for g in grads]

        def grad_at(t, w):
            return gl[t - 1]
        source = "grads"
    else:
        dexpr = parse_derivative(inputs)
        steps = as_int(inputs, "steps", default=10, lo=1, hi=MAX_STEPS)

        def grad_at(t, w):
            return dexpr(w=w)
        source = dexpr.text
    inputs = dict(inputs)
    if inputs.get("betas") is not None:              # torch's spelling: betas = (β₁, β₂)
        betas = inputs.pop("betas")
        if not isinstance(betas, (list, tuple)) or len(betas) != 2:
            raise InputError("betas", "expected a pair [beta1, beta2]")
        inputs["beta1"], inputs["beta2"] = betas
    if inputs.get("alpha") is not None and inputs.get("rho") is None:   # torch's name for RMSprop's ρ
        inputs["rho"] = inputs["alpha"]
    hyper = {
        "momentum": as_float(inputs, "momentum", default=0.9, lo=0.0, hi=1.0, open_hi=True),
        "rho": as_float(inputs, "rho", default=0.99, lo=0.0, hi=1.0, open_hi=True),
        "beta1": as_float(inputs, "beta1", default=0.9, lo=0.0, hi=1.0, open_hi=True),
        "beta2": as_float(inputs, "beta2", default=0.999, lo=0.0, hi=1.0, open_hi=True),
        "eps": as_float(inputs, "eps", default=DEFAULT_EPS.get(kind, 1e-8), lo=0.0),
    }
    return {"kind": kind, "grad_at": grad_at, "w0": w0, "lr": lr, "steps": steps, "source": source, **hyper}


USED = {"sgd": (), "momentum": ("momentum",), "adagrad": ("eps",), "rmsprop": ("rho", "eps"),
        "adam": ("beta1", "beta2", "eps")}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    a = parse(inputs)
    res = optimize(a["kind"], a["grad_at"], a["w0"], a["lr"], a["steps"], momentum=a["momentum"], rho=a["rho"],
                   beta1=a["beta1"], beta2=a["beta2"], eps=a["eps"], mistake=mistake)
    hyper = {k: a[k] for k in USED[a["kind"]]}
    return {"optimizer": a["kind"], "gradient_source": a["source"], "w0": a["w0"], "lr": a["lr"],
            "hyperparameters": hyper, **res}


ALGORITHM = algorithm(Algorithm(
    name="optimizer",
    title={"en": "Optimizers: SGD, momentum, Adagrad, RMSprop, Adam", "ko": "옵티마이저: SGD, 모멘텀, Adagrad, RMSprop, Adam"},
    run=run,
    limits={"steps": Int(1, MAX_STEPS)},
    inputs={
        "optimizer": "sgd, momentum, adagrad, rmsprop or adam",
        "derivative": "L′(w) as an expression in w, e.g. 4*w^3 (or give grads)",
        "grads": "instead of derivative: the gradient of each step as a list",
        "w0": "starting value of w",
        "lr": "learning rate",
        "steps": "number of steps (default 10, or the length of grads)",
        "momentum": "momentum μ (default 0.9)",
        "rho": "RMSprop decay ρ (default 0.99; torch's name \"alpha\" is accepted too)",
        "beta1": "Adam β₁ (default 0.9)",
        "beta2": "Adam β₂ (default 0.999); or both as \"betas\": [β₁, β₂]",
        "eps": "ε added to the root (default 1e-10 Adagrad, 1e-8 RMSprop and Adam)",
    },
    inputs_ko={
        "optimizer": "sgd, momentum, adagrad, rmsprop 또는 adam",
        "derivative": "w에 대한 식으로 쓴 L′(w), 예: 4*w^3(또는 grads를 줌)",
        "grads": "derivative 대신: 각 단계의 기울기를 담은 리스트",
        "w0": "w의 시작값",
        "lr": "학습률",
        "steps": "단계 수(기본 10, 또는 grads의 길이)",
        "momentum": "모멘텀 μ(기본 0.9)",
        "rho": "RMSprop 감쇠율 ρ(기본 0.99; torch의 이름 \"alpha\"도 받음)",
        "beta1": "Adam β₁(기본 0.9)",
        "beta2": "Adam β₂(기본 0.999); 또는 둘을 함께 \"betas\": [β₁, β₂]로",
        "eps": "제곱근에 더하는 ε(기본 Adagrad 1e-10, RMSprop과 Adam 1e-8)",
    },
    # the notes' loss L(w) = w⁴ from w₀ = 2, now with Adam
    example={"optimizer": "adam", "derivative": "4*w^3", "w0": 2, "lr": 0.1, "steps": 20},
    mistakes=MISTAKES,
    summary=("w_final", "steps_run", "diverged"),
))
