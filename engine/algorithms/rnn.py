"""A vanilla RNN unrolled over T steps, with backpropagation through time (BPTT).

Forward (t = 1 … T):
    a_t = W_xh x_t + W_hh h_{t−1} + b_h          pre-activation            (H,)
    h_t = tanh(a_t)                                                        (H,)
    ŷ_t = W_hy h_t + b_y                         linear output             (m,)
    L   = ½ Σ_t ‖ŷ_t − y_t‖²

Backward (t = T … 1), with δh_{T+1} carried in from the future:
    dŷ_t = ŷ_t − y_t
    dh_t = W_hyᵀ dŷ_t + W_hhᵀ da_{t+1}          (the second term is the recurrence)
    da_t = dh_t ⊙ (1 − h_t²)                     tanh'(a_t) = 1 − tanh(a_t)²
    ∂L/∂W_hy += dŷ_t h_tᵀ, ∂L/∂W_xh += da_t x_tᵀ, ∂L/∂W_hh += da_t h_{t−1}ᵀ

Vanishing gradients: ∂h_t/∂h_{t−1} = diag(1 − h_t²) W_hh. The gradient reaching h_0 from h_T passes
through the product of T such Jacobians; ``jacobian_norms`` are their spectral norms and
``jacobian_norm_product`` the product of those (an upper bound on ‖∂h_T/∂h_0‖, which is also given).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Mistake, as_array
from engine.registry import algorithm


def rnn_forward(xs, h0, w_xh, w_hh, b_h) -> dict:
    steps, hidden = xs.shape[0], h0.shape[0]
    a = np.zeros((steps, hidden))
    h = np.zeros((steps, hidden))
    h_prev = h0
    for t in range(steps):
        a[t] = w_xh @ xs[t] + w_hh @ h_prev + b_h
        h[t] = np.tanh(a[t])
        h_prev = h[t]
    return {"a": a, "h": h}


def rnn_bptt(xs, h0, w_xh, w_hh, w_hy, b_h, b_y, targets, mistake: str | None = None) -> dict:
    fw = rnn_forward(xs, h0, w_xh, w_hh, b_h)
    return {"a": fw["a"], **bptt_from_states(xs, h0, fw["h"], w_hh, w_hy, b_y, targets, mistake)}


def bptt_from_states(xs, h0, h, w_hh, w_hy, b_y, targets, mistake: str | None = None) -> dict:
    """Loss, BPTT gradients and Jacobians given the hidden states h (T, H).

    Taking h as an input lets an exercise grade the gradients from a learner's own h_t.
    """
    h = np.asarray(h, dtype=float)                     # (T, H)
    y_hat = h @ w_hy.T + b_y                           # (T, m)
    err = y_hat - targets                              # dL/dŷ_t
    losses = 0.5 * np.sum(err ** 2, axis=1)            # (T,)
    if mistake == "rnn.sign-error":
        err = targets - y_hat
    h_before = np.vstack([h0[None, :], h[:-1]])        # h_{t−1} for each t, (T, H)
    if mistake == "rnn.no-tanh-derivative":
        dtanh = np.ones_like(h)
    else:
        dtanh = 1.0 - h ** 2                           # tanh'(a_t)
    steps, hidden = h.shape
    grad_w_xh, grad_w_hh = np.zeros((hidden, xs.shape[1])), np.zeros_like(w_hh)
    grad_w_hy, grad_b_h, grad_b_y = np.zeros_like(w_hy), np.zeros(hidden), np.zeros_like(b_y)
    dh = np.zeros((steps, hidden))
    da = np.zeros((steps, hidden))
    dh_next = np.zeros(hidden)                         # W_hhᵀ da_{t+1}
    for t in reversed(range(steps)):
        grad_w_hy += np.outer(err[t], h[t])
        grad_b_y += err[t]
        dh[t] = w_hy.T @ err[t] + (0.0 if mistake == "rnn.truncated" else dh_next)
        da[t] = dh[t] * dtanh[t]
        grad_w_xh += np.outer(da[t], xs[t])
        grad_w_hh += np.outer(da[t], h_before[t])
        grad_b_h += da[t]
        dh_next = w_hh.T @ da[t]
    # ∂h_t/∂h_{t−1} = diag(1 − h_t²) W_hh
    jacobians = dtanh[:, :, None] * w_hh[None, :, :]   # (T, H, H)
    norms = np.array([np.linalg.norm(j, 2) for j in jacobians])
    product = np.eye(hidden)
    for j in jacobians:
        product = j @ product                          # ∂h_t/∂h_0
    return {
        "h": h, "y_hat": y_hat, "losses": losses, "loss": float(losses.sum()),
        "dh": dh, "da": da,
        "grad_w_xh": grad_w_xh, "grad_w_hh": grad_w_hh, "grad_w_hy": grad_w_hy,
        "grad_b_h": grad_b_h, "grad_b_y": grad_b_y, "grad_h0": dh_next,
        "jacobians": jacobians, "jacobian_norms": norms,
        "jacobian_norm_product": float(np.prod(norms)),
        "jacobian_norm_products": np.cumprod(norms),   # (T,) Π_{s≤t} ‖J_s‖: the bound after t steps
        "jacobian_product": product, "jacobian_product_norm": float(np.linalg.norm(product, 2)),
    }


MISTAKES = (
    Mistake("rnn.truncated", {
        "en": "You stopped the gradient at each step: dh_t used only the loss at step t and ignored what flows "
              "back from later steps through W_hh. In BPTT dh_t = W_hyᵀ(ŷ_t − y_t) + W_hhᵀ da_{t+1}.",
        "ko": "각 시점에서 기울기를 끊었습니다: dh_t에 그 시점의 손실만 넣고, 뒤 시점에서 W_hh를 거쳐 "
              "돌아오는 부분을 빠뜨렸습니다. BPTT에서는 dh_t = W_hyᵀ(ŷ_t − y_t) + W_hhᵀ da_{t+1}입니다.",
    }),
    Mistake("rnn.sign-error", {
        "en": "Your gradients have the wrong sign: you used y − ŷ. For L = ½‖ŷ − y‖² the derivative is "
              "∂L/∂ŷ = ŷ − y; gradient descent then subtracts it.",
        "ko": "기울기 부호가 반대입니다: y − ŷ를 썼습니다. L = ½‖ŷ − y‖²의 미분은 ∂L/∂ŷ = ŷ − y이고, "
              "경사 하강법(gradient descent)은 그것을 빼 줍니다.",
    }),
    Mistake("rnn.no-tanh-derivative", {
        "en": "You passed the gradient through tanh unchanged. Multiply by tanh'(a_t) = 1 − h_t² at every step; "
              "that factor (below 1) is one reason gradients vanish.",
        "ko": "tanh를 지날 때 기울기를 그대로 통과시켰습니다. 시점마다 tanh'(a_t) = 1 − h_t²을 곱해야 합니다. "
              "1보다 작은 이 값이 기울기 소실(vanishing gradient)의 한 원인입니다.",
    }),
)


def _mat(inputs, key, rows, cols, what):
    """A matrix; a scalar is read as 1×1 (the scalar RNN of the hand exercises)."""
    arr = as_array(inputs, key, ndim=(0, 1, 2))
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        if rows == 1:
            arr = arr[None, :]
        elif cols == 1:
            arr = arr[:, None]
        else:
            raise InputError(key, f"expected a {what} matrix")
    if (rows is not None and arr.shape[0] != rows) or (cols is not None and arr.shape[1] != cols):
        want = f"{'?' if rows is None else rows}×{'?' if cols is None else cols}"
        raise InputError(key, f"expected shape {want} ({what}), got {arr.shape[0]}×{arr.shape[1]}")
    return arr


def _seq(inputs, key, width, what):
    arr = as_array(inputs, key, ndim=(1, 2))
    if arr.ndim == 1:                       # a sequence of scalars
        if width not in (None, 1):
            raise InputError(key, f"expected T rows of {width} values ({what})")
        arr = arr[:, None]
    if width is not None and arr.shape[1] != width:
        raise InputError(key, f"expected {width} values per step ({what}), got {arr.shape[1]}")
    return arr


def _vec(inputs, key, size, default=None):
    arr = np.atleast_1d(as_array(inputs, key, ndim=(0, 1), default=default))
    if arr.shape[0] != size:
        raise InputError(key, f"expected {size} values, got {arr.shape[0]}")
    return arr


def parse(inputs: Mapping[str, Any]) -> dict:
    if not isinstance(inputs, Mapping):
        raise InputError("inputs", "expected an object")
    xs = _seq(inputs, "xs", None, "T×d")
    steps, d = xs.shape
    if steps > 10_000:
        raise InputError("xs", "at most 10000 steps")
    w_hh = _mat(inputs, "w_hh", None, None, "H×H")
    hidden = w_hh.shape[0]
    if w_hh.shape[1] != hidden:
        raise InputError("w_hh", f"expected a square H×H matrix, got {w_hh.shape[0]}×{w_hh.shape[1]}")
    w_xh = _mat(inputs, "w_xh", hidden, d, f"H×d with H={hidden}, d={d}")
    w_hy = _mat(inputs, "w_hy", None, hidden, f"m×H with H={hidden}")
    m = w_hy.shape[0]
    targets = _seq(inputs, "targets", m, f"T×m with m={m}")
    if targets.shape[0] != steps:
        raise InputError("targets", f"expected {steps} rows (one per step of xs), got {targets.shape[0]}")
    return {
        "xs": xs, "w_xh": w_xh, "w_hh": w_hh, "w_hy": w_hy, "targets": targets,
        "h0": _vec(inputs, "h0", hidden, default=np.zeros(hidden)),
        "b_h": _vec(inputs, "b_h", hidden, default=np.zeros(hidden)),
        "b_y": _vec(inputs, "b_y", m, default=np.zeros(m)),
    }


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    return rnn_bptt(**parse(inputs), mistake=mistake)


ALGORITHM = algorithm(Algorithm(
    name="rnn-bptt",
    title={"en": "RNN forward pass and backpropagation through time", "ko": "RNN 순전파와 BPTT"},
    run=run,
    inputs={
        "xs": "inputs x_1 … x_T as T rows of d values (a flat list for d = 1)",
        "h0": "initial hidden state h_0 (H values, default zeros)",
        "w_xh": "H×d input weights (a number for H = d = 1)",
        "w_hh": "H×H recurrent weights",
        "w_hy": "m×H output weights",
        "b_h, b_y": "optional biases (H and m values, default zeros)",
        "targets": "targets y_1 … y_T as T rows of m values; loss = ½ Σ_t ‖ŷ_t − y_t‖²",
    },
    inputs_ko={
        "xs": "입력 x_1 … x_T, 값 d개짜리 행 T개(d = 1이면 1차원 리스트)",
        "h0": "초기 은닉 상태 h_0(값 H개, 기본 0)",
        "w_xh": "H×d 입력 가중치(H = d = 1이면 수 하나)",
        "w_hh": "H×H 순환 가중치",
        "w_hy": "m×H 출력 가중치",
        "b_h, b_y": "선택: 편향(각각 값 H개와 m개, 기본 0)",
        "targets": "목표값 y_1 … y_T, 값 m개짜리 행 T개; 손실 = ½ Σ_t ‖ŷ_t − y_t‖²",
    },
    # the sensor rows of the notes (002, "Concept of RNN", sensors 4 and 5 at t−2, t−1, t)
    example={
        "xs": [[0.19, 0.21], [0.21, 0.23], [0.23, 0.24]],
        "h0": [0.0, 0.0],
        "w_xh": [[0.5, -0.4], [0.3, 0.8]],
        "w_hh": [[0.9, -0.2], [0.1, 0.7]],
        "w_hy": [[1.0, -1.0]],
        "targets": [[0.0], [0.0], [1.0]],
    },
    mistakes=MISTAKES,
    summary=("loss", "grad_w_hh", "jacobian_norms", "jacobian_norm_product"),
))
