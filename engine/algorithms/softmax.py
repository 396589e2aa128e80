"""Softmax with temperature, computed the stable way (subtract the row maximum first).

    z = x / T                                   (T = temperature, default 1)
    shifted = z − max(z)                        (every entry ≤ 0, the largest is 0)
    p_i = e^{shifted_i} / Σ_j e^{shifted_j}     (= e^{z_i} / Σ_j e^{z_j}: the shift cancels)

A matrix is read as a batch of rows: each row is one vector of logits and gets its own
softmax (axis −1, as ``torch.softmax(x, dim=-1)``).

``naive`` is what e^{z_i} / Σ_j e^{z_j} gives in floating point without the shift: for a
logit of 2000, e^2000 = inf and inf/inf = nan (shown as null in JSON).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Mistake, as_array, as_float
from engine.registry import algorithm


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def naive_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / np.sum(e, axis=axis, keepdims=True)


def softmax_trace(x: np.ndarray, temperature: float = 1.0, *, mistake: str | None = None) -> dict:
    with np.errstate(over="ignore"):
        if mistake == "softmax.temperature-multiplied":
            z = x * temperature
        elif mistake == "softmax.ignored-temperature":
            z = x.copy()
        else:
            z = x / temperature                             # (rows × classes) or (classes)
    z2 = z if z.ndim == 2 else z[None, :]                  # (rows × classes)
    axis = 0 if mistake == "softmax.wrong-axis" else 1     # the right axis: along each row
    with np.errstate(over="ignore"):                       # −1e308 − 1e308 = −inf: e^−inf = 0, as it should be
        shifted = z2 - np.max(z2, axis=axis, keepdims=True)   # (rows, classes)
    exp_shifted = np.exp(shifted)                             # (rows, classes)
    sum_exp = np.sum(exp_shifted, axis=axis, keepdims=True)   # (rows, 1), or (1, classes) along the wrong axis
    p = exp_shifted / sum_exp                                 # (rows, classes)
    naive = naive_softmax(z2, axis=axis)
    with np.errstate(over="ignore"):
        exp_naive = np.exp(z2)                              # e^2000 = inf
    log_p = shifted - np.log(sum_exp)                         # (rows, classes)
    if mistake == "softmax.no-max-shift":
        p = naive
        with np.errstate(divide="ignore", invalid="ignore"):
            log_p = np.log(p)
    elif mistake == "softmax.no-exp":
        with np.errstate(divide="ignore", invalid="ignore"):
            p = z2 / np.sum(z2, axis=axis, keepdims=True)
            log_p = np.log(p)
    back = (lambda a: a) if z.ndim == 2 else (lambda a: a[0])
    sums = sum_exp.reshape(-1)                                # (rows,), or (classes,) along the wrong axis
    return {
        "x": x, "temperature": temperature, "z": z,
        "shifted": back(shifted), "exp_shifted": back(exp_shifted),
        "sum_exp": float(sums[0]) if z.ndim == 1 and axis == 1 else sums,
        "p": back(p), "naive": back(naive), "exp_naive": back(exp_naive), "log_p": back(log_p),
        "overflow": bool(not np.all(np.isfinite(naive))),
    }


MISTAKES = (
    Mistake("softmax.no-max-shift", {
        "en": "You exponentiated the raw logits. Mathematically that is the same, but e^x overflows for large x "
              "(e^2000 = inf, inf/inf = nan). Subtract the maximum first: e^(x − max) / Σ e^(x − max).",
        "ko": "로짓(logit)을 그대로 지수화했습니다. 수학적으로는 같지만 x가 크면 e^x가 오버플로(overflow)됩니다"
              "(e^2000 = inf, inf/inf = nan). 먼저 최댓값을 빼세요: e^(x − max) / Σ e^(x − max).",
    }),
    Mistake("softmax.wrong-axis", {
        "en": "You normalised over the wrong axis (down the columns). Each row is one example: its "
              "probabilities must sum to 1 across the row.",
        "ko": "잘못된 축(열 방향)으로 정규화했습니다. 각 행이 하나의 샘플이므로 행마다 확률의 합이 1이 되어야 합니다.",
    }),
    Mistake("softmax.no-exp", {
        "en": "You divided the logits by their sum without exponentiating. Softmax is e^(x_i) / Σ_j e^(x_j); "
              "plain x_i / Σ x_j can even be negative.",
        "ko": "지수 함수를 적용하지 않고 로짓을 합으로만 나눴습니다. 소프트맥스(softmax)는 e^(x_i) / Σ_j e^(x_j)"
              "이며, 단순한 x_i / Σ x_j는 음수가 될 수도 있습니다.",
    }),
    Mistake("softmax.temperature-multiplied", {
        "en": "You multiplied the logits by the temperature. They are divided by it: softmax(x / T). "
              "A high T flattens the distribution, a low T sharpens it.",
        "ko": "로짓에 온도(temperature)를 곱했습니다. 온도로 나눠야 합니다: softmax(x / T). "
              "T가 크면 분포가 평평해지고, 작으면 뾰족해집니다.",
    }),
    Mistake("softmax.ignored-temperature", {
        "en": "You left out the temperature. Divide the logits by T before the softmax: softmax(x / T).",
        "ko": "온도(temperature)를 빠뜨렸습니다. 소프트맥스 전에 로짓을 T로 나눠야 합니다: softmax(x / T).",
    }),
)



def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    x = as_array(inputs, "x", ndim=(1, 2))
    temperature = as_float(inputs, "temperature", default=1.0, lo=0.0, open_lo=True)
    with np.errstate(over="ignore"):
        finite = bool(np.all(np.isfinite(x / temperature)))
    if not finite:   # z = x / T beyond the largest float: inf − inf = nan, no probabilities
        raise InputError("temperature", "x / T is too large: use a larger temperature T or smaller logits x")
    return softmax_trace(x, temperature, mistake=mistake)


ALGORITHM = algorithm(Algorithm(
    name="softmax",
    title={"en": "Softmax (stable, with temperature)", "ko": "소프트맥스(안정적 계산, 온도 포함)"},
    run=run,
    inputs={
        "x": "logits: a vector, or a matrix whose rows are separate vectors",
        "temperature": "optional T > 0 (default 1): softmax(x / T)",
    },
    inputs_ko={
        "x": "로짓: 벡터, 또는 각 행이 따로 된 벡터인 행렬",
        "temperature": "선택: 온도 T > 0(기본 1): softmax(x / T)",
    },
    # the study notes: np.exp(2000) = inf and inf/inf = nan without the max shift
    example={"x": [2000.0, 1999.0, 1995.0]},
    mistakes=MISTAKES,
    summary=("p", "shifted", "naive"),
))
