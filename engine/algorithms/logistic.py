"""Logistic regression: forward pass, binary cross-entropy, its gradient and gradient-descent steps.

For n samples x_i ∈ ℝ^p, labels y_i ∈ {0, 1}, weights w ∈ ℝ^p and bias b:

    z_i = x_i·w + b                       (n,)   the logit
    p_i = σ(z_i) = 1 / (1 + e^(−z_i))     (n,)   P(y = 1 | x_i)
    L   = −(1/n) Σ [ y_i log p_i + (1 − y_i) log(1 − p_i) ]     mean binary cross-entropy
    ∂L/∂z_i = (p_i − y_i)/n   ⇒   ∂L/∂w = Xᵀ(p − y)/n,   ∂L/∂b = mean(p − y)
    w ← w − lr · ∂L/∂w,   b ← b − lr · ∂L/∂b

The loss is evaluated stably as  log(1 + e^z) − y·z  (= −[y log p + (1−y) log(1−p)]).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake, sigmoid
from engine.core import Algorithm, InputError, Int, Mistake, as_array, as_float, as_int
from engine.registry import algorithm


def bce(z: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy from the logits: mean(log(1+e^z) − y z)."""
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def forward(x: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> dict:
    z = x @ w + b                        # (n,)
    p = sigmoid(z)                       # (n,)
    dz = (p - y) / y.shape[0]            # ∂L/∂z   (n,)
    return {"z": z, "p": p, "loss": bce(z, y), "dz": dz,
            "grad_w": x.T @ dz,          # (p,)
            "grad_b": float(np.sum(dz))}


def _grad_sign(x, y, w, b):
    f = forward(x, y, w, b)
    return {**f, "grad_w": -f["grad_w"], "grad_b": -f["grad_b"]}


def _grad_sum(x, y, w, b):
    f = forward(x, y, w, b)
    n = y.shape[0]
    return {**f, "grad_w": f["grad_w"] * n, "grad_b": f["grad_b"] * n}


def _grad_squared_error(x, y, w, b):
    # the gradient of the squared error ½·mean((p − y)²) through the sigmoid: (p − y)·p(1 − p)/n
    f = forward(x, y, w, b)
    dz = (f["p"] - y) * f["p"] * (1.0 - f["p"]) / y.shape[0]
    return {**f, "dz": dz, "grad_w": x.T @ dz, "grad_b": float(np.sum(dz))}


MISTAKE_FNS = {
    "logistic.grad-sign": _grad_sign,
    "logistic.grad-sum": _grad_sum,
    "logistic.squared-error-grad": _grad_squared_error,
}

MISTAKES = (
    Mistake("logistic.grad-sign", {
        "en": "Your gradient has the wrong sign: you used Xᵀ(y − p)/n. The gradient of the cross-entropy is "
              "Xᵀ(p − y)/n (prediction minus label); stepping against it lowers the loss, yours raises it.",
        "ko": "기울기(gradient)의 부호가 반대입니다: Xᵀ(y − p)/n를 썼습니다. 교차 엔트로피의 기울기는 "
              "Xᵀ(p − y)/n (예측 − 정답)이고, 그 반대 방향으로 가야 손실이 줄어듭니다. 지금은 손실이 커집니다.",
    }),
    Mistake("logistic.grad-sum", {
        "en": "You summed the per-sample gradients but the loss is a mean: divide by n, ∂L/∂w = Xᵀ(p − y)/n.",
        "ko": "샘플별 기울기를 더하기만 했습니다. 손실이 평균이므로 n으로 나눠야 합니다: ∂L/∂w = Xᵀ(p − y)/n.",
    }),
    Mistake("logistic.squared-error-grad", {
        "en": "You used the squared-error gradient (p − y)·p(1 − p). With cross-entropy the σ'(z) = p(1 − p) "
              "factor cancels: ∂L/∂z = p − y.",
        "ko": "제곱오차의 기울기 (p − y)·p(1 − p)를 썼습니다. 교차 엔트로피에서는 σ'(z) = p(1 − p)가 약분되어 "
              "∂L/∂z = p − y가 됩니다.",
    }),
)


def gradient_descent(x, y, w, b, lr, steps, forward_fn=forward) -> dict:
    trace = []
    for _ in range(steps):
        f = forward_fn(x, y, w, b)
        w_new = w - lr * f["grad_w"]
        b_new = b - lr * f["grad_b"]
        trace.append({"w": w, "b": b, "loss": f["loss"], "grad_w": f["grad_w"], "grad_b": f["grad_b"],
                      "w_new": w_new, "b_new": b_new, "z": f["z"], "p": f["p"]})
        w, b = w_new, b_new
    first = trace[0]
    return {"z": first["z"], "p": first["p"], "loss": first["loss"],
            "grad_w": first["grad_w"], "grad_b": first["grad_b"],
            "w_new": first["w_new"], "b_new": first["b_new"],
            "steps": trace, "w": w, "b": b,
            "loss_after": bce(x @ w + b, y)}


def parse(inputs: Mapping[str, Any]) -> dict:
    x = as_array(inputs, "x", ndim=(1, 2))
    if x.ndim == 1:
        x = x[:, None]
    n, p = x.shape
    y = as_array(inputs, "y", ndim=1)
    if y.shape[0] != n:
        raise InputError("y", f"expected {n} labels (one per row of x), got {y.shape[0]}")
    if np.any((y < 0) | (y > 1)):
        raise InputError("y", "labels must be 0 or 1 (probabilities in [0, 1] are accepted)")
    w = as_array(inputs, "w", ndim=(0, 1))
    w = np.atleast_1d(w)
    if w.shape[0] != p:
        raise InputError("w", f"expected {p} weights (one per column of x), got {w.shape[0]}")
    b = as_float(inputs, "b", default=0.0)
    lr = as_float(inputs, "lr", default=0.1, lo=0.0)
    steps = as_int(inputs, "steps", default=1, lo=1, hi=10_000)
    return {"x": x, "y": y, "w": w, "b": b, "lr": lr, "steps": steps}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    args = parse(inputs)
    return gradient_descent(**args, forward_fn=MISTAKE_FNS.get(mistake, forward))


ALGORITHM = algorithm(Algorithm(
    name="logistic",
    title={"en": "Logistic regression: cross-entropy and gradient steps",
           "ko": "로지스틱 회귀: 교차 엔트로피와 경사하강 단계"},
    run=run,
    limits={"steps": Int(1, 10_000)},
    inputs={
        "x": "features: n×p rows (or n numbers for one feature)",
        "y": "labels 0 or 1, n of them",
        "w": "weights, p numbers",
        "b": "bias (default 0)",
        "lr": "learning rate (default 0.1)",
        "steps": "number of gradient-descent steps (default 1)",
    },
    inputs_ko={
        "x": "특성: n×p 행(특성이 하나면 수 n개)",
        "y": "라벨 0 또는 1, n개",
        "w": "가중치, 수 p개",
        "b": "편향(기본 0)",
        "lr": "학습률(기본 0.1)",
        "steps": "경사 하강법 단계 수(기본 1)",
    },
    example={"x": [[1.0, 2.0], [2.0, 0.5], [3.0, 1.5], [0.5, 3.0]], "y": [1, 0, 1, 0],
             "w": [0.5, -0.25], "b": 0.0, "lr": 0.5, "steps": 3},
    mistakes=MISTAKES,
    summary=("loss", "grad_w", "grad_b", "w_new", "b_new"),
))
