"""ARIMA(p, d, q) one-step predictions with given coefficients (no fitting).

    w_t = Δ^d y_t                      difference d times: Δy_t = y_t − y_{t−1}   (length N − d)
    ŵ_t = c + Σ_{i=1}^p φ_i w_{t−i} + Σ_{j=1}^q θ_j ε_{t−j}     one-step prediction (ARMA on w)
    ε_t = w_t − ŵ_t                    residual (one-step error)
    ŷ_t = ŵ_t + (y_t − w_t)            integrate back: for d = 1, ŷ_t = y_{t−1} + ŵ_t;
                                       in general y_t − Δ^d y_t = −Σ_{k=1}^d (−1)^k C(d,k) y_{t−k}

Conditional start: predictions begin at the (p+1)-th differenced value (the AR terms need p past
values); residuals before that, and every ε before the start of the series, are taken as 0.
``forecast`` is the one-step prediction of the next, unseen value. The residuals are the same on
both scales, because y_t − ŷ_t = w_t − ŵ_t.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Mistake, Values, as_array, as_float, as_int
from engine.registry import algorithm


def difference(y: np.ndarray, d: int) -> list[np.ndarray]:
    """[y, Δy, Δ²y, …, Δ^d y]."""
    out = [y]
    for _ in range(d):
        out.append(np.diff(out[-1]))
    return out


def integration_offset(y_past: np.ndarray, d: int) -> float:
    """y_t − Δ^d y_t from the d previous values y_{t−1}, …, y_{t−d} (most recent first)."""
    return -sum((-1) ** k * math.comb(d, k) * y_past[k - 1] for k in range(1, d + 1))


def arma_predict(w: np.ndarray, phi: np.ndarray, theta: np.ndarray, c: float) -> dict:
    p, q = phi.shape[0], theta.shape[0]
    m = w.shape[0]
    pred = np.full(m, np.nan)                                 # (m,) ŵ_t, nan before the first p
    eps = np.zeros(m)                                         # (m,) ε_t
    for t in range(p, m):
        ar = sum(phi[i] * w[t - 1 - i] for i in range(p))
        ma = sum(theta[j] * eps[t - 1 - j] for j in range(q) if t - 1 - j >= 0)
        pred[t] = c + ar + ma
        eps[t] = w[t] - pred[t]
    t = m                                                             # the next, unseen value
    forecast = c + sum(phi[i] * w[t - 1 - i] for i in range(p)) \
        + sum(theta[j] * eps[t - 1 - j] for j in range(q) if t - 1 - j >= 0)
    resid = np.where(np.isnan(pred), np.nan, eps)             # (m,)
    return {"pred": pred, "eps": eps, "residuals": resid, "forecast": float(forecast)}


def arima(series: np.ndarray, phi: np.ndarray, theta: np.ndarray, d: int, c: float, *,
          integrate: bool = True, use_d: bool = True) -> dict:
    d_eff = d if use_d else 0
    levels = difference(series, d_eff)
    w = levels[-1]                                                    # (N − d,)
    arma = arma_predict(w, phi, theta, c)
    n = series.shape[0]
    pred_y = np.full(n, np.nan)                               # (N,)
    for s in range(w.shape[0]):
        if not np.isnan(arma["pred"][s]):
            t = s + d_eff                                             # index in y
            offset = integration_offset(series[t - d_eff:t][::-1], d_eff) if integrate else 0.0
            pred_y[t] = arma["pred"][s] + offset
    offset_next = integration_offset(series[n - d_eff:][::-1], d_eff) if integrate else 0.0
    return {
        "differenced": w, "levels": levels[1:], "d": d,
        "predictions": arma["pred"],                   # ŵ_t on the differenced scale (N − d,)
        "residuals": arma["residuals"],                # ε_t (nan where no prediction)
        "predictions_y": pred_y,                       # ŷ_t on the original scale (N,)
        "forecast_differenced": arma["forecast"],
        "forecast": arma["forecast"] + offset_next,    # next value of y
        "sse": float(np.nansum(arma["residuals"] ** 2)),
    }


MISTAKES = (
    Mistake("arima.no-integrate", {
        "en": "You stopped on the differenced scale: ŵ_t predicts the change, not the value. Integrate back, "
              "e.g. for d = 1: ŷ_t = y_{t−1} + ŵ_t.",
        "ko": "차분된 척도에서 멈췄습니다: ŵ_t는 값이 아니라 변화량의 예측입니다. 되돌려(적분해) 주세요. "
              "예를 들어 d = 1이면 ŷ_t = y_{t−1} + ŵ_t입니다.",
    }),
    Mistake("arima.no-difference", {
        "en": "You applied the AR/MA coefficients to the raw series. In ARIMA(p, d, q) they act on the d-times "
              "differenced series w_t = Δ^d y_t.",
        "ko": "AR/MA 계수를 원래 시계열에 바로 적용했습니다. ARIMA(p, d, q)에서 계수는 d번 차분한 시계열 "
              "w_t = Δ^d y_t에 적용됩니다.",
    }),
)

MISTAKE_KW = {"arima.no-integrate": {"integrate": False}, "arima.no-difference": {"use_d": False}}


def coefs(inputs: Mapping[str, Any], key: str) -> np.ndarray:
    raw = inputs.get(key)
    if raw is None or (isinstance(raw, (list, tuple)) and len(raw) == 0):
        return np.zeros(0)
    return np.atleast_1d(as_array(inputs, key, ndim=(0, 1)))


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    series = as_array(inputs, "series", ndim=1)
    phi, theta = coefs(inputs, "phi"), coefs(inputs, "theta")
    d = as_int(inputs, "d", default=0, lo=0, hi=5)
    c = as_float(inputs, "c", default=0.0)
    if series.shape[0] - d < phi.shape[0] + 1:
        raise InputError("series", f"too short: after differencing {d} times it needs more than p = "
                                   f"{phi.shape[0]} values")
    if mistake is not None and d == 0:
        raise InputError("mistake", f"{mistake} is about differencing; it needs d ≥ 1")
    return arima(series, phi, theta, d, c, **MISTAKE_KW.get(mistake, {}))


ALGORITHM = algorithm(Algorithm(
    name="arima",
    title={"en": "ARIMA(p, d, q): differencing and one-step predictions",
           "ko": "ARIMA(p, d, q): 차분과 한 단계 예측"},
    run=run,
    limits={"phi": Values(20), "theta": Values(20)},
    inputs={
        "series": "the time series y_1 … y_N",
        "phi": "AR coefficients φ_1 … φ_p (φ_1 multiplies the most recent value; may be empty)",
        "theta": "MA coefficients θ_1 … θ_q (θ_1 multiplies the most recent residual; may be empty)",
        "d": "order of differencing (default 0)",
        "c": "constant term of the ARMA on the differenced series (default 0)",
    },
    inputs_ko={
        "series": "시계열 y_1 … y_N",
        "phi": "AR 계수 φ_1 … φ_p(φ_1이 가장 최근 값에 곱해짐; 비어 있어도 됨)",
        "theta": "MA 계수 θ_1 … θ_q(θ_1이 가장 최근 잔차에 곱해짐; 비어 있어도 됨)",
        "d": "차분 차수(기본 0)",
        "c": "차분한 시계열에 맞춘 ARMA의 상수항(기본 0)",
    },
    example={"series": [10, 12, 15, 17, 20, 24, 25, 29], "phi": [0.5], "theta": [0.3], "d": 1, "c": 1.0},
    mistakes=MISTAKES,
    summary=("differenced", "predictions", "predictions_y", "residuals", "forecast"),
))
