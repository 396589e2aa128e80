"""Rosenblatt's single perceptron on two binary inputs: logic gates and the learning rule.

    net = w·x + b,    y = step(net) = 1 if net > 0 else 0      (the notes: x₁ − x₂ − 0.5 > 0 → 1)

Learning rule (one sample at a time, in the order 00, 01, 10, 11, from w = 0, b = 0 unless
given):

    y = step(w·x + b);   w ← w + lr·(t − y)·x;   b ← b + lr·(t − y)

It stops after the first epoch without an error (converged). A single perceptron draws one
straight line w₁x₁ + w₂x₂ + b = 0, so it can only realise linearly separable gates: AND, OR,
NAND, NOR (and 10 more of the 16 two-input Boolean functions) but not XOR or XNOR.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Mistake, as_array, as_choice, as_float, as_int
from engine.registry import algorithm

INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)   # (4×2) truth-table rows
GATES = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
    "xnor": (1, 0, 0, 1),
}
XOR_REASON = {
    "en": "Not linearly separable: (0,1) and (1,0) need w₂ + b > 0 and w₁ + b > 0, so w₁ + w₂ + 2b > 0; "
          "(0,0) and (1,1) need b ≤ 0 and w₁ + w₂ + b ≤ 0, so w₁ + w₂ + 2b ≤ 0. No single line does both: "
          "XOR needs a second layer (e.g. XOR = AND(NAND, OR)).",
    "ko": "선형 분리가 불가능합니다: (0,1), (1,0)이 1이 되려면 w₂ + b > 0, w₁ + b > 0이어서 w₁ + w₂ + 2b > 0이고, "
          "(0,0), (1,1)이 0이 되려면 b ≤ 0, w₁ + w₂ + b ≤ 0이어서 w₁ + w₂ + 2b ≤ 0입니다. 두 조건을 동시에 "
          "만족하는 직선은 없으므로 XOR에는 층이 하나 더 필요합니다(예: XOR = AND(NAND, OR)).",
}
XNOR_REASON = {
    "en": "Not linearly separable: the same argument as for XOR with the classes swapped.",
    "ko": "선형 분리가 불가능합니다: XOR과 같은 논리에서 두 클래스를 바꾼 경우입니다.",
}


def separable(targets: tuple[int, ...]) -> tuple[bool, dict]:
    """Of the 16 Boolean functions of two inputs only XOR and XNOR are not threshold functions."""
    if tuple(targets) == GATES["xor"]:
        return False, XOR_REASON
    if tuple(targets) == GATES["xnor"]:
        return False, XNOR_REASON
    return True, {"en": "Linearly separable: one line w₁x₁ + w₂x₂ + b = 0 splits the 1s from the 0s.",
                  "ko": "선형 분리 가능: 직선 w₁x₁ + w₂x₂ + b = 0 하나로 1과 0을 나눌 수 있습니다."}


def predict(w: np.ndarray, b: float, x: np.ndarray, *, inclusive: bool = False, use_bias: bool = True):
    # rounded so that sums of decimals like 0.1 + 0.2 − 0.3 count as exactly 0 at the threshold
    net = np.round(x @ w + (b if use_bias else 0.0), 12)      # (m,) from x (m, 2), w (2,)
    return net, ((net >= 0) if inclusive else (net > 0)).astype(int)


def train(targets: np.ndarray, w0: np.ndarray, b0: float, lr: float, epochs: int, *, sign: float = 1.0,
          update_bias: bool = True, inclusive: bool = False) -> dict:
    w, b = w0.astype(float).copy(), float(b0)
    trace = []
    converged = False
    epochs_run = 0
    for epoch in range(1, epochs + 1):
        errors = 0
        for x, t in zip(INPUTS, targets):
            net, y = predict(w, b, x[None, :], inclusive=inclusive)
            net, y = float(net[0]), int(y[0])
            err = int(t) - y
            if err:
                errors += 1
                w = np.round(w + sign * lr * err * x, 12)         # (2,) w ← w + lr·(t − y)·x
                if update_bias:
                    b = round(b + sign * lr * err, 12)            # b ← b + lr·(t − y)
            trace.append({"epoch": epoch, "x": x.astype(int).tolist(), "target": int(t), "net": net,
                          "output": y, "error": err, "w": w.copy(), "b": b})
        epochs_run = epoch
        if errors == 0:
            converged = True
            break
    return {"w": w, "b": b, "trace": trace, "converged": converged, "epochs_run": epochs_run}


MISTAKES = (
    Mistake("perceptron.update-sign", {
        "en": "You moved the weights the wrong way: the rule is w ← w + lr·(t − y)·x (a missed 1 raises "
              "w·x + b, a false 1 lowers it).",
        "ko": "가중치를 반대 방향으로 움직였습니다: 규칙은 w ← w + lr·(t − y)·x입니다(1을 놓치면 w·x + b를 "
              "올리고, 잘못 1을 내면 내립니다).",
    }),
    Mistake("perceptron.no-bias-update", {
        "en": "You did not update the bias. The bias is the weight of a constant input 1: b ← b + lr·(t − y).",
        "ko": "편향(bias)을 갱신하지 않았습니다. 편향은 항상 1인 입력의 가중치이므로 b ← b + lr·(t − y)로 "
              "갱신해야 합니다.",
    }),
    Mistake("perceptron.no-bias", {
        "en": "You left out the bias b in the net input: net = w₁x₁ + w₂x₂ + b.",
        "ko": "순입력(net)에서 편향 b를 빠뜨렸습니다: net = w₁x₁ + w₂x₂ + b입니다.",
    }),
    Mistake("perceptron.threshold-inclusive", {
        "en": "You output 1 for net = 0. Here the threshold is strict, as in the notes: y = 1 only if net > 0.",
        "ko": "net = 0일 때 1을 출력했습니다. 여기서는 노트와 같이 net > 0일 때만 1입니다.",
    }),
)



def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    gate = inputs.get("gate")
    if gate is not None:
        gate = as_choice({"gate": gate.strip().lower() if isinstance(gate, str) else gate}, "gate", tuple(GATES))
    has_w = inputs.get("w") is not None
    w = as_array(inputs, "w", shape=(2,)) if has_w else np.zeros(2)
    b = as_float(inputs, "b", default=0.0)
    if inputs.get("b") is not None and not has_w:
        raise InputError("w", "missing (b was given without w)")
    if gate is None and not has_w:
        raise InputError("gate", "give a gate (and, or, nand, nor, xor, xnor) or weights w and b")
    train_it = gate is not None and (inputs.get("epochs") is not None or not has_w)
    if inputs.get("epochs") is not None and gate is None:
        raise InputError("gate", "training needs a gate to learn")
    epochs = as_int(inputs, "epochs", default=20, lo=1, hi=1000)
    lr = as_float(inputs, "lr", default=0.1, lo=0.0, open_lo=True)
    inclusive = mistake == "perceptron.threshold-inclusive"
    out: dict = {"gate": gate}
    if train_it:
        tr = train(np.array(GATES[gate]), w, b, lr, epochs,
                   sign=-1.0 if mistake == "perceptron.update-sign" else 1.0,
                   update_bias=mistake != "perceptron.no-bias-update", inclusive=inclusive)
        out.update(w0=w, b0=b, lr=lr, epochs=epochs, trace=tr["trace"], converged=tr["converged"],
                   epochs_run=tr["epochs_run"])
        w, b = tr["w"], tr["b"]
    net, y = predict(w, b, INPUTS, inclusive=inclusive, use_bias=mistake != "perceptron.no-bias")
    targets = GATES[gate] if gate else (None,) * 4
    out.update(w=w, b=b, net=net, output=y, table=[
        {"inputs": INPUTS[i].astype(int).tolist(), "target": targets[i], "net": float(net[i]), "output": int(y[i])}
        for i in range(4)])
    out["computes"] = next((name for name, tab in GATES.items() if tuple(int(v) for v in y) == tab), None)
    if gate:
        ok, reason = separable(GATES[gate])
        out.update(separable=ok, reason=reason["en"], reason_ko=reason["ko"],
                   realises_gate=bool(np.all(y == np.array(GATES[gate]))))
    return out


ALGORITHM = algorithm(Algorithm(
    name="perceptron",
    title={"en": "Perceptron: logic gates and the learning rule", "ko": "퍼셉트론: 논리 게이트와 학습 규칙"},
    run=run,
    inputs={
        "gate": "optional: and, or, nand, nor, xor or xnor (the targets of the truth table)",
        "w": "optional: the two weights [w₁, w₂] (without a gate: just evaluate the truth table)",
        "b": "optional: the bias (default 0)",
        "epochs": "optional: train with the perceptron rule for at most this many epochs "
                  "(default 20 when a gate is given without w)",
        "lr": "learning rate of the perceptron rule (default 0.1)",
    },
    inputs_ko={
        "gate": "선택: and, or, nand, nor, xor 또는 xnor(진리표의 목표값)",
        "w": "선택: 두 가중치 [w₁, w₂](gate 없이 주면 진리표만 계산)",
        "b": "선택: 편향(기본 0)",
        "epochs": "선택: 퍼셉트론 학습 규칙으로 최대 이 에포크 수만큼 학습 "
                  "(w 없이 gate만 주면 기본 20)",
        "lr": "퍼셉트론 학습 규칙의 학습률(기본 0.1)",
    },
    example={"gate": "and", "epochs": 10, "lr": 0.1},
    mistakes=MISTAKES,
    summary=("table", "separable", "converged"),
))
