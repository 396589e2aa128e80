"""Entropy, cross-entropy and KL divergence of discrete distributions.

    H(P)     = −Σ_i p_i log p_i                 (0·log 0 = 0)
    H(P, Q)  = −Σ_i p_i log q_i
    KL(P‖Q)  =  Σ_i p_i log(p_i / q_i) = H(P, Q) − H(P)   ≥ 0, and 0 only when P = Q
    KL(Q‖P)  =  Σ_i q_i log(q_i / p_i)          (KL is not symmetric)

log is to ``base`` 2 (bits), e (nats, the default) or 10 (hartleys). Where q_i = 0 < p_i,
H(P, Q) and KL(P‖Q) are infinite (reported as "inf").
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Mistake, as_array
from engine.registry import algorithm

UNITS = {2.0: "bits", math.e: "nats", 10.0: "hartleys"}


def read_distribution(inputs: Mapping[str, Any], key: str, n: int | None = None) -> np.ndarray:
    p = as_array(inputs, key, ndim=1)
    if n is not None and p.shape[0] != n:
        raise InputError(key, f"expected {n} probabilities (as many as p), got {p.shape[0]}")
    if np.any(p < 0):
        raise InputError(key, "probabilities must be ≥ 0")
    total = float(np.sum(p))
    if abs(total - 1.0) > 1e-6:
        raise InputError(key, f"probabilities must sum to 1 (they sum to {total:.6g})")
    return p


def read_base(inputs: Mapping[str, Any]) -> float:
    raw = inputs.get("base", "e")
    if isinstance(raw, str) and raw.strip().lower() in ("e", "ln", "nat", "nats"):
        return math.e
    if isinstance(raw, str):
        raw = raw.strip()
        if raw in ("2", "10"):
            return float(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if raw in (2, 10):
            return float(raw)
        if abs(raw - math.e) < 1e-9:
            return math.e
    raise InputError("base", "must be 2, e or 10")


def plogq(p: np.ndarray, q: np.ndarray, log) -> np.ndarray:
    """Terms p_i·log q_i with 0·log(anything) = 0 and p > 0 = q giving −inf."""
    with np.errstate(divide="ignore"):
        return np.where(p > 0, p * log(np.where(p > 0, q, 1.0)), 0.0)


def information(p: np.ndarray, q: np.ndarray | None, base: float, *, mistake: str | None = None) -> dict:
    log_base = base
    if mistake == "information.log-base":      # natural log when bits/hartleys were asked, log₂ when nats
        log_base = 2.0 if base == math.e else math.e
    ln_b = math.log(log_base)

    def log(v):
        return np.log(v) / ln_b

    sign = 1.0 if mistake == "information.no-minus" else -1.0
    entropy_terms = sign * plogq(p, p, log)                       # (k,) −p_i log p_i
    out: dict = {"p": p, "base": "e" if base == math.e else int(base), "unit": UNITS[base],
                 "entropy_terms": entropy_terms, "entropy": float(np.sum(entropy_terms))}
    if q is None:
        return out
    ce_terms = sign * plogq(p, q, log)                             # (k,) −p_i log q_i
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_pq_terms = plogq(p, p, log) - plogq(p, q, log)          # (k,) p_i log(p_i/q_i)
        kl_qp_terms = plogq(q, q, log) - plogq(q, p, log)          # (k,) q_i log(q_i/p_i)
    kl_pq, kl_qp = float(np.sum(kl_pq_terms)), float(np.sum(kl_qp_terms))
    if mistake == "information.kl-swapped":
        kl_pq, kl_qp = kl_qp, kl_pq
        kl_pq_terms, kl_qp_terms = kl_qp_terms, kl_pq_terms
    cross = float(np.sum(ce_terms))
    if mistake == "information.kl-as-cross-entropy":
        kl_pq = cross
    out.update(q=q, entropy_q=float(sign * np.sum(plogq(q, q, log))),
               cross_entropy_terms=ce_terms, cross_entropy=cross,
               kl_pq_terms=kl_pq_terms, kl_pq=kl_pq, kl_qp_terms=kl_qp_terms, kl_qp=kl_qp)
    return out


MISTAKES = (
    Mistake("information.kl-swapped", {
        "en": "You computed KL(Q‖P) instead of KL(P‖Q). KL is not symmetric: KL(P‖Q) = Σ p_i log(p_i/q_i) "
              "weights the log-ratios by P.",
        "ko": "KL(P‖Q) 대신 KL(Q‖P)를 계산했습니다. KL 발산은 대칭이 아닙니다: KL(P‖Q) = Σ p_i log(p_i/q_i)"
              "는 P로 가중합을 합니다.",
    }),
    Mistake("information.log-base", {
        "en": "You used the wrong logarithm: bits need log₂, nats the natural log ln. Changing the base "
              "rescales the answer by a constant (1 nat = 1/ln 2 ≈ 1.443 bits).",
        "ko": "로그의 밑을 잘못 썼습니다: 비트(bits)는 log₂, 내트(nats)는 자연로그 ln입니다. 밑을 바꾸면 값이 "
              "상수배만큼 달라집니다(1 nat = 1/ln 2 ≈ 1.443 bits).",
    }),
    Mistake("information.no-minus", {
        "en": "You left out the minus sign: Σ p log p is negative (log p ≤ 0), so H(P) = −Σ p log p ≥ 0.",
        "ko": "마이너스 부호를 빠뜨렸습니다: log p ≤ 0이므로 Σ p log p는 음수이고, H(P) = −Σ p log p ≥ 0입니다.",
    }),
    Mistake("information.kl-as-cross-entropy", {
        "en": "You gave the cross-entropy H(P, Q) as the KL divergence. Subtract the entropy: "
              "KL(P‖Q) = H(P, Q) − H(P).",
        "ko": "크로스 엔트로피 H(P, Q)를 KL 발산으로 썼습니다. 엔트로피를 빼야 합니다: KL(P‖Q) = H(P, Q) − H(P).",
    }),
)



def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    p = read_distribution(inputs, "p")
    q = read_distribution(inputs, "q", p.shape[0]) if inputs.get("q") is not None else None
    return information(p, q, read_base(inputs), mistake=mistake)


ALGORITHM = algorithm(Algorithm(
    name="information",
    title={"en": "Entropy, cross-entropy and KL divergence", "ko": "엔트로피, 크로스 엔트로피, KL 발산"},
    run=run,
    inputs={
        "p": "the true distribution P: probabilities ≥ 0 summing to 1",
        "q": "optional: the model distribution Q (same length)",
        "base": "logarithm base: 2 (bits), \"e\" (nats, default) or 10",
    },
    inputs_ko={
        "p": "참 분포 P: 합이 1인 0 이상의 확률들",
        "q": "선택: 모델 분포 Q(길이가 같음)",
        "base": "로그의 밑: 2(비트), \"e\"(nats, 기본) 또는 10",
    },
    example={"p": [0.5, 0.25, 0.25], "q": [0.25, 0.5, 0.25], "base": 2},
    mistakes=MISTAKES,
    summary=("entropy", "cross_entropy", "kl_pq", "kl_qp"),
))
