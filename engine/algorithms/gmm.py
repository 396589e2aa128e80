"""EM for a Gaussian mixture model (GMM), 1-D or d-dimensional.

    p(x) = Σ_k π_k N(x | μ_k, Σ_k)

E-step (responsibilities, each row sums to 1):
    γ_ik = π_k N(x_i | μ_k, Σ_k) / Σ_j π_j N(x_i | μ_j, Σ_j)
M-step, with N_k = Σ_i γ_ik:
    π_k = N_k / n,   μ_k = Σ_i γ_ik x_i / N_k,
    Σ_k = Σ_i γ_ik (x_i − μ_k)(x_i − μ_k)ᵀ / N_k        (around the *new* mean μ_k)
log-likelihood  ℓ = Σ_i log Σ_k π_k N(x_i | μ_k, Σ_k)  never decreases from one iteration to the next.

Each iteration's ``log_likelihood`` is ℓ at the parameters it starts from (computed in its E-step);
``final_log_likelihood`` is ℓ after the last M-step.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Int, Mistake, as_array, as_int
from engine.registry import algorithm

LOG_2PI = float(np.log(2.0 * np.pi))


def log_gauss(x: np.ndarray, means: np.ndarray, covs: np.ndarray) -> np.ndarray:
    """log N(x_i | μ_k, Σ_k) for x (n, d), means (k, d), covs (k, d, d) → (n, k).

    All components at once (stacked Cholesky and solve): no Python loop over k."""
    d = x.shape[1]
    if d == 1:                                                          # σ² per component: closed form
        var = covs[:, 0, 0]
        if np.any(var <= 0):
            raise np.linalg.LinAlgError("Matrix is not positive definite")
        return -0.5 * (LOG_2PI + np.log(var)[None, :] + (x - means[:, 0][None, :]) ** 2 / var[None, :])
    chol = np.linalg.cholesky(covs)                                     # Σ_k = L_k L_kᵀ      (k, d, d)
    diff = x[None, :, :] - means[:, None, :]                            # x − μ_k             (k, n, d)
    sol = np.linalg.solve(chol, diff.transpose(0, 2, 1))                # L_k⁻¹ (x − μ_k)     (k, d, n)
    maha = np.sum(sol ** 2, axis=1)                                     # (x − μ)ᵀ Σ⁻¹ (x − μ) (k, n)
    log_det = 2.0 * np.sum(np.log(np.diagonal(chol, axis1=1, axis2=2)), axis=1)   # log |Σ_k|  (k,)
    return (-0.5 * (d * LOG_2PI + log_det[:, None] + maha)).T


def e_step(x, means, covs, weights, normalise: bool = True, hard: bool = False) -> dict:
    log_joint = np.log(weights)[None, :] + log_gauss(x, means, covs)     # log π_k N(x_i|k)  (n, k)
    m = np.max(log_joint, axis=1, keepdims=True)
    log_px = m[:, 0] + np.log(np.sum(np.exp(log_joint - m), axis=1))    # log p(x_i)        (n,)
    joint = np.exp(log_joint)                                           # π_k N(x_i|k)
    resp = np.exp(log_joint - log_px[:, None])                          # γ_ik
    if hard:
        resp = np.eye(weights.shape[0])[np.argmax(log_joint, axis=1)]
    elif not normalise:
        resp = joint
    return {"density": np.exp(log_joint - np.log(weights)[None, :]), "joint": joint, "resp": resp,
            "log_likelihood": float(np.sum(log_px))}


def m_step(x, resp, means_old, old_mean_var: bool = False) -> dict:
    n, d = x.shape
    nk = resp.sum(axis=0)                                               # N_k   (k,)
    weights = nk / n                                                    # π_k
    means = (resp.T @ x) / nk[:, None]                                  # μ_k   (k, d)
    centre = means_old if old_mean_var else means
    covs = np.empty((means.shape[0], d, d))
    for k in range(means.shape[0]):
        diff = x - centre[k]                                            # (n, d)
        covs[k] = (resp[:, k, None] * diff).T @ diff / nk[k]           # Σ_k
    return {"nk": nk, "weights": weights, "means": means, "covs": covs}


def gmm_em(x, means, covs, weights, iterations, *, normalise=True, hard=False, old_mean_var=False,
           one_d=False) -> dict:
    its = []
    notes = []
    for _ in range(iterations):
        e = e_step(x, means, covs, weights, normalise=normalise, hard=hard)
        if np.any(e["resp"].sum(axis=0) <= 1e-300):
            notes.append("a component received no responsibility; EM stopped")
            break
        m = m_step(x, e["resp"], means, old_mean_var=old_mean_var)
        it = {"log_likelihood": e["log_likelihood"], "resp": e["resp"], "nk": m["nk"],
              "weights": m["weights"], "means": m["means"][:, 0] if one_d else m["means"],
              "covs": m["covs"][:, 0, 0] if one_d else m["covs"]}
        if one_d:
            it["vars"] = it["covs"]
        its.append(it)
        ok = all(np.all(np.linalg.eigvalsh(c) > 1e-12) for c in m["covs"])
        if not ok or not np.all(m["weights"] > 0):
            notes.append("a covariance collapsed to (near) zero: the likelihood is unbounded there; EM stopped")
            break
        means, covs, weights = m["means"], m["covs"], m["weights"]
    final = None
    if not notes:
        final = e_step(x, means, covs, weights)["log_likelihood"]
    lls = [it["log_likelihood"] for it in its] + ([final] if final is not None else [])
    out = {"iterations": its, "weights": weights,
           "means": means[:, 0] if one_d else means, "covs": covs[:, 0, 0] if one_d else covs,
           "log_likelihoods": lls, "final_log_likelihood": final,
           "monotone": bool(np.all(np.diff(lls) >= -1e-9 * (1 + np.abs(lls[:-1])))) if len(lls) > 1 else True,
           "notes": notes}
    if one_d:
        out["vars"] = out["covs"]
    return out


MISTAKES = (
    Mistake("gmm.unnormalised", {
        "en": "You used π_k·N(x | μ_k, σ_k²) itself as the responsibility. Divide by the sum over the components "
              "so that each point's responsibilities add up to 1: γ_ik = π_k N_k(x_i) / Σ_j π_j N_j(x_i).",
        "ko": "π_k·N(x | μ_k, σ_k²) 값을 그대로 책임값(responsibility)으로 썼습니다. 성분 전체의 합으로 나눠서 "
              "각 점의 책임값 합이 1이 되게 해야 합니다: γ_ik = π_k N_k(x_i) / Σ_j π_j N_j(x_i).",
    }),
    Mistake("gmm.var-old-mean", {
        "en": "You computed the new variance around the old mean. In the M-step first update μ_k, then use the new "
              "μ_k: σ_k² = Σ_i γ_ik (x_i − μ_k)² / N_k.",
        "ko": "새 분산을 이전 평균을 기준으로 계산했습니다. M-단계에서는 먼저 μ_k를 갱신하고, 새 μ_k로 "
              "σ_k² = Σ_i γ_ik (x_i − μ_k)² / N_k를 계산합니다.",
    }),
    Mistake("gmm.hard-assignment", {
        "en": "You gave each point wholly to its most likely component (as K-means does). EM keeps the soft "
              "responsibilities γ_ik and every point contributes to every component in proportion.",
        "ko": "각 점을 가장 그럴듯한 성분 하나에 통째로 배정했습니다(K-means처럼). EM은 소프트 책임값 γ_ik를 "
              "그대로 쓰고, 모든 점이 모든 성분에 그 비율만큼 기여합니다.",
    }),
)

MISTAKE_KW = {
    "gmm.unnormalised": {"normalise": False},
    "gmm.var-old-mean": {"old_mean_var": True},
    "gmm.hard-assignment": {"hard": True},
}


def parse(inputs: Mapping[str, Any]) -> dict:
    x = as_array(inputs, "x", ndim=(1, 2))
    one_d = x.ndim == 1
    if one_d:
        x = x[:, None]
    n, d = x.shape
    means = as_array(inputs, "means", ndim=(1, 2))
    if one_d and means.ndim == 1:
        means = means[:, None]
    if means.ndim != 2 or means.shape[1] != d:
        raise InputError("means", f"expected k rows of {d} coordinates (like x)")
    k = means.shape[0]
    if inputs.get("covs") is None and inputs.get("vars") is not None:
        if not one_d and d != 1:
            raise InputError("vars", "vars is for 1-D data; give covs (k×d×d) for d-dimensional x")
        var = as_array(inputs, "vars", shape=(k,))
        if np.any(var <= 0):
            raise InputError("vars", "variances must be > 0")
        covs = var[:, None, None]
    else:
        covs = as_array(inputs, "covs", ndim=(1, 3))
        if covs.ndim == 1:
            if d != 1 or covs.shape[0] != k:
                raise InputError("covs", f"expected {k} variances (1-D) or a {k}×{d}×{d} array")
            covs = covs[:, None, None]
        if covs.shape != (k, d, d):
            raise InputError("covs", f"expected shape {k}×{d}×{d}, got {'×'.join(map(str, covs.shape))}")
        for j in range(k):
            if not np.allclose(covs[j], covs[j].T) or np.any(np.linalg.eigvalsh(covs[j]) <= 0):
                raise InputError("covs", f"covariance {j} must be symmetric positive definite")
    weights = as_array(inputs, "weights", default=np.full(k, 1.0 / k), shape=(k,))
    if np.any(weights <= 0) or not np.isclose(weights.sum(), 1.0, atol=1e-6):
        raise InputError("weights", "mixing weights must be > 0 and sum to 1")
    iterations = as_int(inputs, "iterations", default=10, lo=1, hi=10_000)
    return {"x": x, "means": means, "covs": covs.copy(), "weights": weights / weights.sum(),
            "iterations": iterations, "one_d": one_d}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    args = parse(inputs)
    return gmm_em(**args, **MISTAKE_KW.get(mistake, {}))


ALGORITHM = algorithm(Algorithm(
    name="gmm-em",
    title={"en": "EM for a Gaussian mixture (GMM)", "ko": "가우시안 혼합 모델(GMM)의 EM"},
    run=run,
    limits={"iterations": Int(1, 200)},
    inputs={
        "x": "data: n numbers (1-D) or n×d rows",
        "means": "k starting means (k numbers for 1-D, or k×d)",
        "vars": "1-D: k starting variances σ²",
        "covs": "d-D: k starting covariance matrices (k×d×d)",
        "weights": "k starting mixing weights π_k summing to 1 (default equal)",
        "iterations": "number of EM iterations (default 10)",
    },
    inputs_ko={
        "x": "데이터: 수 n개(1-D) 또는 n×d 행",
        "means": "시작 평균 k개(1-D이면 수 k개, 아니면 k×d)",
        "vars": "1-D: 시작 분산 σ² k개",
        "covs": "d-D: 시작 공분산 행렬 k개(k×d×d)",
        "weights": "합이 1인 시작 혼합 가중치 π_k k개(기본 모두 같음)",
        "iterations": "EM 반복 횟수(기본 10)",
    },
    example={"x": [1.2, 1.9, 2.3, 3.0, 4.8, 5.5, 6.1, 7.4], "means": [3.0, 4.0], "vars": [1.0, 1.0],
             "weights": [0.5, 0.5], "iterations": 8},
    mistakes=MISTAKES,
    summary=("weights", "means", "vars", "covs", "final_log_likelihood"),
))
