"""Maximum likelihood estimates (MLE) for common families, with the log-likelihood at the estimate.

Set the derivative of the log-likelihood ℓ(θ) = Σ_i log f(x_i | θ) to zero:

    bernoulli  x_i ∈ {0,1}:        p̂ = Σx / n                    (share of ones)
    binomial   x_i ∈ {0..m} of m:  p̂ = Σx / (n·m)                (successes / all trials)
    normal:                        μ̂ = x̄,  σ̂² = (1/n) Σ (x_i − x̄)²   (the MLE divides by n;
                                   s² = (1/(n−1)) Σ (x_i − x̄)² is the unbiased estimate, not the MLE)
    exponential x_i ≥ 0:           λ̂ = 1/x̄                       (rate)
    poisson    x_i ∈ {0,1,2,…}:     λ̂ = x̄

``log_likelihood`` is the full log-likelihood (binomial coefficients and log x! included).
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Int, Mistake, as_array, as_choice, as_int
from engine.registry import algorithm

FAMILIES = ("bernoulli", "binomial", "normal", "exponential", "poisson")


def _xlogy(x: float, y: float) -> float:
    return 0.0 if x == 0 else x * math.log(y) if y > 0 else float("-inf")


def log_likelihood(family: str, data: np.ndarray, params: Mapping[str, float], trials: int = 1) -> float:
    """ℓ(θ) = Σ_i log f(x_i | θ)."""
    n = data.shape[0]
    s = float(np.sum(data))
    if family in ("bernoulli", "binomial"):
        p = params["p"]
        m = 1 if family == "bernoulli" else trials
        log_comb = sum(math.lgamma(m + 1) - math.lgamma(k + 1) - math.lgamma(m - k + 1) for k in data)
        return log_comb + _xlogy(s, p) + _xlogy(n * m - s, 1.0 - p)
    if family == "normal":
        mu, var = params["mean"], params["var"]
        return -0.5 * n * math.log(2 * math.pi * var) - float(np.sum((data - mu) ** 2)) / (2 * var)
    if family == "exponential":
        lam = params["rate"]
        return n * math.log(lam) - lam * s
    lam = params["rate"]                                         # poisson
    return _xlogy(s, lam) - n * lam - sum(math.lgamma(k + 1) for k in data)


def mle(family: str, data: np.ndarray, trials: int = 1) -> dict:
    n = data.shape[0]
    total = float(np.sum(data))
    notes = []
    if family == "bernoulli":
        est = {"p": total / n}
    elif family == "binomial":
        est = {"p": total / (n * trials)}
        notes.append(f"p̂ = total successes / total trials = {total:g} / ({n}·{trials})")
    elif family == "normal":
        mean = total / n
        ss = float(np.sum((data - mean) ** 2))                   # Σ (x_i − x̄)²
        est = {"mean": mean, "var": ss / n, "std": math.sqrt(ss / n),
               "var_unbiased": ss / (n - 1) if n > 1 else float("nan")}
        notes.append("the MLE of the variance σ̂² divides by n; s² (divides by n − 1) is the unbiased "
                     "sample variance, which is not the MLE")
    elif family == "exponential":
        est = {"rate": n / total, "mean": total / n}
    else:
        est = {"rate": total / n}
    for key in ("var", "rate") if family in ("normal", "exponential") else ():
        if key in est and not (math.isfinite(est[key]) and est[key] > 0):
            raise InputError("data", "values too small or too large: the estimate under- or overflows")
    return {"family": family, "n": n, "sum": total, "estimates": est,
            "log_likelihood": log_likelihood(family, data, est, trials), "notes": notes}


MISTAKES = (
    Mistake("mle.var-unbiased", {
        "en": "You divided by n − 1. That is the unbiased sample variance s², but the maximum-likelihood estimate "
              "of a normal variance divides by n: σ̂² = (1/n) Σ (x_i − x̄)².",
        "ko": "n − 1로 나눴습니다. 그것은 불편추정량인 표본분산 s²이고, 정규분포 분산의 최대우도추정값(MLE)은 "
              "n으로 나눕니다: σ̂² = (1/n) Σ (x_i − x̄)².",
    }),
    Mistake("mle.binomial-forgot-trials", {
        "en": "You divided the successes by the number of experiments only. Each experiment has m trials, so "
              "p̂ = Σx / (n·m).",
        "ko": "성공 횟수를 실험 횟수로만 나눴습니다. 실험마다 m번 시행하므로 p̂ = Σx / (n·m)입니다.",
    }),
    Mistake("mle.exponential-rate-as-mean", {
        "en": "You gave the sample mean as the rate. For f(x) = λe^(−λx) the mean is 1/λ, so λ̂ = 1/x̄.",
        "ko": "표본평균을 그대로 비율(rate)로 썼습니다. f(x) = λe^(−λx)의 평균은 1/λ이므로 λ̂ = 1/x̄입니다.",
    }),
)

MISTAKE_FAMILY = {"mle.var-unbiased": "normal", "mle.binomial-forgot-trials": "binomial",
                  "mle.exponential-rate-as-mean": "exponential"}


def parse(inputs: Mapping[str, Any]) -> dict:
    family = as_choice(inputs, "family", FAMILIES)
    data = as_array(inputs, "data", ndim=1)
    trials = 1
    integer = np.all(data == np.round(data))
    if family == "bernoulli" and not np.all((data == 0) | (data == 1)):
        raise InputError("data", "bernoulli data must be 0 or 1")
    if family == "binomial":
        trials = as_int(inputs, "n", lo=1)
        if not integer or np.any(data < 0) or np.any(data > trials):
            raise InputError("data", f"binomial data are success counts 0…{trials} (n = {trials} trials each)")
    if family == "normal" and data.shape[0] < 2:
        raise InputError("data", "need at least 2 values to estimate a variance")
    if family == "normal" and np.all(data == data[0]):
        raise InputError("data", "all values are equal: the variance MLE is 0 and the likelihood is unbounded")
    if family == "exponential" and (np.any(data < 0) or np.sum(data) == 0):
        raise InputError("data", "exponential data must be ≥ 0 and not all 0")
    if family == "poisson" and (not integer or np.any(data < 0)):
        raise InputError("data", "poisson data are counts 0, 1, 2, …")
    return {"family": family, "data": data, "trials": trials}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    args = parse(inputs)
    if mistake is not None and MISTAKE_FAMILY[mistake] != args["family"]:
        raise InputError("mistake", f"{mistake} is about family {MISTAKE_FAMILY[mistake]!r}")
    out = mle(**args)
    est = dict(out["estimates"])
    if mistake == "mle.var-unbiased":
        est.update(var=est["var_unbiased"], std=math.sqrt(est["var_unbiased"]))
    elif mistake == "mle.binomial-forgot-trials":
        est.update(p=out["sum"] / out["n"])
    elif mistake == "mle.exponential-rate-as-mean":
        est.update(rate=est["mean"])
    if mistake is not None:
        fam, data = args["family"], args["data"]
        ok = not (fam == "binomial" and not 0 <= est["p"] <= 1)
        out.update(estimates=est,
                   log_likelihood=log_likelihood(fam, data, est, args["trials"]) if ok else float("nan"))
    return out


ALGORITHM = algorithm(Algorithm(
    name="mle",
    title={"en": "Maximum likelihood estimation (MLE)", "ko": "최대우도추정(MLE)"},
    run=run,
    limits={"n": Int(1, 10**9)},
    inputs={
        "data": "the observations (list of numbers)",
        "family": "bernoulli | binomial | normal | exponential | poisson",
        "n": "binomial only: number of trials in each observation",
    },
    inputs_ko={
        "data": "관측값(수의 리스트)",
        "family": "bernoulli | binomial | normal | exponential | poisson 중 하나",
        "n": "binomial 전용: 관측값 하나당 시행 횟수",
    },
    example={"data": [4.2, 5.1, 3.8, 6.0, 4.9, 5.4], "family": "normal"},
    mistakes=MISTAKES,
    summary=("estimates", "log_likelihood"),
))
