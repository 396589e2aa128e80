"""A one-hidden-layer perceptron (MLP) with sigmoid units: forward pass and backpropagation.

Shapes: x (d), w_hidden (p×d; row j = the weights into hidden node j), b_hidden (p),
w_out (m×p; row k = the weights into output node k), b_out (m), t (m).

    net_hidden = w_hidden·x + b_hidden          h = σ(net_hidden)                 (p)
    net_out    = w_out·h + b_out                o = σ(net_out)                    (m)
    E = ½ Σ_k (t_k − o_k)²

Sign convention (the one PyTorch's autograd uses): a delta is the derivative of E with
respect to a node's net input, so it points uphill, and the update subtracts it.

    delta_out    = ∂E/∂net_out    = (o − t) ⊙ o(1 − o)                           (m)
    delta_hidden = ∂E/∂net_hidden = h(1 − h) ⊙ (w_outᵀ · delta_out)              (p)
                   (the sum over all outputs k, with w_out BEFORE its update)
    grad_w_out    = delta_out · hᵀ   (m×p)      grad_b_out    = delta_out
    grad_w_hidden = delta_hidden · xᵀ (p×d)     grad_b_hidden = delta_hidden
    w_new = w − lr · grad            (every weight and bias, all computed from the old weights)

The study notes write the same rule with the opposite sign, Δw_kj = α(t_k − o_k)o_k(1 − o_k)h_j,
added to w: identical updated weights.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake, sigmoid
from engine.core import Algorithm, InputError, Mistake, as_array, as_float
from engine.registry import algorithm


def forward(x, w_hidden, b_hidden, w_out, b_out, *, act=sigmoid, use_bias=True) -> dict:
    net_hidden = w_hidden @ x + (b_hidden if use_bias else 0.0)   # (p)
    h = act(net_hidden)                                             # (p)
    net_out = w_out @ h + (b_out if use_bias else 0.0)              # (m)
    o = act(net_out)                                                # (m)
    return {"net_hidden": net_hidden, "h": h, "net_out": net_out, "o": o}


def backward(x, w_hidden, w_out, h, o, t, *, out_deriv=True, hidden_deriv=True, delta_sign=1.0,
             sum_outputs=True, w_out_for_hidden=None) -> dict:
    error = o - t                                                           # (m) ∂E/∂o
    delta_out = delta_sign * error * (o * (1.0 - o) if out_deriv else 1.0)  # (m)
    w_back = w_out if w_out_for_hidden is None else w_out_for_hidden        # (m×p)
    if sum_outputs:
        back = w_back.T @ delta_out                                         # (p) Σ_k w_kj δ_k
    else:
        back = w_back[0] * delta_out[0]                                     # only output k = 1
    delta_hidden = back * (h * (1.0 - h) if hidden_deriv else 1.0)          # (p)
    return {
        "loss": 0.5 * float(np.sum((t - o) ** 2)),
        "error": error,
        "delta_out": delta_out,
        "delta_hidden": delta_hidden,
        "grad_w_out": np.outer(delta_out, h),        # (m×p)
        "grad_b_out": delta_out.copy(),              # (m)
        "grad_w_hidden": np.outer(delta_hidden, x),  # (p×d)
        "grad_b_hidden": delta_hidden.copy(),        # (p)
    }


def update(params: dict, grads: dict, lr: float, *, sign: float = -1.0) -> dict:
    """w_new = w − lr·grad (sign = +1 is the sign-error mistake)."""
    return {f"{k}_new": params[k] + sign * lr * grads[f"grad_{k}"]
            for k in ("w_hidden", "b_hidden", "w_out", "b_out")}


def mlp(x, w_hidden, b_hidden, w_out, b_out, t=None, lr=None, *, mistake: str | None = None) -> dict:
    fw_kw: dict = {}
    bw_kw: dict = {}
    up_sign = -1.0
    if mistake == "mlp.no-bias":
        fw_kw["use_bias"] = False
    elif mistake == "mlp.exp-sign-flipped":
        fw_kw["act"] = lambda z: sigmoid(-z)
    elif mistake == "mlp.missing-sigmoid-derivative":
        bw_kw.update(out_deriv=False, hidden_deriv=False)
    elif mistake == "mlp.missing-hidden-derivative":
        bw_kw["hidden_deriv"] = False
    elif mistake == "mlp.delta-sign-flipped":
        bw_kw["delta_sign"] = -1.0
    elif mistake == "mlp.delta-hidden-no-sum":
        bw_kw["sum_outputs"] = False
    elif mistake == "mlp.update-sign-error":
        up_sign = 1.0
    out = {"x": x, "w_hidden": w_hidden, "b_hidden": b_hidden, "w_out": w_out, "b_out": b_out}
    out.update(forward(x, w_hidden, b_hidden, w_out, b_out, **fw_kw))
    if t is None:
        return out
    out["t"] = t
    if mistake == "mlp.updated-w-out-in-delta-hidden" and lr is not None:
        # the learner first updates w_out, then backpropagates through the NEW w_out
        right = backward(x, w_hidden, w_out, out["h"], out["o"], t)
        bw_kw["w_out_for_hidden"] = w_out - lr * right["grad_w_out"]
    out.update(backward(x, w_hidden, w_out, out["h"], out["o"], t, **bw_kw))
    if lr is not None:
        out["lr"] = lr
        params = {"w_hidden": w_hidden, "b_hidden": b_hidden, "w_out": w_out, "b_out": b_out}
        out.update(update(params, out, lr, sign=up_sign))
    return out


MISTAKES = (
    Mistake("mlp.missing-sigmoid-derivative", {
        "en": "You left out the sigmoid's derivative σ′ = o(1 − o) (and h(1 − h) in the hidden layer). "
              "The chain rule passes through every sigmoid: delta_out = (o − t)·o(1 − o).",
        "ko": "시그모이드의 미분 σ′ = o(1 − o)(은닉층에서는 h(1 − h))를 빠뜨렸습니다. 연쇄법칙(chain rule)은 "
              "모든 시그모이드를 거쳐 가므로 delta_out = (o − t)·o(1 − o)입니다.",
    }),
    Mistake("mlp.missing-hidden-derivative", {
        "en": "In the hidden layer you forgot the factor h(1 − h): delta_hidden = h(1 − h)·Σ_k w_kj·delta_out_k.",
        "ko": "은닉층에서 h(1 − h) 항을 빠뜨렸습니다: delta_hidden = h(1 − h)·Σ_k w_kj·delta_out_k입니다.",
    }),
    Mistake("mlp.delta-sign-flipped", {
        "en": "Your delta has the opposite sign: here delta = ∂E/∂net = (o − t)·o(1 − o), which is "
              "(t − o)·o(1 − o) with the sign flipped. Both conventions work, but the sign must match the "
              "update rule w_new = w − lr·grad.",
        "ko": "delta의 부호가 반대입니다: 여기서는 delta = ∂E/∂net = (o − t)·o(1 − o)로 정의했고, "
              "(t − o)·o(1 − o)와는 부호가 반대입니다. 어느 쪽 관례든 쓸 수 있지만 갱신식 "
              "w_new = w − lr·grad와 부호가 맞아야 합니다.",
    }),
    Mistake("mlp.update-sign-error", {
        "en": "You added the gradient: w + lr·grad climbs the error surface. Gradient descent subtracts: "
              "w_new = w − lr·grad.",
        "ko": "기울기를 더했습니다: w + lr·grad는 오차를 키우는 방향입니다. 경사하강법은 빼야 합니다: "
              "w_new = w − lr·grad.",
    }),
    Mistake("mlp.delta-hidden-no-sum", {
        "en": "A hidden node feeds every output, so its delta sums over all of them: "
              "delta_hidden_j = h_j(1 − h_j)·Σ_k w_kj·delta_out_k. You used only the first output "
              "(with a single output node this is not a mistake).",
        "ko": "은닉 노드는 모든 출력 노드에 연결되므로 delta는 모든 출력에 대해 합해야 합니다: "
              "delta_hidden_j = h_j(1 − h_j)·Σ_k w_kj·delta_out_k. 첫 번째 출력만 썼습니다"
              "(출력 노드가 하나뿐이면 차이가 없습니다).",
    }),
    Mistake("mlp.updated-w-out-in-delta-hidden", {
        "en": "You backpropagated through the already-updated output weights. All gradients come from the "
              "same forward pass, so delta_hidden uses w_out before the update.",
        "ko": "이미 갱신된 출력층 가중치로 역전파했습니다. 모든 기울기는 같은 순전파 결과에서 계산하므로 "
              "delta_hidden에는 갱신 전의 w_out을 써야 합니다.",
    }),
    Mistake("mlp.no-bias", {
        "en": "You left out the bias terms (the weights on the constant input 1): net = w·x + b.",
        "ko": "편향(bias, 입력 1에 곱해지는 가중치)을 빠뜨렸습니다: net = w·x + b입니다.",
    }),
    Mistake("mlp.exp-sign-flipped", {
        "en": "You computed 1/(1 + e^net) instead of 1/(1 + e^−net): that is 1 − σ(net).",
        "ko": "1/(1 + e^−net) 대신 1/(1 + e^net)을 계산했습니다: 그 값은 1 − σ(net)입니다.",
    }),
)



def parse(inputs: Mapping[str, Any]) -> dict:
    x = as_array(inputs, "x", ndim=1)
    d = x.shape[0]
    w_hidden = as_array(inputs, "w_hidden", ndim=2)
    if w_hidden.shape[1] != d:
        raise InputError("w_hidden", f"expected p×{d} (one row of {d} weights per hidden node), "
                                     f"got {w_hidden.shape[0]}×{w_hidden.shape[1]}")
    p = w_hidden.shape[0]
    b_hidden = as_array(inputs, "b_hidden", shape=(p,), default=np.zeros(p))
    w_out = as_array(inputs, "w_out", ndim=(1, 2))
    if w_out.ndim == 1:            # a single output node may be given as a flat list
        w_out = w_out[None, :]
    if w_out.shape[1] != p:
        raise InputError("w_out", f"expected m×{p} (one row of {p} weights per output node), "
                                  f"got {w_out.shape[0]}×{w_out.shape[1]}")
    m = w_out.shape[0]
    b_out = as_array(inputs, "b_out", shape=(m,), default=np.zeros(m))
    t = None
    if inputs.get("t") is not None:
        t = as_array(inputs, "t", ndim=(0, 1)).reshape(-1)
        if t.shape != (m,):
            raise InputError("t", f"expected {m} target value(s), got {t.size}")
    lr = None
    if inputs.get("lr") is not None:
        if t is None:
            raise InputError("lr", "a learning rate needs targets t")
        lr = as_float(inputs, "lr", lo=0.0, open_lo=True)
    return {"x": x, "w_hidden": w_hidden, "b_hidden": b_hidden, "w_out": w_out, "b_out": b_out,
            "t": t, "lr": lr}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    return mlp(**parse(inputs), mistake=mistake)


ALGORITHM = algorithm(Algorithm(
    name="mlp",
    title={"en": "MLP forward pass and backpropagation (sigmoid)", "ko": "MLP 순전파와 오류 역전파(시그모이드)"},
    run=run,
    inputs={
        "x": "input vector (d)",
        "w_hidden": "p×d matrix; row j = the weights into hidden node j",
        "b_hidden": "p biases of the hidden nodes (default 0)",
        "w_out": "m×p matrix; row k = the weights into output node k (a flat list for one output)",
        "b_out": "m biases of the output nodes (default 0)",
        "t": "optional: m target values; then the loss E = ½Σ(t − o)² and the gradients are computed",
        "lr": "optional (with t): learning rate; then the updated weights w − lr·grad are given",
    },
    inputs_ko={
        "x": "입력 벡터(d)",
        "w_hidden": "p×d 행렬; 행 j = 은닉 노드 j로 들어가는 가중치",
        "b_hidden": "은닉 노드의 편향 p개(기본 0)",
        "w_out": "m×p 행렬; 행 k = 출력 노드 k로 들어가는 가중치(출력이 하나면 1차원 리스트)",
        "b_out": "출력 노드의 편향 m개(기본 0)",
        "t": "선택: 목표값 m개; 주면 손실 E = ½Σ(t − o)²와 기울기를 계산",
        "lr": "선택(t와 함께): 학습률; 주면 갱신된 가중치 w − lr·grad도 보여 줌",
    },
    # the study notes' 2-layer example: inputs 2 and 3, Σ₁ = 1.6, Σ₂ = 2.2, output weights 0.1, 0.2,
    # bias 0.3 (the notes have no target; t = 1 and lr = 0.5 are added to show backpropagation)
    example={"x": [2, 3], "w_hidden": [[0.1, 0.3], [0.2, 0.4]], "b_hidden": [0.5, 0.6],
             "w_out": [[0.1, 0.2]], "b_out": [0.3], "t": [1.0], "lr": 0.5},
    mistakes=MISTAKES,
    summary=("h", "o", "loss", "delta_out", "delta_hidden"),
))
