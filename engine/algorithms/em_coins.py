"""EM for the two-coin example (Do & Batzoglou, Nature Biotechnology 26, 2008).

Each round is a string of H/T flips made with one of two coins, A or B, chosen with equal
probability; which coin was used is the latent variable. With heads h_i and tails t_i:

    E-step:  L_A,i = θ_A^h_i (1−θ_A)^t_i,   L_B,i = θ_B^h_i (1−θ_B)^t_i
             P(A | round i) = L_A,i / (L_A,i + L_B,i)                 (resp_a)
             expected heads for A:  H_A = Σ_i P(A|i)·h_i,  tails T_A = Σ_i P(A|i)·t_i  (same for B)
    M-step:  θ_A ← H_A / (H_A + T_A),   θ_B ← H_B / (H_B + T_B)

With known coin labels (complete data) the MLE is just counting: θ_A = heads_A / flips_A.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Int, Mistake, as_float, as_int
from engine.registry import algorithm


def parse_rounds(raw: Any, key: str = "rounds") -> list[str]:
    if not isinstance(raw, (list, tuple)) or not raw:
        raise InputError(key, "expected a non-empty list of strings of H and T, e.g. [\"HTTH\", \"HHHT\"]")
    out = []
    for i, r in enumerate(raw):
        if not isinstance(r, str):
            raise InputError(f"{key}[{i}]", "expected a string of H and T")
        s = r.strip().upper().replace(" ", "")
        if not s:
            raise InputError(f"{key}[{i}]", "empty round")
        bad = sorted(set(s) - {"H", "T"})
        if bad:
            raise InputError(f"{key}[{i}]", f"unknown character {bad[0]!r} (use H and T)")
        out.append(s)
    return out


def counts(rounds: list[str]) -> tuple[np.ndarray, np.ndarray]:
    heads = np.array([r.count("H") for r in rounds], dtype=float)  # (rounds,) heads in each round
    tails = np.array([r.count("T") for r in rounds], dtype=float)  # (rounds,)
    return heads, tails


def e_step(heads: np.ndarray, tails: np.ndarray, theta_a: float, theta_b: float) -> dict:
    """Likelihood of each round under each coin and the responsibilities P(A | round)."""
    # log-space so that long rounds do not underflow; θ of 0 or 1 (reachable through a
    # mistake variant) gives log 0 = −∞, which is the right likelihood
    with np.errstate(divide="ignore", invalid="ignore"):
        return _e_step(heads, tails, theta_a, theta_b)


def _xlogy(k: np.ndarray, p: float) -> np.ndarray:
    """k·log p with the convention 0·log 0 = 0 (a coin with θ = 1 can still explain 0 tails)."""
    return np.where(k > 0, k * np.log(p), 0.0)


def _e_step(heads, tails, theta_a, theta_b):
    log_la = _xlogy(heads, theta_a) + _xlogy(tails, 1.0 - theta_a)  # (rounds,) log P(round | A)
    log_lb = _xlogy(heads, theta_b) + _xlogy(tails, 1.0 - theta_b)  # (rounds,) log P(round | B)
    m = np.maximum(log_la, log_lb)                            # (rounds,)
    resp_a = np.exp(log_la - m) / (np.exp(log_la - m) + np.exp(log_lb - m))  # (rounds,) P(A | round)
    resp_b = 1.0 - resp_a                                     # (rounds,)
    # log-likelihood of the data under the mixture with equal priors 1/2
    loglik = float(np.sum(m + np.log(0.5 * np.exp(log_la - m) + 0.5 * np.exp(log_lb - m))))
    return {"lik_a": np.exp(log_la), "lik_b": np.exp(log_lb), "resp_a": resp_a, "resp_b": resp_b,
            "log_likelihood": loglik}


def m_step(heads: np.ndarray, tails: np.ndarray, resp_a: np.ndarray, resp_b: np.ndarray) -> dict:
    heads_a, tails_a = float(resp_a @ heads), float(resp_a @ tails)  # (rounds,)·(r,) -> scalars
    heads_b, tails_b = float(resp_b @ heads), float(resp_b @ tails)  # (rounds,)·(r,) -> scalars
    return {"heads_a": heads_a, "tails_a": tails_a, "heads_b": heads_b, "tails_b": tails_b,
            "theta_a": _ratio(heads_a, tails_a), "theta_b": _ratio(heads_b, tails_b)}


def _ratio(h: float, t: float) -> float:
    return h / (h + t) if h + t > 0 else float("nan")


def em_coins(rounds: list[str], theta_a: float, theta_b: float, iterations: int,
             *, e_step_fn=e_step, m_step_fn=m_step) -> dict:
    heads, tails = counts(rounds)
    its = []
    ta, tb = theta_a, theta_b
    for _ in range(iterations):
        e = e_step_fn(heads, tails, ta, tb)
        m = m_step_fn(heads, tails, e["resp_a"], e["resp_b"])
        its.append({"theta_a_before": ta, "theta_b_before": tb, **e, **m})
        ta, tb = m["theta_a"], m["theta_b"]
    return {"heads": heads, "tails": tails, "theta_a": ta, "theta_b": tb, "iterations": its}


def complete_data_mle(rounds: list[str], labels: list[str]) -> dict:
    heads, tails = counts(rounds)
    is_a = np.array([lab == "A" for lab in labels])           # (rounds,) bool
    ha, ta = float(heads[is_a].sum()), float(tails[is_a].sum())
    hb, tb = float(heads[~is_a].sum()), float(tails[~is_a].sum())
    return {"heads": heads, "tails": tails, "labels": labels,
            "heads_a": ha, "tails_a": ta, "heads_b": hb, "tails_b": tb,
            "theta_a": _ratio(ha, ta), "theta_b": _ratio(hb, tb), "iterations": []}


# ----------------------------------------------------------------------------- mistakes


def _e_unnormalised(heads, tails, theta_a, theta_b):
    e = e_step(heads, tails, theta_a, theta_b)
    return {**e, "resp_a": e["lik_a"], "resp_b": e["lik_b"]}


def _e_hard(heads, tails, theta_a, theta_b):
    e = e_step(heads, tails, theta_a, theta_b)
    hard = (e["resp_a"] >= 0.5).astype(float)
    return {**e, "resp_a": hard, "resp_b": 1.0 - hard}


def _e_swapped(heads, tails, theta_a, theta_b):
    e = e_step(heads, tails, theta_a, theta_b)
    return {**e, "resp_a": e["resp_b"], "resp_b": e["resp_a"]}


def _m_over_all_flips(heads, tails, resp_a, resp_b):
    m = m_step(heads, tails, resp_a, resp_b)
    total = float(np.sum(heads + tails))
    return {**m, "theta_a": m["heads_a"] / total, "theta_b": m["heads_b"] / total}


MISTAKES = (
    Mistake("em.unnormalised", {
        "en": "You used the likelihoods θ^h(1−θ)^t themselves as weights. Responsibilities must be "
              "normalised: P(A|round) = L_A / (L_A + L_B).",
        "ko": "가능도 θ^h(1−θ)^t를 그대로 가중치로 썼습니다. 책임값은 정규화해야 합니다: "
              "P(A | 라운드) = L_A / (L_A + L_B).",
    }),
    Mistake("em.hard-assignment", {
        "en": "You gave each round wholly to the more likely coin (hard assignment). EM splits each "
              "round by its probabilities P(A|round) and P(B|round).",
        "ko": "각 라운드를 더 그럴듯한 동전에 통째로 배정했습니다(하드 할당). EM은 각 라운드를 확률 "
              "P(A | 라운드), P(B | 라운드) 비율로 나눠 셉니다.",
    }),
    Mistake("em.swapped-coins", {
        "en": "You swapped the coins: the value you gave is P(B|round), not P(A|round).",
        "ko": "동전을 바꿔 썼습니다: 입력한 값은 P(A | 라운드)가 아니라 P(B | 라운드)입니다.",
    }),
    Mistake("em.m-step-all-flips", {
        "en": "In the M-step you divided coin A's expected heads by all flips of all rounds. Divide by "
              "coin A's expected flips: θ_A = H_A / (H_A + T_A).",
        "ko": "M-단계에서 동전 A의 기대 앞면 수를 전체 던진 횟수로 나눴습니다. A의 기대 던짐 수로 나눠야 "
              "합니다: θ_A = H_A / (H_A + T_A).",
    }),
)

MISTAKE_STEPS = {
    "em.unnormalised": {"e_step_fn": _e_unnormalised},
    "em.hard-assignment": {"e_step_fn": _e_hard},
    "em.swapped-coins": {"e_step_fn": _e_swapped},
    "em.m-step-all-flips": {"m_step_fn": _m_over_all_flips},
}


def parse(inputs: Mapping[str, Any]) -> dict:
    rounds = parse_rounds(inputs.get("rounds"))
    labels = inputs.get("labels")
    if labels is not None:
        if not isinstance(labels, (list, tuple)) or len(labels) != len(rounds):
            raise InputError("labels", f"expected a list of {len(rounds)} coin labels \"A\"/\"B\"")
        labels = [str(x).strip().upper() for x in labels]
        if any(lab not in ("A", "B") for lab in labels):
            raise InputError("labels", "each label must be \"A\" or \"B\"")
        return {"rounds": rounds, "labels": labels}
    ta = as_float(inputs, "theta_a", lo=0, hi=1, open_lo=True, open_hi=True)
    tb = as_float(inputs, "theta_b", lo=0, hi=1, open_lo=True, open_hi=True)
    n = as_int(inputs, "iterations", default=10, lo=1, hi=10_000)
    return {"rounds": rounds, "theta_a": ta, "theta_b": tb, "iterations": n}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    args = parse(inputs)
    if "labels" in args:
        return complete_data_mle(args["rounds"], args["labels"])
    return em_coins(**args, **(MISTAKE_STEPS[mistake] if mistake else {}))


DB_ROUNDS = ["HTTTHHTHTH", "HHHHTHHHHH", "HTHHHHHTHH", "HTHTTTHHTT", "THHHTHHHTH"]

ALGORITHM = algorithm(Algorithm(
    name="em-coins",
    title={"en": "EM for two coins", "ko": "두 동전 EM"},
    run=run,
    limits={"iterations": Int(1, 1000)},
    inputs={
        "rounds": "list of rounds, each a string of H/T flips, e.g. [\"HTTTHHTHTH\", ...]",
        "theta_a": "starting P(heads) of coin A, in (0, 1)",
        "theta_b": "starting P(heads) of coin B, in (0, 1)",
        "iterations": "number of EM iterations (default 10)",
        "labels": "optional: the coin (\"A\"/\"B\") of each round; then the complete-data MLE is computed",
    },
    inputs_ko={
        "rounds": "라운드 리스트, 각 라운드는 H/T 던지기 결과의 문자열, 예: [\"HTTTHHTHTH\", ...]",
        "theta_a": "동전 A의 앞면 확률 P(heads)의 시작값, (0, 1) 사이",
        "theta_b": "동전 B의 앞면 확률 P(heads)의 시작값, (0, 1) 사이",
        "iterations": "EM 반복 횟수(기본 10)",
        "labels": "선택: 각 라운드의 동전(\"A\"/\"B\"); 주면 완전한 데이터의 MLE를 계산",
    },
    example={"rounds": DB_ROUNDS, "theta_a": 0.6, "theta_b": 0.5, "iterations": 10},
    mistakes=MISTAKES,
    summary=("theta_a", "theta_b"),
))
